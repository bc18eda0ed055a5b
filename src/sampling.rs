//! Exact, allocation-free samplers for the discrete distributions the
//! workforce model draws every simulated month.
//!
//! The model draws `Binomial(n, p)` with `n` and `p` that change on every
//! call, so the set-up cost of a distribution object would be paid on every
//! draw. The functions here take `(n, p)` directly and keep that set-up small.
//!
//! # Binomial: method and switch rule
//!
//! [`binomial`] first uses the symmetry `Binomial(n, p) = n - Binomial(n, 1 - p)`
//! so that the working `p` is at most 1/2 (for `p > 1/2`, `1 - p` is computed
//! without rounding), then picks one of three methods by `n` and the mean
//! `n p` (`p` here is `min(p, 1 - p)`):
//!
//! 1. `n <= 40` and `n < 12 + 14 n p`: **count** `n` Bernoulli trials, each
//!    `next_u64() < floor(p 2^64)`. Exact by definition, with a success
//!    probability within 2^-64 of `p`. About 1.1 ns per trial, so it wins for
//!    small `n` (all `n <= 10`; up to `n` = 40 when `p` is not small).
//! 2. otherwise, `n p < 14`: **sequential inversion** from `k = 0`. One
//!    uniform `u` (53 bits, [`uniform01`]) is compared with the running cdf:
//!    `pmf(0) = q^n`, computed as `exp(n ln_1p(-p))` (a few ulps even for
//!    tiny `p`), and `pmf(k+1) = pmf(k) ((n + 1) s / (k + 1) - s)` with
//!    `s = p / q`; the draw is the smallest `k` with `u < F(k)`. This is the
//!    inverse-cdf method, exact up to the rounding of the pmf terms
//!    (relative error around 1e-14). If rounding leaves the computed total
//!    mass short of `u` (the walk reaches `k = n`, or the pmf underflows to
//!    0), the draw is discarded and redone with a fresh `u`, so the result is
//!    the computed pmf renormalised, never a silently wrong tail value.
//!    Cost: one `exp`, one `ln_1p`, and `n p + 1` steps of the walk.
//! 3. `n p >= 14`: **BTRD**, the transformed rejection method with
//!    decomposition of W. Hörmann, "The generation of binomial random
//!    variates", J. Statist. Comput. Simul. 46 (1993) 101-110. A uniform `U`
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
//! The switch points were chosen by measurement (per draw, with `n` and `p`
//! changing): counting costs about 1.1 `n` ns; inversion about 12 ns plus a
//! few ns per unit of mean; BTRD 45-55 ns for means 14-30, falling to under
//! 30 ns for means in the thousands. Inversion and BTRD cross between means
//! 12 and 20 depending on `p`; 14 is in the middle. Building
//! `rand_distr::Binomial` per draw costs 1.3 to 2 times as much as this
//! function wherever the mean is 10 or more, and more for small `n`.
//!
//! # Poisson
//!
//! [`poisson`] uses the same sequential inversion (`pmf(0) = exp(-lambda)`,
//! `pmf(k+1) = pmf(k) lambda / (k + 1)`, same restart guard) for
//! `lambda < 12`, and `rand_distr::Poisson` at and above 12, where that
//! switches to the exact rejection method of Ahrens and Dieter (1982), which
//! measured faster than inversion there.

use rand::Rng;
use rand_distr::Distribution;

/// Up to this many trials (and when `n < 12 + 14 n p`) the binomial counts
/// Bernoulli trials one by one.
const COUNT_MAX_N: u32 = 40;

/// Below this mean `n * min(p, 1 - p)` the binomial uses sequential
/// inversion, at and above it BTRD (which needs a mean of at least 10).
const INVERSION_MAX_MEAN: f64 = 14.0;

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
    if p > 0.5 {
        // Exact subtraction (Sterbenz): 1 - p has no rounding error here.
        n - binomial_low(rng, n, 1.0 - p)
    } else {
        binomial_low(rng, n, p)
    }
}

/// Binomial draws with one fixed probability: whatever depends on `p` alone is
/// worked out once, and each draw supplies its `n`. The model builds one per
/// probability per path (attrition hazards, ageing rates, uptake, ...).
#[derive(Clone, Copy, Debug)]
pub struct Binomial {
    p: f64,
}

impl Binomial {
    /// Prepares draws with probability `p` in [0, 1].
    pub fn new(p: f64) -> Binomial {
        debug_assert!((0.0..=1.0).contains(&p), "binomial: p = {p} is not in [0, 1]");
        Binomial { p }
    }

    /// The probability.
    pub fn p(&self) -> f64 {
        self.p
    }

    /// Draws Binomial(n, p) exactly.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R, n: u32) -> u32 {
        binomial(rng, n, self.p)
    }
}

/// Binomial(n, p) for 0 < p <= 1/2 and n >= 1.
#[inline]
fn binomial_low<R: Rng + ?Sized>(rng: &mut R, n: u32, p: f64) -> u32 {
    let nf = f64::from(n);
    let mean = nf * p;
    if n <= COUNT_MAX_N && nf < 12.0 + 14.0 * mean {
        binomial_count(rng, n, p)
    } else if mean < INVERSION_MAX_MEAN {
        binomial_inversion(rng, n, p)
    } else {
        Btrd::new(n, p).sample(rng)
    }
}

/// Counts successes in n Bernoulli(p) trials, for 0 < p <= 1/2 and small n.
#[inline]
fn binomial_count<R: Rng + ?Sized>(rng: &mut R, n: u32, p: f64) -> u32 {
    // P(next_u64() < t) = t / 2^64 = floor(p 2^64) / 2^64, within 2^-64 of p;
    // p <= 1/2 keeps t below 2^63.
    let t = (p * 18_446_744_073_709_551_616.0) as u64;
    let mut successes = 0;
    for _ in 0..n {
        successes += u32::from(rng.next_u64() < t);
    }
    successes
}

/// Sequential inversion from k = 0, for 0 < p <= 1/2 and a small mean.
fn binomial_inversion<R: Rng + ?Sized>(rng: &mut R, n: u32, p: f64) -> u32 {
    let nf = f64::from(n);
    let q = 1.0 - p;
    let s = p / q;
    let a = (nf + 1.0) * s;
    // q^n, accurate even when p is tiny (1 - p would lose p's low bits).
    let pmf0 = (nf * (-p).ln_1p()).exp();
    'draw: loop {
        let mut u = uniform01(rng);
        let mut pmf = pmf0;
        let mut k = 0u32;
        while u >= pmf {
            u -= pmf;
            if k == n {
                // Rounding left the computed total mass short of u.
                continue 'draw;
            }
            k += 1;
            pmf *= a / f64::from(k) - s;
            if pmf <= 0.0 {
                // The pmf underflowed, far past the mode, so the rest of the
                // tail is negligible, yet u is above the computed total: redraw.
                continue 'draw;
            }
        }
        return k;
    }
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
                return self.hat(u, 0.5 - u.abs()).floor() as u32;
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
            let kf = self.hat(u, us).floor();
            // Also rejects the infinities from us = 0.
            if !(0.0..=nf).contains(&kf) {
                continue;
            }
            let k = kf as u32;
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

/// Draws Poisson(lambda) exactly (lambda >= 0, finite); inversion for small lambda, rand_distr above.
///
/// Results above `u32::MAX` (only for `lambda` near 4e9 or more) saturate.
#[inline]
pub fn poisson<R: Rng + ?Sized>(rng: &mut R, lambda: f64) -> u32 {
    debug_assert!(
        lambda >= 0.0 && lambda.is_finite(),
        "poisson: lambda = {lambda} is not finite and >= 0"
    );
    if lambda.is_nan() || lambda <= 0.0 {
        return 0;
    }
    if lambda < POISSON_INVERSION_MAX_MEAN {
        return poisson_inversion(rng, lambda);
    }
    match rand_distr::Poisson::new(lambda) {
        // `as` saturates at u32::MAX.
        Ok(d) => d.sample(rng) as u32,
        Err(_) => u32::MAX,
    }
}

/// Sequential inversion from k = 0, for 0 < lambda < 12 or so.
fn poisson_inversion<R: Rng + ?Sized>(rng: &mut R, lambda: f64) -> u32 {
    let pmf0 = (-lambda).exp();
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

    const GRID_N: [u32; 5] = [1, 5, 40, 300, 5000];
    const GRID_P: [f64; 8] = [0.002, 0.015, 0.08, 1.0 / 9.0, 1.0 / 3.0, 0.3, 0.7, 0.97];

    /// (n, p) pairs on both sides of the method switches (with
    /// COUNT_MAX_N = 40, n < 12 + 14 n p for counting, and
    /// INVERSION_MAX_MEAN = 14), plus the largest n the model uses.
    const SWITCH_CASES: [(u32, f64); 10] = [
        (12, 0.002),  // count
        (13, 0.002),  // inversion
        (40, 0.3),    // count
        (41, 0.3),    // inversion, mean 12.3
        (46, 0.3),    // inversion, mean 13.8
        (47, 0.3),    // BTRD, mean 14.1
        (933, 0.015), // inversion, mean 13.995
        (934, 0.015), // BTRD, mean 14.01
        (20_000, 0.5),
        (20_000, 0.03),
    ];

    fn check_binomial_gof(n: u32, p: f64, draws: usize, seed: u64) {
        let probs = binomial_pmf(n, p);
        let mut r = rng(seed);
        let counts = histogram(probs.len(), (0..draws).map(|_| binomial(&mut r, n, p)));
        let (stat, df, crit) = chi2_gof(&probs, &counts);
        println!("binomial n={n} p={p:.4}: chi2 = {stat:.2}, df = {df}, crit(0.001) = {crit:.2}");
        assert!(df >= 1, "n={n} p={p}: too few cells");
        assert!(stat < crit, "n={n} p={p}: chi2 {stat} >= {crit} (df {df})");
    }

    #[test]
    fn binomial_chi_square_grid() {
        let mut seed = 1;
        for &n in &GRID_N {
            for &p in &GRID_P {
                check_binomial_gof(n, p, 20_000, seed);
                seed += 1;
            }
        }
        for (n, p) in SWITCH_CASES {
            check_binomial_gof(n, p, 20_000, seed);
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
        cases.extend(SWITCH_CASES);
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
                let mut r = rng(seed);
                let ours = histogram(probs.len(), (0..draws).map(|_| binomial(&mut r, n, p)));
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

    /// Each binomial method on its own, including (n, p) where the
    /// dispatcher would not pick it, so a moved switch point stays covered.
    #[test]
    fn each_binomial_method_chi_square() {
        type Method = fn(&mut Xoshiro256PlusPlus, u32, f64) -> u32;
        let count: Method = |r, n, p| binomial_count(r, n, p);
        let inversion: Method = |r, n, p| binomial_inversion(r, n, p);
        let btrd: Method = |r, n, p| Btrd::new(n, p).sample(r);
        let cases: [(&str, Method, u32, f64); 14] = [
            ("count", count, 1, 0.5),
            ("count", count, 7, 0.3),
            ("count", count, 40, 0.002),
            ("count", count, 64, 0.5),
            ("inversion", inversion, 1, 0.5),
            ("inversion", inversion, 40, 0.5),
            ("inversion", inversion, 300, 0.015),
            ("inversion", inversion, 5000, 0.002),
            ("inversion", inversion, 100, 0.3),
            ("btrd", btrd, 20, 0.5),
            ("btrd", btrd, 100, 0.1),
            ("btrd", btrd, 1000, 0.015),
            ("btrd", btrd, 5000, 0.3),
            ("btrd", btrd, 20_000, 0.5),
        ];
        for (i, (name, method, n, p)) in cases.into_iter().enumerate() {
            let probs = binomial_pmf(n, p);
            let mut r = rng(300 + i as u64);
            let counts = histogram(probs.len(), (0..20_000).map(|_| method(&mut r, n, p)));
            let (stat, df, crit) = chi2_gof(&probs, &counts);
            println!("{name} n={n} p={p}: chi2 = {stat:.2}, df = {df}, crit = {crit:.2}");
            assert!(df >= 1);
            assert!(
                stat < crit,
                "{name} n={n} p={p}: chi2 {stat} >= {crit} (df {df})"
            );
        }
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
    fn edge_cases() {
        let mut r = rng(7);
        for _ in 0..100 {
            assert_eq!(binomial(&mut r, 0, 0.3), 0);
            assert_eq!(binomial(&mut r, 0, 1.0), 0);
            assert_eq!(binomial(&mut r, 1000, 0.0), 0);
            assert_eq!(binomial(&mut r, 1000, 1.0), 1000);
            assert_eq!(binomial(&mut r, u32::MAX, 1.0), u32::MAX);
            assert_eq!(poisson(&mut r, 0.0), 0);
            assert!(binomial(&mut r, 1, 0.5) <= 1);
            assert!(!bernoulli(&mut r, 0.0));
            assert!(bernoulli(&mut r, 1.0));
            let u = uniform01(&mut r);
            assert!((0.0..1.0).contains(&u));
        }
        // Tiny p with a huge n takes the inversion branch (mean 4.29).
        for _ in 0..100 {
            assert!(binomial(&mut r, u32::MAX, 1e-9) < 60);
            assert!(binomial(&mut r, u32::MAX, 1.0 - 1e-9) > u32::MAX - 60);
        }
    }

    /// Mean of `draws` values of Binomial(n, p) within 6 standard errors.
    fn check_mean(n: u32, p: f64, draws: u32, seed: u64) {
        let mut r = rng(seed);
        let mut sum = 0.0;
        for _ in 0..draws {
            let x = binomial(&mut r, n, p);
            assert!(x <= n);
            sum += f64::from(x);
        }
        let mean = sum / f64::from(draws);
        let expect = f64::from(n) * p;
        let se = (f64::from(n) * p * (1.0 - p) / f64::from(draws)).sqrt();
        assert!(
            (mean - expect).abs() < 6.0 * se,
            "n={n} p={p}: mean {mean} vs {expect} (se {se})"
        );
    }

    #[test]
    fn large_n_means() {
        check_mean(1_000_000, 0.3, 2000, 11);
        check_mean(1_000_000, 0.002, 2000, 12);
        check_mean(u32::MAX, 0.3, 2000, 13);
        check_mean(u32::MAX, 0.5, 2000, 14);
        check_mean(u32::MAX, 0.999, 2000, 15);
        check_mean(20_000, 1.0 / 9.0, 2000, 16);
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
