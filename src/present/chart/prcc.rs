//! The PRCC chart (`prcc`): each input's partial rank correlation with the
//! headcount in the target month, with its 95% interval, strongest first.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Draw;
use super::axis::{AxesSpec, Axis, MAX_ROWS, Tick, draw_axes, row_position, rows_axis};
use super::labels::{Side, place_label_with};
use super::names::{MAX_NAME_CHARS, short_name};
use super::style::{
    Frame, LegendItem, Mark, Marker, draw_frame, draw_marker, reference_line, shows_beside_marker,
    vertical_grid, whisker,
};
use super::theme::{Drawn, Theme, palette};
use crate::analysis::sensitivity::Sensitivity;
use crate::core::scenario::Scenario;
use crate::present::text::{Lang, capitalise};

/// One input's PRCC with its interval.
#[derive(Clone, Debug, PartialEq)]
pub struct PrccRow {
    /// The input, as the scenario spells it.
    pub parameter: String,
    /// The coefficient.
    pub prcc: f64,
    /// Lower end of its 95% interval.
    pub low: f64,
    /// Upper end.
    pub high: f64,
    /// The coefficient as printed beside the point.
    pub label: String,
    /// Whether the interval excludes zero.
    pub clear: bool,
}

/// The PRCC chart: each input's partial rank correlation with headcount in
/// the target month, with its 95% interval, strongest first.
#[derive(Clone, Debug, PartialEq)]
pub struct PrccData {
    /// Chart title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// Title under the horizontal axis.
    pub x_title: String,
    /// Rows, largest absolute PRCC first (at most [`MAX_ROWS`]).
    pub rows: Vec<PrccRow>,
    /// The rows, labelled with the parameters' names.
    pub y: Axis,
    /// The coefficient axis, symmetric around zero.
    pub x: Axis,
}

impl PrccData {
    /// Gathers the PRCC chart. Inputs whose coefficient could not be computed
    /// (a singular correlation matrix) are left out.
    pub fn new(scenario: &Scenario, s: &Sensitivity, lang: Lang) -> PrccData {
        let date = lang.month(scenario.date(scenario.target.month));
        let mut rows: Vec<PrccRow> = s
            .inputs
            .iter()
            .filter(|x| x.prcc.is_finite())
            .map(|x| {
                let (low, high) = if x.prcc_ci95_low.is_finite() && x.prcc_ci95_high.is_finite() {
                    (x.prcc_ci95_low, x.prcc_ci95_high)
                } else {
                    (x.prcc, x.prcc)
                };
                PrccRow {
                    parameter: x.parameter.clone(),
                    prcc: x.prcc,
                    low,
                    high,
                    label: lang.signed(x.prcc, 2),
                    clear: low > 0.0 || high < 0.0,
                }
            })
            .collect();
        rows.sort_by(|a, b| {
            b.prcc
                .abs()
                .total_cmp(&a.prcc.abs())
                .then(a.parameter.cmp(&b.parameter))
        });
        rows.truncate(MAX_ROWS);
        let reach = rows
            .iter()
            .map(|r| r.low.abs().max(r.high.abs()))
            .fold(0.0, f64::max);
        let x = prcc_axis(reach, lang);
        let names: Vec<String> = rows
            .iter()
            .map(|r| short_name(&capitalise(&lang.param_label(&r.parameter)), MAX_NAME_CHARS))
            .collect();
        PrccData {
            title: lang.prcc_title(&date),
            subtitle: lang.prcc_subtitle(s.paths),
            x_title: lang.prcc_axis(&date),
            y: rows_axis(&names),
            rows,
            x,
        }
    }
}

/// The PRCC axis: symmetric around zero, reaching past `reach` (the largest
/// interval end, in absolute value) with room for the printed values, in
/// steps of 0.2 (0.1 up to ±0.4, 0.5 at ±1), within -1..1.
pub fn prcc_axis(reach: f64, lang: Lang) -> Axis {
    let m = ((reach * 1.3 / 0.2).ceil() * 0.2).clamp(0.2, 1.0);
    let step = if m <= 0.4 {
        0.1
    } else if m < 1.0 {
        0.2
    } else {
        0.5
    };
    let n = (m / step).round() as i64;
    Axis {
        lo: -m,
        hi: m,
        ticks: (-n..=n)
            .map(|i| {
                let value = i as f64 * step;
                Tick {
                    value,
                    label: if i == 0 {
                        "0".to_string()
                    } else {
                        lang.signed(value, 1)
                    },
                }
            })
            .collect(),
    }
}

impl Draw for PrccData {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Drawn<DB> {
        let s = theme.lang.strings();
        let legend = [
            LegendItem::new(s.clear_effect, Mark::Interval(palette::HEADCOUNT)),
            LegendItem::new(s.unclear_effect, Mark::Interval(palette::SAMPLE)),
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
                ..AxesSpec::plain(&self.x, &self.y, s.uncertain_input)
            },
        )?;
        vertical_grid(&mut chart, theme, &self.x, &self.y)?;
        reference_line(&mut chart, theme, 0.0, &self.y)?;
        let n = self.rows.len();
        for (i, r) in self.rows.iter().enumerate() {
            let y = row_position(i, n);
            let colour = if r.clear {
                palette::HEADCOUNT
            } else {
                palette::SAMPLE
            };
            if shows_beside_marker(&chart, theme, (r.low, r.high), y) {
                whisker(&mut chart, theme, (r.low, r.high), y, colour)?;
            }
            draw_marker(
                chart.plotting_area(),
                theme,
                (r.prcc, y),
                Marker::Dot,
                colour,
            )?;
            // Outside the interval, on the side away from zero.
            let sides = if r.prcc >= 0.0 {
                [((r.high, y), Side::Right), ((r.low, y), Side::Left)]
            } else {
                [((r.low, y), Side::Left), ((r.high, y), Side::Right)]
            };
            place_label_with(
                &chart,
                theme,
                &r.label,
                &sides,
                &[],
                &theme.font(29.0, palette::TEXT),
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::oujda::OUJDA_JULY_2020 as OUJDA;
    use crate::present::chart::fixtures::sensitivity;

    #[test]
    fn prcc_rows_are_strongest_first_on_a_symmetric_axis() {
        let scenario = Scenario::from_toml_str(OUJDA, "oujda").unwrap();
        let p = PrccData::new(&scenario, &sensitivity(), Lang::En);
        let values: Vec<f64> = p.rows.iter().map(|r| r.prcc).collect();
        assert_eq!(values, [0.58, 0.25, -0.21, 0.01]);
        assert!(p.rows[..3].iter().all(|r| r.clear));
        assert!(!p.rows[3].clear, "an interval across zero");
        assert_eq!(p.rows[2].label, "\u{2212}0.21");
        assert_eq!(p.x.lo, -p.x.hi);
        assert!(p.x.hi >= 0.61 && p.x.hi <= 1.0);
        assert_eq!(p.x.label(0.0), "0");
        assert!(p.x.ticks.iter().any(|t| t.label == "+0.4"));
        assert_eq!(prcc_axis(0.15, Lang::En).hi, 0.2);
        assert_eq!(prcc_axis(0.95, Lang::En).ticks.len(), 5);
        // A coefficient that could not be computed is left out.
        let mut s = sensitivity();
        s.inputs[0].prcc = f64::NAN;
        assert_eq!(PrccData::new(&scenario, &s, Lang::En).rows.len(), 3);
    }
}
