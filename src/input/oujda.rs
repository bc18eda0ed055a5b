//! The built-in Oujda data: the shipped scenario and its posterior, compiled
//! into the binary so that `shorecast run` works with no file at all.

/// The built-in Oujda scenario (the same text as `scenarios/oujda.toml`).
pub const OUJDA: &str = include_str!("../../scenarios/oujda.toml");

/// The posterior that the built-in Oujda scenario forecasts from (its
/// `[calibration].posterior`, the same text as `scenarios/oujda-posterior.csv`).
pub const OUJDA_POSTERIOR: &str = include_str!("../../scenarios/oujda-posterior.csv");

/// The Oujda scenario as it was before its re-base to March 2019 (start July
/// 2020, the reference priors of MODEL.md section 7): a fixed fixture for tests
/// that check charts and reports against its shape.
#[cfg(test)]
pub const OUJDA_JULY_2020: &str = include_str!("../../tests/data/valid/oujda_july_2020.toml");
