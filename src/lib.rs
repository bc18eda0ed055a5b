//! shorecast forecasts the headcount of a region's offshoring sector by parallel
//! Monte Carlo simulation of a stochastic stock-and-flow model (see
//! `docs/model.md` for the model's specification and `ARCHITECTURE.md` for the
//! code map).
//!
//! The library is a house with floors; each uses only the floors below it:
//!
//! - [`core`]: the model and its statistics: the validated scenario, one path,
//!   the engine over paths, exact mergeable statistics, posteriors. No I/O, no
//!   reader-facing words.
//! - [`io`]: the file system at its lowest: output folders replaced safely,
//!   write errors, text made safe for a terminal.
//! - [`input`]: what users give: the scenario file read and checked, policies,
//!   the template, the built-in Oujda data, untrusted files read within bounds.
//! - [`analysis`]: what is asked of the model: comparisons, sensitivity,
//!   discovery, calibration, back-tests, the verdict, cost estimates.
//! - [`present`]: words and pictures: English and French text, charts, HTML
//!   reports, tables and workbooks.
//! - [`app`]: what the commands share beyond one analysis: shards and their
//!   merge.

pub mod analysis;
pub mod app;
pub mod core;
pub mod input;
pub mod io;
pub mod present;
