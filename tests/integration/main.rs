//! Integration tests, in one binary: the command line end to end, and the engine
//! against closed forms and brute force.

mod calibration;
mod charts;
mod cli;
mod engine;
