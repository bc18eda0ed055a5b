//! shorecast forecasts the headcount of a region's offshoring sector by parallel
//! Monte Carlo simulation of a stochastic stock-and-flow model (see `MODEL.md` in
//! the project's shared docs and `ARCHITECTURE.md` for the code map).
//!
//! The pipeline: a [`scenario::Scenario`] is read and validated, the
//! [`engine`] simulates its paths with the [`model`] and reduces them with
//! [`stats`], and [`output`] writes the results.

pub mod backtest;
pub mod calendar;
pub mod calibrate;
pub mod calibration_report;
pub mod chart;
pub mod compare;
pub mod discover;
pub mod dist;
pub mod engine;
pub mod model;
pub mod output;
pub mod policy;
pub mod posterior;
pub mod report;
pub mod sampling;
pub mod scenario;
pub mod sensitivity;
pub mod stats;
pub mod text;
pub mod uncertainty;
