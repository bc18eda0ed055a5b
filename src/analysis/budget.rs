//! What a run will cost before it starts: a short pilot of a few paths on one
//! thread measures the time per path and the memory of the statistics, and
//! projects both to the whole run, so a run that would not fit is refused before
//! any work and a long one says how long it will take.

use std::time::Instant;

use crate::core::model::{Trajectory, Workspace, simulate_path};
use crate::core::scenario::Scenario;
use crate::core::stats::Accumulator;

/// Most paths a pilot simulates.
pub const PILOT_PATHS: u64 = 32;

/// A pilot stops after this many seconds, however few paths it ran.
pub const PILOT_SECONDS: f64 = 0.5;

/// Memory every run needs besides its statistics: the program, the font,
/// chart bitmaps (bytes).
pub const BASE_BYTES: u64 = 64 << 20;

/// What a pilot measured.
#[derive(Clone, Debug)]
pub struct Pilot {
    /// Paths simulated.
    pub paths: u64,
    /// Seconds per path on one thread.
    pub seconds_per_path: f64,
    accumulator: Accumulator,
    /// Bytes of the largest path state seen (sites, pools): each worker
    /// thread holds one.
    workspace_bytes: u64,
}

impl Pilot {
    /// Simulates the first paths of `scenario` on this thread, until
    /// [`PILOT_PATHS`] paths, a quarter of the run's `paths` or
    /// [`PILOT_SECONDS`] seconds, whichever comes first (at least one path).
    pub fn run(scenario: &Scenario, seed: u64, paths: u64) -> Pilot {
        let most = PILOT_PATHS.min(paths / 4).max(1);
        let started = Instant::now();
        let horizon = scenario.meta.horizon_months;
        let mut accumulator = Accumulator::new(horizon, scenario.target, 0);
        let (mut work, mut trajectory) = (Workspace::default(), Trajectory::new(horizon));
        let mut done = 0;
        while done < most && (done == 0 || started.elapsed().as_secs_f64() < PILOT_SECONDS) {
            simulate_path(scenario, seed, done, &mut work, &mut trajectory);
            accumulator.add(done, &trajectory);
            done += 1;
        }
        Pilot {
            paths: done,
            seconds_per_path: started.elapsed().as_secs_f64() / done as f64,
            // Paths are counted in batches: count the pilot's before measuring.
            accumulator: accumulator.settled(),
            // The workspace keeps the capacity of the largest path so far.
            workspace_bytes: work.heap_bytes() + trajectory.values.len() as u64 * 4,
        }
    }

    /// Estimated bytes of one worker thread's path state, with room for paths
    /// with more sites than the pilot's (arrivals vary from path to path).
    pub fn workspace_bytes(&self) -> u64 {
        self.workspace_bytes * 5 / 4
    }

    /// Estimated bytes of the statistics of one option over `paths` paths on
    /// `threads` threads: one accumulator per thread, one of which grows into
    /// the merged whole.
    pub fn statistics_bytes(&self, paths: u64, threads: u64) -> u64 {
        let threads = threads.max(1);
        let per_thread = self
            .accumulator
            .projected_bytes(self.paths, paths.div_ceil(threads));
        (threads - 1) * per_thread + self.accumulator.projected_bytes(self.paths, paths)
    }

    /// Estimated seconds to simulate `path_runs` paths (options times paths) on
    /// `threads` threads.
    pub fn seconds(&self, path_runs: u64, threads: u64) -> f64 {
        self.seconds_per_path * path_runs as f64 / threads.max(1) as f64
    }
}

/// Bytes that `sensitivity` and `discover` keep per path: every input and the
/// outcome, twice while the table is assembled.
pub fn path_inputs_bytes(paths: u64, inputs: u64) -> u64 {
    2 * paths * (8 * inputs + 8 + 4 + 1)
}

/// Parses a memory size: a number of bytes, or with a unit K, M, G or T
/// (powers of 1024; an optional B or iB after it), such as `800M` or `1.5G`.
pub fn parse_bytes(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let upper = t.to_ascii_uppercase();
    let number = upper.trim_end_matches(['B', 'I']);
    let (digits, scale) = match number.chars().last() {
        Some('K') => (&number[..number.len() - 1], 1u64 << 10),
        Some('M') => (&number[..number.len() - 1], 1 << 20),
        Some('G') => (&number[..number.len() - 1], 1 << 30),
        Some('T') => (&number[..number.len() - 1], 1 << 40),
        _ => (number, 1),
    };
    match digits.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v * scale as f64 <= u64::MAX as f64 => {
            Ok((v * scale as f64) as u64)
        }
        _ => Err(format!(
            "\"{text}\" is not a memory size; write it like 800M, 4G or 1.5G"
        )),
    }
}

/// A size in bytes for people: `1.2 GB`, `350 MB`.
pub fn show_bytes(bytes: u64) -> String {
    let gb = bytes as f64 / (1u64 << 30) as f64;
    if gb >= 1.0 {
        format!("{gb:.1} GB")
    } else {
        format!("{:.0} MB", (bytes as f64 / (1u64 << 20) as f64).max(1.0))
    }
}

/// A duration for people: `45 s`, `3 min`, `2.5 h`.
pub fn show_seconds(seconds: f64) -> String {
    if seconds < 90.0 {
        format!("{:.0} s", seconds.max(1.0))
    } else if seconds < 5400.0 {
        format!("{:.0} min", seconds / 60.0)
    } else {
        format!("{:.1} h", seconds / 3600.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_units() {
        assert_eq!(parse_bytes("1024"), Ok(1024));
        assert_eq!(parse_bytes("800M"), Ok(800 << 20));
        assert_eq!(parse_bytes("4g"), Ok(4 << 30));
        assert_eq!(parse_bytes("1.5GiB"), Ok(3 << 29));
        assert!(parse_bytes("lots").is_err());
        assert!(parse_bytes("-1G").is_err());
        assert!(parse_bytes("0").is_err());
    }

    #[test]
    fn a_pilot_bounds_the_statistics_of_the_whole_run() {
        let text = crate::input::oujda::OUJDA;
        let scenario = Scenario::from_toml_str(text, "oujda.toml").unwrap();
        let pilot = Pilot::run(&scenario, 1, 3000);
        assert!(pilot.paths >= 1 && pilot.seconds_per_path > 0.0);
        // The accumulator of 3,000 paths, measured, against the estimate.
        let horizon = scenario.meta.horizon_months;
        let mut full = Accumulator::new(horizon, scenario.target, 0);
        let (mut work, mut t) = (Workspace::default(), Trajectory::new(horizon));
        for path in 0..3000 {
            simulate_path(&scenario, 1, path, &mut work, &mut t);
            full.add(path, &t);
        }
        let measured = full.heap_bytes();
        let estimated = pilot.statistics_bytes(3000, 1);
        assert!(
            estimated >= measured,
            "estimate {estimated} far below the measured {measured}"
        );
    }
}
