//! Hostile use: closed pipes, full disks, astronomical costs, formula injection
//! in CSV files and escape sequences in names.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};

use assert_cmd::Command;
use tempfile::TempDir;

fn shorecast() -> Command {
    Command::cargo_bin("shorecast").expect("the binary is built")
}

fn minimal() -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/valid/minimal.toml"))
        .unwrap()
}

/// The minimal scenario with `extra` appended, written into `dir`.
fn scenario_with(dir: &Path, extra: &str) -> PathBuf {
    let path = dir.join("scenario.toml");
    fs::write(&path, format!("{}\n{extra}\n", minimal())).unwrap();
    path
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let tmp = TempDir::new().unwrap();
    // 999 firms (1,000 with the minimal one): far more than a pipe buffer.
    let firms: String = (0..999)
        .map(|i| {
            format!("[[firm]]\nname = \"Site {i}\"\nseats = 500\nheadcount = 10\nramp_months = 6\n")
        })
        .collect();
    let path = scenario_with(tmp.path(), &firms);
    let mut child = Process::new(assert_cmd::cargo::cargo_bin("shorecast"))
        .arg("validate")
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line, then close the pipe, as `| head -1` does.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 10];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn a_full_disk_says_so() {
    let Ok(full) = fs::OpenOptions::new().write(true).open("/dev/full") else {
        return; // not on this system
    };
    let output = Process::new(assert_cmd::cargo::cargo_bin("shorecast"))
        .args(["validate", "scenarios/oujda.toml"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(full)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("the disk is full"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn astronomical_costs_are_refused_at_validation() {
    let tmp = TempDir::new().unwrap();
    for cost in ["1e308", "inf", "nan", "1e13", "-1"] {
        let path = scenario_with(
            tmp.path(),
            &format!("[[policy]]\nname = \"Lavish\"\ncost_mad_per_year = {cost}\n"),
        );
        let output = shorecast().arg("validate").arg(&path).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{cost}: {stderr}");
        assert!(
            stderr.contains("policy[1].cost_mad_per_year: must be an amount in MAD from 0 to 1e12"),
            "{stderr}"
        );
    }
}

#[test]
fn the_largest_allowed_costs_compare_without_panic() {
    let tmp = TempDir::new().unwrap();
    let path = scenario_with(
        tmp.path(),
        "[[policy]]\nname = \"Lavish\"\ncost_mad_per_year = 1e12\ncost_mad_per_hire = 1e12\n\
         cost_mad_per_job_at_target = 1e12\nset.training.per_year = 100000\n",
    );
    let output = shorecast()
        .args(["compare", "--paths", "200", "--quiet", "--out"])
        .arg(tmp.path().join("out"))
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(tmp.path().join("out/cost_per_job.png").exists());
}

#[test]
fn csv_text_cells_cannot_be_formulas_and_numbers_stay_numbers() {
    let tmp = TempDir::new().unwrap();
    let names = [
        "+cmd|' /C calc'!A0",
        "@SUM(1)",
        "=HYPERLINK(\"http://x\",\"y\")",
        "-2+3",
        "\tTab",
    ];
    let policies: String = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            format!(
                "[[policy]]\nname = {}\nset.training.per_year = {}\n",
                toml_string(name),
                100 * (i + 1)
            )
        })
        .collect();
    let path = scenario_with(tmp.path(), &policies);
    let out = tmp.path().join("out");
    shorecast()
        .args([
            "compare",
            "--paths",
            "200",
            "--quiet",
            "--no-charts",
            "--out",
        ])
        .arg(&out)
        .arg(&path)
        .assert()
        .success();
    let mut reader = csv::Reader::from_path(out.join("comparison.csv")).unwrap();
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        reader_header()
    );
    let mut seen = Vec::new();
    for record in reader.records() {
        let record = record.unwrap();
        seen.push(record[0].to_string());
        // Every other column but the date is a plain number, negative ones
        // included, or a flag: numbers are never neutralised.
        let header = reader_header();
        for (cell, column) in record.iter().zip(&header).skip(1) {
            if cell.is_empty() || column == "median_date_reached" || column == "gain_significant" {
                continue;
            }
            assert!(cell.parse::<f64>().is_ok(), "{column}: {cell:?}");
        }
    }
    for name in names {
        assert!(
            seen.contains(&format!("'{name}")),
            "{name:?} not neutralised in {seen:?}"
        );
    }
    assert!(seen.contains(&"Base case".to_string()));
    let csv = fs::read_to_string(out.join("comparison.csv")).unwrap();
    assert!(csv.contains(",-"), "a negative number is expected: {csv}");
}

fn reader_header() -> Vec<String> {
    [
        "option",
        "rank_p_target",
        "rank_cost_per_job",
        "p_target",
        "p_target_ci95_low",
        "p_target_ci95_high",
        "p_target_diff",
        "p_target_diff_ci95_low",
        "p_target_diff_ci95_high",
        "headcount_mean",
        "headcount_p50",
        "headcount_diff",
        "headcount_diff_ci95_low",
        "headcount_diff_ci95_high",
        "median_month_reached",
        "median_date_reached",
        "cost_mad_to_target",
        "cost_mad_per_additional_job",
        "gain_significant",
        "crn_variance_ratio",
    ]
    .map(String::from)
    .to_vec()
}

#[test]
fn escape_sequences_in_names_never_reach_the_terminal() {
    let tmp = TempDir::new().unwrap();
    let text = minimal().replace(
        "name = \"Minimal\"",
        "name = \"Evil\\u001b]0;title\\u0007\\u001b[2J\\r\\u202eName\"",
    ) + "[[policy]]\nname = \"Po\\u001b[31mlicy\"\nset.training.per_year = 100\n";
    let path = tmp.path().join("evil.toml");
    fs::write(&path, text).unwrap();
    for command in ["run", "compare"] {
        let output = shorecast()
            .args([command, "--paths", "100", "--quiet", "--no-charts", "--out"])
            .arg(tmp.path().join(command))
            .arg(&path)
            .output()
            .unwrap();
        assert!(output.status.success(), "{command}");
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(!stdout.contains('\u{1b}'), "{stdout:?}");
        assert!(
            !stdout.contains('\u{7}') && !stdout.contains('\r'),
            "{stdout:?}"
        );
        assert!(!stdout.contains('\u{202e}'), "{stdout:?}");
        assert!(stdout.contains("Evil]0;title[2JName"), "{stdout:?}");
    }
}

/// `s` as a TOML basic string.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}
