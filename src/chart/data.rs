//! What each chart shows, computed from a run without drawing anything: the
//! series, the axes with their tick labels, the titles and the annotations.
//!
//! Keeping this apart from the drawing code lets the numbers and the labels be
//! unit-tested exactly, and lets later charts (policy comparisons) reuse the axis
//! helpers.

use crate::calendar::YearMonth;
use crate::model::Series;
use crate::scenario::{Group, Scenario};
use crate::stats::Summary;
use crate::text::Lang;

/// The most month labels on a time axis. Fonts scale with the smaller of the two
/// slide ratios, so this many labels fit at any chart size.
pub const MAX_MONTH_LABELS: usize = 10;

/// The most labels on a value axis.
pub const MAX_VALUE_LABELS: usize = 7;

/// The most bars of the outcome histogram: the bin width is the smallest round
/// width (1, 2, 2.5 or 5 times a power of ten) that gives at most this many, so
/// a histogram has between half this and this many bars.
pub const MAX_BINS: f64 = 50.0;

/// A labelled tick on an axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    /// Position in data units.
    pub value: f64,
    /// The text shown.
    pub label: String,
}

/// An axis: its range and its labelled ticks.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// Smallest value shown.
    pub lo: f64,
    /// Largest value shown.
    pub hi: f64,
    /// Labelled ticks, in increasing order, all within `lo..=hi`.
    pub ticks: Vec<Tick>,
}

impl Axis {
    /// The label of the tick at `value` (empty when there is none): the
    /// formatter that plotters calls for each key point.
    pub fn label(&self, value: f64) -> String {
        let tolerance = (self.hi - self.lo).abs() * 1e-9;
        self.ticks
            .iter()
            .find(|t| (t.value - value).abs() <= tolerance)
            .map(|t| t.label.clone())
            .unwrap_or_default()
    }

    /// The tick positions.
    pub fn values(&self) -> Vec<f64> {
        self.ticks.iter().map(|t| t.value).collect()
    }
}

/// The round step (1, 2 or 5 times a power of ten, at least `min_step`) that cuts
/// `span` into at most `max_steps` steps.
pub fn nice_step(span: f64, max_steps: usize, min_step: f64) -> f64 {
    let raw = (span / max_steps.max(1) as f64).max(min_step);
    if raw <= 0.0 || !raw.is_finite() {
        return min_step.max(1.0);
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|&step| step >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * magnitude)
}

/// A value axis from a round number at or below `lo` to one at or above `hi`,
/// with at most [`MAX_VALUE_LABELS`] ticks at round steps of at least `min_step`,
/// each labelled by `format`.
pub fn value_axis(lo: f64, hi: f64, min_step: f64, format: impl Fn(f64) -> String) -> Axis {
    // Infinite or astronomical values (a cost of 1e308 MAD) are drawn at the edge
    // of a finite axis rather than asking for endless ticks.
    let lo = if lo.is_nan() {
        0.0
    } else {
        lo.clamp(-1e300, 1e300)
    };
    let hi = if hi.is_nan() {
        lo
    } else {
        hi.clamp(-1e300, 1e300)
    };
    let hi = if hi > lo { hi } else { lo + min_step.max(1.0) };
    let step = nice_step(hi - lo, MAX_VALUE_LABELS - 1, min_step);
    let (first, last) = ((lo / step).floor(), (hi / step - 1e-9).ceil());
    if !(step.is_finite() && step > 0.0 && last - first <= 4.0 * MAX_VALUE_LABELS as f64) {
        let ticks = [lo, hi].map(|value| Tick {
            value,
            label: format(value),
        });
        return Axis {
            lo,
            hi,
            ticks: ticks.into(),
        };
    }
    let (first, last) = (first as i64, last as i64);
    Axis {
        lo: first as f64 * step,
        hi: last as f64 * step,
        ticks: (first..=last)
            .map(|i| {
                let value = i as f64 * step;
                Tick {
                    value,
                    label: format(value),
                }
            })
            .collect(),
    }
}

/// A value axis spanning exactly `lo..=hi`, with the round ticks of
/// [`value_axis`] that fall inside it: for axes whose ends are not grid lines.
pub fn value_axis_within(lo: f64, hi: f64, min_step: f64, format: impl Fn(f64) -> String) -> Axis {
    let rounded = value_axis(lo, hi, min_step, format);
    let slack = (hi - lo).abs() * 1e-9;
    Axis {
        lo,
        hi,
        ticks: rounded
            .ticks
            .into_iter()
            .filter(|t| t.value >= lo - slack && t.value <= hi + slack)
            .collect(),
    }
}

/// A jobs axis from 0 with thousands separators, reaching at least `max`.
pub fn jobs_axis(max: f64, lang: Lang) -> Axis {
    value_axis(0.0, max, 1.0, |v| lang.thousands(v.round() as u64))
}

/// A share axis in percent from 0 to at least `max_percent` (at most 100).
pub fn percent_axis(max_percent: f64, lang: Lang) -> Axis {
    let axis = value_axis(0.0, max_percent.clamp(1.0, 100.0), 0.5, |v| {
        lang.percent_tick(v)
    });
    if axis.hi > 100.0 {
        // Round steps of 20 past 100 would show "120%": cap the axis instead.
        value_axis(0.0, 100.0, 0.5, |v| lang.percent_tick(v))
    } else {
        axis
    }
}

/// The calendar month `m` months after `start` (`m` may be negative), or `None`
/// outside the years a [`YearMonth`] can hold.
pub fn date_at(start: YearMonth, m: i64) -> Option<YearMonth> {
    let index = i64::from(start.year()) * 12 + i64::from(start.month()) - 1 + m;
    YearMonth::new(
        i32::try_from(index.div_euclid(12)).ok()?,
        index.rem_euclid(12) as u32 + 1,
    )
}

/// A time axis in model months (0 = `start`) showing `lo..=hi`, with month labels
/// at calendar-aligned steps: every 1, 2, 3 or 6 months (quarters and half years
/// start in January) or whole years, whichever first gives at most
/// [`MAX_MONTH_LABELS`] labels.
pub fn month_axis(start: YearMonth, lo: f64, hi: f64, lang: Lang) -> Axis {
    let first = lo.ceil() as i64;
    let last = hi.floor() as i64;
    let calendar =
        |m: i64| date_at(start, m).map(|d| i64::from(d.year()) * 12 + i64::from(d.month()) - 1);
    let labelled = |step: i64| {
        (first..=last)
            .filter(|&m| calendar(m).is_some_and(|c| c.rem_euclid(step) == 0))
            .collect::<Vec<_>>()
    };
    let months = [1, 2, 3, 6, 12, 24, 60, 120, 240, 600]
        .iter()
        .map(|&step| labelled(step))
        .find(|ticks| ticks.len() <= MAX_MONTH_LABELS)
        .unwrap_or_default();
    Axis {
        lo,
        hi,
        ticks: months
            .into_iter()
            .filter_map(|m| {
                date_at(start, m).map(|d| Tick {
                    value: m as f64,
                    label: lang.month(d),
                })
            })
            .collect(),
    }
}

/// The months `0..=horizon` as x values.
fn months(horizon: u32) -> Vec<f64> {
    (0..=horizon).map(f64::from).collect()
}

/// A series' `percent`-quantile at every month.
fn quantile_line(summary: &Summary, series: Series, horizon: u32, percent: u32) -> Vec<f64> {
    (0..=horizon)
        .map(|m| f64::from(summary.quantile(series, m, percent)))
        .collect()
}

/// A series' mean at every month.
fn mean_line(summary: &Summary, series: Series, horizon: u32) -> Vec<f64> {
    (0..=horizon).map(|m| summary.mean(series, m)).collect()
}

fn max_of(values: &[f64]) -> f64 {
    values.iter().copied().fold(0.0, f64::max)
}

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
        let first = history.iter().map(|h| h.0 - 1.0).fold(0.0, f64::min);
        let last = history
            .iter()
            .map(|h| h.0 + 1.0)
            .fold(f64::from(horizon), f64::max);
        let p = summary.p_target;
        let target_date = lang.month(scenario.date(scenario.target.month));
        FanData {
            title: format!("{}{}{}", s.fan_title, s.colon, scenario.meta.name),
            subtitle: lang.p_target_sentence(
                scenario.target.headcount,
                &target_date,
                p.estimate,
                p.ci95_low,
                p.ci95_high,
            ),
            x: month_axis(start, first, last, lang),
            y: jobs_axis(top, lang),
            months: months(horizon),
            median: quantile_line(summary, Series::Headcount, horizon, 50),
            bands,
            samples,
            history,
            target,
            target_label: lang.target_label(scenario.target.headcount, &target_date),
        }
    }
}

/// One firm group's layer of the stacked composition chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Layer {
    /// The firm group.
    pub group: Group,
    /// Bottom of the layer (the groups below, stacked) at each month.
    pub lower: Vec<f64>,
    /// Top of the layer at each month.
    pub upper: Vec<f64>,
}

/// The composition chart: mean headcount by firm group, stacked, and seats.
#[derive(Clone, Debug, PartialEq)]
pub struct CompositionData {
    /// Chart title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// Time axis.
    pub x: Axis,
    /// Jobs axis.
    pub y: Axis,
    /// Model months `0..=horizon`.
    pub months: Vec<f64>,
    /// Layers, bottom first, in [`Group::ALL`] order.
    pub layers: Vec<Layer>,
    /// Mean total seats at each month.
    pub seats: Vec<f64>,
    /// The target as (model month, jobs).
    pub target: (f64, f64),
    /// The label beside the target line.
    pub target_label: String,
}

impl CompositionData {
    /// Gathers the composition chart of a run.
    pub fn new(scenario: &Scenario, summary: &Summary, lang: Lang) -> CompositionData {
        let horizon = scenario.meta.horizon_months;
        let s = lang.strings();
        let mut below = vec![0.0; horizon as usize + 1];
        let layers: Vec<Layer> = Group::ALL
            .iter()
            .map(|&group| {
                let mean = mean_line(summary, Series::of_group(group), horizon);
                let upper: Vec<f64> = below.iter().zip(&mean).map(|(b, m)| b + m).collect();
                let layer = Layer {
                    group,
                    lower: below.clone(),
                    upper: upper.clone(),
                };
                below = upper;
                layer
            })
            .collect();
        let seats = mean_line(summary, Series::Seats, horizon);
        let target = (
            f64::from(scenario.target.month),
            f64::from(scenario.target.headcount),
        );
        let top = max_of(&seats).max(max_of(&below)).max(target.1 * 1.1);
        let target_date = lang.month(scenario.date(scenario.target.month));
        CompositionData {
            title: s.composition_title.to_string(),
            subtitle: lang.mean_over_paths(&scenario.meta.name, summary.paths),
            x: month_axis(scenario.meta.start, 0.0, f64::from(horizon), lang),
            y: jobs_axis(top, lang),
            months: months(horizon),
            layers,
            seats,
            target,
            target_label: lang.target_label(scenario.target.headcount, &target_date),
        }
    }
}

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

/// The source line printed under every chart.
pub fn source_line(scenario: &Scenario, paths: u64, seed: u64, lang: Lang) -> String {
    lang.source_line(&scenario.meta.name, env!("CARGO_PKG_VERSION"), paths, seed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{self, RunOptions};
    use crate::scenario::OUJDA;

    fn ym(y: i32, m: u32) -> YearMonth {
        YearMonth::new(y, m).unwrap()
    }

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(5000.0, 6, 1.0), 1000.0);
        assert_eq!(nice_step(5500.0, 6, 1.0), 1000.0);
        assert_eq!(nice_step(3700.0, 6, 1.0), 1000.0);
        assert_eq!(nice_step(1100.0, 6, 1.0), 200.0);
        assert_eq!(nice_step(90.0, 6, 1.0), 20.0);
        assert_eq!(nice_step(3.0, 6, 1.0), 1.0);
        assert_eq!(nice_step(0.3, 6, 0.1), 0.1);
    }

    #[test]
    fn value_axes_end_on_round_ticks() {
        let a = jobs_axis(5500.0, Lang::En);
        assert_eq!((a.lo, a.hi), (0.0, 6000.0));
        let labels: Vec<&str> = a.ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(
            labels,
            ["0", "1,000", "2,000", "3,000", "4,000", "5,000", "6,000"]
        );
        assert!(a.ticks.len() <= MAX_VALUE_LABELS);
        assert_eq!(a.label(2000.0), "2,000");
        assert_eq!(a.label(2500.0), "");
        let fr = jobs_axis(5500.0, Lang::Fr);
        assert_eq!(fr.label(5000.0), "5\u{202f}000");
        let p = percent_axis(100.0, Lang::En);
        assert_eq!(p.hi, 100.0);
        assert_eq!(p.label(40.0), "40%");
        assert_eq!(percent_axis(100.0, Lang::Fr).label(40.0), "40\u{a0}%");
        assert_eq!(percent_axis(2.4, Lang::En).label(0.5), "0.5%");
        assert_eq!(percent_axis(2.4, Lang::Fr).label(0.5), "0,5\u{a0}%");
    }

    #[test]
    fn negative_months_are_dates_before_the_start() {
        let start = ym(2020, 7);
        assert_eq!(date_at(start, -16), Some(ym(2019, 3)));
        assert_eq!(date_at(start, -7), Some(ym(2019, 12)));
        assert_eq!(date_at(start, 0), Some(start));
        assert_eq!(date_at(start, 30), Some(ym(2023, 1)));
    }

    #[test]
    fn month_labels_fall_on_calendar_steps() {
        let start = ym(2020, 7);
        let a = month_axis(start, -17.0, 37.0, Lang::En);
        let labels: Vec<&str> = a.ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Jul 2019", "Jan 2020", "Jul 2020", "Jan 2021", "Jul 2021", "Jan 2022", "Jul 2022",
                "Jan 2023", "Jul 2023"
            ]
        );
        assert_eq!(a.ticks[0].value, -12.0);
        let short = month_axis(start, 0.0, 12.0, Lang::Fr);
        let labels: Vec<&str> = short.ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "juil. 2020",
                "sept. 2020",
                "nov. 2020",
                "janv. 2021",
                "mars 2021",
                "mai 2021",
                "juil. 2021"
            ]
        );
        let long = month_axis(start, 0.0, 240.0, Lang::En);
        assert!(long.ticks.len() <= MAX_MONTH_LABELS);
        assert!(long.ticks.iter().all(|t| t.label.starts_with("Jan ")));
    }

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

    /// A small run of the built-in scenario, and one with a reachable target.
    fn small_run(target: Option<u32>) -> (Scenario, Summary) {
        let mut scenario = Scenario::from_toml_str(OUJDA, "oujda").unwrap();
        if let Some(t) = target {
            scenario.target.headcount = t;
        }
        let options = RunOptions {
            paths: 200,
            seed: 7,
            sample_paths: 20,
        };
        let run = engine::run(&scenario, options, &|_| {});
        (scenario, run.summary)
    }

    #[test]
    fn the_fan_shows_history_bands_and_target() {
        let (scenario, summary) = small_run(None);
        let fan = FanData::new(&scenario, &summary, Lang::En);
        // The March 2019 observation lies 16 months before the start.
        assert_eq!(fan.history[0], (-16.0, 190.0));
        assert!(fan.x.lo <= -16.0 && fan.x.hi >= 36.0);
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
            fan.subtitle.contains("95% confidence interval"),
            "{}",
            fan.subtitle
        );
        let fr = FanData::new(&scenario, &summary, Lang::Fr);
        assert!(
            fr.subtitle.contains("5\u{202f}000") && fr.subtitle.contains("juil. 2022"),
            "{}",
            fr.subtitle
        );
    }

    #[test]
    fn composition_layers_stack_up_to_the_mean_total() {
        let (scenario, summary) = small_run(None);
        let c = CompositionData::new(&scenario, &summary, Lang::En);
        assert_eq!(c.layers.len(), 3);
        assert_eq!(c.layers[0].lower, vec![0.0; 37]);
        for m in 0..=36u32 {
            let i = m as usize;
            assert_eq!(c.layers[1].lower[i], c.layers[0].upper[i]);
            assert_eq!(c.layers[2].lower[i], c.layers[1].upper[i]);
            let total = summary.mean(Series::Headcount, m);
            assert!((c.layers[2].upper[i] - total).abs() < 1e-6 * total.max(1.0));
            assert!(c.seats[i] + 1e-9 >= total);
        }
        assert!(c.y.hi >= c.seats.iter().copied().fold(0.0, f64::max));
    }

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

    #[test]
    fn hitting_and_outcome_agree_with_the_summary() {
        let (scenario, summary) = small_run(Some(2500));
        let h = HittingData::new(&scenario, &summary, Lang::En);
        assert_eq!(h.percent.len(), 37);
        assert!(h.percent.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(h.at_target.1, summary.p_reached_by[24] * 100.0);
        assert!(h.y.hi <= 100.0 && h.y.hi >= h.percent[36]);

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
        let h = HittingData::new(&scenario, &summary, Lang::En);
        assert!(h.percent.iter().all(|&p| p == 0.0));
        assert!(h.y.hi >= 1.0);
    }

    #[test]
    fn infinite_or_astronomical_values_give_a_short_axis() {
        for (lo, hi) in [
            (0.0, f64::INFINITY),
            (0.0, 1e308),
            (f64::NEG_INFINITY, 5.0),
            (-1e308, 1e308),
            (0.0, f64::NAN),
        ] {
            let axis = value_axis(lo, hi, 1.0, |v| format!("{v}"));
            assert!(axis.ticks.len() <= 4 * MAX_VALUE_LABELS, "{lo}..{hi}");
            assert!(axis.lo.is_finite() && axis.hi.is_finite() && axis.hi > axis.lo);
        }
    }
}
