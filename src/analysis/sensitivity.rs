//! What drives the outcome: global sensitivity from one run, and one-at-a-time
//! swings on common random numbers.
//!
//! Global: every uncertain input is already drawn per path, so one run gives,
//! for each input, its partial rank correlation coefficient (PRCC) with headcount
//! at the target month (with a Fisher z 95% interval) and its standardised effect
//! on P(target) (the coefficient of a linear probability model on standardised
//! inputs: the change in P(target) per standard deviation of the input, the
//! others held fixed).
//!
//! One at a time: each input fixed at its 10th and then its 90th percentile (the
//! percentiles of its draws in the global run; for a firm's coming, "does not
//! come" and "comes") while all others stay uncertain, all runs on the same paths
//! as the base.

use ndarray::{Array1, Array2, Axis};
use serde::Serialize;

use crate::analysis::compare::{CompareOptions, compare};
use crate::core::dist::Param;
use crate::core::engine::fold_paths;
use crate::core::model::{Inputs, Series, Trajectory, Workspace, simulate_path_with_inputs};
use crate::core::scenario::Scenario;
use crate::core::stats::Z95;
use crate::input::policy::Policy;

/// Why a sensitivity analysis cannot run.
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum SensitivityError {
    /// Every input is a fixed number.
    #[error(
        "the scenario has no uncertain parameter: every input is a fixed number, so nothing \
         varies between paths but process noise. Give ranges to the inputs you are unsure of, \
         e.g. uptake_monthly = {{ dist = \"uniform\", min = 0.2, max = 0.4 }}"
    )]
    NothingUncertain,
    /// Fewer paths than the regression needs.
    #[error(
        "{inputs} uncertain inputs need at least {needed} paths to rank; use --paths {needed} or more"
    )]
    TooFewPaths {
        /// Uncertain inputs.
        inputs: usize,
        /// Paths needed.
        needed: u64,
    },
    /// More paths than the analysis keeps in memory.
    #[error(
        "these analyses keep every path's inputs in memory and take at most {max} paths; \
         use --paths {max} or fewer (a few tens of thousands rank inputs well)"
    )]
    TooManyPaths {
        /// The limit.
        max: u64,
    },
    /// The outcome is the same on every path.
    #[error(
        "headcount at the target month is {0} on every path, so no input moves it; \
         choose a later target month"
    )]
    ConstantOutcome(u32),
}

/// The most paths a sensitivity analysis or a discovery keeps in memory.
pub const MAX_ANALYSIS_PATHS: u64 = 1_000_000;

/// The uncertain inputs and outcomes of every path of a run, in path order.
#[derive(Clone, Debug)]
pub struct PathInputs {
    /// Input names, as the scenario spells them.
    pub names: Vec<String>,
    /// `values[[path, input]]`.
    pub values: Array2<f64>,
    /// Headcount at the target month, per path.
    pub headcount: Vec<u32>,
    /// Whether the path is at or above the target at the target month.
    pub hit: Vec<bool>,
}

impl PathInputs {
    /// Simulates `paths` paths of `scenario`, keeping each path's inputs and
    /// outcome: about `8 * inputs + 12` bytes per path, twice that while the
    /// table is assembled. Inputs that never vary (a firm certain to come) are
    /// dropped.
    pub fn collect(
        scenario: &Scenario,
        paths: u64,
        seed: u64,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<PathInputs, SensitivityError> {
        if paths > MAX_ANALYSIS_PATHS {
            return Err(SensitivityError::TooManyPaths {
                max: MAX_ANALYSIS_PATHS,
            });
        }
        let target = scenario.target;
        let horizon = scenario.meta.horizon_months;
        let names = input_names(scenario, seed);
        let k = names.len();
        // Each worker keeps flat columns: path numbers, inputs (k per path), outcomes.
        let fresh = || {
            (
                (Vec::<u64>::new(), Vec::<f64>::new(), Vec::<u32>::new()),
                Workspace::default(),
                Trajectory::new(horizon),
                Inputs::new(false),
            )
        };
        let ((order, flat, outcomes), _, _, _) = fold_paths(
            paths,
            progress,
            fresh,
            |((order, flat, outcomes), work, t, inputs), path| {
                simulate_path_with_inputs(scenario, seed, path, work, t, inputs);
                debug_assert_eq!(inputs.values.len(), k, "every path draws the same inputs");
                order.push(path);
                flat.extend_from_slice(&inputs.values);
                outcomes.push(t.get(Series::Headcount, target.month));
            },
            |((mut a, mut b, mut c), work, t, inputs), ((a2, b2, c2), _, _, _)| {
                a.extend(a2);
                b.extend(b2);
                c.extend(c2);
                ((a, b, c), work, t, inputs)
            },
        );
        // Rows in path order, whatever order the workers finished in.
        let n = order.len();
        let mut rows: Vec<usize> = (0..n).collect();
        rows.sort_unstable_by_key(|&i| order[i]);
        let mut values = Array2::zeros((n, k));
        for (row, &i) in rows.iter().enumerate() {
            values
                .row_mut(row)
                .assign(&ndarray::ArrayView1::from(&flat[i * k..(i + 1) * k]));
        }
        drop(flat);
        let headcount: Vec<u32> = rows.iter().map(|&i| outcomes[i]).collect();
        let varying: Vec<usize> = (0..k)
            .filter(|&j| {
                let column = values.column(j);
                column.iter().any(|&v| v != column[0])
            })
            .collect();
        if varying.is_empty() {
            return Err(SensitivityError::NothingUncertain);
        }
        Ok(PathInputs {
            names: varying.iter().map(|&j| names[j].clone()).collect(),
            values: values.select(Axis(1), &varying),
            hit: headcount.iter().map(|&h| h >= target.headcount).collect(),
            headcount,
        })
    }
}

/// The names of the uncertain inputs every path draws, from one path (before
/// any is found not to vary): cheap, so checks can run before a simulation.
pub fn input_names(scenario: &Scenario, seed: u64) -> Vec<String> {
    let mut names = Inputs::new(true);
    simulate_path_with_inputs(
        scenario,
        seed,
        0,
        &mut Workspace::default(),
        &mut Trajectory::new(scenario.meta.horizon_months),
        &mut names,
    );
    names.names
}

/// The sensitivity of the outcome to one input.
#[derive(Clone, Debug, Serialize)]
pub struct InputSensitivity {
    /// Input name.
    pub parameter: String,
    /// PRCC with headcount at the target month.
    pub prcc: f64,
    /// Lower end of its Fisher z 95% interval.
    pub prcc_ci95_low: f64,
    /// Upper end of its Fisher z 95% interval.
    pub prcc_ci95_high: f64,
    /// Change in P(target) per standard deviation of the input.
    pub p_target_per_sd: f64,
    /// The input's 10th percentile.
    pub low_value: f64,
    /// The input's 90th percentile.
    pub high_value: f64,
    /// P(target) with the input fixed at its 10th percentile.
    pub p_target_low: f64,
    /// P(target) with the input fixed at its 90th percentile.
    pub p_target_high: f64,
    /// Median headcount at the target month with the input at its 10th percentile.
    pub median_low: u32,
    /// Median headcount at the target month with the input at its 90th percentile.
    pub median_high: u32,
}

impl InputSensitivity {
    /// Size of the one-at-a-time swing in median headcount.
    pub fn swing(&self) -> u32 {
        self.median_low.abs_diff(self.median_high)
    }
}

/// A finished sensitivity analysis.
#[derive(Clone, Debug)]
pub struct Sensitivity {
    /// P(target) of the base run.
    pub base_p_target: f64,
    /// Median headcount at the target month in the base run.
    pub base_median: u32,
    /// Paths per run.
    pub paths: u64,
    /// Master seed.
    pub seed: u64,
    /// One entry per uncertain input, largest one-at-a-time swing first.
    pub inputs: Vec<InputSensitivity>,
}

/// The path simulations [`sensitivity`] makes over `paths` paths with
/// `inputs` uncertain inputs: the base run that records the inputs, then the
/// base again and two runs per input, one at a time on common random numbers.
pub fn path_runs(paths: u64, inputs: u64) -> u64 {
    paths * (2 * inputs + 2)
}

/// Runs both analyses on the current rayon pool. `progress` receives the path
/// simulations done, out of [`path_runs`].
pub fn sensitivity(
    scenario: &Scenario,
    paths: u64,
    seed: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Sensitivity, SensitivityError> {
    let data = PathInputs::collect(scenario, paths, seed, progress)?;
    let k = data.names.len();
    // The partial correlations control for k - 1 inputs and need n - k - 2 > 0
    // degrees of freedom for their interval.
    let needed = k as u64 + 4;
    if paths < needed {
        return Err(SensitivityError::TooFewPaths { inputs: k, needed });
    }
    if data.headcount.iter().all(|&h| h == data.headcount[0]) {
        return Err(SensitivityError::ConstantOutcome(data.headcount[0]));
    }
    let outcome: Vec<f64> = data.headcount.iter().map(|&h| f64::from(h)).collect();
    let hit: Vec<f64> = data.hit.iter().map(|&h| f64::from(u8::from(h))).collect();
    let prcc = prcc(&data.values, &outcome);
    let effects = standardised_effects(&data.values, &hit);

    // One at a time, on common random numbers: the base and two runs per input.
    let mut options = vec![Policy::base(scenario.clone(), "base")];
    let mut levels = Vec::new();
    for (j, name) in data.names.iter().enumerate() {
        let column = data.values.column(j).to_vec();
        // A firm's coming is yes or no: its swing is from "does not come" to "comes".
        let (low, high) = if name.ends_with(".happens") {
            (0.0, 1.0)
        } else {
            (
                empirical_quantile(&column, 0.1),
                empirical_quantile(&column, 0.9),
            )
        };
        for value in [low, high] {
            let mut changed = scenario.clone();
            fix_input(&mut changed, name, value);
            options.push(Policy::base(changed, name));
        }
        levels.push((low, high));
    }
    let settings = CompareOptions {
        paths,
        seed,
        independent_streams: false,
    };
    let per_path = options.len() as u64;
    let runs = compare(&options, settings, 0, &|done| {
        progress(paths + done * per_path)
    });
    let month = scenario.target.month;
    let mut inputs: Vec<InputSensitivity> = data
        .names
        .iter()
        .enumerate()
        .map(|(j, name)| {
            let (lo_run, hi_run) = (
                &runs.options[1 + 2 * j].summary,
                &runs.options[2 + 2 * j].summary,
            );
            let (r, lo, hi) = prcc[j];
            InputSensitivity {
                parameter: name.clone(),
                prcc: r,
                prcc_ci95_low: lo,
                prcc_ci95_high: hi,
                p_target_per_sd: effects[j],
                low_value: levels[j].0,
                high_value: levels[j].1,
                p_target_low: lo_run.p_target.estimate,
                p_target_high: hi_run.p_target.estimate,
                median_low: lo_run.quantile(Series::Headcount, month, 50),
                median_high: hi_run.quantile(Series::Headcount, month, 50),
            }
        })
        .collect();
    inputs.sort_by(|a, b| {
        b.swing()
            .cmp(&a.swing())
            .then(b.prcc.abs().total_cmp(&a.prcc.abs()))
            .then(a.parameter.cmp(&b.parameter))
    });
    let base = &runs.options[0].summary;
    Ok(Sensitivity {
        base_p_target: base.p_target.estimate,
        base_median: base.quantile(Series::Headcount, month, 50),
        paths,
        seed,
        inputs,
    })
}

/// Fixes input `name` at `value`. A firm's coming (`firm[X].happens`) is fixed
/// through its probability: 0 or 1.
pub fn fix_input(scenario: &mut Scenario, name: &str, value: f64) {
    if let Some(firm) = name.strip_suffix(".happens") {
        let probability = scenario
            .param_mut(&format!("{firm}.probability"))
            .expect("every firm has a probability");
        *probability = Param::fixed(value.clamp(0.0, 1.0));
    } else {
        let param = scenario
            .param_mut(name)
            .unwrap_or_else(|| panic!("the model's input {name} is a scenario parameter"));
        *param = Param::fixed(value);
    }
}

/// The `p`-quantile of `values`: the `ceil(p * n)`-th smallest.
pub fn empirical_quantile(values: &[f64], p: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// Ranks from 1, ties sharing their average rank.
pub fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_unstable_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut out = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        let average = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            out[k] = average;
        }
        i = j + 1;
    }
    out
}

/// PRCC of each column of `x` with `y`, with its Fisher z 95% interval
/// (`tanh(atanh(r) +- 1.96 / sqrt(n - 3 - (k - 1)))`, k inputs). Computed from
/// the inverse `P` of the correlation matrix of the ranks of `[x, y]`:
/// `r_j = -P[j, y] / sqrt(P[j, j] P[y, y])`.
pub fn prcc(x: &Array2<f64>, y: &[f64]) -> Vec<(f64, f64, f64)> {
    let (n, k) = x.dim();
    let mut ranked = Array2::zeros((n, k + 1));
    for j in 0..k {
        ranked
            .column_mut(j)
            .assign(&Array1::from(ranks(&x.column(j).to_vec())));
    }
    ranked.column_mut(k).assign(&Array1::from(ranks(y)));
    let Some(p) = invert(&correlation(&ranked)) else {
        return vec![(f64::NAN, f64::NAN, f64::NAN); k];
    };
    let dof = n as f64 - 3.0 - (k as f64 - 1.0);
    (0..k)
        .map(|j| {
            let r = (-p[[j, k]] / (p[[j, j]] * p[[k, k]]).sqrt()).clamp(-1.0, 1.0);
            if dof <= 0.0 || !r.is_finite() {
                return (r, f64::NAN, f64::NAN);
            }
            let (z, half) = (r.clamp(-0.999_999, 0.999_999).atanh(), Z95 / dof.sqrt());
            (r, (z - half).tanh(), (z + half).tanh())
        })
        .collect()
}

/// Coefficients of the least-squares fit of `y` on the standardised columns of
/// `x` (with an intercept): the change in `y` per standard deviation of each
/// column, the others held fixed.
pub fn standardised_effects(x: &Array2<f64>, y: &[f64]) -> Vec<f64> {
    let (n, k) = x.dim();
    let mut z = Array2::zeros((n, k + 1));
    z.column_mut(k).fill(1.0);
    for j in 0..k {
        let c = x.column(j);
        let mean = c.mean().unwrap_or(0.0);
        let sd = c.std(1.0);
        z.column_mut(j)
            .assign(&c.mapv(|v| if sd > 0.0 { (v - mean) / sd } else { 0.0 }));
    }
    let y = Array1::from(y.to_vec());
    let normal = z.t().dot(&z);
    let Some(inverse) = invert(&normal) else {
        return vec![f64::NAN; k];
    };
    let beta = inverse.dot(&z.t().dot(&y));
    beta.iter().take(k).copied().collect()
}

/// The correlation matrix of the columns of `data`.
fn correlation(data: &Array2<f64>) -> Array2<f64> {
    let n = data.nrows() as f64;
    let mean = data.mean_axis(Axis(0)).expect("at least one row");
    let centred = data - &mean;
    let covariance = centred.t().dot(&centred) / (n - 1.0);
    let sd = covariance.diag().mapv(f64::sqrt);
    let mut r = covariance.clone();
    for ((i, j), v) in r.indexed_iter_mut() {
        *v = covariance[[i, j]] / (sd[i] * sd[j]);
    }
    r
}

/// The inverse of a small square matrix by Gauss-Jordan elimination with partial
/// pivoting; `None` when it is singular.
fn invert(a: &Array2<f64>) -> Option<Array2<f64>> {
    let n = a.nrows();
    let mut m = a.clone();
    let mut inv = Array2::eye(n);
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| m[[i, col]].abs().total_cmp(&m[[j, col]].abs()))?;
        if m[[pivot, col]].abs() < 1e-12 {
            return None;
        }
        for j in 0..n {
            m.swap([col, j], [pivot, j]);
            inv.swap([col, j], [pivot, j]);
        }
        let d = m[[col, col]];
        m.row_mut(col).mapv_inplace(|v| v / d);
        inv.row_mut(col).mapv_inplace(|v| v / d);
        for i in (0..n).filter(|&i| i != col) {
            let f = m[[i, col]];
            if f != 0.0 {
                let (mr, ir) = (m.row(col).to_owned(), inv.row(col).to_owned());
                m.row_mut(i).scaled_add(-f, &mr);
                inv.row_mut(i).scaled_add(-f, &ir);
            }
        }
    }
    Some(inv)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;
    use rand_distr::{Distribution, StandardNormal};

    #[test]
    fn progress_counts_every_path_run_to_the_end() {
        // The one-at-a-time runs are most of the work: a bar counting only the
        // base run's paths would sit full while they run.
        let scenario =
            crate::core::scenario::Scenario::from_toml_str(crate::input::oujda::OUJDA, "oujda")
                .unwrap();
        let paths = 200;
        let inputs = input_names(&scenario, 5).len() as u64;
        let seen = std::sync::Mutex::new(Vec::new());
        sensitivity(&scenario, paths, 5, &|done| seen.lock().unwrap().push(done)).unwrap();
        let seen = seen.into_inner().unwrap();
        let most = seen.iter().copied().max().unwrap();
        assert_eq!(most, path_runs(paths, inputs));
        // Half-way through the paths of the one-at-a-time runs, the bar is
        // past half of the whole work, not at its end.
        assert!(seen.iter().any(|&d| d > most / 2 && d < most));
        assert!(seen.iter().filter(|&&d| d <= paths).count() as u64 >= paths);
    }

    #[test]
    fn ranks_average_ties() {
        assert_eq!(ranks(&[3.0, 1.0, 3.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
    }

    #[test]
    fn prcc_finds_the_driver_and_clears_the_bystander() {
        // y = x0 + 0.3 x1 + noise; x2 has no effect.
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        let n = 2000;
        let mut x = Array2::zeros((n, 3));
        let mut y = vec![0.0; n];
        for i in 0..n {
            for j in 0..3 {
                x[[i, j]] = StandardNormal.sample(&mut rng);
            }
            let noise: f64 = StandardNormal.sample(&mut rng);
            y[i] = x[[i, 0]] + 0.3 * x[[i, 1]] + 0.5 * noise;
        }
        let r = prcc(&x, &y);
        assert!(r[0].0 > 0.8 && r[0].0 > r[1].0, "{r:?}");
        assert!(r[1].1 > 0.0, "x1's interval excludes zero: {r:?}");
        assert!(
            r[2].1 < 0.0 && r[2].2 > 0.0,
            "x2's interval covers zero: {r:?}"
        );
        let b = standardised_effects(&x, &y);
        // With 2,000 rows the standard error of each coefficient is about
        // 0.5 / sqrt(2000) = 0.011: 0.05 is over four of them.
        assert!(
            (b[0] - 1.0).abs() < 0.05 && (b[1] - 0.3).abs() < 0.05 && b[2].abs() < 0.05,
            "{b:?}"
        );
    }

    #[test]
    fn inversion_inverts() {
        let a = ndarray::arr2(&[[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]]);
        let product = a.dot(&invert(&a).unwrap());
        for ((i, j), v) in product.indexed_iter() {
            assert!((v - if i == j { 1.0 } else { 0.0 }).abs() < 1e-12);
        }
        assert!(invert(&ndarray::arr2(&[[1.0, 2.0], [2.0, 4.0]])).is_none());
    }
}
