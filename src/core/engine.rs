//! The Monte Carlo engine: paths in parallel with rayon, reduced into a
//! [`Summary`].
//!
//! Paths are cut into fixed chunks; each worker thread folds the chunks it runs
//! into its own [`Accumulator`], and the partial accumulators are merged. Path `i` draws
//! only from streams keyed by `(seed, i, purpose)` and every accumulated figure is
//! an integer, so the result is bit-identical for any thread count or split.

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use rayon::prelude::*;

use crate::core::model::{Trajectory, Workspace, simulate_path};
use crate::core::scenario::Scenario;
use crate::core::stats::{Accumulator, Summary};

/// Paths simulated by one task before it takes the next chunk.
const CHUNK: u64 = 1024;

/// How to run a scenario.
#[derive(Clone, Copy, Debug)]
pub struct RunOptions {
    /// Number of paths.
    pub paths: u64,
    /// Master seed.
    pub seed: u64,
    /// Headcount trajectories of this many first paths are kept for charts.
    pub sample_paths: u64,
    /// Headcounts at the target month of this many first paths are kept, for
    /// analyses that pair other runs with them (the verdict decides how many).
    pub target_paths: u64,
}

/// A finished run.
#[derive(Clone, Debug)]
pub struct RunResult {
    /// The statistics.
    pub summary: Summary,
    /// The options used.
    pub options: RunOptions,
    /// Wall-clock time of the simulation.
    pub elapsed_seconds: f64,
}

/// Runs `scenario` on the current rayon pool. `progress` is called from worker
/// threads with the number of paths finished so far.
pub fn run(scenario: &Scenario, options: RunOptions, progress: &(dyn Fn(u64) + Sync)) -> RunResult {
    let started = Instant::now();
    let accumulator = accumulate(scenario, options, 0..options.paths, progress);
    RunResult {
        summary: accumulator.finish(),
        options,
        elapsed_seconds: started.elapsed().as_secs_f64(),
    }
}

/// Simulates the paths numbered `paths` (a part of `0..options.paths`, for a
/// shard) and returns their unfinished statistics, ready to merge with the
/// rest.
pub fn accumulate(
    scenario: &Scenario,
    options: RunOptions,
    paths: Range<u64>,
    progress: &(dyn Fn(u64) + Sync),
) -> Accumulator {
    let horizon = scenario.meta.horizon_months;
    let fresh = || {
        (
            Accumulator::new(horizon, scenario.target, options.sample_paths)
                .keeping_target_headcounts(options.target_paths),
            Workspace::default(),
            Trajectory::new(horizon),
        )
    };
    let (accumulator, _, _) = fold_path_range(
        paths,
        progress,
        fresh,
        |(acc, work, trajectory), path| {
            simulate_path(scenario, options.seed, path, work, trajectory);
            acc.add(path, trajectory);
        },
        |(a, work, trajectory), (b, _, _)| (a.merge(b), work, trajectory),
    );
    accumulator.settled()
}

/// Folds paths `0..paths` into states made by `fresh`, in parallel over fixed
/// chunks, and merges the states. `merge` must not depend on the order in which
/// states meet (integer sums do not), for results to be the same on any pool.
///
/// Each worker thread folds every chunk it runs into its one state, so at most
/// one state per thread is alive however many paths there are (rayon's own
/// `fold` makes a state per split of the work, many more on long runs).
pub fn fold_paths<S: Send>(
    paths: u64,
    progress: &(dyn Fn(u64) + Sync),
    fresh: impl Fn() -> S + Sync + Send,
    add_path: impl Fn(&mut S, u64) + Sync + Send,
    merge: impl Fn(S, S) -> S + Sync + Send,
) -> S {
    fold_path_range(0..paths, progress, fresh, add_path, merge)
}

/// [`fold_paths`] over the paths numbered `paths` only: a shard's share.
pub fn fold_path_range<S: Send>(
    paths: Range<u64>,
    progress: &(dyn Fn(u64) + Sync),
    fresh: impl Fn() -> S + Sync + Send,
    add_path: impl Fn(&mut S, u64) + Sync + Send,
    merge: impl Fn(S, S) -> S + Sync + Send,
) -> S {
    let done = AtomicU64::new(0);
    let Range { start, end } = paths;
    let states: Vec<Mutex<Option<S>>> = (0..rayon::current_num_threads().max(1))
        .map(|_| Mutex::new(None))
        .collect();
    (0..(end.saturating_sub(start)).div_ceil(CHUNK))
        .into_par_iter()
        .for_each(|chunk| {
            let first = start + chunk * CHUNK;
            let last = (first + CHUNK).min(end);
            let slot = rayon::current_thread_index().unwrap_or(0) % states.len();
            // Only this thread uses its slot: the lock is never contended.
            let mut state = states[slot].lock().unwrap_or_else(PoisonError::into_inner);
            let state = state.get_or_insert_with(&fresh);
            for path in first..last {
                add_path(state, path);
                // Per path, so that slow paths (long horizons, many firms)
                // still show progress every few seconds.
                progress(done.fetch_add(1, Ordering::Relaxed) + 1);
            }
        });
    states
        .into_iter()
        .filter_map(|s| s.into_inner().unwrap_or_else(PoisonError::into_inner))
        .reduce(merge)
        .unwrap_or_else(fresh)
}
