//! The `shorecast` command line: parse, run, print the error chain, exit code.

mod cli;

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::main() {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            // Standard error may be closed too: nothing more to do then.
            let message = shorecast::io::terminal::terminal_safe(&format!("{:#}", failure.error));
            let _ = writeln!(std::io::stderr(), "error: {message}");
            ExitCode::from(failure.code)
        }
    }
}
