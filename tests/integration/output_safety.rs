//! The output folder never loses a user's files: refusals before simulating, the
//! atomic swap under faults injected at every step and random kills, and
//! concurrent runs into one folder.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::time::Duration;

use crate::common::shorecast;
use tempfile::TempDir;

fn binary() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("shorecast")
}

/// The files of a complete `run --no-charts`.
const RUN_FILES: [&str; 7] = [
    ".shorecast-output",
    "hitting.csv",
    "quantiles.csv",
    "report.html",
    "results.xlsx",
    "scenario.resolved.toml",
    "summary.json",
];

/// The seed of the complete results in `out`, or why they are not complete.
fn complete_seed(out: &Path) -> Result<u64, String> {
    let names: BTreeSet<String> = fs::read_dir(out)
        .map_err(|e| format!("{}: {e}", out.display()))?
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let expected: BTreeSet<String> = RUN_FILES.iter().map(|s| s.to_string()).collect();
    if names != expected {
        return Err(format!("files {names:?}"));
    }
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("summary.json")).map_err(|e| e.to_string())?)
            .map_err(|e| format!("summary.json: {e}"))?;
    let quantiles = fs::read_to_string(out.join("quantiles.csv")).map_err(|e| e.to_string())?;
    if quantiles.lines().count() < 10 {
        return Err("quantiles.csv is short".into());
    }
    summary["seed"]
        .as_u64()
        .ok_or_else(|| "summary.json has no seed".to_string())
}

/// Hidden entries beside `out` (staging folders, lock files).
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect()
}

fn run_args(out: &Path, seed: u64) -> Vec<String> {
    [
        "run",
        "--paths",
        "100",
        "--quiet",
        "--no-charts",
        "--seed",
        &seed.to_string(),
        "--out",
        &out.display().to_string(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn run_ok(out: &Path, seed: u64) {
    shorecast().args(run_args(out, seed)).assert().success();
    assert_eq!(complete_seed(out), Ok(seed));
}

#[test]
fn a_folder_of_other_files_is_refused_before_simulating() {
    let tmp = TempDir::new().unwrap();
    let thesis = tmp.path().join("thesis");
    fs::create_dir(&thesis).unwrap();
    fs::write(thesis.join("ch1.tex"), "\\chapter{One}").unwrap();
    let output = shorecast()
        .args(["run", "--paths", "100000000", "--quiet", "--out"])
        .arg(&thesis)
        .output()
        .unwrap();
    // 10^8 paths would take minutes: the refusal comes first.
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("did not write"), "{stderr}");
    assert!(stderr.contains("--out"), "{stderr}");
    assert_eq!(
        fs::read_to_string(thesis.join("ch1.tex")).unwrap(),
        "\\chapter{One}"
    );
    assert_eq!(fs::read_dir(&thesis).unwrap().count(), 1);
    assert!(
        leftovers(tmp.path()).is_empty(),
        "{:?}",
        leftovers(tmp.path())
    );
}

#[test]
fn a_file_is_refused_and_left_alone() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("some-file.txt");
    fs::write(&file, "notes").unwrap();
    for command in ["run", "compare", "sensitivity", "discover"] {
        let output = shorecast()
            .args([command, "--paths", "100", "--quiet", "--out"])
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{command}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("is a file"), "{stderr}");
        assert_eq!(fs::read_to_string(&file).unwrap(), "notes");
        assert!(
            leftovers(tmp.path()).is_empty(),
            "{:?}",
            leftovers(tmp.path())
        );
    }
}

#[test]
fn an_empty_folder_is_used_and_marked() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("empty");
    fs::create_dir(&out).unwrap();
    run_ok(&out, 5);
    let marker = fs::read_to_string(out.join(".shorecast-output")).unwrap();
    assert!(marker.starts_with("shorecast "), "{marker}");
    assert!(marker.contains("command: "), "{marker}");
    // Once the marker is removed, the folder is protected.
    fs::remove_file(out.join(".shorecast-output")).unwrap();
    shorecast().args(run_args(&out, 6)).assert().code(2);
    assert!(out.join("summary.json").exists());
}

/// Kills a replacing run at each step (the test-only hook of `staging.rs`) and
/// checks that the folder holds the old or the new results, complete, and that
/// the next run cleans up and succeeds.
fn kill_at_each_step(steps: &[(&str, bool)], fallback: bool) {
    for (i, &(step, new_expected)) in steps.iter().enumerate() {
        let tmp = TempDir::new().unwrap();
        let out = tmp.path().join("out");
        run_ok(&out, 1);
        let mut cmd = shorecast();
        cmd.args(run_args(&out, 2))
            .env("SHORECAST_TEST_ABORT_AT", step);
        if fallback {
            cmd.env("SHORECAST_TEST_NO_EXCHANGE", "1");
        }
        let output = cmd.output().unwrap();
        assert!(!output.status.success(), "{step}: the hook did not fire");
        let expected = if new_expected { 2 } else { 1 };
        if fallback && step == "aside" {
            // The one instant the fallback leaves the path missing: the old
            // results are aside, complete, and the next run puts them back.
            assert!(!out.exists(), "{step}");
            let mut restore = shorecast();
            restore
                .args(run_args(&out, 3))
                .env("SHORECAST_TEST_ABORT_AT", "staged");
            assert!(!restore.output().unwrap().status.success());
        }
        assert_eq!(complete_seed(&out), Ok(expected), "step {i} ({step})");
        // The next run cleans the dead run's staging folder and lock, and succeeds.
        run_ok(&out, 4);
        assert!(
            leftovers(tmp.path()).is_empty(),
            "{step}: {:?}",
            leftovers(tmp.path())
        );
    }
}

#[test]
fn a_run_killed_at_any_step_leaves_old_or_new_results_complete() {
    kill_at_each_step(
        &[
            ("locked", false),
            ("staged", false),
            ("written", false),
            ("swapped", true),
            ("cleaned", true),
        ],
        false,
    );
}

#[test]
fn the_fallback_swap_recovers_from_a_kill_at_any_step() {
    kill_at_each_step(
        &[
            ("written", false),
            ("aside", false),
            ("swapped", true),
            ("cleaned", true),
        ],
        true,
    );
}

#[test]
fn runs_killed_at_random_moments_never_leave_incomplete_results() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    run_ok(&out, 100);
    let mut last = 100;
    // Delays spread over a run's life (start-up, simulation, writing, swap).
    for (i, delay_ms) in [0, 3, 7, 12, 18, 25, 35, 50, 70, 90, 120, 160]
        .into_iter()
        .enumerate()
    {
        let seed = 101 + i as u64;
        let mut child = Process::new(binary())
            .args(run_args(&out, seed))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let finished = child.wait().unwrap().success();
        let found = complete_seed(&out).unwrap_or_else(|e| panic!("after {delay_ms} ms: {e}"));
        assert!(
            found == last || found == seed,
            "after {delay_ms} ms: seed {found}, expected {last} or {seed}"
        );
        assert!(!finished || found == seed);
        last = found;
    }
    run_ok(&out, 1);
    assert!(
        leftovers(tmp.path()).is_empty(),
        "{:?}",
        leftovers(tmp.path())
    );
}

#[test]
fn concurrent_runs_into_one_folder_succeed_in_turn_or_are_refused_clearly() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    run_ok(&out, 1);
    // A reader watching the folder all along always finds the results.
    let watching = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let watcher = {
        let (out, watching) = (out.clone(), watching.clone());
        std::thread::spawn(move || {
            let mut looks = 0;
            while watching.load(std::sync::atomic::Ordering::Relaxed) {
                // By path, as a user would open them.
                let summary = fs::read(out.join("summary.json")).map_err(|e| e.to_string())?;
                serde_json::from_slice::<serde_json::Value>(&summary).map_err(|e| e.to_string())?;
                fs::read(out.join("quantiles.csv")).map_err(|e| e.to_string())?;
                looks += 1;
            }
            Ok::<u64, String>(looks)
        })
    };
    let (mut succeeded, mut refused) = (0, 0);
    for round in 0..6 {
        let children: Vec<_> = (0..2)
            .map(|k| {
                Process::new(binary())
                    .args(run_args(&out, 10 + 2 * round + k))
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            match output.status.code() {
                Some(0) => succeeded += 1,
                Some(1) if stderr.contains("another shorecast run") => refused += 1,
                other => panic!("round {round}: exit {other:?}: {stderr}"),
            }
        }
    }
    watching.store(false, std::sync::atomic::Ordering::Relaxed);
    let looks = watcher
        .join()
        .unwrap()
        .expect("the folder was seen incomplete");
    assert!(looks > 0);
    assert_eq!(succeeded + refused, 12);
    assert!(succeeded >= 6, "{succeeded} succeeded, {refused} refused");
    assert!(complete_seed(&out).is_ok());
    assert!(
        leftovers(tmp.path()).is_empty(),
        "{:?}",
        leftovers(tmp.path())
    );
}
