//! The model and its statistics. Knows nothing about files, the command line or
//! the words a reader sees: it takes a validated [`scenario::Scenario`] and
//! returns numbers.

pub mod calendar;
pub mod dist;
pub mod engine;
pub mod given;
pub mod local_text;
pub mod model;
pub mod posterior;
pub mod sampling;
pub mod scenario;
pub mod stats;
pub mod streams;
