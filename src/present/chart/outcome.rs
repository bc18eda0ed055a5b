//! The outcome histogram (`outcome`): the headcount in the target month
//! across paths, in bars of a round width, with its median, its 5th and 95th
//! percentiles and the target.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Draw;
use super::axis::{AxesSpec, Axis, draw_axes, value_axis, value_axis_within};
use super::labels::{BEHIND_LABEL, Obstacle, PointLabel, draw_point_labels};
use super::style::{Frame, LegendItem, Mark, dashed, dotted, draw_frame, line};
use super::theme::{Drawn, Theme, palette};
use crate::core::model::Series;
use crate::core::scenario::Scenario;
use crate::core::stats::Summary;
use crate::present::text::Lang;
use crate::present::text::uncertainty::headline_share;

/// The most bars of the outcome histogram: the bin width is the smallest round
/// width (1, 2, 2.5 or 5 times a power of ten) that gives at most this many, so
/// a histogram has between half this and this many bars.
pub const MAX_BINS: f64 = 50.0;

/// A bar of the outcome histogram.
#[derive(Clone, Debug, PartialEq)]
pub struct Bin {
    /// Lowest value in the bin.
    pub lo: f64,
    /// One past the highest value (`lo + width`).
    pub hi: f64,
    /// Paths in the bin, in percent of all paths.
    pub percent: f64,
}

/// A percentile of the outcome, drawn as a vertical line.
#[derive(Clone, Debug, PartialEq)]
pub struct Percentile {
    /// The level, in percent (5, 50 or 95).
    pub percent: u32,
    /// Its headcount: the report's figure for the target month.
    pub jobs: f64,
    /// Its label.
    pub label: String,
}

/// The levels marked on the outcome histogram: the 5th percentile, the median
/// and the 95th percentile, the figures the report's headline gives for the
/// target month.
pub const MARKED_PERCENTILES: [u32; 3] = [5, 50, 95];

/// The outcome histogram: headcount at the target month across paths.
#[derive(Clone, Debug, PartialEq)]
pub struct OutcomeData {
    /// Chart title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// Jobs axis, extended to show the target.
    pub x: Axis,
    /// Percent of paths per bar.
    pub y: Axis,
    /// Axis title under the x axis.
    pub x_title: String,
    /// The bars, in increasing order; empty bins are kept out.
    pub bins: Vec<Bin>,
    /// Width of every bar, in jobs.
    pub bin_width: f64,
    /// The target headcount.
    pub target: f64,
    /// Share of paths at or above the target.
    pub share_at_or_above: f64,
    /// The label beside the target line.
    pub target_label: String,
    /// The 5th percentile, the median and the 95th percentile, in that order.
    pub percentiles: Vec<Percentile>,
}

/// A jobs axis showing `data_lo..data_hi` (the extent of the bars) and the
/// `target`, with a margin of at least `least_margin` on both sides so that
/// neither the data nor the target line touch the frame.
pub(super) fn jobs_axis_with_target(
    (data_lo, data_hi): (f64, f64),
    target: f64,
    least_margin: f64,
    lang: Lang,
) -> Axis {
    let (lo, hi) = (data_lo.min(target), data_hi.max(target));
    let margin = ((hi - lo) * 0.04).max(least_margin);
    value_axis_within((lo - margin).max(0.0), hi + margin, 1.0, |v| {
        lang.thousands(v.round() as u64)
    })
}

/// Cuts whole-number counts into bins of a round width (see [`MAX_BINS`]); bins
/// start at multiples of the width. Returns the width and `(first value, count)`
/// of every non-empty bin.
pub fn bin_counts(values: &[(u32, u64)]) -> (u32, Vec<(u32, u64)>) {
    let (lo, hi) = values
        .iter()
        .fold((u32::MAX, 0), |(lo, hi), &(v, _)| (lo.min(v), hi.max(v)));
    if lo > hi {
        return (1, Vec::new());
    }
    let least = f64::from(hi - lo + 1) / MAX_BINS;
    let width = if least <= 1.0 {
        1
    } else {
        let magnitude = 10f64.powf(least.log10().floor());
        [1.0, 2.0, 2.5, 5.0, 10.0]
            .iter()
            .map(|m| m * magnitude)
            .find(|w| w.fract() == 0.0 && *w >= least)
            .map_or(1, |w| w as u32)
    };
    let mut bins: Vec<(u32, u64)> = Vec::new();
    for &(v, c) in values {
        let start = v - v % width;
        match bins.last_mut() {
            Some((s, count)) if *s == start => *count += c,
            _ => bins.push((start, c)),
        }
    }
    (width, bins)
}

impl OutcomeData {
    /// Gathers the outcome histogram of a run.
    pub fn new(scenario: &Scenario, summary: &Summary, lang: Lang) -> OutcomeData {
        let histogram = &summary.headcount_at_target;
        let total = histogram.total().max(1) as f64;
        let (width, counts) = bin_counts(&histogram.iter().collect::<Vec<_>>());
        let width = f64::from(width);
        let bins: Vec<Bin> = counts
            .iter()
            .map(|&(start, count)| Bin {
                lo: f64::from(start),
                hi: f64::from(start) + width,
                percent: count as f64 / total * 100.0,
            })
            .collect();
        let target = f64::from(scenario.target.headcount);
        let share = histogram.count_at_least(scenario.target.headcount) as f64 / total;
        let data_lo = bins.first().map_or(target, |b| b.lo);
        let data_hi = bins.last().map_or(target, |b| b.hi);
        let x = jobs_axis_with_target((data_lo, data_hi), target, width, lang);
        let top = bins.iter().map(|b| b.percent).fold(0.0, f64::max);
        let target_date = lang.month(scenario.date(scenario.target.month));
        OutcomeData {
            title: lang.outcome_title(&target_date),
            subtitle: lang.outcome_subtitle(&scenario.meta.name, summary.paths, width as u64),
            x,
            // Headroom above the tallest bar for the labels of the target
            // and of the percentiles.
            y: value_axis(0.0, top * 1.35, 0.1, |v| lang.percent_tick(v)),
            x_title: lang.jobs_in(&target_date),
            bins,
            bin_width: width,
            target,
            share_at_or_above: share,
            // The share as the report's headline words it: a bound when no
            // path (or every path) is at or above the target.
            target_label: lang.at_or_above_label(
                scenario.target.headcount,
                &headline_share(&summary.p_target, summary.paths, lang),
            ),
            percentiles: MARKED_PERCENTILES
                .iter()
                .map(|&percent| {
                    let jobs = summary.quantile(Series::Headcount, scenario.target.month, percent);
                    Percentile {
                        percent,
                        jobs: f64::from(jobs),
                        label: lang.percentile_label(percent, jobs),
                    }
                })
                .collect(),
        }
    }
}

/// Opacity of the outcome bars below the target (those at or above it are
/// nearly opaque).
const BELOW_TARGET_OPACITY: f64 = 0.45;

/// The colour of the median's line: the fan's median colour, dark enough over
/// the lighter bars.
const MEDIAN_COLOUR: RGBColor = palette::HEADCOUNT;

impl Draw for OutcomeData {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Drawn<DB> {
        let s = theme.lang.strings();
        let colour = palette::HEADCOUNT;
        let legend = [
            LegendItem::new(s.below_target, Mark::Fill(colour, BELOW_TARGET_OPACITY)),
            LegendItem::new(s.at_or_above_target, Mark::Fill(colour, 0.9)),
            LegendItem::new(s.median, Mark::Line(MEDIAN_COLOUR)),
            LegendItem::new(s.percentiles_5_95, Mark::Dotted(palette::AXIS)),
            LegendItem::new(s.target, Mark::Dashed(palette::REFERENCE)),
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
        // A hairline gap between bars, unless bars are too thin to spare it.
        let bar_pixels = {
            let (a, b) = (
                chart.backend_coord(&(self.x.lo, 0.0)).0,
                chart.backend_coord(&(self.x.lo + self.bin_width, 0.0)).0,
            );
            b - a
        };
        let gap = if bar_pixels >= 6 {
            self.bin_width / f64::from(bar_pixels)
        } else {
            0.0
        };
        chart.draw_series(self.bins.iter().map(|b| {
            let opacity = if b.lo >= self.target {
                0.9
            } else {
                BELOW_TARGET_OPACITY
            };
            Rectangle::new(
                [(b.lo + gap / 2.0, 0.0), (b.hi - gap / 2.0, b.percent)],
                colour.mix(opacity).filled(),
            )
        }))?;
        for p in &self.percentiles {
            let ends = ((p.jobs, self.y.lo), (p.jobs, self.y.hi));
            if p.percent == 50 {
                line(
                    &mut chart,
                    &[p.jobs; 2],
                    &[self.y.lo, self.y.hi],
                    theme.line(MEDIAN_COLOUR, theme.main_line() * 0.6),
                )?;
            } else {
                dotted(&mut chart, theme, ends.0, ends.1)?;
            }
        }
        dashed(
            &mut chart,
            theme,
            vec![(self.target, self.y.lo), (self.target, self.y.hi)],
            palette::REFERENCE,
        )?;
        // Each label stands by its line, in the headroom above the bars if it
        // can, and none over another (the median and the target may be close).
        let bars = Obstacle {
            vertices: self
                .bins
                .iter()
                .flat_map(|b| [(b.lo, 0.0, b.percent), (b.hi, 0.0, b.percent)])
                .collect(),
            crossing_cost: BEHIND_LABEL,
        };
        let mut obstacles = vec![bars];
        obstacles.extend(
            self.percentiles
                .iter()
                .map(|p| p.jobs)
                .chain([self.target])
                .map(|x| Obstacle::vertical(x, self.y.lo, self.y.hi)),
        );
        let along = |x: f64| -> Vec<(f64, f64)> {
            [0.93, 0.8, 0.67, 0.54]
                .iter()
                .map(|h| (x, self.y.lo + (self.y.hi - self.y.lo) * h))
                .collect()
        };
        let label = |x: f64, text: &str, bold: bool, colour| {
            let mut anchors = along(x);
            let at = anchors.remove(0);
            PointLabel {
                at,
                alternatives: anchors,
                lines: vec![text.to_string()],
                bold,
                colour,
            }
        };
        let mut labels = vec![label(self.target, &self.target_label, true, None)];
        labels.extend(self.percentiles.iter().map(|p| {
            if p.percent == 50 {
                label(p.jobs, &p.label, true, Some(MEDIAN_COLOUR))
            } else {
                label(p.jobs, &p.label, false, None)
            }
        }));
        draw_point_labels(&chart, theme, &labels, &[], &obstacles)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::chart::fixtures::small_run;

    #[test]
    fn bins_have_round_widths_and_keep_every_count() {
        let values: Vec<(u32, u64)> = (1500..3300).map(|v| (v, 1 + u64::from(v % 7))).collect();
        let (width, bins) = bin_counts(&values);
        assert_eq!(width, 50);
        assert!((25..=50).contains(&bins.len()), "{} bins", bins.len());
        assert!(bins.iter().all(|(s, _)| s % width == 0));
        let total: u64 = values.iter().map(|v| v.1).sum();
        assert_eq!(bins.iter().map(|b| b.1).sum::<u64>(), total);
        let (width, bins) = bin_counts(&[(7, 3), (9, 1)]);
        assert_eq!((width, bins), (1, vec![(7, 3), (9, 1)]));
        assert_eq!(bin_counts(&[]).1, vec![]);
    }

    #[test]
    fn outcome_agrees_with_the_summary() {
        let (scenario, summary) = small_run(Some(2500));
        let o = OutcomeData::new(&scenario, &summary, Lang::En);
        let total: f64 = o.bins.iter().map(|b| b.percent).sum();
        assert!((total - 100.0).abs() < 1e-9);
        assert!(o.bins.iter().all(|b| b.hi - b.lo == o.bin_width));
        assert!(o.x.lo <= o.bins[0].lo && o.x.hi >= o.bins.last().unwrap().hi);
        assert!(o.x.lo < o.target && o.target < o.x.hi);
        assert_eq!(o.share_at_or_above, summary.p_target.estimate);
        // The marked percentiles are the report's figures for the target
        // month, and those of the histogram drawn.
        let levels: Vec<u32> = o.percentiles.iter().map(|p| p.percent).collect();
        assert_eq!(levels, [5, 50, 95]);
        for p in &o.percentiles {
            let report = summary.quantile(Series::Headcount, 24, p.percent);
            assert_eq!(p.jobs, f64::from(report));
            assert_eq!(
                summary.headcount_at_target.quantile(p.percent),
                Some(report)
            );
            assert!(p.label.contains(&Lang::En.thousands(u64::from(report))));
            assert!(o.x.lo < p.jobs && p.jobs < o.x.hi);
        }
        assert!(o.percentiles[0].jobs <= o.percentiles[1].jobs);
        assert!(o.percentiles[1].jobs <= o.percentiles[2].jobs);
        assert!(o.percentiles[1].label.starts_with("Median: "));
        let n = |i: usize| Lang::En.thousands(o.percentiles[i].jobs as u64);
        assert_eq!(
            o.percentiles[0].label,
            format!("5% of paths below {}", n(0))
        );
        assert_eq!(
            o.percentiles[2].label,
            format!("5% of paths above {}", n(2))
        );
        assert_eq!(
            Lang::Fr.percentile_label(5, 1626),
            "5\u{a0}% des trajectoires sous 1\u{202f}626"
        );
        assert_eq!(
            Lang::Fr.percentile_label(50, 2223),
            "Médiane\u{a0}: 2\u{202f}223"
        );
    }

    #[test]
    fn an_unreachable_target_still_shows_on_the_outcome_axis() {
        let (scenario, summary) = small_run(None);
        let o = OutcomeData::new(&scenario, &summary, Lang::En);
        assert!(
            o.bins.last().unwrap().hi < 5000.0,
            "the base case stays below 5,000"
        );
        assert!(o.x.hi > 5000.0);
        assert_eq!(o.share_at_or_above, 0.0);
        assert!(o.target_label.contains("5,000"), "{}", o.target_label);
        // No path of 200 reaches it: the label gives the bound the headline
        // gives, not 0%.
        assert!(
            o.target_label.contains("< 0.50% of paths"),
            "{}",
            o.target_label
        );
    }
}
