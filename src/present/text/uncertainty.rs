//! Honest statements of uncertainty: the simulation (Monte Carlo) error of a
//! chance, named as such and never as a confidence interval of the forecast,
//! and whether a forecast is fitted to history.

use crate::analysis::backtest::Row;
use crate::analysis::calibrate::fitted_points;
use crate::core::scenario::Scenario;
use crate::core::stats::Proportion;
use crate::present::text::Lang;

/// A chance estimated from `paths` paths as a headline figure: the share, or,
/// where no path (or every path) succeeded, the bound the paths can resolve
/// ("< 0.05%" for none of 2,000): never a bare 0% or 100%.
pub fn headline_share(p: &Proportion, paths: u64, lang: Lang) -> String {
    let resolution = 1.0 / paths.max(1) as f64;
    // The sign and its space as `Lang::share` writes them ("< 0.01%",
    // "<\u{a0}0,01\u{a0}%"), around the bound the paths resolve.
    let bounded = |sign: char, share: String| {
        let bound = share.trim_start_matches(['<', '>', ' ', '\u{a0}']);
        match lang {
            Lang::En => format!("{sign} {bound}"),
            Lang::Fr => format!("{sign}\u{a0}{bound}"),
        }
    };
    if p.estimate <= 0.0 {
        bounded('<', lang.share(resolution))
    } else if p.estimate >= 1.0 {
        bounded('>', lang.share(1.0 - resolution))
    } else {
        lang.share(p.estimate)
    }
}

/// The 95% interval of a chance, never with a bare 0% or 100% end: "0.02%
/// to 0.19%", or "up to 0.19%" when its lower end is 0 (no path, or too few,
/// succeeded), "from 99.8%" when its upper end is 1.
pub fn share_interval(p: &Proportion, lang: Lang) -> String {
    // Rounding error of interval arithmetic is not a probability (as in
    // `Lang::share`).
    match (lang, p.ci95_low < 1e-12, p.ci95_high > 1.0 - 1e-12) {
        (Lang::En, true, false) => format!("up to {}", lang.share(p.ci95_high)),
        (Lang::Fr, true, false) => format!("jusqu’à {}", lang.share(p.ci95_high)),
        (Lang::En, false, true) => format!("from {}", lang.share(p.ci95_low)),
        (Lang::Fr, false, true) => format!("à partir de {}", lang.share(p.ci95_low)),
        _ => lang.interval(&lang.share(p.ci95_low), &lang.share(p.ci95_high)),
    }
}

/// A chance estimated from `paths` paths with its simulation error: "0.4% ±
/// 0.1 points of simulation error" (the half-width of its 95% interval), or
/// "below 1 in 20,000 paths" when no path succeeded (or every one did: "above
/// 19,999 in 20,000 paths"), with a suggestion to run more paths.
pub fn chance_with_error(p: &Proportion, paths: u64, lang: Lang) -> String {
    let n = lang.thousands(paths);
    if p.estimate <= 0.0 {
        return match lang {
            Lang::En => format!("below 1 in {n} paths (run more paths to resolve it)"),
            Lang::Fr => format!(
                "moins de 1 sur {n}\u{a0}trajectoires (simulez davantage de trajectoires pour la mesurer)"
            ),
        };
    }
    if p.estimate >= 1.0 {
        let m = lang.thousands(paths.saturating_sub(1));
        return match lang {
            Lang::En => format!("above {m} in {n} paths (run more paths to resolve it)"),
            Lang::Fr => format!("plus de {m} sur {n}\u{a0}trajectoires"),
        };
    }
    let half = 0.5 * (p.ci95_high - p.ci95_low) * 100.0;
    let decimals = if half >= 1.0 {
        0
    } else if half >= 0.1 {
        1
    } else {
        2
    };
    let points = format!("{half:.decimals$}");
    match lang {
        Lang::En => format!(
            "{} ± {points} points of simulation error",
            lang.share(p.estimate)
        ),
        Lang::Fr => format!(
            "{} ± {}\u{a0}points d’erreur de simulation",
            lang.share(p.estimate),
            points.replace('.', ",")
        ),
    }
}

/// How the priors alone forecast the history points (the back-test a run
/// reports): "Back-test: from the priors alone, the 600 jobs of Jul 2020 fell
/// at the 3rd percentile of the forecast (outside its 90% band) ...". `None`
/// without history points after the start.
pub fn backtest_status(rows: &[Row], lang: Lang) -> Option<String> {
    if rows.is_empty() {
        return None;
    }
    let points: Vec<String> = rows
        .iter()
        .map(|r| {
            let date = r
                .date
                .parse::<crate::core::calendar::YearMonth>()
                .map_or_else(|_| r.date.clone(), |d| lang.month(d));
            let jobs = lang.thousands(u64::from(r.observed));
            let percentile = r.score.pit * 100.0;
            let crps = lang.thousands(r.score.crps.round() as u64);
            match (lang, r.score.in90) {
                (Lang::En, inside) => format!(
                    "the {jobs} jobs of {date} fell at the {} of the forecast ({} its 90% band; CRPS {crps} jobs)",
                    percentile_words(percentile, lang),
                    if inside { "inside" } else { "outside" }
                ),
                (Lang::Fr, inside) => format!(
                    "les {jobs}\u{a0}emplois de {date} tombent au {} de la prévision ({} de sa bande à 90\u{a0}%\u{a0}; CRPS {crps}\u{a0}emplois)",
                    percentile_words(percentile, lang),
                    if inside { "à l’intérieur" } else { "en dehors" }
                ),
            }
        })
        .collect();
    Some(match lang {
        Lang::En => format!(
            "Back-test, forecasting from the priors alone (before any fitting): {}. `shorecast backtest` scores it in full.",
            points.join("; ")
        ),
        Lang::Fr => format!(
            "Contrôle sur l’historique, en prévoyant à partir des seules hypothèses a priori (avant tout calage)\u{a0}: {}. `shorecast backtest` le détaille.",
            points.join("\u{a0}; ")
        ),
    })
}

/// Where an observation fell in a forecast, `percent` of it below: "3rd
/// percentile", "3ᵉ centile"; beyond the first and last, "bottom" and "top".
fn percentile_words(percent: f64, lang: Lang) -> String {
    let k = percent.round() as u32;
    match (lang, k) {
        (Lang::En, 0) => "very bottom (below the 1st percentile)".to_string(),
        (Lang::En, 100..) => "very top (above the 99th percentile)".to_string(),
        (Lang::Fr, 0) => "tout en bas (sous le 1er centile)".to_string(),
        (Lang::Fr, 100..) => "tout en haut (au-dessus du 99ᵉ centile)".to_string(),
        (Lang::En, k) => {
            let suffix = match (k % 10, k % 100) {
                (_, 11..=13) => "th",
                (1, _) => "st",
                (2, _) => "nd",
                (3, _) => "rd",
                _ => "th",
            };
            format!("{k}{suffix} percentile")
        }
        (Lang::Fr, 1) => "1er centile".to_string(),
        (Lang::Fr, k) => format!("{k}ᵉ centile"),
    }
}

/// Whether the forecast of `scenario` is fitted to its history: "Fitted to 1
/// history point (Jul 2020) by calibration (ABC)." or "Not fitted to history:
/// the forecast follows the priors."
pub fn fit_status(scenario: &Scenario, lang: Lang) -> String {
    let Some(posterior) = &scenario.posterior else {
        let has_history = fitted_points(scenario).is_ok();
        return match (lang, has_history) {
            (Lang::En, true) => "Not fitted to history: the forecast follows the priors. \
                 Run `shorecast calibrate` to fit them to the history points."
                .to_string(),
            (Lang::En, false) => "Not fitted to history: the forecast follows the priors \
                 (the scenario has no history point after its start)."
                .to_string(),
            (Lang::Fr, true) => "Non calée sur l’historique\u{a0}: la prévision suit les \
                 hypothèses a priori. Lancez `shorecast calibrate` pour les caler."
                .to_string(),
            (Lang::Fr, false) => "Non calée sur l’historique\u{a0}: la prévision suit les \
                 hypothèses a priori (aucun point d’historique après le départ)."
                .to_string(),
        };
    };
    let dates: Vec<String> = fitted_points(scenario)
        .unwrap_or_default()
        .iter()
        .filter(|p| p.month <= posterior.replay_months)
        .map(|p| {
            let colon = match lang {
                Lang::En => ":",
                Lang::Fr => "\u{a0}:",
            };
            format!(
                "{}{colon} {}",
                lang.month(p.observation.date),
                lang.thousands(p.observation.headcount.into())
            )
        })
        .collect();
    let k = dates.len();
    let ess = lang.thousands(posterior.ess().round() as u64);
    match lang {
        Lang::En => format!(
            "Fitted to {k} history point{} ({}) by calibration (ABC, {} particles, effective \
             sample size {ess}): each path's past agrees with them; its future is simulated afresh. \
             Simulation errors are given this posterior: the posterior's own Monte Carlo error \
             (a finite set of particles) is not in them, and more paths do not shrink it.",
            if k == 1 { "" } else { "s" },
            dates.join(", "),
            lang.thousands(posterior.len() as u64),
        ),
        Lang::Fr => format!(
            "Calée sur {k}\u{a0}point{} d’historique ({}) par calibration (ABC, {}\u{a0}particules, \
             taille d’échantillon effective {ess})\u{a0}: le passé de chaque trajectoire les \
             respecte, son avenir est simulé à neuf. Les erreurs de simulation sont données \
             sachant ce postérieur\u{a0}: l’erreur de Monte Carlo propre au postérieur (un nombre \
             fini de particules) n’y est pas, et davantage de trajectoires ne la réduit pas.",
            if k == 1 { "" } else { "s" },
            dates.join(", "),
            lang.thousands(posterior.len() as u64),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_interval_never_ends_at_a_bare_zero() {
        let none = Proportion::wilson(0, 2000);
        assert_eq!(share_interval(&none, Lang::En), "up to 0.19%");
        assert!(share_interval(&none, Lang::Fr).starts_with("jusqu’à 0,19"));
        let all = Proportion::wilson(2000, 2000);
        assert!(share_interval(&all, Lang::En).starts_with("from 99.8"));
        let some = Proportion::wilson(10, 2000);
        assert!(share_interval(&some, Lang::En).contains(" to "));
    }

    #[test]
    fn a_back_test_is_told_in_words() {
        use crate::analysis::backtest::{Basis, Score};
        let row = |pit: f64, in90| Row {
            date: "2020-07".to_string(),
            month: 16,
            observed: 600,
            uncertainty: 0.1,
            basis: Basis::Prior,
            fitted_points: 0,
            score: Score {
                pit,
                quantiles: [0.0; 5],
                in50: false,
                in90,
                crps: 410.4,
                interval_score50: 0.0,
                interval_score90: 0.0,
            },
        };
        assert_eq!(backtest_status(&[], Lang::En), None);
        let en = backtest_status(&[row(0.031, false)], Lang::En).unwrap();
        assert!(
            en.contains("the 600 jobs of Jul 2020 fell at the 3rd percentile of the forecast (outside its 90% band; CRPS 410 jobs)"),
            "{en}"
        );
        let fr = backtest_status(&[row(0.5, true)], Lang::Fr).unwrap();
        assert!(
            fr.contains("50ᵉ centile") && fr.contains("à l’intérieur"),
            "{fr}"
        );
        assert!(
            backtest_status(&[row(0.112, true)], Lang::En)
                .unwrap()
                .contains("11th percentile")
        );
        assert!(
            backtest_status(&[row(0.001, false)], Lang::En)
                .unwrap()
                .contains("below the 1st")
        );
    }

    #[test]
    fn a_headline_chance_never_reads_zero_or_certain() {
        let none = Proportion::wilson(0, 2_000);
        assert_eq!(headline_share(&none, 2_000, Lang::En), "< 0.05%");
        // French keeps one no-break space after the sign, as `Lang::share`.
        assert_eq!(
            headline_share(&none, 20_000, Lang::Fr),
            "<\u{a0}0,01\u{a0}%"
        );
        assert_eq!(headline_share(&none, 2_000, Lang::Fr), "<\u{a0}0,05\u{a0}%");
        let all = Proportion::wilson(2_000, 2_000);
        assert_eq!(headline_share(&all, 2_000, Lang::En), "> 99.95%");
        let some = Proportion::wilson(50, 2_000);
        assert_eq!(headline_share(&some, 2_000, Lang::En), "2.5%");
    }

    #[test]
    fn simulation_error_is_named_and_zero_is_bounded() {
        let p = Proportion::wilson(80, 20_000);
        let text = chance_with_error(&p, 20_000, Lang::En);
        assert!(text.starts_with("0.4"), "{text}");
        assert!(text.ends_with("points of simulation error"), "{text}");
        assert!(!text.contains("confidence"));
        let none = Proportion::wilson(0, 20_000);
        assert_eq!(
            chance_with_error(&none, 20_000, Lang::En),
            "below 1 in 20,000 paths (run more paths to resolve it)"
        );
    }
}
