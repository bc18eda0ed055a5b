//! Calibration against a known truth (simulation-based calibration, Talts et
//! al. 2018), its determinism, and forecasting from its posterior.

use std::sync::Arc;

use crate::common::shorecast;
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Distribution, Uniform};
use shorecast::analysis::calibrate::{CalibrationOptions, StopReason, calibrate, fitted_points};
use shorecast::core::model::{
    Inputs, Series, Trajectory, Workspace, simulate_path, simulate_path_with_inputs,
};
use shorecast::core::scenario::Scenario;

/// One existing site filling its seats at an uncertain pace, with uncertain
/// attrition, and an announced site that comes with probability 0.6; the pool
/// never binds. Three uncertain inputs, four history points a quarter apart.
const SYNTHETIC: &str = r#"
[scenario]
name = "Synthetic truth"
start = "2020-01"
horizon_months = 12
[target]
headcount = 1000
month = 12
[[firm]]
name = "Site"
seats = 600
headcount = 100
ramp_months = { dist = "uniform_int", min = 4, max = 30 }
[[firm]]
name = "Newcomer"
group = "announced"
seats = 300
opens_month = 5
ramp_months = 6
probability = 0.6
[arrivals]
firms_per_year = 0
[labour]
initial_pool = 10000000
pool_exit_monthly = 0
uptake_monthly = 1
[attrition]
multiplier = { dist = "uniform", min = 0.3, max = 3.0 }
[closure]
monthly_hazard = 0
[expansion]
monthly_probability = 0
"#;

const MONTHS: [u32; 4] = [3, 6, 9, 12];
const UNCERTAINTY: f64 = 0.1;

/// The synthetic scenario with a history simulated from the inputs of path
/// `truth`, each point off by a log-error uniform within one observation error
/// (the error model that ABC's acceptance region states).
fn with_true_history(truth: u64, months: &[u32]) -> (Scenario, Vec<f64>) {
    let base = Scenario::from_toml_str(SYNTHETIC, "synthetic").unwrap();
    let (mut work, mut t, mut inputs) = (
        Workspace::default(),
        Trajectory::new(12),
        Inputs::new(false),
    );
    simulate_path_with_inputs(&base, 77, truth, &mut work, &mut t, &mut inputs);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(1000 + truth);
    let u = Uniform::new_inclusive(-1.0, 1.0).unwrap();
    let sigma = (1.0 + UNCERTAINTY).ln();
    let mut text = SYNTHETIC.to_string();
    for &m in months {
        let simulated = f64::from(t.get(Series::Headcount, m));
        let observed = ((simulated + 1.0) * (sigma * u.sample(&mut rng)).exp() - 1.0).round();
        text.push_str(&format!(
            "[[history]]\ndate = \"{}\"\nheadcount = {observed}\nuncertainty = {UNCERTAINTY}\n",
            base.date(m)
        ));
    }
    (
        Scenario::from_toml_str(&text, "synthetic").unwrap(),
        inputs.values,
    )
}

fn options(particles: u32, seed: u64) -> CalibrationOptions {
    CalibrationOptions {
        particles,
        seed,
        final_tolerance: 1.0,
        min_acceptance: 0.005,
        max_generations: 30,
    }
}

/// Over `replications` truths: how often each continuous input's 90% central
/// credible interval covers the truth, the truths' normalised ranks, and how
/// many calibrations stopped before the final tolerance (their posteriors are
/// wider than the exact one).
fn coverage(
    replications: u64,
    particles: u32,
    min_acceptance: f64,
) -> ([u64; 2], Vec<[f64; 2]>, u64) {
    let mut covered = [0u64; 2];
    let mut ranks = Vec::new();
    let mut early = 0;
    for r in 0..replications {
        let (scenario, truth) = with_true_history(r, &MONTHS);
        let o = CalibrationOptions {
            min_acceptance,
            ..options(particles, r)
        };
        let c = calibrate(&scenario, o, &|_| {}).unwrap();
        early += u64::from(c.stop != StopReason::FinalTolerance);
        let p = &c.posterior;
        let mut rank = [0.0; 2];
        // Inputs in model order: firm[Site].ramp_months, firm[Newcomer].happens,
        // attrition.multiplier.
        for (k, j) in [0usize, 2].into_iter().enumerate() {
            let name = &p.names[j];
            assert!(!name.ends_with("happens"), "{name}");
            let (lo, hi) = (p.quantile(j, 0.05), p.quantile(j, 0.95));
            covered[k] += u64::from(lo <= truth[j] && truth[j] <= hi);
            // Mid-rank: ties (whole numbers) count half.
            rank[k] = (0..p.len())
                .map(|i| {
                    let x = p.particle(i)[j];
                    p.weights[i]
                        * if x < truth[j] {
                            1.0
                        } else if x == truth[j] {
                            0.5
                        } else {
                            0.0
                        }
                })
                .sum();
        }
        ranks.push(rank);
    }
    (covered, ranks, early)
}

#[test]
fn credible_intervals_cover_the_truth_at_their_nominal_rate() {
    // 60 truths drawn from the priors: each 90% interval covers its truth with
    // probability 0.9 if the posterior is right, so the count is Binomial(60,
    // 0.9): mean 54, sd 2.3. We accept 47..=60 (3 sd below; above cannot be
    // told from a slightly conservative posterior). The ranks' mean is 0.5 with
    // sd 0.289 / sqrt(60) = 0.037: we accept within 3 sd, 0.39..0.61.
    let n = 60;
    let (covered, ranks, early) = coverage(n, 400, 0.005);
    assert_eq!(early, 0, "every calibration reaches the final tolerance");
    for (k, c) in covered.iter().enumerate() {
        assert!(*c >= 47, "input {k}: covered {c} of {n}");
        let mean = ranks.iter().map(|r| r[k]).sum::<f64>() / n as f64;
        assert!((0.39..=0.61).contains(&mean), "input {k}: mean rank {mean}");
    }
}

#[test]
#[ignore = "heavy: 500 truths, about a minute; its result is in the issue-8 note"]
fn credible_intervals_cover_the_truth_heavy() {
    // Binomial(500, 0.9): sd 6.7, so 3 sd is 430..=470 for the continuous input
    // (attrition.multiplier). The ramp is a whole number: the interval between
    // its 5% and 95% quantiles includes both end values, so it holds at least
    // 90% of the posterior and covers at least nominally (only 430 is checked).
    // Ranks (mid-ranks for ties): mean within 3 * 0.289 / sqrt(500) = 0.039 of
    // 0.5, and their histogram in 10 bins passes a chi-square test at 1% (9
    // degrees of freedom, critical value 21.67).
    let n = 500;
    let (covered, ranks, early) = coverage(n, 500, 0.001);
    println!("{early} of {n} calibrations stopped before the final tolerance");
    assert!(early <= 5, "{early} calibrations stopped early");
    for k in 0..2 {
        let mean = ranks.iter().map(|r| r[k]).sum::<f64>() / n as f64;
        let mut bins = [0u64; 10];
        for r in &ranks {
            bins[((r[k] * 10.0) as usize).min(9)] += 1;
        }
        let expected = n as f64 / 10.0;
        let chi2: f64 = bins
            .iter()
            .map(|&b| (b as f64 - expected).powi(2) / expected)
            .sum();
        println!(
            "input {k}: covered {} of {n}, mean rank {mean:.3}, bins {bins:?}, chi2 {chi2:.1}",
            covered[k]
        );
        let upper = if k == 0 { n } else { 470 };
        assert!(
            (430..=upper).contains(&covered[k]),
            "input {k}: covered {}",
            covered[k]
        );
        assert!((mean - 0.5).abs() <= 0.039, "input {k}: mean rank {mean}");
        assert!(chi2 < 21.67, "input {k}: ranks not uniform, chi2 {chi2}");
    }
}

#[test]
fn calibration_is_the_same_on_one_thread_and_two() {
    let (scenario, _) = with_true_history(3, &MONTHS);
    let on = |threads| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| calibrate(&scenario, options(300, 5), &|_| {}).unwrap())
    };
    let (a, b) = (on(1), on(2));
    assert_eq!(a.posterior.to_csv().unwrap(), b.posterior.to_csv().unwrap());
    assert_eq!(a.simulations(), b.simulations());
}

#[test]
fn paths_from_the_posterior_replay_a_past_that_fits_the_history() {
    let (mut scenario, _) = with_true_history(4, &[3, 6]);
    let c = calibrate(&scenario, options(300, 9), &|_| {}).unwrap();
    let points = fitted_points(&scenario).unwrap();
    scenario.posterior = Some(Arc::new(c.posterior.clone()));
    let (mut work, mut t) = (Workspace::default(), Trajectory::new(12));
    let mut futures: std::collections::HashMap<Vec<u32>, std::collections::HashSet<u32>> =
        Default::default();
    for path in 0..2000 {
        simulate_path(&scenario, 123, path, &mut work, &mut t);
        for p in &points {
            let e = p.error(t.get(Series::Headcount, p.month)).abs();
            assert!(
                e <= c.tolerance(),
                "path {path}: month {} off by {e}",
                p.month
            );
        }
        let past: Vec<u32> = (0..=6).map(|m| t.get(Series::Headcount, m)).collect();
        futures
            .entry(past)
            .or_default()
            .insert(t.get(Series::Headcount, 12));
    }
    // 2,000 paths over 300 particles: pasts repeat (same particle), and after
    // the last history month each path draws its own future, so some repeated
    // pasts go on to different futures.
    assert!(futures.len() < 2000, "pasts should repeat");
    assert!(
        futures.values().any(|f| f.len() > 1),
        "futures should differ"
    );
}

/// The synthetic scenario with a history drawn from truth 11, written to `dir`.
fn synthetic_file(dir: &std::path::Path, extra: &str) -> std::path::PathBuf {
    let (scenario, _) = with_true_history(11, &[3, 6, 9]);
    let mut text = SYNTHETIC.to_string();
    for o in &scenario.history {
        text.push_str(&format!(
            "[[history]]\ndate = \"{}\"\nheadcount = {}\nuncertainty = {UNCERTAINTY}\nsource = \"simulated\"\n",
            o.date, o.headcount
        ));
    }
    text.push_str(extra);
    let path = dir.join("synthetic.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// `shorecast COMMAND --quiet --particles P --paths N EXTRA --out OUT FILE`,
/// for `calibrate` and `backtest`.
fn fit(
    command: &str,
    (particles, paths): (&str, &str),
    extra: &[&str],
    out: &std::path::Path,
    file: &std::path::Path,
) -> assert_cmd::assert::Assert {
    shorecast()
        .args([
            command,
            "--quiet",
            "--particles",
            particles,
            "--paths",
            paths,
        ])
        .args(extra)
        .arg("--out")
        .arg(out)
        .arg(file)
        .assert()
}

#[test]
fn a_history_out_of_reach_exits_2_names_the_point_and_writes_nothing() {
    let tmp = tempfile::TempDir::new().unwrap();
    // 100,000 jobs in June 2020: the two sites have 900 seats.
    let file = synthetic_file(
        tmp.path(),
        "[[history]]\ndate = \"2020-06\"\nheadcount = 100000\n",
    );
    let out = tmp.path().join("out");
    let assert = fit("calibrate", ("200", "100"), &[], &out, &file).code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        stderr.contains("2020-06") && stderr.contains("100000"),
        "{stderr}"
    );
    assert!(
        stderr.contains("firm[Site].ramp_months") || stderr.contains("attrition.multiplier"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing may be written");
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("synthetic.toml")]);
}

#[test]
fn calibrate_and_run_from_its_posterior_are_the_same_on_one_thread_and_two() {
    let tmp = tempfile::TempDir::new().unwrap();
    let file = synthetic_file(tmp.path(), "");
    let calibrate_on = |threads: &str| {
        let out = tmp.path().join(format!("cal{threads}"));
        fit(
            "calibrate",
            ("300", "500"),
            &["--threads", threads],
            &out,
            &file,
        )
        .success();
        out
    };
    let (one, two) = (calibrate_on("1"), calibrate_on("2"));
    let read = |dir: &std::path::Path, f: &str| std::fs::read(dir.join(f)).unwrap();
    assert_eq!(read(&one, "posterior.csv"), read(&two, "posterior.csv"));
    let without_timing = |dir: &std::path::Path| {
        let mut v: serde_json::Value =
            serde_json::from_slice(&read(dir, "calibration.json")).unwrap();
        let o = v.as_object_mut().unwrap();
        o.remove("elapsed_seconds");
        o.remove("command_line");
        v
    };
    assert_eq!(without_timing(&one), without_timing(&two));
    for f in ["report.html", "fitted_fan.png", "posterior_inputs.png"] {
        assert!(one.join(f).exists(), "{f}");
    }
    let run_on = |threads: &str| {
        let out = tmp.path().join(format!("run{threads}"));
        shorecast()
            .args([
                "run",
                "--quiet",
                "--paths",
                "2000",
                "--threads",
                threads,
                "--posterior",
            ])
            .arg(one.join("posterior.csv"))
            .arg("--out")
            .arg(&out)
            .arg(&file)
            .assert()
            .success();
        out
    };
    let (a, b) = (run_on("1"), run_on("2"));
    assert_eq!(read(&a, "quantiles.csv"), read(&b, "quantiles.csv"));
    let report = String::from_utf8(read(&a, "report.html")).unwrap();
    assert!(
        report.contains("Fitted to 3 history points"),
        "the report says it is fitted"
    );
    // And how the priors alone forecast the three points: the genuine back-test.
    let backtest = report
        .split("Back-test, forecasting from the priors alone")
        .nth(1)
        .expect("the report says how the back-test scored");
    assert_eq!(
        backtest
            .split("</p>")
            .next()
            .unwrap()
            .matches(" percentile")
            .count(),
        3,
        "{backtest}"
    );
    // The posterior's past fits the history; the priors' does not, so the
    // spread at the last history point must shrink.
    let prior = tmp.path().join("prior");
    shorecast()
        .args(["run", "--quiet", "--paths", "2000", "--prior", "--out"])
        .arg(&prior)
        .arg(&file)
        .assert()
        .success();
    let spread = |dir: &std::path::Path| {
        let text = std::fs::read_to_string(dir.join("quantiles.csv")).unwrap();
        let row: Vec<f64> = text
            .lines()
            .find(|l| l.starts_with("headcount,9,"))
            .unwrap()
            .split(',')
            .skip(4)
            .map(|v| v.parse().unwrap())
            .collect();
        row[6] - row[0]
    };
    assert!(
        spread(&a) < spread(&prior) / 2.0,
        "{} vs {}",
        spread(&a),
        spread(&prior)
    );
}

#[test]
fn a_posterior_that_does_not_fit_the_scenario_is_refused() {
    let tmp = tempfile::TempDir::new().unwrap();
    let file = synthetic_file(tmp.path(), "");
    let bad = tmp.path().join("bad.csv");
    std::fs::write(&bad, "particle,weight,distance,seed,stream,replay_months,labour.uptake_monthly\n0,1,0,1,1,3,0.5\n").unwrap();
    let assert = shorecast()
        .args(["run", "--quiet", "--paths", "10", "--posterior"])
        .arg(&bad)
        .arg(&file)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        stderr.contains("bad.csv") && stderr.contains("no column"),
        "{stderr}"
    );
}

#[test]
fn a_backtest_on_known_truth_covers_at_its_nominal_rate() {
    use shorecast::analysis::backtest::{predictive_sample, score};
    // Truths drawn from the priors with the stated observation error: the
    // priors' predictive distribution is then the truth's own, so the PIT is
    // uniform and each interval covers at its nominal rate. 400 truths: the
    // 90% count is Binomial(400, 0.9) (sd 6), the 50% count Binomial(400, 0.5)
    // (sd 10); we accept 3 sd. The predictive sample (20,000 paths) adds a
    // quantile error of under 0.5 points of coverage.
    let (scenario, _) = with_true_history(0, &[9]);
    let point = fitted_points(&scenario).unwrap()[0].clone();
    let sample = predictive_sample(&scenario, &point, 20_000, 5);
    let (mut in50, mut in90, mut pit_sum) = (0, 0, 0.0);
    let n = 400;
    for truth in 0..n {
        let (s, _) = with_true_history(1000 + truth, &[9]);
        let observed = f64::from(s.history[0].headcount);
        let sc = score(&mut sample.clone(), observed);
        in50 += u32::from(sc.in50);
        in90 += u32::from(sc.in90);
        pit_sum += sc.pit;
    }
    assert!(
        (342..=378).contains(&in90),
        "90% interval covered {in90} of {n}"
    );
    assert!(
        (170..=230).contains(&in50),
        "50% interval covered {in50} of {n}"
    );
    // Mean PIT 0.5, sd 0.289 / 20 = 0.0144; 3 sd.
    let mean = pit_sum / n as f64;
    assert!((mean - 0.5).abs() < 0.043, "mean PIT {mean}");
}

#[test]
fn options_compared_from_a_posterior_stay_on_common_random_numbers() {
    use shorecast::analysis::compare::{CompareOptions, compare};
    use shorecast::input::policy::Policy;
    let (mut scenario, _) = with_true_history(6, &[3, 6]);
    let c = calibrate(&scenario, options(300, 2), &|_| {}).unwrap();
    scenario.posterior = Some(Arc::new(c.posterior));
    // The same scenario twice: every path picks the same particle in both, so
    // every per-path difference is exactly zero.
    let options = [
        Policy::base(scenario.clone(), "Base"),
        Policy::base(scenario.clone(), "Same"),
    ];
    let settings = CompareOptions {
        paths: 1000,
        seed: 4,
        independent_streams: false,
    };
    let result = compare(&options, settings, 0, &|_| {});
    let d = &result.options[1];
    assert_eq!(d.headcount_diff.variance, 0.0);
    assert_eq!(d.headcount_diff.mean, 0.0);
    // An option that fixes the site's ramp at 4 months takes that value, not
    // the particle's, on otherwise paired paths: it fills the site faster.
    let mut faster = scenario.clone();
    *faster.param_mut("firm[Site].ramp_months").unwrap() = shorecast::core::dist::Param::fixed(4.0);
    let options = [
        Policy::base(scenario, "Base"),
        Policy::base(faster, "Faster"),
    ];
    let result = compare(&options, settings, 0, &|_| {});
    assert!(result.options[1].headcount_diff.ci95_low > 0.0);
}

#[test]
fn backtest_scores_every_point_three_ways_the_same_on_any_thread_count() {
    let tmp = tempfile::TempDir::new().unwrap();
    let file = synthetic_file(tmp.path(), "");
    let on = |threads: &str| {
        let out = tmp.path().join(format!("bt{threads}"));
        fit(
            "backtest",
            ("300", "2000"),
            &["--threads", threads],
            &out,
            &file,
        )
        .success();
        out
    };
    let (one, two) = (on("1"), on("2"));
    let table = std::fs::read_to_string(one.join("backtest.csv")).unwrap();
    assert_eq!(
        table,
        std::fs::read_to_string(two.join("backtest.csv")).unwrap()
    );
    // Three points after the start: each from the priors and in-sample, the
    // second and third also from the points before them.
    let bases: Vec<&str> = table
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(4).unwrap())
        .collect();
    assert_eq!(
        bases,
        [
            "prior",
            "in_sample",
            "prior",
            "rolling",
            "in_sample",
            "prior",
            "rolling",
            "in_sample"
        ]
    );
    for f in ["report.html", "backtest.png", "backtest.svg"] {
        assert!(one.join(f).exists(), "{f}");
    }
}

#[test]
fn calibrate_and_backtest_in_french_name_the_scenario_in_french() {
    let tmp = tempfile::TempDir::new().unwrap();
    let file = synthetic_file(tmp.path(), "");
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "name = \"Synthetic truth\"",
        "name = { en = \"Synthetic truth\", fr = \"Vérité synthétique\" }",
    );
    std::fs::write(&file, text).unwrap();
    for command in ["calibrate", "backtest"] {
        let out = tmp.path().join(command);
        fit(command, ("200", "200"), &["--lang", "fr"], &out, &file).success();
        let report = std::fs::read_to_string(out.join("report.html")).unwrap();
        assert!(report.contains("Vérité synthétique"), "{command}");
        assert!(!report.contains("Synthetic truth"), "{command}");
        let chart = if command == "calibrate" {
            "fitted_fan.svg"
        } else {
            "backtest.svg"
        };
        let svg = std::fs::read_to_string(out.join(chart)).unwrap();
        assert!(svg.contains("Vérité synthétique"), "{command}: {chart}");
        assert!(!svg.contains("Synthetic truth"), "{command}: {chart}");
    }
}

#[test]
fn a_posterior_whose_pasts_no_longer_replay_is_refused() {
    let tmp = tempfile::TempDir::new().unwrap();
    let file = synthetic_file(tmp.path(), "");
    let calibration = tmp.path().join("cal");
    fit("calibrate", ("200", "200"), &[], &calibration, &file).success();
    let posterior = calibration.join("posterior.csv");
    let run = |scenario: &std::path::Path, out: &str| {
        shorecast()
            .args(["run", "--quiet", "--no-charts", "--paths", "200"])
            .arg("--posterior")
            .arg(&posterior)
            .arg("--out")
            .arg(tmp.path().join(out))
            .arg(scenario)
            .assert()
    };
    run(&file, "fits").success();
    let text = std::fs::read_to_string(&file).unwrap();
    // A fixed input that shapes the past (the existing site's seats), and a
    // history point, each changed after calibrating.
    for (what, changed) in [
        ("seats", text.replacen("seats = 600", "seats = 500", 1)),
        (
            "history",
            text.replacen("uncertainty = 0.1\n", "uncertainty = 0.2\n", 1),
        ),
    ] {
        assert_ne!(changed, text, "{what}: the edit must apply");
        let edited = tmp.path().join(format!("{what}.toml"));
        std::fs::write(&edited, changed).unwrap();
        let out = format!("stale-{what}");
        let assert = run(&edited, &out).code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
        assert!(
            stderr.contains("no longer reproduces") && stderr.contains("shorecast calibrate"),
            "{what}: {stderr}"
        );
        assert!(!tmp.path().join(&out).exists(), "{what}: nothing written");
    }
}
