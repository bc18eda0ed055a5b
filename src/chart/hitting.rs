//! The hitting-time chart (`hitting`): the share of paths that have reached
//! the target by each month, and that share at the target month.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Draw;
use super::axis::{AxesSpec, Axis, draw_axes, month_axis, percent_axis};
use super::labels::{Obstacle, Side, place_label};
use super::lines::{max_of, months};
use super::style::{
    Drawn, Frame, LegendItem, Mark, Marker, Theme, band, dashed, draw_frame, draw_marker, line,
    palette,
};
use crate::scenario::Scenario;
use crate::stats::Summary;
use crate::text::Lang;

/// The hitting-time chart: share of paths that reached the target by each month.
#[derive(Clone, Debug, PartialEq)]
pub struct HittingData {
    /// Chart title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// Time axis.
    pub x: Axis,
    /// Percent axis.
    pub y: Axis,
    /// Model months `0..=horizon`.
    pub months: Vec<f64>,
    /// Percent of paths that reached the target by each month.
    pub percent: Vec<f64>,
    /// The target month and the percent reached by then.
    pub at_target: (f64, f64),
    /// The label of that point.
    pub at_target_label: String,
}

impl HittingData {
    /// Gathers the hitting-time chart of a run.
    pub fn new(scenario: &Scenario, summary: &Summary, lang: Lang) -> HittingData {
        let horizon = scenario.meta.horizon_months;
        let s = lang.strings();
        let percent: Vec<f64> = summary.p_reached_by.iter().map(|p| p * 100.0).collect();
        let target_month = scenario.target.month;
        let reached = summary.p_reached_by[target_month as usize];
        let target_date = lang.month(scenario.date(target_month));
        let ever = summary.p_reached_by.last().copied().unwrap_or(0.0);
        // A curve that stays low is shown on a zoomed axis; 100% otherwise.
        let top = if max_of(&percent) < 20.0 {
            (max_of(&percent) * 1.25).max(1.0)
        } else {
            100.0
        };
        HittingData {
            title: s.hitting_title.to_string(),
            subtitle: lang.hitting_subtitle(
                scenario.target.headcount,
                ever,
                horizon,
                summary
                    .median_month_reached
                    .map(|m| lang.month(scenario.date(m))),
            ),
            x: month_axis(scenario.meta.start, 0.0, f64::from(horizon), lang),
            y: percent_axis(top, lang),
            months: months(horizon),
            percent,
            at_target: (f64::from(target_month), reached * 100.0),
            at_target_label: format!("{target_date}{}{}", s.colon, lang.share(reached)),
        }
    }
}

impl Draw for HittingData {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Drawn<DB> {
        let s = theme.lang.strings();
        let colour = palette::HEADCOUNT;
        let legend = [
            LegendItem::new(s.reached_target, Mark::Line(colour)),
            LegendItem::new(s.target_month_legend, Mark::Dashed(palette::REFERENCE)),
        ];
        let area = draw_frame(
            root,
            theme,
            &Frame {
                title: &self.title,
                subtitle: &self.subtitle,
                legend: &legend,
            },
        )?;
        let mut chart = draw_axes(
            &area,
            theme,
            &AxesSpec {
                x: &self.x,
                y: &self.y,
                y_title: s.share_of_paths,
                x_title: None,
                x_labels: true,
                panel: false,
                y_label_width: None,
            },
        )?;
        let floor = vec![0.0; self.months.len()];
        band(
            &mut chart,
            &self.months,
            &floor,
            &self.percent,
            colour,
            0.12,
        )?;
        line(
            &mut chart,
            &self.months,
            &self.percent,
            theme.line(colour, theme.main_line()),
        )?;
        let month = self.at_target.0;
        dashed(
            &mut chart,
            theme,
            vec![(month, self.y.lo), (month, self.y.hi)],
            palette::REFERENCE,
        )?;
        draw_marker(
            chart.plotting_area(),
            theme,
            self.at_target,
            Marker::Dot,
            colour,
        )?;
        // The curve only rises, so above-left of the point is usually free, and
        // below-right (under the curve) when the point is near the top.
        let obstacles = [
            Obstacle::line(&self.months, &self.percent),
            Obstacle::vertical(month, self.y.lo, self.y.hi),
        ];
        let candidates = [
            Side::AboveLeft,
            Side::BelowRight,
            Side::AboveRight,
            Side::BelowLeft,
        ]
        .map(|side| (self.at_target, side));
        place_label(
            &chart,
            theme,
            &self.at_target_label,
            &candidates,
            &obstacles,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::fixtures::small_run;

    #[test]
    fn hitting_agrees_with_the_summary() {
        let (scenario, summary) = small_run(Some(2500));
        let h = HittingData::new(&scenario, &summary, Lang::En);
        assert_eq!(h.percent.len(), 37);
        assert!(h.percent.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(h.at_target.1, summary.p_reached_by[24] * 100.0);
        assert!(h.y.hi <= 100.0 && h.y.hi >= h.percent[36]);
    }

    #[test]
    fn an_unreachable_target_gives_a_flat_zero_on_a_short_axis() {
        let (scenario, summary) = small_run(None);
        let h = HittingData::new(&scenario, &summary, Lang::En);
        assert!(h.percent.iter().all(|&p| p == 0.0));
        assert!(h.y.hi >= 1.0);
    }
}
