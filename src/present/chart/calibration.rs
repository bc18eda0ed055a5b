//! Charts of `calibrate` and `backtest`:
//! - `fitted_fan`: the fan chart of the forecast from the posterior, through
//!   the history points (the run's fan chart, drawn on the fitted forecast);
//! - `posterior_inputs`: small multiples, one per uncertain input, of its prior
//!   (grey) and posterior (colour) as weighted histograms on the prior's range;
//! - `backtest`: each history point against the 50% and 90% intervals of its
//!   forecasts (priors, earlier points, all points).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Draw;
use super::axis::{AxesSpec, draw_axes, jobs_axis};
use super::fan::FanData;
use super::style::{Frame, LegendItem, Mark, draw_frame};
use super::theme::{Drawn, Theme, palette};
use super::{ChartOptions, render, theme_for};
use crate::analysis::backtest::{Backtest, Basis};
use crate::analysis::calibrate::Calibration;
use crate::analysis::calibrate::Forecasts;
use crate::core::posterior::Posterior;
use crate::core::scenario::Scenario;
use crate::present::output::{OutputError, StagedDir};
use crate::present::text::Lang;
use crate::present::text::tr;

/// The charts of a calibration, in report order.
pub const CALIBRATION_CHART_NAMES: [&str; 2] = ["fitted_fan", "posterior_inputs"];

/// The chart of a back-test.
pub const BACKTEST_CHART_NAMES: [&str; 1] = ["backtest"];

/// Bins of each small histogram.
const BINS: usize = 24;

/// One input's panel: weighted shares of prior and posterior per bin.
#[derive(Clone, Debug, PartialEq)]
pub struct InputPanel {
    /// The input's plain-language name.
    pub label: String,
    /// Range shown.
    pub lo: f64,
    /// Range shown.
    pub hi: f64,
    /// Prior share per bin.
    pub prior: Vec<f64>,
    /// Posterior share per bin.
    pub posterior: Vec<f64>,
}

/// Weighted shares of input `j` of `p` in `BINS` bins over `lo..=hi`.
fn shares(p: &Posterior, j: usize, lo: f64, hi: f64) -> Vec<f64> {
    let mut bins = vec![0.0; BINS];
    let width = (hi - lo).max(f64::MIN_POSITIVE);
    for i in 0..p.len() {
        let x = p.particle(i)[j];
        let b = (((x - lo) / width * BINS as f64) as usize).min(BINS - 1);
        bins[b] += p.weights[i];
    }
    bins
}

/// Prior against posterior for every input.
#[derive(Clone, Debug, PartialEq)]
pub struct PosteriorInputsData {
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// One panel per input.
    pub panels: Vec<InputPanel>,
}

impl PosteriorInputsData {
    /// Prepares the panels from the priors' draws and the posterior.
    pub fn new(c: &Calibration, lang: Lang) -> PosteriorInputsData {
        let panels = c
            .posterior
            .names
            .iter()
            .enumerate()
            .map(|(j, name)| {
                // The prior's central 99% (whole range for a yes/no input).
                let (mut lo, mut hi) = (c.prior.quantile(j, 0.005), c.prior.quantile(j, 0.995));
                if name.ends_with(".happens") || hi <= lo {
                    lo = lo.min(0.0);
                    hi = hi.max(lo + 1.0);
                }
                let pad = (hi - lo) * 0.02;
                let (lo, hi) = (lo - pad, hi + pad);
                InputPanel {
                    label: lang.param_label(name),
                    lo,
                    hi,
                    prior: shares(&c.prior, j, lo, hi),
                    posterior: shares(&c.posterior, j, lo, hi),
                }
            })
            .collect();
        PosteriorInputsData {
            title: tr(lang, "What the history says about each input", "Ce que l’historique dit de chaque paramètre").to_string(),
            subtitle: tr(
                lang,
                "Weighted histograms on each prior's range: posterior in colour, prior outlined in black",
                "Histogrammes pondérés sur l’étendue a priori\u{a0}: a posteriori en couleur, a priori en trait noir",
            )
            .to_string(),
            panels,
        }
    }
}

/// A short label for a small panel.
fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

/// A value on a small panel's axis spanning `span`, with the decimals that
/// tell its ticks apart.
fn tick(x: f64, span: f64) -> String {
    let decimals = (-(span / 4.0).log10().floor()).clamp(0.0, 6.0) as usize;
    format!("{x:.decimals$}")
}

impl Draw for PosteriorInputsData {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Drawn<DB> {
        let lang = theme.lang;
        let legend = [
            LegendItem::new(
                tr(lang, "prior", "a priori"),
                Mark::Line(palette::REFERENCE),
            ),
            LegendItem::new(
                tr(lang, "posterior", "a posteriori"),
                Mark::Fill(palette::HEADCOUNT, 0.7),
            ),
        ];
        let area = draw_frame(
            root,
            theme,
            &Frame::new(&self.title, &self.subtitle, &legend),
        )?;
        let n = self.panels.len().max(1);
        let cols = if n <= 4 {
            n
        } else if n <= 9 {
            3
        } else if n <= 16 {
            4
        } else {
            5
        };
        let rows = n.div_ceil(cols);
        let cells = area.split_evenly((rows, cols));
        let title_font = theme.bold(22.0, palette::TEXT);
        let tick_font = theme.font(17.0, palette::MUTED_TEXT);
        for (panel, cell) in self.panels.iter().zip(cells.iter()) {
            let top = cell.margin(theme.px(4.0), theme.px(4.0), theme.px(8.0), theme.px(8.0));
            let max = panel
                .prior
                .iter()
                .chain(&panel.posterior)
                .fold(0.0f64, |a, &b| a.max(b))
                .max(1e-9);
            let mut chart = ChartBuilder::on(&top)
                .caption(short(&panel.label, 34), title_font.clone())
                .x_label_area_size(theme.px(26.0))
                .y_label_area_size(0)
                .build_cartesian_2d(panel.lo..panel.hi, 0.0..max * 1.05)?;
            chart
                .configure_mesh()
                .disable_mesh()
                .disable_y_axis()
                .x_labels(3)
                .x_label_formatter(&|x| tick(*x, panel.hi - panel.lo))
                .label_style(tick_font.clone())
                .axis_style(theme.line(palette::AXIS, 1.0))
                .draw()?;
            let width = (panel.hi - panel.lo) / BINS as f64;
            chart.draw_series(panel.posterior.iter().enumerate().map(|(b, &s)| {
                let x = panel.lo + b as f64 * width;
                Rectangle::new(
                    [(x, 0.0), (x + width, s)],
                    palette::HEADCOUNT.mix(0.7).filled(),
                )
            }))?;
            // The prior as a step outline over the bars, so both stay visible.
            let mut outline = vec![(panel.lo, 0.0)];
            for (b, &s) in panel.prior.iter().enumerate() {
                let x = panel.lo + b as f64 * width;
                outline.extend([(x, s), (x + width, s)]);
            }
            outline.push((panel.hi, 0.0));
            chart.draw_series(std::iter::once(PathElement::new(
                outline,
                theme.line(palette::REFERENCE, 2.0),
            )))?;
        }
        Ok(())
    }
}

/// Observed points against their forecasts' intervals.
#[derive(Clone, Debug, PartialEq)]
pub struct BacktestData {
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// One column per scored forecast: label, basis, 5/25/50/75/95%, observed.
    pub columns: Vec<(String, Basis, [f64; 5], f64)>,
    /// The jobs axis.
    pub y: super::axis::Axis,
}

impl BacktestData {
    /// Prepares the chart.
    pub fn new(b: &Backtest, lang: Lang) -> BacktestData {
        let columns: Vec<_> = b
            .rows
            .iter()
            .map(|r| {
                let date = r
                    .date
                    .parse()
                    .map(|d| lang.month(d))
                    .unwrap_or_else(|_| r.date.clone());
                let basis = match r.basis {
                    Basis::Prior => tr(lang, "priors", "a priori"),
                    Basis::Rolling => tr(lang, "earlier points", "points antérieurs"),
                    Basis::InSample => tr(lang, "all points", "tous les points"),
                };
                (
                    format!("{date}: {basis}"),
                    r.basis,
                    r.score.quantiles,
                    f64::from(r.observed),
                )
            })
            .collect();
        let max = columns
            .iter()
            .map(|c| c.2[4].max(c.3))
            .fold(1.0f64, f64::max);
        BacktestData {
            title: tr(lang, "Back-test: what was forecast, and what happened", "Test rétrospectif\u{a0}: la prévision et la réalité").to_string(),
            subtitle: tr(
                lang,
                "Each history point (black dot) against its forecast's 50% (thick) and 90% (thin) intervals",
                "Chaque point d’historique (point noir) face aux intervalles à 50\u{a0}% (épais) et 90\u{a0}% (fin) de sa prévision",
            )
            .to_string(),
            columns,
            y: jobs_axis(max * 1.05, lang),
        }
    }
}

/// The colour of a forecast's basis.
fn basis_colour(b: Basis) -> RGBColor {
    match b {
        Basis::Prior => palette::SAMPLE,
        Basis::Rolling => palette::HEADCOUNT,
        Basis::InSample => palette::ANNOUNCED,
    }
}

impl Draw for BacktestData {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Drawn<DB> {
        let lang = theme.lang;
        let mut legend: Vec<LegendItem> = [Basis::Prior, Basis::Rolling, Basis::InSample]
            .into_iter()
            .filter(|b| self.columns.iter().any(|c| c.1 == *b))
            .map(|b| {
                let label = match b {
                    Basis::Prior => tr(lang, "forecast from the priors", "prévision a priori"),
                    Basis::Rolling => tr(
                        lang,
                        "forecast from earlier points",
                        "prévision calée sur les points antérieurs",
                    ),
                    Basis::InSample => tr(lang, "fit to all points", "calage sur tous les points"),
                };
                LegendItem::new(label, Mark::Interval(basis_colour(b)))
            })
            .collect();
        legend.push(LegendItem::new(
            tr(lang, "observed", "observé"),
            Mark::Dot(palette::REFERENCE),
        ));
        let area = draw_frame(
            root,
            theme,
            &Frame::new(&self.title, &self.subtitle, &legend),
        )?;
        let n = self.columns.len();
        let x = super::axis::Axis {
            lo: -0.5,
            hi: n as f64 - 0.5,
            ticks: self
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| super::axis::Tick {
                    value: i as f64,
                    label: c.0.clone(),
                })
                .collect(),
        };
        let y_title = tr(lang, "jobs", "emplois");
        let mut chart = draw_axes(
            &area,
            theme,
            &AxesSpec {
                x: &x,
                y: &self.y,
                y_title,
                x_title: None,
                x_labels: true,
                panel: false,
                y_label_width: None,
            },
        )?;
        let colour = basis_colour;
        for (i, (_, basis, q, observed)) in self.columns.iter().enumerate() {
            let x = i as f64;
            let c = colour(*basis);
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x, q[0]), (x, q[4])],
                theme.line(c, 3.0),
            )))?;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x - 0.08, q[1]), (x + 0.08, q[3])],
                c.mix(0.85).filled(),
            )))?;
            chart.draw_series(std::iter::once(Circle::new(
                (x, *observed),
                theme.px(9.0),
                palette::REFERENCE.filled(),
            )))?;
        }
        Ok(())
    }
}

/// Draws the charts of a calibration ([`CALIBRATION_CHART_NAMES`]).
pub fn write_calibration_charts(
    dir: &StagedDir,
    scenario: &Scenario,
    c: &Calibration,
    f: &Forecasts,
    options: &ChartOptions,
) -> Result<Vec<(String, String)>, OutputError> {
    let run = &f.fitted.options;
    let (theme, size) = theme_for(scenario, run.paths, run.seed, options);
    let lang = options.lang;
    Ok(vec![
        render(
            dir,
            "fitted_fan",
            &FanData::new(&f.fitted_scenario, &f.fitted.summary, lang),
            &theme,
            size,
        )?,
        render(
            dir,
            "posterior_inputs",
            &PosteriorInputsData::new(c, lang),
            &theme,
            size,
        )?,
    ])
}

/// Draws the chart of a back-test ([`BACKTEST_CHART_NAMES`]).
pub fn write_backtest_charts(
    dir: &StagedDir,
    scenario: &Scenario,
    b: &Backtest,
    options: &ChartOptions,
) -> Result<Vec<(String, String)>, OutputError> {
    let (theme, size) = theme_for(scenario, b.paths, b.seed, options);
    let lang = options.lang;
    Ok(vec![render(
        dir,
        "backtest",
        &BacktestData::new(b, lang),
        &theme,
        size,
    )?])
}
