//! Commands and their arguments. Errors are sorted into bad input (exit 2) and
//! everything else (exit 1).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use shorecast::analysis::backtest;
use shorecast::analysis::budget;
use shorecast::analysis::compare::{self, CompareOptions, Comparison};
use shorecast::analysis::discover::{self, DiscoverError, PrimOptions, PrimResult};
use shorecast::analysis::findings::{self, Binding, CompareAnswer};
use shorecast::analysis::sensitivity::{self, PathInputs, Sensitivity};
use shorecast::app::shard::{
    self, Body, Header, Kind, MAX_SHARDED_PATHS, Partial, Shard, ShardError, SourceText, hex_sha256,
};
use shorecast::core::engine::{self, RunOptions, RunResult};
use shorecast::core::model::Series;
use shorecast::core::posterior::Posterior;
use shorecast::core::scenario::{MAX_PATHS, Scenario};
use shorecast::input::file::{self as input_file, Links};
use shorecast::input::oujda::OUJDA;
use shorecast::input::policy::{self, Policy};
use shorecast::input::scenario_file::ScenarioError;
use shorecast::input::template;
use shorecast::present::chart::{self, ChartOptions};
use shorecast::present::output::{self, Provenance, StageError, StagedDir};
use shorecast::present::report;
use shorecast::present::text::Lang;
use shorecast::present::text::uncertainty;
use shorecast::present::workbook;

mod fit;
mod plan;

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
    /// Find the cheapest package of the file's [[lever]] levels that reaches the
    /// target, the best within a budget, and the value of information.
    Plan(plan::PlanArgs),
    /// Rank the uncertain inputs by their effect on the outcome: PRCC from one
    /// run, and one-at-a-time swings from their 10th to 90th percentiles.
    Sensitivity(AnalysisArgs),
    /// Find the ranges of uncertain inputs in which the target is reached most
    /// often (PRIM scenario discovery).
    Discover(AnalysisArgs),
    /// Combine the partial results of `run --shard`, `compare --shard` or
    /// `plan --shard` into the output folder a single run would have written.
    Merge(MergeArgs),
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
    /// Write a commented scenario template for a new region, to fill in.
    Init {
        /// The scenario's name (the file is named after it).
        name: String,
        /// File to write (default: NAME.toml in the current folder, lower case).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// Settings shared by every simulating command.
#[derive(Args)]
struct Common {
    /// Number of paths (overrides [simulation].paths): at most 100,000,000 in
    /// one process, 4,000,000,000 in all when cut into shards with --shard.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=MAX_SHARDED_PATHS))]
    paths: Option<u64>,
    /// Master seed, 0 to 9223372036854775807 like [simulation].seed (overrides it).
    #[arg(long, value_parser = clap::value_parser!(u64).range(..=i64::MAX as u64))]
    seed: Option<u64>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
    /// Output folder (default: under output/, named after the scenario file).
    #[arg(long)]
    out: Option<PathBuf>,
    /// No progress bar, progress lines or time estimate.
    #[arg(long)]
    quiet: bool,
    /// Refuse a run estimated to need more memory than this, e.g. 800M or 16G
    /// (default: half of this machine's memory).
    #[arg(long, value_parser = budget::parse_bytes)]
    max_memory: Option<u64>,
}

/// What a command simulates, for its estimate.
struct Workload {
    /// Paths simulated per path of the run (options, swing runs).
    simulations: u64,
    /// Sets of full statistics kept (one per option).
    statistics: u64,
    /// Other memory that grows with paths (per-path inputs).
    extra_bytes: u64,
    /// Paths simulated besides (a run's verdict and back-test from the
    /// priors), at most as long as the run's.
    extra_runs: u64,
}

impl Common {
    fn paths(&self, s: &Scenario) -> u64 {
        self.paths.unwrap_or(s.simulation.paths)
    }

    fn seed(&self, s: &Scenario) -> u64 {
        self.seed.unwrap_or(s.simulation.seed)
    }

    /// Stages the output folder (`default` under output/ unless --out is given;
    /// in French, `default-fr`, so the two languages' results sit side by side),
    /// so an unwritable folder fails before any simulation.
    fn stage(&self, default: String, lang: Lang) -> Result<StagedDir, Failure> {
        stage(self.out.as_deref(), in_language(default, lang))
    }

    /// Worker threads to be used.
    fn thread_count(&self) -> u64 {
        self.threads.map_or_else(cores, u64::from)
    }

    /// Estimates the time and memory of `work` from a short pilot: refuses past
    /// --max-memory (bad input, with the estimate and the ways out) and
    /// announces a long run.
    fn plan(
        &self,
        scenario: &Scenario,
        paths: u64,
        seed: u64,
        work: Workload,
    ) -> Result<(), Failure> {
        let pilot = budget::Pilot::run(scenario, seed, paths);
        let threads = self.thread_count();
        let bytes = budget::BASE_BYTES
            + work.statistics * pilot.statistics_bytes(paths, threads)
            + threads * pilot.workspace_bytes()
            + scenario.posterior.as_ref().map_or(0, |p| p.heap_bytes())
            + work.extra_bytes;
        let (limit, whose) = match self.max_memory {
            Some(limit) => (limit, "the limit set by --max-memory"),
            None => (
                default_memory_limit(),
                "the default limit, half of this machine's memory",
            ),
        };
        if bytes > limit {
            return Err(bad_input(anyhow::anyhow!(
                "this run would need about {} of memory (estimated from a pilot of {} paths), more \
                 than {whose} ({}). Use fewer --paths, fewer --threads, a shorter horizon or narrower \
                 distributions, or raise the limit with --max-memory {}",
                budget::show_bytes(bytes),
                pilot.paths,
                budget::show_bytes(limit),
                budget::show_bytes(bytes + bytes / 4)
                    .replace(' ', "")
                    .replace("GB", "G")
                    .replace("MB", "M"),
            )));
        }
        let seconds = pilot.seconds(
            paths * work.simulations + work.extra_runs,
            threads.min(cores()),
        );
        if !self.quiet && seconds >= 10.0 {
            eprintln_safe(&format!(
                "Estimated time: about {} for {} paths on {threads} thread{} (from a pilot of {} paths); memory about {}.",
                budget::show_seconds(seconds),
                Lang::En.thousands(paths * work.simulations),
                if threads == 1 { "" } else { "s" },
                pilot.paths,
                budget::show_bytes(bytes)
            ));
        }
        Ok(())
    }

    /// Runs `work` on the worker pool, reporting progress over `paths`: a bar
    /// on a terminal, elsewhere a line every few seconds.
    fn simulate<T: Send>(
        &self,
        paths: u64,
        work: impl FnOnce(&(dyn Fn(u64) + Sync)) -> T + Send,
    ) -> Result<T, Failure> {
        self.simulate_counting(paths, "paths", work)
    }

    /// [`Common::simulate`] over `total` units of work named by `unit` (for
    /// example "paths of the verdict (3 counterfactual runs each)").
    fn simulate_counting<T: Send>(
        &self,
        total: u64,
        unit: &str,
        work: impl FnOnce(&(dyn Fn(u64) + Sync)) -> T + Send,
    ) -> Result<T, Failure> {
        let progress = Progress::new(total, unit, self.quiet);
        let result = self.pool()?.install(|| work(&|done| progress.set(done)));
        progress.finish();
        Ok(result)
    }

    /// Runs a step that counts no progress of its own (analysis after the
    /// simulation, writing charts) on the worker pool, naming it beside a
    /// spinner on a terminal, so that the wait is never shown as a full bar.
    fn step<T: Send>(&self, what: &str, work: impl FnOnce() -> T + Send) -> Result<T, Failure> {
        let spinner = if progress_bar_visible(self.quiet) {
            let spinner = ProgressBar::new_spinner();
            if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}, {elapsed}") {
                spinner.set_style(style);
            }
            spinner.set_message(what.to_string());
            spinner.enable_steady_tick(std::time::Duration::from_millis(120));
            spinner
        } else {
            ProgressBar::hidden()
        };
        let result = self.pool()?.install(work);
        spinner.finish_and_clear();
        Ok(result)
    }

    /// The settings of `merge`, which simulates only the verdict's paths: one
    /// thread per core, with a progress bar.
    fn for_merge() -> Common {
        Common {
            paths: None,
            seed: None,
            threads: None,
            out: None,
            quiet: false,
            max_memory: None,
        }
    }

    /// A worker pool of `--threads` threads.
    fn pool(&self) -> Result<rayon::ThreadPool, Failure> {
        Ok(rayon::ThreadPoolBuilder::new()
            .num_threads(self.threads.map_or(0, usize::from))
            .build()
            .context("cannot start the worker threads")?)
    }
}

/// What the spinner says while charts are drawn.
const DRAWING: &str = "drawing the charts";

/// The default folder name of results written in `lang`.
fn in_language(default: String, lang: Lang) -> String {
    match lang {
        Lang::En => default,
        Lang::Fr => format!("{default}-fr"),
    }
}

/// Stages the folder `out`, or `default` under output/.
fn stage(out: Option<&Path>, default: String) -> Result<StagedDir, Failure> {
    let dir = out.map_or_else(|| Path::new("output").join(default), Path::to_path_buf);
    StagedDir::new(&dir).map_err(stage_failure)
}

/// Splitting the paths between processes.
#[derive(Args)]
struct ShardArgs {
    /// Simulate only shard K of N (1 <= K <= N: a contiguous share of the
    /// paths) and write its partial result into the output folder, for
    /// `shorecast merge`.
    #[arg(long, value_name = "K/N", value_parser = Shard::parse)]
    shard: Option<Shard>,
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
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u64).range(0..=1000))]
    sample_paths: u64,
    #[command(flatten)]
    shard: ShardArgs,
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
    /// What one job at the target month is worth, in MAD: with it, the value
    /// of information (EVPI, EVPPI) of the choice among the options.
    #[arg(long, value_parser = plan::parse_amount, conflicts_with = "independent_streams")]
    value_per_job: Option<f64>,
    #[command(flatten)]
    shard: ShardArgs,
}

#[derive(Args)]
struct MergeArgs {
    /// Folders written by `run --shard`, `compare --shard` or `plan --shard`, or folders
    /// holding them: every shard of one run, each once, in any order.
    #[arg(required = true)]
    dirs: Vec<PathBuf>,
    /// Output folder (default: under output/, named as the single run's).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Refuse shards whose merged statistics would need more memory than this
    /// (default: half of this machine's memory).
    #[arg(long, value_parser = budget::parse_bytes)]
    max_memory: Option<u64>,
    #[command(flatten)]
    charts: ChartArgs,
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
    stop_cleanly_on_signals();
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
        Command::Plan(args) => plan::plan(args),
        Command::Sensitivity(args) => sensitivity(args),
        Command::Discover(args) => discover(args),
        Command::Merge(args) => merge(args),
        Command::Calibrate(args) => fit::calibrate(args),
        Command::Backtest(args) => fit::backtest(args),
        Command::Validate { scenario } => {
            let loaded = load(Some(&scenario))?;
            emit(&loaded.scenario.to_resolved_toml())
        }
        Command::Init { name, out } => init(&name, out),
    }
}

/// Writes the scenario template, never over an existing file.
fn init(name: &str, out: Option<PathBuf>) -> Result<(), Failure> {
    if name.trim().is_empty() {
        return Err(bad_input(anyhow::anyhow!(
            "the scenario needs a name, e.g. `shorecast init \"Tanger Shore\"`"
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(bad_input(anyhow::anyhow!(
            "the name holds control characters (escape sequences, tabs or line breaks); \
             give it as plain text, e.g. `shorecast init \"Tanger Shore\"`"
        )));
    }
    if name.chars().count() > shorecast::core::local_text::MAX_CHARS {
        return Err(bad_input(anyhow::anyhow!(
            "the name is longer than {} characters; shorten it",
            shorecast::core::local_text::MAX_CHARS
        )));
    }
    let path = out.unwrap_or_else(|| PathBuf::from(template::file_name(name)));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| {
            format!(
                "cannot create {}; it may exist already (init never overwrites): choose another --out",
                path.display()
            )
        })
        .map_err(bad_input)?;
    std::io::Write::write_all(&mut file, template::scenario_template(name).as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    emit(&format!(
        "Wrote {}: replace the values marked FILL IN, then check it with `shorecast validate {}`\n",
        path.display(),
        path.display()
    ))
}

/// Reads a scenario file with its policies, and warns about what it left to
/// neutral defaults.
fn load_checked(source: &Source) -> Result<(Scenario, Vec<Policy>), Failure> {
    let (scenario, policies) =
        policy::load_with_policies(&source.text, &source.origin).map_err(scenario_failure)?;
    print_warnings(source, &scenario);
    Ok((scenario, policies))
}

/// Prints what a scenario file leaves to neutral defaults.
fn print_warnings(source: &Source, scenario: &Scenario) {
    for warning in &scenario.warnings {
        eprintln_safe(&format!(
            "warning: {}: {}",
            output::terminal_safe(&source.origin),
            output::terminal_safe(warning)
        ));
    }
}

/// The origin named for the built-in Oujda scenario.
const BUILT_IN_ORIGIN: &str = "built-in oujda.toml";

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
                origin: BUILT_IN_ORIGIN.to_string(),
                stem: "oujda".to_string(),
            });
        };
        let text = input_file::read_text(path, input_file::MAX_SCENARIO_BYTES, Links::Follow)
            .map_err(|e| {
                let hint = match e.kind() {
                    std::io::ErrorKind::NotFound => "; check the path",
                    _ => "",
                };
                anyhow::Error::new(e).context(format!(
                    "cannot read the scenario file {}{hint}",
                    path.display()
                ))
            })
            .map_err(bad_input)?;
        Ok(Source {
            text,
            origin: path.display().to_string(),
            // The stem names the default output folder: a plain name only.
            stem: path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .filter(|s| shard::is_plain_stem(s))
                .unwrap_or_else(|| "scenario".to_string()),
        })
    }

    fn sha256(&self) -> String {
        hex_sha256(self.text.as_bytes())
    }

    /// The text kept in a shard's partial result.
    fn record(&self) -> SourceText {
        SourceText {
            origin: self.origin.clone(),
            stem: self.stem.clone(),
            text: self.text.clone(),
        }
    }

    /// A scenario file kept in a partial result.
    fn from_record(record: &SourceText) -> Source {
        Source {
            text: record.text.clone(),
            origin: record.origin.clone(),
            stem: record.stem.clone(),
        }
    }
}

/// A scenario error as bad input, with a count of its problems.
fn scenario_failure(e: ScenarioError) -> Failure {
    scenario_failures(vec![e])
}

/// The problems of several files as one bad input, file by file.
fn scenario_failures(errors: Vec<ScenarioError>) -> Failure {
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let count: usize = errors.iter().map(|e| e.problems.len()).sum();
    let files: Vec<&str> = errors.iter().map(|e| e.origin.as_str()).collect();
    let mut text = format!(
        "{} {} {count} problem{}; fix {} and run again:",
        files.join(", "),
        if files.len() == 1 { "has" } else { "have" },
        plural(count),
        if count == 1 { "it" } else { "them" },
    );
    for e in &errors {
        for line in e.to_string().lines() {
            text.push_str("\n  ");
            text.push_str(line);
        }
    }
    bad_input(anyhow::anyhow!(text))
}

/// A scenario with where it came from.
struct Loaded {
    scenario: Scenario,
    stem: String,
    sha256: String,
    source: SourceText,
}

fn load(path: Option<&Path>) -> Result<Loaded, Failure> {
    load_source(Source::read(path)?)
}

fn load_source(source: Source) -> Result<Loaded, Failure> {
    // Policies are checked too, so a file that runs is a file that compares.
    let (scenario, _) = load_checked(&source)?;
    Ok(Loaded {
        scenario,
        sha256: source.sha256(),
        source: source.record(),
        stem: source.stem,
    })
}

fn output_failure(e: output::OutputError) -> Failure {
    Failure::from(anyhow::Error::new(e))
}

/// An output folder that cannot be used: refused (exit 2) or unwritable (exit 1).
fn stage_failure(e: StageError) -> Failure {
    match e {
        StageError::Refused { .. } => bad_input(anyhow::Error::new(e)),
        StageError::Io(e) => output_failure(e),
        StageError::Busy { .. } => Failure::from(anyhow::Error::new(e)),
    }
}

fn run(args: RunArgs) -> Result<(), Failure> {
    let mut loaded = load(args.scenario.as_deref())?;
    loaded.scenario.meta.localise(args.charts.lang.code());
    loaded.scenario.posterior =
        fit::read_posterior(&loaded.scenario, args.scenario.as_deref(), &args.fit)?;
    let c = &args.common;
    let options = RunOptions {
        paths: c.paths(&loaded.scenario),
        seed: c.seed(&loaded.scenario),
        sample_paths: args.sample_paths,
        // The verdict pairs its counterfactuals with these paths' headcounts.
        target_paths: findings::verdict_paths(c.paths(&loaded.scenario)),
    };
    // The resolved scenario records what was run, command-line overrides included.
    loaded.scenario.simulation.paths = options.paths;
    loaded.scenario.simulation.seed = options.seed;
    let scenario = &loaded.scenario;
    check_paths(options.paths, args.shard.shard)?;
    if let Some(shard) = args.shard.shard {
        return run_shard(&loaded, options, shard, c);
    }
    let staged = c.stage(loaded.stem.clone(), args.charts.lang)?;
    let one = Workload {
        simulations: 1,
        statistics: 1,
        extra_bytes: 0,
        // The verdict's three counterfactual runs and the back-test from the
        // priors, each on the verdict's paths.
        extra_runs: 4 * findings::verdict_paths(options.paths),
    };
    c.plan(scenario, options.paths, options.seed, one)?;
    let result = c.simulate(options.paths, |progress| {
        engine::run(scenario, options, progress)
    })?;
    let binding = verdict(c, scenario, &result)?;
    // The genuine back-test: the history points forecast from the priors alone.
    finish_run(c, staged, &loaded, &result, &binding, &args.charts)
}

/// Measures the binding constraint of a run (its counterfactual runs on the
/// verdict's paths, paired with the run's own) with a bar of its own.
fn verdict(c: &Common, scenario: &Scenario, run: &RunResult) -> Result<Binding, Failure> {
    let RunOptions { paths, seed, .. } = run.options;
    c.simulate_counting(
        findings::verdict_paths(paths),
        "paths of the verdict (3 counterfactual runs each)",
        |progress| {
            let base = &run.summary.target_headcounts;
            findings::binding_constraint(scenario, paths, seed, Some(base), progress)
        },
    )
}

/// Scores the history points from the priors alone (the genuine back-test, on
/// the verdict's paths), writes every output of a run and prints its summary.
fn finish_run(
    c: &Common,
    staged: StagedDir,
    loaded: &Loaded,
    result: &RunResult,
    binding: &Binding,
    charts: &ChartArgs,
) -> Result<(), Failure> {
    let scenario = &loaded.scenario;
    let options = result.options;
    let checks = c.step("scoring the history points from the priors", || {
        backtest::prior_forecasts(
            scenario,
            findings::verdict_paths(options.paths),
            options.seed,
        )
    })?;
    let written = c.step(DRAWING, || {
        write_run(staged, loaded, result, binding, &checks, charts)
    })??;
    print_summary(scenario, result, binding, &checks, &written, charts.lang)
}

/// Writes every output of a run (tables, charts, report) and commits the folder.
fn write_run(
    staged: StagedDir,
    loaded: &Loaded,
    result: &RunResult,
    binding: &Binding,
    checks: &[backtest::Row],
    charts: &ChartArgs,
) -> Result<PathBuf, Failure> {
    let scenario = &loaded.scenario;
    let provenance = provenance(scenario, loaded.sha256.clone());
    output::write_tables(&staged, scenario, result, binding, &provenance)
        .map_err(output_failure)?;
    let xlsx = workbook::run_workbook(scenario, &result.summary, binding, charts.lang)
        .context("cannot build results.xlsx")?;
    staged.write("results.xlsx", xlsx).map_err(output_failure)?;
    let drawn = if charts.no_charts {
        Vec::new()
    } else {
        chart::write_run_charts(&staged, scenario, result, &charts.options())
            .map_err(output_failure)?
    };
    let report = report::run_report_html(
        scenario,
        result,
        binding,
        checks,
        &provenance,
        &drawn,
        charts.lang,
    );
    staged
        .write("report.html", report)
        .map_err(output_failure)?;
    staged.commit().map_err(stage_failure)
}

/// Refuses more shards than paths, and more paths in one process (the whole
/// run, or its largest shard) than [`MAX_PATHS`].
fn check_paths(paths: u64, shard: Option<Shard>) -> Result<(), Failure> {
    let fail = |message: String| Err(bad_input(anyhow::anyhow!(message)));
    let per_process = match shard {
        Some(shard) if shard.count > paths => {
            return fail(format!(
                "--shard {shard}: {paths} paths cannot be cut into {} shards; use at most {paths} shards or more paths",
                shard.count
            ));
        }
        Some(shard) => paths.div_ceil(shard.count),
        None => paths,
    };
    let most = MAX_PATHS as u64;
    if per_process > most {
        return fail(format!(
            "--paths {paths}: one process simulates at most {most} paths; cut the run into at least {} shards with --shard K/N and combine them with `shorecast merge`",
            paths.div_ceil(most)
        ));
    }
    Ok(())
}

/// The header of a shard's partial result (`body_sha256` is filled in when
/// the file is encoded).
struct ShardRun<'a> {
    kind: Kind,
    scenario_sha256: &'a str,
    resolved_sha256: String,
    seed: u64,
    paths: u64,
    sample_paths: u64,
    independent_streams: bool,
    sources: Vec<SourceText>,
    posterior: Option<&'a Posterior>,
    plan: Option<shorecast::analysis::plan::PlanChoices>,
}

impl ShardRun<'_> {
    /// Simulates shard `shard` with `accumulate` and writes its partial result
    /// into the folder `default` (or --out).
    fn write(
        self,
        shard: Shard,
        c: &Common,
        default: &str,
        accumulate: impl FnOnce(std::ops::Range<u64>, &(dyn Fn(u64) + Sync)) -> Body + Send,
    ) -> Result<(), Failure> {
        // A partial result has no language: the merge draws and words.
        let staged = c.stage(
            format!("{default}-shard-{}-of-{}", shard.index, shard.count),
            Lang::En,
        )?;
        let path_range = shard.paths(self.paths);
        let started = std::time::Instant::now();
        let range = path_range.clone();
        let body = c.simulate(range.end - range.start, |progress| {
            accumulate(range, progress)
        })?;
        let header = Header {
            shorecast_version: env!("CARGO_PKG_VERSION").to_string(),
            kind: self.kind,
            scenario_sha256: self.scenario_sha256.to_string(),
            resolved_sha256: self.resolved_sha256,
            seed: self.seed,
            paths: self.paths,
            shard,
            path_range: path_range.clone(),
            sample_paths: self.sample_paths,
            independent_streams: self.independent_streams,
            elapsed_seconds: started.elapsed().as_secs_f64(),
            sources: self.sources,
            posterior: self.posterior.map(posterior_text).transpose()?,
            plan: self.plan,
            body_bytes: 0,
        };
        let elapsed = header.elapsed_seconds;
        staged
            .write(shard::PARTIAL_FILE, Partial { header, body }.encode())
            .map_err(output_failure)?;
        let written = staged.commit().map_err(stage_failure)?;
        emit(&format!(
            "Shard {shard}: paths {} to {} of {} simulated in {elapsed:.2} s\n  \
             Partial result in {}; combine all {} shards with `shorecast merge`\n",
            path_range.start,
            path_range.end - 1,
            self.paths,
            written.display(),
            shard.count
        ))
    }
}

/// A posterior as the text a shard records: `posterior.csv` as `calibrate`
/// writes it, read back by `merge` to the same particles.
fn posterior_text(posterior: &Posterior) -> Result<String, Failure> {
    let csv = posterior
        .to_csv()
        .context("cannot format the posterior for the partial result")?;
    Ok(String::from_utf8(csv).context("the posterior is not UTF-8")?)
}

fn run_shard(
    loaded: &Loaded,
    options: RunOptions,
    shard: Shard,
    c: &Common,
) -> Result<(), Failure> {
    let scenario = &loaded.scenario;
    let header = ShardRun {
        kind: Kind::Run,
        scenario_sha256: &loaded.sha256,
        resolved_sha256: hex_sha256(scenario.to_resolved_toml().as_bytes()),
        seed: options.seed,
        paths: options.paths,
        sample_paths: options.sample_paths,
        independent_streams: false,
        sources: vec![loaded.source.clone()],
        posterior: scenario.posterior.as_deref(),
        plan: None,
    };
    header.write(shard, c, &loaded.stem, |range, progress| {
        Body::Run(engine::accumulate(scenario, options, range, progress))
    })
}

fn provenance(scenario: &Scenario, scenario_sha256: String) -> Provenance {
    Provenance {
        scenario: scenario.meta.name.to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_sha256,
        command_line: command_line(),
    }
}

/// The number of uncertain inputs of an analysis, from one path, refusing
/// before any long simulation a scenario with none or too many paths.
fn uncertain_inputs(scenario: &Scenario, paths: u64, seed: u64) -> Result<u64, Failure> {
    if paths > sensitivity::MAX_ANALYSIS_PATHS {
        return Err(bad_input(anyhow::Error::new(
            sensitivity::SensitivityError::TooManyPaths {
                max: sensitivity::MAX_ANALYSIS_PATHS,
            },
        )));
    }
    match sensitivity::input_names(scenario, seed).len() {
        0 => Err(bad_input(anyhow::Error::new(
            sensitivity::SensitivityError::NothingUncertain,
        ))),
        k => Ok(k as u64),
    }
}

/// Loads the scenario of an analysis, with its target overridden if asked.
fn load_for_analysis(args: &AnalysisArgs) -> Result<Loaded, Failure> {
    let mut loaded = load(args.scenario.as_deref())?;
    loaded.scenario.meta.localise(args.charts.lang.code());
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
    check_paths(paths, None)?;
    let staged = c.stage(format!("{}-sensitivity", loaded.stem), args.charts.lang)?;
    let inputs = uncertain_inputs(scenario, paths, seed)?;
    if paths < inputs + 4 {
        return Err(bad_input(anyhow::Error::new(
            sensitivity::SensitivityError::TooFewPaths {
                inputs: inputs as usize,
                needed: inputs + 4,
            },
        )));
    }
    // The base run keeps every path's inputs; then the base and two swing runs
    // per input run as options on common random numbers.
    let work = Workload {
        simulations: 2 * inputs + 2,
        statistics: 2 * inputs + 1,
        extra_bytes: budget::path_inputs_bytes(paths, inputs),
        extra_runs: 0,
    };
    c.plan(scenario, paths, seed, work)?;
    let started = std::time::Instant::now();
    let unit = format!("path runs ({inputs} inputs x 2 + 2)");
    let result = c
        .simulate_counting(sensitivity::path_runs(paths, inputs), &unit, |progress| {
            sensitivity::sensitivity(scenario, paths, seed, progress)
        })?
        .map_err(|e| bad_input(anyhow::Error::new(e)))?;
    let elapsed = started.elapsed().as_secs_f64();
    output::write_csv(&staged, "sensitivity.csv", output::sensitivity_csv(&result))
        .map_err(output_failure)?;
    let charts = if args.charts.no_charts {
        Vec::new()
    } else {
        c.step(DRAWING, || {
            chart::write_sensitivity_charts(&staged, scenario, &result, &args.charts.options())
        })?
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
    let written = staged.commit().map_err(stage_failure)?;
    print_sensitivity(scenario, &result, &written)?;
    Ok(())
}

fn print_sensitivity(scenario: &Scenario, s: &Sensitivity, written: &Path) -> Result<(), Failure> {
    let mut out = String::new();
    let lang = Lang::En;
    let t = scenario.target;
    // A chance over the run's paths, never a bare 0% or 100%.
    let chance = |p: f64| {
        let p = shorecast::core::stats::Proportion {
            estimate: p,
            ci95_low: p,
            ci95_high: p,
        };
        uncertainty::headline_share(&p, s.paths, lang)
    };
    say!(
        out,
        "{}: what drives headcount in {} ({} paths per run, seed {})",
        scenario.meta.name,
        lang.month(scenario.date(t.month)),
        lang.thousands(s.paths),
        s.seed
    );
    say!(
        out,
        "Base: median {} jobs, P(headcount >= {}){}. Swings: each input fixed at its 10th, then 90th percentile.",
        lang.thousands(s.base_median.into()),
        lang.thousands(t.headcount.into()),
        // "< 0.20%" is its own comparison; a figure takes "= ".
        match chance(s.base_p_target) {
            bound if bound.starts_with(['<', '>']) => format!(" {bound}"),
            figure => format!(" = {figure}"),
        }
    );
    say!(
        out,
        "{:<4} {:<34} {:>22} {:>12} {:>21} {:>17}",
        "rank",
        "parameter",
        "PRCC (95% CI)",
        "P(target)/sd",
        "median jobs p10->p90",
        "P(target) p10->p90"
    );
    for (i, x) in s.inputs.iter().enumerate() {
        say!(
            out,
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
            format!("{} -> {}", chance(x.p_target_low), chance(x.p_target_high)),
        );
    }
    say!(out, "  Results in {}", written.display());
    emit(&out)
}

fn discover(args: AnalysisArgs) -> Result<(), Failure> {
    let loaded = load_for_analysis(&args)?;
    let scenario = &loaded.scenario;
    let c = &args.common;
    let (paths, seed) = (c.paths(scenario), c.seed(scenario));
    check_paths(paths, None)?;
    let staged = c.stage(format!("{}-discover", loaded.stem), args.charts.lang)?;
    let inputs = uncertain_inputs(scenario, paths, seed)?;
    let work = Workload {
        simulations: 1,
        statistics: 0,
        extra_bytes: budget::path_inputs_bytes(paths, inputs),
        extra_runs: 0,
    };
    c.plan(scenario, paths, seed, work)?;
    let started = std::time::Instant::now();
    let data = c
        .simulate(paths, |progress| {
            PathInputs::collect(scenario, paths, seed, progress)
        })?
        .map_err(|e| bad_input(anyhow::Error::new(e)))?;
    let prim_options = PrimOptions::default();
    let found = c.step("finding the box (PRIM)", || {
        discover::prim(&data.values, &data.hit, prim_options)
    })?;
    let elapsed = started.elapsed().as_secs_f64();
    let lang = args.charts.lang;
    let provenance = provenance(scenario, loaded.sha256.clone());
    let facts = report::DiscoverFacts {
        paths,
        seed,
        elapsed_seconds: elapsed,
    };
    let result = match found {
        Ok(result) => result,
        // Nothing to discover is an answer too: the report says so, with a
        // target about a third of the paths reach.
        Err(DiscoverError::NoSuccess | DiscoverError::AllSuccess) => {
            let every = data.hit.iter().all(|&h| h);
            let headcount: Vec<f64> = data.headcount.iter().map(|&h| f64::from(h)).collect();
            let suggestion = sensitivity::empirical_quantile(&headcount, 2.0 / 3.0) as u32;
            let sentence =
                |lang| report::unreached_sentence(scenario, every, suggestion, paths, lang);
            staged
                .write("discover.txt", format!("{}\n", sentence(lang)))
                .map_err(output_failure)?;
            let report = report::discover_unreached_html(
                scenario,
                every,
                suggestion,
                &provenance,
                lang,
                facts,
            );
            staged
                .write("report.html", report)
                .map_err(output_failure)?;
            let written = staged.commit().map_err(stage_failure)?;
            return emit(&format!(
                "{}\n  Results in {}\n",
                sentence(Lang::En),
                written.display()
            ));
        }
    };
    output::write_csv(
        &staged,
        "prim_trajectory.csv",
        output::prim_trajectory_csv(&result),
    )
    .map_err(output_failure)?;
    output::write_csv(
        &staged,
        "prim_box.csv",
        output::prim_box_csv(scenario, &data.names, &result),
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
        c.step(DRAWING, || {
            chart::write_discover_charts(
                &staged,
                scenario,
                &data,
                &result,
                run,
                &args.charts.options(),
            )
        })?
        .map_err(output_failure)?
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
    let written = staged.commit().map_err(stage_failure)?;
    emit(&format!(
        "{}\n  Results in {}\n",
        describe_box(scenario, &data.names, &result),
        written.display()
    ))?;
    Ok(())
}

/// The plain-language reading of a PRIM box.
fn describe_box(scenario: &Scenario, names: &[String], r: &PrimResult) -> String {
    report::box_sentence(scenario, names, r, Lang::En)
}

/// Appends a line to a text bound for standard output.
macro_rules! say {
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!($out, $($arg)*);
    }};
}
use say;

/// Writes `text` to standard output, control characters of user text removed.
/// A reader that went away (`| head`) ends the program quietly with success; a
/// full disk or another failure is an error that says so.
pub(crate) fn emit(text: &str) -> Result<(), Failure> {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(output::terminal_safe(text).as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            // Printing comes after the results folder is complete.
            Err(Failure::from(anyhow::anyhow!(
                "cannot write to standard output: {} (any results folder of this command was \
                 already written in full; only this summary is missing)",
                shorecast::io::error::describe_io(&e)
            )))
        }
        _ => Ok(()),
    }
}

/// Whether progress bars are drawn: not with --quiet, nor off a terminal.
fn progress_bar_visible(quiet: bool) -> bool {
    !quiet && std::io::stderr().is_terminal()
}

/// On SIGINT, SIGTERM or SIGHUP: remove the staging folder of the run in
/// progress, say so and exit with 128 + the signal number, as shells do.
fn stop_cleanly_on_signals() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                let name = match signal {
                    SIGINT => "interrupted",
                    SIGTERM => "terminated",
                    _ => "hung up",
                };
                match output::abandon_staging() {
                    Some(target) => eprintln_safe(&format!(
                        "\n{name}: stopped; {} was left as it was",
                        target.display()
                    )),
                    None => eprintln_safe(&format!("\n{name}: stopped")),
                }
                std::process::exit(128 + signal);
            }
        });
    }
}

/// Seconds between progress lines when standard error is not a terminal.
const PROGRESS_LINE_SECONDS: u64 = 5;

/// Progress of a simulation: a bar on a terminal, otherwise a line on standard
/// error every [`PROGRESS_LINE_SECONDS`] (so logs of batch jobs show it).
struct Progress {
    bar: ProgressBar,
    /// When the last line was written (None: no lines).
    lines: Option<std::sync::Mutex<std::time::Instant>>,
    started: std::time::Instant,
    total: u64,
    /// What is counted ("paths").
    unit: String,
}

impl Progress {
    fn new(total: u64, unit: &str, quiet: bool) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        let bar = if quiet || !terminal {
            ProgressBar::hidden()
        } else {
            let bar = ProgressBar::new(total);
            if let Ok(style) = ProgressStyle::with_template(&format!(
                "{{bar:30}} {{human_pos}}/{{human_len}} {unit}, {{elapsed}}, {{eta}} left"
            )) {
                bar.set_style(style);
            }
            bar
        };
        let now = std::time::Instant::now();
        Progress {
            bar,
            lines: (!quiet && !terminal).then(|| std::sync::Mutex::new(now)),
            started: now,
            total,
            unit: unit.to_string(),
        }
    }

    fn set(&self, done: u64) {
        self.bar.set_position(done);
        let Some(last) = &self.lines else {
            return;
        };
        let Ok(mut last) = last.try_lock() else {
            return;
        };
        if last.elapsed().as_secs() < PROGRESS_LINE_SECONDS {
            return;
        }
        *last = std::time::Instant::now();
        let elapsed = self.started.elapsed().as_secs_f64();
        let left = elapsed * (self.total.saturating_sub(done)) as f64 / done.max(1) as f64;
        eprintln_safe(&format!(
            "progress: {} of {} {} ({:.0}%), {} elapsed, about {} left",
            Lang::En.thousands(done),
            Lang::En.thousands(self.total),
            self.unit,
            100.0 * done as f64 / self.total.max(1) as f64,
            budget::show_seconds(elapsed),
            budget::show_seconds(left)
        ));
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// A line on standard error, never failing (it may be closed).
pub(crate) fn eprintln_safe(line: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// Cores of this machine.
pub(crate) fn cores() -> u64 {
    std::thread::available_parallelism().map_or(1, |n| n.get() as u64)
}

/// Half of this machine's memory (from /proc/meminfo), or 8 GB where unknown.
fn default_memory_limit() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kb * 1024 / 2)
        })
        .unwrap_or(8 << 30)
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

fn print_summary(
    scenario: &Scenario,
    result: &RunResult,
    binding: &Binding,
    checks: &[backtest::Row],
    written: &Path,
    lang: Lang,
) -> Result<(), Failure> {
    let mut out = String::new();
    let (s, words) = (&result.summary, lang.strings());
    let t = scenario.target;
    let target_date = lang.month(scenario.date(t.month));
    let n = |v: u32| lang.thousands(u64::from(v));
    let colon = words.colon;
    let p = s.p_target;
    say!(out, "{}", scenario.meta.name);
    say!(
        out,
        "  {}",
        lang.p_target_sentence(t.headcount, &target_date, &p, result.options.paths)
    );
    say!(out, "  {}", uncertainty::fit_status(scenario, lang));
    if let Some(backtest) = uncertainty::backtest_status(checks, lang) {
        say!(out, "  {backtest}");
    }
    say!(
        out,
        "  {}{colon}{} ({})",
        lang.jobs_in_median(&target_date),
        n(s.quantile(Series::Headcount, t.month, 50)),
        lang.range90(
            s.quantile(Series::Headcount, t.month, 5),
            s.quantile(Series::Headcount, t.month, 95)
        ),
    );
    let ever = s.p_reached_by.last().copied().unwrap_or(0.0);
    let reached = match s.median_month_reached {
        Some(m) => lang.month(scenario.date(m)),
        None => words.not_reached_by_half.to_string(),
    };
    say!(
        out,
        "  {}{colon}{reached} ({})",
        lang.median_month_heading(t.headcount),
        lang.median_month_detail(s.median_month_reached, ever, scenario.meta.horizon_months)
    );
    say!(
        out,
        "  {}{colon}{} {}",
        words.held_back_by_labour,
        lang.percent(s.labour_limited_share),
        words.of_months_with_openings
    );
    let (verdict, reason) = lang.binding_constraint(binding, t.headcount, &target_date);
    say!(out, "  {verdict}\n    {reason}");
    say!(
        out,
        "  {} {}{colon}{}",
        lang.run_size(result.options.paths, result.elapsed_seconds),
        words.seed,
        result.options.seed
    );
    say!(out, "  {}{colon}{}", words.results_in, written.display());
    emit(&out)
}

/// The scenario files of a comparison: the given ones, or the built-in Oujda
/// scenario.
fn read_sources(paths: &[PathBuf]) -> Result<Vec<Source>, Failure> {
    if paths.is_empty() {
        return Ok(vec![Source::read(None)?]);
    }
    paths.iter().map(|p| Source::read(Some(p))).collect()
}

/// The options of a comparison with the scenario files' SHA-256: one file's
/// base and policies, or several files.
fn load_options(sources: &[Source]) -> Result<(Vec<Policy>, String), Failure> {
    if let [source] = sources {
        let (base, policies) = load_checked(source)?;
        if policies.is_empty() {
            return Err(bad_input(anyhow::anyhow!(
                "{} has no [[policy]] entries to compare; add some (see the README) or give several scenario files",
                source.origin
            )));
        }
        let mut options = vec![Policy::base(base, "Base case")];
        options.extend(policies);
        return Ok((options, source.sha256()));
    }
    let mut options: Vec<Policy> = Vec::new();
    let mut hashes = String::new();
    // Every file is checked before any is refused, so all problems show at once.
    let mut loaded = Vec::new();
    let mut errors = Vec::new();
    for source in sources {
        match policy::load_file(&source.text, &source.origin) {
            Ok(found) => {
                print_warnings(source, &found.base);
                loaded.push((source, found))
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(scenario_failures(errors));
    }
    for (source, file) in loaded {
        if !file.policies.is_empty() {
            return Err(bad_input(anyhow::anyhow!(
                "{} has [[policy]] entries: compare it on its own to compare its policies, \
                 or remove them to use the file as one option among several (its cost then \
                 goes in an [option] section: cost_mad_per_year, cost_mad_per_hire, \
                 cost_mad_per_job_at_target)",
                source.origin
            )));
        }
        match options.first() {
            Some(base) => policy::check_comparable(&base.scenario, &file.base)
                .map_err(|why| bad_input(anyhow::anyhow!("{} {why}", source.origin)))?,
            // The base is what the others are measured against: a cost of its
            // own would go uncounted.
            None if !file.option_costs.is_free() => {
                return Err(bad_input(anyhow::anyhow!(
                    "{} is the base of this comparison (the first file), but its [option] \
                     section gives it a cost: the other options are costed as what they \
                     spend beyond the base; remove its [option] section or put another \
                     file first",
                    source.origin
                )));
            }
            None => {}
        }
        hashes.push_str(&source.sha256());
        let scenario = file.base;
        options.push(Policy {
            name: scenario.meta.name.clone(),
            description: scenario.meta.description.clone(),
            costs: file.option_costs,
            ..Policy::base(scenario, "")
        });
    }
    Ok((options, hex_sha256(hashes.as_bytes())))
}

/// Trajectories kept per option for the comparison charts.
const COMPARE_SAMPLE_PATHS: u64 = 20;

/// SHA-256 of every option's name and resolved scenario.
fn resolved_options_sha256(options: &[Policy]) -> String {
    let text: String = options
        .iter()
        .map(|o| {
            // Every language's name, so that the hash does not depend on --lang.
            let name = serde_json::to_string(&o.name).expect("a text always serialises");
            format!("{name}\n{}\n", o.scenario.to_resolved_toml())
        })
        .collect();
    hex_sha256(text.as_bytes())
}

fn compare(args: CompareArgs) -> Result<(), Failure> {
    let sources = read_sources(&args.scenarios)?;
    let (mut options, sha256) = load_options(&sources)?;
    for option in &mut options {
        option.localise(args.charts.lang.code());
    }
    let stem = format!("{}-compare", sources[0].stem);
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
    check_paths(settings.paths, args.shard.shard)?;
    if args.shard.shard.is_some() && args.value_per_job.is_some() {
        return Err(bad_input(anyhow::anyhow!(
            "--value-per-job needs every path of every option in one process (it regresses each \
             option's net benefit on the inputs path by path); run compare without --shard for it, \
             or plan the options as the levels of a [[lever]], whose shards carry it"
        )));
    }
    if let Some(shard) = args.shard.shard {
        let header = ShardRun {
            kind: Kind::Compare,
            scenario_sha256: &sha256,
            resolved_sha256: resolved_options_sha256(&options),
            seed: settings.seed,
            paths: settings.paths,
            sample_paths: COMPARE_SAMPLE_PATHS,
            independent_streams: settings.independent_streams,
            sources: sources.iter().map(Source::record).collect(),
            posterior: posterior.as_deref(),
            plan: None,
        };
        return header.write(shard, c, &stem, |range, progress| {
            Body::Compare(compare::accumulate(
                &options,
                settings,
                COMPARE_SAMPLE_PATHS,
                range,
                progress,
            ))
        });
    }
    let staged = c.stage(stem, args.charts.lang)?;
    let work = Workload {
        simulations: options.len() as u64,
        statistics: options.len() as u64,
        extra_bytes: 0,
        extra_runs: 0,
    };
    c.plan(base, settings.paths, settings.seed, work)?;
    let comparison = c.simulate(settings.paths, |progress| {
        compare::compare(&options, settings, COMPARE_SAMPLE_PATHS, progress)
    })?;
    let information = match args.value_per_job {
        None => None,
        Some(value) => Some(c.step("weighing the value of information", || {
            let decided: Vec<_> = options[1..]
                .iter()
                .map(|o| (&o.scenario, vec![(o.start_month, o.costs)]))
                .collect();
            shorecast::analysis::plan::decision_information(
                base,
                &decided,
                settings.seed,
                settings.paths,
                value,
            )
        })?),
    };
    let written = c.step(DRAWING, || {
        write_comparison(
            staged,
            &options,
            &comparison,
            information.as_ref(),
            sha256,
            &args.charts,
        )
    })??;
    print_comparison(base, &comparison, &written, args.charts.lang)?;
    if let Some(info) = &information {
        let chosen = info.chosen_now.map_or_else(
            || comparison.options[0].name.clone(),
            |k| comparison.options[k + 1].name.clone(),
        );
        emit(&format!(
            "{}\n",
            shorecast::present::text::plan::information_sentence(info, &chosen, args.charts.lang)
        ))?;
    }
    Ok(())
}

/// Writes every output of a comparison and commits the folder.
fn write_comparison(
    staged: StagedDir,
    options: &[Policy],
    comparison: &Comparison,
    information: Option<&shorecast::analysis::plan::Information>,
    sha256: String,
    charts: &ChartArgs,
) -> Result<PathBuf, Failure> {
    let base = &options[0].scenario;
    let provenance = provenance(base, sha256);
    output::write_comparison_tables(&staged, base, comparison, &provenance)
        .map_err(output_failure)?;
    if let Some(info) = information {
        output::write_csv(
            &staged,
            "information.csv",
            shorecast::present::plan_report::information_csv(info),
        )
        .map_err(output_failure)?;
    }
    let xlsx = workbook::comparison_workbook(base, comparison, charts.lang)
        .context("cannot build comparison.xlsx")?;
    staged
        .write("comparison.xlsx", xlsx)
        .map_err(output_failure)?;
    let drawn = if charts.no_charts {
        Vec::new()
    } else {
        chart::write_compare_charts(&staged, base, comparison, &charts.options())
            .map_err(output_failure)?
    };
    let report = report::compare_report_html(
        base,
        comparison,
        &provenance,
        &drawn,
        information,
        charts.lang,
    );
    staged
        .write("report.html", report)
        .map_err(output_failure)?;
    staged.commit().map_err(stage_failure)
}

/// A bad set of partial results: exit code 2.
fn shard_failure(e: ShardError) -> Failure {
    bad_input(anyhow::Error::new(e))
}

/// Refuses shards whose scenario this shorecast resolves differently from
/// the one that simulated them, or whose statistics do not fit the scenario.
fn check_rebuilt(h: &Header, resolved_sha256: &str, fits: bool) -> Result<(), Failure> {
    let why = if resolved_sha256 != h.resolved_sha256 {
        "their scenario resolves differently here than when they were simulated"
    } else if !fits {
        "their statistics do not fit their scenario"
    } else {
        return Ok(());
    };
    Err(bad_input(anyhow::anyhow!(
        "cannot merge these shards: {why}; run every shard and the merge with the same shorecast"
    )))
}

fn merge(args: MergeArgs) -> Result<(), Failure> {
    let dirs = shard::partial_dirs(&args.dirs).map_err(shard_failure)?;
    // The merged folder (--out, or under output/) must not be, or hold, an input.
    let stage = |default: String| {
        let default = in_language(default, args.charts.lang);
        let out = args
            .out
            .clone()
            .unwrap_or_else(|| Path::new("output").join(&default));
        refuse_out_over_inputs(&out, &dirs)?;
        stage(Some(&out), default)
    };
    let parts = dirs
        .iter()
        .map(|dir| Partial::read(dir).map(|p| (dir.clone(), p)));
    let limit = args.max_memory.unwrap_or_else(default_memory_limit);
    let merged = shard::merge(parts, limit).map_err(shard_failure)?;
    let h = &merged.header;
    let sources: Vec<Source> = h.sources.iter().map(Source::from_record).collect();
    let kind_checked = "reading a partial result checks its body against its kind";
    match h.kind {
        Kind::Run => {
            let source = sources
                .into_iter()
                .next()
                .ok_or_else(|| bad_input(anyhow::anyhow!("the shards hold no scenario file")))?;
            let mut loaded = load_source(source)?;
            loaded.scenario.meta.localise(args.charts.lang.code());
            // The posterior the shards recorded, checked as a file would be.
            loaded.scenario.posterior =
                fit::recorded_posterior(&loaded.scenario, h.posterior.as_deref())?;
            loaded.scenario.simulation.paths = h.paths;
            loaded.scenario.simulation.seed = h.seed;
            let scenario = &loaded.scenario;
            let resolved = hex_sha256(scenario.to_resolved_toml().as_bytes());
            let fits = merged.body.fits(
                1,
                h.paths,
                scenario.meta.horizon_months,
                scenario.target,
                h.sample_paths,
            );
            check_rebuilt(h, &resolved, fits)?;
            let Body::Run(accumulator) = merged.body else {
                unreachable!("{kind_checked}")
            };
            let result = RunResult {
                summary: accumulator.finish(),
                options: RunOptions {
                    paths: h.paths,
                    seed: h.seed,
                    sample_paths: h.sample_paths,
                    target_paths: findings::verdict_paths(h.paths),
                },
                elapsed_seconds: merged.elapsed_seconds,
            };
            let staged = stage(loaded.stem.clone())?;
            let c = Common::for_merge();
            let binding = verdict(&c, scenario, &result)?;
            finish_run(&c, staged, &loaded, &result, &binding, &args.charts)?;
        }
        Kind::Plan => {
            let source = sources
                .into_iter()
                .next()
                .ok_or_else(|| bad_input(anyhow::anyhow!("the shards hold no scenario file")))?;
            let Body::Plan(partial) = merged.body else {
                unreachable!("{kind_checked}")
            };
            let choices = h.plan.ok_or_else(|| {
                bad_input(anyhow::anyhow!("the shards of a plan hold no plan choices"))
            })?;
            plan::merge(
                source,
                h,
                choices,
                partial,
                merged.elapsed_seconds,
                stage,
                &args.charts,
            )?;
        }
        Kind::Compare => {
            let (mut options, sha256) = load_options(&sources)?;
            let posterior = fit::recorded_posterior(&options[0].scenario, h.posterior.as_deref())?;
            for option in &mut options {
                option.scenario.posterior = posterior.clone();
            }
            for option in &mut options {
                option.localise(args.charts.lang.code());
            }
            let base = &options[0].scenario;
            let fits = merged.body.fits(
                options.len(),
                h.paths,
                base.meta.horizon_months,
                base.target,
                h.sample_paths,
            );
            check_rebuilt(h, &resolved_options_sha256(&options), fits)?;
            let settings = CompareOptions {
                paths: h.paths,
                seed: h.seed,
                independent_streams: h.independent_streams,
            };
            let Body::Compare(partial) = merged.body else {
                unreachable!("{kind_checked}")
            };
            let comparison = compare::finish(&options, settings, partial, merged.elapsed_seconds);
            let staged = stage(format!("{}-compare", sources[0].stem))?;
            let written =
                write_comparison(staged, &options, &comparison, None, sha256, &args.charts)?;
            print_comparison(base, &comparison, &written, args.charts.lang)?;
        }
    }
    Ok(())
}

/// Refuses a `merge --out` that is, or holds, one of the shard folders being
/// merged: replacing it would delete the input of the merge.
fn refuse_out_over_inputs(out: &Path, dirs: &[PathBuf]) -> Result<(), Failure> {
    // Compared as canonical paths where they exist (links and `..` resolved).
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let out_canonical = canonical(out);
    match dirs
        .iter()
        .find(|dir| canonical(dir).starts_with(&out_canonical))
    {
        Some(dir) => Err(bad_input(anyhow::anyhow!(
            "the merged results would replace {}, which holds the shard folder {} that this \
             merge reads; choose another folder for them with --out",
            out.display(),
            dir.display()
        ))),
        None => Ok(()),
    }
}

/// Prints a comparison: the answer in the report's language, the table in
/// English (its column names follow comparison.csv).
fn print_comparison(
    base: &Scenario,
    c: &Comparison,
    written: &Path,
    report_lang: Lang,
) -> Result<(), Failure> {
    let mut out = String::new();
    let lang = Lang::En;
    let t = base.target;
    say!(
        out,
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
    let date = lang.month(base.date(t.month));
    say!(
        out,
        "Target: {} jobs in {date}. Differences against the base, path by path, with 95% intervals{}.",
        lang.thousands(u64::from(t.headcount)),
        if c.settings.independent_streams {
            " (each option on its own random numbers: the intervals include luck)"
        } else {
            ""
        }
    );
    let answer = CompareAnswer::of(c);
    let answer_date = report_lang.month(base.date(t.month));
    for sentence in report::answer_sentences(c, &answer, t, &answer_date, report_lang) {
        say!(out, "  {sentence}");
    }
    say!(
        out,
        "{:<4} {:>9} {:>24} {:>8} {:>22} {:>14} {:>11}  {}",
        "rank",
        "P(target)",
        "change, points (95%)",
        "jobs",
        "change (95%)",
        "cost, MAD M",
        "MAD/job",
        "option"
    );
    // The report's order, every name whole, last on its line.
    for (place, &slot) in report::table_order(c, &answer).iter().enumerate() {
        let o = &c.options[slot];
        let d = o.p_target_diff;
        let h = o.headcount_diff;
        say!(
            out,
            "{:<4} {:>9} {:>24} {:>8} {:>22} {:>14} {:>11}  {}",
            place + 1,
            uncertainty::headline_share(&o.summary.p_target, c.settings.paths, lang),
            format!(
                "{:+.2} ({:+.2} to {:+.2})",
                d.mean * 100.0,
                d.ci95_low * 100.0,
                d.ci95_high * 100.0
            ),
            lang.thousands(o.summary.quantile(Series::Headcount, t.month, 50).into()),
            format!("{:+.0} ({:+.0} to {:+.0})", h.mean, h.ci95_low, h.ci95_high),
            if c.cost_given(slot) {
                format!("{:.1}", o.cost_to_target / 1e6)
            } else {
                "not given".to_string()
            },
            o.cost_per_additional_job.map_or("-".to_string(), |v| {
                let flag = if o.headcount_diff.is_gain() { "" } else { "*" };
                format!("{}{flag}", lang.thousands(v.round() as u64))
            }),
            o.name,
        );
    }
    say!(
        out,
        "  P(target) and every interval carry the simulation error only, not the forecast's uncertainty"
    );
    if c.options
        .iter()
        .any(|o| o.cost_per_additional_job.is_some() && !o.headcount_diff.is_gain())
    {
        say!(
            out,
            "  * the gain's 95% interval includes zero: the cost per job may be far higher"
        );
    }
    say!(
        out,
        "  {:.2} s; results in {}",
        c.elapsed_seconds,
        written.display()
    );
    emit(&out)
}
