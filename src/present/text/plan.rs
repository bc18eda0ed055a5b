//! The words of a plan, in English and French: the answer first (the cheapest
//! package that reaches the target, the best within the budget), then the
//! frontier, the race and the value of information.

use crate::analysis::plan::{Confirmed, Information, Plan};
use crate::analysis::value_of_information::InformationValue;
use crate::core::scenario::Scenario;
use crate::input::lever::Levers;
use crate::present::text::Lang;
use crate::present::text::uncertainty::headline_share;

/// `en` or `fr`, as `lang` asks.
fn pick(lang: Lang, en: String, fr: String) -> String {
    match lang {
        Lang::En => en,
        Lang::Fr => fr,
    }
}

/// An amount in millions of MAD: "30.0 M MAD", "30,0 M MAD".
pub fn millions(lang: Lang, mad: f64) -> String {
    let v = lang.number_fixed(mad / 1e6, 1);
    match lang {
        Lang::En => format!("{v} M MAD"),
        Lang::Fr => format!("{v}\u{a0}M\u{a0}MAD"),
    }
}

/// A package named by the levers that are on: "OFPPT training places: 2,000
/// places a year + Transport support: region-wide network", or "no measure".
pub fn package_name(levers: &Levers, levels: &[usize], lang: Lang) -> String {
    let on: Vec<String> = levers
        .levers
        .iter()
        .zip(levels)
        .filter(|(_, level)| **level > 0)
        .map(|(lever, &level)| match lang {
            Lang::En => format!("{}: {}", lever.name, lever.levels[level].name),
            Lang::Fr => format!("{}\u{a0}: {}", lever.name, lever.levels[level].name),
        })
        .collect();
    if on.is_empty() {
        pick(
            lang,
            "no measure (the base)".into(),
            "aucune mesure (la base)".into(),
        )
    } else {
        on.join(" + ")
    }
}

/// A package named by its levels alone, for chart labels: "2,000 places a
/// year + Region-wide network".
pub fn package_levels(levers: &Levers, levels: &[usize], lang: Lang) -> String {
    let on: Vec<String> = levers
        .levers
        .iter()
        .zip(levels)
        .filter(|(_, level)| **level > 0)
        .map(|(lever, &level)| lever.levels[level].name.to_string())
        .collect();
    if on.is_empty() {
        package_name(levers, levels, lang)
    } else {
        on.join(" + ")
    }
}

/// The month by which half the paths reach the target, in words.
pub fn half_reached(scenario: &Scenario, c: &Confirmed, lang: Lang) -> String {
    match c.half_reached_month {
        Some(m) => pick(
            lang,
            format!(
                "half the paths reach the target by {}",
                lang.month(scenario.date(m))
            ),
            format!(
                "la moitié des trajectoires atteint l’objectif en {}",
                lang.month(scenario.date(m))
            ),
        ),
        None => pick(
            lang,
            format!(
                "fewer than half the paths reach the target by {}",
                lang.month(scenario.date(scenario.meta.horizon_months))
            ),
            format!(
                "moins de la moitié des trajectoires atteint l’objectif d’ici {}",
                lang.month(scenario.date(scenario.meta.horizon_months))
            ),
        ),
    }
}

/// The plan's answer, in sentences: the cheapest package reaching the target
/// with the probability sought (or how far the most likely falls short), the
/// best within the budget, the frontier, and the value of information.
pub fn answer_sentences(scenario: &Scenario, levers: &Levers, p: &Plan, lang: Lang) -> Vec<String> {
    let t = scenario.target;
    let date = lang.month(scenario.date(t.month));
    let target = lang.thousands(u64::from(t.headcount));
    let n = p.settings.paths;
    let share = lang.share(p.settings.probability);
    let mut out = Vec::new();
    let describe = |c: &Confirmed| {
        let r = &p.packages[c.package];
        (
            package_name(levers, &r.levels, lang),
            millions(lang, r.cost_per_year),
            headline_share(&r.p_target, r.paths, lang),
        )
    };
    match p.cheapest_reaching {
        Some(slot) => {
            let c = &p.confirmed[slot];
            let (name, per_year, chance) = describe(c);
            out.push(pick(
                lang,
                format!(
                    "The cheapest package that reaches {target} jobs by {date} on at least {share} of paths: \
                     {name}, at {per_year} a year; it reaches the target on {chance} of paths, and {}.",
                    half_reached(scenario, c, lang)
                ),
                format!(
                    "Le paquet le moins cher qui atteint {target} emplois en {date} sur au moins {share} des \
                     trajectoires\u{a0}: {name}, pour {per_year} par an\u{a0}; il atteint l’objectif sur {chance} \
                     des trajectoires, et {}.",
                    half_reached(scenario, c, lang)
                ),
            ));
        }
        None => {
            let c = &p.confirmed[p.most_likely];
            let (name, per_year, chance) = describe(c);
            let short = i64::from(t.headcount) - i64::from(c.median_headcount);
            let gap = if short > 0 {
                pick(
                    lang,
                    format!(", {} short of the target", lang.thousands(short as u64)),
                    format!(", {} de moins que l’objectif", lang.thousands(short as u64)),
                )
            } else {
                String::new()
            };
            out.push(pick(
                lang,
                format!(
                    "No package of these levers reaches {target} jobs by {date} on {share} of paths. The most \
                     likely, {name} ({per_year} a year), reaches it on {chance} of paths; its median is {} jobs{gap}.",
                    lang.thousands(u64::from(c.median_headcount))
                ),
                format!(
                    "Aucun paquet de ces leviers n’atteint {target} emplois en {date} sur {share} des \
                     trajectoires. Le plus probable, {name} ({per_year} par an), l’atteint sur {chance} des \
                     trajectoires\u{a0}; sa médiane est de {} emplois{gap}.",
                    lang.thousands(u64::from(c.median_headcount))
                ),
            ));
        }
    }
    if let Some(budget) = p.settings.budget_per_year {
        let budget = millions(lang, budget);
        match p.best_within_budget {
            Some(slot) => {
                let c = &p.confirmed[slot];
                let r = &p.packages[c.package];
                let (name, per_year, chance) = describe(c);
                out.push(pick(
                    lang,
                    format!(
                        "Within {budget} a year, the package adding most jobs by {date} is {name} ({per_year} a \
                         year): {} jobs (95% interval of the mean {}; from {} to {} across futures, 10th to 90th \
                         percentile); the target is reached on {chance} of paths, and {}.",
                        lang.signed_jobs(r.jobs_added),
                        lang.interval(&lang.signed_jobs(c.jobs_added_ci95.0), &lang.signed_jobs(c.jobs_added_ci95.1)),
                        lang.signed_jobs(c.jobs_added_p10_p90.0),
                        lang.signed_jobs(c.jobs_added_p10_p90.1),
                        half_reached(scenario, c, lang)
                    ),
                    format!(
                        "Avec {budget} par an, le paquet qui ajoute le plus d’emplois en {date} est {name} \
                         ({per_year} par an)\u{a0}: {} emplois (intervalle à 95\u{a0}% de la moyenne {}\u{a0}; de {} à {} \
                         selon les avenirs, du 10ᵉ au 90ᵉ centile)\u{a0}; l’objectif est atteint sur {chance} des \
                         trajectoires, et {}.",
                        lang.signed_jobs(r.jobs_added),
                        lang.interval(&lang.signed_jobs(c.jobs_added_ci95.0), &lang.signed_jobs(c.jobs_added_ci95.1)),
                        lang.signed_jobs(c.jobs_added_p10_p90.0),
                        lang.signed_jobs(c.jobs_added_p10_p90.1),
                        half_reached(scenario, c, lang)
                    ),
                ));
            }
            None => out.push(pick(
                lang,
                format!("No package but the base fits within {budget} a year."),
                format!("Aucun paquet autre que la base ne tient dans {budget} par an."),
            )),
        }
    }
    let frontier = p.confirmed.iter().filter(|c| c.on_jobs_frontier).count();
    out.push(pick(
        lang,
        format!(
            "{} of the {} packages are on the efficient frontier (no other package adds more jobs for less); \
             the race ran every package on {} paths first and only those that could still be on it on more, \
             up to {} paths ({} paths simulated in all).",
            frontier,
            lang.thousands(p.packages.len() as u64),
            lang.thousands(p.rounds.first().map_or(n, |r| r.paths)),
            lang.thousands(n),
            lang.thousands(p.simulated_paths)
        ),
        format!(
            "{} des {} paquets sont sur la frontière efficace (aucun autre n’ajoute plus d’emplois pour \
             moins)\u{a0}; la course a simulé chaque paquet sur {} trajectoires d’abord, puis sur davantage \
             seulement ceux qui pouvaient encore y être, jusqu’à {} ({} trajectoires simulées en tout).",
            frontier,
            lang.thousands(p.packages.len() as u64),
            lang.thousands(p.rounds.first().map_or(n, |r| r.paths)),
            lang.thousands(n),
            lang.thousands(p.simulated_paths)
        ),
    ));
    if let Some(info) = &p.information {
        let chosen = info.chosen_now.map_or_else(
            || package_name(levers, &[], lang),
            |k| package_name(levers, &p.packages[k].levels, lang),
        );
        out.push(information_sentence(info, &chosen, lang));
    }
    out
}

/// What the value of information says, in one or two sentences, `chosen`
/// naming the option chosen now.
pub fn information_sentence(info: &Information, chosen: &str, lang: Lang) -> String {
    let (value_per_job, evpi, top) = (info.value_per_job, &info.evpi, info.inputs.first());
    let per_job = lang.thousands(value_per_job.round() as u64);
    let worth = |v: &InformationValue| {
        pick(
            lang,
            format!(
                "{} (± {}, about {} jobs' worth)",
                millions(lang, v.value_mad),
                millions(lang, v.halfwidth()),
                lang.number(v.value_mad / value_per_job)
            ),
            format!(
                "{} (± {}, environ {} emplois)",
                millions(lang, v.value_mad),
                millions(lang, v.halfwidth()),
                lang.number(v.value_mad / value_per_job)
            ),
        )
    };
    let first = pick(
        lang,
        format!(
            "Valuing a job in the target month at {per_job} MAD, the best choice now is {chosen}; knowing every \
             uncertain input before choosing would be worth {}.",
            worth(evpi)
        ),
        format!(
            "À {per_job}\u{a0}MAD l’emploi au mois de l’objectif, le meilleur choix aujourd’hui est {chosen}\u{a0}; \
             connaître toutes les hypothèses incertaines avant de choisir vaudrait {}.",
            worth(evpi)
        ),
    );
    let second = match top.filter(|v| v.is_clear()) {
        Some(v) => pick(
            lang,
            format!(
                "The uncertainty most worth resolving first is {}: a study that settled it would be worth \
                 commissioning for up to {}.",
                lang.param_label(&v.name),
                worth(v)
            ),
            format!(
                "L’incertitude qu’il vaut le plus la peine de lever d’abord est {}\u{a0}: une étude qui la \
                 trancherait vaudrait d’être commandée jusqu’à {}.",
                lang.param_label(&v.name),
                worth(v)
            ),
        ),
        None => pick(
            lang,
            "No single input is clearly worth a study: none's value is above twice its simulation error.".into(),
            "Aucune hypothèse seule ne vaut clairement une étude\u{a0}: aucune valeur ne dépasse deux fois son \
             erreur de simulation."
                .into(),
        ),
    };
    format!("{first} {second}")
}
