//! End-to-end tests of the `shorecast` command line, each in its own temp folder.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{data, shorecast};
use tempfile::TempDir;

/// Runs the built-in scenario into `dir` and returns the output folder.
fn run_into(dir: &Path, extra: &[&str]) -> PathBuf {
    let out = dir.join("out");
    shorecast()
        .args(["run", "--paths", "3000", "--quiet", "--out"])
        .arg(&out)
        .args(extra)
        .assert()
        .success();
    out
}

#[test]
fn thread_count_does_not_change_any_result() {
    let tmp = TempDir::new().unwrap();
    let one = run_into(&tmp.path().join("1"), &["--threads", "1"]);
    let two = run_into(&tmp.path().join("2"), &["--threads", "2"]);
    for file in ["quantiles.csv", "hitting.csv", "scenario.resolved.toml"] {
        assert_eq!(
            fs::read(one.join(file)).unwrap(),
            fs::read(two.join(file)).unwrap(),
            "{file} differs between 1 and 2 threads"
        );
    }
    let without_timing = |dir: &Path| {
        let mut v: serde_json::Value =
            serde_json::from_slice(&fs::read(dir.join("summary.json")).unwrap()).unwrap();
        let o = v.as_object_mut().unwrap();
        o.remove("elapsed_seconds");
        o.remove("command_line");
        v
    };
    assert_eq!(without_timing(&one), without_timing(&two));
}

#[test]
fn a_run_writes_every_table_with_the_documented_columns() {
    let tmp = TempDir::new().unwrap();
    let fixture = data("valid/oujda_july_2020.toml");
    let out = run_into(tmp.path(), &["--seed", "7", fixture.to_str().unwrap()]);
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("summary.json")).unwrap()).unwrap();
    for key in [
        "scenario",
        "version",
        "scenario_sha256",
        "seed",
        "paths",
        "start",
        "horizon_months",
        "target",
        "p_target",
        "headcount_at_target_month",
        "headcount_at_horizon",
        "median_month_reached",
        "labour_limited_share",
        "elapsed_seconds",
    ] {
        assert!(summary.get(key).is_some(), "summary.json lacks {key}");
    }
    assert_eq!(summary["seed"], 7);
    assert_eq!(summary["paths"], 3000);
    let quantiles = fs::read_to_string(out.join("quantiles.csv")).unwrap();
    let mut lines = quantiles.lines();
    assert_eq!(
        lines.next(),
        Some("series,month,date,mean,p05,p10,p25,p50,p75,p90,p95")
    );
    // 10 series over months 0..=36.
    assert_eq!(lines.count(), 10 * 37);
    assert!(quantiles.contains("\nheadcount,24,2022-07,"));
    let hitting = fs::read_to_string(out.join("hitting.csv")).unwrap();
    assert!(hitting.starts_with("month,date,p_reached\n0,2020-07,"));
    // The resolved scenario is itself a valid scenario.
    shorecast()
        .arg("validate")
        .arg(out.join("scenario.resolved.toml"))
        .assert()
        .success();
}

#[test]
fn every_invalid_scenario_fails_with_its_message() {
    let mut seen = 0;
    for entry in fs::read_dir(data("invalid")).unwrap() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        let expected = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{} has no '# expect:' first line", path.display()));
        for command in [&["validate"][..], &["run", "--quiet"][..]] {
            let output = shorecast().args(command).arg(&path).output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(
                output.status.code(),
                Some(2),
                "{}: {stderr}",
                path.display()
            );
            assert!(
                stderr.contains(expected),
                "{}: expected {expected:?} in:\n{stderr}",
                path.display()
            );
            assert!(!stderr.contains("panicked"), "{stderr}");
            assert!(stderr.contains(&path.display().to_string()), "{stderr}");
        }
        seen += 1;
    }
    assert!(seen >= 10, "only {seen} invalid fixtures");
}

#[test]
fn valid_fixtures_validate() {
    for entry in fs::read_dir(data("valid")).unwrap() {
        shorecast()
            .arg("validate")
            .arg(entry.unwrap().path())
            .assert()
            .success();
    }
}

#[test]
fn a_missing_file_is_bad_input() {
    let output = shorecast()
        .args(["run", "no/such/scenario.toml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot read the scenario file no/such/scenario.toml"),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_with_2() {
    shorecast().args(["run", "--paths", "0"]).assert().code(2);
    shorecast().args(["run", "--bogus"]).assert().code(2);
}

#[test]
fn an_unwritable_output_folder_fails_cleanly_and_keeps_old_results() {
    let tmp = TempDir::new().unwrap();
    // A file where a folder should be: nothing can be created below it.
    let blocker = tmp.path().join("blocker");
    fs::write(&blocker, "not a folder").unwrap();
    let output = shorecast()
        .args(["run", "--paths", "10", "--quiet", "--out"])
        .arg(blocker.join("out"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot write"), "{stderr}");

    // A second run into an existing results folder replaces it whole and leaves no
    // staging folder behind; a file the user added there is never deleted: the
    // run is refused, naming it.
    let out = run_into(tmp.path(), &[]);
    fs::write(out.join("notes.txt"), "the user's own notes").unwrap();
    let refused = shorecast()
        .args(["run", "--paths", "10", "--quiet", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("notes.txt"), "{stderr}");
    assert!(out.join("notes.txt").exists());
    fs::remove_file(out.join("notes.txt")).unwrap();
    run_into(tmp.path(), &[]);
    let leftovers: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn the_embedded_scenario_is_the_shipped_file() {
    let shipped =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/oujda.toml"))
            .unwrap();
    assert_eq!(shorecast::input::oujda::OUJDA, shipped);
    // And running it by path gives the same results as running the built-in one.
    let tmp = TempDir::new().unwrap();
    let built_in = run_into(&tmp.path().join("a"), &[]);
    let by_path = tmp.path().join("b");
    shorecast()
        .args(["run", "--paths", "3000", "--quiet", "--out"])
        .arg(&by_path)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/oujda.toml"))
        .assert()
        .success();
    assert_eq!(
        fs::read(built_in.join("quantiles.csv")).unwrap(),
        fs::read(by_path.join("quantiles.csv")).unwrap()
    );
}

#[test]
fn compare_writes_a_ranked_comparison() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("cmp");
    let output = shorecast()
        .args(["compare", "--paths", "1500", "--quiet", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("Base case") && stdout.contains("Combined package"),
        "{stdout}"
    );
    let csv = fs::read_to_string(out.join("comparison.csv")).unwrap();
    assert!(csv.starts_with("option,rank_p_target,rank_cost_per_job,p_target,"));
    assert_eq!(csv.lines().count(), 1 + 6, "a header and six options");
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("comparison.json")).unwrap()).unwrap();
    assert_eq!(json["streams"], "common");
    assert_eq!(json["options"][0]["name"], "Base case");
    assert_eq!(json["options"][0]["headcount_diff"]["variance"], 0.0);
}

#[test]
fn french_outputs_use_the_scenario_s_french_texts() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("cmp");
    let output = shorecast()
        .args([
            "compare", "--paths", "300", "--quiet", "--lang", "fr", "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("Aide au transport"), "{stdout}");
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    for french in [
        "Offshoring à Oujda Shore, ajusté sur 2019-2020",
        "Ensemble des mesures",
        "Navettes du personnel",
        "Oujda Shore peut-elle atteindre",
    ] {
        assert!(html.contains(french), "{french}");
    }
    assert!(!html.contains("Combined package") && !html.contains("Transport support"));
    let fan = fs::read_to_string(out.join("compare_fan.svg")).unwrap();
    assert!(fan.contains("Ensemble des mesures"), "legends in French");
    // English stays English, and the resolved file keeps both languages.
    let run = tmp.path().join("run");
    shorecast()
        .args(["run", "--paths", "200", "--quiet", "--no-charts", "--out"])
        .arg(&run)
        .assert()
        .success();
    let html = fs::read_to_string(run.join("report.html")).unwrap();
    assert!(html.contains("Oujda Shore offshoring, fitted to 2019-2020"));
    let output = shorecast()
        .args([
            "run",
            "--paths",
            "200",
            "--quiet",
            "--no-charts",
            "--lang",
            "fr",
        ])
        .arg("--out")
        .arg(tmp.path().join("run-fr"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with("Offshoring à Oujda Shore, ajusté sur 2019-2020")
            && stdout.contains("Probabilité d’au moins 5\u{202f}000\u{a0}emplois"),
        "the terminal follows --lang: {stdout}"
    );
    let resolved = fs::read_to_string(run.join("scenario.resolved.toml")).unwrap();
    assert!(resolved.contains("fr = \"Offshoring à Oujda Shore, ajusté sur 2019-2020\""));
    shorecast()
        .arg("validate")
        .arg(run.join("scenario.resolved.toml"))
        .assert()
        .success();
}

#[test]
fn independent_streams_are_never_called_paired() {
    let tmp = TempDir::new().unwrap();
    for (lang, paired, same_futures) in [
        ("en", "paired", "same simulated futures"),
        ("fr", "apparié", "mêmes avenirs"),
    ] {
        let out = tmp.path().join(lang);
        let output = shorecast()
            .args([
                "compare",
                "--paths",
                "300",
                "--quiet",
                "--independent-streams",
            ])
            .args(["--lang", lang, "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(output.status.success());
        let stdout = String::from_utf8_lossy(&output.stdout);
        let html = fs::read_to_string(out.join("report.html")).unwrap();
        for text in [&*stdout, &html] {
            assert!(!text.contains(paired), "{lang}: {paired}");
            assert!(!text.contains(same_futures), "{lang}: {same_futures}");
        }
        assert!(html.contains("--independent-streams"), "{lang}");
    }
}

#[test]
fn compare_takes_several_files_with_the_first_as_base() {
    let tmp = TempDir::new().unwrap();
    // The minimal file with a labour market, so that seats matter.
    let base = tmp.path().join("minimal.toml");
    let text = fs::read_to_string(data("valid/minimal.toml")).unwrap()
        + "\n[labour]\ninitial_pool = 5000\ngraduates_per_year = 0\n\n[arrivals]\nfirms_per_year = 0\n";
    fs::write(&base, &text).unwrap();
    let more = tmp.path().join("more-seats.toml");
    fs::write(
        &more,
        text.replace("seats = 500", "seats = 900")
            .replace("\"Minimal\"", "\"More seats\""),
    )
    .unwrap();
    let out = tmp.path().join("cmp");
    shorecast()
        .args(["compare", "--paths", "500", "--quiet", "--out"])
        .arg(&out)
        .arg(&base)
        .arg(&more)
        .assert()
        .success();
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("comparison.json")).unwrap()).unwrap();
    assert_eq!(json["options"][0]["name"], "Minimal");
    assert_eq!(json["options"][1]["name"], "More seats");
    assert!(
        json["options"][1]["headcount_diff"]["mean"]
            .as_f64()
            .unwrap()
            > 0.0
    );
    // No file gives a cost: the chart of cost per job would be empty, so it
    // is left out and the report says why.
    assert!(!out.join("cost_per_job.png").exists());
    let report = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("The chart of cost per additional job is left out"));

    // A file with another target cannot be compared path by path.
    let other = tmp.path().join("other-target.toml");
    fs::write(
        &other,
        fs::read_to_string(&base)
            .unwrap()
            .replace("headcount = 1000", "headcount = 2000"),
    )
    .unwrap();
    let output = shorecast()
        .args(["compare", "--paths", "10", "--quiet"])
        .arg(&base)
        .arg(&other)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("options must share [target]"));
}

/// Writes the minimal file with a labour market as `name`, with `seats` seats
/// at its site and `extra` appended, and returns its path.
fn seats_option(dir: &Path, name: &str, seats: u32, extra: &str) -> PathBuf {
    let text = fs::read_to_string(data("valid/minimal.toml")).unwrap()
        + "\n[labour]\ninitial_pool = 5000\ngraduates_per_year = 0\n\n[arrivals]\nfirms_per_year = 0\n"
        + extra;
    let path = dir.join(format!("{}.toml", name.to_lowercase().replace(' ', "-")));
    fs::write(
        &path,
        text.replace("seats = 500", &format!("seats = {seats}"))
            .replace("\"Minimal\"", &format!("\"{name}\"")),
    )
    .unwrap();
    path
}

/// The base file of a multi-file compare, and an option with more seats whose
/// `[option]` section gives a yearly budget and a grant per job created.
fn base_and_costed_option(dir: &Path) -> (PathBuf, PathBuf) {
    let base = seats_option(dir, "Minimal", 500, "");
    let costed = seats_option(
        dir,
        "More seats",
        900,
        "\n[option]\ncost_mad_per_year = 2000000\ncost_mad_per_job_at_target = 6000\n",
    );
    (base, costed)
}

#[test]
fn several_files_carry_their_costs_and_an_uncosted_one_never_ranks_cheapest() {
    let tmp = TempDir::new().unwrap();
    let (base, costed) = base_and_costed_option(tmp.path());
    // More seats still, so more jobs, but no cost given: read as free, it
    // would rank as the cheapest per job.
    let uncosted = seats_option(tmp.path(), "Most seats", 1200, "");
    let out = tmp.path().join("cmp");
    let output = shorecast()
        .args(["compare", "--paths", "400", "--out"])
        .arg(&out)
        .args([&base, &costed, &uncosted])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("comparison.json")).unwrap()).unwrap();
    let (more, most) = (&json["options"][1], &json["options"][2]);
    assert_eq!(more["costs"]["per_year"], 2_000_000.0);
    // Twelve months of the yearly budget, plus 6,000 MAD per job created.
    let expected_cost = 2_000_000.0 + 6000.0 * more["mean_jobs_created"].as_f64().unwrap();
    let cost = more["cost_mad_to_target"].as_f64().unwrap();
    assert!(
        (cost - expected_cost).abs() < 1e-6 * expected_cost,
        "{cost}"
    );
    let gain = more["headcount_diff"]["mean"].as_f64().unwrap();
    assert!(gain > 0.0);
    let per_job = more["cost_mad_per_additional_job"].as_f64().unwrap();
    assert!((per_job - cost / gain).abs() < 1e-6 * per_job);
    assert_eq!(more["rank_cost_per_job"], 1);
    assert!(most["headcount_diff"]["mean"].as_f64().unwrap() > gain);
    assert!(most["cost_mad_to_target"].is_null());
    assert!(most["cost_mad_per_additional_job"].is_null());
    assert!(most["rank_cost_per_job"].is_null());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("Most jobs per dirham: More seats"),
        "{stdout}"
    );
    assert!(stdout.contains("not given"), "{stdout}");
    let report = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("cost not given"));
    // The base is the reference, not an option whose cost is missing.
    assert!(report.contains("No cost: the reference"));
    // The chart shows the costed option and names the other.
    let chart = fs::read_to_string(out.join("cost_per_job.svg")).unwrap();
    assert!(chart.contains("More seats") && chart.contains("cost is not given: Most"));

    // The base is what the others spend beyond: a cost of its own is refused.
    let output = shorecast()
        .args(["compare", "--paths", "10", "--quiet"])
        .args([&costed, &base])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("is the base of this comparison") && stderr.contains("[option]"),
        "{stderr}"
    );
    // A slip in the section is named with its key.
    let typo = seats_option(
        tmp.path(),
        "Typo",
        900,
        "\n[option]\ncost_mad_per_yaer = 5\n",
    );
    let output = shorecast()
        .args(["compare", "--paths", "10", "--quiet"])
        .args([&base, &typo])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("option.cost_mad_per_yaer: unknown key"),
        "{stderr}"
    );
}

#[test]
fn sensitivity_and_discover_write_their_tables() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("sens");
    let output = shorecast()
        .args(["sensitivity", "--paths", "600", "--quiet", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let csv = fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    assert!(csv.starts_with("rank,parameter,prcc,"));
    assert!(csv.contains("labour.uptake_monthly") && csv.contains("firm[Intelcia].opens_month"));

    let out = tmp.path().join("disc");
    let output = shorecast()
        .args([
            "discover", "--paths", "1500", "--quiet", "--target", "2400", "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("2,400 jobs by Jul 2022 are reached in"),
        "{stdout}"
    );
    for file in ["prim_trajectory.csv", "prim_box.csv", "discover.txt"] {
        assert!(out.join(file).exists(), "{file}");
    }
    // The full range is the scenario's (pert 1,000..5,000), not the sample's.
    let boxes = fs::read_to_string(out.join("prim_box.csv")).unwrap();
    let pool = boxes
        .lines()
        .find(|l| l.starts_with("labour.initial_pool,"))
        .unwrap();
    assert!(pool.ends_with(",1000,5000"), "{pool}");
}

#[test]
fn analyses_explain_what_they_cannot_do() {
    // Nothing uncertain.
    for command in ["sensitivity", "discover"] {
        let output = shorecast()
            .args([command, "--paths", "50", "--quiet"])
            .arg(data("valid/all_fixed.toml"))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("no uncertain parameter"), "{stderr}");
    }
}

#[test]
fn discover_reports_an_out_of_reach_target_with_one_to_try() {
    // No path reaches the Oujda target of 5,000: the report says so and
    // suggests a target about a third of the paths reach.
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("disc");
    let output = shorecast()
        .args(["discover", "--paths", "300", "--quiet", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("None of the 300 simulated futures reaches 5,000 jobs"),
        "{stdout}"
    );
    let suggestion: u32 = stdout
        .split("--target ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("a suggested target");
    assert!((1..5000).contains(&suggestion), "{suggestion}");
    let report = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains(&format!("--target {suggestion}")));
    assert!(
        fs::read_to_string(out.join("discover.txt"))
            .unwrap()
            .contains("out of this scenario")
    );
    // No box was found, so no box table pretends otherwise.
    assert!(!out.join("prim_box.csv").exists());

    // The suggested target is reached by about a third of the same paths:
    // its discovery finds a box.
    let out = tmp.path().join("again");
    shorecast()
        .args([
            "discover", "--paths", "300", "--quiet", "--lang", "fr", "--out",
        ])
        .arg(&out)
        .args(["--target", &suggestion.to_string()])
        .assert()
        .success();
    assert!(out.join("prim_box.csv").exists());

    // Every path reaching a low target: the report says so in French.
    let out = tmp.path().join("all");
    shorecast()
        .args([
            "discover", "--paths", "300", "--quiet", "--lang", "fr", "--target", "10", "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let sentence = fs::read_to_string(out.join("discover.txt")).unwrap();
    assert!(
        sentence.contains("atteignent tous 10\u{a0}emplois"),
        "{sentence}"
    );
}

#[test]
fn init_writes_a_template_that_validates_and_never_overwrites() {
    let tmp = TempDir::new().unwrap();
    shorecast()
        .current_dir(tmp.path())
        .args(["init", "Tanger Shore"])
        .assert()
        .success();
    let file = tmp.path().join("tanger-shore.toml");
    let text = fs::read_to_string(&file).unwrap();
    assert!(text.contains("name = \"Tanger Shore\"") && text.contains("FILL IN"));
    let output = shorecast().arg("validate").arg(&file).output().unwrap();
    assert!(output.status.success());
    // The template states its labour market and arrivals: no warning.
    assert!(!String::from_utf8_lossy(&output.stderr).contains("warning"));
    let again = shorecast()
        .current_dir(tmp.path())
        .args(["init", "Tanger Shore"])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("never overwrites"));
    assert_eq!(fs::read_to_string(&file).unwrap(), text);
}

#[test]
fn a_file_without_a_labour_market_gets_neutral_defaults_and_warnings() {
    let output = shorecast()
        .arg("validate")
        .arg(data("valid/minimal.toml"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    for key in ["firms_per_year", "initial_pool", "graduates_per_year"] {
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with("warning: ") && l.contains(key)),
            "{stderr}"
        );
    }
    let resolved = String::from_utf8_lossy(&output.stdout);
    assert!(
        resolved.contains("firms_per_year = 0.0") || resolved.contains("firms_per_year = 0"),
        "{resolved}"
    );
    assert!(resolved.contains("initial_pool = 0"), "{resolved}");
    assert!(resolved.contains("graduates_per_year = 0"), "{resolved}");
}

#[test]
fn discover_and_a_costed_compare_give_the_same_files_on_any_thread_count() {
    let tmp = TempDir::new().unwrap();
    let (base, costed) = base_and_costed_option(tmp.path());
    let run = |threads: &str| {
        let out = tmp.path().join(format!("t{threads}"));
        shorecast()
            // From the priors, where the inputs that matter stand out: PRIM
            // finds a box, so its chart is compared too.
            .args(["discover", "--prior", "--paths", "2000", "--target", "2300"])
            .args(["--quiet", "--threads", threads, "--out"])
            .arg(out.join("disc"))
            .assert()
            .success();
        shorecast()
            .args(["compare", "--paths", "600", "--quiet", "--threads", threads])
            .arg("--out")
            .arg(out.join("cmp"))
            .args([&base, &costed])
            .assert()
            .success();
        out
    };
    let (one, two) = (run("1"), run("2"));
    for file in [
        "disc/prim_box.svg",
        "disc/prim_box.csv",
        "disc/prim_trajectory.svg",
        "disc/discover.txt",
        "cmp/comparison.csv",
        "cmp/compare_fan.svg",
        "cmp/cost_per_job.svg",
    ] {
        assert_eq!(
            fs::read(one.join(file)).unwrap(),
            fs::read(two.join(file)).unwrap(),
            "{file} differs between 1 and 2 threads"
        );
    }
}

/// The fit's line in French: a no-break space before the colon between a
/// history point's month and its value, and the effective sample size with
/// its digits grouped as every other number is.
#[test]
fn the_fit_is_stated_with_french_typography() {
    let tmp = TempDir::new().unwrap();
    for (lang, colon, separator) in [
        ("fr", "2020\u{a0}: 600)", '\u{202f}'),
        ("en", "2020: 600)", ','),
    ] {
        let output = shorecast()
            .args([
                "run",
                "--paths",
                "200",
                "--no-charts",
                "--lang",
                lang,
                "--out",
            ])
            .arg(tmp.path().join(lang))
            .output()
            .unwrap();
        assert!(output.status.success());
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(stdout.contains(colon), "{stdout}");
        let after = match lang {
            "fr" => "taille d’échantillon effective ",
            _ => "effective sample size ",
        };
        let ess: String = stdout
            .split(after)
            .nth(1)
            .expect("the fit states its effective sample size")
            .chars()
            .take_while(|&c| c != ')')
            .collect();
        let digits: String = ess.chars().filter(char::is_ascii_digit).collect();
        let grouped = digits.len() <= 3 || ess.contains(separator);
        assert!(grouped, "{lang}: effective sample size written {ess:?}");
    }
}
