//! Back-testing by rolling origin: each history point after the start is
//! forecast from what was known before it (the priors when no earlier point was
//! after the start, else a calibration on the earlier points) and scored with
//! proper scoring rules (Gneiting and Raftery 2007): its percentile in the
//! forecast (PIT), whether it falls in the central 50% and 90% intervals, the
//! continuous ranked probability score (CRPS, from the predictive sample) and
//! the interval scores of those intervals.
//!
//! The predictive sample is of the *reported* figure: each path's headcount
//! with the observation error of the point applied (a log-error uniform within
//! `ln(1 + uncertainty)`, the error model calibration assumes), so that a
//! forecast that knows the truth still scores its nominal coverage.
//!
//! Beside the rolling forecasts, each point is also scored against the priors
//! and against the posterior fitted to every point (in-sample: a check of the
//! fit, not a forecast).

use std::sync::Arc;

use rand_distr::{Distribution, Uniform};
use rayon::prelude::*;

use crate::analysis::calibrate::{
    CalibrationError, CalibrationOptions, FittedPoint, calibrate, fitted_points,
};
use crate::core::model::{Series, Trajectory, Workspace, simulate_path};
use crate::core::scenario::Scenario;

/// How to back-test.
#[derive(Clone, Copy, Debug)]
pub struct BacktestOptions {
    /// Paths of each predictive sample.
    pub paths: u64,
    /// Master seed of the predictive samples.
    pub seed: u64,
    /// How each calibration runs.
    pub calibration: CalibrationOptions,
}

/// What a forecast of a history point knew.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The priors alone.
    Prior,
    /// A calibration on the points before this one (a genuine forecast).
    Rolling,
    /// The calibration on every point, this one included (a fit check).
    InSample,
}

impl Basis {
    /// The name in `backtest.csv`.
    pub fn name(self) -> &'static str {
        match self {
            Basis::Prior => "prior",
            Basis::Rolling => "rolling",
            Basis::InSample => "in_sample",
        }
    }
}

/// The scores of one forecast of one point.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Score {
    /// Share of the predictive sample below the observation (ties count half).
    pub pit: f64,
    /// Predictive quantiles 5, 25, 50, 75 and 95%.
    pub quantiles: [f64; 5],
    /// Inside the central 50% interval.
    pub in50: bool,
    /// Inside the central 90% interval.
    pub in90: bool,
    /// Continuous ranked probability score, in jobs (lower is better).
    pub crps: f64,
    /// Interval score of the 50% interval, in jobs (lower is better).
    pub interval_score50: f64,
    /// Interval score of the 90% interval, in jobs.
    pub interval_score90: f64,
}

/// The `p`-quantile of a sorted sample: the `ceil(p * n)`-th smallest.
fn sorted_quantile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// The interval score of `[lo, hi]` at level `1 - alpha` for `y`.
pub fn interval_score(lo: f64, hi: f64, alpha: f64, y: f64) -> f64 {
    (hi - lo) + 2.0 / alpha * ((lo - y).max(0.0) + (y - hi).max(0.0))
}

/// Scores observation `y` against predictive sample `sample` (sorted here).
pub fn score(sample: &mut [f64], y: f64) -> Score {
    sample.sort_by(f64::total_cmp);
    let n = sample.len() as f64;
    let below = sample.partition_point(|&x| x < y);
    let ties = sample[below..].partition_point(|&x| x <= y);
    let q = |p| sorted_quantile(sample, p);
    let quantiles = [q(0.05), q(0.25), q(0.5), q(0.75), q(0.95)];
    // CRPS = E|X - y| - E|X - X'| / 2; the pair sum from the sorted sample.
    let spread: f64 = sample
        .iter()
        .enumerate()
        .map(|(i, x)| x * (2.0 * i as f64 - n + 1.0))
        .sum::<f64>()
        / (n * n);
    let crps = sample.iter().map(|x| (x - y).abs()).sum::<f64>() / n - spread;
    Score {
        pit: (below as f64 + 0.5 * ties as f64) / n,
        quantiles,
        in50: quantiles[1] <= y && y <= quantiles[3],
        in90: quantiles[0] <= y && y <= quantiles[4],
        crps,
        interval_score50: interval_score(quantiles[1], quantiles[3], 0.5, y),
        interval_score90: interval_score(quantiles[0], quantiles[4], 0.1, y),
    }
}

/// The reported headcount at `point` on `paths` paths of `scenario` (with its
/// posterior, if one is attached): each path's headcount with the point's
/// observation error applied. Path `i` draws its error from its own stream,
/// so the sample is the same on any number of threads.
pub fn predictive_sample(
    scenario: &Scenario,
    point: &FittedPoint,
    paths: u64,
    seed: u64,
) -> Vec<f64> {
    let noise = Uniform::new_inclusive(-1.0, 1.0).expect("a valid range");
    (0..paths)
        .into_par_iter()
        .map_init(
            || (Workspace::default(), Trajectory::new(point.month)),
            |(work, t), path| {
                simulate_path(scenario, seed, path, work, t);
                let h = f64::from(t.get(Series::Headcount, point.month));
                let mut rng = crate::core::streams::backtest_noise_stream(seed, path);
                ((h + 1.0) * (point.sigma * noise.sample(&mut rng)).exp() - 1.0).max(0.0)
            },
        )
        .collect()
}

/// One scored forecast.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Row {
    /// Date of the point.
    pub date: String,
    /// Its model month.
    pub month: u32,
    /// Headcount observed.
    pub observed: u32,
    /// Its relative uncertainty.
    pub uncertainty: f64,
    /// What the forecast knew.
    pub basis: Basis,
    /// History points it was fitted to.
    pub fitted_points: usize,
    /// Its scores.
    pub score: Score,
}

/// A finished back-test.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Backtest {
    /// Every scored forecast: for each point, prior, rolling (when earlier
    /// points exist) and in-sample.
    pub rows: Vec<Row>,
    /// Paths of each predictive sample.
    pub paths: u64,
    /// Master seed.
    pub seed: u64,
    /// Simulations spent on calibrations.
    pub calibration_simulations: u64,
}

impl Backtest {
    /// The rows of one basis.
    pub fn of(&self, basis: Basis) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(move |r| r.basis == basis)
    }
}

/// `scenario` with only the history points before `date` kept.
fn history_before(scenario: &Scenario, point: &FittedPoint) -> Scenario {
    let mut s = scenario.clone();
    s.history.retain(|o| o.date < point.observation.date);
    s
}

/// The forecast of `point` from `s` on `paths` paths, scored.
fn scored_row(
    point: &FittedPoint,
    basis: Basis,
    fitted_points: usize,
    s: &Scenario,
    paths: u64,
    seed: u64,
) -> Row {
    Row {
        date: point.observation.date.to_string(),
        month: point.month,
        observed: point.observation.headcount,
        uncertainty: point.observation.uncertainty,
        basis,
        fitted_points,
        score: score(
            &mut predictive_sample(s, point, paths, seed),
            f64::from(point.observation.headcount),
        ),
    }
}

/// The part of the back-test a run can afford: each history point after the
/// start forecast from the priors alone (what was known before any point), on
/// `paths` paths. Empty when the scenario has no such point.
pub fn prior_forecasts(scenario: &Scenario, paths: u64, seed: u64) -> Vec<Row> {
    let Ok(points) = fitted_points(scenario) else {
        return Vec::new();
    };
    let mut prior = scenario.clone();
    prior.posterior = None;
    points
        .iter()
        .map(|point| scored_row(point, Basis::Prior, 0, &prior, paths, seed))
        .collect()
}

/// Back-tests `scenario` on its history points after the start.
pub fn backtest(
    scenario: &Scenario,
    options: BacktestOptions,
) -> Result<Backtest, CalibrationError> {
    let points = fitted_points(scenario)?;
    let mut prior = scenario.clone();
    prior.posterior = None;
    let full = calibrate(&prior, options.calibration, &|_| {})?;
    let mut simulations = full.simulations();
    let mut fitted = prior.clone();
    fitted.posterior = Some(Arc::new(full.posterior));
    let mut rows = Vec::new();
    for (k, point) in points.iter().enumerate() {
        let row = |basis, fitted_points, s: &Scenario| {
            scored_row(point, basis, fitted_points, s, options.paths, options.seed)
        };
        rows.push(row(Basis::Prior, 0, &prior));
        if k > 0 {
            let earlier = history_before(&prior, point);
            let c = calibrate(&earlier, options.calibration, &|_| {})?;
            simulations += c.simulations();
            let mut rolling = earlier;
            rolling.posterior = Some(Arc::new(c.posterior));
            rows.push(row(Basis::Rolling, k, &rolling));
        }
        rows.push(row(Basis::InSample, points.len(), &fitted));
    }
    Ok(Backtest {
        rows,
        paths: options.paths,
        seed: options.seed,
        calibration_simulations: simulations,
    })
}

/// `backtest.csv`: one row per scored forecast.
pub fn backtest_csv(_scenario: &Scenario, b: &Backtest) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "date",
        "month",
        "observed",
        "uncertainty",
        "basis",
        "fitted_points",
        "p05",
        "p25",
        "p50",
        "p75",
        "p95",
        "pit",
        "in50",
        "in90",
        "crps",
        "interval_score50",
        "interval_score90",
    ])?;
    for r in &b.rows {
        let s = &r.score;
        let mut record = vec![
            r.date.clone(),
            r.month.to_string(),
            r.observed.to_string(),
            r.uncertainty.to_string(),
            r.basis.name().to_string(),
            r.fitted_points.to_string(),
        ];
        record.extend(s.quantiles.iter().map(|q| format!("{q:.1}")));
        record.extend([
            format!("{:.4}", s.pit),
            s.in50.to_string(),
            s.in90.to_string(),
            format!("{:.2}", s.crps),
            format!("{:.2}", s.interval_score50),
            format!("{:.2}", s.interval_score90),
        ]);
        w.write_record(&record)?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_match_hand_computed_values() {
        // Sample 1..=4, y = 2.5: E|X - y| = 1, E|X - X'| = 1.25, CRPS = 0.375.
        let s = score(&mut [4.0, 1.0, 3.0, 2.0], 2.5);
        assert!((s.crps - 0.375).abs() < 1e-12);
        assert_eq!(s.pit, 0.5);
        // A point far outside pays twice its miss over alpha.
        assert_eq!(interval_score(10.0, 20.0, 0.1, 25.0), 10.0 + 20.0 * 5.0);
        assert_eq!(interval_score(10.0, 20.0, 0.1, 15.0), 10.0);
        // A degenerate sample: CRPS is the absolute error.
        let s = score(&mut [3.0; 10], 5.0);
        assert!((s.crps - 2.0).abs() < 1e-12);
        assert_eq!(s.pit, 1.0);
        assert!(!s.in90);
    }
}
