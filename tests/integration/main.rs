//! Integration tests, in one binary: the command line end to end, and the engine
//! against closed forms and brute force.

mod budget;
mod charts;
mod cli;
mod closed_forms;
mod common;
mod corpus;
mod engine;
mod hostile;
mod output_safety;
mod parser_fuzz;
mod reference;
mod shard;
mod structure;
