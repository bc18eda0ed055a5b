//! Hostile use: closed pipes, full disks, astronomical costs, formula injection
//! in CSV files and escape sequences in names.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};

use crate::common::shorecast;
use shorecast::present::output::COMPARISON_COLUMNS;
use tempfile::TempDir;

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
    // Only the neutral-default warnings of the minimal file: no panic, no error.
    assert!(
        stderr.lines().all(|l| l.starts_with("warning: ")),
        "{stderr}"
    );
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
        COMPARISON_COLUMNS
    );
    let mut seen = Vec::new();
    for record in reader.records() {
        let record = record.unwrap();
        seen.push(record[0].to_string());
        // Every other column but the date is a plain number, negative ones
        // included, or a flag: numbers are never neutralised.
        for (cell, column) in record.iter().zip(COMPARISON_COLUMNS).skip(1) {
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

/// Control characters in names reach no file either: CSV, SVG (where XML
/// forbids them) and HTML files carry none, whatever the command.
#[test]
fn escape_sequences_in_names_reach_no_written_file() {
    let tmp = TempDir::new().unwrap();
    let text = minimal().replace(
        "name = \"Minimal\"",
        "name = \"Evil\\u001b]52;c;aGk=\\u0007\\u001b[2J\\u0001\"",
    ) + "[[policy]]\nname = \"Po\\u001b[31mlicy\\u0008\"\nset.training.per_year = 100\n";
    let path = tmp.path().join("evil.toml");
    fs::write(&path, text).unwrap();
    for command in ["run", "compare", "sensitivity"] {
        let out = tmp.path().join(command);
        let output = shorecast()
            .args([command, "--paths", "200", "--quiet", "--out"])
            .arg(&out)
            .arg(&path)
            .output()
            .unwrap();
        assert!(output.status.success(), "{command}");
        let mut checked = 0;
        for entry in fs::read_dir(&out).unwrap() {
            let file = entry.unwrap().path();
            let text_file = ["csv", "svg", "html"]
                .iter()
                .any(|e| file.extension().is_some_and(|x| x == *e));
            if !text_file {
                continue;
            }
            let text = fs::read_to_string(&file).unwrap();
            let bad = text
                .chars()
                .find(|&c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
            assert_eq!(bad, None, "{}", file.display());
            checked += 1;
        }
        assert!(checked >= 4, "{command}: {checked} files");
    }
}

/// `s` as a TOML basic string.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The problem lines of a failed `validate` (or other command), checked to be
/// bad input.
fn problems(args: &[&str], files: &[&Path]) -> Vec<String> {
    let output = shorecast().args(args).args(files).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
        .lines()
        .skip(1)
        .map(|l| l.trim().to_string())
        .collect()
}

/// Whether `line` is `file:LINE:COL: key: message`.
fn has_position(line: &str, file: &Path) -> bool {
    let Some(rest) = line.strip_prefix(&format!("{}:", file.display())) else {
        return false;
    };
    let mut parts = rest.splitn(3, ':');
    parts.next().is_some_and(|l| l.parse::<usize>().is_ok())
        && parts.next().is_some_and(|c| c.parse::<usize>().is_ok())
}

#[test]
fn a_hundred_thousand_problems_are_reported_in_seconds() {
    let tmp = TempDir::new().unwrap();
    let keys: String = (0..100_000).map(|i| format!("bogus{i} = 1\n")).collect();
    let path = tmp.path().join("many.toml");
    fs::write(
        &path,
        minimal().replacen("[target]", &format!("{keys}\n[target]"), 1),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let lines = problems(&["validate"], &[&path]);
    let elapsed = started.elapsed().as_secs_f64();
    assert_eq!(lines.len(), 100_000);
    assert!(lines.iter().all(|l| has_position(l, &path)));
    // Quadratic reporting took over a minute here; linear takes about a second
    // on the 2-core build machine. 30 s leaves room for a loaded machine.
    assert!(elapsed < 30.0, "{elapsed} s");
}

#[test]
fn every_problem_has_a_line_and_column_even_a_missing_key() {
    let tmp = TempDir::new().unwrap();
    let path = tmp.path().join("gaps.toml");
    fs::write(
        &path,
        "[scenario]\nname = \"Gaps\"\n\n[target]\nmonth = 12\n\n[[firm]]\nname = \"A\"\n",
    )
    .unwrap();
    let lines = problems(&["validate"], &[&path]);
    assert!(lines.len() >= 4, "{lines:?}");
    for line in &lines {
        assert!(has_position(line, &path), "{line}");
    }
    let at = |key: &str| {
        lines
            .iter()
            .find(|l| l.contains(&format!(" {key}: ")))
            .unwrap_or_else(|| panic!("{key} in {lines:?}"))
            .clone()
    };
    // A missing key points at its table; a missing section at the top.
    assert!(at("scenario.start").contains(":1:2: "), "{lines:?}");
    assert!(at("target.headcount").contains(":4:2: "), "{lines:?}");
    assert!(at("firm[1].seats").contains(":7:"), "{lines:?}");
}

#[test]
fn integers_beyond_64_bits_are_reported_under_their_key() {
    let tmp = TempDir::new().unwrap();
    let text = minimal().replace("seats = 500", "seats = 99999999999999999999");
    let path = tmp.path().join("huge.toml");
    fs::write(&path, text).unwrap();
    let lines = problems(&["validate"], &[&path]);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains(
            "firm[1].seats: must be a whole number <= 1000000, got 100000000000000000000"
        ),
        "{lines:?}"
    );
}

#[test]
fn policy_problems_are_reported_with_the_base_problems() {
    let tmp = TempDir::new().unwrap();
    let text = minimal().replace("seats = 500", "seats = -5")
        + "[[policy]]\nname = \"P\"\nset.labour.reach_share = 2\n";
    let path = tmp.path().join("both.toml");
    fs::write(&path, text).unwrap();
    let lines = problems(&["validate"], &[&path]);
    assert!(
        lines.iter().any(|l| l.contains("firm[1].seats")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("policy[1].set.labour.reach_share")),
        "{lines:?}"
    );
    // The base's problem is not repeated for the policy.
    assert_eq!(lines.len(), 2, "{lines:?}");
}

#[test]
fn a_compare_of_several_files_reports_every_file() {
    let tmp = TempDir::new().unwrap();
    let a = tmp.path().join("a.toml");
    let b = tmp.path().join("b.toml");
    fs::write(&a, minimal().replace("seats = 500", "seats = -5")).unwrap();
    fs::write(&b, minimal().replace("ramp_months = 6", "ramp_monts = 6")).unwrap();
    let lines = problems(&["compare", "--quiet"], &[&a, &b]);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&format!("{}:", a.display())))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&format!("{}:", b.display())))
    );
}

#[test]
fn messages_say_what_is_wrong() {
    let tmp = TempDir::new().unwrap();
    let path = tmp.path().join("m.toml");
    fs::write(
        &path,
        minimal()
            .replace("start = \"2021-01\"", "start = 2021-01-01")
            .replace(
                "seats = 500",
                "seats = { dist = \"uniform\", min = 600, max = 500 }",
            ),
    )
    .unwrap();
    let lines = problems(&["validate"], &[&path]);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("scenario.start: must be a text in quotes, got a date")),
        "{lines:?}"
    );
    assert!(!lines.iter().any(|l| l.contains("got \"\"")), "{lines:?}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("firm[1].seats: needs min <= max, got min = 600, max = 500")),
        "{lines:?}"
    );
    assert!(!lines.iter().any(|l| l.contains("mode")), "{lines:?}");
}

#[test]
fn an_output_failure_says_what_the_system_said() {
    let tmp = TempDir::new().unwrap();
    let blocker = tmp.path().join("blocker");
    fs::write(&blocker, "a file").unwrap();
    let output = shorecast()
        .args(["run", "--paths", "10", "--quiet", "--out"])
        .arg(blocker.join("out"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("Not a directory"), "{stderr}");
}

#[test]
fn seeds_are_those_a_scenario_file_can_hold() {
    let tmp = TempDir::new().unwrap();
    shorecast()
        .args(["run", "--paths", "10", "--quiet", "--no-charts"])
        .args(["--seed", "9223372036854775808", "--out"])
        .arg(tmp.path().join("refused"))
        .assert()
        .code(2);
    assert!(!tmp.path().join("refused").exists());
    let out = tmp.path().join("largest");
    shorecast()
        .args(["run", "--paths", "10", "--quiet", "--no-charts"])
        .args(["--seed", "9223372036854775807", "--out"])
        .arg(&out)
        .assert()
        .success();
    shorecast()
        .arg("validate")
        .arg(out.join("scenario.resolved.toml"))
        .assert()
        .success();
}
