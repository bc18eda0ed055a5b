//! Result files: `summary.json`, `quantiles.csv`, `hitting.csv` and
//! `scenario.resolved.toml`, written into an output folder atomically.
//!
//! Files are first written into a hidden sibling folder; only when all are
//! complete does it replace the output folder in one step, so a failed or
//! interrupted run leaves the previous results untouched (see [`crate::io::staging`]).

use std::io;

use serde::Serialize;

use crate::analysis::compare::{Comparison, Difference};
use crate::analysis::discover::PrimResult;
use crate::analysis::findings::Binding;
use crate::analysis::sensitivity::Sensitivity;
use crate::core::engine::RunResult;
use crate::core::model::Series;
use crate::core::scenario::{Scenario, Target};
use crate::core::stats::{Proportion, QUANTILES, Summary};
use crate::input::policy::Costs;

pub use crate::io::error::{OutputError, WithPath, describe_io};
pub use crate::io::staging::{MARKER, StageError, StagedDir, abandon as abandon_staging};
pub use crate::io::terminal::terminal_safe;

/// A text cell for a CSV file, neutralised as OWASP recommends against formula
/// injection: a cell that a spreadsheet would read as a formula (starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return, or their full-width forms)
/// gets a leading single quote. Numbers are written as numbers and never pass
/// through here, so negative values stay numbers. Control characters other
/// than tabs and line breaks are removed, and bidirectional overrides, as for
/// the terminal ([`terminal_safe`]): `cat` on a CSV file must not run escape
/// sequences.
pub fn csv_text(text: &str) -> String {
    let text: String = text
        .split('\t')
        .map(terminal_safe)
        .collect::<Vec<_>>()
        .join("\t");
    match text.chars().next() {
        Some(
            '=' | '+' | '-' | '@' | '\t' | '\r' | '\u{ff1d}' | '\u{ff0b}' | '\u{ff0d}' | '\u{ff20}',
        ) => {
            format!("'{text}")
        }
        _ => text.to_string(),
    }
}

/// What identifies a run, for `summary.json` and report footers.
#[derive(Clone, Debug, Serialize)]
pub struct Provenance {
    /// Scenario name.
    pub scenario: String,
    /// shorecast's version.
    pub version: String,
    /// SHA-256 of the scenario file as read.
    pub scenario_sha256: String,
    /// The command line that made the run.
    pub command_line: String,
}

/// Mean and three quantiles of a whole-number figure.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Spread {
    /// Mean over paths.
    pub mean: f64,
    /// 5th percentile.
    pub p05: u32,
    /// Median.
    pub p50: u32,
    /// 95th percentile.
    pub p95: u32,
}

impl Spread {
    /// The headcount spread at month `m`.
    pub fn of(s: &Summary, m: u32) -> Spread {
        Spread {
            mean: s.mean(Series::Headcount, m),
            p05: s.quantile(Series::Headcount, m, 5),
            p50: s.quantile(Series::Headcount, m, 50),
            p95: s.quantile(Series::Headcount, m, 95),
        }
    }
}

/// The contents of `summary.json`.
#[derive(Clone, Debug, Serialize)]
pub struct SummaryFile {
    /// Scenario name.
    pub scenario: String,
    /// shorecast's version.
    pub version: String,
    /// SHA-256 of the scenario file as read.
    pub scenario_sha256: String,
    /// Master seed.
    pub seed: u64,
    /// Number of paths.
    pub paths: u64,
    /// Calendar month of month 0.
    pub start: String,
    /// Last month simulated.
    pub horizon_months: u32,
    /// The target.
    pub target: Target,
    /// Share of paths at or above the target at the target month.
    pub p_target: Proportion,
    /// Headcount at the target month.
    pub headcount_at_target_month: Spread,
    /// Headcount at the horizon.
    pub headcount_at_horizon: Spread,
    /// Median month of first reaching the target (null: fewer than half do).
    pub median_month_reached: Option<u32>,
    /// Share of path-months with hiring demand in which labour was short.
    pub labour_limited_share: f64,
    /// The binding constraint, measured by relaxing labour and seats.
    pub binding_constraint: Binding,
    /// Simulation time.
    pub elapsed_seconds: f64,
    /// The command line that made the run.
    pub command_line: String,
}

impl SummaryFile {
    /// Gathers the summary of a run.
    pub fn new(
        scenario: &Scenario,
        run: &RunResult,
        binding: &Binding,
        provenance: &Provenance,
    ) -> SummaryFile {
        let s = &run.summary;
        let spread = |m| Spread::of(s, m);
        SummaryFile {
            scenario: provenance.scenario.clone(),
            version: provenance.version.clone(),
            scenario_sha256: provenance.scenario_sha256.clone(),
            seed: run.options.seed,
            paths: run.options.paths,
            start: scenario.meta.start.to_string(),
            horizon_months: scenario.meta.horizon_months,
            target: scenario.target,
            p_target: s.p_target,
            headcount_at_target_month: spread(scenario.target.month),
            headcount_at_horizon: spread(scenario.meta.horizon_months),
            median_month_reached: s.median_month_reached,
            labour_limited_share: s.labour_limited_share,
            binding_constraint: binding.clone(),
            elapsed_seconds: run.elapsed_seconds,
            command_line: provenance.command_line.clone(),
        }
    }
}

/// `quantiles.csv`: one row per series and month.
pub fn quantiles_csv(scenario: &Scenario, run: &RunResult) -> Result<Vec<u8>, csv::Error> {
    let s = &run.summary;
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "series".to_string(),
        "month".into(),
        "date".into(),
        "mean".into(),
    ];
    header.extend(QUANTILES.iter().map(|q| format!("p{q:02}")));
    w.write_record(&header)?;
    for series in Series::ALL {
        for m in 0..=scenario.meta.horizon_months {
            let mut row = vec![
                series.name().to_string(),
                m.to_string(),
                scenario.date(m).to_string(),
                format!("{:.2}", s.mean(series, m)),
            ];
            row.extend(
                QUANTILES
                    .iter()
                    .map(|&q| s.quantile(series, m, q).to_string()),
            );
            w.write_record(&row)?;
        }
    }
    Ok(w.into_inner().expect("writing to memory cannot fail"))
}

/// `hitting.csv`: the share of paths that reached the target by each month.
pub fn hitting_csv(scenario: &Scenario, run: &RunResult) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["month", "date", "p_reached"])?;
    for (m, p) in run.summary.p_reached_by.iter().enumerate() {
        let m = m as u32;
        w.write_record([
            m.to_string(),
            scenario.date(m).to_string(),
            format!("{p:.6}"),
        ])?;
    }
    Ok(w.into_inner().expect("writing to memory cannot fail"))
}

/// Writes the tables of a run into `dir` (not yet committed).
pub fn write_tables(
    dir: &StagedDir,
    scenario: &Scenario,
    run: &RunResult,
    binding: &Binding,
    provenance: &Provenance,
) -> Result<(), OutputError> {
    let summary = SummaryFile::new(scenario, run, binding, provenance);
    let json = serde_json::to_string_pretty(&summary).expect("the summary always serialises");
    dir.write("summary.json", json + "\n")?;
    write_csv(dir, "quantiles.csv", quantiles_csv(scenario, run))?;
    write_csv(dir, "hitting.csv", hitting_csv(scenario, run))?;
    dir.write("scenario.resolved.toml", scenario.to_resolved_toml())?;
    Ok(())
}

/// One option in `comparison.json`.
#[derive(Clone, Debug, Serialize)]
pub struct OptionRecord {
    /// Option name.
    pub name: String,
    /// Optional description.
    pub description: Option<String>,
    /// Costs as given.
    pub costs: Costs,
    /// First month in which the option acts; its costs count from then.
    pub start_month: u32,
    /// What the option sets differently from the base.
    pub changes: Vec<crate::input::policy::Change>,
    /// Rank by P(target), 1 = best.
    pub rank_p_target: usize,
    /// Rank by cost per additional job, 1 = cheapest.
    pub rank_cost_per_job: Option<usize>,
    /// P(target) with its Wilson interval.
    pub p_target: Proportion,
    /// Paired difference in P(target) against the base.
    pub p_target_diff: Difference,
    /// Headcount at the target month.
    pub headcount_at_target_month: Spread,
    /// Paired difference in headcount at the target month.
    pub headcount_diff: Difference,
    /// Median month of first reaching the target.
    pub median_month_reached: Option<u32>,
    /// Mean hires from month 1 to the target month.
    pub mean_hires_to_target: f64,
    /// Mean jobs created by the target month.
    pub mean_jobs_created: f64,
    /// Expected total cost to the target month; `None` for an option whose
    /// cost is not given.
    pub cost_mad_to_target: Option<f64>,
    /// Cost over mean additional headcount at the target month.
    pub cost_mad_per_additional_job: Option<f64>,
    /// Whether the 95% interval of the headcount gain lies wholly above zero
    /// (when not, the cost per job rests on a gain that may be nil).
    pub gain_significant: bool,
    /// Unpaired over paired variance of the headcount difference.
    pub crn_variance_ratio: Option<f64>,
}

/// The contents of `comparison.json`.
#[derive(Clone, Debug, Serialize)]
pub struct ComparisonFile {
    /// Base scenario name.
    pub scenario: String,
    /// shorecast's version.
    pub version: String,
    /// SHA-256 of the scenario file(s) as read.
    pub scenario_sha256: String,
    /// Master seed.
    pub seed: u64,
    /// Paths per option.
    pub paths: u64,
    /// "common" or "independent" random numbers.
    pub streams: &'static str,
    /// The target.
    pub target: Target,
    /// Every option, base first.
    pub options: Vec<OptionRecord>,
    /// Simulation time.
    pub elapsed_seconds: f64,
    /// The command line that made the run.
    pub command_line: String,
}

impl ComparisonFile {
    /// Gathers the comparison for writing.
    pub fn new(scenario: &Scenario, c: &Comparison, provenance: &Provenance) -> ComparisonFile {
        let m = scenario.target.month;
        ComparisonFile {
            scenario: provenance.scenario.clone(),
            version: provenance.version.clone(),
            scenario_sha256: provenance.scenario_sha256.clone(),
            seed: c.settings.seed,
            paths: c.settings.paths,
            streams: if c.settings.independent_streams {
                "independent"
            } else {
                "common"
            },
            target: scenario.target,
            options: c
                .options
                .iter()
                .enumerate()
                .map(|(slot, o)| OptionRecord {
                    name: o.name.clone(),
                    description: o.description.clone(),
                    costs: o.costs,
                    start_month: o.start_month,
                    changes: o.changes.clone(),
                    rank_p_target: o.rank_p_target,
                    rank_cost_per_job: o.rank_cost_per_job,
                    p_target: o.summary.p_target,
                    p_target_diff: o.p_target_diff,
                    headcount_at_target_month: Spread::of(&o.summary, m),
                    headcount_diff: o.headcount_diff,
                    median_month_reached: o.summary.median_month_reached,
                    mean_hires_to_target: o.mean_hires_to_target,
                    mean_jobs_created: o.mean_jobs_created,
                    cost_mad_to_target: c.cost_given(slot).then_some(o.cost_to_target),
                    cost_mad_per_additional_job: o.cost_per_additional_job,
                    gain_significant: o.headcount_diff.is_gain(),
                    crn_variance_ratio: o.headcount_diff.variance_ratio(),
                })
                .collect(),
            elapsed_seconds: c.elapsed_seconds,
            command_line: provenance.command_line.clone(),
        }
    }
}

/// The columns of `comparison.csv`, in order.
pub const COMPARISON_COLUMNS: [&str; 20] = [
    "option",
    "rank_p_target",
    "rank_cost_per_job",
    "p_target",
    "p_target_ci95_low",
    "p_target_ci95_high",
    "p_target_diff",
    "p_target_diff_ci95_low",
    "p_target_diff_ci95_high",
    "headcount_mean",
    "headcount_p50",
    "headcount_diff",
    "headcount_diff_ci95_low",
    "headcount_diff_ci95_high",
    "median_month_reached",
    "median_date_reached",
    "cost_mad_to_target",
    "cost_mad_per_additional_job",
    "gain_significant",
    "crn_variance_ratio",
];

/// `comparison.csv`: one row per option, base first.
pub fn comparison_csv(scenario: &Scenario, c: &Comparison) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COMPARISON_COLUMNS)?;
    let m = scenario.target.month;
    let opt = |v: Option<f64>, digits: usize| v.map_or(String::new(), |v| format!("{v:.digits$}"));
    for (slot, o) in c.options.iter().enumerate() {
        let s = &o.summary;
        w.write_record([
            csv_text(&o.name),
            o.rank_p_target.to_string(),
            o.rank_cost_per_job.map_or(String::new(), |r| r.to_string()),
            format!("{:.6}", s.p_target.estimate),
            format!("{:.6}", s.p_target.ci95_low),
            format!("{:.6}", s.p_target.ci95_high),
            format!("{:.6}", o.p_target_diff.mean),
            format!("{:.6}", o.p_target_diff.ci95_low),
            format!("{:.6}", o.p_target_diff.ci95_high),
            format!("{:.2}", s.mean(Series::Headcount, m)),
            s.quantile(Series::Headcount, m, 50).to_string(),
            format!("{:.2}", o.headcount_diff.mean),
            format!("{:.2}", o.headcount_diff.ci95_low),
            format!("{:.2}", o.headcount_diff.ci95_high),
            s.median_month_reached
                .map_or(String::new(), |m| m.to_string()),
            s.median_month_reached
                .map_or(String::new(), |m| scenario.date(m).to_string()),
            opt(c.cost_given(slot).then_some(o.cost_to_target), 0),
            opt(o.cost_per_additional_job, 0),
            o.headcount_diff.is_gain().to_string(),
            opt(o.headcount_diff.variance_ratio(), 2),
        ])?;
    }
    Ok(w.into_inner().expect("writing to memory cannot fail"))
}

/// Writes the tables of a comparison into `dir` (not yet committed).
pub fn write_comparison_tables(
    dir: &StagedDir,
    scenario: &Scenario,
    c: &Comparison,
    provenance: &Provenance,
) -> Result<(), OutputError> {
    let file = ComparisonFile::new(scenario, c, provenance);
    let json = serde_json::to_string_pretty(&file).expect("the comparison always serialises");
    dir.write("comparison.json", json + "\n")?;
    write_csv(dir, "comparison.csv", comparison_csv(scenario, c))
}

/// `sensitivity.csv`: one row per uncertain input, largest swing first.
pub fn sensitivity_csv(s: &Sensitivity) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "rank",
        "parameter",
        "prcc",
        "prcc_ci95_low",
        "prcc_ci95_high",
        "p_target_per_sd",
        "low_value",
        "high_value",
        "median_low",
        "median_high",
        "median_swing",
        "p_target_low",
        "p_target_high",
    ])?;
    for (i, x) in s.inputs.iter().enumerate() {
        w.write_record([
            (i + 1).to_string(),
            csv_text(&x.parameter),
            format!("{:.4}", x.prcc),
            format!("{:.4}", x.prcc_ci95_low),
            format!("{:.4}", x.prcc_ci95_high),
            format!("{:.6}", x.p_target_per_sd),
            format!("{}", x.low_value),
            format!("{}", x.high_value),
            x.median_low.to_string(),
            x.median_high.to_string(),
            x.swing().to_string(),
            format!("{:.6}", x.p_target_low),
            format!("{:.6}", x.p_target_high),
        ])?;
    }
    Ok(w.into_inner().expect("writing to memory cannot fail"))
}

/// `prim_trajectory.csv`: coverage and density of each peeling step.
pub fn prim_trajectory_csv(r: &PrimResult) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["step", "coverage", "density", "paths_in_box", "chosen"])?;
    for (i, s) in r.trajectory.iter().enumerate() {
        w.write_record([
            i.to_string(),
            format!("{:.6}", s.coverage),
            format!("{:.6}", s.density),
            s.paths_in_box.to_string(),
            (i == r.chosen_step).to_string(),
        ])?;
    }
    Ok(w.into_inner().expect("writing to memory cannot fail"))
}

/// `prim_box.csv`: the chosen box, one row per input. `restricted` compares
/// the box with the range the sampled paths span; `full_min` and `full_max`
/// are the scenario's own range of the input (0 and 1 for whether a firm
/// comes; infinite for an unbounded distribution).
pub fn prim_box_csv(
    scenario: &Scenario,
    names: &[String],
    r: &PrimResult,
) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "parameter",
        "restricted",
        "box_min",
        "box_max",
        "full_min",
        "full_max",
    ])?;
    let mut lookup = scenario.clone();
    for (j, name) in names.iter().enumerate() {
        let ((lo, hi), (slo, shi)) = (r.chosen.bounds[j], r.full[j]);
        let (flo, fhi) = if name.ends_with("].happens") {
            (0.0, 1.0)
        } else {
            lookup.param_mut(name).map_or((slo, shi), |p| p.support())
        };
        w.write_record([
            csv_text(name),
            (lo > slo || hi < shi).to_string(),
            lo.to_string(),
            hi.to_string(),
            flo.to_string(),
            fhi.to_string(),
        ])?;
    }
    Ok(w.into_inner().expect("writing to memory cannot fail"))
}

/// Writes `file` from a CSV builder's result, naming the file in errors.
pub fn write_csv(
    dir: &StagedDir,
    file: &str,
    table: Result<Vec<u8>, csv::Error>,
) -> Result<(), OutputError> {
    let table = table
        .map_err(|e| io::Error::other(e.to_string()))
        .at(&dir.file(file))?;
    dir.write(file, table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_others_kept() {
        for cell in [
            "=1+1",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(1)",
            "\tx",
            "\u{ff1d}1",
        ] {
            assert_eq!(csv_text(cell), format!("'{cell}"));
        }
        // Control characters go (a carriage return, escape sequences), and a
        // cell they were hiding a formula behind is still neutralised.
        assert_eq!(csv_text("\rx"), "x");
        assert_eq!(csv_text("\u{1b}\u{7}=1+1"), "'=1+1");
        assert_eq!(csv_text("a\tb\nc"), "a\tb\nc");
        for cell in [
            "Base case",
            "labour.uptake_monthly",
            "firm[A].seats",
            "",
            "1-2",
        ] {
            assert_eq!(csv_text(cell), cell);
        }
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let name = "Evil\u{1b}]0;title\u{7}\u{1b}[2J\r\u{202e}x\u{9b}y\nnext";
        assert_eq!(terminal_safe(name), "Evil]0;title[2Jxy\nnext");
    }
}
