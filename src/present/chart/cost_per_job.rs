//! The cost-per-job chart (`cost_per_job`): jobs added against cost, one
//! point per option, with lines of constant cost per job.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Draw;
use super::axis::{AxesSpec, Axis, draw_axes, value_axis, value_axis_within};
use super::labels::{Obstacle, PointLabel, draw_point_labels};
use super::names::{LABEL_LINE_CHARS, option_name, wrap_name};
use super::style::{
    Frame, LegendItem, Mark, Marker, draw_frame, draw_marker, shows_beside_marker, vertical_grid,
    whisker,
};
use super::theme::{Drawn, Theme, option_colour, palette};
use crate::analysis::compare::Comparison;
use crate::core::scenario::Scenario;
use crate::present::text::Lang;

/// One option on the cost-per-job chart.
#[derive(Clone, Debug, PartialEq)]
pub struct CostPoint {
    /// Place in the comparison's input order.
    pub slot: usize,
    /// Mean jobs added in the target month.
    pub jobs: f64,
    /// Its paired 95% interval.
    pub jobs_low: f64,
    /// Upper end.
    pub jobs_high: f64,
    /// Cost to the target month, in MAD millions.
    pub cost: f64,
    /// The option's name, on one or two lines: the label's first lines.
    pub name: Vec<String>,
    /// Its cost per additional job: the label's last line.
    pub detail: String,
    /// Whether the gain's 95% interval lies above zero; when not, the cost
    /// per job is unreliable and the point is drawn hollow.
    pub significant: bool,
}

/// A line of constant cost per additional job, from the origin to the edge of
/// the plot.
#[derive(Clone, Debug, PartialEq)]
pub struct Ray {
    /// The cost per job, in MAD.
    pub per_job: f64,
    /// Where the line leaves the plot, in data units.
    pub end: (f64, f64),
    /// Its label.
    pub label: String,
}

/// The cost-per-job chart: jobs added against cost, one point per option,
/// with lines of constant cost per job. Options that add no jobs, or whose
/// cost is not given, have no cost per job and are named in the subtitle
/// instead.
#[derive(Clone, Debug, PartialEq)]
pub struct CostPerJobData {
    /// Chart title.
    pub title: String,
    /// Subtitle, naming the options left out.
    pub subtitle: String,
    /// Jobs added.
    pub x: Axis,
    /// Cost in MAD millions.
    pub y: Axis,
    /// Title under the horizontal axis.
    pub x_title: String,
    /// Title over the vertical axis.
    pub y_title: String,
    /// The options that add jobs, in input order.
    pub points: Vec<CostPoint>,
    /// Lines of constant cost per job.
    pub rays: Vec<Ray>,
    /// Names of the options (other than the base) that add no jobs.
    pub left_out: Vec<String>,
    /// Names of the options that add jobs but have no cost given.
    pub no_cost: Vec<String>,
}

/// Round costs per job (1, 2 or 5 times a power of ten) around the range of
/// `values`: from half the cheapest to twice the dearest, the three nearest
/// the middle of that range (on a log scale) at most.
pub fn round_costs(values: &[f64]) -> Vec<f64> {
    let positive: Vec<f64> = values.iter().copied().filter(|v| *v > 0.0).collect();
    if positive.is_empty() {
        return Vec::new();
    }
    let lo = positive.iter().copied().fold(f64::INFINITY, f64::min) / 2.0;
    let hi = positive.iter().copied().fold(0.0, f64::max) * 2.0;
    let mut candidates: Vec<f64> = Vec::new();
    let mut magnitude = 10f64.powf(lo.log10().floor());
    while magnitude <= hi {
        for m in [1.0, 2.0, 5.0] {
            let v = m * magnitude;
            if v >= lo && v <= hi {
                candidates.push(v);
            }
        }
        magnitude *= 10.0;
    }
    let middle = (lo.ln() + hi.ln()) / 2.0;
    while candidates.len() > 3 {
        let (first, last) = (candidates[0], candidates[candidates.len() - 1]);
        if (first.ln() - middle).abs() > (last.ln() - middle).abs() {
            candidates.remove(0);
        } else {
            candidates.pop();
        }
    }
    candidates
}

impl CostPerJobData {
    /// Gathers the cost-per-job chart; `None` when no option both adds jobs
    /// and has a cost given: the chart would be empty (the report says why).
    pub fn new(base: &Scenario, c: &Comparison, lang: Lang) -> Option<CostPerJobData> {
        let date = lang.month(base.date(base.target.month));
        let mut points = Vec::new();
        let mut left_out = Vec::new();
        let mut no_cost = Vec::new();
        for (slot, o) in c.options.iter().enumerate().skip(1) {
            let name = option_name(o, slot, lang);
            let d = o.headcount_diff;
            if d.mean <= 0.0 {
                left_out.push(name);
            } else if !c.cost_given(slot) {
                no_cost.push(name);
            } else {
                points.push(CostPoint {
                    slot,
                    jobs: d.mean,
                    jobs_low: d.ci95_low,
                    jobs_high: d.ci95_high,
                    cost: o.cost_to_target / 1e6,
                    name: wrap_name(&name, LABEL_LINE_CHARS),
                    detail: lang.per_job(o.cost_to_target / d.mean),
                    significant: d.is_gain(),
                });
            }
        }
        if points.is_empty() {
            return None;
        }
        let x_top = points.iter().map(|p| p.jobs_high).fold(0.0, f64::max);
        let y_top = points.iter().map(|p| p.cost).fold(0.0, f64::max);
        let x_lo = points.iter().map(|p| p.jobs_low).fold(0.0, f64::min);
        let x = value_axis_within(
            x_lo,
            if x_top > 0.0 { x_top * 1.08 } else { 100.0 },
            1.0,
            |v| lang.thousands(v.round().max(0.0) as u64),
        );
        // Headroom above the dearest option for its label.
        let y = value_axis(0.0, if y_top > 0.0 { y_top * 1.2 } else { 1.0 }, 0.1, |v| {
            lang.number(v)
        });
        let per_job: Vec<f64> = points
            .iter()
            .filter(|p| p.jobs > 0.0)
            .map(|p| p.cost * 1e6 / p.jobs)
            .collect();
        let rays = round_costs(&per_job)
            .into_iter()
            .map(|v| {
                let slope = v / 1e6;
                let x_end = x.hi.min(y.hi / slope);
                Ray {
                    per_job: v,
                    end: (x_end, x_end * slope),
                    label: lang.per_job_short(v),
                }
            })
            .collect();
        Some(CostPerJobData {
            title: lang.cost_title(),
            subtitle: lang.cost_subtitle(&date, &left_out, &no_cost),
            x,
            y,
            x_title: lang.cost_x_title(&date),
            y_title: lang.cost_y_title(&date),
            points,
            rays,
            left_out,
            no_cost,
        })
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
        let pixel = |p: &CostPoint| {
            let (x, y) = chart.backend_coord(&(p.jobs, p.cost));
            (f64::from(x), f64::from(y))
        };
        let reach = f64::from(theme.px(300.0));
        let crowd = |p: &CostPoint| {
            let (x, y) = pixel(p);
            self.points
                .iter()
                .filter(|q| {
                    let (a, b) = pixel(q);
                    (a - x).hypot(b - y) < reach
                })
                .count()
        };
        let mut by_crowd: Vec<&CostPoint> = self.points.iter().collect();
        by_crowd.sort_by_key(|p| (std::cmp::Reverse(crowd(p)), p.slot));
        let mut labels: Vec<PointLabel> = by_crowd
            .into_iter()
            .map(|p| PointLabel {
                at: (p.jobs, p.cost),
                alternatives: Vec::new(),
                lines: p.name.iter().chain([&p.detail]).cloned().collect(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::policy::Costs;
    use crate::present::chart::fixtures::small_comparison;

    #[test]
    fn costs_per_job_leave_out_options_without_gain() {
        let (base, mut c) = small_comparison(None);
        let cost = CostPerJobData::new(&base, &c, Lang::En).unwrap();
        assert!(
            cost.points.iter().all(|p| p.slot != 0),
            "the base is the origin"
        );
        for p in &cost.points {
            let o = &c.options[p.slot];
            assert!((p.cost - o.cost_to_target / 1e6).abs() < 1e-9);
            assert!(p.detail.ends_with("MAD per job"), "{}", p.detail);
            assert!(p.jobs > 0.0 && cost.x.lo <= p.jobs_low && p.jobs_high <= cost.x.hi);
            assert!(p.cost <= cost.y.hi);
        }
        assert!(!cost.rays.is_empty() && cost.rays.len() <= 3);
        for ray in &cost.rays {
            assert!(ray.end.0 <= cost.x.hi + 1e-9 && ray.end.1 <= cost.y.hi + 1e-9);
            assert!((ray.end.1 * 1e6 / ray.end.0 - ray.per_job).abs() < 1e-6 * ray.per_job);
            assert!(ray.label.ends_with("MAD/job"), "{}", ray.label);
        }
        assert!(cost.left_out.is_empty());

        // An option that adds no jobs is named, not drawn.
        c.options[2].headcount_diff.mean = -3.0;
        let cost = CostPerJobData::new(&base, &c, Lang::En).unwrap();
        assert_eq!(cost.left_out, [c.options[2].name.clone()]);
        assert!(cost.points.iter().all(|p| p.slot != 2));
        assert!(
            cost.subtitle.contains("add no jobs: Transport support"),
            "{}",
            cost.subtitle
        );

        // An option without a cost is named too: at zero cost it would sit
        // on the axis as the cheapest.
        c.options[3].costs = Costs::default();
        let cost = CostPerJobData::new(&base, &c, Lang::En).unwrap();
        assert_eq!(cost.no_cost, [c.options[3].name.clone()]);
        assert!(cost.points.iter().all(|p| p.slot != 3 && p.cost > 0.0));
        assert!(
            cost.subtitle
                .contains("cost is not given: Investor incentives"),
            "{}",
            cost.subtitle
        );

        // No option with both a gain and a cost: no chart.
        for o in &mut c.options {
            o.costs = Costs::default();
        }
        assert_eq!(CostPerJobData::new(&base, &c, Lang::En), None);
    }

    #[test]
    fn long_names_wrap_instead_of_being_cut() {
        let (base, mut c) = small_comparison(None);
        let long = "Investor incentives of the regional council and AMDIE";
        c.options[3].name = long.to_string();
        let cost = CostPerJobData::new(&base, &c, Lang::En).unwrap();
        let point = cost.points.iter().find(|p| p.slot == 3).unwrap();
        assert_eq!(point.name.join(" "), long);
        assert!(point.name.len() == 2);
        assert!(
            point
                .name
                .iter()
                .all(|l| l.chars().count() <= LABEL_LINE_CHARS)
        );
    }

    #[test]
    fn cost_lines_are_round_and_near_the_data() {
        assert_eq!(
            round_costs(&[168_000.0, 428_000.0]),
            [100_000.0, 200_000.0, 500_000.0]
        );
        assert_eq!(round_costs(&[2_000.0]), [1_000.0, 2_000.0]);
        assert!(round_costs(&[]).is_empty());
        assert!(round_costs(&[0.0]).is_empty());
    }
}
