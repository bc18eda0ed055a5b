//! Findings: what the simulation says, computed from the paths, below both
//! the text module (which words them) and the report and the CLI (which place
//! them).
//!
//! The binding constraint is measured, not guessed: the scenario is run again,
//! on common random numbers, with labour unlimited (every vacancy finds a
//! qualified candidate), with twice the seats at every site (demand relaxed),
//! and with both. Each counterfactual is a transformation of the validated
//! [`Scenario`], as a policy is; the monthly step is untouched. What each
//! relaxation adds to the headcount at the target month, path by path, decides
//! the verdict ([`BindingKind::classify`]).
//!
//! A comparison's answer ([`CompareAnswer`]) names the option that buys the
//! most jobs per dirham, the one that adds the most jobs, and the one most
//! likely to reach the target when any is.

use serde::Serialize;

use crate::analysis::compare::{Comparison, OptionResult, difference};
use crate::core::dist::Param;
use crate::core::engine::fold_paths;
use crate::core::model::{SEAT_CEILING, Series, Trajectory, Workspace, simulate_path};
use crate::core::scenario::Scenario;

/// How much larger every site is in the "demand relaxed" counterfactual.
pub const SEAT_FACTOR: f64 = 2.0;

/// A relaxation adding less than this share of the base headcount is no gain.
const NEGLIGIBLE: f64 = 0.02;

/// Which constraint holds the headcount back at the target month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BindingKind {
    /// Filling every vacancy yields most of what relaxing both would.
    Labour,
    /// Twice the seats yields most of what relaxing both would.
    Demand,
    /// Neither alone yields most of the joint gain: the two bind together.
    Both,
    /// Relaxing both adds almost nothing: the pace of ramp-ups sets headcount.
    Neither,
}

impl BindingKind {
    /// The verdict from the mean jobs added at the target month by relaxing
    /// labour, demand and both, the base's mean headcount then, and the target.
    ///
    /// A gain below 2% of the base headcount is negligible. Neither binds when
    /// every gain is negligible. One constraint binds now when relaxing it adds
    /// at least twice what relaxing the other does; otherwise the two bind
    /// together. What reaching the target would take is told apart
    /// ([`other_binds_next`]): a constraint that binds now is named, even when
    /// the other would bind next.
    pub fn classify(
        labour: &Relaxation,
        demand: &Relaxation,
        both: &Relaxation,
        base_mean: f64,
    ) -> BindingKind {
        let negligible = NEGLIGIBLE * base_mean.max(1.0);
        let (l, d, ld) = (labour.added_jobs, demand.added_jobs, both.added_jobs);
        if l.max(d).max(ld) <= negligible {
            BindingKind::Neither
        } else if l > negligible && l >= 2.0 * d.max(0.0) {
            BindingKind::Labour
        } else if d > negligible && d >= 2.0 * l.max(0.0) {
            BindingKind::Demand
        } else {
            BindingKind::Both
        }
    }
}

/// Whether, when one constraint binds now (`verdict` is labour or demand),
/// relaxing it alone leaves the mean below the target and relaxing the other as
/// well adds at least half as much again: the other binds next, and reaching
/// the target needs both.
pub fn other_binds_next(
    verdict: BindingKind,
    labour: &Relaxation,
    demand: &Relaxation,
    both: &Relaxation,
    base_mean: f64,
    target: f64,
) -> bool {
    let alone = match verdict {
        BindingKind::Labour => labour,
        BindingKind::Demand => demand,
        BindingKind::Both | BindingKind::Neither => return false,
    };
    let negligible = NEGLIGIBLE * base_mean.max(1.0);
    let next = both.added_jobs - alone.added_jobs;
    alone.mean_headcount < target && next >= (0.5 * alone.added_jobs).max(negligible)
}

impl BindingKind {}

/// One counterfactual against the base, at the target month.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Relaxation {
    /// Mean jobs added at the target month (paired per-path difference).
    pub added_jobs: f64,
    /// Lower end of its 95% interval.
    pub ci95_low: f64,
    /// Upper end of its 95% interval.
    pub ci95_high: f64,
    /// Mean headcount at the target month with the relaxation.
    pub mean_headcount: f64,
    /// Share of paths at or above the target at the target month.
    pub p_target: f64,
}

/// The binding constraint, with the figures behind it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Binding {
    /// What binds now.
    pub verdict: BindingKind,
    /// When one constraint binds now: relaxing it alone falls short of the
    /// target and the other then binds, so reaching the target needs both.
    pub other_binds_next: bool,
    /// Mean headcount of the base at the target month.
    pub base_mean_headcount: f64,
    /// Every vacancy filled: an unlimited qualified pool that takes every offer.
    pub labour_unlimited: Relaxation,
    /// Every site, announced or yet to come, with [`SEAT_FACTOR`] times its seats.
    pub seats_doubled: Relaxation,
    /// Both at once.
    pub both: Relaxation,
    /// Paths simulated for each counterfactual.
    pub paths: u64,
}

/// The scenario with labour unlimited: a qualified pool too large to run dry
/// (held at the seat ceiling), every member of which takes an offer each month.
/// Hires then equal what firms can absorb (their vacancies, within their ramp).
pub fn labour_unlimited(scenario: &Scenario) -> Scenario {
    let mut s = scenario.clone();
    s.labour.initial_pool = Param::fixed(f64::from(SEAT_CEILING)).whole();
    s.labour.uptake_monthly = Param::fixed(1.0);
    // Nobody leaves it: with exits, a long horizon would drain even a pool
    // this large (and drawing them cost more than the rest of the month).
    s.labour.pool_exit_monthly = Param::fixed(0.0);
    s
}

/// The scenario with every site's seats, and every unannounced arrival's,
/// multiplied by `factor`. Firms ramp up over the same months, so they also hire
/// `factor` times faster, as `factor` times as many sites would (a milestone
/// plan's headcounts scale too).
pub fn seats_scaled(scenario: &Scenario, factor: f64) -> Scenario {
    let mut s = scenario.clone();
    for f in &mut s.firms {
        f.seats = f.seats.scaled(factor);
        // A stated plan ramps to its seats: its milestones scale with them.
        for m in &mut f.ramp {
            m.headcount = (f64::from(m.headcount) * factor).round() as u32;
        }
    }
    s.arrivals.seats = s.arrivals.seats.scaled(factor);
    s
}

/// The four scenarios of the binding-constraint measurement: base, labour
/// unlimited, seats doubled, both.
pub fn binding_scenarios(scenario: &Scenario) -> [Scenario; 4] {
    let labour = labour_unlimited(scenario);
    let both = seats_scaled(&labour, SEAT_FACTOR);
    [
        scenario.clone(),
        labour,
        seats_scaled(scenario, SEAT_FACTOR),
        both,
    ]
}

/// Integer sums over paths of one binding scenario at the target month.
#[derive(Clone, Copy, Debug, Default)]
struct AtTarget {
    headcount: u64,
    reached: u64,
    /// Jobs added over the base, path by path, and their squares.
    gain: i128,
    gain_sq: i128,
}

impl AtTarget {
    fn merge(mut self, o: AtTarget) -> AtTarget {
        self.headcount += o.headcount;
        self.reached += o.reached;
        self.gain += o.gain;
        self.gain_sq += o.gain_sq;
        self
    }

    /// The relaxation these sums describe, over `paths` paths.
    fn relaxation(&self, paths: u64) -> Relaxation {
        // The unpaired variance is not reported here: 0 stands in for it.
        let gain = difference(self.gain, self.gain_sq, 0.0, paths);
        Relaxation {
            added_jobs: gain.mean,
            ci95_low: gain.ci95_low,
            ci95_high: gain.ci95_high,
            mean_headcount: self.headcount as f64 / paths as f64,
            p_target: self.reached as f64 / paths as f64,
        }
    }
}

/// Measures the binding constraint of a run of `scenario` with `paths` paths
/// from `seed`, on its first [`verdict_paths`] paths,
/// on the current rayon pool (bit-identical for any thread count).
///
/// Each path of the four [`binding_scenarios`] is simulated on common random
/// numbers, only as far as the target month, and only its headcount then is
/// kept: the verdict needs no more. `base` gives the base's headcounts at the
/// target month of those paths when the run has them
/// ([`Summary::target_headcounts`](crate::core::stats::Summary)): then only the
/// three counterfactuals are simulated.
pub fn binding_constraint(
    scenario: &Scenario,
    paths: u64,
    seed: u64,
    base: Option<&[u32]>,
    progress: &(dyn Fn(u64) + Sync),
) -> Binding {
    let scenarios = binding_scenarios(scenario);
    let target = scenario.target;
    let paths = verdict_paths(paths);
    if let Some(base) = base {
        assert_eq!(base.len() as u64, paths, "one base headcount per path");
    }
    let fresh = || {
        (
            [AtTarget::default(); 4],
            Workspace::default(),
            Trajectory::new(target.month),
        )
    };
    let (sums, _, _) = fold_paths(
        paths,
        progress,
        fresh,
        |(sums, work, trajectory), path| {
            let mut base_headcount = 0;
            for (i, (s, sums)) in scenarios.iter().zip(sums.iter_mut()).enumerate() {
                let headcount = match base {
                    Some(base) if i == 0 => base[path as usize],
                    _ => {
                        simulate_path(s, seed, path, work, trajectory);
                        trajectory.get(Series::Headcount, target.month)
                    }
                };
                if i == 0 {
                    base_headcount = headcount;
                }
                let gain = i128::from(headcount) - i128::from(base_headcount);
                sums.headcount += u64::from(headcount);
                sums.reached += u64::from(headcount >= target.headcount);
                sums.gain += gain;
                sums.gain_sq += gain * gain;
            }
        },
        |(a, work, trajectory), (b, _, _)| {
            ([0, 1, 2, 3].map(|i| a[i].merge(b[i])), work, trajectory)
        },
    );
    let [base, labour, seats, both] = sums.map(|s| s.relaxation(paths));
    let verdict = BindingKind::classify(&labour, &seats, &both, base.mean_headcount);
    Binding {
        verdict,
        other_binds_next: other_binds_next(
            verdict,
            &labour,
            &seats,
            &both,
            base.mean_headcount,
            f64::from(target.headcount),
        ),
        base_mean_headcount: base.mean_headcount,
        labour_unlimited: labour,
        seats_doubled: seats,
        both,
        paths,
    }
}

/// The verdict is measured on at most this many paths (the first ones of the
/// run): its three counterfactual runs then cost a bounded amount whatever
/// the run's size, and a sharded run's merge measures it in seconds.
pub const VERDICT_PATHS: u64 = 20_000;

/// The paths the verdict of a run of `paths` paths is measured on.
pub fn verdict_paths(paths: u64) -> u64 {
    paths.min(VERDICT_PATHS)
}

/// An option "reaches the target" in this report's sense from this share of
/// paths up: below it, naming the most likely option would mislead.
pub const LIKELY_FLOOR: f64 = 0.01;

/// Jobs an option adds at the target month per million MAD it costs by then.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct JobsPerMillion {
    /// Mean jobs added over the expected cost, per million MAD.
    pub estimate: f64,
    /// The 95% interval of the jobs added over the same cost: the interval
    /// carries the uncertainty of the gain, the cost taken as its expected value.
    pub ci95_low: f64,
    /// Upper end.
    pub ci95_high: f64,
}

impl JobsPerMillion {
    /// The jobs per million MAD of `option`; `None` for an option that costs
    /// nothing (its cost is not given) or adds no jobs on average.
    pub fn of(option: &OptionResult) -> Option<JobsPerMillion> {
        let (cost, gain) = (option.cost_to_target, option.headcount_diff);
        (cost > 0.0 && gain.mean > 0.0).then(|| {
            let per = |jobs: f64| jobs / cost * 1e6;
            JobsPerMillion {
                estimate: per(gain.mean),
                ci95_low: per(gain.ci95_low),
                ci95_high: per(gain.ci95_high),
            }
        })
    }
}

/// What a comparison answers, as option indices (0 is the base).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CompareAnswer {
    /// The option adding most jobs per million MAD, among options with a cost
    /// and a mean gain.
    pub most_jobs_per_mad: Option<usize>,
    /// The option adding most jobs at the target month, when one adds any.
    pub most_jobs: Option<usize>,
    /// The option most likely to reach the target, when one reaches it on at
    /// least [`LIKELY_FLOOR`] of the paths.
    pub most_likely: Option<usize>,
}

impl CompareAnswer {
    /// Reads the answer off a comparison. Ties go to the earlier option.
    pub fn of(c: &Comparison) -> CompareAnswer {
        let best = |key: &dyn Fn(&OptionResult) -> Option<f64>, from: usize| {
            c.options
                .iter()
                .enumerate()
                .skip(from)
                .filter_map(|(i, o)| key(o).map(|v| (i, v)))
                .fold(None, |best: Option<(usize, f64)>, (i, v)| match best {
                    Some((_, b)) if b >= v => best,
                    _ => Some((i, v)),
                })
                .map(|(i, _)| i)
        };
        CompareAnswer {
            most_jobs_per_mad: best(&|o| JobsPerMillion::of(o).map(|j| j.estimate), 1),
            most_jobs: best(
                &|o| (o.headcount_diff.mean > 0.0).then_some(o.headcount_diff.mean),
                1,
            ),
            most_likely: best(
                &|o| {
                    let p = o.summary.p_target.estimate;
                    (p >= LIKELY_FLOOR).then_some(p)
                },
                0,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::compare::{CompareOptions, compare};
    use crate::input::oujda::{OUJDA, OUJDA_JULY_2020};
    use crate::input::policy::Policy;

    /// A relaxation adding `added` jobs to a base mean of 2,000.
    fn gain(added: f64) -> Relaxation {
        Relaxation {
            added_jobs: added,
            ci95_low: added - 10.0,
            ci95_high: added + 10.0,
            mean_headcount: 2000.0 + added,
            p_target: 0.0,
        }
    }

    #[test]
    fn the_verdict_follows_the_sizes_of_the_gains() {
        let verdict = |l, d, ld, target| {
            let (l, d, ld) = (gain(l), gain(d), gain(ld));
            let kind = BindingKind::classify(&l, &d, &ld, 2000.0);
            (kind, other_binds_next(kind, &l, &d, &ld, 2000.0, target))
        };
        // Labour alone adds far more, and reaches the target: labour binds, even
        // though more seats would then add more still.
        assert_eq!(
            verdict(900.0, 50.0, 2000.0, 2500.0),
            (BindingKind::Labour, false)
        );
        assert_eq!(
            verdict(40.0, 800.0, 850.0, 5000.0),
            (BindingKind::Demand, false)
        );
        // Labour binds now, but alone falls short of the target, and seats then
        // add much more: labour is named, and the target needs both.
        assert_eq!(
            verdict(1000.0, 150.0, 3000.0, 5000.0),
            (BindingKind::Labour, true)
        );
        // The new region of the review: candidates add 5 jobs, seats 203, both
        // 400, far from the target: demand binds now (not "both").
        assert_eq!(
            verdict(5.0, 203.0, 400.0, 5000.0),
            (BindingKind::Demand, true)
        );
        // Similar gains: together.
        assert_eq!(
            verdict(600.0, 400.0, 1000.0, 5000.0),
            (BindingKind::Both, false)
        );
        // Each alone negligible, together large: co-limited.
        assert_eq!(
            verdict(10.0, 20.0, 900.0, 5000.0),
            (BindingKind::Both, false)
        );
        assert_eq!(
            verdict(10.0, 5.0, 30.0, 5000.0),
            (BindingKind::Neither, false)
        );
    }

    #[test]
    fn counterfactuals_change_only_what_they_relax() {
        let s = Scenario::from_toml_str(OUJDA, "oujda.toml").unwrap();
        let l = labour_unlimited(&s);
        assert_eq!(l.labour.uptake_monthly.support(), (1.0, 1.0));
        assert_eq!(l.labour.pool_exit_monthly.support(), (0.0, 0.0));
        let intelcia = s.firms.iter().position(|f| &*f.name == "Intelcia").unwrap();
        assert_eq!(
            l.firms[intelcia].seats.support(),
            s.firms[intelcia].seats.support()
        );
        let d = seats_scaled(&s, 2.0);
        assert_eq!(d.firms[intelcia].seats.support(), (1600.0, 1600.0));
        let planned = |s: &Scenario| {
            s.firms[intelcia]
                .ramp
                .iter()
                .map(|m| m.headcount)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            planned(&d),
            planned(&s).iter().map(|h| 2 * h).collect::<Vec<_>>()
        );
        assert_eq!(d.arrivals.seats.support(), (100.0, 4000.0));
        assert_eq!(
            d.labour.initial_pool.support(),
            s.labour.initial_pool.support()
        );
    }

    /// A small scenario where firms plan `seats` seats and the pool holds `pool`
    /// candidates with few graduates: `seats` large and `pool` small make labour
    /// short, the reverse makes seats short.
    fn tiny(seats: u32, pool: u32) -> Scenario {
        let text = format!(
            r#"
[scenario]
name = "tiny"
start = "2020-01"
horizon_months = 24
[target]
headcount = 1000
month = 24
[simulation]
paths = 400
seed = 1
[[firm]]
name = "A"
group = "existing"
seats = {seats}
headcount = 100
opens_month = 0
ramp_months = 6
[arrivals]
firms_per_year = 0
[labour]
initial_pool = {pool}
graduates_per_year = 100
qualified_share = 0.5
"#
        );
        Scenario::from_toml_str(&text, "tiny.toml").unwrap()
    }

    #[test]
    fn scarce_candidates_bind_labour_and_scarce_seats_bind_demand() {
        let none = |_| {};
        // 2,000 seats, 300 candidates: filling vacancies adds many jobs, more
        // seats add none (the pool is already emptied).
        let b = binding_constraint(&tiny(2000, 300), 400, 1, None, &none);
        assert_eq!(b.verdict, BindingKind::Labour, "{b:?}");
        assert!(b.labour_unlimited.ci95_low > 0.0);
        // 300 seats, 20,000 candidates: seats bind.
        let b = binding_constraint(&tiny(300, 20_000), 400, 1, None, &none);
        assert_eq!(b.verdict, BindingKind::Demand, "{b:?}");
        assert!(b.seats_doubled.ci95_low > 0.0);
    }

    /// The verdict's own sums give the figures a full comparison of the four
    /// scenarios gives, to the bit.
    #[test]
    fn the_measurement_agrees_with_a_full_comparison() {
        for s in [tiny(2000, 300), tiny(1000, 800)] {
            let measured = binding_constraint(&s, 500, 3, None, &|_| {});
            let options = binding_scenarios(&s).map(|s| Policy::base(s, "option"));
            let settings = CompareOptions {
                paths: 500,
                seed: 3,
                independent_streams: false,
            };
            let c = compare(&options, settings, 0, &|_| {});
            let month = s.target.month;
            let o = &c.options;
            let relaxation = |i: usize| Relaxation {
                added_jobs: o[i].headcount_diff.mean,
                ci95_low: o[i].headcount_diff.ci95_low,
                ci95_high: o[i].headcount_diff.ci95_high,
                mean_headcount: o[i].summary.mean(Series::Headcount, month),
                p_target: o[i].summary.p_target.estimate,
            };
            assert_eq!(measured.labour_unlimited, relaxation(1));
            assert_eq!(measured.seats_doubled, relaxation(2));
            assert_eq!(measured.both, relaxation(3));
            assert_eq!(
                measured.base_mean_headcount,
                o[0].summary.mean(Series::Headcount, month)
            );
        }
    }

    /// Pairing the counterfactuals with a run's own headcounts gives what
    /// simulating the base again gives.
    #[test]
    fn the_measurement_reuses_the_runs_own_paths() {
        use crate::core::engine::{RunOptions, run};
        let s = tiny(1000, 800);
        let options = RunOptions {
            paths: 700,
            seed: 5,
            sample_paths: 0,
            target_paths: verdict_paths(700),
        };
        let result = run(&s, options, &|_| {});
        let base = &result.summary.target_headcounts;
        assert_eq!(base.len(), 700);
        assert_eq!(
            binding_constraint(&s, 700, 5, Some(base), &|_| {}),
            binding_constraint(&s, 700, 5, None, &|_| {})
        );
    }

    #[test]
    fn the_measurement_does_not_depend_on_the_thread_count() {
        let s = tiny(1000, 800);
        let on = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| binding_constraint(&s, 3000, 9, None, &|_| {}))
        };
        assert_eq!(on(1), on(2));
    }

    #[test]
    fn the_comparison_answer_names_value_jobs_and_chance() {
        // The July 2020 case, where no option reaches 5,000 on 1% of the paths.
        let (base, policies) =
            crate::input::policy::load_with_policies(OUJDA_JULY_2020, "oujda").unwrap();
        let mut options = vec![Policy::base(base.clone(), "Base case")];
        options.extend(policies);
        let settings = CompareOptions {
            paths: 300,
            seed: 3,
            independent_streams: false,
        };
        let mut c = compare(&options, settings, 0, &|_| {});
        let answer = CompareAnswer::of(&c);
        let value = |i: usize| JobsPerMillion::of(&c.options[i]).map(|j| j.estimate);
        let best = answer.most_jobs_per_mad.unwrap();
        for i in 1..c.options.len() {
            assert!(value(i).unwrap_or(0.0) <= value(best).unwrap(), "{i}");
            assert!(
                c.options[i].headcount_diff.mean
                    <= c.options[answer.most_jobs.unwrap()].headcount_diff.mean
            );
        }
        // At 5,000 jobs nothing reaches the target in 1% of the paths.
        assert_eq!(answer.most_likely, None);
        c.options[2].summary.p_target.estimate = 0.5;
        assert_eq!(CompareAnswer::of(&c).most_likely, Some(2));
        // A free option has no jobs per dirham, however many jobs it adds.
        c.options[best].cost_to_target = 0.0;
        assert_ne!(CompareAnswer::of(&c).most_jobs_per_mad, Some(best));
        let j = JobsPerMillion::of(&c.options[answer.most_jobs.unwrap()]);
        if let Some(j) = j {
            assert!(j.ci95_low < j.estimate && j.estimate < j.ci95_high);
        }
    }
}
