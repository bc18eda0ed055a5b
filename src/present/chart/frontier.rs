//! The plan's frontier chart (`frontier`): every package raced, jobs added
//! against cost per year, with the efficient frontier confirmed on every path
//! and the packages the answer names labelled.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Draw;
use super::axis::{AxesSpec, Axis, draw_axes, value_axis};
use super::labels::{Obstacle, PointLabel, draw_point_labels};
use super::names::{LABEL_LINE_CHARS, short_name};
use super::style::{
    Frame, LegendItem, Mark, Marker, draw_frame, draw_marker, vertical_grid, whisker,
};
use super::theme::{Drawn, Theme, palette};
use crate::analysis::plan::Plan;
use crate::core::scenario::Scenario;
use crate::input::lever::Levers;
use crate::present::text::Lang;
use crate::present::text::plan::package_levels;

/// A labelled package on the frontier chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Named {
    /// Jobs added and cost per year (MAD millions).
    pub at: (f64, f64),
    /// The label's lines: its role, then the package's name.
    pub lines: Vec<String>,
}

/// The frontier chart's data.
#[derive(Clone, Debug, PartialEq)]
pub struct FrontierData {
    /// Chart title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// Jobs added.
    pub x: Axis,
    /// Cost per year, MAD millions.
    pub y: Axis,
    /// Title under the horizontal axis.
    pub x_title: String,
    /// Title over the vertical axis.
    pub y_title: String,
    /// Every package raced: (jobs added, cost per year), grey.
    pub raced: Vec<(f64, f64)>,
    /// The frontier, cheapest first, with the paired 95% interval of the jobs
    /// added: (jobs, low, high, cost).
    pub frontier: Vec<(f64, f64, f64, f64)>,
    /// The budget line, MAD millions a year.
    pub budget: Option<f64>,
    /// The packages the answer names.
    pub named: Vec<Named>,
}

impl FrontierData {
    /// Gathers the frontier chart of `plan`.
    pub fn new(scenario: &Scenario, levers: &Levers, plan: &Plan, lang: Lang) -> FrontierData {
        let date = lang.month(scenario.date(scenario.target.month));
        let raced: Vec<(f64, f64)> = plan
            .packages
            .iter()
            .map(|r| (r.jobs_added, r.cost_per_year / 1e6))
            .collect();
        let frontier: Vec<(f64, f64, f64, f64)> = plan
            .confirmed
            .iter()
            .filter(|c| c.on_jobs_frontier)
            .map(|c| {
                let r = &plan.packages[c.package];
                (
                    r.jobs_added,
                    c.jobs_added_ci95.0,
                    c.jobs_added_ci95.1,
                    r.cost_per_year / 1e6,
                )
            })
            .collect();
        let mut named = Vec::new();
        let mut name = |slot: usize, role: String| {
            let c = &plan.confirmed[slot];
            let r = &plan.packages[c.package];
            let at = (r.jobs_added, r.cost_per_year / 1e6);
            if let Some(existing) = named.iter_mut().find(|n: &&mut Named| n.at == at) {
                existing.lines[0] = format!("{} · {role}", existing.lines[0]);
                return;
            }
            let mut lines = vec![role];
            lines.extend(
                package_levels(levers, &r.levels, lang)
                    .split(" + ")
                    .map(|level| short_name(level, LABEL_LINE_CHARS * 2)),
            );
            named.push(Named { at, lines });
        };
        let (budget_role, reaching_role, likely_role) = match lang {
            Lang::En => (
                "Best within the budget",
                "Cheapest reaching the target",
                "Most likely to reach it",
            ),
            Lang::Fr => (
                "Meilleur dans le budget",
                "Le moins cher qui atteint l’objectif",
                "Le plus probable",
            ),
        };
        if let Some(slot) = plan.best_within_budget {
            name(slot, budget_role.to_string());
        }
        match plan.cheapest_reaching {
            Some(slot) => name(slot, reaching_role.to_string()),
            None => name(plan.most_likely, likely_role.to_string()),
        }
        let x_hi = raced
            .iter()
            .map(|p| p.0)
            .chain(frontier.iter().map(|f| f.2))
            .fold(0.0, f64::max);
        let x_lo = raced
            .iter()
            .map(|p| p.0)
            .chain(frontier.iter().map(|f| f.1))
            .fold(0.0, f64::min);
        let y_hi = raced
            .iter()
            .map(|p| p.1)
            .chain(plan.settings.budget_per_year.map(|b| b / 1e6))
            .fold(0.0, f64::max);
        let x = value_axis(
            x_lo,
            if x_hi > 0.0 { x_hi * 1.05 } else { 100.0 },
            1.0,
            |v| lang.thousands(v.round().max(0.0) as u64),
        );
        let y = value_axis(0.0, if y_hi > 0.0 { y_hi * 1.1 } else { 1.0 }, 0.1, |v| {
            lang.number(v)
        });
        let (title, subtitle, x_title, y_title) = match lang {
            Lang::En => (
                "What each package of measures buys".to_string(),
                format!(
                    "{} packages (grey), the efficient frontier confirmed on {} paths (line, with 95% intervals)",
                    lang.thousands(plan.packages.len() as u64),
                    lang.thousands(plan.settings.paths)
                ),
                format!("Jobs added in {date}, against the base on the same paths"),
                "Cost per year, MAD millions".to_string(),
            ),
            Lang::Fr => (
                "Ce que chaque paquet de mesures apporte".to_string(),
                format!(
                    "{} paquets (gris), la frontière efficace confirmée sur {} trajectoires (ligne, avec \
                     intervalles à 95\u{a0}%)",
                    lang.thousands(plan.packages.len() as u64),
                    lang.thousands(plan.settings.paths)
                ),
                format!(
                    "Emplois ajoutés en {date}, par rapport à la base sur les mêmes trajectoires"
                ),
                "Coût par an, millions de MAD".to_string(),
            ),
        };
        FrontierData {
            title,
            subtitle,
            x,
            y,
            x_title,
            y_title,
            raced,
            frontier,
            budget: plan.settings.budget_per_year.map(|b| b / 1e6),
            named,
        }
    }
}

impl Draw for FrontierData {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Drawn<DB> {
        let lang = theme.lang;
        let (raced, frontier, budget) = match lang {
            Lang::En => ("Package raced", "Efficient frontier", "Budget"),
            Lang::Fr => ("Paquet évalué", "Frontière efficace", "Budget"),
        };
        let mut legend = vec![
            LegendItem::new(raced, Mark::Dot(palette::SAMPLE)),
            LegendItem::new(frontier, Mark::Interval(palette::HEADCOUNT)),
        ];
        if self.budget.is_some() {
            legend.push(LegendItem::new(budget, Mark::Dashed(palette::HIGHLIGHT)));
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
        let small = theme.px(3.0);
        chart.draw_series(
            self.raced
                .iter()
                .map(|&p| Circle::new(p, small, palette::SAMPLE.mix(0.55).filled())),
        )?;
        if let Some(b) = self.budget {
            chart.draw_series(DashedLineSeries::new(
                vec![(self.x.lo, b), (self.x.hi, b)],
                theme.px(10.0),
                theme.px(8.0),
                theme.line(palette::HIGHLIGHT, 2.0),
            ))?;
        }
        chart.draw_series(LineSeries::new(
            self.frontier.iter().map(|f| (f.0, f.3)),
            theme.line(palette::HEADCOUNT, 3.0),
        ))?;
        for &(jobs, low, high, cost) in &self.frontier {
            whisker(&mut chart, theme, (low, high), cost, palette::HEADCOUNT)?;
            draw_marker(
                chart.plotting_area(),
                theme,
                (jobs, cost),
                Marker::Dot,
                palette::HEADCOUNT,
            )?;
        }
        for n in &self.named {
            draw_marker(
                chart.plotting_area(),
                theme,
                n.at,
                Marker::Diamond,
                palette::HIGHLIGHT,
            )?;
        }
        let labels: Vec<PointLabel> = self
            .named
            .iter()
            .map(|n| PointLabel {
                at: n.at,
                alternatives: Vec::new(),
                lines: n.lines.clone(),
                bold: true,
                colour: Some(palette::HIGHLIGHT),
            })
            .collect();
        let markers: Vec<(f64, f64)> = self.frontier.iter().map(|f| (f.0, f.3)).collect();
        let xs: Vec<f64> = self.frontier.iter().map(|f| f.0).collect();
        let ys: Vec<f64> = self.frontier.iter().map(|f| f.3).collect();
        let obstacles = vec![Obstacle::line(&xs, &ys)];
        draw_point_labels(&chart, theme, &labels, &markers, &obstacles)
    }
}
