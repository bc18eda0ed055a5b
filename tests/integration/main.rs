//! Integration tests, in one binary: the command line end to end, and the engine
//! against closed forms and brute force.

mod blind_spots;
mod budget;
/// The Oujda scenario before its re-base to March 2019 (start July 2020, the
/// reference priors): the fixture whose shape the chart and engine tests check.
pub const OUJDA_JULY_2020: &str = include_str!("../data/valid/oujda_july_2020.toml");
mod calibration;
mod charts;
mod cli;
mod closed_forms;
mod common;
mod corpus;
mod engine;
mod hostile;
mod output_safety;
mod parser_fuzz;
mod plan;
mod reference;
mod shard;
mod structure;
