//! The chart of what is within reach (`reach`), drawn in place of the
//! hitting-time chart when the target is out of reach: when fewer than
//! [`LIKELY_FLOOR`] of the paths ever reach the target, the share that has
//! reached it by each month is a flat line near 0% and says nothing more than
//! the headline. This chart shows instead, for every number of jobs, the
//! chance of at least that many in the target month, with round levels up to
//! the target marked: the level a planner can count on, and how far the
//! target lies beyond it.
//!
//! The chances are counted exactly from the histogram of the headcount in the
//! target month, the one behind the headline chance of the target, so the
//! curve meets the target at that chance.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Draw;
use super::axis::{AxesSpec, Axis, draw_axes, percent_axis};
use super::labels::{Obstacle, PointLabel, draw_point_labels};
use super::outcome::jobs_axis_with_target;
use super::style::{Frame, LegendItem, Mark, Marker, band, draw_frame, draw_marker, line};
use super::theme::{Drawn, Theme, palette};
use crate::analysis::findings::LIKELY_FLOOR;
use crate::core::scenario::Scenario;
use crate::core::stats::{Proportion, Summary};
use crate::present::text::Lang;
use crate::present::text::uncertainty::headline_share;

/// The most points of the curve: it is computed at thresholds this many steps
/// apart across the axis, fine enough for a smooth line and a light SVG.
const CURVE_POINTS: f64 = 200.0;

/// Whether the target is out of reach in this report's sense: fewer than
/// [`LIKELY_FLOOR`] of the paths reach it at any month of the horizon. The run
/// then draws the `reach` chart instead of `hitting`.
pub fn target_out_of_reach(summary: &Summary) -> bool {
    summary.p_reached_by.last().copied().unwrap_or(0.0) < LIKELY_FLOOR
}

/// A marked level of jobs and its chance.
#[derive(Clone, Debug, PartialEq)]
pub struct Level {
    /// The number of jobs.
    pub jobs: f64,
    /// The chance of at least that many jobs in the target month, in percent.
    pub percent: f64,
    /// Its label.
    pub label: String,
    /// Whether this level is the target.
    pub is_target: bool,
}

/// The chart of what is within reach: the chance of at least each number of
/// jobs in the target month.
#[derive(Clone, Debug, PartialEq)]
pub struct ReachData {
    /// Chart title.
    pub title: String,
    /// Subtitle: says why this chart replaces the hitting-time chart.
    pub subtitle: String,
    /// Jobs axis, from the lowest outcome to the target.
    pub x: Axis,
    /// Percent axis, 0 to 100%.
    pub y: Axis,
    /// Title under the horizontal axis.
    pub x_title: String,
    /// The curve as (jobs, percent of paths with at least that many jobs),
    /// in increasing jobs.
    pub curve: Vec<(f64, f64)>,
    /// The round levels (the ticks of `x` below the target from the first
    /// that not every path reaches) and the target, in increasing jobs.
    pub levels: Vec<Level>,
    /// The target headcount.
    pub target: f64,
}

impl ReachData {
    /// Gathers the chart of what is within reach of a run.
    pub fn new(scenario: &Scenario, summary: &Summary, lang: Lang) -> ReachData {
        let t = scenario.target;
        let date = lang.month(scenario.date(t.month));
        let histogram = &summary.headcount_at_target;
        let total = histogram.total();
        let chance = |jobs: f64| {
            let at_least = histogram.count_at_least(jobs.max(0.0).ceil() as u32);
            Proportion::wilson(at_least, total.max(1))
        };
        let target = f64::from(t.headcount);
        let values: Vec<u32> = histogram.iter().map(|(v, _)| v).collect();
        let data = match (values.first(), values.last()) {
            (Some(&lo), Some(&hi)) => (f64::from(lo), f64::from(hi)),
            _ => (target, target),
        };
        let x = jobs_axis_with_target(data, target, 1.0, lang);
        let step = ((x.hi - x.lo) / CURVE_POINTS).ceil().max(1.0);
        let curve: Vec<(f64, f64)> = (0..)
            .map(|i| x.lo + f64::from(i) * step)
            .take_while(|&jobs| jobs <= x.hi)
            .map(|jobs| (jobs, chance(jobs).estimate * 100.0))
            .collect();
        let mut levels: Vec<Level> = x
            .ticks
            .iter()
            .map(|tick| tick.value)
            .filter(|&jobs| jobs > 0.0 && jobs < target)
            .map(|jobs| (jobs, chance(jobs)))
            .skip_while(|(_, p)| p.estimate >= 1.0)
            .map(|(jobs, p)| Level {
                jobs,
                percent: p.estimate * 100.0,
                label: lang.at_least_label(
                    jobs.round() as u32,
                    &headline_share(&p, summary.paths, lang),
                ),
                is_target: false,
            })
            .collect();
        let at_target = chance(target);
        levels.push(Level {
            jobs: target,
            percent: at_target.estimate * 100.0,
            label: lang.target_at_least_label(
                t.headcount,
                &headline_share(&at_target, summary.paths, lang),
            ),
            is_target: true,
        });
        let ever = summary.p_reached_by.last().copied().unwrap_or(0.0);
        ReachData {
            title: lang.reach_title(&date),
            subtitle: lang.reach_subtitle(t.headcount, ever, scenario.meta.horizon_months),
            x,
            y: percent_axis(100.0, lang),
            x_title: lang.jobs_in(&date),
            curve,
            levels,
            target,
        }
    }
}

impl Draw for ReachData {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Drawn<DB> {
        let s = theme.lang.strings();
        let colour = palette::HEADCOUNT;
        let legend = [
            LegendItem::new(s.reach_legend, Mark::Line(colour)),
            // The target is a diamond on the curve, at its chance: a line
            // across the plot would run through the labels of the levels.
            LegendItem::new(s.target, Mark::Diamond(palette::REFERENCE)),
        ];
        let area = draw_frame(
            root,
            theme,
            &Frame::new(&self.title, &self.subtitle, &legend),
        )?;
        let axes = AxesSpec {
            x_title: Some(&self.x_title),
            ..AxesSpec::plain(&self.x, &self.y, s.share_of_paths)
        };
        let mut chart = draw_axes(&area, theme, &axes)?;
        let (xs, ys): (Vec<f64>, Vec<f64>) = self.curve.iter().copied().unzip();
        band(&mut chart, &xs, &vec![0.0; xs.len()], &ys, colour, 0.12)?;
        line(&mut chart, &xs, &ys, theme.line(colour, theme.main_line()))?;
        let points: Vec<(f64, f64)> = self.levels.iter().map(|l| (l.jobs, l.percent)).collect();
        for (level, &at) in self.levels.iter().zip(&points) {
            let marker = if level.is_target {
                Marker::Diamond
            } else {
                Marker::Dot
            };
            let colour = if level.is_target {
                palette::REFERENCE
            } else {
                colour
            };
            draw_marker(chart.plotting_area(), theme, at, marker, colour)?;
        }
        let labels: Vec<PointLabel> = self
            .levels
            .iter()
            .zip(&points)
            .map(|(level, &at)| PointLabel {
                at,
                alternatives: Vec::new(),
                lines: vec![level.label.clone()],
                bold: true,
                colour: (!level.is_target).then_some(colour),
            })
            .collect();
        draw_point_labels(
            &chart,
            theme,
            &labels,
            &points,
            &[Obstacle::data_line(&xs, &ys)],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::chart::fixtures::small_run;

    #[test]
    fn an_unreachable_target_gets_the_chance_of_each_level() {
        let (scenario, summary) = small_run(None);
        assert!(target_out_of_reach(&summary), "no path reaches 5,000");
        let r = ReachData::new(&scenario, &summary, Lang::En);
        // The curve falls from every path to none, and meets the target at
        // the headline chance.
        assert!(
            r.curve
                .windows(2)
                .all(|w| w[0].1 >= w[1].1 && w[0].0 < w[1].0)
        );
        assert_eq!(r.curve.first().map(|p| p.1), Some(100.0));
        assert_eq!(r.curve.last().map(|p| p.1), Some(0.0));
        assert!(r.curve.len() <= CURVE_POINTS as usize + 1);
        let last = r.levels.last().unwrap();
        assert!(last.is_target && last.jobs == 5000.0);
        assert_eq!(last.percent, summary.p_target.estimate * 100.0);
        assert_eq!(last.label, "Target 5,000: < 0.50%");
        // Round levels below the target, each with its exact chance.
        let jobs: Vec<f64> = r.levels.iter().map(|l| l.jobs).collect();
        assert!(jobs.windows(2).all(|w| w[0] < w[1]));
        assert!(r.levels.len() >= 3, "{jobs:?}");
        let h = &summary.headcount_at_target;
        for l in &r.levels[..r.levels.len() - 1] {
            assert!(r.x.ticks.iter().any(|t| t.value == l.jobs));
            let share = h.count_at_least(l.jobs as u32) as f64 / h.total() as f64;
            assert_eq!(l.percent, share * 100.0);
            assert!(l.percent < 100.0);
            assert!(l.label.starts_with(&Lang::En.thousands(l.jobs as u64)));
        }
        // The first level is the lowest round level some path misses.
        let first = r.levels[0].jobs;
        let below =
            r.x.ticks
                .iter()
                .filter(|t| t.value > 0.0 && t.value < first);
        assert!(
            below
                .clone()
                .all(|t| h.count_at_least(t.value as u32) == h.total())
        );
        assert!(r.subtitle.contains("No simulated path reaches 5,000 jobs"));
        let fr = ReachData::new(&scenario, &summary, Lang::Fr);
        assert!(fr.title.contains("juil. 2022"), "{}", fr.title);
        assert_eq!(
            fr.levels.last().unwrap().label,
            "Objectif 5\u{202f}000\u{a0}: <\u{a0}0,50\u{a0}%"
        );
    }

    #[test]
    fn a_reachable_target_keeps_the_hitting_chart() {
        let (_, summary) = small_run(Some(2500));
        assert!(!target_out_of_reach(&summary));
    }
}
