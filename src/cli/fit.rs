//! The commands that confront a scenario with its history: `calibrate` and
//! `backtest`, and `--posterior` for the forecasting commands.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use shorecast::analysis::backtest::{self, Backtest, BacktestOptions};
use shorecast::analysis::budget;
use shorecast::analysis::calibrate::Forecasts;
use shorecast::analysis::calibrate::{self, Calibration, CalibrationOptions};
use shorecast::core::engine::{self, RunOptions};
use shorecast::core::posterior::Posterior;
use shorecast::core::scenario::Scenario;
use shorecast::input::file::{self as input_file, Links};
use shorecast::input::oujda::OUJDA_POSTERIOR;
use shorecast::present::calibration_report::{self, CalibrationFile};
use shorecast::present::chart;
use shorecast::present::output::StagedDir;
use shorecast::present::text::Lang;

use super::{
    ChartArgs, Common, Failure, bad_input, emit, load, output_failure, progress_bar_visible,
    provenance, stage_failure,
};

/// Where the forecasting commands take their inputs from.
#[derive(Args, Default)]
pub(super) struct FitArgs {
    /// Forecast from this posterior (posterior.csv from `shorecast calibrate`)
    /// instead of the priors; overrides [calibration].posterior.
    #[arg(long, conflicts_with = "prior")]
    posterior: Option<PathBuf>,
    /// Forecast from the priors, ignoring [calibration].posterior.
    #[arg(long)]
    prior: bool,
}

impl FitArgs {}

/// Reads the posterior that `fit` or `scenario`'s [calibration].posterior names
/// (relative to the scenario file, or the built-in one for the built-in
/// scenario), checked against `scenario`; `None` when there is none or
/// `--prior` was given.
pub(super) fn read_posterior(
    scenario: &Scenario,
    scenario_path: Option<&Path>,
    fit: &FitArgs,
) -> Result<Option<Arc<Posterior>>, Failure> {
    if fit.prior {
        return Ok(None);
    }
    let (text, origin) = match (
        &fit.posterior,
        &scenario.calibration.posterior,
        scenario_path,
    ) {
        (Some(file), _, _) => (read(file)?, file.display().to_string()),
        (None, None, _) => return Ok(None),
        (None, Some(_), None) => (
            OUJDA_POSTERIOR.to_string(),
            "the built-in oujda-posterior.csv".to_string(),
        ),
        (None, Some(name), Some(path)) => {
            let file = path.parent().unwrap_or(Path::new(".")).join(name);
            let text = read(&file).map_err(|f| {
                bad_input(f.error.context(format!(
                    "{} names it in [calibration].posterior; write it with \
                     `shorecast calibrate {}` or run with --prior",
                    path.display(),
                    path.display()
                )))
            })?;
            (text, file.display().to_string())
        }
    };
    check_posterior(scenario, &text, &origin, scenario_path).map(Some)
}

/// Reads posterior text (from `origin`, as messages name it) and checks it
/// against `scenario`: every value within its input's prior, and every
/// particle's past replaying as calibration accepted it.
fn check_posterior(
    scenario: &Scenario,
    text: &str,
    origin: &str,
    scenario_path: Option<&Path>,
) -> Result<Arc<Posterior>, Failure> {
    let fix = match scenario_path {
        Some(path) => format!("shorecast calibrate {}", path.display()),
        None => "shorecast calibrate".to_string(),
    };
    let posterior = Posterior::from_csv(scenario, text).map_err(|why| {
        bad_input(anyhow::anyhow!(
            "the posterior file {origin} does not fit the scenario: {why} (`{fix}` writes a new one)"
        ))
    })?;
    if let Err(stale) = calibrate::check_replay(scenario, &posterior) {
        return Err(bad_input(anyhow::anyhow!(
            "the posterior file {origin} no longer reproduces the calibration that wrote it: \
             replayed on this scenario, particle {} comes {:.4} observation errors from the \
             history points instead of the {:.4} it was accepted at ({} of {} particles \
             differ). The history points, the scenario's fixed inputs or shorecast's random \
             draws (a new version) have changed since it was written, so its forecast would \
             no longer be fitted to the history. Calibrate again (`{fix}`) or run with --prior",
            stale.particle,
            stale.replayed,
            stale.recorded,
            stale.differing,
            posterior.len()
        )));
    }
    Ok(Arc::new(posterior))
}

/// The posterior that shards recorded (`None`: they forecast from the
/// priors), checked against `scenario` as a file would be.
pub(super) fn recorded_posterior(
    scenario: &Scenario,
    text: Option<&str>,
) -> Result<Option<Arc<Posterior>>, Failure> {
    let Some(text) = text else {
        return Ok(None);
    };
    check_posterior(scenario, text, "recorded in the shards", None).map(Some)
}

fn read(file: &Path) -> Result<String, Failure> {
    input_file::read_text(file, input_file::MAX_POSTERIOR_BYTES, Links::Follow)
        .with_context(|| {
            format!(
                "cannot read the posterior file {}; check the path",
                file.display()
            )
        })
        .map_err(bad_input)
}

#[derive(Args)]
// The arguments of `calibrate` and `backtest`.
pub(super) struct FitCommandArgs {
    /// The scenario file (TOML); the built-in Oujda scenario when omitted.
    scenario: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
    #[command(flatten)]
    charts: ChartArgs,
    /// Particles per generation of each calibration (overrides [calibration].particles).
    #[arg(long, value_parser = clap::value_parser!(u32).range(100..=1_000_000))]
    particles: Option<u32>,
}

impl FitCommandArgs {
    /// The calibration settings: the scenario's, with --seed and --particles.
    fn options(&self, scenario: &Scenario) -> CalibrationOptions {
        let mut options = CalibrationOptions::from_scenario(scenario, self.common.seed(scenario));
        if let Some(p) = self.particles {
            options.particles = p;
        }
        options
    }
}

/// Runs a calibration on the worker pool with a progress bar per generation.
fn run_calibration(
    c: &Common,
    scenario: &Scenario,
    options: CalibrationOptions,
) -> Result<Result<Calibration, calibrate::CalibrationError>, Failure> {
    let estimate = match calibrate::estimate(scenario, options.seed) {
        Ok(estimate) => estimate,
        Err(e) => return Ok(Err(e)),
    };
    let threads = c.thread_count().min(super::cores());
    let weighting = estimate.weighting_seconds(options.particles, threads);
    if weighting > MAX_WEIGHTING_SECONDS {
        let most = estimate.most_particles(MAX_WEIGHTING_SECONDS, threads);
        return Err(bad_input(anyhow::anyhow!(
            "{} particles would take about {} per generation just to weigh them (the \
             weighting grows with the square of the particle count; measured on a pilot of \
             the priors on {threads} thread{}), so the calibration could not finish in \
             reasonable time. Use --particles {} or fewer (at most an hour of weighting a \
             generation); 2,000 to 10,000 particles are usual",
            Lang::En.thousands(u64::from(options.particles)),
            budget::show_seconds(weighting),
            if threads == 1 { "" } else { "s" },
            Lang::En.thousands(u64::from(most.max(100))),
        )));
    }
    let generation = estimate.generation_seconds(options.particles, threads);
    if !c.quiet && generation >= 10.0 {
        super::eprintln_safe(&format!(
            "Estimated time: at least {} a generation ({} of it weighing the particles), \
             up to {} generations after the first; more as the tolerance tightens.",
            budget::show_seconds(generation),
            budget::show_seconds(weighting),
            options.max_generations
        ));
    }
    let bar = if progress_bar_visible(c.quiet) {
        ProgressBar::new(u64::from(options.particles))
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{prefix:>16} {bar:40} {pos}/{len} particles, {elapsed}")
            .expect("a valid template"),
    );
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(c.threads.map_or(0, usize::from))
        .build()
        .context("cannot start the worker threads")?;
    let generation = std::sync::atomic::AtomicU32::new(u32::MAX);
    let result = pool.install(|| {
        calibrate::calibrate(scenario, options, &|p| {
            if generation.swap(p.generation, std::sync::atomic::Ordering::Relaxed) != p.generation {
                bar.set_prefix(format!("generation {}", p.generation));
                bar.reset_elapsed();
            }
            bar.set_position(p.accepted);
        })
    });
    bar.finish_and_clear();
    Ok(result)
}

/// The most time one generation of a calibration may spend weighing its
/// particles before the calibration is refused as unable to finish.
const MAX_WEIGHTING_SECONDS: f64 = 3600.0;

pub(super) fn calibrate(args: FitCommandArgs) -> Result<(), Failure> {
    let mut loaded = load(args.scenario.as_deref())?;
    loaded.scenario.meta.localise(args.charts.lang.code());
    let scenario = &loaded.scenario;
    let c = &args.common;
    let options = args.options(scenario);
    let staged = c.stage(format!("{}-calibration", loaded.stem), args.charts.lang)?;
    let started = std::time::Instant::now();
    let calibration = run_calibration(c, scenario, options)?.map_err(|e| {
        bad_input(anyhow::Error::new(e).context("calibration failed; nothing was written"))
    })?;
    let elapsed = started.elapsed().as_secs_f64();
    let forecasts = forecasts(c, scenario, &calibration.posterior)?;
    let provenance = provenance(scenario, loaded.sha256.clone());
    let file = CalibrationFile::new(scenario, &calibration, &forecasts, &provenance, elapsed);
    staged
        .write(
            "posterior.csv",
            calibration
                .posterior
                .to_csv()
                .context("cannot format posterior.csv")?,
        )
        .map_err(output_failure)?;
    staged
        .write(
            "calibration.json",
            serde_json::to_string_pretty(&file).context("cannot format calibration.json")?,
        )
        .map_err(output_failure)?;
    let charts = if args.charts.no_charts {
        Vec::new()
    } else {
        chart::calibration::write_calibration_charts(
            &staged,
            scenario,
            &calibration,
            &forecasts,
            &args.charts.options(),
        )
        .map_err(output_failure)?
    };
    let report = calibration_report::calibration_report_html(
        scenario,
        &file,
        &provenance,
        &charts,
        args.charts.lang,
    );
    finish(
        staged,
        report,
        calibration_report::summary_lines(scenario, &file),
    )
}

/// Writes the report, commits the output folder and prints the summary.
fn finish(staged: StagedDir, report: String, lines: Vec<String>) -> Result<(), Failure> {
    staged
        .write("report.html", report)
        .map_err(output_failure)?;
    let written = staged.commit().map_err(stage_failure)?;
    let mut text = lines.join("\n");
    text.push_str(&format!("\n  Results in {}\n", written.display()));
    emit(&text)
}

/// The forecasts from the priors and from the posterior, on the same paths.
fn forecasts(c: &Common, scenario: &Scenario, posterior: &Posterior) -> Result<Forecasts, Failure> {
    let options = RunOptions {
        paths: c.paths(scenario),
        seed: c.seed(scenario),
        sample_paths: 20,
        target_paths: 0,
    };
    let mut fitted = scenario.clone();
    fitted.posterior = Some(Arc::new(posterior.clone()));
    let unit = "paths (prior, then posterior forecast)";
    let (prior, fitted_run) = c.simulate_counting(2 * options.paths, unit, |progress| {
        let prior = engine::run(scenario, options, &|done| progress(done));
        let fitted_run = engine::run(&fitted, options, &|done| progress(options.paths + done));
        (prior, fitted_run)
    })?;
    Ok(Forecasts {
        prior,
        fitted: fitted_run,
        fitted_scenario: fitted,
    })
}

pub(super) fn backtest(args: FitCommandArgs) -> Result<(), Failure> {
    let mut loaded = load(args.scenario.as_deref())?;
    loaded.scenario.meta.localise(args.charts.lang.code());
    let scenario = &loaded.scenario;
    let c = &args.common;
    let calibration = args.options(scenario);
    let options = BacktestOptions {
        paths: c.paths(scenario),
        seed: calibration.seed,
        calibration,
    };
    let staged = c.stage(format!("{}-backtest", loaded.stem), args.charts.lang)?;
    // Its calibrations report no progress of their own.
    let what = "back-testing each history point (a calibration and forecasts for each)";
    let result: Backtest = c
        .step(what, || backtest::backtest(scenario, options))?
        .map_err(|e| {
            bad_input(anyhow::Error::new(e).context("back-test failed; nothing was written"))
        })?;
    staged
        .write(
            "backtest.csv",
            backtest::backtest_csv(scenario, &result).context("cannot format backtest.csv")?,
        )
        .map_err(output_failure)?;
    let charts = if args.charts.no_charts {
        Vec::new()
    } else {
        chart::calibration::write_backtest_charts(
            &staged,
            scenario,
            &result,
            &args.charts.options(),
        )
        .map_err(output_failure)?
    };
    let provenance = provenance(scenario, loaded.sha256.clone());
    let report = calibration_report::backtest_report_html(
        scenario,
        &result,
        &provenance,
        &charts,
        args.charts.lang,
    );
    finish(
        staged,
        report,
        calibration_report::backtest_lines(scenario, &result),
    )
}
