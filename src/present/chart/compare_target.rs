//! The chart of chances and gains (`compare_target`): each option's chance of
//! the target and the jobs it adds in the target month, with their intervals,
//! in two panels side by side.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Draw;
use super::axis::{
    AxesSpec, Axis, Plot, Tick, draw_axes, percent_axis, row_position, rows_axis, signed_jobs_axis,
    y_label_width,
};
use super::labels::{Side, place_label_with};
use super::names::{MAX_NAME_CHARS, option_name, short_name};
use super::style::{
    Frame, LegendItem, Mark, Marker, draw_frame, draw_marker, draw_panel_title, panel_title_height,
    panel_title_lines, reference_line, shows_beside_marker, vertical_grid, whisker,
};
use super::theme::{Drawn, Theme, option_colour, palette};
use crate::analysis::compare::Comparison;
use crate::core::scenario::Scenario;
use crate::present::text::Lang;

/// Below this chance of the target for every option, the comparison says that
/// no option gives a real chance and points to the jobs added instead.
pub const NO_REAL_CHANCE: f64 = 0.01;

/// One option's row on the chart of chances and gains.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetRow {
    /// Place in the comparison's input order (0 = base case).
    pub slot: usize,
    /// Chance of the target, in percent.
    pub p: f64,
    /// Its Wilson 95% interval, in percent.
    pub p_low: f64,
    /// Upper end.
    pub p_high: f64,
    /// The chance as printed beside the point.
    pub p_label: String,
    /// Mean jobs added in the target month compared with the base case.
    pub gain: f64,
    /// Its paired 95% interval.
    pub gain_low: f64,
    /// Upper end.
    pub gain_high: f64,
    /// The gain as printed beside the point (empty for the base case).
    pub gain_label: String,
}

/// The chart of chances and gains: P(target) with its Wilson interval in one
/// panel, the mean jobs added in the target month with the paired interval in
/// the other, one row per option in rank order. P(target) alone cannot tell
/// options apart when it is near zero for all of them (as in the Oujda base
/// case), while the jobs added always can, with tight intervals thanks to
/// common random numbers; both panels are always shown so that the chart
/// reads the same from one run to the next.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareTargetData {
    /// Chart title.
    pub title: String,
    /// Subtitle: says when no option has a real chance of the target.
    pub subtitle: String,
    /// One row per option, best rank first.
    pub rows: Vec<TargetRow>,
    /// The rows, labelled with the options' names.
    pub y: Axis,
    /// Percent axis of the chance panel.
    pub p_axis: Axis,
    /// Jobs axis of the gain panel.
    pub gain_axis: Axis,
    /// Heading of the chance panel.
    pub p_title: String,
    /// Heading of the gain panel.
    pub gain_title: String,
    /// Whether the chance panel is drawn: only when some option reaches the
    /// target on at least [`NO_REAL_CHANCE`] of its paths (otherwise it would
    /// read 0% for every option, and the rows follow the jobs added).
    pub shows_chance: bool,
}

impl CompareTargetData {
    /// Gathers the chart of chances and gains.
    pub fn new(base: &Scenario, c: &Comparison, lang: Lang) -> CompareTargetData {
        let t = base.target;
        let date = lang.month(base.date(t.month));
        let best = c
            .options
            .iter()
            .map(|o| o.summary.p_target.estimate)
            .fold(0.0, f64::max);
        let shows_chance = best >= NO_REAL_CHANCE;
        let mut order: Vec<usize> = (0..c.options.len()).collect();
        if shows_chance {
            order.sort_by_key(|&i| (c.options[i].rank_p_target, i));
        } else {
            let gain = |i: usize| {
                if i == 0 {
                    0.0
                } else {
                    c.options[i].headcount_diff.mean
                }
            };
            order.sort_by(|&a, &b| gain(b).total_cmp(&gain(a)).then(a.cmp(&b)));
        }
        let rows: Vec<TargetRow> = order
            .iter()
            .map(|&slot| {
                let o = &c.options[slot];
                let p = o.summary.p_target;
                let d = o.headcount_diff;
                TargetRow {
                    slot,
                    p: p.estimate * 100.0,
                    p_low: p.ci95_low * 100.0,
                    p_high: p.ci95_high * 100.0,
                    p_label: lang.share(p.estimate),
                    gain: if slot == 0 { 0.0 } else { d.mean },
                    gain_low: if slot == 0 { 0.0 } else { d.ci95_low },
                    gain_high: if slot == 0 { 0.0 } else { d.ci95_high },
                    gain_label: if slot == 0 {
                        String::new()
                    } else {
                        lang.signed_jobs(d.mean)
                    },
                }
            })
            .collect();
        let names: Vec<String> = order
            .iter()
            .map(|&i| short_name(&option_name(&c.options[i], i, lang), MAX_NAME_CHARS))
            .collect();
        let p_top = rows.iter().map(|r| r.p_high).fold(0.0, f64::max);
        let (g_lo, g_hi) = rows.iter().fold((0.0f64, 0.0f64), |(lo, hi), r| {
            (lo.min(r.gain_low), hi.max(r.gain_high))
        });
        CompareTargetData {
            title: lang.compare_target_title(t.headcount, &date),
            subtitle: lang.compare_target_subtitle(
                t.headcount,
                &date,
                (best < NO_REAL_CHANCE).then_some(best),
            ),
            y: rows_axis(&names),
            rows,
            // Headroom on the right of both panels for the printed values.
            p_axis: percent_axis(p_top * 1.25, lang),
            gain_axis: signed_jobs_axis(g_lo, g_hi + (g_hi - g_lo) * 0.2, lang),
            p_title: lang.chance_panel(t.headcount, &date),
            gain_title: lang.gain_panel(&date),
            shows_chance,
        }
    }
}

/// A copy of `axis` with its tick positions kept and its labels blanked: the
/// rows of a second panel, named once by the first.
fn unlabelled(axis: &Axis) -> Axis {
    Axis {
        lo: axis.lo,
        hi: axis.hi,
        ticks: axis
            .ticks
            .iter()
            .map(|t| Tick {
                value: t.value,
                label: String::new(),
            })
            .collect(),
    }
}

/// A value printed beside an estimate: right of its interval, or left of it
/// when the right would leave the plot.
fn value_label<DB: DrawingBackend>(
    chart: &Plot<DB>,
    theme: &Theme,
    text: &str,
    (low, high): (f64, f64),
    y: f64,
) -> Drawn<DB> {
    if text.is_empty() {
        return Ok(());
    }
    place_label_with(
        chart,
        theme,
        text,
        &[((high, y), Side::Right), ((low, y), Side::Left)],
        &[],
        &theme.font(29.0, palette::TEXT),
    )
}

impl Draw for CompareTargetData {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Drawn<DB> {
        let s = theme.lang.strings();
        let legend = [LegendItem::new(
            s.interval_95,
            Mark::Interval(palette::BASE),
        )];
        let area = draw_frame(
            root,
            theme,
            &Frame::new(&self.title, &self.subtitle, &legend),
        )?;
        // The option names once, on the left; two plots of equal width, or
        // the jobs alone when no option has a real chance of the target.
        let (width, _) = area.dim_in_pixel();
        let names = y_label_width(&area, theme, &self.y);
        let gap = theme.px(56.0);
        let label_column = names + theme.px(18.0);
        let blank = unlabelled(&self.y);
        let mut panels = Vec::new();
        if self.shows_chance {
            let plot_width = (width as i32 - label_column - gap - 2 * theme.px(24.0)) / 2;
            let (left, right) = area.split_horizontally(label_column + plot_width + theme.px(24.0));
            let right = right.margin(0, 0, gap, 0);
            panels.push((
                left,
                &self.p_axis,
                &self.y,
                names,
                &self.p_title,
                false,
                plot_width,
            ));
            panels.push((
                right,
                &self.gain_axis,
                &blank,
                0,
                &self.gain_title,
                true,
                plot_width,
            ));
        } else {
            let plot_width = width as i32 - label_column - theme.px(24.0);
            panels.push((
                area.clone(),
                &self.gain_axis,
                &self.y,
                names,
                &self.gain_title,
                true,
                plot_width,
            ));
        }
        let titles: Vec<Vec<String>> = panels
            .iter()
            .map(|p| panel_title_lines(&area, theme, p.4, p.6))
            .collect();
        let extra =
            (titles.iter().map(Vec::len).max().unwrap_or(1) as i32 - 1) * panel_title_height(theme);
        for (k, (panel, x, y, label_width, _, is_gain, _)) in panels.into_iter().enumerate() {
            let inner = panel.margin(extra, 0, 0, 0);
            let mut chart = draw_axes(
                &inner,
                theme,
                &AxesSpec {
                    x,
                    y,
                    y_title: "",
                    x_title: None,
                    x_labels: true,
                    panel: true,
                    y_label_width: Some(label_width),
                },
            )?;
            draw_panel_title(&inner, &chart, theme, &titles[k])?;
            vertical_grid(&mut chart, theme, x, y)?;
            if is_gain {
                reference_line(&mut chart, theme, 0.0, y)?;
            }
            let n = self.rows.len();
            for (i, row) in self.rows.iter().enumerate() {
                let at = row_position(i, n);
                let colour = option_colour(row.slot);
                let (estimate, low, high, label) = if !is_gain {
                    (row.p, row.p_low, row.p_high, &row.p_label)
                } else {
                    (row.gain, row.gain_low, row.gain_high, &row.gain_label)
                };
                if shows_beside_marker(&chart, theme, (low, high), at) {
                    whisker(&mut chart, theme, (low, high), at, colour)?;
                }
                draw_marker(
                    chart.plotting_area(),
                    theme,
                    (estimate, at),
                    Marker::Dot,
                    colour,
                )?;
                value_label(&chart, theme, label, (low, high), at)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::chart::fixtures::small_comparison;

    #[test]
    fn chances_and_gains_say_when_no_option_has_a_real_chance() {
        let (base, c) = small_comparison(None);
        let t = CompareTargetData::new(&base, &c, Lang::En);
        assert_eq!(t.rows.len(), c.options.len());
        // Every chance is near 0%: the chance panel is dropped and the rows
        // follow the jobs added, most first.
        assert!(!t.shows_chance);
        assert!(
            t.rows.windows(2).all(|w| w[0].gain >= w[1].gain),
            "rows by jobs added"
        );
        let base_row = t.rows.iter().find(|r| r.slot == 0).unwrap();
        assert_eq!((base_row.gain, base_row.gain_label.as_str()), (0.0, ""));
        for r in &t.rows {
            assert!(r.p_low <= r.p && r.p <= r.p_high && r.p_high <= t.p_axis.hi);
            assert!(r.gain_low <= r.gain && r.gain <= r.gain_high);
            assert!(t.gain_axis.lo <= r.gain_low && r.gain_high <= t.gain_axis.hi);
        }
        // No option reaches it on any path here: said so, not "at best 0%".
        assert!(
            t.subtitle
                .starts_with("No option reaches 5,000 jobs in Jul 2022 in any simulated future")
                || t.subtitle.starts_with("No option gives a real chance"),
            "{}",
            t.subtitle
        );
        assert!(!t.subtitle.contains(" 0%"), "{}", t.subtitle);
        // The names label the rows, best first at the top.
        let top = &c.options[t.rows[0].slot].name;
        assert_eq!(&t.y.label(row_position(0, t.rows.len())), top);
        assert!(t.gain_axis.ticks.iter().any(|tick| tick.label == "0"));
        assert!(
            t.gain_axis
                .ticks
                .iter()
                .any(|tick| tick.label.starts_with('+'))
        );

        let (base, c) = small_comparison(Some(2300));
        let t = CompareTargetData::new(&base, &c, Lang::Fr);
        assert!(t.shows_chance, "2,300 jobs are within reach");
        let ranks: Vec<usize> = t
            .rows
            .iter()
            .map(|r| c.options[r.slot].rank_p_target)
            .collect();
        assert!(ranks.windows(2).all(|w| w[0] < w[1]), "{ranks:?}");
        assert!(t.subtitle.starts_with("La probabilité"), "{}", t.subtitle);
        assert!(t.p_title.contains("2\u{202f}300"), "{}", t.p_title);
    }
}
