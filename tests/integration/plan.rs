//! `plan`: levers read and combined, the race against exhaustive evaluation,
//! the frontier's properties, determinism, and the command line.

use std::fs;

use shorecast::analysis::plan::{self, Plan, PlanSettings};
use shorecast::input::lever::Levers;
use shorecast::input::policy;

use crate::common::{data, shorecast};

fn levers(text: &str) -> Levers {
    policy::load_file(text, "levers.toml")
        .unwrap()
        .levers
        .expect("the file declares levers")
}

fn test_levers() -> Levers {
    levers(&fs::read_to_string(data("valid/levers.toml")).unwrap())
}

fn settings(paths: u64, seed: u64, first: u64) -> PlanSettings {
    PlanSettings {
        paths,
        seed,
        first_round_paths: first,
        budget_per_year: Some(9_000_000.0),
        probability: 0.5,
        value_per_job: None,
    }
}

fn run(levers: &Levers, s: PlanSettings, threads: usize) -> Plan {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(|| plan::plan(levers, &None, s, &|_| {}))
        .unwrap()
}

/// The name of a lever's level in a package.
fn level_of(l: &Levers, levels: &[usize], lever: &str) -> String {
    let i = l
        .levers
        .iter()
        .position(|x| x.name.to_string() == lever)
        .unwrap();
    l.levers[i].levels[levels[i]].name.to_string()
}

#[test]
fn a_lever_that_costs_money_and_changes_nothing_is_never_on_the_frontier() {
    let l = test_levers();
    let p = run(&l, settings(1000, 5, 250), 2);
    let frontier: Vec<_> = p.confirmed.iter().filter(|c| c.on_jobs_frontier).collect();
    assert!(frontier.len() >= 3, "{}", frontier.len());
    for c in &frontier {
        let levels = &p.packages[c.package].levels;
        assert_eq!(level_of(&l, levels, "Brochures"), "off", "{levels:?}");
    }
    // On the same paths, Brochures adds exactly nothing: its packages add the
    // same jobs as the same package without it.
    let brochures = l.levers.len() - 1;
    for r in p.packages.iter().filter(|r| r.levels[brochures] == 1) {
        let mut without = r.levels.clone();
        without[brochures] = 0;
        let twin = p.packages.iter().find(|q| q.levels == without).unwrap();
        if r.paths == twin.paths {
            assert_eq!(r.jobs_added, twin.jobs_added);
            assert!(r.cost > twin.cost);
        }
    }
}

#[test]
fn the_frontier_rises_with_cost_and_a_growing_lever_gives_a_monotone_curve() {
    let l = test_levers();
    let p = run(&l, settings(1000, 6, 1000), 2);
    let frontier: Vec<_> = p
        .confirmed
        .iter()
        .filter(|c| c.on_jobs_frontier)
        .map(|c| &p.packages[c.package])
        .collect();
    for pair in frontier.windows(2) {
        assert!(pair[0].cost <= pair[1].cost && pair[0].jobs_added < pair[1].jobs_added);
    }
    // Training alone, level by level: each size adds more jobs than the last,
    // beyond the paired simulation error (3 standard errors of each).
    let alone: Vec<_> = (0..4)
        .map(|level| {
            p.packages
                .iter()
                .find(|r| r.levels == [level, 0, 0, 0])
                .unwrap()
        })
        .collect();
    for pair in alone.windows(2) {
        let gap = pair[1].jobs_added - pair[0].jobs_added;
        assert!(
            gap > 3.0 * (pair[0].jobs_added_error + pair[1].jobs_added_error),
            "{} then {}",
            pair[0].jobs_added,
            pair[1].jobs_added
        );
    }
}

#[test]
fn the_race_picks_the_package_an_exhaustive_evaluation_picks() {
    let l = test_levers();
    for seed in [1, 2, 3] {
        let raced = run(&l, settings(2000, seed, 250), 2);
        let exhaustive = run(&l, settings(2000, seed, 2000), 2);
        assert_eq!(exhaustive.rounds.len(), 1);
        assert!(raced.rounds.len() > 1 && raced.rounds.iter().any(|r| r.dropped > 0));
        let best = |p: &Plan| {
            p.best_within_budget
                .map(|slot| p.packages[p.confirmed[slot].package].levels.clone())
        };
        assert_eq!(best(&raced), best(&exhaustive), "seed {seed}");
        let cheapest = |p: &Plan| {
            p.cheapest_reaching
                .map(|slot| p.packages[p.confirmed[slot].package].levels.clone())
        };
        assert_eq!(cheapest(&raced), cheapest(&exhaustive), "seed {seed}");
        // Packages that ran to the end have the same sums either way: common
        // random numbers make the race's paths the exhaustive run's paths.
        for (r, e) in raced.packages.iter().zip(&exhaustive.packages) {
            if r.paths == 2000 {
                assert_eq!(r.jobs_added, e.jobs_added);
                assert_eq!(r.cost, e.cost);
            }
        }
        let frontier = |p: &Plan| -> Vec<Vec<usize>> {
            p.confirmed
                .iter()
                .filter(|c| c.on_jobs_frontier)
                .map(|c| p.packages[c.package].levels.clone())
                .collect()
        };
        assert_eq!(frontier(&raced), frontier(&exhaustive), "seed {seed}");
    }
}

#[test]
fn a_plan_does_not_depend_on_the_thread_count() {
    let l = test_levers();
    let mut s = settings(600, 9, 150);
    s.value_per_job = Some(50_000.0);
    let json = |p: &Plan| {
        let mut v = serde_json::to_value(p).unwrap();
        v["elapsed_seconds"] = serde_json::Value::Null;
        v.to_string()
    };
    assert_eq!(json(&run(&l, s, 1)), json(&run(&l, s, 3)));
}

#[test]
fn levers_that_change_one_input_must_say_how_they_combine() {
    let text = fs::read_to_string(data("valid/levers.toml")).unwrap();
    let without_rule = text.replace("combine = { \"labour.reach_share\" = \"either\" }", "");
    let shown = policy::load_file(&without_rule, "levers.toml")
        .unwrap_err()
        .to_string();
    assert!(
        shown.contains("levers \"Hubs\" and \"Transport\" both change labour.reach_share")
            && shown.contains("combine.\"labour.reach_share\" = \"max\""),
        "{shown}"
    );
    for (rule, problem) in [
        ("\"sometimes\"", "must be one of"),
        (
            "\"multiply\" , \"training.per_year\" = \"add\"",
            "no two levers change training.per_year",
        ),
    ] {
        let bad = text.replace("= \"either\" }", &format!("= {rule} }}"));
        let shown = policy::load_file(&bad, "levers.toml")
            .unwrap_err()
            .to_string();
        assert!(shown.contains(problem), "{rule}: {shown}");
    }
    // A distribution cannot be combined.
    let dist = text.replace("[levers]", "[levers]\n# combine below\n")
        + "\n[[lever]]\nname = \"Quits\"\n[[lever.level]]\nname = \"Less\"\nset.attrition.multiplier = { dist = \"uniform\", min = 0.7, max = 1.0 }\n\
          [[lever]]\nname = \"Quits too\"\n[[lever.level]]\nname = \"Fewer\"\nset.attrition.multiplier = { dist = \"uniform\", min = 0.6, max = 0.9 }\n";
    let dist = dist.replace(
        "combine = { \"labour.reach_share\" = \"either\" }",
        "combine = { \"labour.reach_share\" = \"either\", \"attrition.multiplier\" = \"max\" }",
    );
    let shown = policy::load_file(&dist, "levers.toml")
        .unwrap_err()
        .to_string();
    assert!(
        shown.contains("a distribution or a list cannot be combined"),
        "{shown}"
    );
}

#[test]
fn combined_values_follow_their_rule_and_each_stage_starts_on_time() {
    let l = test_levers();
    // Hubs (0.9 from month 6) and buses (0.85 from month 2) by "either":
    // 1 - 0.3 * (0.1 / 0.3) * (0.15 / 0.3) = 0.95.
    let s = l.scenario(&[0, 2, 1, 0]).unwrap();
    let reach = |s: &shorecast::core::scenario::Scenario| {
        let (low, high) = s.labour.reach_share.support();
        assert_eq!(low, high, "a fixed share");
        low
    };
    assert!((reach(&s) - 0.95).abs() < 1e-12, "{}", reach(&s));
    let first = s.before.as_ref().unwrap();
    assert_eq!(first.until_month, 6);
    assert!((reach(&first.scenario) - 0.85).abs() < 1e-12);
    let second = first.scenario.before.as_ref().unwrap();
    assert_eq!(second.until_month, 2);
    assert!((reach(&second.scenario) - 0.7).abs() < 1e-12);
    assert!(second.scenario.before.is_none());
    // "add" pushes the share past 1: the package is refused, named.
    let text = fs::read_to_string(data("valid/levers.toml"))
        .unwrap()
        .replace("= \"either\" }", "= \"add\" }");
    let l = levers(&text);
    let e = l.scenario(&[0, 2, 1, 0]).unwrap_err();
    assert!(
        e.contains("Hubs: Four hubs") && e.contains("labour.reach_share"),
        "{e}"
    );
    let p = plan::plan(&l, &None, settings(100, 1, 50), &|_| {});
    assert!(matches!(p, Err(plan::PlanError::InvalidPackage(_))));
}

#[test]
fn the_oujda_file_ships_four_levers_of_five_choices() {
    let l = levers(shorecast::input::oujda::OUJDA);
    assert_eq!(l.levers.len(), 4);
    assert!(l.levers.iter().all(|x| x.levels.len() == 5));
    assert_eq!(l.package_count(), 625);
    // Every measure acts after the last history point, whose month the
    // posterior replays (docs/model.md 9.1): none rewrites the observed past.
    let base = l.base();
    let last = base.history.last().unwrap().date;
    let replayed = (0..=base.meta.horizon_months)
        .find(|&m| base.date(m) == last)
        .unwrap();
    assert!(l.levers.iter().all(|x| x.start_month > replayed));
    let (_, policies) = policy::load_with_policies(shorecast::input::oujda::OUJDA, "o").unwrap();
    assert!(policies.iter().all(|p| p.start_month > replayed));
    // Every package makes a valid scenario.
    for i in 0..l.package_count() {
        l.scenario(&l.package(i)).unwrap();
    }
}

#[test]
fn plan_writes_its_outputs_and_refuses_a_file_without_levers() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan");
    let done = shorecast()
        .args([
            "plan",
            "--paths",
            "300",
            "--quiet",
            "--value-per-job",
            "50000",
            "--budget",
            "9000000",
        ])
        .arg(data("valid/levers.toml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&done.get_output().stdout).to_string();
    assert!(stdout.contains("Within 9.0 M MAD a year"), "{stdout}");
    for file in [
        "plan.json",
        "frontier.csv",
        "packages.csv",
        "information.csv",
        "plan.xlsx",
        "frontier.png",
        "report.html",
    ] {
        assert!(out.join(file).is_file(), "{file}");
    }
    let packages = fs::read_to_string(out.join("packages.csv")).unwrap();
    assert_eq!(packages.lines().count(), 1 + 48);
    let refused = shorecast()
        .args(["plan", "--paths", "100", "--quiet"])
        .arg(data("valid/minimal.toml"))
        .arg("--out")
        .arg(dir.path().join("none"))
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(stderr.contains("has no [[lever]] entries"), "{stderr}");
}

#[test]
fn the_value_of_learning_whether_a_firm_comes_agrees_with_a_nested_estimate() {
    // Site B comes with probability 0.7. The regression estimate of the EVPPI
    // of its coming, from one plan, against the nested one: the same packages
    // on the same paths with Site B sure to come and sure not to, every other
    // input drawn as before (its own streams), so that E[NB_d | comes] and
    // E[NB_d | does not come] are the packages' mean net benefits there.
    let text = fs::read_to_string(data("valid/levers.toml")).unwrap();
    let (paths, value) = (4000, 50_000.0);
    let mut s = settings(paths, 21, paths);
    s.budget_per_year = None;
    s.value_per_job = Some(value);
    let p = run(&levers(&text), s, 2);
    let info = p.information.as_ref().unwrap();
    let regression = info
        .inputs
        .iter()
        .find(|v| v.name == "firm[Site B].happens")
        .unwrap();
    let mut no_info = s;
    no_info.value_per_job = None;
    let variant = |probability: &str| {
        run(
            &levers(&text.replace("probability = 0.7", probability)),
            no_info,
            2,
        )
    };
    let (comes, not) = (variant("probability = 1.0"), variant("probability = 0.0"));
    // Net benefit of package k (none: the base) and its standard error.
    let net = |p: &Plan, k: Option<usize>| {
        k.map_or((0.0, 0.0), |k| {
            let r = &p.packages[k];
            (value * r.jobs_added - r.cost, value * r.jobs_added_error)
        })
    };
    let best = |score: &dyn Fn(Option<usize>) -> (f64, f64)| {
        std::iter::once(None)
            .chain(info.options.iter().map(|&k| Some(k)))
            .map(score)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .unwrap()
    };
    let (with_firm, e1) = best(&|k| net(&comes, k));
    let (without, e0) = best(&|k| net(&not, k));
    let (now, e) = best(&|k| {
        let (a, ea) = net(&comes, k);
        let (b, eb) = net(&not, k);
        (0.7 * a + 0.3 * b, (0.7 * ea).hypot(0.3 * eb))
    });
    let nested = 0.7 * with_firm + 0.3 * without - now;
    // Tolerance: 4 standard errors of the difference, the nested estimate's
    // taken as independent terms (an overstatement: the runs share paths).
    let nested_error = (0.7 * e1).hypot(0.3 * e0).hypot(e);
    let tolerance = 4.0 * regression.standard_error_mad.hypot(nested_error);
    assert!(
        (regression.value_mad - nested).abs() < tolerance,
        "regression {regression:?}, nested {nested} ± {nested_error}"
    );
    assert!(
        nested > 2.0 * nested_error,
        "a case where the firm matters: {nested}"
    );
    // An input that changes no package's net benefit (no site ever expands,
    // so the growth of an expansion is drawn and never used) is worth zero
    // within its error.
    let idle = info
        .inputs
        .iter()
        .find(|v| v.name == "expansion.growth")
        .unwrap();
    assert!(
        idle.value_mad.abs() <= 4.0 * idle.standard_error_mad,
        "{idle:?}"
    );
}

#[test]
fn a_plan_cut_into_shards_merges_into_the_unsharded_exhaustive_plan() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = data("valid/levers.toml");
    let common = [
        "--paths",
        "300",
        "--quiet",
        "--value-per-job",
        "50000",
        "--budget",
        "9000000",
    ];
    shorecast()
        .arg("plan")
        .arg(&scenario)
        .args(common)
        .args(["--first-round-paths", "300", "--out"])
        .arg(dir.path().join("whole"))
        .assert()
        .success();
    for k in ["1/3", "2/3", "3/3"] {
        shorecast()
            .arg("plan")
            .arg(&scenario)
            .args(common)
            .args(["--shard", k, "--out"])
            .arg(dir.path().join(k.replace('/', "-")))
            .assert()
            .success();
    }
    shorecast()
        .args(["merge", "--out"])
        .arg(dir.path().join("merged"))
        .args(["3-3", "1-3", "2-3"].map(|d| dir.path().join(d)))
        .assert()
        .success();
    let read = |run: &str, file: &str| fs::read_to_string(dir.path().join(run).join(file)).unwrap();
    for file in ["frontier.csv", "packages.csv", "information.csv"] {
        assert_eq!(read("whole", file), read("merged", file), "{file}");
    }
    let plan = |run: &str| {
        let mut v: serde_json::Value = serde_json::from_str(&read(run, "plan.json")).unwrap();
        v["plan"]["elapsed_seconds"] = serde_json::Value::Null;
        v["plan"].to_string()
    };
    assert_eq!(plan("whole"), plan("merged"));
}

#[test]
fn compare_weighs_the_value_of_information_in_one_process_only() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("compare");
    shorecast()
        .args([
            "compare",
            "--paths",
            "400",
            "--quiet",
            "--value-per-job",
            "100000",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let table = fs::read_to_string(out.join("information.csv")).unwrap();
    assert!(table.starts_with("kind,name,value_mad"), "{table}");
    assert!(
        table.lines().any(|l| l.starts_with("group,measures,")),
        "{table}"
    );
    let report = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("Which uncertainty is worth resolving first"));
    let refused = shorecast()
        .args([
            "compare",
            "--paths",
            "400",
            "--quiet",
            "--value-per-job",
            "100000",
            "--shard",
            "1/2",
            "--out",
        ])
        .arg(dir.path().join("shard"))
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(
        stderr.contains("--value-per-job needs every path"),
        "{stderr}"
    );
}
