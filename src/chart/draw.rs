//! Drawing each chart of a run from its prepared data, with the shared look of
//! [`super::style`]. Drawing is generic over the plotters backend, so one
//! function makes both the PNG and the SVG of a chart.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::{CompositionData, FanData, HittingData, LabourData, OutcomeData, Panel};
use super::style::{
    AxesSpec, Drawn, Frame, LegendItem, Mark, Marker, Obstacle, Side, Theme, band, dashed,
    draw_axes, draw_frame, draw_marker, draw_target, group_colour, line, palette, place_label,
    series_colour, y_label_width,
};
use crate::model::Series;
use crate::scenario::Group;

/// A chart that can draw itself on any plotters backend.
pub trait Draw {
    /// Draws the whole chart on `root`.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Drawn<DB>;
}

/// Opacity of the fan's bands, widest first. They overlap, so the 50% band is
/// the darkest; sample paths drawn beneath stay visible through all three.
const FAN_OPACITY: [f64; 3] = [0.13, 0.16, 0.30];

/// The opacity of the area covered by the first `n` layers of the fan.
fn stacked_opacity(n: usize) -> f64 {
    1.0 - FAN_OPACITY[..n].iter().map(|a| 1.0 - a).product::<f64>()
}

/// Opacity of the outcome bars below the target (those at or above it are
/// nearly opaque).
const BELOW_TARGET_OPACITY: f64 = 0.45;

/// Opacity of a 50% band around a median line.
const BAND_OPACITY: f64 = 0.25;

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
        for path in &self.samples {
            line(
                &mut chart,
                &self.months,
                path,
                theme.line(palette::SAMPLE, theme.thin_line()),
            )?;
        }
        for (b, opacity) in self.bands.iter().zip(FAN_OPACITY) {
            band(&mut chart, &self.months, &b.lo, &b.hi, colour, opacity)?;
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
        obstacles.extend(self.history.iter().map(|&h| Obstacle::point(h)));
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

impl Draw for CompositionData {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Drawn<DB> {
        let s = theme.lang.strings();
        let mut legend: Vec<LegendItem> = self
            .layers
            .iter()
            .map(|l| {
                let label = match l.group {
                    Group::Existing => s.existing,
                    Group::Announced => s.announced,
                    Group::New => s.new_firms,
                };
                LegendItem::new(label, Mark::Fill(group_colour(l.group), 1.0))
            })
            .collect();
        legend.push(LegendItem::new(s.seats, Mark::Line(palette::SEATS)));
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
        for layer in &self.layers {
            band(
                &mut chart,
                &self.months,
                &layer.lower,
                &layer.upper,
                group_colour(layer.group),
                1.0,
            )?;
        }
        line(
            &mut chart,
            &self.months,
            &self.seats,
            theme.line(palette::SEATS, theme.main_line()),
        )?;
        let floor = vec![0.0; self.months.len()];
        let top = self.layers.last().map_or(&floor, |l| &l.upper);
        let obstacles = [
            Obstacle::band(&self.months, &floor, top),
            Obstacle::line(&self.months, &self.seats),
        ];
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

/// The legend name of a labour series.
fn labour_label(series: Series, theme: &Theme) -> &'static str {
    let s = theme.lang.strings();
    match series {
        Series::Pool => s.pool,
        Series::Vacancies => s.vacancies,
        Series::Hires => s.hires,
        _ => s.leavers,
    }
}

impl LabourData {
    fn draw_panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        theme: &Theme,
        panel: &Panel,
        label_width: i32,
        x_labels: bool,
    ) -> Drawn<DB> {
        let mut chart = draw_axes(
            area,
            theme,
            &AxesSpec {
                x: &self.x,
                y: &panel.y,
                y_title: &panel.title,
                panel: true,
                x_title: None,
                x_labels,
                y_label_width: Some(label_width),
            },
        )?;
        for l in &panel.lines {
            let colour = series_colour(l.series);
            band(&mut chart, &l.months, &l.lo, &l.hi, colour, BAND_OPACITY)?;
        }
        for l in &panel.lines {
            let colour = series_colour(l.series);
            line(
                &mut chart,
                &l.months,
                &l.median,
                theme.line(colour, theme.main_line()),
            )?;
        }
        Ok(())
    }
}

impl Draw for LabourData {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Drawn<DB> {
        let s = theme.lang.strings();
        let mut legend: Vec<LegendItem> = self
            .stocks
            .lines
            .iter()
            .chain(&self.flows.lines)
            .map(|l| {
                LegendItem::new(
                    labour_label(l.series, theme),
                    Mark::Line(series_colour(l.series)),
                )
            })
            .collect();
        legend.push(LegendItem::new(
            s.middle_half,
            Mark::Fill(palette::SAMPLE, BAND_OPACITY * 1.6),
        ));
        let area = draw_frame(
            root,
            theme,
            &Frame {
                title: &self.title,
                subtitle: &self.subtitle,
                legend: &legend,
            },
        )?;
        let (_, height) = area.dim_in_pixel();
        // The upper panel has no tick labels under it, so it needs less height
        // for the same plot height.
        let (upper, lower) = area.split_vertically(height as i32 * 47 / 100);
        let lower = lower.margin(theme.px(14.0), 0, 0, 0);
        let label_width = y_label_width(&area, theme, &self.stocks.y).max(y_label_width(
            &area,
            theme,
            &self.flows.y,
        ));
        self.draw_panel(&upper, theme, &self.stocks, label_width, false)?;
        self.draw_panel(&lower, theme, &self.flows, label_width, true)
    }
}

impl Draw for HittingData {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Drawn<DB> {
        let s = theme.lang.strings();
        let colour = palette::HEADCOUNT;
        let legend = [
            LegendItem::new(s.reached_target, Mark::Line(colour)),
            LegendItem::new(s.target_month_legend, Mark::Dashed(palette::REFERENCE)),
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
                x_title: None,
                x_labels: true,
                panel: false,
                y_label_width: None,
            },
        )?;
        let floor = vec![0.0; self.months.len()];
        band(
            &mut chart,
            &self.months,
            &floor,
            &self.percent,
            colour,
            0.12,
        )?;
        line(
            &mut chart,
            &self.months,
            &self.percent,
            theme.line(colour, theme.main_line()),
        )?;
        let month = self.at_target.0;
        dashed(
            &mut chart,
            theme,
            vec![(month, self.y.lo), (month, self.y.hi)],
            palette::REFERENCE,
        )?;
        draw_marker(
            chart.plotting_area(),
            theme,
            self.at_target,
            Marker::Dot,
            colour,
        )?;
        // The curve only rises, so above-left of the point is usually free, and
        // below-right (under the curve) when the point is near the top.
        let obstacles = [
            Obstacle::line(&self.months, &self.percent),
            Obstacle::vertical(month, self.y.lo, self.y.hi),
        ];
        let candidates = [
            Side::AboveLeft,
            Side::BelowRight,
            Side::AboveRight,
            Side::BelowLeft,
        ]
        .map(|side| (self.at_target, side));
        place_label(
            &chart,
            theme,
            &self.at_target_label,
            &candidates,
            &obstacles,
        )
    }
}

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
