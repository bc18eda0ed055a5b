//! The tornado chart (`tornado`): one-at-a-time swings of the median
//! headcount in the target month, largest first, around the base case.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Draw;
use super::axis::{
    AxesSpec, Axis, MAX_ROWS, draw_axes, row_position, rows_axis, value_axis_within, y_label_width,
};
use super::labels::{Side, annotate_with};
use super::names::{MAX_NAME_CHARS, short_name};
use super::style::{
    Frame, LegendItem, Mark, draw_frame, draw_over_plot, reference_line, vertical_grid,
};
use super::theme::{Drawn, Theme, palette};
use crate::analysis::sensitivity::Sensitivity;
use crate::core::scenario::Scenario;
use crate::present::text::{Lang, capitalise};

/// One input's bar on the tornado.
#[derive(Clone, Debug, PartialEq)]
pub struct TornadoRow {
    /// The input, as the scenario spells it.
    pub parameter: String,
    /// Median headcount with the input at its 10th percentile.
    pub low_median: f64,
    /// Median headcount with the input at its 90th percentile.
    pub high_median: f64,
    /// The 10th-percentile value, printed at its end of the bar.
    pub low_label: String,
    /// The 90th-percentile value.
    pub high_label: String,
}

/// The tornado chart: one-at-a-time swings of median headcount in the target
/// month, largest first, around the base case's median.
#[derive(Clone, Debug, PartialEq)]
pub struct TornadoData {
    /// Chart title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// Title under the horizontal axis.
    pub x_title: String,
    /// Bars, largest swing first (at most [`MAX_ROWS`]).
    pub rows: Vec<TornadoRow>,
    /// The rows, labelled with the parameters' names.
    pub y: Axis,
    /// The base case's median headcount.
    pub base: f64,
    /// Its label.
    pub base_label: String,
    /// Inputs left out of the chart (smallest swings).
    pub hidden: usize,
}

impl TornadoData {
    /// Gathers the tornado.
    pub fn new(scenario: &Scenario, s: &Sensitivity, lang: Lang) -> TornadoData {
        let date = lang.month(scenario.date(scenario.target.month));
        let rows: Vec<TornadoRow> = s
            .inputs
            .iter()
            .take(MAX_ROWS)
            .map(|x| TornadoRow {
                parameter: x.parameter.clone(),
                low_median: f64::from(x.median_low),
                high_median: f64::from(x.median_high),
                low_label: lang.param_value_sig(&x.parameter, x.low_value, 2),
                high_label: lang.param_value_sig(&x.parameter, x.high_value, 2),
            })
            .collect();
        let names: Vec<String> = rows
            .iter()
            .map(|r| short_name(&capitalise(&lang.param_label(&r.parameter)), MAX_NAME_CHARS))
            .collect();
        let hidden = s.inputs.len() - rows.len();
        TornadoData {
            title: lang.tornado_title(&date),
            subtitle: lang.tornado_subtitle(s.paths, hidden),
            x_title: lang.median_jobs_in(&date),
            y: rows_axis(&names),
            rows,
            base: f64::from(s.base_median),
            base_label: lang.base_median_label(s.base_median),
            hidden,
        }
    }

    /// The smallest and largest medians shown, the base included.
    pub fn extent(&self) -> (f64, f64) {
        self.rows
            .iter()
            .flat_map(|r| [r.low_median, r.high_median])
            .fold((self.base, self.base), |(lo, hi), v| (lo.min(v), hi.max(v)))
    }

    /// The jobs axis, leaving `left` and `right` shares of the plot's width
    /// free beyond the bars for the values printed at their ends (the drawing
    /// measures them).
    pub fn x_axis(&self, left: f64, right: f64, lang: Lang) -> Axis {
        let (lo, hi) = self.extent();
        let (left, right) = (left.clamp(0.0, 0.4), right.clamp(0.0, 0.4));
        let span = (hi - lo).max(10.0);
        let total = span / (1.0 - left - right);
        let (lo, hi) = (lo - left * total, lo + span + right * total);
        let mut axis = value_axis_within(lo, hi, 1.0, |v| lang.thousands(v.round() as u64));
        axis.ticks.retain(|t| t.value >= 0.0);
        axis
    }
}

/// Half the height of a tornado bar, in rows.
const BAR_HALF_HEIGHT: f64 = 0.3;

impl Draw for TornadoData {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Drawn<DB> {
        let s = theme.lang.strings();
        let legend = [
            LegendItem::new(s.input_low, Mark::Fill(palette::LOW, 1.0)),
            LegendItem::new(s.input_high, Mark::Fill(palette::HIGH, 1.0)),
            LegendItem::new(s.base_median, Mark::Line(palette::REFERENCE)),
        ];
        let area = draw_frame(
            root,
            theme,
            &Frame::new(&self.title, &self.subtitle, &legend),
        )?;
        // The values printed at the bars' ends need room beyond the bars: as
        // a share of the plot's width, measured in this font at this size.
        let font = theme.font(29.0, palette::TEXT);
        let text_width = |t: &str| {
            area.estimate_text_size(t, &font)
                .map_or(0, |(w, _)| w as i32)
                + theme.px(16.0)
        };
        let (mut left, mut right) = (0, 0);
        for r in &self.rows {
            let (l, h) = (text_width(&r.low_label), text_width(&r.high_label));
            let (at_left, at_right) = if r.low_median <= r.high_median {
                (l, h)
            } else {
                (h, l)
            };
            left = left.max(at_left);
            right = right.max(at_right);
        }
        let (width, _) = area.dim_in_pixel();
        let plot =
            (width as i32 - y_label_width(&area, theme, &self.y) - theme.px(18.0) - theme.px(90.0))
                .max(1);
        let x = self.x_axis(
            f64::from(left) / f64::from(plot),
            f64::from(right) / f64::from(plot),
            theme.lang,
        );
        let mut chart = draw_axes(
            &area,
            theme,
            &AxesSpec {
                x_title: Some(&self.x_title),
                ..AxesSpec::plain(&x, &self.y, s.uncertain_input)
            },
        )?;
        vertical_grid(&mut chart, theme, &x, &self.y)?;
        let n = self.rows.len();
        for (i, r) in self.rows.iter().enumerate() {
            let y = row_position(i, n);
            let segments = [(r.low_median, palette::LOW), (r.high_median, palette::HIGH)];
            // The longer half first, so a shorter one on the same side shows.
            let mut ordered = segments;
            ordered.sort_by(|a, b| (b.0 - self.base).abs().total_cmp(&(a.0 - self.base).abs()));
            for (end, colour) in ordered {
                if end != self.base {
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [
                            (self.base.min(end), y - BAR_HALF_HEIGHT),
                            (self.base.max(end), y + BAR_HALF_HEIGHT),
                        ],
                        colour.filled(),
                    )))?;
                }
            }
            let (lo_end, hi_end) = (
                r.low_median.min(r.high_median),
                r.low_median.max(r.high_median),
            );
            let (left_text, right_text) = if r.low_median <= r.high_median {
                (&r.low_label, &r.high_label)
            } else {
                (&r.high_label, &r.low_label)
            };
            annotate_with(
                &chart,
                theme,
                left_text,
                (lo_end.min(self.base), y),
                Side::Left,
                &font,
            )?;
            annotate_with(
                &chart,
                theme,
                right_text,
                (hi_end.max(self.base), y),
                Side::Right,
                &font,
            )?;
        }
        reference_line(&mut chart, theme, self.base, &self.y)?;
        draw_over_plot(&area, &chart, theme, &self.base_label, self.base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::oujda::OUJDA_JULY_2020 as OUJDA;
    use crate::present::chart::fixtures::{input, sensitivity};

    #[test]
    fn the_tornado_keeps_the_swing_order_and_prints_input_values() {
        let scenario = Scenario::from_toml_str(OUJDA, "oujda").unwrap();
        let t = TornadoData::new(&scenario, &sensitivity(), Lang::En);
        let names: Vec<&str> = t.rows.iter().map(|r| r.parameter.as_str()).collect();
        assert_eq!(
            names,
            [
                "labour.initial_pool",
                "firm[SACCOM].happens",
                "attrition.multiplier",
                "labour.qualified_share"
            ]
        );
        // Charts name inputs in words, as the report's table does.
        assert_eq!(
            t.y.label(row_position(0, 4)),
            "Qualified job-seekers at the start"
        );
        assert_eq!(t.base, 2198.0);
        assert_eq!(t.base_label, "Base case: 2,198");
        assert_eq!(
            (t.rows[0].low_label.as_str(), t.rows[0].high_label.as_str()),
            ("1,704", "3,697")
        );
        assert_eq!(
            (t.rows[1].low_label.as_str(), t.rows[1].high_label.as_str()),
            ("does not come", "comes")
        );
        assert_eq!(
            (t.rows[2].low_label.as_str(), t.rows[2].high_label.as_str()),
            ("1.2", "0.9")
        );
        assert_eq!(
            (t.rows[3].low_label.as_str(), t.rows[3].high_label.as_str()),
            ("6.8%", "12%")
        );
        assert_eq!(t.extent(), (1887.0, 2435.0));
        // Room for the printed values on both sides of the bars.
        let axis = t.x_axis(0.2, 0.1, Lang::En);
        let width = axis.hi - axis.lo;
        assert!(((1887.0 - axis.lo) / width - 0.2).abs() < 1e-9);
        assert!(((axis.hi - 2435.0) / width - 0.1).abs() < 1e-9);
        assert!(
            axis.ticks
                .iter()
                .all(|tick| tick.value >= 0.0 && tick.value <= axis.hi)
        );
        let fr = TornadoData::new(&scenario, &sensitivity(), Lang::Fr);
        assert_eq!(fr.rows[1].low_label, "ne s’installe pas");
        assert_eq!(fr.rows[3].low_label, "6,8\u{a0}%");
        assert_eq!(t.hidden, 0);
    }

    #[test]
    fn many_inputs_leave_the_smallest_swings_to_the_table() {
        let scenario = Scenario::from_toml_str(OUJDA, "oujda").unwrap();
        let mut s = sensitivity();
        s.inputs = (0..20)
            .map(|i| input(&format!("x{i}"), 0.1, (0.0, 2000), (1.0, 2100 - i)))
            .collect();
        let t = TornadoData::new(&scenario, &s, Lang::En);
        assert_eq!((t.rows.len(), t.hidden), (MAX_ROWS, 5));
        assert!(
            t.subtitle.contains("5 inputs with smaller swings"),
            "{}",
            t.subtitle
        );
    }
}
