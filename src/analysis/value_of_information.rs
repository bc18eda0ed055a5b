//! The value of information of a decision among options simulated on the
//! same paths (docs/model.md section 7.4).
//!
//! Each option `d` has a net benefit per path, `NB_d`, measured against the
//! base (whose net benefit is 0). Deciding now picks the option of highest
//! mean net benefit. Knowing the inputs `S` first would pick, path by path,
//! the option of highest `E[NB_d | S]`. The expected value of partial perfect
//! information (EVPPI) of `S` is the mean gain of deciding that way; with `S`
//! every uncertain input it is the EVPI. Reports show an estimate below zero
//! as 0 (the files keep it): cross-fitting leans low, the more so the more
//! close options there are to choose among and the fewer paths.
//!
//! `E[NB_d | S]` is estimated by regression on the paths already simulated
//! (Strong, Oakley and Brennan, 2014), so it costs no extra simulation: a
//! least-squares fit on a spline basis of each input's rank (indicators for an
//! input with few values), with pairwise products within a group. Choosing
//! from a fit to the same paths it is judged on would make noise look like
//! information, so the fit is cross-fitted: fitted on the odd paths, it decides
//! the even ones and the other way round. Then an input that changes nothing
//! is worth zero in expectation (slightly less, as noise can only mislead), and
//! the estimate's Monte Carlo error is the standard error of the per-path gains.

use serde::Serialize;

use crate::core::stats::Z95;

/// Pieces of the linear spline of an input's rank.
const SPLINE_PIECES: usize = 4;
/// Inputs with at most this many distinct values get one indicator per value.
const MAX_LEVELS_AS_INDICATORS: usize = 8;
/// Groups larger than this get no pairwise products (their basis would
/// outgrow the paths).
const MAX_INTERACTING_INPUTS: usize = 30;
/// Fitting paths per regression term, at least.
const PATHS_PER_TERM: usize = 20;

/// The value of knowing one input, or a group of inputs, before deciding.
#[derive(Clone, Debug, Serialize)]
pub struct InformationValue {
    /// The input's name, or the group's label.
    pub name: String,
    /// The inputs it covers.
    pub inputs: Vec<String>,
    /// Expected gain in net benefit from deciding after learning it, in MAD.
    pub value_mad: f64,
    /// Its Monte Carlo standard error, in MAD.
    pub standard_error_mad: f64,
}

impl InformationValue {
    /// True when the value is more than twice its standard error above zero.
    pub fn is_clear(&self) -> bool {
        self.value_mad > 2.0 * self.standard_error_mad
    }

    /// Half-width of the 95% interval of the value.
    pub fn halfwidth(&self) -> f64 {
        Z95 * self.standard_error_mad
    }
}

/// One uncertain quantity as the paths drew it: possibly several columns (the
/// same input drawn under different distributions by different options, from
/// the same stream).
#[derive(Clone, Debug)]
pub struct InputColumns {
    /// The input's name.
    pub name: String,
    /// Its values per path, one vector per distinct column.
    pub columns: Vec<Vec<f64>>,
}

/// The EVPPI of the inputs `members` (indices into `inputs`), named `name`,
/// for a decision among options with per-path net benefits `net_benefit`
/// (options x paths, each against the base; the base itself, worth 0 on
/// every path, is always an option and need not be listed).
pub fn evppi(
    name: &str,
    inputs: &[InputColumns],
    members: &[usize],
    net_benefit: &[Vec<f64>],
) -> InformationValue {
    let paths = net_benefit.first().map_or(0, Vec::len);
    let columns: Vec<&[f64]> = members
        .iter()
        .flat_map(|&i| inputs[i].columns.iter().map(Vec::as_slice))
        .collect();
    let basis = Basis::new(&columns, paths);
    let now = best_now(net_benefit);
    let mut gains = vec![0.0; paths];
    for fold in 0..2 {
        let fit_on: Vec<usize> = (0..paths).filter(|p| p % 2 != fold).collect();
        let judge: Vec<usize> = (0..paths).filter(|p| p % 2 == fold).collect();
        let fits: Vec<Vec<f64>> = net_benefit
            .iter()
            .map(|nb| basis.fit(&fit_on, nb))
            .collect();
        for &p in &judge {
            let row = basis.row(p);
            let mut chosen: Option<usize> = None;
            let mut best = 0.0; // the base
            for (d, coefficients) in fits.iter().enumerate() {
                let predicted: f64 = row.iter().zip(coefficients).map(|(x, b)| x * b).sum();
                if predicted > best {
                    best = predicted;
                    chosen = Some(d);
                }
            }
            let value = |d: Option<usize>| d.map_or(0.0, |d| net_benefit[d][p]);
            gains[p] = value(chosen) - value(now);
        }
    }
    let (value_mad, standard_error_mad) = mean_and_error(&gains);
    InformationValue {
        name: name.to_string(),
        inputs: members.iter().map(|&i| inputs[i].name.clone()).collect(),
        value_mad,
        standard_error_mad,
    }
}

/// The option chosen without more information: the highest mean net benefit,
/// `None` for the base (ties to the base, then the earlier option).
pub fn best_now(net_benefit: &[Vec<f64>]) -> Option<usize> {
    let mut chosen = None;
    let mut best = 0.0;
    for (d, nb) in net_benefit.iter().enumerate() {
        let mean = nb.iter().sum::<f64>() / nb.len().max(1) as f64;
        if mean > best {
            best = mean;
            chosen = Some(d);
        }
    }
    chosen
}

/// Mean and standard error of the mean.
fn mean_and_error(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    if n < 2.0 {
        return (values.first().copied().unwrap_or(0.0), f64::NAN);
    }
    let mean = values.iter().sum::<f64>() / n;
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (variance / n).sqrt())
}

/// The regression basis of some inputs: per path, an intercept, each input's
/// terms, and the products of the inputs' ranks.
struct Basis {
    rows: Vec<Vec<f64>>,
}

impl Basis {
    fn new(columns: &[&[f64]], paths: usize) -> Basis {
        // At most one term per 20 fitting paths (half the paths fit): products
        // go first, then the spline's knots, so a fit never chases noise with
        // more terms than the paths can support.
        let budget = (paths / 2 / PATHS_PER_TERM).max(2);
        let mut terms: Vec<Vec<Vec<f64>>> = columns.iter().map(|c| input_terms(c, true)).collect();
        let ranks: Vec<Vec<f64>> = columns.iter().map(|c| ranks(c)).collect();
        let count = |terms: &[Vec<Vec<f64>>]| 1 + terms.iter().map(Vec::len).sum::<usize>();
        let pairs = columns.len() * columns.len().saturating_sub(1) / 2;
        let interact = columns.len() >= 2
            && columns.len() <= MAX_INTERACTING_INPUTS
            && count(&terms) + pairs <= budget;
        if count(&terms) > budget {
            terms = columns.iter().map(|c| input_terms(c, false)).collect();
        }
        let rows = (0..paths)
            .map(|p| {
                let mut row = vec![1.0];
                for t in &terms {
                    row.extend(t.iter().map(|term| term[p]));
                }
                if interact {
                    for i in 0..ranks.len() {
                        for j in i + 1..ranks.len() {
                            row.push(ranks[i][p] * ranks[j][p]);
                        }
                    }
                }
                row
            })
            .collect();
        Basis { rows }
    }

    fn row(&self, path: usize) -> &[f64] {
        &self.rows[path]
    }

    /// Least-squares coefficients of `y` on the rows `on` (a tiny ridge keeps
    /// collinear terms solvable).
    fn fit(&self, on: &[usize], y: &[f64]) -> Vec<f64> {
        let k = self.rows.first().map_or(0, Vec::len);
        let mut gram = vec![0.0; k * k];
        let mut xty = vec![0.0; k];
        for &p in on {
            let x = &self.rows[p];
            for i in 0..k {
                xty[i] += x[i] * y[p];
                for j in 0..=i {
                    gram[i * k + j] += x[i] * x[j];
                }
            }
        }
        let trace: f64 = (0..k).map(|i| gram[i * k + i]).sum();
        let ridge = 1e-9 * trace / k.max(1) as f64 + 1e-12;
        for i in 0..k {
            gram[i * k + i] += ridge;
        }
        solve_symmetric(&mut gram, &mut xty, k);
        xty
    }
}

/// The terms of one input: indicators of its values when it has few, or else
/// its rank and (with `knots`) the hinges of a linear spline of the rank.
fn input_terms(column: &[f64], knots: bool) -> Vec<Vec<f64>> {
    let mut values: Vec<f64> = column.to_vec();
    values.sort_by(f64::total_cmp);
    values.dedup();
    if values.len() <= MAX_LEVELS_AS_INDICATORS {
        return values
            .iter()
            .skip(1)
            .map(|v| column.iter().map(|x| f64::from(u8::from(x == v))).collect())
            .collect();
    }
    let u = ranks(column);
    let mut terms = vec![u.clone()];
    if !knots {
        return terms;
    }
    for knot in 1..SPLINE_PIECES {
        let at = knot as f64 / SPLINE_PIECES as f64;
        terms.push(u.iter().map(|r| (r - at).max(0.0)).collect());
    }
    terms
}

/// Ranks scaled to (0, 1), ties sharing their mean rank.
pub(crate) fn ranks(column: &[f64]) -> Vec<f64> {
    let n = column.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| column[a].total_cmp(&column[b]).then(a.cmp(&b)));
    let mut out = vec![0.0; n];
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && column[order[j + 1]] == column[order[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 0.5;
        for &p in &order[i..=j] {
            out[p] = rank / n as f64;
        }
        i = j + 1;
    }
    out
}

/// Solves `a x = b` for a symmetric positive-definite `a` (lower triangle
/// given, `k x k`, row-major) by Cholesky; `b` becomes `x`. A pivot that
/// vanishes (a term with no variation) sets that coefficient to zero.
fn solve_symmetric(a: &mut [f64], b: &mut [f64], k: usize) {
    for j in 0..k {
        let mut d = a[j * k + j];
        for m in 0..j {
            d -= a[j * k + m] * a[j * k + m];
        }
        let pivot = if d > 1e-300 { d.sqrt() } else { f64::INFINITY };
        a[j * k + j] = pivot;
        for i in j + 1..k {
            let mut s = a[i * k + j];
            for m in 0..j {
                s -= a[i * k + m] * a[j * k + m];
            }
            a[i * k + j] = s / pivot;
        }
    }
    for i in 0..k {
        let mut s = b[i];
        for m in 0..i {
            s -= a[i * k + m] * b[m];
        }
        b[i] = s / a[i * k + i];
    }
    for i in (0..k).rev() {
        let mut s = b[i];
        for m in i + 1..k {
            s -= a[m * k + i] * b[m];
        }
        b[i] = s / a[i * k + i];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::Xoshiro256PlusPlus;
    use rand::{RngExt, SeedableRng};

    fn uniform_input(name: &str, n: usize, seed: u64) -> InputColumns {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        InputColumns {
            name: name.into(),
            columns: vec![(0..n).map(|_| rng.random::<f64>()).collect()],
        }
    }

    #[test]
    fn evppi_matches_the_closed_form_of_a_linear_net_benefit() {
        // Option 1's net benefit against the base is a (x - 1/2) + noise with
        // x uniform on [0, 1]: deciding now is a tie (worth 0); knowing x picks
        // option 1 when x > 1/2, worth E[max(0, a (x - 1/2))] = a / 8.
        let (n, a) = (20_000, 1_000.0);
        let x = uniform_input("x", n, 1);
        let other = uniform_input("unrelated", n, 2);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let nb: Vec<f64> = x.columns[0]
            .iter()
            .map(|x| a * (x - 0.5) + 300.0 * (rng.random::<f64>() - 0.5))
            .collect();
        let inputs = [x, other];
        let v = evppi("x", &inputs, &[0], std::slice::from_ref(&nb));
        // Tolerance: 4 standard errors of the estimate (its stated Monte Carlo
        // error), plus the spline's approximation of a kink at 1/2 (the kink
        // falls on a knot, so none).
        assert!(
            (v.value_mad - a / 8.0).abs() < 4.0 * v.standard_error_mad,
            "{v:?} against {}",
            a / 8.0
        );
        assert!(v.is_clear());
        // An input that changes nothing is worth zero within its error.
        let u = evppi("unrelated", &inputs, &[1], std::slice::from_ref(&nb));
        assert!(u.value_mad.abs() < 4.0 * u.standard_error_mad, "{u:?}");
        // Together, worth what x alone is, within error.
        let both = evppi("both", &inputs, &[0, 1], std::slice::from_ref(&nb));
        assert!(
            (both.value_mad - a / 8.0).abs() < 4.0 * both.standard_error_mad,
            "{both:?}"
        );
    }

    #[test]
    fn a_two_valued_input_is_fitted_by_its_values() {
        // A firm comes (x = 1) with probability 0.3, and option 1 then gains
        // 500 against losing 100 otherwise: EVPPI = 0.7 * 100 = 70.
        let n = 10_000;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let x: Vec<f64> = (0..n)
            .map(|_| f64::from(u8::from(rng.random::<f64>() < 0.3)))
            .collect();
        let nb: Vec<f64> = x
            .iter()
            .map(|&x| if x > 0.5 { 500.0 } else { -100.0 } + 50.0 * (rng.random::<f64>() - 0.5))
            .collect();
        let inputs = [InputColumns {
            name: "happens".into(),
            columns: vec![x],
        }];
        let share: f64 = inputs[0].columns[0].iter().sum::<f64>() / n as f64;
        // Deciding now takes option 1 (mean 0.3 * 500 - 0.7 * 100 = 80 > 0);
        // knowing x avoids the loss of 100 on the paths where x = 0.
        let exact = (1.0 - share) * 100.0;
        let v = evppi("happens", &inputs, &[0], std::slice::from_ref(&nb));
        assert!(
            (v.value_mad - exact).abs() < 4.0 * v.standard_error_mad,
            "{v:?} against {exact}"
        );
    }

    #[test]
    fn ranks_share_ties() {
        // (mean 1-based rank - 1/2) / n: the tied 3s share ranks 3 and 4.
        assert_eq!(ranks(&[3.0, 1.0, 3.0, 2.0]), vec![0.75, 0.125, 0.75, 0.375]);
    }

    #[test]
    fn cholesky_solves_a_small_system() {
        // [4 2; 2 3] x = [2; 1] has x = [0.5, 0].
        let mut a = vec![4.0, 0.0, 2.0, 3.0];
        let mut b = vec![2.0, 1.0];
        solve_symmetric(&mut a, &mut b, 2);
        assert!((b[0] - 0.5).abs() < 1e-12 && b[1].abs() < 1e-12, "{b:?}");
    }
}
