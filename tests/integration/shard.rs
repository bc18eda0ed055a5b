//! Shards and merge end to end: merged folders equal a single run's, byte for
//! byte, apart from the two facts that must differ (the elapsed time and the
//! command line), and bad sets of shards are refused with exit code 2.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::shorecast;
use assert_cmd::Command;
use tempfile::TempDir;

/// The command: `run` or `compare`, with its small path count.
#[derive(Clone, Copy)]
struct Job {
    command: &'static str,
    paths: &'static str,
    seed: &'static str,
    /// The JSON file holding `elapsed_seconds` and `command_line`.
    json: &'static str,
    /// Language of the charts and the report.
    lang: &'static str,
}

const RUN: Job = Job {
    command: "run",
    paths: "700",
    seed: "11",
    json: "summary.json",
    lang: "en",
};

const COMPARE: Job = Job {
    command: "compare",
    paths: "300",
    seed: "11",
    json: "comparison.json",
    lang: "fr",
};

impl Job {
    /// The command with its paths and seed.
    fn command(self) -> Command {
        let mut command = shorecast();
        command.args([self.command, "--paths", self.paths, "--seed", self.seed]);
        command.arg("--quiet");
        command
    }

    /// The single run, into `out`.
    fn single(self, out: &Path) {
        self.command()
            .args(["--lang", self.lang, "--out"])
            .arg(out)
            .assert()
            .success();
    }

    /// Shard `k` of `n` into `dir/shard-k`, on 1 or 2 threads by parity.
    fn shard(self, dir: &Path, k: usize, n: usize, extra: &[&str]) -> PathBuf {
        let out = dir.join(format!("shard-{k}"));
        let threads = if k.is_multiple_of(2) { "2" } else { "1" };
        self.command()
            .args([
                "--threads",
                threads,
                "--shard",
                &format!("{k}/{n}"),
                "--out",
            ])
            .arg(&out)
            .args(extra)
            .assert()
            .success();
        out
    }

    /// Every shard of `n` into `dir`.
    fn shards(self, dir: &Path, n: usize) -> Vec<PathBuf> {
        (1..=n).map(|k| self.shard(dir, k, n, &[])).collect()
    }

    /// Merges `inputs` into `out`.
    fn merge(self, inputs: &[PathBuf], out: &Path) {
        shorecast()
            .arg("merge")
            .args(inputs)
            .args(["--lang", self.lang, "--out"])
            .arg(out)
            .assert()
            .success();
    }

    /// The elapsed time and command line a folder records, as its report
    /// prints them.
    fn run_facts(self, dir: &Path) -> (String, String) {
        let v: serde_json::Value =
            serde_json::from_slice(&fs::read(dir.join(self.json)).unwrap()).unwrap();
        let seconds = v["elapsed_seconds"].as_f64().unwrap();
        let elapsed = match self.lang {
            "fr" => format!(
                "simulées en {}\u{a0}s.",
                format!("{seconds:.1}").replace('.', ",")
            ),
            _ => format!("simulated in {seconds:.1} s."),
        };
        (elapsed, v["command_line"].as_str().unwrap().to_string())
    }

    /// `file` of `dir` with exactly the elapsed time and the command line
    /// taken out: their lines in the JSON file, their text in the report.
    fn stripped(self, dir: &Path, file: &str) -> Vec<u8> {
        let bytes = fs::read(dir.join(file)).unwrap();
        let (elapsed, command_line) = self.run_facts(dir);
        if file == self.json {
            let text = String::from_utf8(bytes).unwrap();
            let kept: Vec<&str> = text
                .lines()
                .filter(|l| {
                    let key = l.trim_start();
                    !key.starts_with("\"elapsed_seconds\":")
                        && !key.starts_with("\"command_line\":")
                })
                .collect();
            assert_eq!(
                kept.len() + 2,
                text.lines().count(),
                "{file}: both facts present"
            );
            return kept.join("\n").into_bytes();
        }
        if file == ".shorecast-output" {
            // The marker names the command that wrote the folder: its line goes.
            // It lists every file with its SHA-256 and size, which differ where
            // the files hold the two facts: the names are compared.
            let text = String::from_utf8(bytes).unwrap();
            let kept: Vec<&str> = text
                .lines()
                .filter(|l| !l.starts_with("command: "))
                .map(|l| match l.splitn(3, ' ').collect::<Vec<_>>()[..] {
                    [hash, _, name] if hash.len() == 64 => name,
                    _ => l,
                })
                .collect();
            assert_eq!(kept.len() + 1, text.lines().count(), "{file}: command");
            return kept.join("\n").into_bytes();
        }
        if file == "report.html" {
            let text = String::from_utf8(bytes).unwrap();
            assert_eq!(text.matches(&elapsed).count(), 1, "{file}: {elapsed}");
            assert_eq!(
                text.matches(&command_line).count(),
                1,
                "{file}: {command_line}"
            );
            return text
                .replace(&elapsed, "ELAPSED")
                .replace(&command_line, "COMMAND LINE")
                .into_bytes();
        }
        bytes
    }
}

/// The names of the files in `dir`, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Asserts that two output folders hold the same files with the same bytes,
/// elapsed time and command line aside.
fn assert_same_outputs(job: Job, expected: &Path, actual: &Path) {
    let names = files(expected);
    assert!(names.len() >= 8, "too few outputs: {names:?}");
    assert!(names.iter().any(|n| n.ends_with(".png")), "{names:?}");
    assert_eq!(names, files(actual), "{}", actual.display());
    for name in names {
        assert!(
            job.stripped(expected, &name) == job.stripped(actual, &name),
            "{name} differs between {} and {}",
            expected.display(),
            actual.display()
        );
    }
}

fn merged_equals_single(job: Job) {
    let tmp = TempDir::new().unwrap();
    let single = tmp.path().join("single");
    job.single(&single);
    for n in [1, 2, 3, 7] {
        let dir = tmp.path().join(format!("{n}-shards"));
        let shards = job.shards(&dir, n);
        let merged = tmp.path().join(format!("merged-{n}"));
        job.merge(&shards, &merged);
        assert_same_outputs(job, &single, &merged);
        if n == 7 {
            // Another order, and the folder of shard folders: the same bytes,
            // the command line aside (the elapsed time is the same sum).
            let mut shuffled = shards.clone();
            shuffled.reverse();
            shuffled.swap(1, 4);
            let reordered = tmp.path().join("merged-reordered");
            job.merge(&shuffled, &reordered);
            let by_folder = tmp.path().join("merged-by-folder");
            job.merge(std::slice::from_ref(&dir), &by_folder);
            for other in [&reordered, &by_folder] {
                for name in files(&merged) {
                    let (a, b) = (job.run_facts(&merged).1, job.run_facts(other).1);
                    let strip = |d: &Path, c: &str| {
                        String::from_utf8_lossy(&fs::read(d.join(&name)).unwrap())
                            .replace(c, "COMMAND LINE")
                            .into_bytes()
                    };
                    // The marker's checksums cover files that hold the
                    // command line: its list is compared by name.
                    let same = if name == ".shorecast-output" {
                        job.stripped(&merged, &name) == job.stripped(other, &name)
                    } else {
                        strip(&merged, &a) == strip(other, &b)
                    };
                    assert!(same, "{name} depends on the order");
                }
            }
        }
    }
}

#[test]
fn merged_run_shards_equal_a_single_run_byte_for_byte() {
    merged_equals_single(RUN);
}

#[test]
fn merged_compare_shards_equal_a_single_comparison_byte_for_byte() {
    merged_equals_single(COMPARE);
}

/// Runs `merge` on `inputs` and returns its error message, checking exit code 2.
fn refused(inputs: &[&Path]) -> String {
    let tmp = TempDir::new().unwrap();
    let out = shorecast()
        .arg("merge")
        .args(inputs)
        .arg("--out")
        .arg(tmp.path().join("merged"))
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(
        !tmp.path().join("merged").exists(),
        "a refused merge wrote output"
    );
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn bad_sets_of_shards_are_refused_and_named() {
    let tmp = TempDir::new().unwrap();
    let base = tmp.path();
    let shards = RUN.shards(&base.join("a"), 3);
    let (s1, s2, s3) = (&shards[0], &shards[1], &shards[2]);

    let e = refused(&[s1, s3]);
    assert!(
        e.contains("1 of 3 shards missing: 2/3 (paths 233 to 465)"),
        "{e}"
    );
    let e = refused(&[s1, s2, s3, s2]);
    assert!(e.contains("shard 2/3 is given twice"), "{e}");
    assert!(e.contains(&s2.display().to_string()), "{e}");

    let other = |name: &str, job: Job, extra: &[&str]| job.shard(&base.join(name), 2, 3, extra);
    let cases = [
        (
            other("seed", Job { seed: "12", ..RUN }, &[]),
            "the seed is 11 in the first and 12",
        ),
        (
            other(
                "paths",
                Job {
                    paths: "701",
                    ..RUN
                },
                &[],
            ),
            "the number of paths is 700 in the first and 701",
        ),
        (
            other("samples", RUN, &["--sample-paths", "3"]),
            "the number of sample paths is 8 in the first and 3",
        ),
        (
            RUN.shard(&base.join("count"), 2, 4, &[]),
            "the number of shards is 3 in the first and 4",
        ),
        (
            COMPARE.shard(&base.join("kind"), 2, 3, &[]),
            "the command is run in the first and compare",
        ),
    ];
    for (odd, why) in &cases {
        let e = refused(&[s1, odd, s3]);
        assert!(e.contains(why), "{e}");
        assert!(e.contains(&odd.display().to_string()), "{e}");
    }

    let common = COMPARE.shard(&base.join("common"), 1, 3, &[]);
    let independent = COMPARE.shard(&base.join("independent"), 2, 3, &["--independent-streams"]);
    let e = refused(&[&common, &independent]);
    assert!(
        e.contains("the random-stream mode is common in the first and independent"),
        "{e}"
    );

    // Another scenario file: the same scenario with a different target (a
    // change that leaves the past, and so the posterior's replay, as it was).
    let file = base.join("other.toml");
    let text = shorecast_text().replacen("headcount = 5000", "headcount = 5001", 1);
    assert_ne!(text, shorecast_text(), "the edit must apply");
    fs::write(&file, text).unwrap();
    // Its [calibration].posterior is read beside it.
    let posterior = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/oujda-posterior.csv");
    fs::copy(posterior, base.join("oujda-posterior.csv")).unwrap();
    let odd = RUN.shard(&base.join("scenario"), 2, 3, &[file.to_str().unwrap()]);
    let e = refused(&[s1, &odd, s3]);
    assert!(e.contains("the scenario's SHA-256 is"), "{e}");

    // Files tampered with: another version, another format, damaged statistics.
    let tampered = |name: &str, change: &dyn Fn(&mut Vec<u8>)| {
        let dir = base.join(name);
        fs::create_dir_all(&dir).unwrap();
        let mut bytes = fs::read(s2.join("partial.shorecast")).unwrap();
        change(&mut bytes);
        fs::write(dir.join("partial.shorecast"), bytes).unwrap();
        dir
    };
    let version = env!("CARGO_PKG_VERSION").as_bytes();
    // A changed header breaks the file's checksum (a forged one that keeps it
    // is refused by its version: see the unit tests of `shard.rs`).
    let newer = tampered("version", &|b| {
        let at = b.windows(version.len()).position(|w| w == version).unwrap();
        b[at] = b'9';
    });
    let e = refused(&[s1, &newer, s3]);
    assert!(e.contains("is damaged"), "{e}");
    let format = tampered("format", &|b| b[16] = 99);
    let e = refused(&[s1, &format, s3]);
    assert!(e.contains("format version 99"), "{e}");
    assert!(e.contains(&format.display().to_string()), "{e}");
    let damaged = tampered("damaged", &|b| {
        let last = b.len() - 1;
        b[last] ^= 1;
    });
    let e = refused(&[s1, &damaged, s3]);
    assert!(e.contains("is damaged"), "{e}");
    let cut = tampered("cut", &|b| b.truncate(b.len() / 2));
    let e = refused(&[s1, &cut, s3]);
    assert!(e.contains("is damaged"), "{e}");

    let empty = base.join("empty");
    fs::create_dir(&empty).unwrap();
    let e = refused(&[s1, &empty]);
    assert!(e.contains("holds no partial.shorecast"), "{e}");
}

/// The shipped Oujda scenario's text.
fn shorecast_text() -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/oujda.toml")).unwrap()
}

#[test]
fn shards_refuse_more_shards_than_paths_and_too_many_paths_per_process() {
    let tmp = TempDir::new().unwrap();
    let out = shorecast()
        .args(["run", "--paths", "3", "--shard", "2/4", "--quiet", "--out"])
        .arg(tmp.path().join("s"))
        .assert()
        .code(2)
        .get_output()
        .clone();
    let e = String::from_utf8(out.stderr).unwrap();
    assert!(e.contains("3 paths cannot be cut into 4 shards"), "{e}");
    shorecast().args(["run", "--shard", "0/4"]).assert().code(2);
    // More than 10^8 paths in one process: refused before any simulation,
    // with the number of shards needed.
    for (paths, shard, needed) in [
        ("100000001", None, "at least 2 shards"),
        ("300000001", Some("1/3"), "at least 4 shards"),
    ] {
        let mut cmd = shorecast();
        cmd.args(["run", "--paths", paths, "--quiet", "--out"])
            .arg(tmp.path().join("big"));
        if let Some(shard) = shard {
            cmd.args(["--shard", shard]);
        }
        let out = cmd.assert().code(2).get_output().clone();
        let e = String::from_utf8(out.stderr).unwrap();
        assert!(
            e.contains("one process simulates at most 100000000 paths"),
            "{e}"
        );
        assert!(e.contains(needed), "{e}");
    }
}

/// Shards in a shared folder are other people's files: `merge` reads no link
/// or special file, never writes over its own inputs, and a posterior given on
/// the command line travels inside the shards (and counts in their identity).
#[test]
fn merge_trusts_no_path_and_carries_the_posterior() {
    let tmp = TempDir::new().unwrap();
    let base = tmp.path();
    let shards = RUN.shards(&base.join("a"), 2);
    // --out onto one of its own inputs, or onto the folder that holds them.
    for out in [&shards[0], &base.join("a")] {
        let e = shorecast()
            .arg("merge")
            .args(&shards)
            .arg("--out")
            .arg(out)
            .assert()
            .code(2)
            .get_output()
            .stderr
            .clone();
        let e = String::from_utf8(e).unwrap();
        assert!(e.contains("that this merge reads"), "{e}");
        assert!(shards[0].join("partial.shorecast").exists());
    }
    // Nor without --out, where the default folder is the shard's own.
    let default = base.join("output/oujda");
    RUN.command()
        .args(["--shard", "1/1", "--out"])
        .arg(&default)
        .assert()
        .success();
    let e = shorecast()
        .current_dir(base)
        .args(["merge", "output/oujda"])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(
        String::from_utf8(e)
            .unwrap()
            .contains("that this merge reads")
    );
    assert!(default.join("partial.shorecast").exists());
    // A partial result that is a link (here to a real one) is not read.
    #[cfg(unix)]
    {
        let linked = base.join("linked");
        fs::create_dir(&linked).unwrap();
        std::os::unix::fs::symlink(
            shards[1].join("partial.shorecast"),
            linked.join("partial.shorecast"),
        )
        .unwrap();
        let e = refused(&[&shards[0], &linked]);
        assert!(e.contains("symbolic link"), "{e}");
    }
    // --posterior with --shard: the shards record it, the merge uses it, and
    // shards of another posterior (or of the priors) do not merge with them.
    let posterior = base.join("fewer.csv");
    let fewer: String = shorecast::input::oujda::OUJDA_POSTERIOR
        .lines()
        .take(101)
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(&posterior, fewer).unwrap();
    let p = posterior.to_str().unwrap();
    let with = |name: &str, k, extra: &[&str]| RUN.shard(&base.join(name), k, 2, extra);
    let fitted = [
        with("p", 1, &["--posterior", p]),
        with("p", 2, &["--posterior", p]),
    ];
    let merged = base.join("merged-p");
    RUN.merge(&fitted, &merged);
    let single = base.join("single-p");
    RUN.command()
        .args(["--lang", RUN.lang, "--posterior", p, "--out"])
        .arg(&single)
        .assert()
        .success();
    assert_same_outputs(RUN, &single, &merged);
    let prior = with("prior", 2, &["--prior"]);
    let e = refused(&[&fitted[0], &prior]);
    assert!(e.contains("the posterior's SHA-256"), "{e}");
    let e = refused(&[&fitted[0], &shards[1]]);
    assert!(e.contains("the posterior's SHA-256"), "{e}");
}
