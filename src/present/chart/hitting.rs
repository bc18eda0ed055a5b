//! The hitting-time chart (`hitting`): the share of paths that have reached
//! the target by each month, and that share at the target month.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Draw;
use super::axis::{AxesSpec, Axis, draw_axes, month_axis, percent_axis};
use super::labels::{Obstacle, PointLabel, draw_point_labels};
use super::lines::{max_of, months};
use super::style::{Frame, LegendItem, Mark, Marker, band, dashed, draw_frame, draw_marker, line};
use super::theme::{Drawn, Theme, palette};
use crate::core::scenario::Scenario;
use crate::core::stats::Summary;
use crate::present::text::Lang;
use crate::present::text::uncertainty::headline_share;

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
    /// The label of that point: the share reached by then, and under it the
    /// share at or above the target in that month itself (the headline
    /// chance), which can be lower, so that the two read apart.
    pub at_target_label: [String; 2],
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
            at_target_label: lang.reached_by_labels(
                &target_date,
                &lang.share(reached),
                &headline_share(&summary.p_target, summary.paths, lang),
            ),
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
            &Frame::new(&self.title, &self.subtitle, &legend),
        )?;
        let mut chart = draw_axes(
            &area,
            theme,
            &AxesSpec::plain(&self.x, &self.y, s.share_of_paths),
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
        let label = PointLabel {
            at: self.at_target,
            alternatives: Vec::new(),
            lines: self.at_target_label.to_vec(),
            bold: true,
            colour: None,
        };
        draw_point_labels(&chart, theme, &[label], &[self.at_target], &obstacles)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::chart::fixtures::small_run;

    #[test]
    fn hitting_agrees_with_the_summary() {
        let (scenario, summary) = small_run(Some(2500));
        let h = HittingData::new(&scenario, &summary, Lang::En);
        assert_eq!(h.percent.len(), 37);
        assert!(h.percent.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(h.at_target.1, summary.p_reached_by[24] * 100.0);
        // Reached by the target month, and at or above the target in that
        // month (the headline's chance): two figures, each named.
        assert_eq!(
            h.at_target_label[0],
            format!(
                "Reached by Jul 2022: {}",
                Lang::En.share(summary.p_reached_by[24])
            )
        );
        assert_eq!(
            h.at_target_label[1],
            format!(
                "At or above it in that month: {}",
                Lang::En.share(summary.p_target.estimate)
            )
        );
        assert!(summary.p_reached_by[24] >= summary.p_target.estimate);
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
