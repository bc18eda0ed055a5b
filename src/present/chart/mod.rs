//! Report-ready charts, drawn with plotters as PNG (for slides) and SVG (for
//! the HTML report and for editing).
//!
//! One module per chart family holds the chart whole: its data struct, whose
//! `new` computes what the chart shows (numbers, axes, tick labels, titles
//! and annotations, unit-tested without drawing), and its [`Draw`]
//! implementation, generic over the plotters backend so that one function
//! makes both the PNG and the SVG. What they share:
//! - [`axis`]: axes and ticks (round value steps, calendar months, rows) and
//!   drawing them;
//! - [`labels`]: placing labels clear of the data and of each other;
//! - [`style`]: the bundled Noto Sans font (no system font is needed), a
//!   colour-blind-safe palette with one colour per series, the frame with
//!   title, subtitle, legend and source line, and drawing primitives (bands,
//!   lines, markers, the target);
//! - [`names`]: option and input names as charts show them;
//! - `lines`: per-month lines of a run's summary;
//! - `typeset`: text measured and drawn with the bundled font.
//!
//! The charts of a run, by file name (and module):
//! - `fan` ([`fan`]): total headcount over time, median with 50/80/90% bands,
//!   a few single paths, the observed history and the target;
//! - `composition` ([`composition`]): mean headcount by firm group, stacked,
//!   with total seats;
//! - `labour` ([`labour`]): qualified pool and unfilled seats above, hires and
//!   leavers below;
//! - `hitting` ([`hitting`]): share of paths that have reached the target by
//!   each month, or, when fewer than 1% of paths ever reach it, `reach`
//!   ([`reach`]) in its place: the chance of at least each number of jobs in
//!   the target month;
//! - `outcome` ([`outcome`]): histogram of the headcount in the target month.
//!
//! The charts of the analysis commands:
//! - `compare_fan` ([`compare_fan`]): every option's median headcount and 80%
//!   band, on one plot or, beyond three options, one panel per option;
//! - `compare_target` ([`compare_target`]): every option's chance of the
//!   target and the jobs it adds, with their intervals, side by side;
//! - `cost_per_job` ([`cost_per_job`]): jobs added against cost, with lines of
//!   constant cost per job (left out when no option has a gain and a cost);
//! - `tornado` ([`tornado`]): one-at-a-time swings of median headcount;
//! - `prcc` ([`prcc`]): partial rank correlations with their intervals;
//! - `prim_box` ([`prim_box`]): the chosen box over the two inputs that
//!   define it, the futures as dots coloured by outcome;
//! - `prim_trajectory` ([`prim`]): density against coverage along PRIM's
//!   peeling.
//!
//! The charts of `calibrate` and `backtest` are in [`calibration`].

pub mod axis;
pub mod calibration;
pub mod compare_fan;
pub mod compare_target;
pub mod composition;
pub mod cost_per_job;
pub mod fan;
#[cfg(test)]
mod fixtures;
pub mod frontier;
pub mod hitting;
pub mod labels;
pub mod labour;
mod lines;
pub mod names;
pub mod outcome;
pub mod prcc;
pub mod prim;
pub mod prim_box;
pub mod reach;
pub mod style;
pub mod theme;
pub mod tornado;
mod typeset;

use std::io;
use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use self::compare_fan::CompareFanData;
use self::compare_target::CompareTargetData;
use self::composition::CompositionData;
use self::cost_per_job::CostPerJobData;
use self::fan::FanData;
use self::hitting::HittingData;
use self::labour::LabourData;
use self::outcome::OutcomeData;
use self::prcc::PrccData;
use self::prim::PrimData;
use self::prim_box::PrimBoxData;
use self::reach::{ReachData, target_out_of_reach};
use self::theme::{Drawn, Theme, register_fonts};
use self::tornado::TornadoData;
use self::typeset::Typeset;
use crate::analysis::compare::Comparison;
use crate::analysis::discover::PrimResult;
use crate::analysis::sensitivity::{PathInputs, Sensitivity};
use crate::core::engine::RunResult;
use crate::core::scenario::Scenario;
use crate::present::output::{OutputError, StagedDir};
use crate::present::text::Lang;

/// The charts of a run, in report order. A run draws `hitting` or, when the
/// target is out of reach ([`reach::target_out_of_reach`]), `reach` in its
/// place.
pub const CHART_NAMES: [&str; 6] = [
    "fan",
    "composition",
    "labour",
    "hitting",
    "reach",
    "outcome",
];

/// The charts of a comparison, in report order.
pub const COMPARE_CHART_NAMES: [&str; 3] = ["compare_fan", "compare_target", "cost_per_job"];

/// The charts of a sensitivity analysis, in report order.
pub const SENSITIVITY_CHART_NAMES: [&str; 2] = ["tornado", "prcc"];

/// The chart of scenario discovery.
pub const DISCOVER_CHART_NAMES: [&str; 2] = ["prim_box", "prim_trajectory"];

/// How to draw charts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChartOptions {
    /// Width in pixels of the PNG (and of the SVG's view box).
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Language of every label.
    pub lang: Lang,
}

impl ChartOptions {
    /// The smallest chart size that keeps labels legible.
    pub const MIN_SIZE: (u32, u32) = (480, 270);
    /// The largest chart size: a 16-megapixel image at most.
    pub const MAX_SIZE: (u32, u32) = (4000, 4000);

    /// The size within [`ChartOptions::MIN_SIZE`]..=[`ChartOptions::MAX_SIZE`].
    pub fn clamped_size(&self) -> (u32, u32) {
        (
            self.width.clamp(Self::MIN_SIZE.0, Self::MAX_SIZE.0),
            self.height.clamp(Self::MIN_SIZE.1, Self::MAX_SIZE.1),
        )
    }
}

impl Default for ChartOptions {
    /// A 1600x900 slide in English.
    fn default() -> ChartOptions {
        ChartOptions {
            width: 1600,
            height: 900,
            lang: Lang::En,
        }
    }
}

/// Parses a chart size written `WIDTHxHEIGHT` (such as `1600x900`), within
/// [`ChartOptions::MIN_SIZE`] and [`ChartOptions::MAX_SIZE`]: a value parser
/// for the command line.
pub fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let (min, max) = (ChartOptions::MIN_SIZE, ChartOptions::MAX_SIZE);
    let bad = || {
        format!(
            "must be WIDTHxHEIGHT in pixels from {}x{} to {}x{}, such as 1600x900; got \"{text}\"",
            min.0, min.1, max.0, max.1
        )
    };
    let (w, h) = text.trim().split_once(['x', 'X']).ok_or_else(bad)?;
    let (w, h): (u32, u32) = (
        w.trim().parse().map_err(|_| bad())?,
        h.trim().parse().map_err(|_| bad())?,
    );
    if (min.0..=max.0).contains(&w) && (min.1..=max.1).contains(&h) {
        Ok((w, h))
    } else {
        Err(bad())
    }
}

/// Registers the fonts and builds the theme of a set of charts of `paths`
/// paths of `scenario` under `seed`, with the chart size brought within
/// [`ChartOptions::MIN_SIZE`]..=[`ChartOptions::MAX_SIZE`].
pub(crate) fn theme_for(
    scenario: &Scenario,
    paths: u64,
    seed: u64,
    options: &ChartOptions,
) -> (Theme, (u32, u32)) {
    register_fonts();
    let size = options.clamped_size();
    let source = source_line(scenario, paths, seed, options.lang);
    (Theme::new(size.0, size.1, options.lang, source), size)
}

/// Draws every chart of a run as PNG and SVG into `dir` and returns the SVG texts by chart name for the report.
///
/// Sizes outside [`ChartOptions::MIN_SIZE`]..=[`ChartOptions::MAX_SIZE`] are
/// brought within them. A drawing failure is reported as an [`OutputError`] on
/// the file being drawn.
pub fn write_run_charts(
    dir: &StagedDir,
    scenario: &Scenario,
    run: &RunResult,
    options: &ChartOptions,
) -> Result<Vec<(String, String)>, OutputError> {
    let (theme, size) = theme_for(scenario, run.options.paths, run.options.seed, options);
    let lang = options.lang;
    let s = &run.summary;
    // In the order of CHART_NAMES.
    Ok(vec![
        render(dir, "fan", &FanData::new(scenario, s, lang), &theme, size)?,
        render(
            dir,
            "composition",
            &CompositionData::new(scenario, s, lang),
            &theme,
            size,
        )?,
        render(
            dir,
            "labour",
            &LabourData::new(scenario, s, lang),
            &theme,
            size,
        )?,
        if target_out_of_reach(s) {
            render(
                dir,
                "reach",
                &ReachData::new(scenario, s, lang),
                &theme,
                size,
            )?
        } else {
            render(
                dir,
                "hitting",
                &HittingData::new(scenario, s, lang),
                &theme,
                size,
            )?
        },
        render(
            dir,
            "outcome",
            &OutcomeData::new(scenario, s, lang),
            &theme,
            size,
        )?,
    ])
}

/// Draws the charts of a comparison ([`COMPARE_CHART_NAMES`]) as PNG and SVG
/// into `dir` and returns the SVG texts by chart name for the report. `base`
/// is the base case's scenario; sizes are brought within limits as for
/// [`write_run_charts`].
pub fn write_compare_charts(
    dir: &StagedDir,
    base: &Scenario,
    comparison: &Comparison,
    options: &ChartOptions,
) -> Result<Vec<(String, String)>, OutputError> {
    let settings = comparison.settings;
    let (theme, size) = theme_for(base, settings.paths, settings.seed, options);
    let lang = options.lang;
    let mut drawn = vec![
        render(
            dir,
            "compare_fan",
            &CompareFanData::new(base, comparison, lang),
            &theme,
            size,
        )?,
        render(
            dir,
            "compare_target",
            &CompareTargetData::new(base, comparison, lang),
            &theme,
            size,
        )?,
    ];
    // Left out when no option has both a gain and a cost: the report says why.
    if let Some(cost) = CostPerJobData::new(base, comparison, lang) {
        drawn.push(render(dir, "cost_per_job", &cost, &theme, size)?);
    }
    Ok(drawn)
}

/// Draws the plan's frontier chart as PNG and SVG into `dir` and returns its
/// SVG text by chart name for the report.
pub fn write_plan_charts(
    dir: &StagedDir,
    scenario: &Scenario,
    levers: &crate::input::lever::Levers,
    plan: &crate::analysis::plan::Plan,
    options: &ChartOptions,
) -> Result<Vec<(String, String)>, OutputError> {
    let (theme, size) = theme_for(scenario, plan.settings.paths, plan.settings.seed, options);
    let data = frontier::FrontierData::new(scenario, levers, plan, options.lang);
    Ok(vec![render(dir, "frontier", &data, &theme, size)?])
}

/// Draws the charts of a sensitivity analysis ([`SENSITIVITY_CHART_NAMES`])
/// as PNG and SVG into `dir` and returns the SVG texts by chart name.
pub fn write_sensitivity_charts(
    dir: &StagedDir,
    scenario: &Scenario,
    sensitivity: &Sensitivity,
    options: &ChartOptions,
) -> Result<Vec<(String, String)>, OutputError> {
    let (theme, size) = theme_for(scenario, sensitivity.paths, sensitivity.seed, options);
    let lang = options.lang;
    Ok(vec![
        render(
            dir,
            "tornado",
            &TornadoData::new(scenario, sensitivity, lang),
            &theme,
            size,
        )?,
        render(
            dir,
            "prcc",
            &PrccData::new(scenario, sensitivity, lang),
            &theme,
            size,
        )?,
    ])
}

/// What a discovery ran on, for its chart's labels and source line.
#[derive(Clone, Copy, Debug)]
pub struct DiscoverRun {
    /// Paths simulated.
    pub paths: u64,
    /// Master seed.
    pub seed: u64,
    /// The least share of successes the chosen box had to cover.
    pub min_coverage: f64,
}

/// Draws the charts of scenario discovery ([`DISCOVER_CHART_NAMES`]) as PNG
/// and SVG into `dir` and returns the SVG texts by chart name. `data` holds
/// the paths' inputs and outcomes PRIM ran on; the box chart is left out
/// when the box restricts no input.
pub fn write_discover_charts(
    dir: &StagedDir,
    scenario: &Scenario,
    data: &PathInputs,
    result: &PrimResult,
    run: DiscoverRun,
    options: &ChartOptions,
) -> Result<Vec<(String, String)>, OutputError> {
    let (theme, size) = theme_for(scenario, run.paths, run.seed, options);
    let lang = options.lang;
    let mut drawn = Vec::new();
    if let Some(chart) =
        PrimBoxData::new(scenario, &data.names, &data.values, &data.hit, result, lang)
    {
        drawn.push(render(dir, "prim_box", &chart, &theme, size)?);
    }
    drawn.push(render(
        dir,
        "prim_trajectory",
        &PrimData::new(scenario, result, run.min_coverage, run.paths, lang),
        &theme,
        size,
    )?);
    Ok(drawn)
}

/// A chart that can draw itself on any plotters backend.
pub trait Draw {
    /// Draws the whole chart on `root`.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Drawn<DB>;
}

/// The source line printed under every chart.
pub fn source_line(scenario: &Scenario, paths: u64, seed: u64, lang: Lang) -> String {
    lang.source_line(&scenario.meta.name, env!("CARGO_PKG_VERSION"), paths, seed)
}

/// A drawing error as an I/O error on `path`.
fn failed<E: std::error::Error + Send + Sync>(
    path: &Path,
) -> impl FnOnce(DrawingAreaErrorKind<E>) -> OutputError + '_ {
    move |e| OutputError {
        path: path.to_path_buf(),
        source: io::Error::other(format!("cannot draw the chart: {e}")),
    }
}

/// Draws `chart` to `name.png` and `name.svg` in `dir` and returns the name
/// with the SVG.
fn render<C: Draw>(
    dir: &StagedDir,
    name: &str,
    chart: &C,
    theme: &Theme,
    size: (u32, u32),
) -> Result<(String, String), OutputError> {
    dir.write_with(&format!("{name}.png"), |png| {
        let root = Typeset::raster(BitMapBackend::new(png, size)).into_drawing_area();
        chart.draw(&root, theme).map_err(failed(png))?;
        root.present().map_err(failed(png))
    })?;
    let svg_name = format!("{name}.svg");
    let svg_path = dir.file(&svg_name);
    let mut svg = String::new();
    {
        let root = Typeset::vector(SVGBackend::with_string(&mut svg, size)).into_drawing_area();
        chart.draw(&root, theme).map_err(failed(&svg_path))?;
        root.present().map_err(failed(&svg_path))?;
    }
    dir.write(&svg_name, &svg)?;
    Ok((name.to_string(), svg))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_within_limits() {
        assert_eq!(parse_size("1600x900"), Ok((1600, 900)));
        assert_eq!(parse_size(" 1920X1080 "), Ok((1920, 1080)));
        for bad in [
            "1600",
            "0x0",
            "100x100",
            "1600x",
            "x900",
            "axb",
            "9000x9000",
        ] {
            let err = parse_size(bad).unwrap_err();
            assert!(err.contains("WIDTHxHEIGHT"), "{bad}: {err}");
        }
    }
}
