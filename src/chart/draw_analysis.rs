//! Drawing the charts of the analysis commands from their prepared data
//! ([`super::analysis`]), with the shared look of [`super::style`].

use plotters::coord::Shift;
use plotters::prelude::*;

use super::analysis::{
    CompareFanData, CompareTargetData, CostPerJobData, PrccData, PrimData, TornadoData,
};
use super::data::{Axis, Tick};
use super::draw::Draw;
use super::style::{
    AxesSpec, Drawn, Frame, LegendItem, Mark, Marker, Obstacle, Plot, PointLabel, Side, Theme,
    annotate_with, band, dashed, draw_axes, draw_frame, draw_marker, draw_over_plot,
    draw_panel_title, draw_point_labels, draw_target, line, option_colour, palette,
    panel_title_height, panel_title_lines, place_label_with, reference_line, small_dot,
    vertical_grid, whisker, y_label_width,
};

/// Opacity of each option's 80% band on the comparison fan: low, as the bands
/// overlap.
const OPTION_BAND_OPACITY: f64 = 0.07;

/// Half the height of a tornado bar, in rows.
const BAR_HALF_HEIGHT: f64 = 0.3;

impl Draw for CompareFanData {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Drawn<DB> {
        let s = theme.lang.strings();
        let mut legend: Vec<LegendItem> = self
            .options
            .iter()
            .map(|o| LegendItem::new(o.name.clone(), Mark::Line(option_colour(o.slot))))
            .collect();
        legend.push(LegendItem::new(s.band_80, Mark::Band(palette::BASE)));
        legend.push(LegendItem::new(s.target, Mark::Target));
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
                y_title: s.jobs,
                x_title: None,
                x_labels: true,
                panel: false,
                y_label_width: None,
            },
        )?;
        // The base case underneath, then the options from the lowest up, so
        // the highest line, first in the legend, is drawn last.
        let mut order: Vec<&_> = self.options.iter().collect();
        order.sort_by_key(|o| o.slot != 0);
        let (base, others): (Vec<_>, Vec<_>) = order.into_iter().partition(|o| o.slot == 0);
        let order: Vec<_> = base.into_iter().chain(others.into_iter().rev()).collect();
        for o in &order {
            let colour = option_colour(o.slot);
            band(
                &mut chart,
                &self.months,
                &o.lo,
                &o.hi,
                colour,
                OPTION_BAND_OPACITY,
            )?;
        }
        // Thin edges tell the overlapping bands apart.
        for o in &order {
            let edge = theme.line(option_colour(o.slot).mix(0.45), 1.3);
            line(&mut chart, &self.months, &o.lo, edge)?;
            line(&mut chart, &self.months, &o.hi, edge)?;
        }
        for o in &order {
            line(
                &mut chart,
                &self.months,
                &o.median,
                theme.line(option_colour(o.slot), theme.main_line() * 0.85),
            )?;
        }
        let obstacles: Vec<Obstacle> = self
            .options
            .iter()
            .map(|o| Obstacle::band(&self.months, &o.lo, &o.hi))
            .collect();
        draw_target(
            &mut chart,
            theme,
            &self.x,
            self.target,
            &self.target_label,
            &obstacles,
        )
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

/// Whether an interval is wide enough to show beyond the marker of its
/// estimate: a narrower one would only draw its caps around the marker.
fn shows_beside_marker<DB: DrawingBackend>(
    chart: &Plot<DB>,
    theme: &Theme,
    (low, high): (f64, f64),
    y: f64,
) -> bool {
    let (a, _) = chart.backend_coord(&(low, y));
    let (b, _) = chart.backend_coord(&(high, y));
    (b - a).abs() > theme.px(24.0)
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
            &Frame {
                title: &self.title,
                subtitle: &self.subtitle,
                legend: &legend,
            },
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
                let at = super::analysis::row_position(i, n);
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

impl Draw for CostPerJobData {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Drawn<DB> {
        let s = theme.lang.strings();
        let mut legend = Vec::new();
        if !self.rays.is_empty() {
            legend.push(LegendItem::new(s.constant_cost, Mark::Dashed(palette::RAY)));
        }
        legend.push(LegendItem::new(
            s.interval_95,
            Mark::Interval(palette::BASE),
        ));
        if self.points.iter().any(|p| !p.significant) {
            legend.push(LegendItem::new(
                s.uncertain_gain_legend,
                Mark::Ring(palette::BASE),
            ));
        }
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
                y_title: &self.y_title,
                x_title: Some(&self.x_title),
                x_labels: true,
                panel: false,
                y_label_width: None,
            },
        )?;
        vertical_grid(&mut chart, theme, &self.x, &self.y)?;
        let origin = (0.0f64.max(self.x.lo), 0.0);
        for ray in &self.rays {
            chart.draw_series(DashedLineSeries::new(
                vec![origin, ray.end],
                theme.px(10.0),
                theme.px(8.0),
                theme.line(palette::RAY, 2.0),
            ))?;
        }
        for p in &self.points {
            let colour = option_colour(p.slot);
            if shows_beside_marker(&chart, theme, (p.jobs_low, p.jobs_high), p.cost) {
                whisker(&mut chart, theme, (p.jobs_low, p.jobs_high), p.cost, colour)?;
            }
            draw_marker(
                chart.plotting_area(),
                theme,
                (p.jobs, p.cost),
                if p.significant {
                    Marker::Dot
                } else {
                    Marker::Ring
                },
                colour,
            )?;
        }
        // The options' labels choose their places first, then the lines'.
        // The most crowded points choose their label's place first, while
        // there is room around them.
        let pixel = |p: &super::analysis::CostPoint| {
            let (x, y) = chart.backend_coord(&(p.jobs, p.cost));
            (f64::from(x), f64::from(y))
        };
        let reach = f64::from(theme.px(300.0));
        let crowd = |p: &super::analysis::CostPoint| {
            let (x, y) = pixel(p);
            self.points
                .iter()
                .filter(|q| {
                    let (a, b) = pixel(q);
                    (a - x).hypot(b - y) < reach
                })
                .count()
        };
        let mut by_crowd: Vec<&super::analysis::CostPoint> = self.points.iter().collect();
        by_crowd.sort_by_key(|p| (std::cmp::Reverse(crowd(p)), p.slot));
        let mut labels: Vec<PointLabel> = by_crowd
            .into_iter()
            .map(|p| PointLabel {
                at: (p.jobs, p.cost),
                alternatives: Vec::new(),
                lines: vec![p.name.clone(), p.detail.clone()],
                bold: true,
                colour: Some(option_colour(p.slot)),
            })
            .collect();
        // A line's label stands by its far end, or else farther in along it.
        labels.extend(self.rays.iter().map(|r| {
            PointLabel {
                at: r.end,
                alternatives: [0.85, 0.7, 0.55, 0.4]
                    .iter()
                    .map(|t| (origin.0 + (r.end.0 - origin.0) * t, r.end.1 * t))
                    .collect(),
                lines: vec![r.label.clone()],
                bold: false,
                colour: None,
            }
        }));
        let markers: Vec<(f64, f64)> = self.points.iter().map(|p| (p.jobs, p.cost)).collect();
        let mut obstacles: Vec<Obstacle> = self
            .rays
            .iter()
            .map(|r| Obstacle::line(&[origin.0, r.end.0], &[origin.1, r.end.1]))
            .collect();
        obstacles.extend(
            self.points
                .iter()
                .map(|p| Obstacle::line(&[p.jobs_low, p.jobs_high], &[p.cost, p.cost])),
        );
        draw_point_labels(&chart, theme, &labels, &markers, &obstacles)
    }
}

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
            &Frame {
                title: &self.title,
                subtitle: &self.subtitle,
                legend: &legend,
            },
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
                x: &x,
                y: &self.y,
                y_title: s.uncertain_input,
                x_title: Some(&self.x_title),
                x_labels: true,
                panel: false,
                y_label_width: None,
            },
        )?;
        vertical_grid(&mut chart, theme, &x, &self.y)?;
        let n = self.rows.len();
        for (i, r) in self.rows.iter().enumerate() {
            let y = super::analysis::row_position(i, n);
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
                y_title: s.uncertain_input,
                x_title: Some(&self.x_title),
                x_labels: true,
                panel: false,
                y_label_width: None,
            },
        )?;
        vertical_grid(&mut chart, theme, &self.x, &self.y)?;
        reference_line(&mut chart, theme, 0.0, &self.y)?;
        let n = self.rows.len();
        for (i, r) in self.rows.iter().enumerate() {
            let y = super::analysis::row_position(i, n);
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

impl Draw for PrimData {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Drawn<DB> {
        let s = theme.lang.strings();
        let colour = palette::HEADCOUNT;
        let legend = [
            LegendItem::new(s.peeling_boxes, Mark::Line(colour)),
            LegendItem::new(s.chosen_box, Mark::Diamond(palette::HIGHLIGHT)),
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
                y_title: &self.y_title,
                x_title: Some(&self.x_title),
                x_labels: true,
                panel: false,
                y_label_width: None,
            },
        )?;
        vertical_grid(&mut chart, theme, &self.x, &self.y)?;
        // The share of all futures that succeed, and the least coverage of a
        // box that may be chosen.
        dashed(
            &mut chart,
            theme,
            vec![(self.x.lo, self.overall), (self.x.hi, self.overall)],
            palette::SAMPLE,
        )?;
        dashed(
            &mut chart,
            theme,
            vec![
                (self.min_coverage, self.y.lo),
                (self.min_coverage, self.y.hi),
            ],
            palette::SAMPLE,
        )?;
        let xs: Vec<f64> = self.steps.iter().map(|p| p.0).collect();
        let ys: Vec<f64> = self.steps.iter().map(|p| p.1).collect();
        line(
            &mut chart,
            &xs,
            &ys,
            theme.line(colour, theme.main_line() * 0.6),
        )?;
        for &p in &self.steps {
            small_dot(&chart, theme, p, colour)?;
        }
        let trajectory = Obstacle::line(&xs, &ys);
        let note = theme.font(26.0, palette::MUTED_TEXT);
        place_label_with(
            &chart,
            theme,
            &self.overall_label,
            &[
                ((self.x.lo, self.overall), Side::BelowRight),
                ((self.x.lo, self.overall), Side::AboveRight),
            ],
            std::slice::from_ref(&trajectory),
            &note,
        )?;
        place_label_with(
            &chart,
            theme,
            &self.min_coverage_label,
            &[
                ((self.min_coverage, self.y.hi), Side::BelowRight),
                ((self.min_coverage, self.y.hi), Side::BelowLeft),
            ],
            std::slice::from_ref(&trajectory),
            &note,
        )?;
        draw_marker(
            chart.plotting_area(),
            theme,
            self.chosen,
            Marker::Diamond,
            palette::HIGHLIGHT,
        )?;
        let label = PointLabel {
            at: self.chosen,
            alternatives: Vec::new(),
            lines: self.chosen_label.to_vec(),
            bold: true,
            colour: Some(palette::HIGHLIGHT),
        };
        draw_point_labels(
            &chart,
            theme,
            &[label],
            &self.steps,
            &[
                trajectory,
                Obstacle::line(&[self.x.lo, self.x.hi], &[self.overall, self.overall]),
                Obstacle::vertical(self.min_coverage, self.y.lo, self.y.hi),
            ],
        )
    }
}
