//! The composition chart (`composition`): mean headcount by firm group,
//! stacked, with the mean total seats and the target.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Draw;
use super::axis::{AxesSpec, Axis, draw_axes, jobs_axis, month_axis};
use super::labels::Obstacle;
use super::lines::{max_of, mean_line, months};
use super::style::{Frame, LegendItem, Mark, band, draw_frame, draw_target, line};
use super::theme::{Drawn, Theme, group_colour, palette};
use crate::core::model::Series;
use crate::core::scenario::{Group, Scenario};
use crate::core::stats::Summary;
use crate::present::text::Lang;

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
            &Frame::new(&self.title, &self.subtitle, &legend),
        )?;
        let mut chart = draw_axes(&area, theme, &AxesSpec::plain(&self.x, &self.y, s.jobs))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::chart::fixtures::small_run;

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
}
