//! The chart of the box PRIM found (`prim_box`): the simulated futures as
//! dots over the two inputs that define the box best, coloured by whether
//! they reach the target, with the chosen box drawn over them.

use ndarray::Array2;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::Draw;
use super::axis::{AxesSpec, Axis, Tick, draw_axes, value_axis_within};
use super::style::{Frame, LegendItem, Mark, draw_frame, vertical_grid};
use super::theme::{Drawn, Theme, palette};
use crate::analysis::discover::PrimResult;
use crate::core::scenario::Scenario;
use crate::present::text::Lang;

/// The most futures drawn as dots: every k-th path of the run, so that the
/// picture stays legible and the SVG small.
pub const MAX_DOTS: usize = 1500;

/// The futures over two inputs with the chosen box.
#[derive(Clone, Debug, PartialEq)]
pub struct PrimBoxData {
    /// Chart title.
    pub title: String,
    /// Subtitle: what the dots are and what the box holds.
    pub subtitle: String,
    /// The first input.
    pub x: Axis,
    /// The second input.
    pub y: Axis,
    /// The first input's plain name.
    pub x_title: String,
    /// The second input's plain name.
    pub y_title: String,
    /// The indices of the two inputs shown (columns of the path inputs).
    pub inputs: (usize, usize),
    /// Futures that reach the target, as (x, y).
    pub hits: Vec<(f64, f64)>,
    /// Futures that do not.
    pub misses: Vec<(f64, f64)>,
    /// The box on the two inputs: (x low, x high, y low, y high), an
    /// unrestricted side at the edge of its axis.
    pub rect: (f64, f64, f64, f64),
}

/// An input with at most this many distinct values is drawn as discrete:
/// its dots spread around each value, its ticks on the values.
const MAX_DISCRETE_VALUES: usize = 12;

/// The distinct values of a discrete input, in order (`None` for an input
/// with more than [`MAX_DISCRETE_VALUES`] of them).
fn discrete_values(column: ndarray::ArrayView1<f64>) -> Option<Vec<f64>> {
    let mut seen: Vec<f64> = Vec::new();
    for &v in column {
        if !seen.contains(&v) {
            if seen.len() == MAX_DISCRETE_VALUES {
                return None;
            }
            seen.push(v);
        }
    }
    seen.sort_by(f64::total_cmp);
    Some(seen)
}

/// The smallest gap between successive `values` (1 for a single value).
fn smallest_step(values: &[f64]) -> f64 {
    let step = values
        .windows(2)
        .map(|w| w[1] - w[0])
        .fold(f64::INFINITY, f64::min);
    if step.is_finite() && step > 0.0 {
        step
    } else {
        1.0
    }
}

/// A small, fixed offset of path `i` (from -0.5 to 0.5): spreads the dots of
/// a yes-or-no input around 0 and 1, the same in every run.
fn jitter(i: usize) -> f64 {
    let h = (i as u64 ^ 0x5DEE_CE66).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> 11) as f64 / (1u64 << 53) as f64 - 0.5
}

/// The two inputs that define the box best: those whose ranges in the box
/// leave out the most futures, then (for a box restricting fewer than two)
/// those whose mean differs most between futures that reach the target and
/// futures that do not, in standard deviations.
pub fn box_inputs(values: &Array2<f64>, hit: &[bool], r: &PrimResult) -> Option<(usize, usize)> {
    let (n, k) = values.dim();
    if k < 2 || n == 0 || r.restricted().is_empty() {
        return None;
    }
    let score = |j: usize| {
        let column = values.column(j);
        let (lo, hi) = r.chosen.bounds[j];
        let outside = column.iter().filter(|&&v| v < lo || v > hi).count() as f64 / n as f64;
        let mean = |want: bool| {
            let (sum, count) = column
                .iter()
                .zip(hit)
                .filter(|(_, h)| **h == want)
                .fold((0.0, 0usize), |(s, c), (v, _)| (s + v, c + 1));
            sum / count.max(1) as f64
        };
        let all = column.sum() / n as f64;
        let sd = (column.iter().map(|v| (v - all).powi(2)).sum::<f64>() / n as f64).sqrt();
        let separation = if sd > 0.0 {
            (mean(true) - mean(false)).abs() / sd
        } else {
            0.0
        };
        (outside, separation)
    };
    let scores: Vec<(f64, f64)> = (0..k).map(score).collect();
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| {
        scores[b]
            .0
            .total_cmp(&scores[a].0)
            .then(scores[b].1.total_cmp(&scores[a].1))
            .then(a.cmp(&b))
    });
    Some((order[0], order[1]))
}

/// How one input is drawn: its axis, and for a discrete input its values'
/// smallest step (dots spread by up to a third of it around their value).
struct InputScale {
    axis: Axis,
    step: Option<f64>,
}

/// The scale of input `name` over its full range `(lo, hi)`; a discrete
/// input (`values`) is ticked at its values, half a step beyond each end.
fn input_scale(name: &str, (lo, hi): (f64, f64), values: Option<&[f64]>, lang: Lang) -> InputScale {
    match values {
        Some(values) => {
            let step = smallest_step(values);
            let (first, last) = (
                values.first().copied().unwrap_or(lo).min(lo),
                values.last().copied().unwrap_or(hi).max(hi),
            );
            InputScale {
                axis: Axis {
                    lo: first - step / 2.0,
                    hi: last + step / 2.0,
                    ticks: values
                        .iter()
                        .map(|&value| Tick {
                            value,
                            label: lang.param_value(name, value),
                        })
                        .collect(),
                },
                step: Some(step),
            }
        }
        None => {
            let pad = (hi - lo).abs().max(1e-9) * 0.03;
            InputScale {
                axis: value_axis_within(lo - pad, hi + pad, 0.0, |v| lang.param_value(name, v)),
                step: None,
            }
        }
    }
}

/// `text` with its first letter in capitals: an input's name as an axis title.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

impl PrimBoxData {
    /// Gathers the chart from the paths' inputs (`values`, one row per path,
    /// named `names`) and outcomes; `None` when the box restricts no input or
    /// there are fewer than two inputs.
    pub fn new(
        scenario: &Scenario,
        names: &[String],
        values: &Array2<f64>,
        hit: &[bool],
        r: &PrimResult,
        lang: Lang,
    ) -> Option<PrimBoxData> {
        let (a, b) = box_inputs(values, hit, r)?;
        let t = scenario.target;
        let date = lang.month(scenario.date(t.month));
        let n = values.nrows();
        let stride = n.div_ceil(MAX_DOTS).max(1);
        let scale = |j: usize| {
            let distinct = discrete_values(values.column(j));
            input_scale(&names[j], r.full[j], distinct.as_deref(), lang)
        };
        let (sx, sy) = (scale(a), scale(b));
        let place = |j: usize, s: &InputScale, i: usize| {
            let v = values[[i, j]];
            match s.step {
                Some(step) => v + step * 0.66 * jitter(i * 2 + usize::from(j == b)),
                None => v,
            }
        };
        let (mut hits, mut misses) = (Vec::new(), Vec::new());
        for i in (0..n).step_by(stride) {
            let dot = (place(a, &sx, i), place(b, &sy, i));
            if hit[i] { &mut hits } else { &mut misses }.push(dot);
        }
        // A side the box leaves open runs to the edge of the plot; on a
        // discrete input a side falls half a step beyond the last value kept,
        // so that the box holds the dots of the values it keeps.
        let side = |j: usize, s: &InputScale| {
            let ((lo, hi), (flo, fhi)) = (r.chosen.bounds[j], r.full[j]);
            let half = s.step.map_or(0.0, |step| step / 2.0);
            (
                if lo > flo { lo - half } else { s.axis.lo },
                if hi < fhi { hi + half } else { s.axis.hi },
            )
        };
        let ((x0, x1), (y0, y1)) = (side(a, &sx), side(b, &sy));
        let (x, y) = (sx.axis, sy.axis);
        let others: Vec<String> = r
            .restricted()
            .iter()
            .filter(|(j, _, _)| *j != a && *j != b)
            .map(|(j, _, _)| lang.param_label(&names[*j]))
            .collect();
        Some(PrimBoxData {
            title: lang.prim_box_title(t.headcount, &date),
            subtitle: lang.prim_box_subtitle(
                hits.len() + misses.len(),
                n as u64,
                r.chosen.density,
                r.trajectory.first().map_or(0.0, |s| s.density),
                &others,
            ),
            x_title: capitalised(&lang.param_label(&names[a])),
            y_title: capitalised(&lang.param_label(&names[b])),
            x,
            y,
            inputs: (a, b),
            hits,
            misses,
            rect: (x0, x1, y0, y1),
        })
    }
}

impl Draw for PrimBoxData {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Drawn<DB> {
        let s = theme.lang.strings();
        let reached = palette::HEADCOUNT;
        let legend = [
            LegendItem::new(theme.lang.prim_box_reached(), Mark::Fill(reached, 1.0)),
            LegendItem::new(
                theme.lang.prim_box_missed(),
                Mark::Fill(palette::SAMPLE, 1.0),
            ),
            LegendItem::new(s.chosen_box, Mark::Line(palette::HIGHLIGHT)),
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
        let radius = theme.px(3.0).max(1);
        // Futures that miss first, so that those that reach it stay visible.
        chart.draw_series(
            self.misses
                .iter()
                .map(|&p| Circle::new(p, radius, palette::SAMPLE.mix(0.45).filled())),
        )?;
        chart.draw_series(
            self.hits
                .iter()
                .map(|&p| Circle::new(p, radius, reached.mix(0.75).filled())),
        )?;
        let (x0, x1, y0, y1) = self.rect;
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x0, y0), (x1, y1)],
            theme.line(palette::HIGHLIGHT, theme.main_line() * 0.8),
        )))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::discover::{PrimOptions, prim};
    use crate::input::oujda::OUJDA_JULY_2020 as OUJDA;

    /// Futures over three inputs where success needs the first input high
    /// and the third low; the second does nothing.
    fn futures() -> (Vec<String>, Array2<f64>, Vec<bool>) {
        let n = 3000;
        let mut values = Array2::zeros((n, 3));
        let mut hit = Vec::new();
        for i in 0..n {
            let u = |s: usize| ((i * 7919 + s * 104_729) % 1000) as f64 / 1000.0;
            let (a, b, c) = (u(1), u(2), u(3));
            values[[i, 0]] = a;
            values[[i, 1]] = b;
            values[[i, 2]] = c;
            hit.push(a > 0.6 && c < 0.5);
        }
        let names = vec![
            "labour.uptake_monthly".to_string(),
            "labour.reach_share".to_string(),
            "attrition.monthly_rate".to_string(),
        ];
        (names, values, hit)
    }

    #[test]
    fn the_box_is_drawn_over_the_inputs_that_define_it() {
        let (names, values, hit) = futures();
        let r = prim(&values, &hit, PrimOptions::default()).unwrap();
        let mut scenario = Scenario::from_toml_str(OUJDA, "oujda").unwrap();
        scenario.target.headcount = 2400;
        let chart = PrimBoxData::new(&scenario, &names, &values, &hit, &r, Lang::En).unwrap();
        // The two inputs that matter, not the bystander.
        let shown = [chart.inputs.0, chart.inputs.1];
        assert!(shown.contains(&0) && shown.contains(&2), "{shown:?}");
        // Every dot is one path's inputs, coloured by its outcome.
        assert!(chart.hits.len() + chart.misses.len() <= MAX_DOTS);
        let hits_share = chart.hits.len() as f64 / (chart.hits.len() + chart.misses.len()) as f64;
        let all_share = hit.iter().filter(|&&h| h).count() as f64 / hit.len() as f64;
        assert!(
            (hits_share - all_share).abs() < 0.05,
            "{hits_share} {all_share}"
        );
        // The box's sides on each input are PRIM's bounds, open sides at the
        // axis' edge; the dots that reach the target sit mostly inside it.
        let (x0, x1, y0, y1) = chart.rect;
        assert!(x0 < x1 && y0 < y1);
        assert!(x0 >= chart.x.lo && x1 <= chart.x.hi && y0 >= chart.y.lo && y1 <= chart.y.hi);
        let inside = chart
            .hits
            .iter()
            .filter(|(x, y)| (x0..=x1).contains(x) && (y0..=y1).contains(y))
            .count();
        assert!(inside as f64 > 0.8 * chart.hits.len() as f64);
        assert!(
            chart.title.contains("2,400 jobs in Jul 2022"),
            "{}",
            chart.title
        );
    }

    #[test]
    fn discrete_inputs_spread_around_their_values() {
        for i in 0..1000 {
            assert!(jitter(i).abs() <= 0.5);
        }
        let column = ndarray::arr1(&[1.0, 0.0, 1.0, 1.0]);
        let values = discrete_values(column.view()).unwrap();
        assert_eq!(values, [0.0, 1.0]);
        let s = input_scale("firm[SACCOM].happens", (0.0, 1.0), Some(&values), Lang::En);
        assert_eq!(s.step, Some(1.0));
        assert_eq!((s.axis.lo, s.axis.hi), (-0.5, 1.5));
        let labels: Vec<&str> = s.axis.ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["does not come", "comes"]);
        // Many values: a continuous scale.
        let many = ndarray::Array1::from_iter((0..100).map(f64::from));
        assert_eq!(discrete_values(many.view()), None);
        assert_eq!(smallest_step(&[17.0, 18.0, 19.0]), 1.0);
        assert_eq!(capitalised("share of graduates"), "Share of graduates");
    }
}
