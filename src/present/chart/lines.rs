//! Per-month lines read from a run's summary, shared by the run charts.

use crate::core::model::Series;
use crate::core::stats::Summary;

/// The months `0..=horizon` as x values.
pub(super) fn months(horizon: u32) -> Vec<f64> {
    (0..=horizon).map(f64::from).collect()
}

/// A series' `percent`-quantile at every month.
pub(super) fn quantile_line(
    summary: &Summary,
    series: Series,
    horizon: u32,
    percent: u32,
) -> Vec<f64> {
    (0..=horizon)
        .map(|m| f64::from(summary.quantile(series, m, percent)))
        .collect()
}

/// A series' mean at every month.
pub(super) fn mean_line(summary: &Summary, series: Series, horizon: u32) -> Vec<f64> {
    (0..=horizon).map(|m| summary.mean(series, m)).collect()
}

pub(super) fn max_of(values: &[f64]) -> f64 {
    values.iter().copied().fold(0.0, f64::max)
}
