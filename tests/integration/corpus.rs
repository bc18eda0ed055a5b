//! The hostile corpus of `tests/data/hostile/` (made by
//! `scripts/hostile-corpus.py`): every file gets the exit code and the problem
//! key its manifest expects, never a panic; accepted ones run and print safely.

use std::fs;
use std::path::Path;

use tempfile::TempDir;

use crate::common::shorecast;

#[test]
fn every_hostile_file_gets_its_exit_code_and_key() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/hostile");
    let manifest = fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    let tmp = TempDir::new().unwrap();
    let mut listed = Vec::new();
    for line in manifest.lines().filter(|l| !l.starts_with('#')) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [file, code, key] = fields[..] else {
            panic!("bad manifest line {line:?}");
        };
        listed.push(file.to_string());
        let path = dir.join(file);
        let output = shorecast().arg("validate").arg(&path).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{file}: {stderr}");
        assert_eq!(
            output.status.code(),
            Some(code.parse().unwrap()),
            "{file}: {stderr}"
        );
        if code == "0" {
            // Accepted: it runs, and nothing it prints carries a control character.
            let run = shorecast()
                .args(["run", "--paths", "10", "--quiet", "--no-charts", "--out"])
                .arg(tmp.path().join(file))
                .arg(&path)
                .output()
                .unwrap();
            assert!(run.status.success(), "{file}");
            let stdout = String::from_utf8_lossy(&run.stdout);
            assert!(
                !stdout.chars().any(|c| c.is_control() && c != '\n'),
                "{file}: {stdout:?}"
            );
        } else {
            let found = stderr.contains(&format!(": {key}: "))
                || (key == "UTF-8" && stderr.contains("not UTF-8 text"));
            assert!(found, "{file}: expected key {key} in:\n{stderr}");
        }
    }
    let mut files: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    files.sort();
    listed.sort();
    assert_eq!(files, listed, "every file is in the manifest and back");
    assert!(listed.len() > 100, "{} files", listed.len());
}

/// The hostile posteriors of `tests/data/hostile-posteriors/` (made by
/// `scripts/hostile-posteriors.py`): each is refused with exit code 2 and the
/// reason its manifest expects, before anything is simulated or written; the
/// valid base they were made from (the first 40 particles of the shipped
/// posterior) is accepted.
#[test]
fn every_hostile_posterior_is_refused_with_its_reason() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/hostile-posteriors");
    let manifest = fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    let tmp = TempDir::new().unwrap();
    let run = |posterior: &Path, out: &Path| {
        shorecast()
            .args([
                "run",
                "--paths",
                "20",
                "--quiet",
                "--no-charts",
                "--posterior",
            ])
            .arg(posterior)
            .arg("--out")
            .arg(out)
            .output()
            .unwrap()
    };
    let mut listed = Vec::new();
    for line in manifest.lines().filter(|l| !l.starts_with('#')) {
        let [file, fragment] = line.split('\t').collect::<Vec<_>>()[..] else {
            panic!("bad manifest line {line:?}");
        };
        listed.push(file.to_string());
        let out = tmp.path().join(file);
        let output = run(&dir.join(file), &out);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{file}: {stderr}");
        assert!(!stderr.contains("panicked"), "{file}: {stderr}");
        assert!(
            stderr.contains(fragment),
            "{file}: expected {fragment:?} in {stderr}"
        );
        assert!(
            stderr.contains(file),
            "{file}: the file is named in {stderr}"
        );
        assert!(!out.exists(), "{file}: nothing is written");
    }
    // The base the corpus mutates is a valid posterior.
    let base: String = shorecast::input::oujda::OUJDA_POSTERIOR
        .lines()
        .take(41)
        .map(|l| format!("{l}\n"))
        .collect();
    let base_file = tmp.path().join("base.csv");
    fs::write(&base_file, base).unwrap();
    let output = run(&base_file, &tmp.path().join("base"));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut files: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    files.sort();
    listed.sort();
    assert_eq!(files, listed, "every file is in the manifest and back");
}
