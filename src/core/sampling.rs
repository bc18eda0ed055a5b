//! Exact, allocation-free samplers for the discrete distributions the
//! workforce model draws every simulated month.
//!
//! The model draws `Binomial(n, p)` with a handful of probabilities that are
//! fixed for a whole path (attrition hazards, ageing rates, uptake, ...) and
//! an `n` that changes on every call. [`Binomial`] is prepared once per
//! probability (about 45 ns, 384 bytes, no heap allocation) and then draws
//! for any `n`; the free function [`binomial`] takes `(n, p)` directly for
//! one-off draws.
//!
//! # Binomial: methods and switch rule
//!
//! Both use the symmetry `Binomial(n, p) = n - Binomial(n, 1 - p)` so that
//! the working probability `p` is at most 1/2 (for `p > 1/2`, `1 - p` is
//! computed without rounding), and `q = 1 - p`. [`Binomial::sample`] then
//! picks one of three methods by the mean `n p` and the variance `n p q`:
//!
//! | method | used by [`Binomial`] when | ns per draw (measured, `n` varying) |
//! | --- | --- | --- |
//! | 1. sequential inversion | `n p < 10` | about 7 at mean 3, 21 at mean 9 |
//! | 2. modal search | `n < 4096`, `n p >= 10`, `n p q < 120` | 25-38 |
//! | 3. BTRD | otherwise (`n p >= 10`) | 30-38 |
//!
//! 1. **Sequential inversion** from `k = 0` with the target scaled instead
//!    of the pmf: `t = u / pmf(0)`, `u` uniform on [0, 1) (53 bits,
//!    [`uniform01`]), and the draw is the smallest `k` with
//!    `t < sum_{j <= k} w(j)`, where `w(j) = pmf(j) / pmf(0)` comes from
//!    `w(j + 1) = w(j) (n - j) (p / q) / (j + 1)` with a static table of
//!    reciprocals `1 / (j + 1)`. `1 / pmf(0) = q^-n` is the product of six
//!    entries of a table of `q^-(d 4^i)` (`d < 4`, `i < 6`, one entry per
//!    base-4 digit of `n`) prepared with the probability (`exp(-n ln q)` for
//!    `n >= 4096`). No `exp` on the way to the first comparison. The
//!    outcomes are settled 8 at a time without a branch: their cumulative
//!    weights (the first 8 do not depend on `u`, so are computed alongside
//!    its draw) are compared with `t` all at once, and the draw is how many
//!    lie at or below it, once a block's last sum passes `t` (about one draw
//!    in 260 needs a second block at mean 3). The walk's exit, one branch per
//!    outcome that the processor could not predict, was most of the cost of
//!    a small draw.
//! 2. **Modal search** (chop-down search from the mode, Kemp 1986): the same
//!    inversion over the outcomes in the order `m, m + 1, m - 1, m + 2, ...`
//!    (one side only once the other has reached 0 or `n`), two outcomes per
//!    step, with `t = u / pmf(m)` and `w(j) = pmf(j) / pmf(m)` by the same
//!    recurrence upwards and its inverse downwards. The start `m` is
//!    `floor((n + 1) floor(p 2^64) / 2^64)`, the mode or (rarely) one below
//!    it, and `1 / pmf(m) = m! (n - m)! / n! * p^-m * q^-(n - m)` is a product
//!    of table entries only: factorials below 4096 as mantissa and power of
//!    two (a static table computed once, in double-double arithmetic), and
//!    the tables of `p^-(d 4^i)` (`i < 4`; `m < 256` in this range) and
//!    `q^-(d 4^i)`.
//!    About `1.6 sqrt(n p q) + 1` outcomes are visited.
//! 3. **BTRD**, the transformed rejection method with decomposition of
//!    W. Hörmann, "The generation of binomial random variates", J. Statist.
//!    Comput. Simul. 46 (1993) 101-110. A uniform `U`
//!    on (-1/2, 1/2) is mapped by `H(U) = (2a / (1/2 - |U|) + b) U + c`,
//!    `k = floor(H(U))`, and `k` is accepted when
//!    `V alpha / H'(U) <= f(k) / f(m)`, `V` uniform on (0, 1), `m` the mode.
//!    Where the hat dominates (`f(k) / f(m) <= alpha / H'(u)` whenever
//!    `floor(H(u)) = k`), the probability of accepting `k` is
//!    `f(k) / (f(m) alpha)` exactly: the integral of `H'` over the `u` that
//!    map to `k` is 1. The short cuts only settle that same comparison
//!    sooner: a central box `|U| <= 0.43, V <= v_r`, which lies under the
//!    pmf, is accepted with one uniform and no pmf evaluation (about 45-80 %
//!    of draws); for `|k - m| <= 15`, `f(k) / f(m)` comes from the pmf
//!    recurrence; further out, the BTPE squeeze of Kachitvichyanukul and
//!    Schmeiser (1988) brackets `ln f(k)/f(m)` (used, as in BTPE, only for
//!    `|k - m| < n p q / 2 - 1`), and what it leaves undecided uses the exact
//!    log-ratio written with Stirling's formula plus its correction terms
//!    (tabulated for `k < 10`; the series' error is below 3.1e-11 beyond).
//!    Hörmann gives the constants as valid for `n p >= 10`; the test
//!    `btrd_hat_box_and_squeeze_are_valid` (and the ignored, denser
//!    `btrd_conditions_dense_scan`, 76,000 `(n, p)` with `n p >= 10`,
//!    `n <= 20,000` and some `n = 10^6`) recomputes the exact pmf and checks,
//!    for every `k`, that the hat dominates, that the box lies under the pmf
//!    and inside `[0, n]`, and that the squeeze brackets the true log-ratio
//!    where it is used. The smallest margins found were 0.27 % (hat, at
//!    `n p = 10.6`) and 0.52 % (box).
//!
//! **Exactness.** The inversions (1, 2) return `k` with
//! probability exactly proportional to the computed `pmf(k)`: their only
//! error is the floating-point rounding of the pmf: `1 / pmf(0)` and
//! `1 / pmf(m)` are products of a few table entries, each within a few
//! dozen ulps, and came out within 1.1e-14 of exact rational arithmetic at
//! the corners of the modal range (the tests check them exactly for
//! p = 1/2, 1/4, 1/8 and against log-factorials over the whole range); the
//! recurrence adds a few ulps per step. If rounding
//! leaves the computed total mass short of `t` (the walk reaches both ends,
//! or the weights underflow), the draw is discarded and redone with a fresh
//! `u`, so the result is the computed pmf renormalised, never a silently
//! wrong tail value. BTRD is exact up to the same kind of rounding (and the
//! Stirling series' 3.1e-11 in the rare step 3.4).
//!
//! **Switch points**, chosen by measurement on this machine (one thread,
//! `n` changing on every call, and whole runs of the Oujda scenario): the
//! sequential and modal inversions cross between means 8 and 12 (both
//! about 25 ns there; the model's mix did not tell 5, 8 and 12 apart), and
//! the modal search was 4-6 ns faster than BTRD up to variance 120 (where,
//! with `p <= 1/2`, the mode is still below 256, the range of the `p^-m`
//! table) when measured for version 0.2. Out of line since 0.4, it is at
//! par with BTRD near variance 90 (35 ns against 31); moving the switch to
//! variance 40 changed nothing on whole runs. For `n >= 4096` there are no tables: inversion with
//! `exp(-n ln q)` below mean 10, BTRD from 10. Until version 0.3, draws
//! with `n <= 64` counted Bernoulli trials in the bits of 9 or more random
//! words (11 ns at `n` about 30); with its branch-free blocks the sequential
//! inversion takes 7 ns there (`cargo bench --bench sampling`), and the
//! simulation of the Oujda case ran 6-8 % faster without the lanes. The
//! same blocks in the modal search were no faster (faster near the mode of
//! small variances, slower for larger ones).
//!
//! The free function [`binomial`] builds no tables: sequential inversion
//! (with `q^-n = exp(-n ln_1p(-p))`) below mean 14, BTRD from 14.
//!
//! # Probabilities fixed for the whole process: alias tables
//!
//! [`TabledBinomial`] is for a probability that is the same on every path
//! (the model's ageing rates 1/3 and 1/9): one alias table per `n` up to a
//! bound, built once per process, so that a draw is one random word, one
//! multiplication and two table reads, with no branch to mispredict. Each
//! table covers the values within about 5.8 standard deviations of the mode
//! exactly (integer column heights, so each value's probability is its
//! double-precision pmf within 2^-64 of a column); the two tails beyond are
//! two more columns weighted by their mass, resolved, when drawn, by
//! sequential inversion within the tail. See [`TabledBinomial`].
//!
//! # Poisson
//!
//! [`poisson`] (and [`Poisson`], which prepares `exp(-lambda)` once for
//! many draws with one mean) uses sequential inversion (`pmf(0) = exp(-lambda)`,
//! `pmf(k+1) = pmf(k) lambda / (k + 1)`, same restart guard) for
//! `lambda < 12`, and `rand_distr::Poisson` at and above 12, where that
//! switches to the exact rejection method of Ahrens and Dieter (1982), which
//! measured faster than inversion there.

use std::sync::OnceLock;

use rand::Rng;
use rand_distr::Distribution;

/// [`Binomial`]: below this mean, sequential inversion; at and above it,
/// modal search or BTRD (which needs a mean of at least 10).
const SEQUENTIAL_MAX_MEAN: f64 = 10.0;

/// [`Binomial`]: modal search below this variance `n p q` (and for
/// `n < TABLE_N`), BTRD at and above it. With `p <= 1/2` it keeps the mode
/// below 2 * 120 + 1 < 256, the range of the `p^-m` table.
const MODAL_MAX_VARIANCE: f64 = 120.0;

/// The factorial, reciprocal and `q^-n` tables cover `n < TABLE_N`.
const TABLE_N: usize = 4096;

/// [`binomial`]: below this mean, sequential inversion, at and above it BTRD.
const FREE_INVERSION_MAX_MEAN: f64 = 14.0;

/// Below this `lambda` the Poisson uses sequential inversion, at and above it
/// `rand_distr::Poisson` (whose own switch to its rejection method is at 12).
const POISSON_INVERSION_MAX_MEAN: f64 = 12.0;

/// A uniform f64 in [0, 1) with 53 random bits.
#[inline]
pub fn uniform01<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    // 2^-53: the 53 high bits of a u64 scaled into [0, 1).
    const SCALE: f64 = 1.0 / (1u64 << 53) as f64;
    (rng.next_u64() >> 11) as f64 * SCALE
}

/// True with probability p.
#[inline]
pub fn bernoulli<R: Rng + ?Sized>(rng: &mut R, p: f64) -> bool {
    uniform01(rng) < p
}

/// Draws Binomial(n, p) exactly. p must be in [0, 1] (debug_assert); n = 0 or p = 0 gives 0, p = 1 gives n.
///
/// For many draws with one `p`, [`Binomial`] is faster.
#[inline]
pub fn binomial<R: Rng + ?Sized>(rng: &mut R, n: u32, p: f64) -> u32 {
    debug_assert!(
        (0.0..=1.0).contains(&p),
        "binomial: p = {p} is not in [0, 1]"
    );
    // NaN also gives 0 in release builds.
    if n == 0 || p.is_nan() || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    let flip = p > 0.5;
    // Exact subtraction (Sterbenz): 1 - p has no rounding error here.
    let pl = if flip { 1.0 - p } else { p };
    let nf = f64::from(n);
    let x = if nf * pl < FREE_INVERSION_MAX_MEAN {
        // q^-n, accurate even when p is tiny (1 - p would lose p's low bits).
        let scale = (-nf * (-pl).ln_1p()).exp();
        sequential(rng, n, pl / (1.0 - pl), scale)
    } else {
        Btrd::new(n, pl).sample(rng)
    };
    if flip { n - x } else { x }
}

/// Binomial draws with one fixed probability: whatever depends on `p` alone is
/// worked out once, and each draw supplies its `n`. The model builds one per
/// probability per path (attrition hazards, ageing rates, uptake, ...).
///
/// 384 bytes, mostly the tables of `p^-k` and `q^-k` (no heap);
/// [`Binomial::new`] takes about 45 ns. Iterate over stored `Binomial`s by
/// reference: a by-value copy moves all 384 bytes.
#[derive(Clone, Copy, Debug)]
pub struct Binomial {
    /// The probability as given.
    p: f64,
    /// The working probability min(p, 1 - p); 0 when p is 0, 1 or NaN.
    pl: f64,
    /// 1 - pl.
    q: f64,
    /// Draws are n minus a draw with `pl` (p > 1/2).
    flip: bool,
    /// floor(pl 2^64), for the start of the modal search.
    pl_fixed: u64,
    /// pl / q and q / pl (0 when pl = 0).
    s: f64,
    inv_s: f64,
    /// ln q = ln_1p(-pl).
    ln_q: f64,
    /// p_inv[i][d] = pl^-(d 4^i), d < 4, i < 4: pl^-k for k < 256 is the
    /// product over the base-4 digits of k.
    p_inv: [[f64; 4]; 4],
    /// q_inv[i][d] = q^-(d 4^i), d < 4, i < 6: q^-k for k < 4096.
    q_inv: [[f64; 4]; 6],
}

/// The method [`Binomial::sample`] uses for one `n`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Method {
    Sequential,
    Modal,
    Btrd,
}

impl Binomial {
    /// Prepares draws with probability `p` in [0, 1].
    pub fn new(p: f64) -> Binomial {
        debug_assert!(
            (0.0..=1.0).contains(&p),
            "binomial: p = {p} is not in [0, 1]"
        );
        let flip = p > 0.5;
        // Exact subtraction (Sterbenz): 1 - p has no rounding error for p >= 1/2.
        let pl = if flip { 1.0 - p } else { p };
        // NaN, p <= 0 and p >= 1 leave pl = 0: no successes (or, flipped, all).
        let pl = if pl > 0.0 { pl } else { 0.0 };
        let q = 1.0 - pl;
        let ln_q = (-pl).ln_1p();
        let mut b = Binomial {
            p,
            pl,
            q,
            flip,
            pl_fixed: fixed_point(pl),
            s: pl / q,
            inv_s: 0.0,
            ln_q,
            p_inv: [[1.0; 4]; 4],
            q_inv: [[1.0; 4]; 6],
        };
        if pl > 0.0 {
            b.inv_s = q / pl;
            // The bases q^-(4^i) from ln q, accurate to a few ulps (1 / (1 - pl)
            // would carry the rounding of 1 - pl, and squaring doubles errors).
            b.q_inv = power_rows([
                (-ln_q).exp(),
                (-4.0 * ln_q).exp(),
                (-16.0 * ln_q).exp(),
                (-64.0 * ln_q).exp(),
                (-256.0 * ln_q).exp(),
                (-1024.0 * ln_q).exp(),
            ]);
            // The bases pl^-(4^i) by squaring 1 / pl (error at most about 4^i
            // ulps; exp(-4^i ln pl) would carry 4^i |ln pl| ulps of ln pl's
            // rounding).
            let inv = 1.0 / pl;
            let inv2 = inv * inv;
            let inv4 = inv2 * inv2;
            let inv8 = inv4 * inv4;
            let inv16 = inv8 * inv8;
            let inv32 = inv16 * inv16;
            b.p_inv = power_rows([inv, inv4, inv16, inv32 * inv32]);
        }
        b
    }

    /// The probability.
    pub fn p(&self) -> f64 {
        self.p
    }

    /// Draws Binomial(n, p) exactly.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R, n: u32) -> u32 {
        if n == 0 || self.pl == 0.0 {
            // p is 0 or 1: nothing to draw.
            return if self.flip { n } else { 0 };
        }
        let x = match self.method(n) {
            Method::Sequential => sequential(rng, n, self.s, self.q_pow_inv(n)),
            Method::Modal => self.modal(rng, n),
            Method::Btrd => btrd(rng, n, self.pl),
        };
        if self.flip { n - x } else { x }
    }

    /// The method for `n >= 1` trials (see the module documentation).
    #[inline]
    fn method(&self, n: u32) -> Method {
        let mean = f64::from(n) * self.pl;
        if mean < SEQUENTIAL_MAX_MEAN {
            Method::Sequential
        } else if (n as usize) < TABLE_N && mean * self.q < MODAL_MAX_VARIANCE {
            Method::Modal
        } else {
            Method::Btrd
        }
    }

    /// q^-n: six table entries (one per base-4 digit) for n < 4096, else
    /// exp(-n ln q).
    #[inline]
    fn q_pow_inv(&self, n: u32) -> f64 {
        let k = n as usize;
        if k < TABLE_N {
            (self.q_inv[0][k & 3] * self.q_inv[1][(k >> 2) & 3])
                * (self.q_inv[2][(k >> 4) & 3] * self.q_inv[3][(k >> 6) & 3])
                * (self.q_inv[4][(k >> 8) & 3] * self.q_inv[5][k >> 10])
        } else {
            (-f64::from(n) * self.ln_q).exp()
        }
    }

    /// pl^-m for m < 256: four table entries.
    #[inline]
    fn p_pow_inv(&self, m: u32) -> f64 {
        let k = m as usize;
        (self.p_inv[0][k & 3] * self.p_inv[1][(k >> 2) & 3])
            * (self.p_inv[2][(k >> 4) & 3] * self.p_inv[3][k >> 6])
    }

    /// The start m of the modal search (the mode, or rarely one below it)
    /// and 1 / pmf(m), for 1 <= n < 4096 and n p q < 120.
    #[inline]
    fn modal_start(&self, n: u32) -> (u32, f64) {
        let facts = factorials();
        // floor((n + 1) floor(pl 2^64) / 2^64): the mode floor((n + 1) pl),
        // or one below it when (n + 1) pl is within (n + 1) 2^-64 above an
        // integer; any start gives an exact sampler, the mode the shortest walk.
        let m = ((u128::from(n + 1) * u128::from(self.pl_fixed)) >> 64) as u32;
        let (nu, mu) = (n as usize, m as usize);
        let (fm, fnm, fn_) = (facts[mu], facts[nu - mu], facts[nu]);
        // 1 / pmf(m) = m! (n - m)! / n! * pl^-m * q^-(n - m). Within the
        // switch rule the power of two (about 1 / C(n, m)) is at least 2^-793
        // and pl^-m at most 2^622, at n = 4095 and p = 0.03 (the tests scan
        // the range), so every partial product is a normal f64.
        let exp2 = fm.exp2 + fnm.exp2 - fn_.exp2;
        debug_assert!((-1022..=0).contains(&exp2));
        let pow2 = f64::from_bits(((exp2 + 1023) as u64) << 52);
        let scale = (fm.mant * fnm.mant * fn_.inv_mant)
            * (self.p_pow_inv(m) * pow2)
            * self.q_pow_inv(n - m);
        (m, scale)
    }

    /// Modal search, for 1 <= n < 4096 and n p q < 120 (the range where
    /// [`Binomial::modal_start`]'s products stay in range, m < 256). Not
    /// inlined: most draws are sequential, and keep a lean frame without it.
    #[inline(never)]
    fn modal<R: Rng + ?Sized>(&self, rng: &mut R, n: u32) -> u32 {
        let (m, scale) = self.modal_start(n);
        if !scale.is_finite() {
            // Not reached within the switch rule (the tests scan it); a
            // guard against an endless redraw loop.
            return Btrd::new(n, self.pl).sample(rng);
        }
        let nf = f64::from(n);
        let (s, inv_s) = (self.s, self.inv_s);
        let both = m.min(n - m);
        'draw: loop {
            let t = uniform01(rng) * scale;
            // c: the sum of the weights w(j) = pmf(j) / pmf(m) visited so far.
            let mut c = 1.0;
            if t < c {
                return m;
            }
            let (mut hi, mut lo) = (m, m);
            let (mut w_hi, mut w_lo) = (1.0, 1.0);
            // Both sides open: m + 1, m - 1, m + 2, m - 2, ...
            for _ in 0..both {
                w_hi *= (nf - f64::from(hi)) * s * RECIPROCALS[hi as usize + 1];
                hi += 1;
                w_lo *= f64::from(lo) * inv_s * RECIPROCALS[(n - lo) as usize + 1];
                lo -= 1;
                let c_hi = c + w_hi;
                c = c_hi + w_lo;
                if t < c {
                    return if t < c_hi { hi } else { lo };
                }
            }
            // One side left. A weight that underflows to 0 ends the walk:
            // the computed mass fell short of t, so redraw.
            while hi < n {
                w_hi *= (nf - f64::from(hi)) * s * RECIPROCALS[hi as usize + 1];
                hi += 1;
                c += w_hi;
                if t < c {
                    return hi;
                }
                if w_hi <= 0.0 {
                    continue 'draw;
                }
            }
            while lo > 0 {
                w_lo *= f64::from(lo) * inv_s * RECIPROCALS[(n - lo) as usize + 1];
                lo -= 1;
                c += w_lo;
                if t < c {
                    return lo;
                }
                if w_lo <= 0.0 {
                    continue 'draw;
                }
            }
        }
    }
}

/// A BTRD draw, out of line (see [`Binomial::modal`]).
#[inline(never)]
fn btrd<R: Rng + ?Sized>(rng: &mut R, n: u32, p: f64) -> u32 {
    Btrd::new(n, p).sample(rng)
}

/// floor(p 2^64) for 0 <= p <= 1/2 (at most 2^63, no overflow).
#[inline]
fn fixed_point(p: f64) -> u64 {
    (p * 18_446_744_073_709_551_616.0) as u64
}

/// Rows of powers: rows[i][d] = bases[i]^d, d < 4, by repeated
/// multiplication (at most two roundings per entry).
fn power_rows<const R: usize>(bases: [f64; R]) -> [[f64; 4]; R] {
    bases.map(|b| {
        let mut row = [1.0; 4];
        for d in 1..4 {
            row[d] = row[d - 1] * b;
        }
        row
    })
}

/// Sequential inversion from k = 0 for Binomial(n, p), given s = p / q and
/// scale = 1 / pmf(0) = q^-n (finite).
///
/// The outcomes are taken [`SEQUENTIAL_BLOCK`] at a time without a branch:
/// their cumulative weights are computed (in the walk's order, so to the
/// same bits as a walk one outcome at a time) and the number at or below `t`
/// counted; the first block whose last sum passes `t` holds the draw, and
/// the count is it. One branch per block, taken the same way most of the
/// time, instead of an exit from the walk that the processor cannot
/// predict, which was most of the cost of a draw with a small mean.
#[inline]
fn sequential<R: Rng + ?Sized>(rng: &mut R, n: u32, s: f64, scale: f64) -> u32 {
    let nf = f64::from(n);
    // w(k + 1) / w(k), for k + 1 < TABLE_N.
    let ratio = |k: usize| (nf - k as f64) * s * RECIPROCALS[k + 1];
    // The first block's ratios do not depend on t: worked out once.
    let first: [f64; SEQUENTIAL_BLOCK - 1] = std::array::from_fn(ratio);
    'draw: loop {
        let t = uniform01(rng) * scale;
        // w = pmf(k) / pmf(0), c = the sum of w over 0..=k, `below` the
        // number of those sums at or below t.
        let (mut w, mut c) = (1.0, 1.0);
        let mut below = u32::from(t >= c);
        for r in &first {
            w *= r;
            c += w;
            below += u32::from(t >= c);
        }
        let mut k = SEQUENTIAL_BLOCK - 1;
        while k + SEQUENTIAL_BLOCK < TABLE_N {
            if below as usize <= k {
                // Weights are positive up to n and exactly 0 beyond (the
                // factor n - k), so the sums rise past t here: `below` is
                // the first outcome with t < c.
                return below;
            }
            // w = 0 past n or on underflow: the computed mass fell short of
            // t, so redraw.
            if w <= 0.0 {
                continue 'draw;
            }
            for _ in 0..SEQUENTIAL_BLOCK {
                w *= ratio(k);
                k += 1;
                c += w;
                below += u32::from(t >= c);
            }
        }
        // Past the table of reciprocals (n above 4096 and a draw far beyond
        // a mean below 10): one outcome at a time.
        if below as usize <= k {
            return below;
        }
        while t >= c {
            w *= (nf - k as f64) * s * (1.0 / (k as f64 + 1.0));
            k += 1;
            if w <= 0.0 {
                continue 'draw;
            }
            c += w;
        }
        return k as u32;
    }
}

/// Outcomes settled without a branch by [`sequential`].
const SEQUENTIAL_BLOCK: usize = 8;

/// 1 / k for k < TABLE_N (entry 0 unused).
static RECIPROCALS: [f64; TABLE_N] = {
    let mut t = [0.0; TABLE_N];
    let mut k = 1;
    while k < TABLE_N {
        t[k] = 1.0 / k as f64;
        k += 1;
    }
    t
};

/// k! = mant 2^exp2 with mant in [1, 2), and 1 / mant.
#[derive(Clone, Copy, Debug)]
struct Factorial {
    mant: f64,
    inv_mant: f64,
    exp2: i32,
}

/// k! for k < TABLE_N, built on first use (about 150 us).
fn factorials() -> &'static [Factorial; TABLE_N] {
    static TABLE: OnceLock<Box<[Factorial; TABLE_N]>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let one = Factorial {
            mant: 1.0,
            inv_mant: 1.0,
            exp2: 0,
        };
        let mut table = Box::new([one; TABLE_N]);
        // (hi + lo) 2^exp2 = k!, a double-double kept in [1, 2): each step
        // multiplies exactly (fused multiply-add for the low part of hi k), so
        // the only error that matters is the final rounding to one f64.
        let (mut hi, mut lo, mut exp2) = (1.0f64, 0.0f64, 0i32);
        for (k, entry) in table.iter_mut().enumerate().skip(2) {
            let x = k as f64;
            let prod = hi * x;
            let low = hi.mul_add(x, -prod) + lo * x;
            hi = prod + low;
            lo = low - (hi - prod);
            let e = ((hi.to_bits() >> 52) as i32) - 1023;
            let scale = f64::from_bits(((1023 - e) as u64) << 52);
            hi *= scale;
            lo *= scale;
            exp2 += e;
            let mant = hi + lo;
            *entry = Factorial {
                mant,
                inv_mant: 1.0 / mant,
                exp2,
            };
        }
        table
    })
}

/// Parameters of Hörmann's BTRD for one (n, p), 0 < p <= 1/2, n p >= 10.
#[derive(Clone, Copy, Debug)]
struct Btrd {
    n: u32,
    /// The mode, floor((n + 1) p).
    m: u32,
    /// p / q.
    r: f64,
    /// (n + 1) p / q.
    nr: f64,
    npq: f64,
    b: f64,
    a: f64,
    c: f64,
    alpha: f64,
    v_r: f64,
    u_rv_r: f64,
}

impl Btrd {
    #[inline]
    fn new(n: u32, p: f64) -> Self {
        let nf = f64::from(n);
        let q = 1.0 - p;
        let r = p / q;
        let npq = nf * p * q;
        let sqrt_npq = npq.sqrt();
        let b = 1.15 + 2.53 * sqrt_npq;
        let inv_b = 1.0 / b;
        let v_r = 0.92 - 4.2 * inv_b;
        Btrd {
            n,
            // (n + 1) p < n + 1, so the mode is at most n.
            m: ((nf + 1.0) * p) as u32,
            r,
            nr: (nf + 1.0) * r,
            npq,
            b,
            a: -0.0873 + 0.0248 * b + 0.01 * p,
            c: nf * p + 0.5,
            alpha: (2.83 + 5.1 * inv_b) * sqrt_npq,
            v_r,
            u_rv_r: 0.86 * v_r,
        }
    }

    /// The hat transformation H(u) = (2a / (1/2 - |u|) + b) u + c.
    #[inline]
    fn hat(&self, u: f64, us: f64) -> f64 {
        (2.0 * self.a / us + self.b) * u + self.c
    }

    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> u32 {
        let nf = f64::from(self.n);
        loop {
            let mut v = uniform01(rng);
            // Step 1: the central box, accepted without evaluating the pmf.
            if v <= self.u_rv_r {
                let u = v / self.v_r - 0.43;
                // |u| <= 0.43 maps into [0, n] when n p >= 10:
                // H(0.43) < n p + 0.34 + 1.86 sqrt(npq) < n + 1 and
                // H(-0.43) > n p + 0.66 - 1.86 sqrt(npq) > 0.
                // (Truncation is floor here: H >= 0.)
                return self.hat(u, 0.5 - u.abs()) as u32;
            }
            // Step 2: a point (u, v) uniform on the rest of the rectangle.
            let u = if v >= self.v_r {
                uniform01(rng) - 0.5
            } else {
                let w = v / self.v_r - 0.93;
                v = uniform01(rng) * self.v_r;
                0.5f64.copysign(w) - w
            };
            // Step 3.0: the candidate.
            let us = 0.5 - u.abs();
            let x = self.hat(u, us);
            // k = floor(x) must be in [0, n]; this also rejects NaN and the
            // infinities from us = 0. (Truncation is floor for x >= 0.)
            if !(x >= 0.0 && x < nf + 1.0) {
                continue;
            }
            let k = x as u32;
            v *= self.alpha / (self.a / (us * us) + self.b);
            let km = k.abs_diff(self.m);
            if km <= 15 {
                // Step 3.1: f(k) / f(m) by the recurrence
                // f(i) / f(i - 1) = (n + 1) r / i - r.
                let mut f = 1.0;
                if self.m < k {
                    for i in self.m + 1..=k {
                        f *= self.nr / f64::from(i) - self.r;
                    }
                } else {
                    for i in k + 1..=self.m {
                        v *= self.nr / f64::from(i) - self.r;
                    }
                }
                if v <= f {
                    return k;
                }
                continue;
            }
            // Step 3.2: squeeze on ln f(k) / f(m), in its BTPE range of validity.
            let v = v.ln();
            let kmf = f64::from(km);
            if kmf < 0.5 * self.npq - 1.0 {
                let rho =
                    (kmf / self.npq) * (((kmf / 3.0 + 0.625) * kmf + 1.0 / 6.0) / self.npq + 0.5);
                let t = -kmf * kmf / (2.0 * self.npq);
                if v < t - rho {
                    return k;
                }
                if v > t + rho {
                    continue;
                }
            }
            // Steps 3.3 and 3.4: the exact log-ratio via Stirling's series.
            if v <= self.ln_pmf_ratio(k) {
                return k;
            }
        }
    }

    /// ln(f(k) / f(m)) written with Stirling's formula and its corrections.
    fn ln_pmf_ratio(&self, k: u32) -> f64 {
        let (n, m) = (self.n, self.m);
        let nm = f64::from(n - m) + 1.0;
        let h = (f64::from(m) + 0.5) * ((f64::from(m) + 1.0) / (self.r * nm)).ln()
            + stirling_correction(m)
            + stirling_correction(n - m);
        let nk = f64::from(n - k) + 1.0;
        h + (f64::from(n) + 1.0) * (nm / nk).ln()
            + (f64::from(k) + 0.5) * (nk * self.r / (f64::from(k) + 1.0)).ln()
            - stirling_correction(k)
            - stirling_correction(n - k)
    }
}

/// fc(k) = ln k! - [(k + 1/2) ln(k + 1) - (k + 1) + ln(2 pi) / 2].
fn stirling_correction(k: u32) -> f64 {
    const TABLE: [f64; 10] = [
        0.081_061_466_795_327_26,
        0.041_340_695_955_409_29,
        0.027_677_925_684_998_34,
        0.020_790_672_103_765_09,
        0.016_644_691_189_821_19,
        0.013_876_128_823_070_75,
        0.011_896_709_945_891_77,
        0.010_411_265_261_972_09,
        0.009_255_462_182_712_733,
        0.008_330_563_433_362_87,
    ];
    if let Some(&v) = TABLE.get(k as usize) {
        return v;
    }
    // Stirling's series in 1/(k + 1); the first omitted term,
    // 1 / (1680 (k + 1)^7), is below 3.1e-11 for k >= 10.
    let x = 1.0 / (f64::from(k) + 1.0);
    let x2 = x * x;
    (1.0 / 12.0 - (1.0 / 360.0 - x2 / 1260.0) * x2) * x
}

/// Binomial draws for one probability fixed for the whole process (the
/// model's ageing rates 1/3 and 1/9): one alias table per `n` up to a bound,
/// built once, so a draw is one random word, a multiplication and two table
/// reads (8 bytes each), without branches to mispredict.
///
/// **Table of one `n`.** The weights `w(k) = pmf(k) / pmf(m)` come from the
/// mode `m` outwards by the pmf recurrence (as in the modal search) and are
/// normalised by their sum. The window `lo..=hi` of the `k` with
/// `w(k) >= 2^-24` (about 5.8 standard deviations either side) gets one
/// column each; the two tails (`k < lo`, `k > hi`) get one column each,
/// weighted by their total mass. Column heights are integers summing exactly
/// to `columns * 2^64` (the rounding residual of about 2^-53 of the total
/// goes to the mode), and Vose's method builds the alias table in exact
/// integer arithmetic.
///
/// **Draw.** A random word `u` times the number of columns `C` gives the
/// column in the high 64 bits and, in the low 64 bits, the position within
/// it, compared with the column's threshold: the column's own outcome below
/// it, its alias above. For a given column the low words form an arithmetic
/// progression of step `C` over `2^64`, so each outcome's probability is
/// within `C 2^-64` (below 2^-55) of the table's: finer than the 53-bit
/// uniforms of the inversions. A tail column is resolved exactly: sequential
/// inversion within the tail from its inner end, with a fresh uniform scaled
/// by the tail's total weight (redrawn in the rare case where rounding leaves
/// the walk short), so every `k` in `0..=n` keeps its pmf, however far out.
/// Above the bound, draws go to [`Binomial`].
///
/// **Layout.** The tables are a few megabytes, so a draw's reads mostly miss
/// the caches; each is kept to one 8-byte word. A column holds the high 32
/// bits of its threshold and its alias in one `u64`; the comparison with the
/// position is decided by those high bits except when they are equal
/// (probability 2^-32), which reads the low 32 bits from a separate array.
/// That is the same comparison as with the whole threshold, so the draws are
/// those of a single 64-bit threshold. A row's start, window and width take 8
/// bytes; its tail weights, needed only in the tails, are kept apart.
#[derive(Clone, Debug)]
pub struct TabledBinomial {
    /// For draws with more trials than the tables cover.
    fallback: Binomial,
    /// rows[n] for 1 <= n <= max_n (row 0 unused).
    rows: Vec<AliasRow>,
    /// tail_weights[n]: the sums of `pmf(k) / pmf(lo - 1)` over the left tail
    /// `k < lo` and of `pmf(k) / pmf(hi + 1)` over the right tail `k > hi`.
    tail_weights: Vec<[f64; 2]>,
    /// Columns of all rows, row after row: the high 32 bits of the column's
    /// threshold above its alias (a column index within the row, 16 bits).
    columns: Vec<u64>,
    /// The low 32 bits of each column's threshold, aligned with `columns`.
    threshold_lows: Vec<u32>,
}

/// The alias table of one `n` within [`TabledBinomial`]'s arrays.
#[derive(Clone, Copy, Debug, Default)]
struct AliasRow {
    /// Index of the row's first column.
    start: u32,
    /// The smallest value of the window.
    lo: u16,
    /// Window columns; columns `width` and `width + 1` are the left and
    /// right tails.
    width: u16,
}

/// [`TabledBinomial`]: window values have a weight of at least this share of
/// the mode's.
const ALIAS_WINDOW_MIN_WEIGHT: f64 = 1.0 / (1u64 << 24) as f64;

impl TabledBinomial {
    /// Tables for Binomial(n, p), 1 <= n <= `max_n`, with `0 < p < 1` and
    /// `max_n` below 65,000 (columns are indexed by 16 bits).
    pub fn new(p: f64, max_n: u32) -> TabledBinomial {
        assert!(p > 0.0 && p < 1.0, "tabled binomial: p = {p} not in (0, 1)");
        assert!(max_n < 65_000, "tabled binomial: max_n = {max_n} too large");
        let mut table = TabledBinomial {
            fallback: Binomial::new(p),
            rows: vec![AliasRow::default(); max_n as usize + 1],
            tail_weights: vec![[0.0; 2]; max_n as usize + 1],
            columns: Vec::new(),
            threshold_lows: Vec::new(),
        };
        let (mut thresholds, mut aliases) = (Vec::new(), Vec::new());
        let (mut window, mut heights) = (Vec::new(), Vec::new());
        let (mut small, mut large) = (Vec::new(), Vec::new());
        for n in 1..=max_n {
            // The mode, floor((n + 1) p), at most n, has weight 1; the window
            // runs outwards from it while weights stay at least the minimum.
            let m = (((f64::from(n) + 1.0) * p) as u32).min(n);
            let (mut lo, mut hi) = (m, m);
            let (mut w_lo, mut w_hi) = (1.0, 1.0);
            window.clear();
            while lo > 0 {
                let w = w_lo * table.ratio(n, lo, true);
                if w < ALIAS_WINDOW_MIN_WEIGHT {
                    break;
                }
                (w_lo, lo) = (w, lo - 1);
                window.push(w);
            }
            window.reverse();
            window.push(1.0);
            while hi < n {
                let w = w_hi * table.ratio(n, hi, false);
                if w < ALIAS_WINDOW_MIN_WEIGHT {
                    break;
                }
                (w_hi, hi) = (w, hi + 1);
                window.push(w);
            }
            // Each tail's weight relative to its inner end, and its mass
            // relative to the mode's.
            let tail = |inner, edge_weight: f64, left| {
                let ratio = table.ratio(n, inner, left);
                let inner = if left { inner - 1 } else { inner + 1 };
                let weight = table.tail_walk(n, inner, left, f64::INFINITY).unwrap_err();
                (weight, edge_weight * ratio * weight)
            };
            let (left_weight, left) = if lo > 0 {
                tail(lo, w_lo, true)
            } else {
                (0.0, 0.0)
            };
            let (right_weight, right) = if hi < n {
                tail(hi, w_hi, false)
            } else {
                (0.0, 0.0)
            };
            let total = window.iter().sum::<f64>() + left + right;
            let width = hi - lo + 1;
            let columns = width as usize + 2;
            // Integer heights summing to columns * 2^64 exactly.
            let unit = columns as f64 * 18_446_744_073_709_551_616.0 / total;
            heights.clear();
            heights.extend(
                window
                    .iter()
                    .chain([&left, &right])
                    .map(|&w| (w * unit) as u128),
            );
            let target = (columns as u128) << 64;
            let sum: u128 = heights.iter().sum();
            let mode = &mut heights[(m - lo) as usize];
            *mode = *mode + target - sum;
            thresholds.resize(columns, 0);
            aliases.resize(columns, 0);
            vose(
                &mut heights,
                &mut thresholds,
                &mut aliases,
                (&mut small, &mut large),
            );
            table.rows[n as usize] = AliasRow {
                start: table.columns.len() as u32,
                // Below 65,000: max_n is.
                lo: lo as u16,
                width: width as u16,
            };
            table.tail_weights[n as usize] = [left_weight, right_weight];
            for (&threshold, &alias) in thresholds.iter().zip(&aliases) {
                table
                    .columns
                    .push((threshold >> 32) << 32 | u64::from(alias));
                table.threshold_lows.push(threshold as u32);
            }
        }
        table.columns.shrink_to_fit();
        table.threshold_lows.shrink_to_fit();
        table
    }

    /// Draws Binomial(n, p) exactly.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R, n: u32) -> u32 {
        if n == 0 {
            return 0;
        }
        let Some(row) = self.rows.get(n as usize) else {
            return self.fallback.sample(rng, n);
        };
        let width = u32::from(row.width);
        let product = u128::from(rng.next_u64()) * u128::from(width + 2);
        let column = (product >> 64) as usize;
        let i = row.start as usize + column;
        let position = product as u64;
        let entry = self.columns[i];
        // position < threshold, decided by the high halves unless they are equal.
        let (position_high, threshold_high) = (position >> 32, entry >> 32);
        let own = if position_high == threshold_high {
            self.low_half_below(i, position)
        } else {
            position_high < threshold_high
        };
        let chosen = if own {
            column as u32
        } else {
            u32::from(entry as u16)
        };
        if chosen < width {
            u32::from(row.lo) + chosen
        } else {
            self.tail(rng, n, row, chosen == width)
        }
    }

    /// Whether the low 32 bits of `position` are below those of column `i`'s
    /// threshold (when the high 32 bits are equal, one draw in 2^32).
    #[cold]
    fn low_half_below(&self, i: usize, position: u64) -> bool {
        (position as u32) < self.threshold_lows[i]
    }

    /// A draw conditional on the left (`k < lo`) or right (`k > hi`) tail.
    #[cold]
    fn tail<R: Rng + ?Sized>(&self, rng: &mut R, n: u32, row: &AliasRow, left: bool) -> u32 {
        let [left_weight, right_weight] = self.tail_weights[n as usize];
        let (lo, width) = (u32::from(row.lo), u32::from(row.width));
        let (weight, inner) = if left {
            (left_weight, lo - 1)
        } else {
            (right_weight, lo + width)
        };
        loop {
            let t = uniform01(rng) * weight;
            if let Ok(k) = self.tail_walk(n, inner, left, t) {
                return k;
            }
        }
    }

    /// `pmf(k - 1) / pmf(k)` when `left`, else `pmf(k + 1) / pmf(k)`.
    #[inline]
    fn ratio(&self, n: u32, k: u32, left: bool) -> f64 {
        let (nf, kf) = (f64::from(n), f64::from(k));
        if left {
            kf * self.fallback.inv_s / (nf - kf + 1.0)
        } else {
            (nf - kf) * self.fallback.s / (kf + 1.0)
        }
    }

    /// Sequential inversion over a tail: from its inner end `inner` outwards
    /// (down to 0 when `left`, else up to `n`), the first `k` where the
    /// running sum of `pmf(k) / pmf(inner)` exceeds `t`; or, when the walk
    /// ends first, that whole sum (the tail's weight for `t` infinite). Past
    /// the mode the weights fall, so the walk also ends once adding one no
    /// longer changes the sum: the outcomes beyond, a few 2^-53 of the tail
    /// together (the weights fall faster than geometrically), are below the
    /// resolution of a 53-bit uniform, as in the other inversions.
    fn tail_walk(&self, n: u32, inner: u32, left: bool, t: f64) -> Result<u32, f64> {
        let (mut w, mut c, mut k) = (1.0, 1.0, inner);
        while t >= c {
            if (left && k == 0) || (!left && k == n) {
                return Err(c);
            }
            w *= self.ratio(n, k, left);
            k = if left { k - 1 } else { k + 1 };
            let next = c + w;
            if next == c {
                return Err(c);
            }
            c = next;
        }
        Ok(k)
    }
}

/// Vose's alias method in exact integers: `heights` (each column's mass, in
/// units of 2^-64 of a column) sum to `heights.len() * 2^64`. Column `i` keeps
/// its own outcome when the position within it is below `thresholds[i]`, and
/// gives `aliases[i]` otherwise.
/// `small` and `large` are scratch space.
fn vose(
    heights: &mut [u128],
    thresholds: &mut [u64],
    aliases: &mut [u16],
    (small, large): (&mut Vec<usize>, &mut Vec<usize>),
) {
    const FULL: u128 = 1 << 64;
    small.clear();
    large.clear();
    for (i, &h) in heights.iter().enumerate() {
        if h < FULL {
            small.push(i);
        } else {
            large.push(i);
        }
    }
    while let (Some(&s), Some(&l)) = (small.last(), large.last()) {
        small.pop();
        thresholds[s] = heights[s] as u64;
        aliases[s] = l as u16;
        heights[l] -= FULL - heights[s];
        if heights[l] < FULL {
            large.pop();
            small.push(l);
        }
    }
    // What is left is exactly full (the heights sum exactly): the column
    // always keeps its own outcome.
    for &i in small.iter().chain(large.iter()) {
        thresholds[i] = u64::MAX;
        aliases[i] = i as u16;
    }
}

/// Draws Poisson(lambda) exactly (lambda >= 0, finite); inversion for small lambda, rand_distr above.
///
/// Results above `u32::MAX` (only for `lambda` near 4e9 or more) saturate.
/// For many draws with one `lambda`, [`Poisson`] is faster.
#[inline]
pub fn poisson<R: Rng + ?Sized>(rng: &mut R, lambda: f64) -> u32 {
    Poisson::new(lambda).sample(rng)
}

/// Poisson draws with one fixed mean, set up once (`exp(-lambda)` for the
/// inversion, or `rand_distr`'s constants); the same draws as [`poisson`].
#[derive(Clone, Debug)]
pub struct Poisson {
    method: PoissonMethod,
}

#[derive(Clone, Debug)]
enum PoissonMethod {
    Zero,
    /// Sequential inversion, with `exp(-lambda)`.
    Inversion {
        lambda: f64,
        pmf0: f64,
    },
    /// `rand_distr::Poisson`; `None` when it refuses the mean (too large).
    Rejection(Option<rand_distr::Poisson<f64>>),
}

impl Poisson {
    /// Prepares draws with mean `lambda` (>= 0, finite).
    pub fn new(lambda: f64) -> Poisson {
        debug_assert!(
            lambda >= 0.0 && lambda.is_finite(),
            "poisson: lambda = {lambda} is not finite and >= 0"
        );
        let method = if lambda.is_nan() || lambda <= 0.0 {
            PoissonMethod::Zero
        } else if lambda < POISSON_INVERSION_MAX_MEAN {
            PoissonMethod::Inversion {
                lambda,
                pmf0: (-lambda).exp(),
            }
        } else {
            PoissonMethod::Rejection(rand_distr::Poisson::new(lambda).ok())
        };
        Poisson { method }
    }

    /// Draws Poisson(lambda) exactly.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> u32 {
        match &self.method {
            PoissonMethod::Zero => 0,
            PoissonMethod::Inversion { lambda, pmf0 } => poisson_inversion(rng, *lambda, *pmf0),
            // `as` saturates at u32::MAX.
            PoissonMethod::Rejection(Some(d)) => d.sample(rng) as u32,
            PoissonMethod::Rejection(None) => u32::MAX,
        }
    }
}

/// Sequential inversion from k = 0, for 0 < lambda < 12 or so, given
/// `pmf0 = exp(-lambda)`.
fn poisson_inversion<R: Rng + ?Sized>(rng: &mut R, lambda: f64, pmf0: f64) -> u32 {
    'draw: loop {
        let mut u = uniform01(rng);
        let mut pmf = pmf0;
        let mut k = 0u32;
        while u >= pmf {
            u -= pmf;
            k += 1;
            pmf *= lambda / f64::from(k);
            if pmf <= 0.0 {
                // Computed total mass fell short of u (rounding); redraw.
                continue 'draw;
            }
        }
        return k;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;

    fn rng(seed: u64) -> Xoshiro256PlusPlus {
        Xoshiro256PlusPlus::seed_from_u64(seed)
    }

    /// ln k! for k = 0..=n as a running sum of ln i (absolute error below
    /// about 1e-13 n). This is the reference for the exact pmfs.
    fn ln_factorials(n: usize) -> Vec<f64> {
        let mut v = vec![0.0; n + 1];
        for i in 2..=n {
            v[i] = v[i - 1] + (i as f64).ln();
        }
        v
    }

    /// Exact Binomial(n, p) pmf for k = 0..=n from log-factorial sums.
    fn binomial_pmf(n: u32, p: f64) -> Vec<f64> {
        let n = n as usize;
        let mut pmf = vec![0.0; n + 1];
        if p == 0.0 {
            pmf[0] = 1.0;
            return pmf;
        }
        if p == 1.0 {
            pmf[n] = 1.0;
            return pmf;
        }
        let lf = ln_factorials(n);
        let (lp, lq) = (p.ln(), (-p).ln_1p());
        for (k, x) in pmf.iter_mut().enumerate() {
            *x = (lf[n] - lf[k] - lf[n - k] + k as f64 * lp + (n - k) as f64 * lq).exp();
        }
        pmf
    }

    /// Poisson(lambda) pmf for k = 0..kmax; the last cell holds P(X >= kmax).
    fn poisson_pmf(lambda: f64) -> Vec<f64> {
        let kmax = (lambda + 12.0 * lambda.sqrt() + 25.0) as usize;
        let lf = ln_factorials(kmax);
        let mut pmf: Vec<f64> = (0..kmax)
            .map(|k| (-lambda + k as f64 * lambda.ln() - lf[k]).exp())
            .collect();
        let head: f64 = pmf.iter().sum();
        pmf.push((1.0 - head).max(0.0));
        pmf
    }

    /// Upper 0.001 quantile of chi-square with df degrees of freedom: the
    /// table values for df <= 10, the Wilson-Hilferty approximation
    /// df (1 - 2/(9 df) + z sqrt(2/(9 df)))^3 with z = 3.0902 above
    /// (within 0.5 % of the exact quantile there; e.g. df = 30 gives 59.72,
    /// table 59.70; df = 100 gives 149.46, table 149.45).
    fn chi2_crit_001(df: usize) -> f64 {
        const TABLE: [f64; 10] = [
            10.828, 13.816, 16.266, 18.467, 20.515, 22.458, 24.322, 26.124, 27.877, 29.588,
        ];
        if (1..=10).contains(&df) {
            return TABLE[df - 1];
        }
        let d = df as f64;
        let z = 3.090_232_306_167_813;
        let h = 2.0 / (9.0 * d);
        d * (1.0 - h + z * h.sqrt()).powi(3)
    }

    /// Pools consecutive cells (in k order) so that every pooled cell has
    /// expected count >= 5 under `probs` with `total` draws; a short last
    /// run joins the previous cell. Returns the cell index of every k.
    fn pool_cells(probs: &[f64], total: f64) -> (Vec<usize>, usize) {
        let mut cell_of = vec![0; probs.len()];
        let mut cells: usize = 0;
        let mut acc = 0.0;
        let mut open: Vec<usize> = Vec::new();
        for (k, &pk) in probs.iter().enumerate() {
            acc += pk * total;
            open.push(k);
            if acc >= 5.0 {
                for &j in &open {
                    cell_of[j] = cells;
                }
                cells += 1;
                acc = 0.0;
                open.clear();
            }
        }
        for &j in &open {
            cell_of[j] = cells.saturating_sub(1);
        }
        (cell_of, cells.max(1))
    }

    /// Counts of the values drawn, clipped into 0..len-1.
    fn histogram(len: usize, draws: impl Iterator<Item = u32>) -> Vec<f64> {
        let mut h = vec![0.0; len];
        for x in draws {
            h[(x as usize).min(len - 1)] += 1.0;
        }
        h
    }

    /// Chi-square goodness of fit of `counts` against `probs`; returns the
    /// statistic, the degrees of freedom and the 0.001 critical value.
    fn chi2_gof(probs: &[f64], counts: &[f64]) -> (f64, usize, f64) {
        let total: f64 = counts.iter().sum();
        let (cell_of, cells) = pool_cells(probs, total);
        let mut expected = vec![0.0; cells];
        let mut observed = vec![0.0; cells];
        for k in 0..probs.len() {
            expected[cell_of[k]] += probs[k] * total;
            observed[cell_of[k]] += counts[k];
        }
        let stat: f64 = observed
            .iter()
            .zip(&expected)
            .map(|(o, e)| (o - e) * (o - e) / e)
            .sum();
        let df = cells - 1;
        (stat, df, chi2_crit_001(df))
    }

    /// Two-sample chi-square for two equal-size samples, cells pooled by the
    /// exact pmf: sum (a - b)^2 / (a + b), chi-square with cells - 1 df.
    fn chi2_two_sample(probs: &[f64], a: &[f64], b: &[f64]) -> (f64, usize, f64) {
        let total: f64 = a.iter().sum();
        assert_eq!(total, b.iter().sum::<f64>());
        let (cell_of, cells) = pool_cells(probs, total);
        let mut ca = vec![0.0; cells];
        let mut cb = vec![0.0; cells];
        for k in 0..probs.len() {
            ca[cell_of[k]] += a[k];
            cb[cell_of[k]] += b[k];
        }
        let stat: f64 = ca
            .iter()
            .zip(&cb)
            .filter(|(x, y)| **x + **y > 0.0)
            .map(|(x, y)| (x - y) * (x - y) / (x + y))
            .sum();
        let df = cells - 1;
        (stat, df, chi2_crit_001(df))
    }

    const GRID_N: [u32; 7] = [1, 5, 40, 64, 65, 300, 5000];
    const GRID_P: [f64; 8] = [0.002, 0.015, 0.08, 1.0 / 9.0, 1.0 / 3.0, 0.3, 0.7, 0.97];

    /// (n, p) on both sides of every switch of [`Binomial`], with the method
    /// it must pick (SEQUENTIAL_MAX_MEAN = 10, MODAL_MAX_VARIANCE = 120,
    /// TABLE_N = 4096), including p > 1/2.
    const SWITCH_CASES: [(u32, f64, Method); 24] = [
        (1, 0.3, Method::Sequential),
        (7, 0.9, Method::Sequential), // fewer trials than the branch-free block
        (64, 0.002, Method::Sequential),
        (33, 0.3, Method::Sequential), // mean 9.9
        (34, 0.3, Method::Modal),      // mean 10.2
        (64, 0.3, Method::Modal),
        (65, 0.3, Method::Modal),      // mean 19.5
        (65, 0.1, Method::Sequential), // mean 6.5
        (65, 0.002, Method::Sequential),
        (333, 0.03, Method::Sequential), // mean 9.99
        (334, 0.03, Method::Modal),      // mean 10.02
        (334, 0.97, Method::Modal),      // the same, flipped
        (101, 0.1, Method::Modal),       // mean 10.1
        (99, 0.1, Method::Sequential),   // mean 9.9
        (479, 0.5, Method::Modal),       // variance 119.75, mode 239
        (480, 0.5, Method::Btrd),        // variance 120
        (4095, 0.02, Method::Modal),     // variance 80.3
        (4096, 0.02, Method::Btrd),      // no tables from 4096
        (4095, 0.98, Method::Modal),
        (4999, 0.002, Method::Sequential), // mean 9.998, q^-n by exp
        (5100, 0.002, Method::Btrd),       // mean 10.2
        (5100, 0.998, Method::Btrd),
        (20_000, 0.5, Method::Btrd),
        (20_000, 0.03, Method::Btrd),
    ];

    fn check_gof(
        name: &str,
        n: u32,
        p: f64,
        draws: usize,
        seed: u64,
        mut sample: impl FnMut(&mut Xoshiro256PlusPlus) -> u32,
    ) {
        let probs = binomial_pmf(n, p);
        let mut r = rng(seed);
        let counts = histogram(probs.len(), (0..draws).map(|_| sample(&mut r)));
        let (stat, df, crit) = chi2_gof(&probs, &counts);
        println!("{name} n={n} p={p:.4}: chi2 = {stat:.2}, df = {df}, crit(0.001) = {crit:.2}");
        assert!(df >= 1, "{name} n={n} p={p}: too few cells");
        assert!(
            stat < crit,
            "{name} n={n} p={p}: chi2 {stat} >= {crit} (df {df})"
        );
    }

    fn check_binomial_gof(n: u32, p: f64, draws: usize, seed: u64) {
        let b = Binomial::new(p);
        check_gof("Binomial", n, p, draws, seed, |r| b.sample(r, n));
    }

    #[test]
    fn binomial_chi_square_grid() {
        let mut seed = 1;
        for &n in &GRID_N {
            for &p in &GRID_P {
                check_binomial_gof(n, p, 20_000, seed);
                check_gof("binomial", n, p, 20_000, seed + 5000, |r| binomial(r, n, p));
                seed += 1;
            }
        }
    }

    #[test]
    fn binomial_switch_points() {
        let mut seed = 100;
        for (n, p, method) in SWITCH_CASES {
            let b = Binomial::new(p);
            assert_eq!(b.method(n), method, "n={n} p={p}");
            check_binomial_gof(n, p, 20_000, seed);
            seed += 1;
        }
        // The free function's switch: inversion below mean 14, BTRD from 14.
        for (n, p) in [
            (1, 0.3),
            (46, 0.3),
            (47, 0.3),
            (466, 0.03),
            (467, 0.03),
            (467, 0.97),
        ] {
            check_gof("binomial", n, p, 20_000, seed, |r| binomial(r, n, p));
            seed += 1;
        }
    }

    /// Heavier version: 2 million draws per case (run with --release).
    #[test]
    #[ignore]
    fn binomial_chi_square_grid_heavy() {
        let mut seed = 1000;
        let mut cases: Vec<(u32, f64)> = Vec::new();
        for &n in &GRID_N {
            for &p in &GRID_P {
                cases.push((n, p));
            }
        }
        cases.extend(SWITCH_CASES.map(|(n, p, _)| (n, p)));
        for &(mean, p) in &[
            (10.0, 0.5),
            (16.0, 0.1),
            (25.0, 0.2),
            (60.0, 0.03),
            (200.0, 0.4),
        ] {
            cases.push(((mean / p) as u32, p));
        }
        for (n, p) in cases {
            check_binomial_gof(n, p, 2_000_000, seed);
            seed += 1;
        }
    }

    #[test]
    fn binomial_matches_rand_distr_two_sample() {
        let mut seed = 500;
        let draws = 20_000;
        for &n in &GRID_N {
            for &p in &GRID_P {
                let probs = binomial_pmf(n, p);
                let b = Binomial::new(p);
                let mut r = rng(seed);
                let ours = histogram(probs.len(), (0..draws).map(|_| b.sample(&mut r, n)));
                let reference = rand_distr::Binomial::new(u64::from(n), p).unwrap();
                let theirs = histogram(
                    probs.len(),
                    (0..draws).map(|_| reference.sample(&mut r) as u32),
                );
                let (stat, df, crit) = chi2_two_sample(&probs, &ours, &theirs);
                println!(
                    "two-sample n={n} p={p:.4}: chi2 = {stat:.2}, df = {df}, crit = {crit:.2}"
                );
                assert!(stat < crit, "n={n} p={p}: chi2 {stat} >= {crit} (df {df})");
                seed += 1;
            }
        }
    }

    /// Each method on its own, including (n, p) where the dispatcher would
    /// not pick it, so a moved switch point stays covered: tiny and large
    /// means, a mode at 0 or n/2, one side of the modal walk ending early.
    #[test]
    fn each_binomial_method_chi_square() {
        type Method = fn(&mut Xoshiro256PlusPlus, u32, f64) -> u32;
        let table_seq: Method = |r, n, p| {
            let b = Binomial::new(p);
            sequential(r, n, b.s, b.q_pow_inv(n))
        };
        let exp_seq: Method =
            |r, n, p| sequential(r, n, p / (1.0 - p), (-f64::from(n) * (-p).ln_1p()).exp());
        let modal: Method = |r, n, p| Binomial::new(p).modal(r, n);
        let btrd: Method = |r, n, p| Btrd::new(n, p).sample(r);
        let cases: [(&str, Method, u32, f64); 33] = [
            // Fewer trials than the branch-free block, and means where many
            // draws walk on past it.
            ("sequential", table_seq, 1, 0.5),
            ("sequential", table_seq, 3, 0.5),
            ("sequential", table_seq, 7, 0.3),
            ("sequential", table_seq, 8, 0.45),
            ("sequential", table_seq, 33, 0.015),
            ("sequential", table_seq, 20, 0.45),
            ("sequential", table_seq, 64, 0.1),
            ("sequential", table_seq, 200, 0.045),
            ("sequential exp", exp_seq, 5, 0.2),
            ("sequential", table_seq, 40, 0.5),
            ("sequential", table_seq, 65, 0.1),
            ("sequential", table_seq, 100, 0.3),
            ("sequential", table_seq, 300, 0.015),
            ("sequential", table_seq, 4095, 0.002),
            ("sequential exp", exp_seq, 5000, 0.002),
            ("sequential exp", exp_seq, 100_000, 0.000_05),
            ("modal", modal, 1, 0.5),
            ("modal", modal, 2, 0.5),
            ("modal", modal, 3, 0.3),
            ("modal", modal, 20, 0.5),
            ("modal", modal, 100, 0.015),
            ("modal", modal, 200, 0.002),
            ("modal", modal, 100, 0.3),
            ("modal", modal, 479, 0.5),
            ("modal", modal, 500, 0.45),
            ("modal", modal, 1000, 0.1),
            ("modal", modal, 4095, 0.02),
            ("modal", modal, 4095, 0.029),
            ("btrd", btrd, 20, 0.5),
            ("btrd", btrd, 100, 0.1),
            ("btrd", btrd, 1000, 0.015),
            ("btrd", btrd, 5000, 0.3),
            ("btrd", btrd, 20_000, 0.5),
        ];
        for (i, (name, method, n, p)) in cases.into_iter().enumerate() {
            check_gof(name, n, p, 20_000, 300 + i as u64, |r| method(r, n, p));
        }
    }

    /// The exact probability of each column outcome of a row of a
    /// [`TabledBinomial`], from its thresholds and aliases (in units of the
    /// row's total, `columns 2^64`).
    fn alias_masses(t: &TabledBinomial, n: u32) -> Vec<f64> {
        let row = t.rows[n as usize];
        let columns = row.width as usize + 2;
        let mut mass = vec![0u128; columns];
        for c in 0..columns {
            let i = row.start as usize + c;
            let alias = (t.columns[i] as u16) as usize;
            let threshold = (t.columns[i] >> 32) << 32 | u64::from(t.threshold_lows[i]);
            let keep = if alias == c {
                1u128 << 64
            } else {
                u128::from(threshold)
            };
            mass[c] += keep;
            mass[alias] += (1u128 << 64) - keep;
        }
        let total = (columns as f64) * 18_446_744_073_709_551_616.0;
        mass.iter().map(|&m| m as f64 / total).collect()
    }

    /// Every row's alias table gives each window value its pmf and each tail
    /// its total mass, to within 4e-13 n relative (the reference pmf sums
    /// three log-factorials, each within about 1e-13 n) plus 2^-64 absolute
    /// (heights are whole units of 2^-64 of a column), for n = 1..=300 and a
    /// spread of larger n.
    #[test]
    fn tabled_binomial_tables_hold_the_exact_pmf() {
        for p in [1.0 / 3.0, 1.0 / 9.0] {
            let t = TabledBinomial::new(p, 2048);
            for n in (1..=300).chain([511, 512, 1000, 1777, 2048]) {
                let pmf = binomial_pmf(n, p);
                let row = t.rows[n as usize];
                let masses = alias_masses(&t, n);
                let (lo, width) = (row.lo as usize, row.width as usize);
                let expected = pmf[lo..lo + width]
                    .iter()
                    .chain([&pmf[..lo].iter().sum(), &pmf[lo + width..].iter().sum()])
                    .copied()
                    .collect::<Vec<f64>>();
                for (k, (got, want)) in masses.iter().zip(&expected).enumerate() {
                    let error = (got - want).abs();
                    assert!(
                        error <= 4e-13 * f64::from(n) * want + 2f64.powi(-64),
                        "p={p} n={n} column {k}: {got:e} vs {want:e}"
                    );
                }
                // Tails exist beyond the window only past about 5.8 sd.
                if lo > 0 {
                    assert!(expected[width] < 1e-6, "p={p} n={n}");
                }
            }
        }
    }

    /// Draws against the exact pmf, inside and above the tables' bound
    /// (2048: the fallback), chi-square at the 0.001 level with fixed seeds.
    #[test]
    fn tabled_binomial_chi_square() {
        let mut seed = 700;
        for p in [1.0 / 3.0, 1.0 / 9.0] {
            let t = TabledBinomial::new(p, 2048);
            for n in [1, 2, 3, 9, 40, 64, 65, 300, 2048, 2049, 5000] {
                check_gof("tabled", n, p, 20_000, seed, |r| t.sample(r, n));
                seed += 1;
            }
        }
    }

    /// Replays given 64-bit numbers, then repeats the last: steers a draw
    /// into a chosen column of an alias table.
    struct Steered(Vec<u64>, usize);

    impl rand::TryRng for Steered {
        type Error = std::convert::Infallible;
        fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
            Ok((self.try_next_u64()? >> 32) as u32)
        }
        fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
            let v = self.0[self.1.min(self.0.len() - 1)];
            self.1 += 1;
            Ok(v)
        }
        fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
            for b in dst {
                *b = self.try_next_u64()? as u8;
            }
            Ok(())
        }
    }

    /// A draw that lands in a tail column, through `sample` itself, comes
    /// from that tail: column `width` below the window, `width + 1` above
    /// (the columns swapped would give values on the wrong side).
    #[test]
    fn tail_columns_draw_from_their_own_side() {
        let t = TabledBinomial::new(1.0 / 3.0, 2048);
        for n in [300, 2048] {
            let row = t.rows[n as usize];
            let (lo, width) = (u32::from(row.lo), u64::from(row.width));
            assert!(lo > 0, "n = {n} has a left tail");
            for (column, below) in [(width, true), (width + 1, false)] {
                // The smallest u whose column is `column`: its position in
                // the column is below `width + 2`, under the tail's own
                // threshold (a mass near 1e-6 of a column, far above that).
                let u = ((u128::from(column) << 64).div_ceil(u128::from(width + 2))) as u64;
                let k = t.sample(&mut Steered(vec![u, 1 << 62], 0), n);
                if below {
                    assert!(k < lo, "n = {n}: {k} from the left tail column");
                } else {
                    assert!(
                        k > lo + row.width as u32 - 1,
                        "n = {n}: {k} from the right tail column"
                    );
                }
            }
        }
    }

    /// The tails, which the draws above almost never reach (mass below
    /// 1e-6): draws conditional on each tail against the pmf restricted to
    /// it, chi-square at the 0.001 level with fixed seeds.
    #[test]
    fn tabled_binomial_tails_chi_square() {
        let mut seed = 800;
        for p in [1.0 / 3.0, 1.0 / 9.0] {
            let t = TabledBinomial::new(p, 2048);
            for (n, sides) in [
                (60, &[false][..]),
                (300, &[true, false]),
                (2048, &[true, false]),
            ] {
                let row = t.rows[n as usize];
                let (lo, hi) = (u32::from(row.lo), u32::from(row.lo + row.width) - 1);
                for &left in sides {
                    let pmf = binomial_pmf(n, p);
                    let conditional: Vec<f64> = pmf
                        .iter()
                        .enumerate()
                        .map(|(k, &x)| {
                            let inside = if left { (k as u32) < lo } else { k as u32 > hi };
                            if inside { x } else { 0.0 }
                        })
                        .collect();
                    let mass: f64 = conditional.iter().sum();
                    assert!(mass > 0.0, "p={p} n={n}: an empty tail");
                    let conditional: Vec<f64> = conditional.iter().map(|x| x / mass).collect();
                    let mut r = rng(seed);
                    seed += 1;
                    let counts = histogram(
                        conditional.len(),
                        (0..20_000).map(|_| t.tail(&mut r, n, &row, left)),
                    );
                    let (stat, df, crit) = chi2_gof(&conditional, &counts);
                    println!("tail p={p:.4} n={n} left={left}: chi2 = {stat:.2}, df = {df}");
                    assert!(
                        df >= 1 && stat < crit,
                        "p={p} n={n} left={left}: {stat} >= {crit}"
                    );
                }
            }
        }
    }

    #[test]
    fn edge_cases() {
        let mut r = rng(7);
        let ns = [0, 1, 7, 64, 65, 300, 4095, 4096, 100_000, u32::MAX];
        let zero = Binomial::new(0.0);
        let one = Binomial::new(1.0);
        let half = Binomial::new(0.5);
        for _ in 0..20 {
            for n in ns {
                assert_eq!(zero.sample(&mut r, n), 0);
                assert_eq!(one.sample(&mut r, n), n);
                assert_eq!(binomial(&mut r, n, 0.0), 0);
                assert_eq!(binomial(&mut r, n, 1.0), n);
                assert!(half.sample(&mut r, n) <= n);
                assert!(binomial(&mut r, n, 0.5) <= n);
            }
            for p in [0.002, 0.3, 0.97] {
                assert_eq!(Binomial::new(p).sample(&mut r, 0), 0);
                assert_eq!(binomial(&mut r, 0, p), 0);
            }
            assert_eq!(poisson(&mut r, 0.0), 0);
            assert!(!bernoulli(&mut r, 0.0));
            assert!(bernoulli(&mut r, 1.0));
            let u = uniform01(&mut r);
            assert!((0.0..1.0).contains(&u));
        }
        assert_eq!(Binomial::new(0.3).p(), 0.3);
        // Tiny p with a huge n: sequential inversion with exp (mean 4.29).
        for _ in 0..100 {
            for p in [1e-9, 1.0 - 1e-9] {
                let x = Binomial::new(p).sample(&mut r, u32::MAX);
                assert!(x.min(u32::MAX - x) < 60, "p={p}: {x}");
                let x = binomial(&mut r, u32::MAX, p);
                assert!(x.min(u32::MAX - x) < 60, "p={p}: {x}");
            }
        }
        // Probabilities so small that floor(p 2^64) = 0: no lane succeeds.
        assert_eq!(Binomial::new(1e-30).sample(&mut r, 64), 0);
    }

    /// NaN draws nothing in release builds (debug builds assert on it).
    #[cfg(not(debug_assertions))]
    #[test]
    fn nan_probability_gives_zero() {
        let mut r = rng(8);
        for n in [1, 64, 65, 5000] {
            assert_eq!(Binomial::new(f64::NAN).sample(&mut r, n), 0);
            assert_eq!(binomial(&mut r, n, f64::NAN), 0);
        }
    }

    /// Mean of `draws` values of Binomial(n, p) within 6 standard errors,
    /// through both entry points.
    fn check_mean(n: u32, p: f64, draws: u32, seed: u64) {
        let b = Binomial::new(p);
        let expect = f64::from(n) * p;
        let se = (f64::from(n) * p * (1.0 - p) / f64::from(draws)).sqrt();
        for free in [false, true] {
            let mut r = rng(seed);
            let mut sum = 0.0;
            for _ in 0..draws {
                let x = if free {
                    binomial(&mut r, n, p)
                } else {
                    b.sample(&mut r, n)
                };
                assert!(x <= n);
                sum += f64::from(x);
            }
            let mean = sum / f64::from(draws);
            assert!(
                (mean - expect).abs() < 6.0 * se,
                "n={n} p={p} free={free}: mean {mean} vs {expect} (se {se})"
            );
        }
    }

    #[test]
    fn large_n_means() {
        check_mean(1_000_000, 0.3, 2000, 11);
        check_mean(1_000_000, 0.002, 2000, 12);
        check_mean(u32::MAX, 0.3, 2000, 13);
        check_mean(u32::MAX, 0.5, 2000, 14);
        check_mean(u32::MAX, 0.999, 2000, 15);
        check_mean(20_000, 1.0 / 9.0, 2000, 16);
        check_mean(u32::MAX, 2e-9, 2000, 17);
    }

    /// The factorial table: exact (to the rounding of one f64) where k! fits
    /// in a u128, and against the log-factorial sums up to 4095.
    #[test]
    fn factorial_table() {
        let facts = factorials();
        let mut exact: u128 = 1;
        for (k, &f) in facts.iter().enumerate().take(35) {
            if k > 1 {
                exact *= k as u128;
            }
            assert!((1.0..2.0).contains(&f.mant), "k={k}");
            let value = f.mant * 2f64.powi(f.exp2);
            let err = (value - exact as f64).abs() / exact as f64;
            assert!(err <= f64::EPSILON, "k={k}: {value} vs {exact}");
            assert!((f.inv_mant * f.mant - 1.0).abs() <= f64::EPSILON);
        }
        let lf = ln_factorials(TABLE_N - 1);
        for (k, f) in facts.iter().enumerate() {
            let ln = f.mant.ln() + f64::from(f.exp2) * std::f64::consts::LN_2;
            // The running sum's own error is up to about 1e-13 k.
            assert!(
                (ln - lf[k]).abs() < 1e-13 * (1.0 + k as f64),
                "k={k}: {ln} vs {}",
                lf[k]
            );
        }
    }

    /// 1 / pmf(m) from the tables against exact values: p = 1/2, 1/4, 1/8
    /// make pmf(m) = C(n, m) (2^j - 1)^(n - m) / 2^(j n), exact in u128.
    #[test]
    fn modal_scale_exact_for_dyadic_p() {
        for (j, n_max) in [(1u32, 120u32), (2, 60), (3, 40)] {
            let p = 0.5f64.powi(j as i32);
            let b = Binomial::new(p);
            for n in 1..=n_max {
                let (m, scale) = b.modal_start(n);
                assert!(m <= n);
                let mut c: u128 = 1;
                for i in 0..m {
                    c = c * u128::from(n - i) / u128::from(i + 1);
                }
                let num = c * u128::from((1u32 << j) - 1).pow(n - m);
                // 1 / pmf(m) = 2^(j n) / num.
                let exact = 2f64.powi((j * n) as i32) / num as f64;
                let err = (scale - exact).abs() / exact;
                assert!(
                    err < 1e-14,
                    "p={p} n={n} m={m}: {scale} vs {exact} ({err:e})"
                );
            }
        }
    }

    /// Over the whole modal range of the switch rule (n < 4096, n p >= 10,
    /// n p q < 120; every n for each p given, p > 1/2 through the flip):
    /// 1 / pmf(m) is finite and its log within 1e-10 of the log-factorial
    /// reference (whose own error is up to about 1e-13 n), the power of two
    /// (about 1 / C(n, m)) is above 2^-800, the start m is the mode or one
    /// below, and m < 256. Also q^-n for every n < 4096 against
    /// exp(-n ln_1p(-p)), where that is below 1e300. Returns the largest
    /// errors of both.
    fn scan_tables(ps: &[f64]) -> (f64, f64) {
        let lf = ln_factorials(TABLE_N - 1);
        let (mut worst_scale, mut worst_q) = (0.0f64, 0.0f64);
        for &p in ps {
            let b = Binomial::new(p);
            let pl = p.min(1.0 - p);
            let (ln_p, ln_q) = (pl.ln(), (-pl).ln_1p());
            for n in 1..TABLE_N as u32 {
                let reference = (-f64::from(n) * ln_q).exp();
                if reference < 1e300 {
                    let err = (b.q_pow_inv(n) - reference).abs() / reference;
                    worst_q = worst_q.max(err);
                }
                if b.method(n) != Method::Modal {
                    continue;
                }
                let (m, scale) = b.modal_start(n);
                let facts = factorials();
                let exp2 =
                    facts[m as usize].exp2 + facts[(n - m) as usize].exp2 - facts[n as usize].exp2;
                assert!(exp2 > -800, "p={p} n={n}: 2^{exp2}");
                let mode = ((f64::from(n) + 1.0) * pl).floor() as u32;
                assert!(
                    m == mode || m + 1 == mode,
                    "p={p} n={n}: m {m}, mode {mode}"
                );
                assert!(m < 256);
                assert!(scale.is_finite() && scale >= 1.0, "p={p} n={n}: {scale}");
                let (nu, mu) = (n as usize, m as usize);
                let ln_ref =
                    lf[mu] + lf[nu - mu] - lf[nu] - f64::from(m) * ln_p - f64::from(n - m) * ln_q;
                let err = (scale.ln() - ln_ref).abs();
                worst_scale = worst_scale.max(err);
                assert!(
                    err < 1e-10,
                    "p={p} n={n}: ln scale {} vs {ln_ref}",
                    scale.ln()
                );
            }
        }
        (worst_scale, worst_q)
    }

    #[test]
    fn table_scales_are_accurate() {
        let ps: Vec<f64> = (1..=40)
            .map(|i| 0.5 * (f64::from(i) / 40.0).powi(2))
            .chain([0.97, 1.0 / 3.0, 1.0 / 9.0, 0.015])
            .collect();
        let (scale, q) = scan_tables(&ps);
        println!("worst: ln(1 / pmf(m)) {scale:e}, q^-n relative {q:e}");
        // q^-n: six entries, each a product of at most 3 factors of a base
        // accurate to a few ulps plus |4^i ln q| ulps; the reference
        // exp(-n ln_1p(-p)) itself carries |n ln q| ulps (up to 690 here).
        assert!(q < 1e-12, "q^-n relative error {q:e}");
    }

    /// Denser: 2000 values of p (run with --release, ~10 s).
    #[test]
    #[ignore]
    fn table_scales_dense_scan() {
        let ps: Vec<f64> = (1..=2000)
            .map(|i| 0.5 * (f64::from(i) / 2000.0).powi(2))
            .collect();
        let (scale, q) = scan_tables(&ps);
        println!("worst: ln(1 / pmf(m)) {scale:e}, q^-n relative {q:e}");
        assert!(q < 1e-12, "q^-n relative error {q:e}");
    }

    #[test]
    fn poisson_chi_square() {
        for (i, &lambda) in [0.01, 0.125, 0.5, 3.0, 12.0, 15.9, 16.0, 40.0]
            .iter()
            .enumerate()
        {
            let probs = poisson_pmf(lambda);
            let mut r = rng(900 + i as u64);
            let counts = histogram(probs.len(), (0..20_000).map(|_| poisson(&mut r, lambda)));
            let (stat, df, crit) = chi2_gof(&probs, &counts);
            println!("poisson lambda={lambda}: chi2 = {stat:.2}, df = {df}, crit = {crit:.2}");
            assert!(df >= 1);
            assert!(
                stat < crit,
                "lambda={lambda}: chi2 {stat} >= {crit} (df {df})"
            );
        }
    }

    #[test]
    fn bernoulli_frequency() {
        let mut r = rng(21);
        let draws = 200_000;
        for &p in &[0.002, 0.3, 0.5] {
            let hits = (0..draws).filter(|_| bernoulli(&mut r, p)).count() as f64;
            let se = (draws as f64 * p * (1.0 - p)).sqrt();
            assert!((hits - draws as f64 * p).abs() < 6.0 * se, "p={p}: {hits}");
        }
    }

    #[test]
    fn stirling_correction_matches_log_factorials() {
        let lf = ln_factorials(200);
        let half_ln_2pi = 0.5 * (2.0 * std::f64::consts::PI).ln();
        for k in 0..=200u32 {
            let kf = f64::from(k);
            let exact = lf[k as usize] - ((kf + 0.5) * (kf + 1.0).ln() - (kf + 1.0) + half_ln_2pi);
            let err = (stirling_correction(k) - exact).abs();
            // Table entries to rounding; the series to its truncation bound.
            let tol = if k < 10 { 1e-13 } else { 3.1e-11 };
            assert!(err < tol, "k={k}: {} vs {exact}", stirling_correction(k));
        }
    }

    /// Checks, k by k, the three facts BTRD's exactness rests on for one
    /// (n, p): (A) the hat dominates, f(k)/f(m) <= alpha / H'(u) on the whole
    /// u-interval mapped to k; (B) the box |u| <= 0.43, v <= v_r lies under
    /// the pmf and maps into [0, n]; (C) where the squeeze is used
    /// (15 < |k - m| < npq/2 - 1) it brackets ln f(k)/f(m); and also that
    /// `ln_pmf_ratio` is the exact log-ratio. Returns the smallest margins
    /// of (A) and (B) in log units.
    fn check_btrd_conditions(n: u32, p: f64, lf: &[f64]) -> (f64, f64) {
        let bt = Btrd::new(n, p);
        let (a, b, c) = (bt.a, bt.b, bt.c);
        let ln_f = |k: u32| {
            let k = k as usize;
            let n = n as usize;
            lf[n] - lf[k] - lf[n - k] + k as f64 * p.ln() + (n - k) as f64 * (-p).ln_1p()
        };
        let ln_fm = ln_f(bt.m);
        // H^{-1}(x): the root of b u^2 - (2a + b/2 + y) u + y/2 = 0 in
        // [0, 1/2) for y = |x - c|, in its cancellation-free form.
        let hinv = |x: f64| {
            let y = (x - c).abs();
            let bb = 2.0 * a + 0.5 * b + y;
            let u = y / (bb + (bb * bb - 2.0 * b * y).sqrt());
            if x >= c { u } else { -u }
        };
        let dh = |u: f64| {
            let us = 0.5 - u.abs();
            a / (us * us) + b
        };
        assert!(a > 0.0 && b > 0.0, "H must be increasing");
        // (B) part 1: the box maps into [0, n].
        let lo = bt.hat(-0.43, 0.07).floor();
        let hi = bt.hat(0.43, 0.07).floor();
        assert!(
            lo >= 0.0 && hi <= f64::from(n),
            "n={n} p={p}: box maps to [{lo}, {hi}]"
        );
        let mut min_a = f64::INFINITY;
        let mut min_b = f64::INFINITY;
        for k in 0..=n {
            let (u0, u1) = (hinv(f64::from(k)), hinv(f64::from(k) + 1.0));
            let x0 = bt.hat(u0, 0.5 - u0.abs());
            assert!(
                (x0 - f64::from(k)).abs() < 1e-6 * (1.0 + x0.abs()),
                "H^-1 wrong"
            );
            let lr = ln_f(k) - ln_fm;
            // (A): H' is largest at the end of [u0, u1] farthest from 0.
            let u_far = if u0.abs() > u1.abs() { u0 } else { u1 };
            min_a = min_a.min((bt.alpha / dh(u_far)).ln() - lr);
            // (B): within |u| <= 0.43, H' is smallest nearest to 0.
            if u1 > -0.43 && u0 < 0.43 {
                let u_near = if u0 <= 0.0 && u1 >= 0.0 {
                    0.0
                } else if u0 > 0.0 {
                    u0
                } else {
                    u1
                };
                min_b = min_b.min(lr - (bt.v_r * bt.alpha / dh(u_near)).ln());
            }
            let km = f64::from(k.abs_diff(bt.m));
            if km > 15.0 {
                // Exact log-ratio used by step 3.4 (the reference's running
                // sums lose up to about 1e-13 n in absolute terms).
                let err = (bt.ln_pmf_ratio(k) - lr).abs();
                assert!(
                    err < 1e-8 * (1.0 + lr.abs()) + 1e-13 * f64::from(n),
                    "n={n} p={p} k={k}: err {err}"
                );
                // (C): the squeeze, where it is used.
                if km < 0.5 * bt.npq - 1.0 {
                    let npq = bt.npq;
                    let rho = (km / npq) * (((km / 3.0 + 0.625) * km + 1.0 / 6.0) / npq + 0.5);
                    let t = -km * km / (2.0 * npq);
                    assert!(
                        t - rho <= lr + 1e-9 && lr <= t + rho + 1e-9,
                        "n={n} p={p} k={k}: squeeze [{}, {}] misses {lr}",
                        t - rho,
                        t + rho
                    );
                }
            }
        }
        assert!(min_a > -1e-9, "n={n} p={p}: hat below the pmf by {min_a}");
        assert!(min_b > -1e-9, "n={n} p={p}: box above the pmf by {min_b}");
        (min_a, min_b)
    }

    #[test]
    fn btrd_hat_box_and_squeeze_are_valid() {
        let lf = ln_factorials(20_000);
        let mut worst = (f64::INFINITY, f64::INFINITY);
        let ps = [
            0.5,
            0.45,
            0.4,
            1.0 / 3.0,
            0.3,
            0.25,
            0.2,
            1.0 / 9.0,
            0.1,
            0.08,
            0.05,
            0.03,
            0.015,
            0.005,
            0.002,
            0.001,
        ];
        for &p in &ps {
            // Means from Hörmann's limit 10 upward (the sampler uses BTRD
            // from INVERSION_MAX_MEAN = 14), densely near it.
            let nmin = (10.0_f64 / p).ceil() as u32;
            let mut ns: Vec<u32> = (0..12).map(|i| nmin + i).collect();
            ns.extend([2 * nmin, 5 * nmin, 17 * nmin, 20_000]);
            for n in ns
                .into_iter()
                .filter(|&n| n <= 20_000 && f64::from(n) * p >= 10.0)
            {
                let (ma, mb) = check_btrd_conditions(n, p, &lf);
                worst = (worst.0.min(ma), worst.1.min(mb));
            }
        }
        println!(
            "smallest log margins: hat {:.4}, box {:.4}",
            worst.0, worst.1
        );
    }

    /// Dense version of the check above: 500 values of p in (0, 1/2], every
    /// n from 10 / p up to 40 past it, then n growing by 4 % to 20,000, plus
    /// a few n = 10^6. About 76,000 (n, p); run with --release (~15 s).
    #[test]
    #[ignore]
    fn btrd_conditions_dense_scan() {
        let lf = ln_factorials(1_000_000);
        let mut worst_hat = (f64::INFINITY, 0, 0.0);
        let mut worst_box = (f64::INFINITY, 0, 0.0);
        let mut cases = 0;
        let mut check = |n: u32, p: f64| {
            let (a, b) = check_btrd_conditions(n, p, &lf);
            cases += 1;
            if a < worst_hat.0 {
                worst_hat = (a, n, p);
            }
            if b < worst_box.0 {
                worst_box = (b, n, p);
            }
        };
        for i in 1..=500 {
            let p = 0.5 * (f64::from(i) / 500.0).powi(2);
            let nmin = (10.0 / p).ceil() as u32;
            let mut n = nmin;
            while n <= 20_000 {
                check(n, p);
                n = if n < nmin + 40 { n + 1 } else { n + 1 + n / 25 };
            }
        }
        for p in [0.5, 0.3, 1.0 / 9.0, 0.03, 0.002] {
            check(1_000_000, p);
        }
        println!(
            "{cases} cases; smallest log margins (margin, n, p): hat {worst_hat:?}, box {worst_box:?}"
        );
    }
}
