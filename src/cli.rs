//! Commands and their arguments. Errors are sorted into bad input (exit 2) and
//! everything else (exit 1).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use sha2::{Digest, Sha256};

use shorecast::engine::{self, RunOptions, RunResult};
use shorecast::model::Series;
use shorecast::output::{self, Provenance, StagedDir};
use shorecast::scenario::{MAX_PATHS, OUJDA, Scenario};
use shorecast::text::Lang;

/// Forecast a region's offshoring workforce by Monte Carlo simulation.
#[derive(Parser)]
#[command(version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Simulate a scenario and write its results.
    Run(RunArgs),
    /// Check a scenario file and print it with every default filled in.
    Validate {
        /// The scenario file (TOML).
        scenario: PathBuf,
    },
}

#[derive(Args)]
struct RunArgs {
    /// The scenario file (TOML); the built-in Oujda scenario when omitted.
    scenario: Option<PathBuf>,
    /// Number of paths (overrides [simulation].paths).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=MAX_PATHS as u64))]
    paths: Option<u64>,
    /// Master seed (overrides [simulation].seed).
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
    /// Output folder (default: output/<scenario file name>/).
    #[arg(long)]
    out: Option<PathBuf>,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
}

/// An error with the exit code it deserves.
pub struct Failure {
    pub error: anyhow::Error,
    pub code: u8,
}

/// Bad input: exit code 2.
fn bad_input(error: anyhow::Error) -> Failure {
    Failure { error, code: 2 }
}

/// Anything else: exit code 1.
impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Failure {
        Failure { error, code: 1 }
    }
}

pub fn main() -> Result<(), Failure> {
    let cli = Cli::try_parse().map_err(|e| {
        // Help and version are not failures; clap prints them.
        let code = if e.use_stderr() { 2 } else { 0 };
        let _ = e.print();
        if code == 0 {
            std::process::exit(0);
        }
        Failure {
            error: anyhow::anyhow!("see `shorecast --help`"),
            code,
        }
    })?;
    match cli.command {
        Command::Run(args) => run(args),
        Command::Validate { scenario } => {
            let loaded = load(Some(&scenario))?;
            print!("{}", loaded.scenario.to_resolved_toml());
            Ok(())
        }
    }
}

/// A scenario with where it came from.
struct Loaded {
    scenario: Scenario,
    stem: String,
    sha256: String,
}

fn load(path: Option<&Path>) -> Result<Loaded, Failure> {
    let (text, origin, stem) = match path {
        None => (
            OUJDA.to_string(),
            "built-in oujda.toml".to_string(),
            "oujda".to_string(),
        ),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| {
                    format!(
                        "cannot read the scenario file {}; check the path",
                        path.display()
                    )
                })
                .map_err(bad_input)?;
            let stem = path.file_stem().map_or_else(
                || "scenario".to_string(),
                |s| s.to_string_lossy().into_owned(),
            );
            (text, path.display().to_string(), stem)
        }
    };
    let scenario = Scenario::from_toml_str(&text, &origin).map_err(|e| {
        let count = e.problems.len();
        bad_input(anyhow::Error::new(e).context(format!(
            "the scenario has {count} problem{}; fix {} and run again",
            if count == 1 { "" } else { "s" },
            if count == 1 { "it" } else { "them" }
        )))
    })?;
    let sha256 = Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(Loaded {
        scenario,
        stem,
        sha256,
    })
}

fn run(args: RunArgs) -> Result<(), Failure> {
    let loaded = load(args.scenario.as_deref())?;
    let scenario = &loaded.scenario;
    let options = RunOptions {
        paths: args.paths.unwrap_or(scenario.simulation.paths),
        seed: args.seed.unwrap_or(scenario.simulation.seed),
        sample_paths: 20,
    };
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(&loaded.stem));
    // Stage the output folder first, so an unwritable folder fails before the run.
    let staged = StagedDir::new(&out_dir).map_err(|e| Failure::from(anyhow::Error::new(e)))?;

    let bar = progress_bar(options.paths, args.quiet);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.map_or(0, usize::from))
        .build()
        .context("cannot start the worker threads")?;
    let result = pool.install(|| engine::run(scenario, options, &|done| bar.set_position(done)));
    bar.finish_and_clear();

    let provenance = Provenance {
        scenario: scenario.meta.name.clone(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_sha256: loaded.sha256.clone(),
        command_line: command_line(),
    };
    output::write_tables(&staged, scenario, &result, &provenance)
        .map_err(|e| Failure::from(anyhow::Error::new(e)))?;
    let written = staged
        .commit()
        .map_err(|e| Failure::from(anyhow::Error::new(e)))?;
    print_summary(scenario, &result, &written);
    Ok(())
}

fn progress_bar(paths: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(paths);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} paths, {elapsed} elapsed, {eta} left")
            .expect("a valid template"),
    );
    bar
}

fn command_line() -> String {
    std::env::args()
        .map(|a| {
            if a.is_empty() || a.contains(char::is_whitespace) {
                format!("'{a}'")
            } else {
                a
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn print_summary(scenario: &Scenario, result: &RunResult, written: &Path) {
    let lang = Lang::En;
    let s = &result.summary;
    let t = scenario.target;
    let target_date = lang.month(scenario.date(t.month));
    let n = |v: u32| lang.thousands(u64::from(v));
    let p = s.p_target;
    println!("{}", scenario.meta.name);
    println!(
        "  P(headcount >= {} in {target_date}): {} (95% CI {} to {})",
        n(t.headcount),
        lang.percent(p.estimate),
        lang.percent(p.ci95_low),
        lang.percent(p.ci95_high)
    );
    println!(
        "  Headcount in {target_date}: median {} (90% range {} to {})",
        n(s.quantile(Series::Headcount, t.month, 50)),
        n(s.quantile(Series::Headcount, t.month, 5)),
        n(s.quantile(Series::Headcount, t.month, 95)),
    );
    match s.median_month_reached {
        Some(m) => println!(
            "  Median month of reaching {}: {} (month {m})",
            n(t.headcount),
            lang.month(scenario.date(m))
        ),
        None => println!(
            "  Median month of reaching {}: not reached by half of the paths within {} months",
            n(t.headcount),
            scenario.meta.horizon_months
        ),
    }
    println!(
        "  Hiring limited by labour in {} of path-months with vacancies",
        lang.percent(s.labour_limited_share)
    );
    println!(
        "  {} paths, seed {}, {:.2} s",
        lang.thousands(result.options.paths),
        result.options.seed,
        result.elapsed_seconds
    );
    println!("  Results in {}", written.display());
}
