//! The comparison fan (`compare_fan`): every option's median headcount and
//! 80% band, with the target. Up to [`MAX_OVERLAID`] options share one plot;
//! with more, their bands would blur into one, so each option gets a panel of
//! its own beside the base case (small multiples on one scale).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Draw;
use super::axis::{AxesSpec, Axis, Tick, draw_axes, jobs_axis, month_axis};
use super::labels::Obstacle;
use super::names::{MAX_NAME_CHARS, option_name, short_name};
use super::style::{
    Frame, LegendItem, Mark, Marker, band, dashed, draw_frame, draw_marker, draw_target, line,
};
use super::theme::{Drawn, Theme, option_colour, palette};
use crate::analysis::compare::{Comparison, OptionResult};
use crate::core::model::Series;
use crate::core::scenario::Scenario;
use crate::present::text::Lang;

/// One option's median and 80% band of total headcount.
#[derive(Clone, Debug, PartialEq)]
pub struct OptionBand {
    /// Place in the comparison's input order (0 = base case): its colour.
    pub slot: usize,
    /// The option's name.
    pub name: String,
    /// Median headcount at each month.
    pub median: Vec<f64>,
    /// 10th percentile at each month.
    pub lo: Vec<f64>,
    /// 90th percentile at each month.
    pub hi: Vec<f64>,
}

/// The comparison fan: every option's median headcount and 80% band.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareFanData {
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
    /// The options, highest median in the target month first: the order of
    /// the legend, which then reads like the lines at the target month.
    pub options: Vec<OptionBand>,
    /// The target as (model month, jobs).
    pub target: (f64, f64),
    /// The label beside the target line.
    pub target_label: String,
    /// Small multiples: (columns, rows) of one panel per option other than
    /// the base, each beside the base case; `None` for one plot.
    pub panels: Option<(usize, usize)>,
    /// The time axis of a panel: fewer ticks, as panels are narrow.
    pub panel_x: Axis,
    /// The jobs axis of a panel: the same scale, fewer ticks.
    pub panel_y: Axis,
}

/// The most options (the base case included) drawn together on one plot.
pub const MAX_OVERLAID: usize = 3;

/// The grid of `n` panels: (columns, rows), at most three columns, as few
/// rows as fit.
pub fn panel_grid(n: usize) -> (usize, usize) {
    let columns = n.clamp(1, 3);
    (columns, n.div_ceil(columns))
}

/// `axis` with at most `most` of its ticks, evenly chosen, the first kept.
fn thinned(axis: &Axis, most: usize) -> Axis {
    let every = axis.ticks.len().div_ceil(most.max(1)).max(1);
    Axis {
        lo: axis.lo,
        hi: axis.hi,
        ticks: axis
            .ticks
            .iter()
            .step_by(every)
            .cloned()
            .collect::<Vec<Tick>>(),
    }
}

impl CompareFanData {
    /// Gathers the comparison fan.
    pub fn new(base: &Scenario, c: &Comparison, lang: Lang) -> CompareFanData {
        let horizon = base.meta.horizon_months;
        let month = base.target.month;
        let line = |o: &OptionResult, p: u32| -> Vec<f64> {
            (0..=horizon)
                .map(|m| f64::from(o.summary.quantile(Series::Headcount, m, p)))
                .collect()
        };
        let mut options: Vec<OptionBand> = c
            .options
            .iter()
            .enumerate()
            .map(|(slot, o)| OptionBand {
                slot,
                name: short_name(&option_name(o, slot, lang), MAX_NAME_CHARS),
                median: line(o, 50),
                lo: line(o, 10),
                hi: line(o, 90),
            })
            .collect();
        let at = month as usize;
        options.sort_by(|a, b| {
            b.median[at]
                .total_cmp(&a.median[at])
                .then(a.slot.cmp(&b.slot))
        });
        let target = (f64::from(month), f64::from(base.target.headcount));
        let top = options
            .iter()
            .flat_map(|o| o.hi.iter().copied())
            .fold(target.1 * 1.1, f64::max);
        let date = lang.month(base.date(month));
        let x = month_axis(base.meta.start, 0.0, f64::from(horizon), lang);
        let y = jobs_axis(top, lang);
        CompareFanData {
            title: lang.compare_fan_title(),
            subtitle: lang.compare_fan_subtitle(
                &base.meta.name,
                c.settings.paths,
                !c.settings.independent_streams,
            ),
            panels: (c.options.len() > MAX_OVERLAID).then(|| panel_grid(c.options.len() - 1)),
            panel_x: thinned(&x, 3),
            panel_y: thinned(&y, 4),
            x,
            y,
            months: (0..=horizon).map(f64::from).collect(),
            options,
            target,
            target_label: lang.target_label(base.target.headcount, &date),
        }
    }
}

/// Opacity of an option's 80% band in its own panel: stronger than on the
/// shared plot, as only the base's lies under it.
const PANEL_BAND_OPACITY: f64 = 0.2;

impl CompareFanData {
    /// Draws one panel per option other than the base, each over the base
    /// case in grey, all on the same scales, in the legend's order.
    fn draw_panels<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        theme: &Theme,
        (columns, rows): (usize, usize),
    ) -> Drawn<DB> {
        let Some(base) = self.options.iter().find(|o| o.slot == 0) else {
            return Ok(());
        };
        let cells = area.split_evenly((rows, columns));
        let gap = theme.px(12.0);
        let title_font = theme.bold(super::theme::size::PANEL_TITLE, palette::TEXT);
        for (option, cell) in self.options.iter().filter(|o| o.slot != 0).zip(&cells) {
            let cell = cell.margin(gap / 2, gap / 2, gap / 2, gap);
            // The name cut to the panel's width.
            let width = f64::from(cell.dim_in_pixel().0) * 0.95;
            let mut most = option.name.chars().count();
            let mut title = option.name.clone();
            while most > 8
                && cell
                    .estimate_text_size(&title, &title_font)
                    .is_ok_and(|(w, _)| f64::from(w) > width)
            {
                most -= 1;
                title = super::names::short_name(&option.name, most);
            }
            let mut chart = draw_axes(
                &cell,
                theme,
                &AxesSpec {
                    x: &self.panel_x,
                    y: &self.panel_y,
                    y_title: &title,
                    x_title: None,
                    x_labels: true,
                    panel: true,
                    y_label_width: None,
                },
            )?;
            let grey = option_colour(0);
            band(&mut chart, &self.months, &base.lo, &base.hi, grey, 0.12)?;
            line(
                &mut chart,
                &self.months,
                &base.median,
                theme.line(grey, theme.main_line() * 0.6),
            )?;
            let colour = option_colour(option.slot);
            band(
                &mut chart,
                &self.months,
                &option.lo,
                &option.hi,
                colour,
                PANEL_BAND_OPACITY,
            )?;
            line(
                &mut chart,
                &self.months,
                &option.median,
                theme.line(colour, theme.main_line() * 0.75),
            )?;
            dashed(
                &mut chart,
                theme,
                vec![(self.x.lo, self.target.1), (self.x.hi, self.target.1)],
                palette::REFERENCE,
            )?;
            draw_marker(
                chart.plotting_area(),
                theme,
                self.target,
                Marker::Diamond,
                palette::REFERENCE,
            )?;
        }
        Ok(())
    }
}

/// Opacity of each option's 80% band on the comparison fan: low, as the bands
/// overlap.
const OPTION_BAND_OPACITY: f64 = 0.07;

impl Draw for CompareFanData {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Drawn<DB> {
        let s = theme.lang.strings();
        if let Some(grid) = self.panels {
            // Each panel names its option: the legend says what the marks are.
            let base = self.options.iter().find(|o| o.slot == 0);
            let legend: Vec<LegendItem> = base
                .map(|b| LegendItem::new(b.name.clone(), Mark::Line(option_colour(0))))
                .into_iter()
                .chain([
                    LegendItem::new(theme.lang.option_median(), Mark::Line(palette::HEADCOUNT)),
                    LegendItem::new(s.band_80, Mark::Band(palette::BASE)),
                    LegendItem::new(self.target_label.clone(), Mark::Target),
                ])
                .collect();
            let area = draw_frame(
                root,
                theme,
                &Frame::new(&self.title, &self.subtitle, &legend),
            )?;
            return self.draw_panels(&area, theme, grid);
        }
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
            &Frame::new(&self.title, &self.subtitle, &legend),
        )?;
        let mut chart = draw_axes(&area, theme, &AxesSpec::plain(&self.x, &self.y, s.jobs))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::chart::fixtures::small_comparison;

    #[test]
    fn the_comparison_fan_orders_options_as_their_lines_end() {
        let (base, c) = small_comparison(None);
        let fan = CompareFanData::new(&base, &c, Lang::En);
        assert_eq!(fan.options.len(), c.options.len());
        let at = base.target.month as usize;
        assert!(
            fan.options
                .windows(2)
                .all(|w| w[0].median[at] >= w[1].median[at])
        );
        assert!(
            fan.options
                .iter()
                .any(|o| o.slot == 0 && o.name == "Base case")
        );
        for o in &fan.options {
            for ((lo, median), hi) in o.lo.iter().zip(&o.median).zip(&o.hi) {
                assert!(lo <= median && median <= hi && *hi <= fan.y.hi);
            }
        }
        assert_eq!(fan.target, (24.0, 5000.0));
        assert!(fan.y.hi >= 5500.0, "room above the target for its label");
        assert!(fan.x.ticks.iter().any(|t| t.label == "Jul 2022"));
        let fr = CompareFanData::new(&base, &c, Lang::Fr);
        assert!(
            fr.options
                .iter()
                .any(|o| o.slot == 0 && o.name == "Scénario de base")
        );
    }

    #[test]
    fn more_than_three_options_get_a_panel_each() {
        // Six options: five panels beside the base, three columns, two rows.
        let (base, mut c) = small_comparison(None);
        assert_eq!(c.options.len(), 6);
        let fan = CompareFanData::new(&base, &c, Lang::En);
        assert_eq!(fan.panels, Some((3, 2)));
        assert!(fan.panel_x.ticks.len() <= 3 && !fan.panel_x.ticks.is_empty());
        assert!(fan.panel_x.ticks.iter().all(|t| fan.x.ticks.contains(t)));
        assert!(fan.panel_y.ticks.len() <= 4);
        assert_eq!((fan.panel_y.lo, fan.panel_y.hi), (fan.y.lo, fan.y.hi));
        // Three options stay on one plot.
        c.options.truncate(3);
        assert_eq!(CompareFanData::new(&base, &c, Lang::En).panels, None);
        assert_eq!(panel_grid(2), (2, 1));
        assert_eq!(panel_grid(4), (3, 2));
        assert_eq!(panel_grid(7), (3, 3));
    }
}
