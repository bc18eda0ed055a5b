//! Comparing options on common random numbers (docs/model.md section 7).
//!
//! Path `i` of every option is simulated from the same streams, purpose by
//! purpose, so the differences between options come from the options and not
//! from luck. Differences against the base are taken path by path, and their
//! intervals come from the spread of those per-path differences. Every sum is an
//! integer, so results do not depend on the thread count.

use std::ops::Range;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::core::engine::fold_path_range;
use crate::core::model::{Series, Trajectory, Workspace, simulate_path};
use crate::core::stats::{Accumulator, Summary, Z95};
use crate::input::policy::{Change, Costs, Policy, changes};

/// How to run a comparison.
#[derive(Clone, Copy, Debug)]
pub struct CompareOptions {
    /// Number of paths, shared by every option.
    pub paths: u64,
    /// Master seed.
    pub seed: u64,
    /// Give each option its own streams instead of common random numbers: only
    /// useful to measure what common random numbers save.
    pub independent_streams: bool,
}

/// A difference against the base, estimated from per-path differences.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Difference {
    /// Mean of the per-path differences.
    pub mean: f64,
    /// Lower end of its 95% interval.
    pub ci95_low: f64,
    /// Upper end of its 95% interval.
    pub ci95_high: f64,
    /// Variance of the per-path difference.
    pub variance: f64,
    /// What that variance would be with independent streams: the sum of the two
    /// options' own variances.
    pub unpaired_variance: f64,
}

impl Difference {
    /// How many times smaller the paired variance is than the unpaired one
    /// (`None` when the paired variance is zero).
    pub fn variance_ratio(&self) -> Option<f64> {
        (self.variance > 0.0).then(|| self.unpaired_variance / self.variance)
    }

    /// True when the 95% interval lies wholly above zero.
    pub fn is_gain(&self) -> bool {
        self.ci95_low > 0.0
    }

    /// Half-width of the 95% interval the two options' own intervals would give.
    pub fn unpaired_halfwidth(&self, paths: u64) -> f64 {
        Z95 * (self.unpaired_variance / paths as f64).sqrt()
    }
}

/// The results of one option.
#[derive(Clone, Debug)]
pub struct OptionResult {
    /// Option name.
    pub name: String,
    /// Optional description.
    pub description: Option<String>,
    /// What it costs.
    pub costs: Costs,
    /// First month in which it acts (its costs count from then).
    pub start_month: u32,
    /// What it sets differently from the base (none for the base).
    pub changes: Vec<Change>,
    /// Its own statistics, as a plain run would give them.
    pub summary: Summary,
    /// Mean hires from month 1 to the target month.
    pub mean_hires_to_target: f64,
    /// Mean jobs created by the target month (never negative on a path).
    pub mean_jobs_created: f64,
    /// Expected total cost to the target month.
    pub cost_to_target: f64,
    /// Paired difference in reaching the target (per path: 1, 0 or -1).
    pub p_target_diff: Difference,
    /// Paired difference in headcount at the target month.
    pub headcount_diff: Difference,
    /// Cost to the target month over the mean additional headcount then;
    /// `None` for the base, for options that add no jobs and for options
    /// whose cost is not given (or comes to zero).
    pub cost_per_additional_job: Option<f64>,
    /// Rank by P(target), 1 = best.
    pub rank_p_target: usize,
    /// Rank by cost per additional job among options that have one, 1 = cheapest.
    pub rank_cost_per_job: Option<usize>,
}

/// A finished comparison; the first option is the base.
#[derive(Clone, Debug)]
pub struct Comparison {
    /// Every option, base first, in input order.
    pub options: Vec<OptionResult>,
    /// The run's settings.
    pub settings: CompareOptions,
    /// Wall-clock time.
    pub elapsed_seconds: f64,
}

impl Comparison {
    /// Whether option `slot`'s cost is known: always for the base (the
    /// reference, which spends nothing beyond itself), and for another option
    /// when its cost is given and not zero.
    pub fn cost_given(&self, slot: usize) -> bool {
        slot == 0 || !self.options[slot].costs.is_free()
    }
}

/// Integer sums over paths for one option.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PairSums {
    hires_to_target: u64,
    jobs_created: u64,
    headcount: i128,
    headcount_sq: i128,
    hit: i64,
    diff_headcount: i128,
    diff_headcount_sq: i128,
    diff_hit: i64,
    diff_hit_sq: i64,
}

impl PairSums {
    /// Whether the sums are within what `paths` paths can give (headcounts
    /// and hires of one path fit in 32 bits; `hit` is 0 or 1): a check on sums
    /// read back from a file, after which merging cannot overflow.
    pub fn is_consistent(&self, paths: u64) -> bool {
        let n = i128::from(paths);
        let most = n * i128::from(u32::MAX);
        let most_sq = most * i128::from(u32::MAX);
        let within = |v: i128, lo: i128, hi: i128| (lo..=hi).contains(&v);
        paths <= crate::core::stats::MAX_MERGED_PATHS
            && within(i128::from(self.hires_to_target), 0, most)
            && within(i128::from(self.jobs_created), 0, most)
            && within(self.headcount, 0, most)
            && within(self.headcount_sq, 0, most_sq)
            && within(i128::from(self.hit), 0, n)
            && within(self.diff_headcount, -most, most)
            && within(self.diff_headcount_sq, 0, most_sq)
            && within(i128::from(self.diff_hit), -n, n)
            && within(i128::from(self.diff_hit_sq), 0, n)
    }

    fn merge(&mut self, o: &PairSums) {
        self.hires_to_target += o.hires_to_target;
        self.jobs_created += o.jobs_created;
        self.headcount += o.headcount;
        self.headcount_sq += o.headcount_sq;
        self.hit += o.hit;
        self.diff_headcount += o.diff_headcount;
        self.diff_headcount_sq += o.diff_headcount_sq;
        self.diff_hit += o.diff_hit;
        self.diff_hit_sq += o.diff_hit_sq;
    }
}

/// Mean and variance (with `n - 1`) from integer sums.
fn moments(sum: i128, sum_sq: i128, n: u64) -> (f64, f64) {
    let n = n as f64;
    let mean = sum as f64 / n;
    let variance = if n > 1.0 {
        ((sum_sq as f64 - sum as f64 * mean) / (n - 1.0)).max(0.0)
    } else {
        0.0
    };
    (mean, variance)
}

/// A paired difference with the normal 95% interval of its mean; no interval
/// (NaN bounds) from fewer than two paths.
pub(crate) fn difference(sum: i128, sum_sq: i128, unpaired_variance: f64, n: u64) -> Difference {
    let (mean, variance) = moments(sum, sum_sq, n);
    let half = if n > 1 {
        Z95 * (variance / n as f64).sqrt()
    } else {
        f64::NAN
    };
    Difference {
        mean,
        ci95_low: mean - half,
        ci95_high: mean + half,
        variance,
        unpaired_variance,
    }
}

/// The paired difference of two proportions from its discordant pairs: `b - c`
/// (option succeeds where the base fails, minus the reverse) and `b + c`. The
/// interval is Agresti and Min's (2005): a Wald interval after adding 1/2 to each
/// cell of the 2x2 table, which keeps a sensible width when discordant pairs are
/// few or none (a plain Wald interval would then have zero width).
fn proportion_difference(diff: i64, discordant: i64, unpaired_variance: f64, n: u64) -> Difference {
    let (mean, variance) = moments(i128::from(diff), i128::from(discordant), n);
    let m = n as f64 + 2.0;
    let centre = diff as f64 / m;
    let half = Z95 / m * ((discordant as f64 + 1.0) - (diff as f64).powi(2) / m).sqrt();
    Difference {
        mean,
        ci95_low: (centre - half).max(-1.0),
        ci95_high: (centre + half).min(1.0),
        variance,
        unpaired_variance,
    }
}

/// The seed of option `k`: the master seed, or with independent streams one
/// derived from it.
fn option_seed(settings: &CompareOptions, k: usize) -> u64 {
    if settings.independent_streams && k > 0 {
        settings
            .seed
            .wrapping_add((k as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
    } else {
        settings.seed
    }
}

/// The unfinished statistics of a comparison over some of its paths: one
/// accumulator and one set of paired sums per option, base first. Partial
/// results of shards merge exactly with [`PartialComparison::merge`].
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PartialComparison {
    /// Each option's own statistics.
    #[serde(deserialize_with = "crate::core::stats::bounded::<_, _, MAX_OPTIONS>")]
    pub accumulators: Vec<Accumulator>,
    /// Each option's paired sums against the base.
    #[serde(deserialize_with = "crate::core::stats::bounded::<_, _, MAX_OPTIONS>")]
    pub sums: Vec<PairSums>,
}

/// Most options a comparison read back from a file may hold.
const MAX_OPTIONS: usize = 1_000;

impl PartialComparison {
    /// Whether the statistics agree with themselves (see
    /// [`Accumulator::is_consistent`]): one accumulator and one set of sums
    /// per option, all over `paths` paths.
    pub fn is_consistent(&self, paths: u64) -> bool {
        !self.accumulators.is_empty()
            && self.accumulators.len() == self.sums.len()
            && self
                .accumulators
                .iter()
                .all(|a| a.paths() == paths && a.is_consistent())
            && self.sums.iter().all(|s| s.is_consistent(paths))
    }

    /// Whether `other` holds the same options with the same shapes.
    pub fn same_shape(&self, other: &PartialComparison) -> bool {
        self.accumulators.len() == other.accumulators.len()
            && self.sums.len() == other.sums.len()
            && self
                .accumulators
                .iter()
                .zip(&other.accumulators)
                .all(|(a, b)| a.same_shape(b))
    }

    /// Adds everything `other` holds (same options, other paths).
    pub fn merge(self, other: PartialComparison) -> PartialComparison {
        let accumulators = self
            .accumulators
            .into_iter()
            .zip(other.accumulators)
            .map(|(a, b)| a.merge(b))
            .collect();
        let mut sums = self.sums;
        for (a, b) in sums.iter_mut().zip(&other.sums) {
            a.merge(b);
        }
        PartialComparison { accumulators, sums }
    }
}

/// Runs every option on the same paths (`options[0]` is the base) on the current
/// rayon pool. All options must share start, horizon and target
/// ([`crate::input::policy::check_comparable`]).
pub fn compare(
    options: &[Policy],
    settings: CompareOptions,
    sample_paths: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> Comparison {
    let started = Instant::now();
    let partial = accumulate(options, settings, sample_paths, 0..settings.paths, progress);
    finish(options, settings, partial, started.elapsed().as_secs_f64())
}

/// Simulates the paths numbered `paths` (a part of `0..settings.paths`, for a
/// shard) of every option and returns their unfinished statistics.
pub fn accumulate(
    options: &[Policy],
    settings: CompareOptions,
    sample_paths: u64,
    paths: Range<u64>,
    progress: &(dyn Fn(u64) + Sync),
) -> PartialComparison {
    assert!(!options.is_empty(), "a comparison needs a base");
    let base = &options[0].scenario;
    let horizon = base.meta.horizon_months;
    let target = base.target;
    let k = options.len();
    let fresh = || {
        (
            vec![Accumulator::new(horizon, target, sample_paths); k],
            vec![PairSums::default(); k],
            Workspace::default(),
            vec![Trajectory::new(horizon); k],
        )
    };
    let (accumulators, sums, _, _) = fold_path_range(
        paths,
        progress,
        fresh,
        |(accs, sums, work, trajectories), path| {
            for (i, option) in options.iter().enumerate() {
                let t = &mut trajectories[i];
                simulate_path(&option.scenario, option_seed(&settings, i), path, work, t);
                accs[i].add(path, t);
            }
            let at_target = |t: &Trajectory| i128::from(t.get(Series::Headcount, target.month));
            let hit = |t: &Trajectory| {
                i64::from(t.get(Series::Headcount, target.month) >= target.headcount)
            };
            let (base_headcount, base_hit) = (at_target(&trajectories[0]), hit(&trajectories[0]));
            for ((s, t), option) in sums.iter_mut().zip(trajectories.iter()).zip(options) {
                let h = at_target(t);
                // Costs count from the policy's start month.
                let start = option.start_month.min(target.month);
                s.hires_to_target += t
                    .values
                    .row(Series::Hires as usize)
                    .iter()
                    .take(target.month as usize + 1)
                    .skip(start as usize)
                    .map(|&v| u64::from(v))
                    .sum::<u64>();
                s.jobs_created += (h - i128::from(t.get(Series::Headcount, start))).max(0) as u64;
                s.headcount += h;
                s.headcount_sq += h * h;
                s.hit += hit(t);
                let d = h - base_headcount;
                s.diff_headcount += d;
                s.diff_headcount_sq += d * d;
                let dh = hit(t) - base_hit;
                s.diff_hit += dh;
                s.diff_hit_sq += dh * dh;
            }
        },
        |(accumulators, sums, work, trajectories), (accs_b, sums_b, _, _)| {
            let a = PartialComparison { accumulators, sums };
            let merged = a.merge(PartialComparison {
                accumulators: accs_b,
                sums: sums_b,
            });
            (merged.accumulators, merged.sums, work, trajectories)
        },
    );
    PartialComparison {
        accumulators: accumulators.into_iter().map(Accumulator::settled).collect(),
        sums,
    }
}

/// Finishes a comparison from the statistics of all `settings.paths` paths;
/// `elapsed_seconds` is the simulation time to report.
pub fn finish(
    options: &[Policy],
    settings: CompareOptions,
    partial: PartialComparison,
    elapsed_seconds: f64,
) -> Comparison {
    let target = options[0].scenario.target;
    let PartialComparison { accumulators, sums } = partial;
    let n = settings.paths;
    let (_, base_headcount_var) = moments(sums[0].headcount, sums[0].headcount_sq, n);
    let (_, base_hit_var) = moments(i128::from(sums[0].hit), i128::from(sums[0].hit), n);
    let mut results: Vec<OptionResult> = options
        .iter()
        .zip(accumulators)
        .zip(&sums)
        .enumerate()
        .map(|(i, ((option, acc), s))| {
            let (_, headcount_var) = moments(s.headcount, s.headcount_sq, n);
            // A 0/1 variable is its own square.
            let (_, hit_var) = moments(i128::from(s.hit), i128::from(s.hit), n);
            let mean_hires = s.hires_to_target as f64 / n as f64;
            let mean_jobs = s.jobs_created as f64 / n as f64;
            let cost = option
                .costs
                .total(option.start_month, target.month, mean_hires, mean_jobs);
            let headcount_diff = difference(
                s.diff_headcount,
                s.diff_headcount_sq,
                headcount_var + base_headcount_var,
                n,
            );
            OptionResult {
                name: option.name.to_string(),
                description: option.description.as_ref().map(ToString::to_string),
                costs: option.costs,
                start_month: option.start_month,
                changes: if i == 0 {
                    Vec::new()
                } else {
                    changes(&options[0].scenario, &option.scenario)
                },
                summary: acc.finish(),
                mean_hires_to_target: mean_hires,
                mean_jobs_created: mean_jobs,
                cost_to_target: cost,
                // Each per-path difference is -1, 0 or 1, so its sum of squares
                // counts the discordant paths.
                p_target_diff: proportion_difference(
                    s.diff_hit,
                    s.diff_hit_sq,
                    hit_var + base_hit_var,
                    n,
                ),
                // An option without a cost has no cost per job: read as zero,
                // it would rank as the cheapest.
                cost_per_additional_job: (i > 0 && headcount_diff.mean > 0.0 && cost > 0.0)
                    .then(|| cost / headcount_diff.mean),
                headcount_diff,
                rank_p_target: 0,
                rank_cost_per_job: None,
            }
        })
        .collect();
    rank(&mut results);
    Comparison {
        options: results,
        settings,
        elapsed_seconds,
    }
}

/// Ranks by P(target) (ties: higher mean headcount, then input order) and by
/// cost per additional job (cheapest first, options without one unranked).
fn rank(results: &mut [OptionResult]) {
    let mut order: Vec<usize> = (0..results.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&results[a], &results[b]);
        y.summary
            .p_target
            .estimate
            .total_cmp(&x.summary.p_target.estimate)
            .then(y.headcount_diff.mean.total_cmp(&x.headcount_diff.mean))
            .then(a.cmp(&b))
    });
    for (rank, &i) in order.iter().enumerate() {
        results[i].rank_p_target = rank + 1;
    }
    let mut costed: Vec<usize> = (0..results.len())
        .filter(|&i| results[i].cost_per_additional_job.is_some())
        .collect();
    costed.sort_by(|&a, &b| {
        results[a]
            .cost_per_additional_job
            .unwrap_or(f64::INFINITY)
            .total_cmp(&results[b].cost_per_additional_job.unwrap_or(f64::INFINITY))
            .then(a.cmp(&b))
    });
    for (rank, &i) in costed.iter().enumerate() {
        results[i].rank_cost_per_job = Some(rank + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_paired_proportion_interval_never_collapses() {
        // No discordant path among 4,000: the difference is 0, yet the interval
        // keeps the width of one discordant pair's uncertainty, 1.96 / 4002.
        let d = proportion_difference(0, 0, 0.0, 4000);
        assert_eq!(d.mean, 0.0);
        assert!(d.ci95_low < 0.0 && d.ci95_high > 0.0);
        assert!((d.ci95_high - Z95 / 4002.0).abs() < 1e-12);
        // Many discordant pairs: close to the plain Wald interval of the mean.
        let (b, c, n) = (300i64, 100i64, 4000u64);
        let d = proportion_difference(b - c, b + c, 0.0, n);
        let (mean, variance) = moments(i128::from(b - c), i128::from(b + c), n);
        let wald = Z95 * (variance / n as f64).sqrt();
        assert!((d.ci95_high - (mean + wald)).abs() < 1e-3, "{d:?}");
        assert!(d.is_gain());
    }

    #[test]
    fn one_path_gives_no_interval() {
        let d = difference(506, 506 * 506, 0.0, 1);
        assert_eq!(d.mean, 506.0);
        assert!(d.ci95_low.is_nan() && d.ci95_high.is_nan());
    }
}
