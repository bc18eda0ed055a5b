//! The comparison fan (`compare_fan`): every option's median headcount and
//! 80% band, with the target.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Draw;
use super::axis::{AxesSpec, Axis, draw_axes, jobs_axis, month_axis};
use super::labels::Obstacle;
use super::names::{MAX_NAME_CHARS, option_name, short_name};
use super::style::{
    Drawn, Frame, LegendItem, Mark, Theme, band, draw_frame, draw_target, line, option_colour,
    palette,
};
use crate::compare::{Comparison, OptionResult};
use crate::model::Series;
use crate::scenario::Scenario;
use crate::text::Lang;

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
        CompareFanData {
            title: lang.compare_fan_title(),
            subtitle: lang.compare_fan_subtitle(
                &base.meta.name,
                c.settings.paths,
                !c.settings.independent_streams,
            ),
            x: month_axis(base.meta.start, 0.0, f64::from(horizon), lang),
            y: jobs_axis(top, lang),
            months: (0..=horizon).map(f64::from).collect(),
            options,
            target,
            target_label: lang.target_label(base.target.headcount, &date),
        }
    }
}

/// Opacity of each option's 80% band on the comparison fan: low, as the bands
/// overlap.
const OPTION_BAND_OPACITY: f64 = 0.07;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::fixtures::small_comparison;

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
}
