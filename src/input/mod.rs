//! What users give shorecast: scenario files (read, checked, every problem
//! located), policies merged over them, the commented template, the built-in
//! Oujda data, and files read as untrusted input within bounds. Knows nothing
//! about analyses, reports or the command line.

pub mod file;
pub mod lever;
pub mod oujda;
pub mod policy;
pub mod posterior_file;
pub mod scenario_file;
pub mod template;
