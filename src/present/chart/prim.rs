//! The chart of scenario discovery (`prim_trajectory`): density against
//! coverage along PRIM's peeling, with the chosen box.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Draw;
use super::axis::{AxesSpec, Axis, draw_axes, percent_axis};
use super::labels::{Obstacle, PointLabel, Side, draw_point_labels, place_label_with};
use super::style::{
    Frame, LegendItem, Mark, Marker, dashed, draw_frame, draw_marker, line, small_dot,
    vertical_grid,
};
use super::theme::{Drawn, Theme, palette};
use crate::analysis::discover::PrimResult;
use crate::core::scenario::Scenario;
use crate::present::text::Lang;

/// The PRIM chart: density against coverage along the peeling trajectory.
#[derive(Clone, Debug, PartialEq)]
pub struct PrimData {
    /// Chart title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// Coverage, in percent.
    pub x: Axis,
    /// Density, in percent.
    pub y: Axis,
    /// Title under the horizontal axis.
    pub x_title: String,
    /// Title over the vertical axis.
    pub y_title: String,
    /// (coverage, density) in percent of each peeling step, the full box first.
    pub steps: Vec<(f64, f64)>,
    /// The step the chosen box was pruned from.
    pub chosen_step: (f64, f64),
    /// The chosen box, after pruning.
    pub chosen: (f64, f64),
    /// Its label: a heading and two detail lines.
    pub chosen_label: [String; 3],
    /// Share of all futures that succeed, in percent.
    pub overall: f64,
    /// Its label.
    pub overall_label: String,
    /// The least coverage a chosen box may have, in percent.
    pub min_coverage: f64,
    /// Its label.
    pub min_coverage_label: String,
}

impl PrimData {
    /// Gathers the PRIM chart of a discovery that chose boxes covering at
    /// least `min_coverage` of the successes.
    pub fn new(
        scenario: &Scenario,
        r: &PrimResult,
        min_coverage: f64,
        paths: u64,
        lang: Lang,
    ) -> PrimData {
        let t = scenario.target;
        let date = lang.month(scenario.date(t.month));
        let s = lang.strings();
        let point = |coverage: f64, density: f64| (coverage * 100.0, density * 100.0);
        let steps: Vec<(f64, f64)> = r
            .trajectory
            .iter()
            .map(|p| point(p.coverage, p.density))
            .collect();
        let overall = r.trajectory.first().map_or(0.0, |p| p.density);
        let top = steps
            .iter()
            .map(|p| p.1)
            .fold(r.chosen.density * 100.0, f64::max);
        let step = &r.trajectory[r.chosen_step.min(r.trajectory.len() - 1)];
        PrimData {
            title: lang.prim_title(t.headcount, &date),
            subtitle: lang.prim_subtitle(paths, r.trajectory.len()),
            x: percent_axis(100.0, lang),
            y: percent_axis(top * 1.12, lang),
            x_title: s.coverage_axis.to_string(),
            y_title: s.density_axis.to_string(),
            steps,
            chosen_step: point(step.coverage, step.density),
            chosen: point(r.chosen.coverage, r.chosen.density),
            chosen_label: lang.chosen_box_label(r.chosen.density, r.chosen.coverage),
            overall: overall * 100.0,
            overall_label: lang.all_futures_label(overall),
            min_coverage: min_coverage * 100.0,
            min_coverage_label: lang.min_coverage_label(min_coverage),
        }
    }
}

impl Draw for PrimData {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Drawn<DB> {
        let s = theme.lang.strings();
        let colour = palette::HEADCOUNT;
        let legend = [
            LegendItem::new(s.peeling_boxes, Mark::Line(colour)),
            LegendItem::new(s.chosen_box, Mark::Diamond(palette::HIGHLIGHT)),
        ];
        let area = draw_frame(
            root,
            theme,
            &Frame::new(&self.title, &self.subtitle, &legend),
        )?;
        let mut chart = draw_axes(
            &area,
            theme,
            &AxesSpec {
                x_title: Some(&self.x_title),
                ..AxesSpec::plain(&self.x, &self.y, &self.y_title)
            },
        )?;
        vertical_grid(&mut chart, theme, &self.x, &self.y)?;
        // The share of all futures that succeed, and the least coverage of a
        // box that may be chosen.
        dashed(
            &mut chart,
            theme,
            vec![(self.x.lo, self.overall), (self.x.hi, self.overall)],
            palette::SAMPLE,
        )?;
        dashed(
            &mut chart,
            theme,
            vec![
                (self.min_coverage, self.y.lo),
                (self.min_coverage, self.y.hi),
            ],
            palette::SAMPLE,
        )?;
        let xs: Vec<f64> = self.steps.iter().map(|p| p.0).collect();
        let ys: Vec<f64> = self.steps.iter().map(|p| p.1).collect();
        line(
            &mut chart,
            &xs,
            &ys,
            theme.line(colour, theme.main_line() * 0.6),
        )?;
        for &p in &self.steps {
            small_dot(&chart, theme, p, colour)?;
        }
        let trajectory = Obstacle::line(&xs, &ys);
        let note = theme.font(26.0, palette::MUTED_TEXT);
        place_label_with(
            &chart,
            theme,
            &self.overall_label,
            &[
                ((self.x.lo, self.overall), Side::BelowRight),
                ((self.x.lo, self.overall), Side::AboveRight),
            ],
            std::slice::from_ref(&trajectory),
            &note,
        )?;
        place_label_with(
            &chart,
            theme,
            &self.min_coverage_label,
            &[
                ((self.min_coverage, self.y.hi), Side::BelowRight),
                ((self.min_coverage, self.y.hi), Side::BelowLeft),
            ],
            std::slice::from_ref(&trajectory),
            &note,
        )?;
        draw_marker(
            chart.plotting_area(),
            theme,
            self.chosen,
            Marker::Diamond,
            palette::HIGHLIGHT,
        )?;
        let label = PointLabel {
            at: self.chosen,
            alternatives: Vec::new(),
            // A bold label's last line is its detail: the two facts share it.
            lines: vec![
                self.chosen_label[0].clone(),
                format!("{}, {}", self.chosen_label[1], self.chosen_label[2]),
            ],
            bold: true,
            colour: Some(palette::HIGHLIGHT),
        };
        draw_point_labels(
            &chart,
            theme,
            &[label],
            &self.steps,
            &[
                trajectory,
                Obstacle::line(&[self.x.lo, self.x.hi], &[self.overall, self.overall]),
                Obstacle::vertical(self.min_coverage, self.y.lo, self.y.hi),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::analysis::discover::PeelStep;
    use crate::input::oujda::OUJDA_JULY_2020 as OUJDA;

    #[test]
    fn the_prim_chart_marks_the_chosen_box() {
        let mut scenario = Scenario::from_toml_str(OUJDA, "oujda").unwrap();
        scenario.target.headcount = 2400;
        let step = |coverage: f64, density: f64, paths_in_box: usize| PeelStep {
            coverage,
            density,
            paths_in_box,
            bounds: vec![(0.0, 1.0)],
        };
        let r = PrimResult {
            trajectory: vec![
                step(1.0, 0.27, 3000),
                step(0.9, 0.4, 1800),
                step(0.84, 0.49, 1377),
                step(0.3, 0.7, 300),
            ],
            chosen_step: 2,
            chosen: step(0.85, 0.48, 1400),
            full: vec![(0.0, 1.0)],
        };
        let p = PrimData::new(&scenario, &r, 0.5, 3000, Lang::En);
        assert_eq!(p.steps.len(), 4);
        assert_eq!(p.steps[0], (100.0, 27.0));
        assert_eq!(p.chosen_step, (84.0, 49.0));
        assert_eq!(p.chosen, (85.0, 48.0));
        assert_eq!(p.overall, 27.0);
        assert_eq!(p.min_coverage, 50.0);
        assert!(p.y.hi >= 70.0 && p.x.hi == 100.0);
        assert!(p.title.contains("2,400 jobs in Jul 2022"), "{}", p.title);
        assert_eq!(p.chosen_label[0], "Chosen box");
        assert!(
            p.chosen_label[1].starts_with("48.0%"),
            "{:?}",
            p.chosen_label
        );
        assert!(
            p.min_coverage_label.contains("50%"),
            "{}",
            p.min_coverage_label
        );
        assert!(p.overall_label.contains("27.0%"));
    }
}
