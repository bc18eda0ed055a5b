//! The model's structural rules (docs/model.md): sites that close one by one,
//! milestone ramps, policies with a start month, the training lag, one
//! catchment for every source of candidates, and remote seats.

use crate::common::{binomial_pmf, scenario};
use shorecast::core::model::{Series, Trajectory, Workspace, simulate_path};
use shorecast::core::scenario::Scenario;
use shorecast::input::oujda::OUJDA;
use shorecast::input::policy::load_with_policies;

/// Every path's trajectory.
fn simulate(s: &Scenario, seed: u64, paths: u64) -> Vec<Trajectory> {
    let mut work = Workspace::default();
    (0..paths)
        .map(|path| {
            let mut t = Trajectory::new(s.meta.horizon_months);
            simulate_path(s, seed, path, &mut work, &mut t);
            t
        })
        .collect()
}

/// Labour that never binds and no attrition-free shortcut: a huge pool that
/// takes every offer, no arrivals, no expansions.
const PLENTIFUL: &str = "[arrivals]\nfirms_per_year = 0\n\
    [labour]\ninitial_pool = 10000000\ngraduates_per_year = 0\npool_exit_monthly = 0\nuptake_monthly = 1\n\
    [expansion]\nmonthly_probability = 0\n";

#[test]
fn closed_sites_follow_the_binomial_law() {
    // One entry standing for 20 sites, each closing with hazard 0.02 a month.
    let (n, h) = (20u32, 0.02f64);
    let s = scenario(
        36,
        &format!(
            "[[firm]]\nname = \"Group\"\nseats = 2000\nheadcount = 1003\nramp_months = 12\nsites = {n}\n\
             [closure]\nmonthly_hazard = {h}\n{PLENTIFUL}"
        ),
    );
    let paths = 20_000u64;
    let runs = simulate(&s, 3, paths);
    // Month 0: seats and headcount are split, not multiplied.
    assert_eq!(runs[0].get(Series::Seats, 0), 2000);
    assert_eq!(runs[0].get(Series::Headcount, 0), 1003);
    assert_eq!(runs[0].get(Series::Firms, 0), n);
    for t in [6u32, 18, 36] {
        let p = 1.0 - (1.0 - h).powi(t as i32);
        let mut counts = vec![0u64; n as usize + 1];
        for r in &runs {
            counts[(n - r.get(Series::Firms, t)) as usize] += 1;
        }
        // Each frequency is a mean of `paths` Bernoulli(pmf) indicators: its
        // standard error is sqrt(pmf (1 - pmf) / paths). Four standard errors
        // (plus 1/paths for the discreteness of a count) fail a correct engine
        // with probability about 6e-5 per cell; the 63 cells together about 0.4%.
        for (k, &count) in counts.iter().enumerate() {
            let pmf = binomial_pmf(n, p, k as u32);
            let freq = count as f64 / paths as f64;
            let tolerance = 4.0 * (pmf * (1.0 - pmf) / paths as f64).sqrt() + 1.0 / paths as f64;
            assert!(
                (freq - pmf).abs() <= tolerance,
                "month {t}, {k} closed: frequency {freq:.4}, binomial {pmf:.4}"
            );
        }
    }
    // The check has power: one lumped closure (the old model) would put the
    // probability of 1 to 19 closed sites at zero.
    let p = 1.0 - (1.0 - h).powi(36);
    assert!(binomial_pmf(n, p, 10) > 0.1);
}

#[test]
fn a_milestone_ramp_reaches_each_milestone_at_its_month() {
    let s = scenario(
        42,
        &format!(
            "[[firm]]\nname = \"Planned\"\ngroup = \"announced\"\nseats = 800\nopens_month = 2\nsites = 3\n\
             ramp = [{{ month = 12, headcount = 200 }}, {{ month = 24, headcount = 400 }}, {{ month = 36, headcount = 800 }}]\n\
             [closure]\nmonthly_hazard = 0\n{PLENTIFUL}"
        ),
    );
    // Attrition is on (the defaults): hires replace leavers every month.
    for r in simulate(&s, 8, 200) {
        for (age, expected) in [
            (0, 0),
            (6, 100),
            (12, 200),
            (18, 300),
            (24, 400),
            (30, 600),
            (36, 800),
            (40, 800),
        ] {
            assert_eq!(
                r.get(Series::Headcount, 2 + age),
                expected,
                "{age} months after opening"
            );
        }
        assert!(
            r.get(Series::Leavers, 30) > 0,
            "attrition must be on for the check to mean anything"
        );
    }
}

#[test]
fn a_linear_ramp_keeps_its_meaning() {
    // 600 seats over ramp_months = 6: at most 100 hires a month, so full in month 6.
    let s = scenario(
        8,
        &format!(
            "[[firm]]\nname = \"Linear\"\nseats = 600\nramp_months = 6\n\
             [attrition]\nhazard_new = 0\nhazard_settled = 0\nhazard_veteran = 0\n\
             [closure]\nmonthly_hazard = 0\n{PLENTIFUL}"
        ),
    );
    for r in simulate(&s, 1, 20) {
        for m in 0..=8 {
            assert_eq!(r.get(Series::Headcount, m), (100 * m).min(600));
        }
    }
}

/// The Oujda file with one more policy.
fn oujda_with(policy: &str) -> (Scenario, Scenario) {
    let text = format!("{OUJDA}\n[[policy]]\nname = \"Tested\"\n{policy}");
    let (base, policies) = load_with_policies(&text, "oujda.toml").unwrap();
    let tested = policies.into_iter().find(|p| &*p.name == "Tested").unwrap();
    (base, tested.scenario)
}

#[test]
fn a_policy_leaves_every_month_before_its_start_bit_identical() {
    let (base, policy) = oujda_with(
        "start_month = 12\nset.training.per_year = 3000\nset.labour.reach_share = 0.95\n\
         set.attrition.multiplier = 0.7\nset.arrivals.rate_multiplier = 2\nset.closure.monthly_hazard = 0.01\n",
    );
    let (a, b) = (simulate(&base, 7, 400), simulate(&policy, 7, 400));
    let mut later_differs = 0;
    for (x, y) in a.iter().zip(&b) {
        for m in 0..12 {
            assert_eq!(x.values.column(m), y.values.column(m), "month {m}");
        }
        later_differs += usize::from(x.values.column(13) != y.values.column(13));
    }
    assert!(
        later_differs > 300,
        "the policy must act from month 12: {later_differs}"
    );
}

#[test]
fn trainees_join_the_pool_only_after_the_course() {
    // Training is the policy's only change, so the pool differs only once a
    // trainee has joined it.
    for (start, lag) in [(0u32, 6u32), (12, 6), (0, 0)] {
        let (base, policy) = oujda_with(&format!(
            "start_month = {start}\nset.training.per_year = 2400\nset.training.lag_months = {lag}\n"
        ));
        let first = start.max(1) + lag;
        let (a, b) = (simulate(&base, 2, 200), simulate(&policy, 2, 200));
        let mut joined = 0;
        for (x, y) in a.iter().zip(&b) {
            for m in 0..first {
                assert_eq!(
                    x.values.column(m as usize),
                    y.values.column(m as usize),
                    "start {start}, lag {lag}, month {m}"
                );
            }
            joined += usize::from(y.get(Series::Pool, first) > x.get(Series::Pool, first));
        }
        assert!(
            joined > 190,
            "start {start}, lag {lag}: trainees must join in month {first}"
        );
    }
}

/// Candidates bind hard: no graduates, no training, a pool of 2,000 of whom a
/// tenth are available a month, and a firm wanting 1,000 hires at once.
const EVERY_CANDIDATE: &str = "[[firm]]\nname = \"Hungry\"\nseats = 1000\nramp_months = 1\n\
    [arrivals]\nfirms_per_year = 0\n\
    [labour]\ninitial_pool = 2000\ngraduates_per_year = 0\npool_exit_monthly = 0\nuptake_monthly = 0.1\n\
    reach_share = REACH\n\
    [closure]\nmonthly_hazard = 0\n[expansion]\nmonthly_probability = 0\n";

fn short_of_candidates(reach: f64, applies_to: &str, remote: f64) -> Scenario {
    let body = EVERY_CANDIDATE
        .replace("REACH", &reach.to_string())
        .replace(
            "ramp_months = 1",
            &format!("ramp_months = 1\nremote_share = {remote}"),
        )
        .replace(
            "uptake_monthly = 0.1",
            &format!("uptake_monthly = 0.1\nreach_applies_to = \"{applies_to}\""),
        );
    scenario(1, &body)
}

fn mean_hires(s: &Scenario, paths: u64) -> f64 {
    simulate(s, 4, paths)
        .iter()
        .map(|t| f64::from(t.get(Series::Hires, 1)))
        .sum::<f64>()
        / paths as f64
}

#[test]
fn reach_changes_hires_without_any_graduate() {
    let paths = 4000u64;
    // Hires in month 1 are min(1000, Binomial(2000, 0.1 reach)) = the
    // binomial; its mean 200 reach has standard error
    // sqrt(2000 0.1 reach (1 - 0.1 reach) / paths) < 0.23; 4 of them: 0.9.
    for reach in [0.5, 0.9] {
        let mean = mean_hires(&short_of_candidates(reach, "all", 0.0), paths);
        assert!((mean - 200.0 * reach).abs() < 0.9, "reach {reach}: {mean}");
    }
    // A policy widening reach from 0.5 to 0.9 in month 1 brings candidates
    // already in the pool within reach: mean hires 2000 0.9 0.1 = 180.
    let mut text = "[scenario]\nname = \"t\"\nstart = \"2020-01\"\nhorizon_months = 1\n\
                    [target]\nheadcount = 100000\nmonth = 1\n"
        .to_string();
    text += &EVERY_CANDIDATE.replace("REACH", "0.5");
    text += "[[policy]]\nname = \"Hubs\"\nstart_month = 1\nset.labour.reach_share = 0.9\n";
    let (_, policies) = load_with_policies(&text, "t.toml").unwrap();
    let widened = mean_hires(&policies[0].scenario, paths);
    assert!((widened - 180.0).abs() < 0.9, "{widened}");
    // The old rule (reach on graduates only) ignores reach here.
    let old = |reach| mean_hires(&short_of_candidates(reach, "graduates", 0.0), paths);
    assert_eq!(old(0.5), old(0.9));
    assert!((old(0.5) - 200.0).abs() < 0.9);
}

#[test]
fn remote_seats_recruit_beyond_commuting_reach() {
    let paths = 4000u64;
    // Nobody within reach: only remote seats hire, from every candidate.
    assert_eq!(mean_hires(&short_of_candidates(0.0, "all", 0.0), 100), 0.0);
    let all_remote = mean_hires(&short_of_candidates(0.0, "all", 1.0), paths);
    assert!((all_remote - 200.0).abs() < 0.9, "{all_remote}");
    // Half the seats remote, reach 0.5: remote seats take the 100 candidates
    // beyond reach, every seat the 100 within reach: 200 in all.
    let half = mean_hires(&short_of_candidates(0.5, "all", 0.5), paths);
    assert!((half - 200.0).abs() < 0.9, "{half}");
}
