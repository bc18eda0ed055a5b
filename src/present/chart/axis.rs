//! Axes: their ranges and labelled ticks, computed without drawing (round
//! value steps, calendar-aligned months, one row per label), and drawing them
//! with plotters, whose grid lines and labels sit exactly at those ticks.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::theme::{Theme, line_height, palette, size};
use crate::core::calendar::YearMonth;
use crate::present::text::Lang;

/// The most month labels on a time axis. Fonts scale with the smaller of the two
/// slide ratios, so this many labels fit at any chart size.
pub const MAX_MONTH_LABELS: usize = 10;

/// The most labels on a value axis.
pub const MAX_VALUE_LABELS: usize = 7;

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

/// A jobs axis with signed labels ("+600", "−200"), spanning `lo..=hi` with
/// round ends.
pub fn signed_jobs_axis(lo: f64, hi: f64, lang: Lang) -> Axis {
    value_axis(lo, hi, 1.0, |v| lang.signed_jobs(v))
}

/// The most rows of the tornado and PRCC charts: the inputs with the smallest
/// effects beyond these are left to the table.
pub const MAX_ROWS: usize = 15;

/// A categorical axis with one row per label, the first label at the top:
/// row `i` of `n` sits at `n - 1 - i`.
pub fn rows_axis(labels: &[String]) -> Axis {
    let n = labels.len();
    Axis {
        lo: -0.5,
        hi: n.max(1) as f64 - 0.5,
        ticks: labels
            .iter()
            .enumerate()
            .rev()
            .map(|(i, label)| Tick {
                value: row_position(i, n),
                label: label.clone(),
            })
            .collect(),
    }
}

/// The position of row `i` of `n` on a [`rows_axis`].
pub fn row_position(i: usize, n: usize) -> f64 {
    (n - 1 - i) as f64
}

/// A linear coordinate whose grid lines and labels sit exactly at the ticks of
/// an [`Axis`] (plotters' own choice of ticks knows nothing of calendar months).
#[derive(Clone, Debug)]
pub struct AxisCoord {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl From<&Axis> for AxisCoord {
    fn from(axis: &Axis) -> AxisCoord {
        AxisCoord {
            lo: axis.lo,
            hi: axis.hi,
            ticks: axis.values(),
        }
    }
}

impl Ranged for AxisCoord {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, (start, end): (i32, i32)) -> i32 {
        let span = self.hi - self.lo;
        if span <= 0.0 {
            return (start + end) / 2;
        }
        let share = (value - self.lo) / span;
        start + (f64::from(end - start) * share).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        // Only bold grid lines, at the ticks; no light lines in between.
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

/// The coordinates of every chart: data units on both axes, with the ticks of
/// an [`Axis`].
pub type Coord = Cartesian2d<AxisCoord, AxisCoord>;

/// A chart context on [`Coord`].
pub type Plot<'a, DB> = ChartContext<'a, DB, Coord>;

/// What to draw of a pair of axes.
pub struct AxesSpec<'a> {
    /// The horizontal axis.
    pub x: &'a Axis,
    /// The vertical axis.
    pub y: &'a Axis,
    /// What the vertical axis measures, written above it (horizontal, easy to
    /// read); bold when it heads a panel of a multi-panel chart.
    pub y_title: &'a str,
    /// Whether the title heads a panel.
    pub panel: bool,
    /// Title under the horizontal axis, if the tick labels need one.
    pub x_title: Option<&'a str>,
    /// Whether to label the horizontal axis (false for an upper panel).
    pub x_labels: bool,
    /// Width of the tick labels' column; panels stacked on one time axis share
    /// the widest (see [`y_label_width`]) so their plots line up.
    pub y_label_width: Option<i32>,
}

impl<'a> AxesSpec<'a> {
    /// The axes of a single-panel chart: both labelled, no title under the
    /// horizontal axis, the tick labels as wide as they need.
    pub fn plain(x: &'a Axis, y: &'a Axis, y_title: &'a str) -> AxesSpec<'a> {
        AxesSpec {
            x,
            y,
            y_title,
            panel: false,
            x_title: None,
            x_labels: true,
            y_label_width: None,
        }
    }
}

/// The width the tick labels of `axis` need.
pub fn y_label_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    axis: &Axis,
) -> i32 {
    let tick = theme.tick_font();
    axis.ticks
        .iter()
        .map(|t| {
            area.estimate_text_size(&t.label, &tick)
                .map_or(0, |(w, _)| w as i32)
        })
        .max()
        .unwrap_or(0)
}

/// Draws a pair of axes with light horizontal grid lines in `area` and returns
/// the chart to draw series on.
pub fn draw_axes<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    theme: &Theme,
    spec: &AxesSpec,
) -> Result<Plot<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    let tick = theme.tick_font();
    let label_width = spec
        .y_label_width
        .unwrap_or_else(|| y_label_width(area, theme, spec.y));
    let tick_height = line_height(theme, size::TICK);
    let x_title = theme.font(size::AXIS_TITLE, palette::MUTED_TEXT);
    let (y_title, y_title_size) = if spec.panel {
        (
            theme.bold(size::PANEL_TITLE, palette::TEXT),
            size::PANEL_TITLE,
        )
    } else {
        (
            theme.font(size::AXIS_TITLE, palette::MUTED_TEXT),
            size::AXIS_TITLE,
        )
    };
    // The title over the y axis needs a band above the plot, clear of the top
    // tick label (centred on the top grid line).
    let title_gap = tick_height / 2 + theme.px(10.0);
    let top = line_height(theme, y_title_size) + title_gap;
    let last_x_label = spec.x.ticks.last().map_or(0, |t| {
        area.estimate_text_size(&t.label, &tick)
            .map_or(0, |(w, _)| w as i32 / 2)
    });
    let right = (last_x_label + theme.px(4.0)).max(theme.px(24.0));
    let mut bottom = if spec.x_labels {
        tick_height + theme.px(14.0)
    } else {
        theme.px(4.0)
    };
    if spec.x_title.is_some() {
        bottom += line_height(theme, size::AXIS_TITLE) + theme.px(6.0);
    }
    let mut chart = ChartBuilder::on(area)
        .margin_top(top)
        .margin_right(right)
        .x_label_area_size(bottom)
        .y_label_area_size(label_width + theme.px(18.0))
        .build_cartesian_2d(AxisCoord::from(spec.x), AxisCoord::from(spec.y))?;
    let x_label = |v: &f64| spec.x.label(*v);
    let no_label = |_: &f64| String::new();
    let y_label = |v: &f64| spec.y.label(*v);
    let mut mesh = chart.configure_mesh();
    mesh.disable_x_mesh()
        .bold_line_style(theme.line(palette::GRID, 1.5))
        .axis_style(theme.line(palette::AXIS, 1.5))
        .set_all_tick_mark_size(theme.px(7.0))
        .label_style(tick.clone())
        .axis_desc_style(x_title)
        .x_label_formatter(if spec.x_labels { &x_label } else { &no_label })
        .y_label_formatter(&y_label);
    if let Some(title) = spec.x_title {
        mesh.x_desc(title);
    }
    mesh.draw()?;

    // The y title, left-aligned with the tick labels.
    let plot_top = chart.plotting_area().get_pixel_range().1.start - area.get_base_pixel().1;
    area.draw_text(
        spec.y_title,
        &y_title.pos(Pos::new(HPos::Left, VPos::Bottom)),
        (0, plot_top - title_gap),
    )?;
    Ok(chart)
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn the_first_row_is_at_the_top() {
        let labels = ["a", "b", "c"].map(String::from);
        let axis = rows_axis(&labels);
        assert_eq!((axis.lo, axis.hi), (-0.5, 2.5));
        assert_eq!(axis.label(row_position(0, 3)), "a");
        assert_eq!(axis.label(2.0), "a");
        assert_eq!(axis.label(0.0), "c");
        assert!(axis.ticks.windows(2).all(|w| w[0].value < w[1].value));
    }
}
