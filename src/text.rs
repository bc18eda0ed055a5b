//! Every string shorecast shows a reader, in English and French, and the number
//! and date formats that go with each language.
//!
//! Fixed words live in one [`Strings`] table per language ([`Lang::strings`]);
//! sentences that embed figures are methods of [`Lang`], so a translator finds
//! every sentence of the charts and the report in this file.

use crate::calendar::YearMonth;
use crate::report::{Binding, BindingKind};

/// The language of charts, reports and summaries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// French.
    Fr,
}

/// The fixed words of charts and reports in one language.
#[derive(Debug)]
pub struct Strings {
    /// The language code of HTML documents.
    pub html_lang: &'static str,
    /// Separator between a label and its value: ": " in English, " : " in French.
    pub colon: &'static str,
    /// The fan chart's title, before the scenario name.
    pub fan_title: &'static str,
    /// The composition chart's title.
    pub composition_title: &'static str,
    /// The labour chart's title.
    pub labour_title: &'static str,
    /// The hitting-time chart's title.
    pub hitting_title: &'static str,
    /// Heading of the labour chart's upper panel.
    pub stocks_panel: &'static str,
    /// Heading of the labour chart's lower panel.
    pub flows_panel: &'static str,
    /// Unit of a jobs axis.
    pub jobs: &'static str,
    /// Unit of a share-of-paths axis.
    pub share_of_paths: &'static str,
    /// Legend: the median line.
    pub median: &'static str,
    /// Legend: individual simulated trajectories.
    pub sample_paths: &'static str,
    /// Legend: observed headcounts.
    pub observed: &'static str,
    /// Legend: the target.
    pub target: &'static str,
    /// Legend: firms operating at the start.
    pub existing: &'static str,
    /// Legend: announced projects.
    pub announced: &'static str,
    /// Legend: firms that arrive unannounced.
    pub new_firms: &'static str,
    /// Legend: total seats.
    pub seats: &'static str,
    /// Legend: the qualified pool.
    pub pool: &'static str,
    /// Legend: vacancies.
    pub vacancies: &'static str,
    /// Legend: hires.
    pub hires: &'static str,
    /// Legend: leavers.
    pub leavers: &'static str,
    /// Legend: the share of paths that have reached the target.
    pub reached_target: &'static str,
    /// Legend: the vertical line at the target month.
    pub target_month_legend: &'static str,
    /// Legend: bars of the outcome histogram below the target.
    pub below_target: &'static str,
    /// Legend: bars of the outcome histogram at or above the target.
    pub at_or_above_target: &'static str,
    /// Legend: the 50% band of a median line.
    pub middle_half: &'static str,
    /// Report: heading of the headline figures.
    pub headline: &'static str,
    /// Report: heading of the binding constraint.
    pub what_binds: &'static str,
    /// Report: heading of the charts.
    pub charts: &'static str,
    /// Report: heading of the table of quantiles.
    pub key_figures: &'static str,
    /// Report: heading of the reproducibility footer.
    pub reproducibility: &'static str,
    /// Report: what the report is.
    pub report_kind: &'static str,
    /// Report: the target card's heading.
    pub chance_of_target: &'static str,
    /// Report: the labour card's heading.
    pub held_back_by_labour: &'static str,
    /// Report: under the labour card's figure.
    pub of_months_with_openings: &'static str,
    /// Report: the median month card when fewer than half reach the target.
    pub not_reached_by_half: &'static str,
    /// Report: note when the run was made without charts.
    pub charts_skipped: &'static str,
    /// Report: first column of the quantile table.
    pub figure: &'static str,
    /// Report: quantile table rows.
    pub headcount_p05: &'static str,
    /// Report: quantile table rows.
    pub headcount_p25: &'static str,
    /// Report: quantile table rows.
    pub headcount_p50: &'static str,
    /// Report: quantile table rows.
    pub headcount_p75: &'static str,
    /// Report: quantile table rows.
    pub headcount_p95: &'static str,
    /// Report: quantile table rows.
    pub headcount_mean: &'static str,
    /// Report: quantile table rows.
    pub pool_median: &'static str,
    /// Report: quantile table rows.
    pub hires_median: &'static str,
    /// Report: quantile table rows.
    pub vacancies_median: &'static str,
    /// Report: marks the target month in the table header.
    pub target_month: &'static str,
    /// Report: footer labels.
    pub version: &'static str,
    /// Report: footer labels.
    pub seed: &'static str,
    /// Report: footer labels.
    pub paths: &'static str,
    /// Report: footer labels.
    pub scenario_sha256: &'static str,
    /// Report: footer labels.
    pub command_line: &'static str,
    /// Report: footer note on reproducing the run.
    pub reproduce_note: &'static str,
    /// Report: captions under the charts, by chart name.
    pub captions: [(&'static str, &'static str); 5],
}

const EN: Strings = Strings {
    html_lang: "en",
    colon: ": ",
    fan_title: "Offshoring jobs forecast",
    composition_title: "Where the jobs come from: mean headcount by firm group",
    labour_title: "Labour: qualified candidates, open seats and hiring",
    hitting_title: "When is the target reached?",
    stocks_panel: "Stocks at the end of each month (people or seats)",
    flows_panel: "Flows during each month (people)",
    jobs: "Jobs",
    share_of_paths: "Share of paths",
    median: "Median",
    sample_paths: "Individual simulated paths",
    observed: "Observed",
    target: "Target",
    existing: "Existing operators",
    announced: "Announced projects",
    new_firms: "New, unannounced firms",
    seats: "Total seats (mean)",
    pool: "Qualified pool",
    vacancies: "Unfilled seats",
    hires: "Hires",
    leavers: "Leavers",
    reached_target: "Paths that have reached the target",
    target_month_legend: "Target month",
    below_target: "Paths below the target",
    at_or_above_target: "Paths at or above the target",
    middle_half: "Shaded: middle 50% of paths",
    headline: "Headline figures",
    what_binds: "What holds growth back",
    charts: "Charts",
    key_figures: "Key figures by month",
    reproducibility: "Reproducibility",
    report_kind: "shorecast forecast report",
    chance_of_target: "Chance of reaching the target",
    held_back_by_labour: "Hiring held back by labour",
    of_months_with_openings: "of months in which firms had seats to fill",
    not_reached_by_half: "Not reached by half the paths",
    charts_skipped: "Charts were skipped for this run (--no-charts).",
    figure: "Figure",
    headcount_p05: "Jobs, 5th percentile",
    headcount_p25: "Jobs, 25th percentile",
    headcount_p50: "Jobs, median",
    headcount_p75: "Jobs, 75th percentile",
    headcount_p95: "Jobs, 95th percentile",
    headcount_mean: "Jobs, mean",
    pool_median: "Qualified pool, median",
    hires_median: "Hires in the month, median",
    vacancies_median: "Unfilled seats, median",
    target_month: "target",
    version: "shorecast version",
    seed: "Seed",
    paths: "Paths",
    scenario_sha256: "Scenario SHA-256",
    command_line: "Command line",
    reproduce_note: "Running the same command on the same scenario file (same SHA-256) with the same version gives identical figures.",
    captions: [
        (
            "fan",
            "The line is the median path; the shaded bands hold the middle 50%, 80% and 90% of the simulated paths at each month. Grey lines are single paths: a real future wanders like them, not like the median.",
        ),
        (
            "composition",
            "Mean headcount of each firm group, stacked; the dark line is the mean number of seats the operating firms plan, the most they could employ.",
        ),
        (
            "labour",
            "Upper panel: the qualified candidate pool against the seats firms still have to fill. Lower panel: hires and leavers per month. Lines are medians, shaded bands the middle 50% of paths.",
        ),
        (
            "hitting",
            "Share of paths that have reached the target at least once by each month.",
        ),
        (
            "outcome",
            "Distribution of the headcount in the target month across all paths; the vertical line is the target.",
        ),
    ],
};

const FR: Strings = Strings {
    html_lang: "fr",
    colon: "\u{a0}: ",
    fan_title: "Prévision des emplois de l’offshoring",
    composition_title: "D’où viennent les emplois\u{a0}: effectif moyen par groupe d’entreprises",
    labour_title: "Main-d’œuvre\u{a0}: candidats qualifiés, postes vacants et recrutements",
    hitting_title: "Quand l’objectif est-il atteint\u{a0}?",
    stocks_panel: "Stocks en fin de mois (personnes ou postes)",
    flows_panel: "Flux au cours du mois (personnes)",
    jobs: "Emplois",
    share_of_paths: "Part des trajectoires",
    median: "Médiane",
    sample_paths: "Trajectoires simulées individuelles",
    observed: "Observé",
    target: "Objectif",
    existing: "Opérateurs existants",
    announced: "Projets annoncés",
    new_firms: "Arrivées non annoncées",
    seats: "Total des postes (moyenne)",
    pool: "Vivier qualifié",
    vacancies: "Postes non pourvus",
    hires: "Recrutements",
    leavers: "Départs",
    reached_target: "Trajectoires ayant atteint l’objectif",
    target_month_legend: "Mois de l’objectif",
    below_target: "Trajectoires sous l’objectif",
    at_or_above_target: "Trajectoires à l’objectif ou au-delà",
    middle_half: "Ombré\u{a0}: 50\u{a0}% central des trajectoires",
    headline: "Chiffres clés",
    what_binds: "Ce qui freine la croissance",
    charts: "Graphiques",
    key_figures: "Chiffres clés par mois",
    reproducibility: "Reproductibilité",
    report_kind: "Rapport de prévision shorecast",
    chance_of_target: "Probabilité d’atteindre l’objectif",
    held_back_by_labour: "Recrutement freiné par la main-d’œuvre",
    of_months_with_openings: "des mois où les entreprises avaient des postes à pourvoir",
    not_reached_by_half: "Non atteint par la moitié des trajectoires",
    charts_skipped: "Les graphiques n’ont pas été produits pour cette exécution (--no-charts).",
    figure: "Indicateur",
    headcount_p05: "Emplois, 5e centile",
    headcount_p25: "Emplois, 25e centile",
    headcount_p50: "Emplois, médiane",
    headcount_p75: "Emplois, 75e centile",
    headcount_p95: "Emplois, 95e centile",
    headcount_mean: "Emplois, moyenne",
    pool_median: "Vivier qualifié, médiane",
    hires_median: "Recrutements du mois, médiane",
    vacancies_median: "Postes non pourvus, médiane",
    target_month: "objectif",
    version: "Version de shorecast",
    seed: "Graine",
    paths: "Trajectoires",
    scenario_sha256: "SHA-256 du scénario",
    command_line: "Ligne de commande",
    reproduce_note: "La même commande sur le même fichier de scénario (même SHA-256) avec la même version donne des chiffres identiques.",
    captions: [
        (
            "fan",
            "La ligne est la trajectoire médiane\u{a0}; les bandes ombrées contiennent 50\u{a0}%, 80\u{a0}% et 90\u{a0}% des trajectoires simulées à chaque mois. Les lignes grises sont des trajectoires isolées\u{a0}: l’avenir réel fluctue comme elles, pas comme la médiane.",
        ),
        (
            "composition",
            "Effectif moyen de chaque groupe d’entreprises, empilé\u{a0}; la ligne sombre est le nombre moyen de postes prévus par les entreprises en activité, le maximum qu’elles pourraient employer.",
        ),
        (
            "labour",
            "En haut\u{a0}: le vivier de candidats qualifiés face aux postes restant à pourvoir. En bas\u{a0}: recrutements et départs par mois. Les lignes sont des médianes, les bandes le 50\u{a0}% central des trajectoires.",
        ),
        (
            "hitting",
            "Part des trajectoires ayant atteint l’objectif au moins une fois à chaque mois.",
        ),
        (
            "outcome",
            "Répartition de l’effectif au mois de l’objectif sur l’ensemble des trajectoires\u{a0}; la ligne verticale est l’objectif.",
        ),
    ],
};

impl Lang {
    /// The fixed words in this language.
    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::En => &EN,
            Lang::Fr => &FR,
        }
    }

    /// A whole number with thousands separators: "5,000" or "5 000" (a narrow
    /// no-break space in French, as the French typographic convention has it).
    pub fn thousands(self, value: u64) -> String {
        let digits = value.to_string();
        let separator = match self {
            Lang::En => ",",
            Lang::Fr => "\u{202f}",
        };
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(separator);
            }
            out.push(c);
        }
        out
    }

    /// A percentage with one decimal: "23.4%" or "23,4 %".
    pub fn percent(self, share: f64) -> String {
        match self {
            Lang::En => format!("{:.1}%", share * 100.0),
            Lang::Fr => format!("{:.1}\u{a0}%", share * 100.0).replace('.', ","),
        }
    }

    /// A probability as a percentage with as many decimals as it needs to not
    /// read as 0% or 100% when it is neither: "0%", "< 0.01%", "0.02%", "12.3%",
    /// "99.95%", "> 99.99%", "100%".
    pub fn share(self, p: f64) -> String {
        let percent = p * 100.0;
        // Rounding error of interval arithmetic is not a probability.
        let (prefix, value, decimals) = if p < 1e-12 {
            ("", 0.0, 0)
        } else if p > 1.0 - 1e-12 {
            ("", 100.0, 0)
        } else if percent < 0.01 {
            ("< ", 0.01, 2)
        } else if percent > 99.99 {
            ("> ", 99.99, 2)
        } else if !(1.0..=99.0).contains(&percent) {
            ("", percent, 2)
        } else {
            ("", percent, 1)
        };
        let number = format!("{value:.decimals$}");
        match self {
            Lang::En => format!("{prefix}{number}%"),
            Lang::Fr => format!(
                "{}{}\u{a0}%",
                prefix.replace(' ', "\u{a0}"),
                number.replace('.', ",")
            ),
        }
    }

    /// A percent axis tick (the value already in percent), without needless
    /// decimals: "40%", "0.5%".
    pub fn percent_tick(self, percent: f64) -> String {
        let mut number = format!("{:.2}", percent);
        while number.contains('.') && (number.ends_with('0') || number.ends_with('.')) {
            number.pop();
        }
        match self {
            Lang::En => format!("{number}%"),
            Lang::Fr => format!("{}\u{a0}%", number.replace('.', ",")),
        }
    }

    /// A month as "Jul 2020" or "juil. 2020".
    pub fn month(self, date: YearMonth) -> String {
        const EN: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        const FR: [&str; 12] = [
            "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
            "nov.", "déc.",
        ];
        let names = match self {
            Lang::En => EN,
            Lang::Fr => FR,
        };
        format!("{} {}", names[date.month() as usize - 1], date.year())
    }

    /// A number of months: "36 months" or "36 mois".
    pub fn months(self, n: u32) -> String {
        match (self, n) {
            (Lang::En, 1) => "1 month".to_string(),
            (Lang::En, n) => format!("{n} months"),
            (Lang::Fr, n) => format!("{n}\u{a0}mois"),
        }
    }

    /// "P(at least 5,000 jobs in Jul 2022) = 1.2% (95% CI 0.9% to 1.6%)".
    pub fn p_target_sentence(self, target: u32, date: &str, p: f64, low: f64, high: f64) -> String {
        let (t, p, low, high) = (
            self.thousands(u64::from(target)),
            self.share(p),
            self.share(low),
            self.share(high),
        );
        match self {
            Lang::En => format!(
                "Chance of at least {t} jobs in {date}: {p} (95% confidence interval {low} to {high})"
            ),
            Lang::Fr => format!(
                "Probabilité d’au moins {t}\u{a0}emplois en {date}\u{a0}: {p} (intervalle de confiance à 95\u{a0}%\u{a0}: {low} à {high})"
            ),
        }
    }

    /// The label of a target line: "Target: 5,000 jobs in Jul 2022".
    pub fn target_label(self, target: u32, date: &str) -> String {
        let t = self.thousands(u64::from(target));
        match self {
            Lang::En => format!("Target: {t} jobs in {date}"),
            Lang::Fr => format!("Objectif\u{a0}: {t}\u{a0}emplois en {date}"),
        }
    }

    /// The legend of nested bands: "50%, 80%, 90% of paths".
    pub fn bands_label(self, levels: &[u32]) -> String {
        let list = |sep: &str| {
            levels
                .iter()
                .map(|l| format!("{l}{sep}%"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            Lang::En => format!("{} of paths", list("")),
            Lang::Fr => format!("{} des trajectoires", list("\u{a0}")),
        }
    }

    /// "Oujda Shore, July 2020: mean over 20,000 simulated paths".
    pub fn mean_over_paths(self, scenario: &str, paths: u64) -> String {
        let n = self.thousands(paths);
        match self {
            Lang::En => format!("{scenario}: mean over {n} simulated paths"),
            Lang::Fr => format!("{scenario}\u{a0}: moyenne sur {n}\u{a0}trajectoires simulées"),
        }
    }

    /// The labour chart's subtitle: how often labour held hiring back.
    pub fn labour_subtitle(self, labour_limited_share: f64) -> String {
        let share = self.share(labour_limited_share);
        match self {
            Lang::En => format!(
                "Hiring was held back by a shortage of qualified candidates in {share} of the months with seats to fill"
            ),
            Lang::Fr => format!(
                "Manque de candidats qualifiés\u{a0}: recrutement freiné pendant {share} des mois avec des postes à pourvoir"
            ),
        }
    }

    /// The hitting-time chart's subtitle.
    pub fn hitting_subtitle(
        self,
        target: u32,
        ever: f64,
        horizon: u32,
        median_date: Option<String>,
    ) -> String {
        let t = self.thousands(u64::from(target));
        let months = self.months(horizon);
        match (self, ever > 0.0, median_date) {
            (Lang::En, false, _) => {
                format!("No simulated path reaches {t} jobs within {months}")
            }
            (Lang::Fr, false, _) => {
                format!("Aucune trajectoire simulée n’atteint {t}\u{a0}emplois en {months}")
            }
            (Lang::En, true, Some(date)) => format!(
                "Half of all paths have reached {t} jobs by {date} ({} by the end of the {months})",
                self.share(ever)
            ),
            (Lang::Fr, true, Some(date)) => format!(
                "La moitié des trajectoires a atteint {t}\u{a0}emplois en {date} ({} au terme des {months})",
                self.share(ever)
            ),
            (Lang::En, true, None) => format!(
                "{} of the paths reach {t} jobs within {months}: fewer than half",
                self.share(ever)
            ),
            (Lang::Fr, true, None) => format!(
                "{} des trajectoires atteignent {t}\u{a0}emplois en {months}\u{a0}: moins de la moitié",
                self.share(ever)
            ),
        }
    }

    /// The outcome histogram's title: "Jobs in Jul 2022 across the simulated paths".
    pub fn outcome_title(self, date: &str) -> String {
        match self {
            Lang::En => format!("How many jobs in {date}? The spread of simulated outcomes"),
            Lang::Fr => {
                format!("Combien d’emplois en {date}\u{a0}? La dispersion des résultats simulés")
            }
        }
    }

    /// The outcome histogram's subtitle.
    pub fn outcome_subtitle(self, scenario: &str, paths: u64, bin_width: u64) -> String {
        let (n, w) = (self.thousands(paths), self.thousands(bin_width));
        match self {
            Lang::En => {
                format!("{scenario}: {n} simulated paths, in bars {w} jobs wide")
            }
            Lang::Fr => format!(
                "{scenario}\u{a0}: {n}\u{a0}trajectoires simulées, en barres de {w}\u{a0}emplois"
            ),
        }
    }

    /// An axis title: "Jobs in Jul 2022".
    pub fn jobs_in(self, date: &str) -> String {
        match self {
            Lang::En => format!("Jobs in {date}"),
            Lang::Fr => format!("Emplois en {date}"),
        }
    }

    /// The label of the outcome histogram's target line.
    pub fn at_or_above_label(self, target: u32, share: f64) -> String {
        let (t, s) = (self.thousands(u64::from(target)), self.share(share));
        match self {
            Lang::En => format!("Target {t}: {s} of paths at or above"),
            Lang::Fr => {
                format!("Objectif {t}\u{a0}: {s} des trajectoires l’atteignent ou le dépassent")
            }
        }
    }

    /// The source line under every chart.
    pub fn source_line(self, scenario: &str, version: &str, paths: u64, seed: u64) -> String {
        let n = self.thousands(paths);
        match self {
            Lang::En => format!(
                "Source: shorecast {version} Monte Carlo simulation of \u{201c}{scenario}\u{201d}, {n} paths, seed {seed}"
            ),
            Lang::Fr => format!(
                "Source\u{a0}: simulation Monte-Carlo shorecast {version} de «\u{a0}{scenario}\u{a0}», {n}\u{a0}trajectoires, graine {seed}"
            ),
        }
    }

    /// Report: the meta line under the title.
    pub fn report_meta(
        self,
        start: &str,
        horizon: u32,
        end: &str,
        target: u32,
        target_date: &str,
    ) -> String {
        let t = self.thousands(u64::from(target));
        let months = self.months(horizon);
        match self {
            Lang::En => format!(
                "Simulated from {start} over {months} (to {end}). Target: {t} jobs in {target_date}."
            ),
            Lang::Fr => format!(
                "Simulation de {start} sur {months} (jusqu’à {end}). Objectif\u{a0}: {t}\u{a0}emplois en {target_date}."
            ),
        }
    }

    /// Report: what the target card measures, with its 95% confidence interval.
    pub fn p_target_detail(self, target: u32, date: &str, low: f64, high: f64) -> String {
        let t = self.thousands(u64::from(target));
        let (low, high) = (self.share(low), self.share(high));
        match self {
            Lang::En => {
                format!("at least {t} jobs in {date}; 95% confidence interval {low} to {high}")
            }
            Lang::Fr => format!(
                "au moins {t}\u{a0}emplois en {date}\u{a0}; intervalle de confiance à 95\u{a0}%\u{a0}: {low} à {high}"
            ),
        }
    }

    /// Report: the heading of the headcount card.
    pub fn jobs_in_median(self, date: &str) -> String {
        match self {
            Lang::En => format!("Jobs in {date} (median)"),
            Lang::Fr => format!("Emplois en {date} (médiane)"),
        }
    }

    /// Report: a 90% range.
    pub fn range90(self, low: u32, high: u32) -> String {
        let (low, high) = (
            self.thousands(u64::from(low)),
            self.thousands(u64::from(high)),
        );
        match self {
            Lang::En => format!("90% of paths between {low} and {high}"),
            Lang::Fr => format!("90\u{a0}% des trajectoires entre {low} et {high}"),
        }
    }

    /// Report: the heading of the median-month card.
    pub fn median_month_heading(self, target: u32) -> String {
        let t = self.thousands(u64::from(target));
        match self {
            Lang::En => format!("Median month of first reaching {t} jobs"),
            Lang::Fr => format!("Mois médian où {t}\u{a0}emplois sont atteints"),
        }
    }

    /// Report: under the median-month card.
    pub fn median_month_detail(self, reached: Option<u32>, ever: f64, horizon: u32) -> String {
        let months = self.months(horizon);
        match (self, reached) {
            (Lang::En, Some(m)) => format!("month {m} of the simulation"),
            (Lang::Fr, Some(m)) => format!("mois {m} de la simulation"),
            (Lang::En, None) => format!("{} of paths reach it within {months}", self.share(ever)),
            (Lang::Fr, None) => format!(
                "{} des trajectoires l’atteignent en {months}",
                self.share(ever)
            ),
        }
    }

    /// Report: the binding constraint, in words: a short verdict and its reason.
    pub fn binding_constraint(self, binding: &Binding) -> (String, String) {
        let labour = self.share(binding.labour_limited_share);
        let open = self.share(1.0 - binding.labour_limited_share);
        let labour_sentence = match self {
            Lang::En => format!(
                "Hiring was held back by a lack of qualified candidates in {labour} of the months in which firms had seats to fill."
            ),
            Lang::Fr => format!(
                "Le manque de candidats qualifiés a freiné le recrutement pendant {labour} des mois où les entreprises avaient des postes à pourvoir."
            ),
        };
        let seats = self.thousands(binding.mean_seats_at_target.round() as u64);
        let target = self.thousands(u64::from(binding.target));
        let date = &binding.target_date;
        match (self, binding.kind) {
            (Lang::En, BindingKind::FirmArrivals) => (
                "Firm arrivals bind.".to_string(),
                format!(
                    "Even with every seat filled, the {seats} seats that operating firms plan on average in {date} fall short of the target of {target} jobs: reaching it needs more or larger sites. {labour_sentence}"
                ),
            ),
            (Lang::Fr, BindingKind::FirmArrivals) => (
                "L’arrivée d’entreprises est le facteur limitant.".to_string(),
                format!(
                    "Même avec tous les postes pourvus, les {seats}\u{a0}postes prévus en moyenne par les entreprises en activité en {date} restent en deçà de l’objectif de {target}\u{a0}emplois\u{a0}: l’atteindre demande des sites plus nombreux ou plus grands. {labour_sentence}"
                ),
            ),
            (Lang::En, BindingKind::Labour) => (
                "The supply of qualified candidates binds.".to_string(),
                format!(
                    "{labour_sentence} Firms had more openings than qualified candidates willing to take them: measures that enlarge the qualified pool (training places, transport, outreach) act on this constraint."
                ),
            ),
            (Lang::Fr, BindingKind::Labour) => (
                "L’offre de candidats qualifiés est le facteur limitant.".to_string(),
                format!(
                    "{labour_sentence} Les entreprises avaient plus de postes ouverts que de candidats qualifiés prêts à les occuper\u{a0}: les mesures qui élargissent le vivier (places de formation, transport, prospection) agissent sur cette contrainte."
                ),
            ),
            (Lang::En, BindingKind::FirmDemand) => (
                "Firm demand binds.".to_string(),
                format!(
                    "Qualified candidates were enough to fill the openings in {open} of the months in which firms had seats to fill; labour held hiring back in only {labour}. The pace at which firms open sites and fill their seats sets the headcount."
                ),
            ),
            (Lang::Fr, BindingKind::FirmDemand) => (
                "La demande des entreprises est le facteur limitant.".to_string(),
                format!(
                    "Les candidats qualifiés ont suffi à pourvoir les postes ouverts pendant {open} des mois où les entreprises avaient des postes à pourvoir\u{a0}; la main-d’œuvre n’a freiné le recrutement que pendant {labour}. Le rythme auquel les entreprises ouvrent des sites et pourvoient leurs postes fixe l’effectif."
                ),
            ),
        }
    }

    /// Report: the column heading of a month in the quantile table.
    pub fn month_column(self, date: &str, m: u32, is_target: bool) -> String {
        let target = if is_target {
            format!(", {}", self.strings().target_month)
        } else {
            String::new()
        };
        match self {
            Lang::En => format!("{date} (month {m}{target})"),
            Lang::Fr => format!("{date} (mois {m}{target})"),
        }
    }

    /// Report: the document title.
    pub fn report_title(self, scenario: &str) -> String {
        format!("{scenario} \u{2014} {}", self.strings().report_kind)
    }

    /// Report: the run's size and duration.
    pub fn run_size(self, paths: u64, seconds: f64) -> String {
        let n = self.thousands(paths);
        match self {
            Lang::En => format!("{n} paths simulated in {seconds:.1} s."),
            Lang::Fr => format!(
                "{n}\u{a0}trajectoires simulées en {}\u{a0}s.",
                format!("{seconds:.1}").replace('.', ",")
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_months_follow_the_language() {
        assert_eq!(Lang::En.thousands(5000), "5,000");
        assert_eq!(Lang::En.thousands(1234567), "1,234,567");
        assert_eq!(Lang::En.thousands(999), "999");
        assert_eq!(Lang::Fr.thousands(5000), "5\u{202f}000");
        assert_eq!(Lang::En.percent(0.2345), "23.4%");
        assert_eq!(Lang::Fr.percent(0.2345), "23,4\u{a0}%");
        let july = YearMonth::new(2020, 7).unwrap();
        assert_eq!(Lang::En.month(july), "Jul 2020");
        assert_eq!(Lang::Fr.month(july), "juil. 2020");
    }

    #[test]
    fn small_probabilities_do_not_read_as_zero() {
        let en = |p| Lang::En.share(p);
        assert_eq!(en(0.0), "0%");
        assert_eq!(en(1e-17), "0%");
        assert_eq!(en(1.0), "100%");
        assert_eq!(en(0.00001), "< 0.01%");
        assert_eq!(en(0.00019), "0.02%");
        assert_eq!(en(0.0123), "1.2%");
        assert_eq!(en(0.5), "50.0%");
        assert_eq!(en(0.9995), "99.95%");
        assert_eq!(en(0.999999), "> 99.99%");
        assert_eq!(Lang::Fr.share(0.00019), "0,02\u{a0}%");
        assert_eq!(Lang::Fr.share(0.00001), "<\u{a0}0,01\u{a0}%");
        assert_eq!(Lang::En.percent_tick(40.0), "40%");
        assert_eq!(Lang::En.percent_tick(0.30000000000000004), "0.3%");
        assert_eq!(Lang::Fr.percent_tick(2.5), "2,5\u{a0}%");
    }

    #[test]
    fn every_chart_has_a_caption_in_both_languages() {
        for lang in [Lang::En, Lang::Fr] {
            let names: Vec<&str> = lang.strings().captions.iter().map(|c| c.0).collect();
            assert_eq!(
                names,
                ["fan", "composition", "labour", "hitting", "outcome"]
            );
        }
    }

    #[test]
    fn the_binding_constraint_is_stated_in_words() {
        let mut b = Binding {
            kind: BindingKind::FirmArrivals,
            labour_limited_share: 0.25,
            mean_seats_at_target: 3712.4,
            target: 5000,
            target_date: "Jul 2022".to_string(),
        };
        let (verdict, why) = Lang::En.binding_constraint(&b);
        assert_eq!(verdict, "Firm arrivals bind.");
        assert!(
            why.contains("3,712 seats") && why.contains("25.0%"),
            "{why}"
        );
        b.kind = BindingKind::FirmDemand;
        let (_, why) = Lang::Fr.binding_constraint(&b);
        assert!(why.contains("75,0\u{a0}%"), "{why}");
    }
}
