//! shorecast forecasts the headcount of a region's offshoring sector by parallel
//! Monte Carlo simulation of a stochastic stock-and-flow model (see
//! `docs/model.md` for the model's specification and `ARCHITECTURE.md` for the
//! code map).
//!
//! The pipeline: a [`scenario::Scenario`] is read and validated, the
//! [`engine`] simulates its paths with the [`model`] and reduces them with
//! [`stats`], and [`output`] writes the results.

pub mod backtest;
pub mod budget;
pub mod calendar;
pub mod calibrate;
pub mod calibration_report;
pub mod chart;
pub mod compare;
pub mod discover;
pub mod dist;
pub mod engine;
pub mod findings;
pub mod input_file;
pub mod local_text;
pub mod model;
pub mod output;
pub mod policy;
pub mod posterior;
pub mod report;
pub mod sampling;
pub mod scenario;
pub mod sensitivity;
pub mod shard;
pub mod staging;
pub mod stats;
pub mod template;
pub mod text;
pub mod uncertainty;
pub mod workbook;
