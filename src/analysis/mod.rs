//! What is asked of the model: options compared on common random numbers,
//! sensitivity, scenario discovery, calibration and back-tests, the verdict on
//! what binds, and what a run will cost. Returns typed results; knows nothing
//! about words, charts or files.

pub mod backtest;
pub mod budget;
pub mod calibrate;
pub mod compare;
pub mod discover;
pub mod findings;
pub mod plan;
pub mod sensitivity;
pub mod value_of_information;
