//! Commands and their arguments. Errors are sorted into bad input (exit 2) and
//! everything else (exit 1).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use sha2::{Digest, Sha256};

use shorecast::chart::{self, ChartOptions};
use shorecast::compare::{self, CompareOptions, Comparison};
use shorecast::discover::{self, DiscoverError, PrimOptions, PrimResult};
use shorecast::engine::{self, RunOptions, RunResult};
use shorecast::model::Series;
use shorecast::output::{self, Provenance, StagedDir};
use shorecast::policy::{self, Policy};
use shorecast::report;
use shorecast::scenario::{MAX_PATHS, OUJDA, Scenario, ScenarioError};
use shorecast::sensitivity::{self, PathInputs, Sensitivity};
use shorecast::text::Lang;
use shorecast::uncertainty;

mod fit;

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
    /// Compare policy options on common random numbers. With one file: its base
    /// case and each of its [[policy]] entries. With several: each file is an
    /// option, the first the base.
    Compare(CompareArgs),
    /// Rank the uncertain inputs by their effect on the outcome: PRCC from one
    /// run, and one-at-a-time swings from their 10th to 90th percentiles.
    Sensitivity(AnalysisArgs),
    /// Find the ranges of uncertain inputs in which the target is reached most
    /// often (PRIM scenario discovery).
    Discover(AnalysisArgs),
    /// Fit the uncertain inputs to the [[history]] points after the start
    /// (ABC population Monte Carlo) and write the posterior.
    Calibrate(fit::FitCommandArgs),
    /// Forecast each history point from what was known before it, and score
    /// the forecasts (PIT, 50% and 90% intervals, CRPS, interval score).
    Backtest(fit::FitCommandArgs),
    /// Check a scenario file and print it with every default filled in.
    Validate {
        /// The scenario file (TOML).
        scenario: PathBuf,
    },
}

/// Settings shared by every simulating command.
#[derive(Args)]
struct Common {
    /// Number of paths (overrides [simulation].paths).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=MAX_PATHS as u64))]
    paths: Option<u64>,
    /// Master seed (overrides [simulation].seed).
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
    /// Output folder (default: under output/, named after the scenario file).
    #[arg(long)]
    out: Option<PathBuf>,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
}

impl Common {
    fn paths(&self, s: &Scenario) -> u64 {
        self.paths.unwrap_or(s.simulation.paths)
    }

    fn seed(&self, s: &Scenario) -> u64 {
        self.seed.unwrap_or(s.simulation.seed)
    }

    /// Stages the output folder (`default` under output/ unless --out is given),
    /// so an unwritable folder fails before any simulation.
    fn stage(&self, default: String) -> Result<StagedDir, Failure> {
        let dir = self
            .out
            .clone()
            .unwrap_or_else(|| Path::new("output").join(default));
        StagedDir::new(&dir).map_err(output_failure)
    }

    /// Runs `work` on the worker pool with a progress bar over `paths`.
    fn simulate<T: Send>(
        &self,
        paths: u64,
        work: impl FnOnce(&(dyn Fn(u64) + Sync)) -> T + Send,
    ) -> Result<T, Failure> {
        let bar = progress_bar(paths, self.quiet);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(self.threads.map_or(0, usize::from))
            .build()
            .context("cannot start the worker threads")?;
        let result = pool.install(|| work(&|done| bar.set_position(done)));
        bar.finish_and_clear();
        Ok(result)
    }
}

/// How charts and reports are drawn.
#[derive(Args)]
struct ChartArgs {
    /// Language of the charts and the report.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    lang: Lang,
    /// Size of the PNG charts in pixels, WIDTHxHEIGHT.
    #[arg(long, value_parser = chart::parse_size, default_value = "1600x900")]
    chart_size: (u32, u32),
    /// Skip the charts (report.html is still written, without them).
    #[arg(long)]
    no_charts: bool,
}

impl ChartArgs {
    fn options(&self) -> ChartOptions {
        ChartOptions {
            width: self.chart_size.0,
            height: self.chart_size.1,
            lang: self.lang,
        }
    }
}

#[derive(Args)]
struct RunArgs {
    /// The scenario file (TOML); the built-in Oujda scenario when omitted.
    scenario: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
    #[command(flatten)]
    charts: ChartArgs,
    #[command(flatten)]
    fit: fit::FitArgs,
    /// Individual trajectories drawn in grey on the fan chart.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(0..=1000))]
    sample_paths: u64,
}

#[derive(Args)]
struct CompareArgs {
    /// Scenario files (TOML); the built-in Oujda scenario and its policies when omitted.
    scenarios: Vec<PathBuf>,
    #[command(flatten)]
    common: Common,
    #[command(flatten)]
    charts: ChartArgs,
    #[command(flatten)]
    fit: fit::FitArgs,
    /// Give each option its own random streams instead of common random numbers
    /// (to measure what common random numbers save; intervals get wider).
    #[arg(long)]
    independent_streams: bool,
}

#[derive(Args)]
struct AnalysisArgs {
    /// The scenario file (TOML); the built-in Oujda scenario when omitted.
    scenario: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
    #[command(flatten)]
    charts: ChartArgs,
    #[command(flatten)]
    fit: fit::FitArgs,
    /// Analyse reaching this headcount instead of [target].headcount.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    target: Option<u32>,
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
        Command::Compare(args) => compare(args),
        Command::Sensitivity(args) => sensitivity(args),
        Command::Discover(args) => discover(args),
        Command::Calibrate(args) => fit::calibrate(args),
        Command::Backtest(args) => fit::backtest(args),
        Command::Validate { scenario } => {
            let loaded = load(Some(&scenario))?;
            print!("{}", loaded.scenario.to_resolved_toml());
            Ok(())
        }
    }
}

/// A scenario file's text with where it came from.
struct Source {
    text: String,
    origin: String,
    stem: String,
}

impl Source {
    /// Reads `path`, or the built-in Oujda scenario when `None`.
    fn read(path: Option<&Path>) -> Result<Source, Failure> {
        let Some(path) = path else {
            return Ok(Source {
                text: OUJDA.to_string(),
                origin: "built-in oujda.toml".to_string(),
                stem: "oujda".to_string(),
            });
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| {
                format!(
                    "cannot read the scenario file {}; check the path",
                    path.display()
                )
            })
            .map_err(bad_input)?;
        Ok(Source {
            text,
            origin: path.display().to_string(),
            stem: path.file_stem().map_or_else(
                || "scenario".to_string(),
                |s| s.to_string_lossy().into_owned(),
            ),
        })
    }

    fn sha256(&self) -> String {
        hex_sha256(self.text.as_bytes())
    }
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A scenario error as bad input, with a count of its problems.
fn scenario_failure(e: ScenarioError) -> Failure {
    let count = e.problems.len();
    let list: Vec<String> = e.to_string().lines().map(|l| format!("  {l}")).collect();
    bad_input(anyhow::anyhow!(
        "{} has {count} problem{}; fix {} and run again:\n{}",
        e.origin,
        if count == 1 { "" } else { "s" },
        if count == 1 { "it" } else { "them" },
        list.join("\n")
    ))
}

/// A scenario with where it came from.
struct Loaded {
    scenario: Scenario,
    stem: String,
    sha256: String,
}

fn load(path: Option<&Path>) -> Result<Loaded, Failure> {
    let source = Source::read(path)?;
    // Policies are checked too, so a file that runs is a file that compares.
    let (scenario, _) =
        policy::load_with_policies(&source.text, &source.origin).map_err(scenario_failure)?;
    Ok(Loaded {
        scenario,
        sha256: source.sha256(),
        stem: source.stem,
    })
}

fn output_failure(e: output::OutputError) -> Failure {
    Failure::from(anyhow::Error::new(e))
}

fn run(args: RunArgs) -> Result<(), Failure> {
    let mut loaded = load(args.scenario.as_deref())?;
    loaded.scenario.posterior =
        fit::read_posterior(&loaded.scenario, args.scenario.as_deref(), &args.fit)?;
    let c = &args.common;
    let options = RunOptions {
        paths: c.paths(&loaded.scenario),
        seed: c.seed(&loaded.scenario),
        sample_paths: args.sample_paths,
    };
    // The resolved scenario records what was run, command-line overrides included.
    loaded.scenario.simulation.paths = options.paths;
    loaded.scenario.simulation.seed = options.seed;
    let scenario = &loaded.scenario;
    let staged = c.stage(loaded.stem.clone())?;
    let result = c.simulate(options.paths, |progress| {
        engine::run(scenario, options, progress)
    })?;
    let provenance = provenance(scenario, loaded.sha256.clone());
    output::write_tables(&staged, scenario, &result, &provenance).map_err(output_failure)?;
    let charts = if args.charts.no_charts {
        Vec::new()
    } else {
        chart::write_run_charts(&staged, scenario, &result, &args.charts.options())
            .map_err(output_failure)?
    };
    let report = report::run_report_html(scenario, &result, &provenance, &charts, args.charts.lang);
    staged
        .write("report.html", report)
        .map_err(output_failure)?;
    let written = staged.commit().map_err(output_failure)?;
    print_summary(scenario, &result, &written);
    Ok(())
}

fn provenance(scenario: &Scenario, scenario_sha256: String) -> Provenance {
    Provenance {
        scenario: scenario.meta.name.clone(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_sha256,
        command_line: command_line(),
    }
}

/// Loads the scenario of an analysis, with its target overridden if asked.
fn load_for_analysis(args: &AnalysisArgs) -> Result<Loaded, Failure> {
    let mut loaded = load(args.scenario.as_deref())?;
    loaded.scenario.posterior =
        fit::read_posterior(&loaded.scenario, args.scenario.as_deref(), &args.fit)?;
    if let Some(target) = args.target {
        loaded.scenario.target.headcount = target;
    }
    Ok(loaded)
}

fn sensitivity(args: AnalysisArgs) -> Result<(), Failure> {
    let loaded = load_for_analysis(&args)?;
    let scenario = &loaded.scenario;
    let c = &args.common;
    let (paths, seed) = (c.paths(scenario), c.seed(scenario));
    let staged = c.stage(format!("{}-sensitivity", loaded.stem))?;
    let started = std::time::Instant::now();
    let result = c
        .simulate(paths, |progress| {
            sensitivity::sensitivity(scenario, paths, seed, progress)
        })?
        .map_err(|e| bad_input(anyhow::Error::new(e)))?;
    let elapsed = started.elapsed().as_secs_f64();
    output::write_csv(&staged, "sensitivity.csv", output::sensitivity_csv(&result))
        .map_err(output_failure)?;
    let charts = if args.charts.no_charts {
        Vec::new()
    } else {
        chart::write_sensitivity_charts(&staged, scenario, &result, &args.charts.options())
            .map_err(output_failure)?
    };
    let provenance = provenance(scenario, loaded.sha256.clone());
    let report = report::sensitivity_report_html(
        scenario,
        &result,
        &provenance,
        &charts,
        args.charts.lang,
        elapsed,
    );
    staged
        .write("report.html", report)
        .map_err(output_failure)?;
    let written = staged.commit().map_err(output_failure)?;
    print_sensitivity(scenario, &result, &written);
    Ok(())
}

fn print_sensitivity(scenario: &Scenario, s: &Sensitivity, written: &Path) {
    let lang = Lang::En;
    let t = scenario.target;
    println!(
        "{}: what drives headcount in {} ({} paths per run, seed {})",
        scenario.meta.name,
        lang.month(scenario.date(t.month)),
        lang.thousands(s.paths),
        s.seed
    );
    println!(
        "Base: median {} jobs, P(headcount >= {}) = {}. Swings: each input fixed at its 10th, then 90th percentile.",
        lang.thousands(s.base_median.into()),
        lang.thousands(t.headcount.into()),
        lang.percent(s.base_p_target)
    );
    println!(
        "{:<4} {:<34} {:>22} {:>12} {:>21} {:>17}",
        "rank",
        "parameter",
        "PRCC (95% CI)",
        "P(target)/sd",
        "median jobs p10->p90",
        "P(target) p10->p90"
    );
    for (i, x) in s.inputs.iter().enumerate() {
        println!(
            "{:<4} {:<34} {:>22} {:>12} {:>21} {:>17}",
            i + 1,
            x.parameter,
            format!(
                "{:+.2} ({:+.2} to {:+.2})",
                x.prcc, x.prcc_ci95_low, x.prcc_ci95_high
            ),
            format!("{:+.1} pts", x.p_target_per_sd * 100.0),
            format!(
                "{} -> {}",
                lang.thousands(x.median_low.into()),
                lang.thousands(x.median_high.into())
            ),
            format!(
                "{} -> {}",
                lang.percent(x.p_target_low),
                lang.percent(x.p_target_high)
            ),
        );
    }
    println!("  Results in {}", written.display());
}

fn discover(args: AnalysisArgs) -> Result<(), Failure> {
    let loaded = load_for_analysis(&args)?;
    let scenario = &loaded.scenario;
    let c = &args.common;
    let (paths, seed) = (c.paths(scenario), c.seed(scenario));
    let staged = c.stage(format!("{}-discover", loaded.stem))?;
    let started = std::time::Instant::now();
    let data = c
        .simulate(paths, |progress| {
            PathInputs::collect(scenario, paths, seed, progress)
        })?
        .map_err(|e| bad_input(anyhow::Error::new(e)))?;
    let prim_options = PrimOptions::default();
    let result = discover::prim(&data.values, &data.hit, prim_options).map_err(|e| {
        let e = match e {
            DiscoverError::NoSuccess { .. } => {
                let reachable = sensitivity::empirical_quantile(
                    &data
                        .headcount
                        .iter()
                        .map(|&h| f64::from(h))
                        .collect::<Vec<_>>(),
                    2.0 / 3.0,
                );
                DiscoverError::NoSuccess {
                    suggestion: reachable as u32,
                }
            }
            other => other,
        };
        bad_input(anyhow::Error::new(e))
    })?;
    let elapsed = started.elapsed().as_secs_f64();
    let lang = args.charts.lang;
    output::write_csv(
        &staged,
        "prim_trajectory.csv",
        output::prim_trajectory_csv(&result),
    )
    .map_err(output_failure)?;
    output::write_csv(
        &staged,
        "prim_box.csv",
        output::prim_box_csv(&data.names, &result),
    )
    .map_err(output_failure)?;
    // The file follows --lang, like the charts and the report; the terminal
    // speaks English, like every other command.
    let sentence = report::box_sentence(scenario, &data.names, &result, lang);
    staged
        .write("discover.txt", format!("{sentence}\n"))
        .map_err(output_failure)?;
    let charts = if args.charts.no_charts {
        Vec::new()
    } else {
        let run = chart::DiscoverRun {
            paths,
            seed,
            min_coverage: prim_options.min_coverage,
        };
        chart::write_discover_charts(&staged, scenario, &result, run, &args.charts.options())
            .map_err(output_failure)?
    };
    let provenance = provenance(scenario, loaded.sha256.clone());
    let facts = report::DiscoverFacts {
        paths,
        seed,
        elapsed_seconds: elapsed,
    };
    let report = report::discover_report_html(
        scenario,
        &data.names,
        &result,
        &provenance,
        &charts,
        lang,
        facts,
    );
    staged
        .write("report.html", report)
        .map_err(output_failure)?;
    let written = staged.commit().map_err(output_failure)?;
    println!("{}", describe_box(scenario, &data.names, &result));
    println!("  Results in {}", written.display());
    Ok(())
}

/// The plain-language reading of a PRIM box.
fn describe_box(scenario: &Scenario, names: &[String], r: &PrimResult) -> String {
    report::box_sentence(scenario, names, r, Lang::En)
}

/// Whether progress bars are drawn: not with --quiet, nor off a terminal.
fn progress_bar_visible(quiet: bool) -> bool {
    !quiet && std::io::stderr().is_terminal()
}

fn progress_bar(paths: u64, quiet: bool) -> ProgressBar {
    if !progress_bar_visible(quiet) {
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
        "  P(headcount >= {} in {target_date}): {}",
        n(t.headcount),
        uncertainty::chance_with_error(&p, result.options.paths, lang)
    );
    println!("  {}", uncertainty::fit_status(scenario, lang));
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

/// The options of a comparison: one file's base and policies, or several files.
fn load_options(paths: &[PathBuf]) -> Result<(Vec<Policy>, String, String), Failure> {
    if paths.len() <= 1 {
        let source = Source::read(paths.first().map(PathBuf::as_path))?;
        let (base, policies) =
            policy::load_with_policies(&source.text, &source.origin).map_err(scenario_failure)?;
        if policies.is_empty() {
            return Err(bad_input(anyhow::anyhow!(
                "{} has no [[policy]] entries to compare; add some (see the README) or give several scenario files",
                source.origin
            )));
        }
        let mut options = vec![Policy::base(base, "Base case")];
        options.extend(policies);
        return Ok((options, source.stem.clone(), source.sha256()));
    }
    let mut options: Vec<Policy> = Vec::new();
    let mut hashes = String::new();
    for path in paths {
        let source = Source::read(Some(path))?;
        let (scenario, policies) =
            policy::load_with_policies(&source.text, &source.origin).map_err(scenario_failure)?;
        if !policies.is_empty() {
            return Err(bad_input(anyhow::anyhow!(
                "{} has [[policy]] entries: compare it on its own to compare its policies, \
                 or remove them to use the file as one option among several",
                source.origin
            )));
        }
        if let Some(base) = options.first() {
            policy::check_comparable(&base.scenario, &scenario)
                .map_err(|why| bad_input(anyhow::anyhow!("{} {why}", source.origin)))?;
        }
        hashes.push_str(&source.sha256());
        let name = scenario.meta.name.clone();
        options.push(Policy::base(scenario, &name));
    }
    let stem = Source::read(Some(&paths[0]))?.stem;
    Ok((options, stem, hex_sha256(hashes.as_bytes())))
}

fn compare(args: CompareArgs) -> Result<(), Failure> {
    let (mut options, stem, sha256) = load_options(&args.scenarios)?;
    // Every option forecasts from the base's posterior: each path picks the
    // same particle in every option, so the options stay on common random
    // numbers. An option that changes an input draws that input as it says.
    let posterior = fit::read_posterior(
        &options[0].scenario,
        args.scenarios.first().map(PathBuf::as_path),
        &args.fit,
    )?;
    for option in &mut options {
        option.scenario.posterior = posterior.clone();
    }
    let base = &options[0].scenario;
    let c = &args.common;
    let settings = CompareOptions {
        paths: c.paths(base),
        seed: c.seed(base),
        independent_streams: args.independent_streams,
    };
    let staged = c.stage(format!("{stem}-compare"))?;
    let comparison = c.simulate(settings.paths, |progress| {
        compare::compare(&options, settings, 20, progress)
    })?;
    let provenance = provenance(base, sha256);
    output::write_comparison_tables(&staged, base, &comparison, &provenance)
        .map_err(output_failure)?;
    let charts = if args.charts.no_charts {
        Vec::new()
    } else {
        chart::write_compare_charts(&staged, base, &comparison, &args.charts.options())
            .map_err(output_failure)?
    };
    let report =
        report::compare_report_html(base, &comparison, &provenance, &charts, args.charts.lang);
    staged
        .write("report.html", report)
        .map_err(output_failure)?;
    let written = staged.commit().map_err(output_failure)?;
    print_comparison(base, &comparison, &written);
    Ok(())
}

fn print_comparison(base: &Scenario, c: &Comparison, written: &Path) {
    let lang = Lang::En;
    let t = base.target;
    println!(
        "{}: {} options, {} paths each, {} random numbers",
        base.meta.name,
        c.options.len(),
        lang.thousands(c.settings.paths),
        if c.settings.independent_streams {
            "independent"
        } else {
            "common"
        }
    );
    println!(
        "Target: {} jobs in {}. Differences are paired against the base, with 95% intervals.",
        lang.thousands(u64::from(t.headcount)),
        lang.month(base.date(t.month))
    );
    println!(
        "{:<4} {:<36} {:>9} {:>24} {:>8} {:>22} {:>14} {:>11}",
        "rank",
        "option",
        "P(target)",
        "change, points (95% CI)",
        "jobs",
        "change (95% CI)",
        "cost, MAD M",
        "MAD/job"
    );
    let mut rows: Vec<_> = c.options.iter().collect();
    rows.sort_by_key(|o| o.rank_p_target);
    for o in rows {
        let d = o.p_target_diff;
        let h = o.headcount_diff;
        let name: String = o.name.chars().take(36).collect();
        println!(
            "{:<4} {:<36} {:>9} {:>24} {:>8} {:>22} {:>14} {:>11}",
            o.rank_p_target,
            name,
            lang.share(o.summary.p_target.estimate),
            format!(
                "{:+.2} ({:+.2} to {:+.2})",
                d.mean * 100.0,
                d.ci95_low * 100.0,
                d.ci95_high * 100.0
            ),
            lang.thousands(o.summary.quantile(Series::Headcount, t.month, 50).into()),
            format!("{:+.0} ({:+.0} to {:+.0})", h.mean, h.ci95_low, h.ci95_high),
            format!("{:.1}", o.cost_to_target / 1e6),
            o.cost_per_additional_job.map_or("-".to_string(), |v| {
                let flag = if o.headcount_diff.is_gain() { "" } else { "*" };
                format!("{}{flag}", lang.thousands(v.round() as u64))
            }),
        );
    }
    if c.options
        .iter()
        .any(|o| o.cost_per_additional_job.is_some() && !o.headcount_diff.is_gain())
    {
        println!("  * the gain's 95% interval includes zero: the cost per job may be far higher");
    }
    println!(
        "  {:.2} s; results in {}",
        c.elapsed_seconds,
        written.display()
    );
}
