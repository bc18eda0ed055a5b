//! The labour chart (`labour`): the qualified pool and unfilled seats above,
//! hires and leavers below, each a median with its middle half, on one time
//! axis.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Draw;
use super::axis::{AxesSpec, Axis, draw_axes, jobs_axis, month_axis, y_label_width};
use super::lines::{max_of, quantile_line};
use super::style::{Frame, LegendItem, Mark, band, draw_frame, line};
use super::theme::{Drawn, Theme, palette, series_colour};
use crate::core::model::Series;
use crate::core::scenario::Scenario;
use crate::core::stats::Summary;
use crate::present::text::Lang;

/// A series' median with its 50% band.
#[derive(Clone, Debug, PartialEq)]
pub struct BandLine {
    /// The series shown.
    pub series: Series,
    /// Model months shown.
    pub months: Vec<f64>,
    /// Median at each month.
    pub median: Vec<f64>,
    /// 25th percentile at each month.
    pub lo: Vec<f64>,
    /// 75th percentile at each month.
    pub hi: Vec<f64>,
}

impl BandLine {
    /// `series` over months `first..=horizon`.
    fn new(summary: &Summary, series: Series, first: u32, horizon: u32) -> BandLine {
        let skip = first as usize;
        let line = |p| quantile_line(summary, series, horizon, p).split_off(skip);
        BandLine {
            series,
            months: (first..=horizon).map(f64::from).collect(),
            median: line(50),
            lo: line(25),
            hi: line(75),
        }
    }

    fn top(&self) -> f64 {
        max_of(&self.hi).max(max_of(&self.median))
    }
}

/// One panel of the labour chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    /// Panel heading.
    pub title: String,
    /// Its value axis.
    pub y: Axis,
    /// Its series.
    pub lines: Vec<BandLine>,
}

/// The labour chart: stocks (qualified pool, vacancies) above flows (hires,
/// leavers), on a shared time axis.
#[derive(Clone, Debug, PartialEq)]
pub struct LabourData {
    /// Chart title.
    pub title: String,
    /// Subtitle: which constraint binds.
    pub subtitle: String,
    /// Shared time axis.
    pub x: Axis,
    /// Qualified pool and vacancies, end of month.
    pub stocks: Panel,
    /// Hires and leavers per month (from month 1: month 0 has no flows).
    pub flows: Panel,
}

impl LabourData {
    /// Gathers the labour chart of a run.
    pub fn new(scenario: &Scenario, summary: &Summary, lang: Lang) -> LabourData {
        let horizon = scenario.meta.horizon_months;
        let s = lang.strings();
        let panel = |title: &str, series: [Series; 2], first: u32| {
            let lines: Vec<BandLine> = series
                .iter()
                .map(|&x| BandLine::new(summary, x, first.min(horizon), horizon))
                .collect();
            let top = lines.iter().map(BandLine::top).fold(0.0, f64::max);
            Panel {
                title: title.to_string(),
                y: jobs_axis(top * 1.05, lang),
                lines,
            }
        };
        LabourData {
            title: s.labour_title.to_string(),
            subtitle: lang.labour_subtitle(summary.labour_limited_share),
            x: month_axis(scenario.meta.start, 0.0, f64::from(horizon), lang),
            stocks: panel(s.stocks_panel, [Series::Pool, Series::Vacancies], 0),
            flows: panel(s.flows_panel, [Series::Hires, Series::Leavers], 1),
        }
    }
}

/// Opacity of a 50% band around a median line.
const BAND_OPACITY: f64 = 0.25;

/// The legend name of a labour series.
fn labour_label(series: Series, theme: &Theme) -> &'static str {
    let s = theme.lang.strings();
    match series {
        Series::Pool => s.pool,
        Series::Vacancies => s.vacancies,
        Series::Hires => s.hires,
        _ => s.leavers,
    }
}

impl LabourData {
    fn draw_panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        theme: &Theme,
        panel: &Panel,
        label_width: i32,
        x_labels: bool,
    ) -> Drawn<DB> {
        let mut chart = draw_axes(
            area,
            theme,
            &AxesSpec {
                x: &self.x,
                y: &panel.y,
                y_title: &panel.title,
                panel: true,
                x_title: None,
                x_labels,
                y_label_width: Some(label_width),
            },
        )?;
        for l in &panel.lines {
            let colour = series_colour(l.series);
            band(&mut chart, &l.months, &l.lo, &l.hi, colour, BAND_OPACITY)?;
        }
        for l in &panel.lines {
            let colour = series_colour(l.series);
            line(
                &mut chart,
                &l.months,
                &l.median,
                theme.line(colour, theme.main_line()),
            )?;
        }
        Ok(())
    }
}

impl Draw for LabourData {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Drawn<DB> {
        let s = theme.lang.strings();
        let mut legend: Vec<LegendItem> = self
            .stocks
            .lines
            .iter()
            .chain(&self.flows.lines)
            .map(|l| {
                LegendItem::new(
                    labour_label(l.series, theme),
                    Mark::Line(series_colour(l.series)),
                )
            })
            .collect();
        legend.push(LegendItem::new(
            s.middle_half,
            Mark::Fill(palette::SAMPLE, BAND_OPACITY * 1.6),
        ));
        let area = draw_frame(
            root,
            theme,
            &Frame::new(&self.title, &self.subtitle, &legend),
        )?;
        let (_, height) = area.dim_in_pixel();
        // The upper panel has no tick labels under it, so it needs less height
        // for the same plot height.
        let (upper, lower) = area.split_vertically(height as i32 * 47 / 100);
        let lower = lower.margin(theme.px(14.0), 0, 0, 0);
        let label_width = y_label_width(&area, theme, &self.stocks.y).max(y_label_width(
            &area,
            theme,
            &self.flows.y,
        ));
        self.draw_panel(&upper, theme, &self.stocks, label_width, false)?;
        self.draw_panel(&lower, theme, &self.flows, label_width, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::chart::fixtures::small_run;

    #[test]
    fn labour_panels_split_stocks_from_flows() {
        let (scenario, summary) = small_run(None);
        let l = LabourData::new(&scenario, &summary, Lang::En);
        let series = |p: &Panel| p.lines.iter().map(|l| l.series).collect::<Vec<_>>();
        assert_eq!(series(&l.stocks), [Series::Pool, Series::Vacancies]);
        assert_eq!(series(&l.flows), [Series::Hires, Series::Leavers]);
        assert_eq!(l.stocks.lines[0].months.len(), 37);
        assert_eq!(l.flows.lines[0].months[0], 1.0);
        for panel in [&l.stocks, &l.flows] {
            for line in &panel.lines {
                assert!(line.hi.iter().all(|&v| v <= panel.y.hi));
                assert!(line.lo.iter().zip(&line.median).all(|(a, b)| a <= b));
            }
        }
        assert!(l.subtitle.contains('%'), "{}", l.subtitle);
    }
}
