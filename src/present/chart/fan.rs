//! The fan chart (`fan`): total headcount over time, the median with its
//! 50/80/90% bands, a few single paths, the observed history and the target.
//! Also drawn on a fitted forecast as the calibration's `fitted_fan`.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Draw;
use super::axis::{AxesSpec, Axis, date_at, draw_axes, jobs_axis, month_axis};
use super::labels::{Obstacle, Side, place_label_with};
use super::lines::{max_of, months, quantile_line};
use super::style::{
    Frame, LegendItem, Mark, Marker, band, dotted, draw_frame, draw_marker, draw_target, line,
};
use super::theme::{Drawn, Theme, palette};
use crate::core::model::Series;
use crate::core::scenario::Scenario;
use crate::core::stats::Summary;
use crate::present::text::Lang;

/// A band between two quantiles at every month.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    /// Share of paths inside the band, in percent (50, 80 or 90).
    pub level: u32,
    /// Lower edge at each month.
    pub lo: Vec<f64>,
    /// Upper edge at each month.
    pub hi: Vec<f64>,
}

/// The quantile pairs of the fan's bands, widest first (the drawing order).
const FAN_BANDS: [(u32, u32, u32); 3] = [(90, 5, 95), (80, 10, 90), (50, 25, 75)];

/// The fan chart: total headcount over time.
#[derive(Clone, Debug, PartialEq)]
pub struct FanData {
    /// Chart title (names the scenario).
    pub title: String,
    /// Subtitle: P(target) with its interval.
    pub subtitle: String,
    /// Time axis, extended to the observed history.
    pub x: Axis,
    /// Jobs axis.
    pub y: Axis,
    /// Model months `0..=horizon`.
    pub months: Vec<f64>,
    /// Median headcount at each month.
    pub median: Vec<f64>,
    /// The 90%, 80% and 50% bands, in that order.
    pub bands: Vec<Band>,
    /// A few individual headcount trajectories.
    pub samples: Vec<Vec<f64>>,
    /// Observed headcounts as (model month, jobs); months may be negative.
    pub history: Vec<(f64, f64)>,
    /// Where the observed history ends: the model month of the last
    /// observation and its label, when observations lie inside the chart
    /// (not only at its left edge).
    pub last_observation: Option<(f64, String)>,
    /// The target as (model month, jobs).
    pub target: (f64, f64),
    /// The label beside the target line.
    pub target_label: String,
}

impl FanData {
    /// Gathers the fan chart of a run.
    pub fn new(scenario: &Scenario, summary: &Summary, lang: Lang) -> FanData {
        let horizon = scenario.meta.horizon_months;
        let start = scenario.meta.start;
        let s = lang.strings();
        let bands: Vec<Band> = FAN_BANDS
            .iter()
            .map(|&(level, lo, hi)| Band {
                level,
                lo: quantile_line(summary, Series::Headcount, horizon, lo),
                hi: quantile_line(summary, Series::Headcount, horizon, hi),
            })
            .collect();
        let samples: Vec<Vec<f64>> = summary
            .sample_paths
            .iter()
            .map(|path| path.iter().map(|&v| f64::from(v)).collect())
            .collect();
        let history: Vec<(f64, f64)> = scenario
            .history
            .iter()
            .map(|o| (o.date.months_since(start) as f64, f64::from(o.headcount)))
            .collect();
        let target = (
            f64::from(scenario.target.month),
            f64::from(scenario.target.headcount),
        );
        let top = bands
            .iter()
            .map(|b| max_of(&b.hi))
            .chain(samples.iter().map(|p| max_of(p)))
            .chain(history.iter().map(|h| h.1))
            // Room above the target line for its label.
            .chain([target.1 * 1.1])
            .fold(0.0, f64::max);
        // The time axis spans the data exactly: from the first observation
        // (which may precede the start) or the start, to the horizon or a
        // later observation.
        let first = history.iter().map(|h| h.0).fold(0.0, f64::min);
        let last = history
            .iter()
            .map(|h| h.0)
            .fold(f64::from(horizon), f64::max);
        let last_observation = history
            .iter()
            .map(|h| h.0)
            .reduce(f64::max)
            .filter(|&m| m > first)
            .and_then(|m| {
                let date = date_at(start, m as i64)?;
                Some((m, lang.last_observation_label(&lang.month(date))))
            });
        let p = summary.p_target;
        let target_date = lang.month(scenario.date(scenario.target.month));
        FanData {
            title: format!("{}{}{}", s.fan_title, s.colon, scenario.meta.name),
            subtitle: lang.p_target_sentence(
                scenario.target.headcount,
                &target_date,
                &p,
                summary.paths,
            ),
            x: month_axis(start, first, last, lang),
            y: jobs_axis(top, lang),
            months: months(horizon),
            median: quantile_line(summary, Series::Headcount, horizon, 50),
            bands,
            samples,
            history,
            last_observation,
            target,
            target_label: lang.target_label(scenario.target.headcount, &target_date),
        }
    }
}

/// Opacity of the fan's bands, widest first. They overlap, so the 50% band is
/// the darkest.
const FAN_OPACITY: [f64; 3] = [0.13, 0.16, 0.30];

/// Opacity of the single sample paths, drawn thin over the bands: each path's
/// jumps stay legible while the median stays the line that reads first.
const SAMPLE_OPACITY: f64 = 0.6;

/// The opacity of the area covered by the first `n` layers of the fan.
fn stacked_opacity(n: usize) -> f64 {
    1.0 - FAN_OPACITY[..n].iter().map(|a| 1.0 - a).product::<f64>()
}

impl Draw for FanData {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Drawn<DB> {
        let lang = theme.lang;
        let s = lang.strings();
        let colour = palette::HEADCOUNT;
        let mut legend = vec![LegendItem::new(s.median, Mark::Line(colour))];
        // One entry for the nested bands, narrowest first, each block in the
        // shade the band shows on the chart.
        let levels: Vec<u32> = self.bands.iter().rev().map(|b| b.level).collect();
        legend.push(LegendItem::new(
            lang.bands_label(&levels),
            Mark::Shades(colour, [3, 2, 1].map(stacked_opacity)),
        ));
        if !self.samples.is_empty() {
            legend.push(LegendItem::new(s.sample_paths, Mark::Thin(palette::SAMPLE)));
        }
        if !self.history.is_empty() {
            legend.push(LegendItem::new(s.observed, Mark::Dot(palette::REFERENCE)));
        }
        legend.push(LegendItem::new(s.target, Mark::Target));
        let area = draw_frame(
            root,
            theme,
            &Frame::new(&self.title, &self.subtitle, &legend),
        )?;
        let mut chart = draw_axes(&area, theme, &AxesSpec::plain(&self.x, &self.y, s.jobs))?;
        // Layers, bottom up: the bands (the spread of all paths), the single
        // paths over them (a band drawn over a path would tint and blur it),
        // the end of the history, then the median on top of every path: the
        // line the eye reads first.
        for (b, opacity) in self.bands.iter().zip(FAN_OPACITY) {
            band(&mut chart, &self.months, &b.lo, &b.hi, colour, opacity)?;
        }
        for path in &self.samples {
            line(
                &mut chart,
                &self.months,
                path,
                theme.line(palette::SAMPLE.mix(SAMPLE_OPACITY), theme.thin_line()),
            )?;
        }
        if let Some((month, _)) = self.last_observation {
            dotted(&mut chart, theme, (month, self.y.lo), (month, self.y.hi))?;
        }
        line(
            &mut chart,
            &self.months,
            &self.median,
            theme.line(colour, theme.main_line()),
        )?;
        let mut obstacles: Vec<Obstacle> = self
            .samples
            .iter()
            .map(|p| Obstacle::line(&self.months, p))
            .collect();
        if let Some(widest) = self.bands.first() {
            obstacles.push(Obstacle::band(&self.months, &widest.lo, &widest.hi));
        }
        obstacles.push(Obstacle::line(&self.months, &self.median));
        obstacles.extend(self.history.iter().map(|&h| Obstacle::point(h)));
        if let Some((month, label)) = &self.last_observation {
            // At the foot of the line first, on the forecast's side: paths
            // grow from the last observation, so the space under them is
            // usually free, and far from the target's label.
            let (foot, head) = ((*month, self.y.lo), (*month, self.y.hi));
            let target_line = Obstacle::line(&[self.x.lo, self.x.hi], &[self.target.1; 2]);
            place_label_with(
                &chart,
                theme,
                label,
                &[
                    (foot, Side::AboveRight),
                    (head, Side::BelowRight),
                    (foot, Side::AboveLeft),
                    (head, Side::BelowLeft),
                ],
                &[obstacles.as_slice(), &[target_line]].concat(),
                &theme.note_font(),
            )?;
            obstacles.push(Obstacle::vertical(*month, self.y.lo, self.y.hi));
        }
        draw_target(
            &mut chart,
            theme,
            &self.x,
            self.target,
            &self.target_label,
            &obstacles,
        )?;
        for &point in &self.history {
            draw_marker(
                chart.plotting_area(),
                theme,
                point,
                Marker::Dot,
                palette::REFERENCE,
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::chart::fixtures::small_run;

    #[test]
    fn the_fan_shows_history_bands_and_target() {
        let (scenario, summary) = small_run(None);
        let fan = FanData::new(&scenario, &summary, Lang::En);
        // The March 2019 observation lies 16 months before the start.
        assert_eq!(fan.history[0], (-16.0, 190.0));
        // The time axis begins with the first observation and ends at the
        // horizon: no empty months on either side.
        assert_eq!((fan.x.lo, fan.x.hi), (-16.0, 36.0));
        // The history ends at the start, July 2020.
        assert_eq!(
            fan.last_observation,
            Some((0.0, "Last observation: Jul 2020".to_string()))
        );
        assert!(fan.x.ticks.iter().any(|t| t.label == "Jul 2019"));
        assert!(fan.x.ticks.iter().any(|t| t.label == "Jul 2022"));
        assert_eq!(
            fan.bands.iter().map(|b| b.level).collect::<Vec<_>>(),
            [90, 80, 50]
        );
        for m in 0..=36 {
            let (b90, b80, b50) = (&fan.bands[0], &fan.bands[1], &fan.bands[2]);
            assert!(b90.lo[m] <= b80.lo[m] && b80.lo[m] <= b50.lo[m]);
            assert!(b50.lo[m] <= fan.median[m] && fan.median[m] <= b50.hi[m]);
            assert!(b50.hi[m] <= b80.hi[m] && b80.hi[m] <= b90.hi[m]);
        }
        // Every kept trajectory is drawn: --sample-paths decides how many.
        assert_eq!(fan.samples.len(), 20);
        assert!(fan.samples.iter().all(|p| p.len() == 37));
        assert_eq!(fan.target, (24.0, 5000.0));
        // The target line fits below the top of the axis, with room for its label.
        assert!(fan.y.hi >= 5500.0);
        assert!(
            fan.title.contains("Oujda Shore offshoring, July 2020"),
            "{}",
            fan.title
        );
        assert!(
            fan.subtitle.contains("5,000") && fan.subtitle.contains("Jul 2022"),
            "{}",
            fan.subtitle
        );
        assert!(
            fan.subtitle.contains("simulation error") || fan.subtitle.contains("below 1 in"),
            "{}",
            fan.subtitle
        );
        let fr = FanData::new(&scenario, &summary, Lang::Fr);
        assert!(
            fr.subtitle.contains("5\u{202f}000") && fr.subtitle.contains("juil. 2022"),
            "{}",
            fr.subtitle
        );
        assert_eq!(
            fr.last_observation.map(|o| o.1),
            Some("Dernière observation\u{a0}: juil. 2020".to_string())
        );
    }

    #[test]
    fn the_time_axis_follows_the_data() {
        let (mut scenario, summary) = small_run(None);
        // A history that starts with the run and one observed later: the
        // axis starts at the start, and the later point marks the end of
        // the history.
        scenario.history.remove(0);
        scenario.history[0].date = scenario.meta.start.plus(5);
        let fan = FanData::new(&scenario, &summary, Lang::En);
        assert_eq!((fan.x.lo, fan.x.hi), (0.0, 36.0));
        assert_eq!(fan.last_observation.as_ref().map(|o| o.0), Some(5.0));
        // An observation only at the start ends nothing inside the chart.
        scenario.history[0].date = scenario.meta.start;
        let fan = FanData::new(&scenario, &summary, Lang::En);
        assert_eq!(fan.last_observation, None);
        // Without history, the axis is the run's months.
        scenario.history.clear();
        let fan = FanData::new(&scenario, &summary, Lang::En);
        assert_eq!(
            (fan.x.lo, fan.x.hi, fan.last_observation),
            (0.0, 36.0, None)
        );
    }
}
