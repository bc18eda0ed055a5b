//! The outputs of `shorecast plan`: `plan.json`, `frontier.csv`,
//! `packages.csv`, `information.csv` (with a value per job), `plan.xlsx`, the
//! frontier chart and `report.html`, which opens with the answer.

use std::fmt::Write as _;

use serde::Serialize;

use crate::analysis::plan::{Information, Plan};
use crate::core::scenario::Scenario;
use crate::input::lever::Levers;
use crate::present::chart::{self, ChartOptions};
use crate::present::output::{OutputError, Provenance, StagedDir, csv_text, write_csv};
use crate::present::report::{
    escape, figures, footer, header, information_label, information_section, open_page,
};
use crate::present::text::Lang;
use crate::present::text::plan::{millions, package_name};
use crate::present::text::uncertainty::headline_share;
use crate::present::workbook;

pub use crate::present::text::plan::answer_sentences;

/// `plan.json`: the settings, the levers, every package raced, the rounds,
/// the confirmed packages and the value of information.
#[derive(Serialize)]
struct PlanFile<'a> {
    provenance: &'a Provenance,
    levers: Vec<LeverEntry>,
    plan: &'a Plan,
}

#[derive(Serialize)]
struct LeverEntry {
    name: String,
    start_month: u32,
    levels: Vec<String>,
}

/// Writes every output of a plan into `dir` (not yet committed).
pub fn write_plan(
    dir: &StagedDir,
    scenario: &Scenario,
    levers: &Levers,
    plan: &Plan,
    provenance: &Provenance,
    options: &ChartOptions,
    no_charts: bool,
) -> Result<(), OutputError> {
    let lang = options.lang;
    let file = PlanFile {
        provenance,
        levers: levers
            .levers
            .iter()
            .map(|l| LeverEntry {
                name: l.name.to_string(),
                start_month: l.start_month,
                levels: l.levels.iter().map(|v| v.name.to_string()).collect(),
            })
            .collect(),
        plan,
    };
    let json = serde_json::to_string_pretty(&file).expect("a plan always serialises");
    dir.write("plan.json", json + "\n")?;
    write_csv(dir, "frontier.csv", frontier_csv(levers, plan, lang))?;
    write_csv(dir, "packages.csv", packages_csv(levers, plan, lang))?;
    if let Some(info) = &plan.information {
        write_csv(dir, "information.csv", information_csv(info))?;
    }
    let xlsx = workbook::plan_workbook(levers, plan, lang).map_err(|e| OutputError {
        path: dir.file("plan.xlsx"),
        source: std::io::Error::other(format!("cannot build the workbook: {e}")),
    })?;
    dir.write("plan.xlsx", xlsx)?;
    let drawn = if no_charts {
        Vec::new()
    } else {
        chart::write_plan_charts(dir, scenario, levers, plan, options)?
    };
    dir.write(
        "report.html",
        report_html(scenario, levers, plan, provenance, &drawn, lang),
    )
}

/// `frontier.csv`: the packages confirmed on every path, cheapest first.
fn frontier_csv(levers: &Levers, p: &Plan, lang: Lang) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head = vec![
        "package".to_string(),
        "on_jobs_frontier".into(),
        "on_target_frontier".into(),
        "cost_mad_to_target".into(),
        "cost_mad_per_year".into(),
        "jobs_added".into(),
        "jobs_added_ci95_low".into(),
        "jobs_added_ci95_high".into(),
        "jobs_added_p10".into(),
        "jobs_added_p90".into(),
        "p_target".into(),
        "p_target_ci95_low".into(),
        "p_target_ci95_high".into(),
        "median_headcount".into(),
        "half_reached_month".into(),
    ];
    head.extend(levers.levers.iter().map(|l| csv_text(&l.name.to_string())));
    w.write_record(&head)?;
    for c in &p.confirmed {
        let r = &p.packages[c.package];
        let mut row = vec![
            csv_text(&package_name(levers, &r.levels, lang)),
            c.on_jobs_frontier.to_string(),
            c.on_target_frontier.to_string(),
            format!("{:.0}", r.cost),
            format!("{:.0}", r.cost_per_year),
            format!("{:.1}", r.jobs_added),
            format!("{:.1}", c.jobs_added_ci95.0),
            format!("{:.1}", c.jobs_added_ci95.1),
            format!("{:.0}", c.jobs_added_p10_p90.0),
            format!("{:.0}", c.jobs_added_p10_p90.1),
            format!("{:.5}", r.p_target.estimate),
            format!("{:.5}", r.p_target.ci95_low),
            format!("{:.5}", r.p_target.ci95_high),
            c.median_headcount.to_string(),
            c.half_reached_month
                .map_or(String::new(), |m| m.to_string()),
        ];
        row.extend(
            levers
                .levers
                .iter()
                .zip(&r.levels)
                .map(|(l, &level)| csv_text(&l.levels[level].name.to_string())),
        );
        w.write_record(&row)?;
    }
    Ok(w.into_inner().expect("writing to memory cannot fail"))
}

/// `packages.csv`: every package raced, with the paths it ran on.
fn packages_csv(levers: &Levers, p: &Plan, lang: Lang) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "number",
        "package",
        "paths",
        "dropped_in_round",
        "cost_mad_to_target",
        "cost_mad_per_year",
        "jobs_added",
        "jobs_added_standard_error",
        "p_target",
    ])?;
    for r in &p.packages {
        w.write_record([
            r.number.to_string(),
            csv_text(&package_name(levers, &r.levels, lang)),
            r.paths.to_string(),
            r.dropped_in_round.map_or(String::new(), |d| d.to_string()),
            format!("{:.0}", r.cost),
            format!("{:.0}", r.cost_per_year),
            format!("{:.1}", r.jobs_added),
            format!("{:.2}", r.jobs_added_error),
            format!("{:.5}", r.p_target.estimate),
        ])?;
    }
    Ok(w.into_inner().expect("writing to memory cannot fail"))
}

/// `information.csv`: the EVPI, then each group and input, in MAD and jobs
/// (for a plan, and for `compare --value-per-job`).
pub fn information_csv(info: &Information) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "kind",
        "name",
        "value_mad",
        "standard_error_mad",
        "value_jobs",
        "inputs",
    ])?;
    {
        let rows = std::iter::once(("all", &info.evpi))
            .chain(info.groups.iter().map(|g| ("group", g)))
            .chain(info.inputs.iter().map(|i| ("input", i)));
        for (kind, v) in rows {
            w.write_record([
                kind.to_string(),
                csv_text(&v.name),
                format!("{:.0}", v.value_mad),
                format!("{:.0}", v.standard_error_mad),
                format!("{:.2}", v.value_mad / info.value_per_job),
                csv_text(&v.inputs.join(" ")),
            ])?;
        }
    }
    Ok(w.into_inner().expect("writing to memory cannot fail"))
}

/// The frontier as a terminal table, and the value of information.
pub fn frontier_text(levers: &Levers, p: &Plan, lang: Lang) -> String {
    let mut out = String::new();
    let heads = match lang {
        Lang::En => [
            "MAD M/yr",
            "jobs",
            "95% interval",
            "10th-90th pct",
            "P(target)",
            "package",
        ],
        Lang::Fr => [
            "M MAD/an",
            "emplois",
            "intervalle 95 %",
            "10e-90e centile",
            "P(objectif)",
            "paquet",
        ],
    };
    let _ = writeln!(
        out,
        "{:>10} {:>10} {:>22} {:>20} {:>11}  {}",
        heads[0], heads[1], heads[2], heads[3], heads[4], heads[5]
    );
    let safe = crate::present::output::terminal_safe;
    for c in p.confirmed.iter().filter(|c| c.on_jobs_frontier) {
        let r = &p.packages[c.package];
        let _ = writeln!(
            out,
            "{:>10} {:>10} {:>22} {:>20} {:>11}  {}",
            lang.number_fixed(r.cost_per_year / 1e6, 1),
            lang.signed_jobs(r.jobs_added),
            lang.interval(
                &lang.signed_jobs(c.jobs_added_ci95.0),
                &lang.signed_jobs(c.jobs_added_ci95.1)
            ),
            lang.interval(
                &lang.signed_jobs(c.jobs_added_p10_p90.0),
                &lang.signed_jobs(c.jobs_added_p10_p90.1)
            ),
            headline_share(&r.p_target, r.paths, lang),
            safe(&package_name(levers, &r.levels, lang)),
        );
    }
    if let Some(info) = &p.information {
        let _ = writeln!(
            out,
            "{}",
            match lang {
                Lang::En =>
                    "Value of information (MAD M, with 95% simulation error; below zero shown as 0):",
                Lang::Fr =>
                    "Valeur de l’information (M MAD, avec l’erreur de simulation à 95 % ; sous zéro affichée 0) :",
            }
        );
        for v in std::iter::once(&info.evpi)
            .chain(&info.groups)
            .chain(info.inputs.iter().take(8))
        {
            let _ = writeln!(
                out,
                "  {:<60} {:>8} ± {}",
                safe(&information_label(&v.name, lang)),
                lang.number_fixed(v.value_mad.max(0.0) / 1e6, 1),
                lang.number_fixed(v.halfwidth() / 1e6, 1)
            );
        }
    }
    out
}

/// The plan report: the answer, the frontier chart and table, the race, the
/// value of information, the levers, and the reproducibility footer.
fn report_html(
    scenario: &Scenario,
    levers: &Levers,
    p: &Plan,
    provenance: &Provenance,
    charts: &[(String, String)],
    lang: Lang,
) -> String {
    let en = lang == Lang::En;
    let tr = |e: &str, f: &str| if en { e.to_string() } else { f.to_string() };
    let mut h = String::new();
    let title = tr("Plan", "Plan");
    open_page(&mut h, lang, &format!("{title}: {}", scenario.meta.name));
    let meta = if en {
        format!(
            "{} packages of {} levers, on common random numbers; value of a job: {}",
            lang.thousands(p.packages.len() as u64),
            levers.levers.len(),
            p.settings
                .value_per_job
                .map_or("not given".to_string(), |v| format!(
                    "{} MAD",
                    lang.thousands(v as u64)
                ))
        )
    } else {
        format!(
            "{} paquets de {} leviers, sur nombres aléatoires communs\u{a0}; valeur d’un emploi\u{a0}: {}",
            lang.thousands(p.packages.len() as u64),
            levers.levers.len(),
            p.settings
                .value_per_job
                .map_or("non donnée".to_string(), |v| format!(
                    "{}\u{a0}MAD",
                    lang.thousands(v as u64)
                ))
        )
    };
    header(
        &mut h,
        &title,
        &scenario.meta.name,
        scenario.meta.description.as_deref(),
        &meta,
    );
    let _ = writeln!(
        h,
        "<section>\n<h2>{}</h2>",
        escape(&tr("The answer", "La réponse"))
    );
    for sentence in answer_sentences(scenario, levers, p, lang) {
        let _ = writeln!(h, "<p>{}</p>", escape(&sentence));
    }
    let _ = writeln!(
        h,
        "<p class=\"note\">{}</p>\n</section>",
        escape(&tr(
            "Jobs added are counted in the target month against the base on the same paths (common random numbers): \
             the 95% interval is the simulation error of the mean; the 10th to 90th percentile is how much the gain \
             varies across futures. Costs run from each lever's start month to the target month.",
            "Les emplois ajoutés sont comptés au mois de l’objectif par rapport à la base sur les mêmes trajectoires \
             (nombres aléatoires communs)\u{a0}: l’intervalle à 95\u{a0}% est l’erreur de simulation de la moyenne\u{a0}; \
             du 10ᵉ au 90ᵉ centile, c’est la variation du gain selon les avenirs. Les coûts courent du mois de \
             départ de chaque levier au mois de l’objectif."
        ))
    );
    let caption = tr(
        "Each grey dot is a package raced; the line joins the efficient frontier, each point confirmed on every path with its 95% interval.",
        "Chaque point gris est un paquet évalué\u{a0}; la ligne joint la frontière efficace, chaque point confirmé sur toutes les trajectoires avec son intervalle à 95\u{a0}%.",
    );
    figures(
        &mut h,
        lang,
        charts,
        &["frontier"],
        &[("frontier", caption.as_str())],
    );
    // The frontier table.
    let _ = writeln!(
        h,
        "<section>\n<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        escape(&tr("The efficient frontier", "La frontière efficace")),
        escape(&tr("Package", "Paquet")),
        escape(&tr("Cost per year", "Coût par an")),
        escape(&tr("Jobs added (95%)", "Emplois ajoutés (95\u{a0}%)")),
        escape(&tr(
            "Across futures, 10th–90th",
            "Selon les avenirs, 10ᵉ–90ᵉ"
        )),
        escape(&tr("P(target)", "P(objectif)")),
        escape(&tr(
            "Half the paths at the target",
            "La moitié des trajectoires à l’objectif"
        )),
    );
    for c in p.confirmed.iter().filter(|c| c.on_jobs_frontier) {
        let r = &p.packages[c.package];
        let _ = writeln!(
            h,
            "<tr><td class=\"name\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}<span class=\"ci\">{}</span></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(&package_name(levers, &r.levels, lang)),
            escape(&millions(lang, r.cost_per_year)),
            escape(&lang.signed_jobs(r.jobs_added)),
            escape(&lang.interval(
                &lang.signed_jobs(c.jobs_added_ci95.0),
                &lang.signed_jobs(c.jobs_added_ci95.1)
            )),
            escape(&lang.interval(
                &lang.signed_jobs(c.jobs_added_p10_p90.0),
                &lang.signed_jobs(c.jobs_added_p10_p90.1)
            )),
            escape(&headline_share(&r.p_target, r.paths, lang)),
            escape(
                &c.half_reached_month
                    .map_or("–".to_string(), |m| lang.month(scenario.date(m)))
            ),
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
    // The race.
    let _ = writeln!(
        h,
        "<section>\n<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        escape(&tr(
            "What was simulated at what size",
            "Ce qui a été simulé, et sur combien de trajectoires"
        )),
        escape(&tr("Paths per package", "Trajectoires par paquet")),
        escape(&tr("Packages", "Paquets")),
        escape(&tr(
            "Dropped: surely dominated",
            "Écartés\u{a0}: sûrement dominés"
        )),
    );
    for r in &p.rounds {
        let _ = writeln!(
            h,
            "<tr><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            lang.thousands(r.paths),
            lang.thousands(r.packages as u64),
            lang.thousands(r.dropped as u64)
        );
    }
    let _ = writeln!(
        h,
        "</tbody>\n</table>\n<p class=\"note\">{}</p>\n</section>",
        escape(&tr(
            "A package is dropped when another one costs no more and adds more jobs, both beyond 3 standard errors of their simulation error; packages on the frontier of cost against P(target) stay to the end. The packages named above were simulated again on every path.",
            "Un paquet est écarté quand un autre ne coûte pas plus et ajoute plus d’emplois, au-delà de 3 écarts-types de leur erreur de simulation\u{a0}; les paquets sur la frontière du coût et de P(objectif) restent jusqu’au bout. Les paquets nommés ci-dessus ont été simulés à nouveau sur toutes les trajectoires."
        ))
    );
    if let Some(info) = &p.information {
        information_section(&mut h, info, lang);
    }
    // The levers.
    let _ = writeln!(
        h,
        "<section>\n<h2>{}</h2>",
        escape(&tr("The levers", "Les leviers"))
    );
    for lever in &levers.levers {
        let _ = write!(
            h,
            "<h3>{}</h3>\n<p class=\"note\">{}{}</p>\n<table>\n<thead><tr><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
            escape(&lever.name.to_string()),
            lever
                .description
                .as_ref()
                .map_or(String::new(), |d| format!("{}. ", escape(&d.to_string()))),
            escape(&if en {
                format!("From {}.", lang.month(scenario.date(lever.start_month)))
            } else {
                format!(
                    "À partir de {}.",
                    lang.month(scenario.date(lever.start_month))
                )
            }),
            escape(&tr("Level", "Niveau")),
            escape(&tr("Costs", "Coûts")),
        );
        for level in &lever.levels {
            let c = level.costs;
            let mut parts = Vec::new();
            if c.per_year > 0.0 {
                parts.push(format!(
                    "{} {}",
                    millions(lang, c.per_year),
                    tr("a year", "par an")
                ));
            }
            if c.per_hire > 0.0 {
                parts.push(format!(
                    "{} MAD {}",
                    lang.thousands(c.per_hire as u64),
                    tr("per hire", "par embauche")
                ));
            }
            if c.per_job_at_target > 0.0 {
                parts.push(format!(
                    "{} MAD {}",
                    lang.thousands(c.per_job_at_target as u64),
                    tr("per job created", "par emploi créé")
                ));
            }
            let changes = level.described_changes();
            let changes = if changes.is_empty() {
                tr("no change", "aucun changement")
            } else {
                changes
            };
            let _ = writeln!(
                h,
                "<tr><td class=\"name\">{}<span class=\"sub\"><code>{}</code></span></td><td>{}</td></tr>",
                escape(&level.name.to_string()),
                escape(&changes),
                escape(&if parts.is_empty() {
                    "–".to_string()
                } else {
                    parts.join(", ")
                })
            );
        }
        h.push_str("</tbody>\n</table>\n");
    }
    if !levers.combine.is_empty() {
        let rules: Vec<String> = levers
            .combine
            .iter()
            .map(|(k, r)| format!("{k} = {}", r.name()))
            .collect();
        let _ = writeln!(
            h,
            "<p class=\"note\">{} <code>{}</code></p>",
            escape(&tr(
                "Where levers change the same input, they combine by:",
                "Quand des leviers changent la même hypothèse, ils se combinent par\u{a0}:"
            )),
            escape(&rules.join("; "))
        );
    }
    h.push_str("</section>\n");
    let size = if en {
        format!(
            "Simulated {} paths in all in {:.1} s.",
            lang.thousands(p.simulated_paths),
            p.elapsed_seconds
        )
    } else {
        format!(
            "{} trajectoires simulées en tout en {:.1}\u{a0}s.",
            lang.thousands(p.simulated_paths),
            p.elapsed_seconds
        )
        .replace('.', ",")
    };
    footer(
        &mut h,
        lang,
        provenance,
        p.settings.seed,
        p.settings.paths,
        &size,
    );
    h
}
