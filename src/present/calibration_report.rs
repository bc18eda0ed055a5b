//! What `calibrate` and `backtest` write besides their tables:
//! `calibration.json`, the terminal summary, and the HTML reports (English or
//! French), in the page frame of the other reports.

use std::fmt::Write;

use serde::Serialize;

use crate::analysis::backtest::{Backtest, Basis};
use crate::analysis::calibrate::Forecasts;
use crate::analysis::calibrate::{
    Calibration, FLIP, Generation, REACH, StopReason, TOLERANCE_QUANTILE,
};
use crate::core::engine::RunResult;
use crate::core::model::Series;
use crate::core::scenario::Scenario;
use crate::present::output::Provenance;
use crate::present::report::{cards, escape, figures, footer, header, input_cell, open_page};
use crate::present::text::uncertainty::{chance_with_error, headline_share};
use crate::present::text::{Lang, tr};

/// The algorithm and its settings, as `calibration.json` records them.
#[derive(Clone, Debug, Serialize)]
pub struct Algorithm {
    /// Its name and references.
    pub name: &'static str,
    /// Particles per generation.
    pub particles: u32,
    /// Next tolerance: this weighted quantile of the last generation's distances.
    pub tolerance_quantile: f64,
    /// Stop at this tolerance.
    pub final_tolerance: f64,
    /// Stop below this acceptance rate.
    pub min_acceptance: f64,
    /// The most generations.
    pub max_generations: u32,
    /// The perturbation kernel.
    pub kernel: String,
    /// The distance.
    pub distance: &'static str,
}

/// A history point with its forecasts.
#[derive(Clone, Debug, Serialize)]
pub struct PointRecord {
    /// Calendar month.
    pub date: String,
    /// Model month.
    pub month: u32,
    /// Observed headcount.
    pub observed: u32,
    /// Relative uncertainty.
    pub uncertainty: f64,
    /// Source text.
    pub source: Option<String>,
    /// Prior predictive 5, 50, 95% of the headcount.
    pub prior: [u32; 3],
    /// Posterior predictive 5, 50, 95%.
    pub posterior: [u32; 3],
}

/// One input's prior and posterior.
#[derive(Clone, Debug, Serialize)]
pub struct InputRecord {
    /// Name.
    pub name: String,
    /// Prior 5, 50, 95%.
    pub prior: [f64; 3],
    /// Posterior 5, 50, 95% (weighted).
    pub posterior: [f64; 3],
}

/// A forecast's headline.
#[derive(Clone, Debug, Serialize)]
pub struct Headline {
    /// Chance of the target.
    pub p_target: f64,
    /// Its simulation error (half-width of the 95% interval), in points.
    pub p_target_simulation_error_points: f64,
    /// Headcount at the target month, 5, 50, 95%.
    pub headcount_at_target: [u32; 3],
    #[serde(skip)]
    proportion: crate::core::stats::Proportion,
}

impl Headline {
    fn of(run: &RunResult, month: u32) -> Headline {
        let s = &run.summary;
        Headline {
            p_target: s.p_target.estimate,
            p_target_simulation_error_points: 50.0 * (s.p_target.ci95_high - s.p_target.ci95_low),
            headcount_at_target: [5, 50, 95].map(|q| s.quantile(Series::Headcount, month, q)),
            proportion: s.p_target,
        }
    }

    /// The chance of the target with its simulation error, in words.
    fn chance(&self, paths: u64, lang: Lang) -> String {
        chance_with_error(&self.proportion, paths, lang)
    }
}

/// `calibration.json`.
#[derive(Clone, Debug, Serialize)]
pub struct CalibrationFile {
    /// Scenario name.
    pub scenario: String,
    /// shorecast's version.
    pub version: String,
    /// SHA-256 of the scenario file.
    pub scenario_sha256: String,
    /// The command.
    pub command_line: String,
    /// Master seed.
    pub seed: u64,
    /// The algorithm.
    pub algorithm: Algorithm,
    /// Why it stopped.
    pub stop: StopReason,
    /// Every generation.
    pub generations: Vec<Generation>,
    /// Tolerance reached, in observation errors.
    pub tolerance: f64,
    /// Simulations over all generations.
    pub simulations: u64,
    /// Effective sample size of the posterior.
    pub ess: f64,
    /// Weighted median of the posterior's distances.
    pub median_distance: f64,
    /// Seconds spent calibrating.
    pub elapsed_seconds: f64,
    /// The history points fitted.
    pub history: Vec<PointRecord>,
    /// Every uncertain input.
    pub inputs: Vec<InputRecord>,
    /// The forecast from the priors.
    pub prior_forecast: Headline,
    /// The forecast from the posterior.
    pub fitted_forecast: Headline,
    /// Paths of each forecast.
    pub forecast_paths: u64,
}

impl CalibrationFile {
    /// Gathers the record of a calibration.
    pub fn new(
        scenario: &Scenario,
        c: &Calibration,
        f: &Forecasts,
        provenance: &Provenance,
        elapsed_seconds: f64,
    ) -> CalibrationFile {
        let o = c.options;
        let quantiles =
            |p: &crate::core::posterior::Posterior, j| [0.05, 0.5, 0.95].map(|q| p.quantile(j, q));
        let at =
            |run: &RunResult, m| [5, 50, 95].map(|q| run.summary.quantile(Series::Headcount, m, q));
        let last = c.generations.last().expect("generation 0 at least");
        CalibrationFile {
            scenario: scenario.meta.name.to_string(),
            version: provenance.version.clone(),
            scenario_sha256: provenance.scenario_sha256.clone(),
            command_line: provenance.command_line.clone(),
            seed: o.seed,
            algorithm: Algorithm {
                name: "ABC population Monte Carlo (Beaumont, Cornuet, Marin and Robert 2009) \
                       with adaptive tolerances (weighted quantile of the last generation's \
                       distances, as pyABC)",
                particles: o.particles,
                tolerance_quantile: TOLERANCE_QUANTILE,
                final_tolerance: o.final_tolerance,
                min_acceptance: o.min_acceptance,
                max_generations: o.max_generations,
                kernel: format!(
                    "component-wise Gaussian, variance twice the weighted variance; whole \
                     numbers rounded; happens flipped with probability {FLIP}; proposals \
                     outside the priors' ranges redrawn"
                ),
                distance: "max over history points of |ln((simulated + 1) / (observed + 1))| \
                           / ln(1 + uncertainty)",
            },
            stop: c.stop,
            generations: c.generations.clone(),
            tolerance: c.tolerance(),
            simulations: c.simulations(),
            ess: c.posterior.ess(),
            median_distance: last.median_distance,
            elapsed_seconds,
            history: c
                .points
                .iter()
                .map(|p| PointRecord {
                    date: p.observation.date.to_string(),
                    month: p.month,
                    observed: p.observation.headcount,
                    uncertainty: p.observation.uncertainty,
                    source: p.observation.source.clone(),
                    prior: at(&f.prior, p.month),
                    posterior: at(&f.fitted, p.month),
                })
                .collect(),
            inputs: c
                .posterior
                .names
                .iter()
                .enumerate()
                .map(|(j, name)| InputRecord {
                    name: name.clone(),
                    prior: quantiles(&c.prior, j),
                    posterior: quantiles(&c.posterior, j),
                })
                .collect(),
            prior_forecast: Headline::of(&f.prior, scenario.target.month),
            fitted_forecast: Headline::of(&f.fitted, scenario.target.month),
            forecast_paths: f.prior.options.paths,
        }
    }
}

fn stop_words(stop: StopReason, lang: Lang) -> &'static str {
    match stop {
        StopReason::FinalTolerance => tr(
            lang,
            "every history point within its stated error",
            "chaque point d’historique dans sa marge d’erreur",
        ),
        StopReason::MinAcceptance => tr(
            lang,
            "stopped: too few proposals accepted to go further",
            "arrêt\u{a0}: trop peu de propositions acceptées pour aller plus loin",
        ),
        StopReason::NoProgress => tr(
            lang,
            "stopped: the tolerance no longer fell",
            "arrêt\u{a0}: la tolérance ne baissait plus",
        ),
        StopReason::MaxGenerations => tr(
            lang,
            "stopped at the most generations",
            "arrêt au nombre maximal de générations",
        ),
    }
}

/// A value of an input, with as many decimals as it needs.
fn value(x: f64) -> String {
    if x.abs() >= 100.0 || x == x.round() {
        format!("{x:.0}")
    } else if x.abs() >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

/// The calibration's terminal summary, in English.
pub fn summary_lines(scenario: &Scenario, f: &CalibrationFile) -> Vec<String> {
    let lang = Lang::En;
    let t = scenario.target;
    let date = lang.month(scenario.date(t.month));
    let p = |h: &Headline| h.chance(f.forecast_paths, lang);
    let mut lines = vec![
        format!(
            "{}: calibrated to {} history point{}",
            f.scenario,
            f.history.len(),
            if f.history.len() == 1 { "" } else { "s" }
        ),
        format!(
            "  {} generations, {} simulations, {:.1} s; tolerance {:.2} observation errors ({}); ESS {:.0} of {} particles",
            f.generations.len(),
            lang.thousands(f.simulations),
            f.elapsed_seconds,
            f.tolerance,
            stop_words(f.stop, lang),
            f.ess,
            f.algorithm.particles
        ),
    ];
    for h in &f.history {
        lines.push(format!(
            "  {}: observed {} (±{:.0}%); prior 90% {}-{}, fitted 90% {}-{}",
            h.date,
            lang.thousands(h.observed.into()),
            h.uncertainty * 100.0,
            lang.thousands(h.prior[0].into()),
            lang.thousands(h.prior[2].into()),
            lang.thousands(h.posterior[0].into()),
            lang.thousands(h.posterior[2].into()),
        ));
    }
    lines.push(format!(
        "  P(headcount >= {} in {date}): prior {}; fitted {}",
        lang.thousands(t.headcount.into()),
        p(&f.prior_forecast),
        p(&f.fitted_forecast)
    ));
    lines
}

/// The calibration report as one self-contained HTML page.
pub fn calibration_report_html(
    scenario: &Scenario,
    f: &CalibrationFile,
    provenance: &Provenance,
    charts: &[(String, String)],
    lang: Lang,
) -> String {
    let t = scenario.target;
    let target_date = lang.month(scenario.date(t.month));
    let n = |v: u32| lang.thousands(u64::from(v));
    let mut h = String::new();
    let kind = tr(
        lang,
        "shorecast calibration report",
        "Rapport de calage shorecast",
    );
    open_page(
        &mut h,
        lang,
        &format!("{} \u{2014} {kind}", scenario.meta.name),
    );
    let meta = match lang {
        Lang::En => format!(
            "Fitted to {} history point{} after the start ({}); target {} jobs in {target_date}",
            f.history.len(),
            if f.history.len() == 1 { "" } else { "s" },
            lang.month(scenario.meta.start),
            n(t.headcount)
        ),
        Lang::Fr => format!(
            "Calage sur {}\u{a0}point{} d’historique après le départ ({})\u{a0}; objectif {}\u{a0}emplois en {target_date}",
            f.history.len(),
            if f.history.len() == 1 { "" } else { "s" },
            lang.month(scenario.meta.start),
            n(t.headcount)
        ),
    };
    header(
        &mut h,
        kind,
        &scenario.meta.name,
        scenario.meta.description.as_deref(),
        &meta,
    );
    let chance = |hl: &Headline| hl.chance(f.forecast_paths, lang);
    let range = |hl: &Headline| match lang {
        Lang::En => format!(
            "median {}, 90% range {} to {}",
            n(hl.headcount_at_target[1]),
            n(hl.headcount_at_target[0]),
            n(hl.headcount_at_target[2])
        ),
        Lang::Fr => format!(
            "médiane {}, 90\u{a0}% entre {} et {}",
            n(hl.headcount_at_target[1]),
            n(hl.headcount_at_target[0]),
            n(hl.headcount_at_target[2])
        ),
    };
    cards(
        &mut h,
        tr(lang, "Headline", "En bref"),
        &[
            (
                tr(
                    lang,
                    "Chance of the target, fitted",
                    "Probabilité de l’objectif, calée",
                )
                .to_string(),
                headline_share(&f.fitted_forecast.proportion, f.forecast_paths, lang),
                false,
                chance(&f.fitted_forecast),
            ),
            (
                tr(
                    lang,
                    "Chance of the target, priors only",
                    "Probabilité de l’objectif, a priori",
                )
                .to_string(),
                headline_share(&f.prior_forecast.proportion, f.forecast_paths, lang),
                false,
                chance(&f.prior_forecast),
            ),
            (
                tr(lang, "Fit to history", "Écart à l’historique").to_string(),
                format!("{:.2}", f.tolerance),
                false,
                format!(
                    "{} ({})",
                    tr(
                        lang,
                        "observation errors at most",
                        "erreurs d’observation au plus"
                    ),
                    stop_words(f.stop, lang)
                ),
            ),
            (
                tr(
                    lang,
                    "Effective sample size",
                    "Taille d’échantillon effective",
                )
                .to_string(),
                lang.thousands(f.ess.round() as u64),
                false,
                match lang {
                    Lang::En => format!(
                        "of {} particles; {} simulations",
                        n(f.algorithm.particles),
                        lang.thousands(f.simulations)
                    ),
                    Lang::Fr => format!(
                        "sur {}\u{a0}particules\u{a0}; {}\u{a0}simulations",
                        n(f.algorithm.particles),
                        lang.thousands(f.simulations)
                    ),
                },
            ),
        ],
    );
    let _ = write!(
        h,
        "<section>\n<h2>{}</h2>\n<p>{}</p>\n<p>{}</p>\n</section>\n",
        escape(tr(
            lang,
            "What the history changes",
            "Ce que l’historique change"
        )),
        escape(&match lang {
            Lang::En => format!(
                "Headcount in {target_date}: from the priors alone, {}; fitted to the history, {}.",
                range(&f.prior_forecast),
                range(&f.fitted_forecast)
            ),
            Lang::Fr => format!(
                "Effectif en {target_date}\u{a0}: avec les seules hypothèses a priori, {}\u{a0}; calé sur l’historique, {}.",
                range(&f.prior_forecast),
                range(&f.fitted_forecast)
            ),
        }),
        escape(tr(
            lang,
            "The ± figures are simulation (Monte Carlo) error only: they shrink with more paths. \
             The uncertainty of the forecast itself is the spread of the headcount.",
            "Les marges ± ne sont que l’erreur de simulation (Monte-Carlo)\u{a0}: elles \
             diminuent avec le nombre de trajectoires. L’incertitude de la prévision elle-même \
             est la dispersion de l’effectif.",
        ))
    );

    // History points.
    let _ = write!(
        h,
        "<section>\n<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th></tr></thead>\n<tbody>\n",
        escape(tr(
            lang,
            "History points fitted",
            "Points d’historique calés"
        )),
        escape(tr(lang, "Date", "Date")),
        escape(tr(lang, "Observed", "Observé")),
        escape(tr(lang, "Priors: 90% range", "A priori\u{a0}: 90\u{a0}%")),
        escape(tr(lang, "Fitted: 90% range", "Calé\u{a0}: 90\u{a0}%")),
        escape(tr(lang, "Source", "Source")),
    );
    for p in &f.history {
        let date = p
            .date
            .parse()
            .map(|d| lang.month(d))
            .unwrap_or_else(|_| p.date.clone());
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"num\">{} <span class=\"ci\">± {:.0}%</span></td><td class=\"num\">{} – {}</td><td class=\"num\">{} – {}</td><td>{}</td></tr>",
            escape(&date),
            n(p.observed),
            p.uncertainty * 100.0,
            n(p.prior[0]),
            n(p.prior[2]),
            n(p.posterior[0]),
            n(p.posterior[2]),
            escape(p.source.as_deref().unwrap_or("")),
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");

    // Inputs.
    let _ = write!(
        h,
        "<section>\n<h2>{}</h2>\n<table class=\"wide\">\n<thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
        escape(tr(
            lang,
            "Uncertain inputs: priors and posterior",
            "Paramètres incertains\u{a0}: a priori et a posteriori"
        )),
        escape(tr(lang, "Input", "Paramètre")),
        escape(tr(
            lang,
            "Prior: median (90% range)",
            "A priori\u{a0}: médiane (90\u{a0}%)"
        )),
        escape(tr(
            lang,
            "Posterior: median (90% range)",
            "A posteriori\u{a0}: médiane (90\u{a0}%)"
        )),
    );
    for x in &f.inputs {
        let cell = |q: &[f64; 3]| {
            let text = format!("{} ({} – {})", value(q[1]), value(q[0]), value(q[2]));
            match lang {
                Lang::En => text,
                Lang::Fr => text.replace('.', ","),
            }
        };
        let _ = writeln!(
            h,
            "<tr>{}<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            input_cell(&x.name, lang),
            escape(&cell(&x.prior)),
            escape(&cell(&x.posterior)),
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");

    figures(
        &mut h,
        lang,
        charts,
        &crate::present::chart::calibration::CALIBRATION_CHART_NAMES,
        &[
            (
                "fitted_fan",
                tr(
                    lang,
                    "Headcount from the posterior: each path replays a fitted past through the history points, then a fresh future.",
                    "Effectif selon la loi a posteriori\u{a0}: chaque trajectoire rejoue un passé calé sur les points d’historique, puis un avenir neuf.",
                ),
            ),
            (
                "posterior_inputs",
                tr(
                    lang,
                    "Each uncertain input: its prior (black outline) and its posterior after calibration (colour).",
                    "Chaque paramètre incertain\u{a0}: sa loi a priori (trait noir) et a posteriori après calage (couleur).",
                ),
            ),
        ],
    );

    // Method and generations.
    let _ = write!(
        h,
        "<section>\n<h2>{}</h2>\n<p>{}</p>\n<table>\n<thead><tr><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
        escape(tr(lang, "Method", "Méthode")),
        escape(&match lang {
            Lang::En => format!(
                "{}. A simulation is accepted when every history point is within the tolerance, \
                 counted in observation errors (the log of the ratio of simulated to observed \
                 headcount over ln(1 + uncertainty)). Each generation's tolerance is the \
                 weighted median of the last one's distances, down to {:.2}; a calibration that \
                 cannot come within {REACH} observation errors fails and names the point.",
                f.algorithm.name, f.algorithm.final_tolerance
            ),
            Lang::Fr => format!(
                "Calcul bayésien approché (ABC) par Monte-Carlo à populations (Beaumont et al. \
                 2009), tolérances adaptatives comme pyABC. Une simulation est acceptée quand \
                 chaque point d’historique est dans la tolérance, comptée en erreurs \
                 d’observation (logarithme du rapport simulé/observé divisé par \
                 ln(1 + incertitude)). La tolérance de chaque génération est la médiane pondérée \
                 des distances de la précédente, jusqu’à {:.2}\u{a0}; un calage qui ne passe pas \
                 sous {REACH}\u{a0}erreurs d’observation échoue en nommant le point.",
                f.algorithm.final_tolerance
            ),
        }),
        escape(tr(lang, "Generation", "Génération")),
        escape(tr(lang, "Tolerance", "Tolérance")),
        escape(tr(lang, "Simulations", "Simulations")),
        escape(tr(lang, "Acceptance", "Acceptation")),
        escape(tr(lang, "ESS", "Taille effective")),
    );
    for (g, x) in f.generations.iter().enumerate() {
        let tolerance = if x.tolerance.is_finite() {
            format!("{:.2}", x.tolerance)
        } else {
            "∞".to_string()
        };
        let _ = writeln!(
            h,
            "<tr><td class=\"num\">{g}</td><td class=\"num\">{tolerance}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{:.0}</td></tr>",
            lang.thousands(x.simulations),
            lang.share(x.acceptance_rate),
            x.ess
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
    let size = match lang {
        Lang::En => format!(
            "{} simulations in {:.1} s.",
            lang.thousands(f.simulations),
            f.elapsed_seconds
        ),
        Lang::Fr => format!(
            "{}\u{a0}simulations en {:.1}\u{a0}s.",
            lang.thousands(f.simulations),
            f.elapsed_seconds
        ),
    };
    footer(&mut h, lang, provenance, f.seed, f.forecast_paths, &size);
    h
}

fn basis_words(basis: Basis, lang: Lang) -> &'static str {
    match basis {
        Basis::Prior => tr(lang, "priors only", "a priori seul"),
        Basis::Rolling => tr(
            lang,
            "fitted to earlier points",
            "calé sur les points antérieurs",
        ),
        Basis::InSample => tr(
            lang,
            "fitted to all points (in-sample)",
            "calé sur tous les points (dans l’échantillon)",
        ),
    }
}

/// The back-test's terminal summary, in English.
pub fn backtest_lines(scenario: &Scenario, b: &Backtest) -> Vec<String> {
    let lang = Lang::En;
    let mut lines = vec![format!(
        "{}: back-test of {} history point{} ({} paths per forecast)",
        scenario.meta.name,
        b.of(Basis::Prior).count(),
        if b.of(Basis::Prior).count() == 1 {
            ""
        } else {
            "s"
        },
        lang.thousands(b.paths)
    )];
    lines.push(format!(
        "  {:<9} {:<34} {:>8} {:>17} {:>6} {:>5} {:>5} {:>8} {:>10}",
        "date", "forecast from", "observed", "90% interval", "PIT", "in50", "in90", "CRPS", "IS90"
    ));
    for r in &b.rows {
        let s = &r.score;
        lines.push(format!(
            "  {:<9} {:<34} {:>8} {:>17} {:>6.3} {:>5} {:>5} {:>8.1} {:>10.1}",
            r.date,
            basis_words(r.basis, lang),
            r.observed,
            format!("{:.0}-{:.0}", s.quantiles[0], s.quantiles[4]),
            s.pit,
            if s.in50 { "yes" } else { "no" },
            if s.in90 { "yes" } else { "no" },
            s.crps,
            s.interval_score90
        ));
    }
    lines
}

/// The back-test report as one self-contained HTML page.
pub fn backtest_report_html(
    scenario: &Scenario,
    b: &Backtest,
    provenance: &Provenance,
    charts: &[(String, String)],
    lang: Lang,
) -> String {
    let mut h = String::new();
    let kind = tr(
        lang,
        "shorecast back-test report",
        "Rapport de test rétrospectif shorecast",
    );
    open_page(
        &mut h,
        lang,
        &format!("{} \u{2014} {kind}", scenario.meta.name),
    );
    let meta = tr(
        lang,
        "Rolling origin: each history point forecast from what was known before it",
        "Origine glissante\u{a0}: chaque point d’historique prévu avec ce qu’on savait avant lui",
    );
    header(
        &mut h,
        kind,
        &scenario.meta.name,
        scenario.meta.description.as_deref(),
        meta,
    );
    let _ = write!(
        h,
        "<section>\n<h2>{}</h2>\n<p>{}</p>\n<table class=\"wide\">\n<thead><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">PIT</th><th class=\"num\">50%</th><th class=\"num\">90%</th><th class=\"num\">CRPS</th><th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
        escape(tr(lang, "Scores", "Scores")),
        escape(tr(
            lang,
            "PIT is the observation's percentile in the forecast (near 0 or 1: a surprise). \
             CRPS and the interval score (90%) are in jobs; lower is better (Gneiting and \
             Raftery 2007). Forecasts are of the reported figure, its stated error included. \
             The in-sample rows check the fit; they are not forecasts.",
            "Le PIT est le rang centile de l’observation dans la prévision (proche de 0 ou 1\u{a0}: \
             une surprise). Le CRPS et le score d’intervalle (90\u{a0}%) sont en emplois\u{a0}; plus \
             bas est meilleur (Gneiting et Raftery 2007). Les prévisions portent sur le chiffre \
             publié, erreur déclarée comprise. Les lignes «\u{a0}dans l’échantillon\u{a0}» vérifient \
             le calage\u{a0}; ce ne sont pas des prévisions.",
        )),
        escape(tr(lang, "Date", "Date")),
        escape(tr(lang, "Forecast from", "Prévision")),
        escape(tr(lang, "Observed", "Observé")),
        escape(tr(lang, "90% interval", "Intervalle à 90\u{a0}%")),
        escape(tr(lang, "Interval score", "Score d’intervalle")),
    );
    let yes = |v: bool| {
        if v {
            tr(lang, "yes", "oui")
        } else {
            tr(lang, "no", "non")
        }
    };
    for r in &b.rows {
        let s = &r.score;
        let date = r
            .date
            .parse()
            .map(|d| lang.month(d))
            .unwrap_or_else(|_| r.date.clone());
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{} – {}</td><td class=\"num\">{:.3}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{:.0}</td><td class=\"num\">{:.0}</td></tr>",
            escape(&date),
            escape(basis_words(r.basis, lang)),
            lang.thousands(r.observed.into()),
            lang.thousands(s.quantiles[0].round() as u64),
            lang.thousands(s.quantiles[4].round() as u64),
            s.pit,
            yes(s.in50),
            yes(s.in90),
            s.crps,
            s.interval_score90,
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
    figures(
        &mut h,
        lang,
        charts,
        &crate::present::chart::calibration::BACKTEST_CHART_NAMES,
        &[(
            "backtest",
            tr(
                lang,
                "Each history point (dot) against its forecasts' 50% and 90% intervals: from the priors, from earlier points, and fitted to all points.",
                "Chaque point d’historique (point) face aux intervalles à 50\u{a0}% et 90\u{a0}% de ses prévisions\u{a0}: a priori, calée sur les points antérieurs, calée sur tous les points.",
            ),
        )],
    );
    let size = match lang {
        Lang::En => format!(
            "{} paths per forecast; {} simulations in calibrations.",
            lang.thousands(b.paths),
            lang.thousands(b.calibration_simulations)
        ),
        Lang::Fr => format!(
            "{}\u{a0}trajectoires par prévision\u{a0}; {}\u{a0}simulations de calage.",
            lang.thousands(b.paths),
            lang.thousands(b.calibration_simulations)
        ),
    };
    footer(&mut h, lang, provenance, b.seed, b.paths, &size);
    h
}
