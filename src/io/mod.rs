//! The file system at its lowest: output folders that never lose a user's
//! files, write errors that name their path, text safe for a terminal. Knows
//! nothing about scenarios, models or results.

pub mod error;
pub mod staging;
pub mod terminal;
