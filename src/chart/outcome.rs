//! The outcome histogram (`outcome`): the headcount in the target month
//! across paths, in bars of a round width, with the target.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Draw;
use super::axis::{AxesSpec, Axis, draw_axes, value_axis, value_axis_within};
use super::labels::{Obstacle, Side, place_label};
use super::style::{Drawn, Frame, LegendItem, Mark, Theme, dashed, draw_frame, palette};
use crate::scenario::Scenario;
use crate::stats::Summary;
use crate::text::Lang;

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
        let (lo, hi) = (data_lo.min(target), data_hi.max(target));
        // A margin on both sides so neither the bars nor the target line touch
        // the frame.
        let margin = ((hi - lo) * 0.04).max(width);
        let x = value_axis_within((lo - margin).max(0.0), hi + margin, 1.0, |v| {
            lang.thousands(v.round() as u64)
        });
        let top = bins.iter().map(|b| b.percent).fold(0.0, f64::max);
        let target_date = lang.month(scenario.date(scenario.target.month));
        OutcomeData {
            title: lang.outcome_title(&target_date),
            subtitle: lang.outcome_subtitle(&scenario.meta.name, summary.paths, width as u64),
            x,
            // Headroom above the tallest bar for the target label.
            y: value_axis(0.0, top * 1.3, 0.1, |v| lang.percent_tick(v)),
            x_title: lang.jobs_in(&target_date),
            bins,
            bin_width: width,
            target,
            share_at_or_above: share,
            target_label: lang.at_or_above_label(scenario.target.headcount, share),
        }
    }
}

/// Opacity of the outcome bars below the target (those at or above it are
/// nearly opaque).
const BELOW_TARGET_OPACITY: f64 = 0.45;

impl Draw for OutcomeData {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Drawn<DB> {
        let s = theme.lang.strings();
        let colour = palette::HEADCOUNT;
        let legend = [
            LegendItem::new(s.below_target, Mark::Fill(colour, BELOW_TARGET_OPACITY)),
            LegendItem::new(s.at_or_above_target, Mark::Fill(colour, 0.9)),
            LegendItem::new(s.target, Mark::Dashed(palette::REFERENCE)),
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
                x_title: Some(&self.x_title),
                x_labels: true,
                panel: false,
                y_label_width: None,
            },
        )?;
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
        dashed(
            &mut chart,
            theme,
            vec![(self.target, self.y.lo), (self.target, self.y.hi)],
            palette::REFERENCE,
        )?;
        // The label hangs from the top of the line, on whichever side it
        // clears the bars (right first: the target is usually above most paths).
        let bars = Obstacle {
            vertices: self
                .bins
                .iter()
                .flat_map(|b| [(b.lo, 0.0, b.percent), (b.hi, 0.0, b.percent)])
                .collect(),
        };
        let top = (self.target, self.y.hi);
        place_label(
            &chart,
            theme,
            &self.target_label,
            &[(top, Side::BelowRight), (top, Side::BelowLeft)],
            &[bars],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::fixtures::small_run;

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
    }
}
