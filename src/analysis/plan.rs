//! Planning: which package of levers reaches the target at least cost, what a
//! budget buys, and which uncertainty is worth resolving first (docs/model.md
//! section 7.3).
//!
//! Every package (one level per lever) runs on common random numbers against
//! the base: path `i` of every package draws from the same streams, so the
//! difference between two packages comes from the packages, not from luck.
//! Packages are raced: all on a few paths, then on twice as many paths for
//! those still possibly on the efficient frontier, until the survivors run on
//! every path. A package leaves the race only when another one is cheaper (or
//! as cheap) and adds more jobs, both beyond their 99.7% intervals (3 standard
//! errors each, so the paired difference is beyond at least 3 of its own).
//! Sums are integers, and the packages left after each round depend only on
//! them: the answer is the same on any number of threads.

use std::ops::Range;
use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::analysis::value_of_information::{self, InformationValue, InputColumns};
use crate::core::model::{
    Inputs, Series, Trajectory, Workspace, simulate_path, simulate_path_with_inputs,
};
use crate::core::scenario::Scenario;
use crate::core::stats::{Proportion, Z95, quantile_rank};
use crate::input::lever::Levers;
use crate::input::policy::Costs;

/// Paths per task of a round: small enough to spread a first round over every
/// thread, large enough that building the package's scenario is a small cost.
const TASK_PATHS: u64 = 256;
/// Standard errors a package's interval spans when deciding it is dominated.
const RACE_Z: f64 = 3.0;
/// The most packages a plan may evaluate.
pub const MAX_PACKAGES: u128 = 100_000;

/// How to plan.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct PlanSettings {
    /// Paths the frontier is confirmed on.
    pub paths: u64,
    /// Master seed.
    pub seed: u64,
    /// Paths every package runs on in the first round.
    pub first_round_paths: u64,
    /// The yearly budget, in MAD, if one is given.
    pub budget_per_year: Option<f64>,
    /// The probability of reaching the target sought.
    pub probability: f64,
    /// What a job at the target month is worth, in MAD, for the value of
    /// information; none computed without it.
    pub value_per_job: Option<f64>,
}

/// What a plan's answer looks for, carried by its shards to the merge.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanChoices {
    /// The yearly budget, in MAD.
    pub budget_per_year: Option<f64>,
    /// The probability of reaching the target sought.
    pub probability: f64,
    /// What a job at the target month is worth, in MAD.
    pub value_per_job: Option<f64>,
}

impl PlanChoices {
    /// The choices of `settings`.
    pub fn of(settings: &PlanSettings) -> PlanChoices {
        PlanChoices {
            budget_per_year: settings.budget_per_year,
            probability: settings.probability,
            value_per_job: settings.value_per_job,
        }
    }

    /// Whether every choice is one the command line accepts.
    pub fn is_valid(&self) -> bool {
        let amount =
            |v: Option<f64>| v.is_none_or(|v| (0.0..=crate::input::policy::MAX_COST).contains(&v));
        amount(self.budget_per_year)
            && amount(self.value_per_job)
            && self.probability > 0.0
            && self.probability <= 1.0
    }
}

/// Integer sums over the paths a package has run so far.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize)]
struct Sums {
    paths: u64,
    gain: i128,
    gain_sq: i128,
    hit: u64,
    diff_hit: i64,
    discordant: u64,
    cost: i128,
    cost_sq: i128,
}

impl Sums {
    /// Whether the sums are within what `paths` paths can give (a headcount
    /// fits in 32 bits, a path's variable cost in 63).
    fn is_consistent(&self, paths: u64) -> bool {
        let n = i128::from(paths);
        let most = n * i128::from(u32::MAX);
        let most_cost = n * i128::from(i64::MAX);
        let within = |v: i128, lo: i128, hi: i128| (lo..=hi).contains(&v);
        paths <= crate::core::stats::MAX_MERGED_PATHS
            && self.paths == paths
            && within(self.gain, -most, most)
            && within(self.gain_sq, 0, most * i128::from(u32::MAX))
            && self.hit <= paths
            && within(i128::from(self.diff_hit), -n, n)
            && self.discordant <= paths
            && within(self.cost, 0, most_cost)
            && self.cost_sq >= 0
    }

    fn add(&mut self, o: &Sums) {
        self.paths += o.paths;
        self.gain += o.gain;
        self.gain_sq += o.gain_sq;
        self.hit += o.hit;
        self.diff_hit += o.diff_hit;
        self.discordant += o.discordant;
        self.cost += o.cost;
        self.cost_sq += o.cost_sq;
    }

    fn mean_and_error(sum: i128, sum_sq: i128, n: u64) -> (f64, f64) {
        let nf = n as f64;
        let mean = sum as f64 / nf;
        let variance = if n > 1 {
            ((sum_sq as f64 - sum as f64 * mean) / (nf - 1.0)).max(0.0)
        } else {
            0.0
        };
        (mean, (variance / nf).sqrt())
    }
}

/// One package as the race left it.
#[derive(Clone, Debug, Serialize)]
pub struct PackageResult {
    /// Its number (0 = every lever off), counting with the last lever fastest.
    pub number: u64,
    /// The level of each lever (0 = off).
    pub levels: Vec<usize>,
    /// Paths it ran on.
    pub paths: u64,
    /// The round it left the race in (from 1), or `None` if it ran to the end.
    pub dropped_in_round: Option<usize>,
    /// Mean jobs added at the target month, against the base on the same paths.
    pub jobs_added: f64,
    /// Standard error of `jobs_added`.
    pub jobs_added_error: f64,
    /// Expected cost to the target month, in MAD.
    pub cost: f64,
    /// Standard error of `cost` (from per-hire and per-job costs).
    pub cost_error: f64,
    /// Expected cost per year from the decision month to the target month.
    pub cost_per_year: f64,
    /// Share of paths at or above the target at the target month.
    pub p_target: Proportion,
}

impl PackageResult {
    fn interval(mean: f64, error: f64) -> (f64, f64) {
        (mean - RACE_Z * error, mean + RACE_Z * error)
    }

    /// Whether `self` is surely at most as costly as `other` and adds surely
    /// more jobs.
    fn dominates(&self, other: &PackageResult) -> bool {
        let (_, cost_high) = Self::interval(self.cost, self.cost_error);
        let (other_cost_low, _) = Self::interval(other.cost, other.cost_error);
        let (gain_low, _) = Self::interval(self.jobs_added, self.jobs_added_error);
        let (_, other_gain_high) = Self::interval(other.jobs_added, other.jobs_added_error);
        cost_high <= other_cost_low && gain_low > other_gain_high
    }
}

/// One round of the race.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Round {
    /// Paths every package of the round has run on by its end.
    pub paths: u64,
    /// Packages in the round.
    pub packages: usize,
    /// Of them, packages dropped at its end.
    pub dropped: usize,
}

/// A package confirmed on every path, with what its paths say.
#[derive(Clone, Debug, Serialize)]
pub struct Confirmed {
    /// Index into [`Plan::packages`].
    pub package: usize,
    /// Paired 95% interval of the jobs added.
    pub jobs_added_ci95: (f64, f64),
    /// 10th and 90th percentiles of the jobs added across futures (paths).
    pub jobs_added_p10_p90: (f64, f64),
    /// Median headcount at the target month.
    pub median_headcount: u32,
    /// The month by which half the paths have reached the target (at least
    /// once), if within the horizon.
    pub half_reached_month: Option<u32>,
    /// On the frontier of cost against jobs added.
    pub on_jobs_frontier: bool,
    /// On the frontier of cost against P(target).
    pub on_target_frontier: bool,
}

/// The value of information of the decision among the frontier packages.
#[derive(Clone, Debug, Serialize)]
pub struct Information {
    /// What a job at the target month is worth, in MAD.
    pub value_per_job: f64,
    /// The packages decided among (indices into [`Plan::packages`]), the base
    /// always besides.
    pub options: Vec<usize>,
    /// The package chosen now (`None`: the base, doing nothing).
    pub chosen_now: Option<usize>,
    /// Knowing every uncertain input.
    pub evpi: InformationValue,
    /// Each uncertain input alone, most valuable first.
    pub inputs: Vec<InformationValue>,
    /// Named groups of inputs, most valuable first.
    pub groups: Vec<InformationValue>,
}

/// A finished plan.
#[derive(Clone, Debug, Serialize)]
pub struct Plan {
    /// The settings.
    pub settings: PlanSettings,
    /// First month any lever acts: costs per year count from it.
    pub decision_month: u32,
    /// Every package the race evaluated, in package order.
    pub packages: Vec<PackageResult>,
    /// The rounds of the race.
    pub rounds: Vec<Round>,
    /// The packages confirmed on every path, cheapest first.
    pub confirmed: Vec<Confirmed>,
    /// P(target) of the base.
    pub base_p_target: Proportion,
    /// Median headcount of the base at the target month.
    pub base_median_headcount: u32,
    /// The package adding most jobs within the budget (index into
    /// `confirmed`), when a budget is given.
    pub best_within_budget: Option<usize>,
    /// The cheapest package reaching the target with the probability sought
    /// (index into `confirmed`).
    pub cheapest_reaching: Option<usize>,
    /// The package of highest P(target) (index into `confirmed`), then of most
    /// jobs added.
    pub most_likely: usize,
    /// The value of information, when a value per job is given.
    pub information: Option<Information>,
    /// Paths simulated in all (packages times paths, base and confirmation
    /// included).
    pub simulated_paths: u64,
    /// Wall-clock seconds.
    pub elapsed_seconds: f64,
}

/// Why a plan cannot run.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// Too many packages.
    #[error(
        "the levers make {0} packages, more than the {MAX_PACKAGES} a plan evaluates; \
         remove levels or levers"
    )]
    TooManyPackages(u128),
    /// A package makes an invalid scenario.
    #[error("{0}")]
    InvalidPackage(String),
}

/// What the race knows of the base, path by path, from path `first` on.
struct BasePaths {
    first: u64,
    headcount: Vec<u32>,
    hit: Vec<bool>,
}

impl BasePaths {
    fn headcount(&self, path: u64) -> u32 {
        self.headcount[(path - self.first) as usize]
    }

    fn hit(&self, path: u64) -> bool {
        self.hit[(path - self.first) as usize]
    }
}

/// The per-path outcome of one package against the base.
struct PathOutcome {
    gain: i64,
    hit: bool,
    /// Cost in whole MAD of the per-hire and per-job parts.
    variable_cost: i64,
}

/// A decision option's paths: its per-path outcomes and inputs.
struct OptionPaths {
    package: usize,
    fixed_cost: f64,
    outcomes: Vec<PathOutcome>,
    inputs: Vec<(String, Vec<f64>)>,
}

/// The yearly parts of `costs` to the target month: what a package costs on
/// every path.
fn fixed_cost(costs: &[(u32, Costs)], target_month: u32) -> f64 {
    costs
        .iter()
        .map(|(start, c)| c.total(*start, target_month, 0.0, 0.0))
        .sum()
}

/// The value of information of a decision among `options` (each a scenario
/// with its costs, from the start month of each cost) against `base`, on
/// paths `0..paths`: what `compare --value-per-job` reports. The indices of
/// [`Information`] are positions in `options`.
pub fn decision_information(
    base: &Scenario,
    options: &[(&Scenario, Vec<(u32, Costs)>)],
    seed: u64,
    paths: u64,
    value_per_job: f64,
) -> Information {
    let base_paths = simulate_base(base, seed, 0..paths);
    let base_columns = base_inputs(base, seed, paths);
    let target_month = base.target.month;
    let decided: Vec<OptionPaths> = options
        .iter()
        .enumerate()
        .map(|(slot, (scenario, costs))| {
            let p = Prepared {
                scenario: (*scenario).clone(),
                costs: costs.clone(),
            };
            let (outcomes, _, _, inputs) = confirm(&p, seed, paths, &base_paths, true);
            OptionPaths {
                package: slot,
                fixed_cost: fixed_cost(costs, target_month),
                outcomes,
                inputs: inputs
                    .into_iter()
                    .filter(|(name, column)| {
                        !base_columns.iter().any(|(b, c)| b == name && c == column)
                    })
                    .collect(),
            }
        })
        .collect();
    let refs: Vec<&OptionPaths> = decided.iter().collect();
    information(value_per_job, base_columns, &refs)
}

/// A package ready to simulate.
struct Prepared {
    scenario: Scenario,
    costs: Vec<(u32, Costs)>,
}

/// The scenario of package number `k`, forecasting from `posterior`.
fn prepare(levers: &Levers, k: usize, posterior: &Posterior) -> Result<Prepared, PlanError> {
    let package = levers.package(k as u128);
    let mut scenario = levers
        .scenario(&package)
        .map_err(PlanError::InvalidPackage)?;
    scenario.posterior = posterior.clone();
    Ok(Prepared {
        scenario,
        costs: levers.costs(&package),
    })
}

/// The fitted posterior every package forecasts from, if any: each path picks
/// the same particle in every package, so packages stay on common random
/// numbers.
pub type Posterior = Option<std::sync::Arc<crate::core::posterior::Posterior>>;

/// Simulates path `path` of a package and measures it against the base.
fn outcome(
    p: &Prepared,
    seed: u64,
    path: u64,
    base: &BasePaths,
    work: &mut Workspace,
    t: &mut Trajectory,
    inputs: Option<&mut Inputs>,
) -> PathOutcome {
    match inputs {
        Some(inputs) => simulate_path_with_inputs(&p.scenario, seed, path, work, t, inputs),
        None => simulate_path(&p.scenario, seed, path, work, t),
    }
    let target = p.scenario.target;
    let h = t.get(Series::Headcount, target.month);
    let mut variable = 0.0;
    for (start, c) in &p.costs {
        let start = (*start).min(target.month);
        if c.per_hire > 0.0 {
            let hires: u64 = (start..=target.month)
                .map(|m| u64::from(t.get(Series::Hires, m)))
                .sum();
            variable += c.per_hire * hires as f64;
        }
        if c.per_job_at_target > 0.0 {
            let created = h.saturating_sub(t.get(Series::Headcount, start));
            variable += c.per_job_at_target * f64::from(created);
        }
    }
    PathOutcome {
        gain: i64::from(h) - i64::from(base.headcount(path)),
        hit: h >= target.headcount,
        variable_cost: variable.round() as i64,
    }
}

/// Runs `plan` over the levers' packages, on the current rayon pool.
/// `on_round` hears of each round as it ends.
pub fn plan(
    levers: &Levers,
    posterior: &Posterior,
    settings: PlanSettings,
    on_round: &(dyn Fn(&Round) + Sync),
) -> Result<Plan, PlanError> {
    let started = Instant::now();
    check_packages(levers)?;
    let count = levers.package_count();
    let mut base = levers.base().clone();
    base.posterior = posterior.clone();
    let base = &base;
    let target = base.target;
    let n = settings.paths;
    let seed = settings.seed;
    let base_paths = simulate_base(base, seed, 0..n);
    let years = f64::from(target.month - decision_month(levers)) / 12.0;

    let mut sums = vec![Sums::default(); count as usize];
    let mut dropped_in: Vec<Option<usize>> = vec![None; count as usize];
    let mut alive: Vec<usize> = (0..count as usize).collect();
    let mut rounds = Vec::new();
    let mut simulated = n;
    let mut done = 0;
    let mut size = settings.first_round_paths.clamp(1, n);
    loop {
        let range = done..size;
        let parts = simulate_round(levers, posterior, seed, &base_paths, &alive, range, &|_| {});
        for (k, s) in &parts {
            sums[*k].add(s);
        }
        simulated += (size - done) * alive.len() as u64;
        let results: Vec<PackageResult> = alive
            .iter()
            .map(|&k| result(levers, k, &sums[k], None, target.month, years))
            .collect();
        let last = size == n;
        let keep: Vec<bool> = if last {
            vec![true; alive.len()]
        } else {
            survivors(&results)
        };
        let dropped = keep.iter().filter(|k| !**k).count();
        let round = Round {
            paths: size,
            packages: alive.len(),
            dropped,
        };
        on_round(&round);
        rounds.push(round);
        for (&k, &kept) in alive.iter().zip(&keep) {
            if !kept {
                dropped_in[k] = Some(rounds.len());
            }
        }
        alive = alive
            .into_iter()
            .zip(keep)
            .filter_map(|(k, kept)| kept.then_some(k))
            .collect();
        if last {
            break;
        }
        done = size;
        size = (size * 2).min(n);
    }
    finish_race(
        levers,
        posterior,
        settings,
        Raced {
            base_paths,
            sums,
            dropped_in,
            rounds,
            alive,
            simulated,
        },
        started,
    )
}

/// What a race (or the merge of a plan's shards) leaves: each package's sums
/// and the round it was dropped in, the rounds, the packages that ran to the
/// end, and the paths simulated.
struct Raced {
    base_paths: BasePaths,
    sums: Vec<Sums>,
    dropped_in: Vec<Option<usize>>,
    rounds: Vec<Round>,
    alive: Vec<usize>,
    simulated: u64,
}

/// The plan from what the race left: the frontiers, the packages confirmed
/// on every path, the answer and the value of information.
fn finish_race(
    levers: &Levers,
    posterior: &Posterior,
    settings: PlanSettings,
    raced: Raced,
    started: Instant,
) -> Result<Plan, PlanError> {
    let Raced {
        base_paths,
        sums,
        dropped_in,
        rounds,
        alive,
        mut simulated,
    } = raced;
    let mut base = levers.base().clone();
    base.posterior = posterior.clone();
    let base = &base;
    let target = base.target;
    let (n, seed) = (settings.paths, settings.seed);
    let decision_month = decision_month(levers);
    let years = f64::from(target.month - decision_month) / 12.0;
    let packages: Vec<PackageResult> = (0..sums.len())
        .map(|k| result(levers, k, &sums[k], dropped_in[k], target.month, years))
        .collect();

    // The frontiers among the packages that ran on every path.
    let mut finalists: Vec<usize> = alive;
    finalists.sort_by(|&a, &b| {
        packages[a]
            .cost
            .total_cmp(&packages[b].cost)
            .then(packages[b].jobs_added.total_cmp(&packages[a].jobs_added))
            .then(a.cmp(&b))
    });
    let jobs_frontier = upper_frontier(&finalists, |k| packages[k].jobs_added);
    let any_hit = finalists.iter().any(|&k| sums[k].hit > 0);
    let target_frontier = if any_hit {
        upper_frontier(&finalists, |k| packages[k].p_target.estimate)
    } else {
        Vec::new()
    };
    let most_likely_package = *finalists
        .iter()
        .max_by(|&&a, &&b| {
            sums[a]
                .hit
                .cmp(&sums[b].hit)
                .then(packages[a].jobs_added.total_cmp(&packages[b].jobs_added))
                .then(b.cmp(&a))
        })
        .expect("the base always runs to the end");
    let mut chosen: Vec<usize> = jobs_frontier.clone();
    for &k in target_frontier.iter().chain([&most_likely_package]) {
        if !chosen.contains(&k) {
            chosen.push(k);
        }
    }
    chosen.sort_by(|&a, &b| {
        packages[a]
            .cost
            .total_cmp(&packages[b].cost)
            .then(a.cmp(&b))
    });

    // Confirmation: each chosen package on every path again, keeping what the
    // paths say (their gains, first months at the target, inputs).
    let mut confirmed = Vec::new();
    let mut net_inputs: Vec<OptionPaths> = Vec::new();
    // The base's inputs, when the value of information needs them: a
    // package keeps only the columns it draws differently, so memory grows
    // with the packages decided among by one column per input they redraw.
    let record = settings.value_per_job.is_some();
    let base_columns = if record {
        simulated += n;
        base_inputs(base, seed, n)
    } else {
        Vec::new()
    };
    for &k in &chosen {
        let p = prepare(levers, k, posterior)?;
        let (outcomes, first_hits, heads, inputs) = confirm(&p, seed, n, &base_paths, record);
        simulated += n;
        let mut gains: Vec<i64> = outcomes.iter().map(|o| o.gain).collect();
        gains.sort_unstable();
        let pick = |percent| gains[(quantile_rank(n, percent) - 1) as usize] as f64;
        let r = &packages[k];
        let half = Z95 * r.jobs_added_error;
        confirmed.push(Confirmed {
            package: k,
            jobs_added_ci95: (r.jobs_added - half, r.jobs_added + half),
            jobs_added_p10_p90: (pick(10), pick(90)),
            median_headcount: heads,
            half_reached_month: first_hits,
            on_jobs_frontier: jobs_frontier.contains(&k),
            on_target_frontier: target_frontier.contains(&k),
        });
        if record && k != 0 {
            let inputs = inputs
                .into_iter()
                .filter(|(name, column)| {
                    !base_columns.iter().any(|(b, c)| b == name && c == column)
                })
                .collect();
            net_inputs.push(OptionPaths {
                package: k,
                fixed_cost: fixed_cost(&p.costs, target.month),
                outcomes,
                inputs,
            });
        }
    }
    let slot_of = |k: usize| confirmed.iter().position(|c| c.package == k);
    let best_within_budget = settings.budget_per_year.and_then(|budget| {
        jobs_frontier
            .iter()
            .filter(|&&k| packages[k].cost_per_year <= budget)
            .max_by(|&&a, &&b| packages[a].jobs_added.total_cmp(&packages[b].jobs_added))
            .and_then(|&k| slot_of(k))
    });
    let cheapest_reaching = chosen
        .iter()
        .filter(|&&k| packages[k].p_target.estimate >= settings.probability)
        .min_by(|&&a, &&b| packages[a].cost.total_cmp(&packages[b].cost))
        .and_then(|&k| slot_of(k));
    let base_median = {
        let mut heads = base_paths.headcount.clone();
        heads.sort_unstable();
        heads[(quantile_rank(n, 50) - 1) as usize]
    };
    let information = settings.value_per_job.map(|value| {
        let within = |k: usize| {
            settings
                .budget_per_year
                .is_none_or(|b| packages[k].cost_per_year <= b)
        };
        let options: Vec<&OptionPaths> = net_inputs.iter().filter(|o| within(o.package)).collect();
        information(value, base_columns, &options)
    });
    Ok(Plan {
        settings,
        decision_month,
        base_p_target: Proportion::wilson(base_paths.hit.iter().filter(|h| **h).count() as u64, n),
        base_median_headcount: base_median,
        packages,
        rounds,
        best_within_budget,
        cheapest_reaching,
        most_likely: slot_of(most_likely_package).expect("the most likely package is confirmed"),
        confirmed,
        information,
        simulated_paths: simulated,
        elapsed_seconds: started.elapsed().as_secs_f64(),
    })
}

/// The first month any lever acts (at most the target month): costs per year
/// count from it.
fn decision_month(levers: &Levers) -> u32 {
    let target = levers.base().target.month;
    levers
        .levers
        .iter()
        .map(|l| l.start_month)
        .min()
        .unwrap_or(0)
        .min(target)
}

/// Refuses too many packages, or one that breaks the scenario, before
/// anything runs.
pub fn check_packages(levers: &Levers) -> Result<(), PlanError> {
    let count = levers.package_count();
    if count > MAX_PACKAGES {
        return Err(PlanError::TooManyPackages(count));
    }
    (0..count).into_par_iter().try_for_each(|i| {
        levers
            .scenario(&levers.package(i))
            .map(drop)
            .map_err(PlanError::InvalidPackage)
    })
}

/// Simulates the packages `alive` on the paths `range`, in tasks of a few
/// paths spread over the pool, and returns each task's sums by package.
/// `progress` hears of the paths done, counted once per package.
fn simulate_round(
    levers: &Levers,
    posterior: &Posterior,
    seed: u64,
    base_paths: &BasePaths,
    alive: &[usize],
    range: Range<u64>,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<(usize, Sums)> {
    let horizon = levers.base().meta.horizon_months;
    let done = std::sync::atomic::AtomicU64::new(0);
    let tasks: Vec<(usize, Range<u64>)> = alive
        .iter()
        .flat_map(|&k| {
            let r = range.clone();
            (r.start..r.end)
                .step_by(TASK_PATHS as usize)
                .map(move |first| (k, first..(first + TASK_PATHS).min(r.end)))
        })
        .collect();
    tasks
        .par_iter()
        .map_init(
            || (Workspace::default(), Trajectory::new(horizon)),
            |(work, t), (k, paths)| {
                let p = prepare(levers, *k, posterior)
                    .expect("every package was checked before any ran");
                let mut s = Sums::default();
                for path in paths.clone() {
                    let o = outcome(&p, seed, path, base_paths, work, t, None);
                    let base_hit = base_paths.hit(path);
                    let cost = i128::from(o.variable_cost);
                    let gain = i128::from(o.gain);
                    s.paths += 1;
                    s.gain += gain;
                    s.gain_sq += gain * gain;
                    s.hit += u64::from(o.hit);
                    s.diff_hit += i64::from(o.hit) - i64::from(base_hit);
                    s.discordant += u64::from(o.hit != base_hit);
                    s.cost += cost;
                    s.cost_sq += cost * cost;
                }
                let paths = paths.end - paths.start;
                progress(done.fetch_add(paths, std::sync::atomic::Ordering::Relaxed) + paths);
                (*k, s)
            },
        )
        .collect()
}

/// Simulates every package on the paths numbered `paths` (a shard's share
/// of `0..settings.paths`) and returns their sums, to be merged with the
/// other shards' and finished by [`finish`]. A sharded plan is exhaustive:
/// every package runs on every path, as `plan` with `first_round_paths`
/// equal to the paths. The packages must have passed [`check_packages`].
pub fn accumulate(
    levers: &Levers,
    posterior: &Posterior,
    seed: u64,
    paths: Range<u64>,
    progress: &(dyn Fn(u64) + Sync),
) -> PartialPlan {
    let mut base = levers.base().clone();
    base.posterior = posterior.clone();
    let base_paths = simulate_base(&base, seed, paths.clone());
    let all: Vec<usize> = (0..levers.package_count() as usize).collect();
    let mut sums = vec![Sums::default(); all.len()];
    for (k, s) in simulate_round(levers, posterior, seed, &base_paths, &all, paths, progress) {
        sums[k].add(&s);
    }
    PartialPlan { sums }
}

/// Finishes a plan from the merged sums of its shards (every package on all
/// `settings.paths` paths): the same plan as an unsharded one whose first
/// round runs on every path.
pub fn finish(
    levers: &Levers,
    posterior: &Posterior,
    settings: PlanSettings,
    partial: PartialPlan,
) -> Result<Plan, PlanError> {
    let started = Instant::now();
    let count = partial.sums.len();
    let mut base = levers.base().clone();
    base.posterior = posterior.clone();
    let base_paths = simulate_base(&base, settings.seed, 0..settings.paths);
    finish_race(
        levers,
        posterior,
        settings,
        Raced {
            base_paths,
            sums: partial.sums,
            dropped_in: vec![None; count],
            rounds: vec![Round {
                paths: settings.paths,
                packages: count,
                dropped: 0,
            }],
            alive: (0..count).collect(),
            simulated: settings.paths * (count as u64 + 1),
        },
        started,
    )
}

/// The sums of every package over some paths: a shard's partial plan.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PartialPlan {
    #[serde(deserialize_with = "crate::core::stats::bounded::<_, _, MAX_PARTIAL_PACKAGES>")]
    sums: Vec<Sums>,
}

/// Most packages a partial plan read back from a file may hold.
const MAX_PARTIAL_PACKAGES: usize = MAX_PACKAGES as usize;

impl PartialPlan {
    /// Whether the sums are within what `paths` paths can give, one set per
    /// package: a check on sums read back from a file, after which merging
    /// cannot overflow.
    pub fn is_consistent(&self, paths: u64) -> bool {
        !self.sums.is_empty() && self.sums.iter().all(|s| s.is_consistent(paths))
    }

    /// Whether the plan has one set of sums for each of `packages` packages.
    pub fn fits(&self, packages: usize) -> bool {
        self.sums.len() == packages
    }

    /// Bytes the sums take.
    pub fn heap_bytes(&self) -> u64 {
        (self.sums.len() * std::mem::size_of::<Sums>()) as u64
    }

    /// Whether `other` holds as many packages.
    pub fn same_shape(&self, other: &PartialPlan) -> bool {
        self.sums.len() == other.sums.len()
    }

    /// Adds everything `other` holds (same packages, other paths).
    pub fn merge(mut self, other: PartialPlan) -> PartialPlan {
        for (a, b) in self.sums.iter_mut().zip(&other.sums) {
            a.add(b);
        }
        self
    }
}

/// A package's statistics from its sums.
fn result(
    levers: &Levers,
    k: usize,
    s: &Sums,
    dropped_in_round: Option<usize>,
    target_month: u32,
    years: f64,
) -> PackageResult {
    let package = levers.package(k as u128);
    let fixed = fixed_cost(&levers.costs(&package), target_month);
    let (gain, gain_error) = Sums::mean_and_error(s.gain, s.gain_sq, s.paths);
    let (variable, cost_error) = Sums::mean_and_error(s.cost, s.cost_sq, s.paths);
    let cost = fixed + variable;
    PackageResult {
        number: k as u64,
        levels: package,
        paths: s.paths,
        dropped_in_round,
        jobs_added: gain,
        jobs_added_error: gain_error,
        cost,
        cost_error,
        cost_per_year: if years > 0.0 { cost / years } else { cost },
        p_target: Proportion::wilson(s.hit, s.paths),
    }
}

/// Which packages of a round stay in the race: all but those another package
/// surely dominates. Packages on the frontier of cost against P(target) by
/// their estimates stay too, so that frontier is confirmed on every path.
fn survivors(results: &[PackageResult]) -> Vec<bool> {
    let mut order: Vec<usize> = (0..results.len()).collect();
    order.sort_by(|&a, &b| results[a].cost.total_cmp(&results[b].cost).then(a.cmp(&b)));
    let on_target_frontier = upper_frontier(&order, |k| results[k].p_target.estimate);
    let any_hit = results.iter().any(|r| r.p_target.estimate > 0.0);
    // Packages by jobs added, most first: a dominating package must add more.
    let mut by_gain: Vec<usize> = (0..results.len()).collect();
    by_gain.sort_by(|&a, &b| {
        let low = |k: usize| results[k].jobs_added - RACE_Z * results[k].jobs_added_error;
        low(b).total_cmp(&low(a)).then(a.cmp(&b))
    });
    (0..results.len())
        .map(|k| {
            (any_hit && on_target_frontier.contains(&k))
                || !by_gain
                    .iter()
                    .take_while(|&&q| {
                        let r = &results[q];
                        r.jobs_added - RACE_Z * r.jobs_added_error
                            > results[k].jobs_added + RACE_Z * results[k].jobs_added_error
                    })
                    .any(|&q| results[q].dominates(&results[k]))
        })
        .collect()
}

/// The packages of `by_cost` (cheapest first) whose `value` beats every
/// cheaper package's: the efficient frontier.
fn upper_frontier(by_cost: &[usize], value: impl Fn(usize) -> f64) -> Vec<usize> {
    let mut best = f64::NEG_INFINITY;
    let mut out = Vec::new();
    for &k in by_cost {
        let v = value(k);
        if v > best {
            best = v;
            out.push(k);
        }
    }
    out
}

/// Simulates the base on every path, keeping its headcount at the target
/// month and whether it reached the target.
fn simulate_base(base: &Scenario, seed: u64, paths: Range<u64>) -> BasePaths {
    let target = base.target;
    let first = paths.start;
    let mut headcount = vec![0u32; (paths.end - paths.start) as usize];
    headcount
        .par_chunks_mut(TASK_PATHS as usize)
        .enumerate()
        .for_each_init(
            || {
                (
                    Workspace::default(),
                    Trajectory::new(base.meta.horizon_months),
                )
            },
            |(work, t), (chunk, out)| {
                for (i, h) in out.iter_mut().enumerate() {
                    let path = first + chunk as u64 * TASK_PATHS + i as u64;
                    simulate_path(base, seed, path, work, t);
                    *h = t.get(Series::Headcount, target.month);
                }
            },
        );
    let hit = headcount.iter().map(|h| *h >= target.headcount).collect();
    BasePaths {
        first,
        headcount,
        hit,
    }
}

/// Per-path outcomes, the month by which half the paths have reached the
/// target, the median headcount at the target month and (when `record`) the
/// inputs of a package on every path.
type Confirmation = (Vec<PathOutcome>, Option<u32>, u32, Vec<(String, Vec<f64>)>);

fn confirm(p: &Prepared, seed: u64, n: u64, base: &BasePaths, record: bool) -> Confirmation {
    let horizon = p.scenario.meta.horizon_months;
    let target = p.scenario.target;
    let names = if record {
        crate::core::model::input_names(&p.scenario)
    } else {
        Vec::new()
    };
    let width = names.len();
    let mut rows: Vec<(PathOutcome, Option<u32>, u32, Vec<f64>)> = (0..n)
        .into_par_iter()
        .map_init(
            || {
                (
                    Workspace::default(),
                    Trajectory::new(horizon),
                    Inputs::new(false),
                )
            },
            |(work, t, inputs), path| {
                let o = outcome(p, seed, path, base, work, t, record.then_some(&mut *inputs));
                let first =
                    (0..=horizon).find(|&m| t.get(Series::Headcount, m) >= target.headcount);
                let values = if record {
                    inputs.values.clone()
                } else {
                    Vec::new()
                };
                (o, first, t.get(Series::Headcount, target.month), values)
            },
        )
        .collect();
    let mut firsts: Vec<u32> = rows.iter().filter_map(|r| r.1).collect();
    firsts.sort_unstable();
    let half = n.div_ceil(2) as usize;
    let half_month = (firsts.len() >= half).then(|| firsts[half - 1]);
    let mut heads: Vec<u32> = rows.iter().map(|r| r.2).collect();
    heads.sort_unstable();
    let median = heads[(quantile_rank(n, 50) - 1) as usize];
    let mut columns: Vec<(String, Vec<f64>)> = names
        .into_iter()
        .map(|name| (name, Vec::with_capacity(n as usize)))
        .collect();
    for row in &rows {
        // A path draws the same inputs in the same order: the names line up.
        for (column, v) in columns
            .iter_mut()
            .zip(row.3.iter().chain(std::iter::repeat(&f64::NAN)).take(width))
        {
            column.1.push(*v);
        }
    }
    let outcomes = rows.drain(..).map(|r| r.0).collect();
    (outcomes, half_month, median, columns)
}

/// The value of information of the decision among the confirmed packages on
/// the jobs frontier (within the budget, when one is given).
fn information(
    value_per_job: f64,
    base_columns: Vec<(String, Vec<f64>)>,
    options: &[&OptionPaths],
) -> Information {
    let net_benefit: Vec<Vec<f64>> = options
        .iter()
        .map(|o| {
            o.outcomes
                .iter()
                .map(|p| value_per_job * p.gain as f64 - o.fixed_cost - p.variable_cost as f64)
                .collect()
        })
        .collect();
    // The inputs: the base's, then any a package draws under its own
    // distribution (the same stream, so another column of the same input).
    let mut inputs: Vec<InputColumns> = Vec::new();
    let mut add = |name: &str, column: &[f64]| match inputs.iter_mut().find(|i| i.name == name) {
        // A column in the same order as one already kept (the same draw
        // scaled by a relative change) tells nothing more: kept once, the
        // regression has no collinear terms.
        Some(input) => {
            let order = value_of_information::ranks(column);
            if !input
                .columns
                .iter()
                .any(|c| value_of_information::ranks(c) == order)
            {
                input.columns.push(column.to_vec());
            }
        }
        None => inputs.push(InputColumns {
            name: name.to_string(),
            columns: vec![column.to_vec()],
        }),
    };
    let base_names: Vec<String> = base_columns.iter().map(|(name, _)| name.clone()).collect();
    for (name, column) in base_columns {
        add(&name, &column);
    }
    for o in options {
        for (name, column) in &o.inputs {
            add(name, column);
        }
    }
    let singles: Vec<InformationValue> = (0..inputs.len())
        .into_par_iter()
        .map(|i| value_of_information::evppi(&inputs[i].name, &inputs, &[i], &net_benefit))
        .collect();
    let mut singles = singles;
    singles.sort_by(|a, b| {
        b.value_mad
            .total_cmp(&a.value_mad)
            .then(a.name.cmp(&b.name))
    });
    let all: Vec<usize> = (0..inputs.len()).collect();
    let group = |label: &str, keep: &dyn Fn(&InputColumns) -> bool| {
        let members: Vec<usize> = all.iter().copied().filter(|&i| keep(&inputs[i])).collect();
        (!members.is_empty())
            .then(|| value_of_information::evppi(label, &inputs, &members, &net_benefit))
    };
    let demand = |i: &InputColumns| {
        ["firm[", "arrivals.", "closure.", "expansion."]
            .iter()
            .any(|p| i.name.starts_with(p))
    };
    let mut groups: Vec<InformationValue> = [
        group("demand", &|i| demand(i)),
        group("labour", &|i| !demand(i)),
        // The measures' own effects: inputs an option draws under its own
        // distribution, or that only options draw.
        group("measures", &|i| {
            i.columns.len() > 1 || !base_names.contains(&i.name)
        }),
    ]
    .into_iter()
    .flatten()
    .collect();
    groups.sort_by(|a, b| {
        b.value_mad
            .total_cmp(&a.value_mad)
            .then(a.name.cmp(&b.name))
    });
    let evpi = value_of_information::evppi("all", &inputs, &all, &net_benefit);
    let chosen_now = value_of_information::best_now(&net_benefit).map(|d| options[d].package);
    Information {
        value_per_job,
        options: options.iter().map(|o| o.package).collect(),
        chosen_now,
        evpi,
        inputs: singles,
        groups,
    }
}

/// The base's uncertain inputs on every path, by name.
fn base_inputs(base: &Scenario, seed: u64, n: u64) -> Vec<(String, Vec<f64>)> {
    let names = crate::core::model::input_names(base);
    let rows: Vec<Vec<f64>> = (0..n)
        .into_par_iter()
        .map_init(
            || {
                (
                    Workspace::default(),
                    Trajectory::new(base.meta.horizon_months),
                    Inputs::new(false),
                )
            },
            |(work, t, inputs), path| {
                simulate_path_with_inputs(base, seed, path, work, t, inputs);
                inputs.values.clone()
            },
        )
        .collect();
    names
        .into_iter()
        .enumerate()
        .map(|(j, name)| {
            (
                name,
                rows.iter()
                    .map(|r| r.get(j).copied().unwrap_or(f64::NAN))
                    .collect(),
            )
        })
        .collect()
}
