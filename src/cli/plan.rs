//! `shorecast plan`: the packages of a file's levers, raced on common random
//! numbers, with the efficient frontier, the best package within a budget, the
//! cheapest that reaches the target, and the value of information.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use shorecast::analysis::plan::{self, Plan, PlanSettings, Round};
use shorecast::input::lever::Levers;
use shorecast::input::policy;
use shorecast::present::plan_report;
use shorecast::present::text::Lang;

use shorecast::analysis::plan::PlanChoices;
use shorecast::app::shard::{Body, Header, Kind, hex_sha256};
use shorecast::present::output::StagedDir;

use super::{
    ChartArgs, Common, DRAWING, Failure, ShardArgs, ShardRun, Source, bad_input, emit,
    eprintln_safe, fit, output_failure, provenance, scenario_failure, stage_failure,
};

#[derive(Args)]
pub(super) struct PlanArgs {
    /// The scenario file (TOML) with its [[lever]] entries; the built-in Oujda
    /// scenario and its levers when omitted.
    scenario: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
    #[command(flatten)]
    charts: ChartArgs,
    #[command(flatten)]
    fit: fit::FitArgs,
    /// Yearly budget in MAD (e.g. 60000000): the package adding most jobs whose
    /// expected cost per year, from the decision month to the target month,
    /// fits within it.
    #[arg(long, value_parser = parse_amount)]
    budget: Option<f64>,
    /// The probability of reaching the target sought: the cheapest package
    /// reaching the target at least this often is named.
    #[arg(long, default_value_t = 0.5, value_parser = parse_probability)]
    probability: f64,
    /// What one job at the target month is worth, in MAD: with it, the value
    /// of information (EVPI, EVPPI) of the decision among frontier packages.
    #[arg(long, value_parser = parse_amount)]
    value_per_job: Option<f64>,
    /// Paths every package runs on in the first round of the race (each
    /// further round doubles them for the packages left, up to --paths).
    #[arg(long, default_value_t = 250, value_parser = clap::value_parser!(u64).range(10..=1_000_000))]
    first_round_paths: u64,
    #[command(flatten)]
    shard: ShardArgs,
}

pub(super) fn parse_amount(text: &str) -> Result<f64, String> {
    let cleaned: String = text.chars().filter(|c| *c != '_' && *c != ',').collect();
    match cleaned.parse::<f64>() {
        Ok(v) if (0.0..=policy::MAX_COST).contains(&v) => Ok(v),
        _ => Err(format!(
            "`{text}` is not an amount in MAD from 0 to 1e12; write it in full, e.g. 60000000"
        )),
    }
}

fn parse_probability(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 1.0 => Ok(v),
        _ => Err(format!(
            "`{text}` is not a probability above 0 and at most 1, e.g. 0.5"
        )),
    }
}

/// Reads the file's levers, refusing a file without any.
fn load_levers(source: &Source) -> Result<Levers, Failure> {
    let file = policy::load_file(&source.text, &source.origin).map_err(scenario_failure)?;
    super::print_warnings(source, &file.base);
    file.levers.filter(|l| !l.levers.is_empty()).ok_or_else(|| {
        bad_input(anyhow::anyhow!(
            "{} has no [[lever]] entries to plan with; add some (see the README's scenario \
             reference: a lever is a measure with levels, each written like a [[policy]])",
            source.origin
        ))
    })
}

pub(super) fn plan(args: PlanArgs) -> Result<(), Failure> {
    let source = Source::read(args.scenario.as_deref())?;
    let mut levers = load_levers(&source)?;
    let lang = args.charts.lang;
    for lever in &mut levers.levers {
        lever.localise(lang.code());
    }
    let base = levers.base().clone();
    let posterior = fit::read_posterior(&base, args.scenario.as_deref(), &args.fit)?;
    let c = &args.common;
    let settings = PlanSettings {
        paths: c.paths(&base),
        seed: c.seed(&base),
        first_round_paths: args.first_round_paths,
        budget_per_year: args.budget,
        probability: args.probability,
        value_per_job: args.value_per_job,
    };
    super::check_paths(settings.paths, args.shard.shard)?;
    // Every package is checked before anything runs: too many packages, or
    // one whose levers combine into an invalid scenario, are refused at once.
    plan::check_packages(&levers).map_err(|e| bad_input(anyhow::Error::new(e)))?;
    let count = levers.package_count();
    if let Some(shard) = args.shard.shard {
        let header = ShardRun {
            kind: Kind::Plan,
            scenario_sha256: &source.sha256(),
            resolved_sha256: resolved_sha256(&levers),
            seed: settings.seed,
            paths: settings.paths,
            sample_paths: 0,
            independent_streams: false,
            sources: vec![source.record()],
            posterior: posterior.as_deref(),
            plan: Some(PlanChoices::of(&settings)),
        };
        // A shard simulates every package on its paths: the answer is only
        // known once all are merged, and so cannot steer a race.
        return header.write(
            shard,
            c,
            &format!("{}-plan", source.stem),
            |range, progress| {
                // Progress counts paths, each once all packages ran it.
                let per_path = |done: u64| progress(done / count as u64);
                Body::Plan(plan::accumulate(
                    &levers,
                    &posterior,
                    settings.seed,
                    range,
                    &per_path,
                ))
            },
        );
    }
    let staged = c.stage(format!("{}-plan", source.stem), lang)?;
    if !c.quiet {
        let (packages, levers_n, paths) = (
            lang.thousands(count as u64),
            levers.levers.len(),
            lang.thousands(settings.paths),
        );
        eprintln_safe(&match lang {
            Lang::En => format!(
                "Planning {packages} packages of {levers_n} levers on up to {paths} paths each"
            ),
            Lang::Fr => format!(
                "Plan de {packages} paquets de {levers_n} leviers, sur {paths} trajectoires au plus chacun"
            ),
        });
    }
    let quiet = c.quiet;
    let on_round = move |r: &Round| {
        if !quiet {
            let (paths, packages, dropped) = (
                lang.thousands(r.paths),
                lang.thousands(r.packages as u64),
                lang.thousands(r.dropped as u64),
            );
            eprintln_safe(&match lang {
                Lang::En => {
                    format!("  round on {paths} paths: {packages} packages, {dropped} dropped")
                }
                Lang::Fr => format!(
                    "  tour sur {paths} trajectoires\u{a0}: {packages} paquets, {dropped} écartés"
                ),
            });
        }
    };
    let result = c
        .step("racing the packages", || {
            plan::plan(&levers, &posterior, settings, &on_round)
        })?
        .map_err(|e| bad_input(anyhow::Error::new(e)))?;
    let mut scenario = base;
    scenario.meta.localise(lang.code());
    let provenance = provenance(&scenario, source.sha256());
    let written = c.step(DRAWING, || {
        plan_report::write_plan(
            &staged,
            &scenario,
            &levers,
            &result,
            &provenance,
            &args.charts.options(),
            args.charts.no_charts,
        )
    })?;
    written.map_err(output_failure)?;
    let dir = staged.commit().map_err(stage_failure)?;
    print_plan(&scenario, &levers, &result, &dir, lang)
        .context("cannot print the plan")
        .map_err(Failure::from)
}

/// Prints the plan's answer and its frontier.
fn print_plan(
    scenario: &shorecast::core::scenario::Scenario,
    levers: &Levers,
    p: &Plan,
    dir: &std::path::Path,
    lang: Lang,
) -> anyhow::Result<()> {
    let mut out = String::new();
    for line in plan_report::answer_sentences(scenario, levers, p, lang) {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(&plan_report::frontier_text(levers, p, lang));
    out.push_str(&format!(
        "  {:.1} s; {} paths simulated in all; results in {}\n",
        p.elapsed_seconds,
        Lang::En.thousands(p.simulated_paths),
        dir.display()
    ));
    emit(&out).map_err(|f| f.error)
}

/// SHA-256 of the base scenario as resolved and of every lever's levels:
/// what a merge checks it rebuilds from the shards' file.
fn resolved_sha256(levers: &Levers) -> String {
    let mut text = levers.base().to_resolved_toml();
    for lever in &levers.levers {
        let name = serde_json::to_string(&lever.name).expect("a text always serialises");
        text.push_str(&format!("{name} from {}\n", lever.start_month));
        for level in &lever.levels {
            let name = serde_json::to_string(&level.name).expect("a text always serialises");
            text.push_str(&format!(
                "  {name}: {:?}; {}\n",
                level.costs,
                level.described_changes()
            ));
        }
    }
    for (key, rule) in &levers.combine {
        text.push_str(&format!("{key} = {}\n", rule.name()));
    }
    hex_sha256(text.as_bytes())
}

/// Finishes a plan from its merged shards: rebuilds the levers from the
/// recorded file, checks they resolve as when simulated, confirms the
/// frontier on every path and writes the outputs into the folder `stage`
/// makes.
pub(super) fn merge(
    source: Source,
    h: &Header,
    choices: PlanChoices,
    partial: plan::PartialPlan,
    shards_seconds: f64,
    stage: impl Fn(String) -> Result<StagedDir, Failure>,
    charts: &ChartArgs,
) -> Result<(), Failure> {
    let mut levers = load_levers(&source)?;
    let lang = charts.lang;
    for lever in &mut levers.levers {
        lever.localise(lang.code());
    }
    let base = levers.base().clone();
    let posterior = fit::recorded_posterior(&base, h.posterior.as_deref())?;
    let count = levers.package_count();
    let fits = count <= plan::MAX_PACKAGES && partial.fits(count as usize);
    super::check_rebuilt(h, &resolved_sha256(&levers), fits)?;
    let settings = PlanSettings {
        paths: h.paths,
        seed: h.seed,
        first_round_paths: h.paths,
        budget_per_year: choices.budget_per_year,
        probability: choices.probability,
        value_per_job: choices.value_per_job,
    };
    let c = Common::for_merge();
    let staged = stage(format!("{}-plan", source.stem))?;
    let mut result = c
        .step("confirming the frontier on every path", || {
            plan::finish(&levers, &posterior, settings, partial)
        })?
        .map_err(|e| bad_input(anyhow::Error::new(e)))?;
    result.elapsed_seconds += shards_seconds;
    let mut scenario = base;
    scenario.meta.localise(lang.code());
    let provenance = provenance(&scenario, source.sha256());
    c.step(DRAWING, || {
        plan_report::write_plan(
            &staged,
            &scenario,
            &levers,
            &result,
            &provenance,
            &charts.options(),
            charts.no_charts,
        )
    })?
    .map_err(output_failure)?;
    let dir = staged.commit().map_err(stage_failure)?;
    print_plan(&scenario, &levers, &result, &dir, lang)
        .context("cannot print the plan")
        .map_err(Failure::from)
}
