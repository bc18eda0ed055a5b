//! Result files: `summary.json`, `quantiles.csv`, `hitting.csv` and
//! `scenario.resolved.toml`, written into an output folder atomically.
//!
//! Files are first written into a hidden sibling folder; only when all are
//! complete does it replace the output folder, so a failed or interrupted run
//! leaves the previous results untouched.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::engine::RunResult;
use crate::model::Series;
use crate::scenario::{Scenario, Target};
use crate::stats::{Proportion, QUANTILES};

/// A file or folder that could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {}: {source}; check that the folder is writable, or choose another with --out", path.display())]
pub struct OutputError {
    /// What could not be written.
    pub path: PathBuf,
    /// Why.
    #[source]
    pub source: io::Error,
}

/// Attaches the path to an I/O error.
pub trait WithPath<T> {
    /// Names `path` in the error.
    fn at(self, path: &Path) -> Result<T, OutputError>;
}

impl<T, E: Into<io::Error>> WithPath<T> for Result<T, E> {
    fn at(self, path: &Path) -> Result<T, OutputError> {
        self.map_err(|e| OutputError {
            path: path.to_path_buf(),
            source: e.into(),
        })
    }
}

/// A folder being written: files go to a hidden staging folder until
/// [`StagedDir::commit`] swaps it in. Dropped without commit, it removes itself.
pub struct StagedDir {
    target: PathBuf,
    staging: PathBuf,
    committed: bool,
}

impl StagedDir {
    /// Starts writing the folder `target` (created with its parents as needed).
    pub fn new(target: &Path) -> Result<StagedDir, OutputError> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".to_string());
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).at(&parent)?;
        let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).at(&staging)?;
        }
        fs::create_dir(&staging).at(&staging)?;
        Ok(StagedDir {
            target: target.to_path_buf(),
            staging,
            committed: false,
        })
    }

    /// The path of `file` inside the staging folder.
    pub fn file(&self, file: &str) -> PathBuf {
        self.staging.join(file)
    }

    /// Writes `contents` to `file`.
    pub fn write(&self, file: &str, contents: impl AsRef<[u8]>) -> Result<(), OutputError> {
        let path = self.file(file);
        fs::write(&path, contents).at(&path)
    }

    /// Replaces the target folder with the staged one.
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        let old = self.staging.with_extension("old");
        if self.target.exists() {
            fs::rename(&self.target, &old).at(&self.target)?;
        }
        if let Err(e) = fs::rename(&self.staging, &self.target) {
            // Put the previous results back before reporting.
            let _ = fs::rename(&old, &self.target);
            return Err(e).at(&self.target);
        }
        self.committed = true;
        if old.exists() {
            fs::remove_dir_all(&old).at(&old)?;
        }
        Ok(self.target.clone())
    }
}

impl Drop for StagedDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// What identifies a run, for `summary.json` and report footers.
#[derive(Clone, Debug, Serialize)]
pub struct Provenance {
    /// Scenario name.
    pub scenario: String,
    /// shorecast's version.
    pub version: String,
    /// SHA-256 of the scenario file as read.
    pub scenario_sha256: String,
    /// The command line that made the run.
    pub command_line: String,
}

/// Mean and three quantiles of a whole-number figure.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Spread {
    /// Mean over paths.
    pub mean: f64,
    /// 5th percentile.
    pub p05: u32,
    /// Median.
    pub p50: u32,
    /// 95th percentile.
    pub p95: u32,
}

/// The contents of `summary.json`.
#[derive(Clone, Debug, Serialize)]
pub struct SummaryFile {
    /// Scenario name.
    pub scenario: String,
    /// shorecast's version.
    pub version: String,
    /// SHA-256 of the scenario file as read.
    pub scenario_sha256: String,
    /// Master seed.
    pub seed: u64,
    /// Number of paths.
    pub paths: u64,
    /// Calendar month of month 0.
    pub start: String,
    /// Last month simulated.
    pub horizon_months: u32,
    /// The target.
    pub target: Target,
    /// Share of paths at or above the target at the target month.
    pub p_target: Proportion,
    /// Headcount at the target month.
    pub headcount_at_target_month: Spread,
    /// Headcount at the horizon.
    pub headcount_at_horizon: Spread,
    /// Median month of first reaching the target (null: fewer than half do).
    pub median_month_reached: Option<u32>,
    /// Share of path-months with hiring demand in which labour was short.
    pub labour_limited_share: f64,
    /// Simulation time.
    pub elapsed_seconds: f64,
    /// The command line that made the run.
    pub command_line: String,
}

impl SummaryFile {
    /// Gathers the summary of a run.
    pub fn new(scenario: &Scenario, run: &RunResult, provenance: &Provenance) -> SummaryFile {
        let s = &run.summary;
        let spread = |m: u32| Spread {
            mean: s.mean(Series::Headcount, m),
            p05: s.quantile(Series::Headcount, m, 5),
            p50: s.quantile(Series::Headcount, m, 50),
            p95: s.quantile(Series::Headcount, m, 95),
        };
        SummaryFile {
            scenario: provenance.scenario.clone(),
            version: provenance.version.clone(),
            scenario_sha256: provenance.scenario_sha256.clone(),
            seed: run.options.seed,
            paths: run.options.paths,
            start: scenario.meta.start.to_string(),
            horizon_months: scenario.meta.horizon_months,
            target: scenario.target,
            p_target: s.p_target,
            headcount_at_target_month: spread(scenario.target.month),
            headcount_at_horizon: spread(scenario.meta.horizon_months),
            median_month_reached: s.median_month_reached,
            labour_limited_share: s.labour_limited_share,
            elapsed_seconds: run.elapsed_seconds,
            command_line: provenance.command_line.clone(),
        }
    }
}

/// `quantiles.csv`: one row per series and month.
pub fn quantiles_csv(scenario: &Scenario, run: &RunResult) -> Result<Vec<u8>, csv::Error> {
    let s = &run.summary;
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "series".to_string(),
        "month".into(),
        "date".into(),
        "mean".into(),
    ];
    header.extend(QUANTILES.iter().map(|q| format!("p{q:02}")));
    w.write_record(&header)?;
    for series in Series::ALL {
        for m in 0..=scenario.meta.horizon_months {
            let mut row = vec![
                series.name().to_string(),
                m.to_string(),
                scenario.date(m).to_string(),
                format!("{:.3}", s.mean(series, m)),
            ];
            row.extend(
                QUANTILES
                    .iter()
                    .map(|&q| s.quantile(series, m, q).to_string()),
            );
            w.write_record(&row)?;
        }
    }
    Ok(w.into_inner().expect("writing to memory cannot fail"))
}

/// `hitting.csv`: the share of paths that reached the target by each month.
pub fn hitting_csv(scenario: &Scenario, run: &RunResult) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["month", "date", "p_reached"])?;
    for (m, p) in run.summary.p_reached_by.iter().enumerate() {
        let m = m as u32;
        w.write_record([
            m.to_string(),
            scenario.date(m).to_string(),
            format!("{p:.6}"),
        ])?;
    }
    Ok(w.into_inner().expect("writing to memory cannot fail"))
}

/// Writes the tables of a run into `dir` (not yet committed).
pub fn write_tables(
    dir: &StagedDir,
    scenario: &Scenario,
    run: &RunResult,
    provenance: &Provenance,
) -> Result<(), OutputError> {
    let csv_error = |e: csv::Error| io::Error::other(e.to_string());
    let summary = SummaryFile::new(scenario, run, provenance);
    let json = serde_json::to_string_pretty(&summary).expect("the summary always serialises");
    dir.write("summary.json", json + "\n")?;
    dir.write(
        "quantiles.csv",
        quantiles_csv(scenario, run)
            .map_err(csv_error)
            .at(&dir.file("quantiles.csv"))?,
    )?;
    dir.write(
        "hitting.csv",
        hitting_csv(scenario, run)
            .map_err(csv_error)
            .at(&dir.file("hitting.csv"))?,
    )?;
    dir.write("scenario.resolved.toml", scenario.to_resolved_toml())?;
    Ok(())
}
