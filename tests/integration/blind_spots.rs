//! Tests for the defects a review planted one at a time and the suite did not
//! catch (issue 22): each builds its expectation by hand, from the model's
//! rules in docs/model.md, never from the tool's own output.

use shorecast::analysis::compare::{self, CompareOptions};
use shorecast::core::model::{Series, Trajectory, Workspace, simulate_path};
use shorecast::core::scenario::Scenario;
use shorecast::input::policy::{self, Policy};

use crate::common::scenario;

/// A deterministic sector: no attrition, closures or pool exits, every
/// candidate takes an offer, and a pool far larger than any demand.
const CERTAIN: &str = "[labour]\ninitial_pool = 1000000\nuptake_monthly = 1.0\npool_exit_monthly = 0.0\n\
     graduates_per_year = 0\n[attrition]\nhazard_new = 0.0\nhazard_settled = 0.0\nhazard_veteran = 0.0\n\
     [closure]\nmonthly_hazard = 0.0\n";

fn headcounts(s: &Scenario) -> Vec<u32> {
    let mut t = Trajectory::new(s.meta.horizon_months);
    simulate_path(s, 1, 0, &mut Workspace::default(), &mut t);
    (0..=s.meta.horizon_months)
        .map(|m| t.get(Series::Headcount, m))
        .collect()
}

#[test]
fn remote_seats_are_rounded_not_floored() {
    // Three seats opened at once, half of them remote, and every candidate
    // beyond commuting reach: only remote seats can hire. Month 1: 3 seats
    // free, round(1.5) = 2 remote (floor would give 1). Month 2: 1 free,
    // round(0.5) = 1 (floor: 0).
    let labour = CERTAIN.replace("[labour]\n", "[labour]\nreach_share = 0.0\n");
    let s = scenario(
        3,
        &format!(
            "[[firm]]\nname = \"A\"\nseats = 3\nheadcount = 0\nramp_months = 1\nremote_share = 0.5\n{labour}"
        ),
    );
    assert_eq!(headcounts(&s)[..3], [0, 2, 3]);
}

#[test]
fn an_expansion_raises_the_linear_hiring_cap() {
    // 100 seats ramped over 10 months: 10 hires a month, full at month 10,
    // when the site (95% full, expanding with certainty) doubles to 200
    // seats. Its monthly cap becomes 200 / 10 = 20: 120 at month 11, 200 at
    // month 15 (a cap left at 10 would give 110 and 150).
    let s = scenario(
        16,
        &format!(
            "[[firm]]\nname = \"A\"\nseats = 100\nheadcount = 0\nramp_months = 10\n{CERTAIN}\
             [expansion]\nmonthly_probability = 1.0\ngrowth = 1.0\n"
        ),
    );
    let h = headcounts(&s);
    assert_eq!(h[10], 100);
    assert_eq!(h[11], 120);
    assert_eq!(h[15], 200);
}

#[test]
fn per_hire_and_per_job_costs_count_from_the_policy_start() {
    // A policy from month 6 that changes nothing but costs 1,000 MAD per hire
    // and 10,000 per job created: its hires and jobs are the base's, counted
    // by hand from the simulated paths over months 6..=12 only.
    let text = "[scenario]\nname = \"t\"\nstart = \"2020-01\"\nhorizon_months = 14\n\
        [target]\nheadcount = 100000\nmonth = 12\n\
        [[firm]]\nname = \"A\"\nseats = 400\nheadcount = 50\nramp_months = 12\n\
        [labour]\ninitial_pool = { dist = \"uniform\", min = 100, max = 400 }\n\
        [[policy]]\nname = \"Costed\"\nstart_month = 6\ncost_mad_per_hire = 1000\n\
        cost_mad_per_job_at_target = 10000\nset.labour.pool_exit_monthly = 0.0\n";
    let (base, policies) = policy::load_with_policies(text, "t.toml").unwrap();
    let options = vec![Policy::base(base.clone(), "Base"), policies[0].clone()];
    let paths = 200;
    let settings = CompareOptions {
        paths,
        seed: 4,
        independent_streams: false,
    };
    let c = compare::compare(&options, settings, 0, &|_| {});
    let (mut hires, mut jobs) = (0u64, 0u64);
    let scenario = &options[1].scenario;
    for path in 0..paths {
        let mut t = Trajectory::new(14);
        simulate_path(scenario, 4, path, &mut Workspace::default(), &mut t);
        hires += (6..=12)
            .map(|m| u64::from(t.get(Series::Hires, m)))
            .sum::<u64>();
        let (start, end) = (t.get(Series::Headcount, 6), t.get(Series::Headcount, 12));
        jobs += u64::from(end.saturating_sub(start));
    }
    let (mean_hires, mean_jobs) = (hires as f64 / paths as f64, jobs as f64 / paths as f64);
    // Hires before month 6 exist, so counting from month 0 would differ.
    assert!(mean_hires > 0.0 && mean_jobs > 0.0);
    let o = &c.options[1];
    assert!((o.mean_hires_to_target - mean_hires).abs() < 1e-9, "{o:?}");
    assert!((o.mean_jobs_created - mean_jobs).abs() < 1e-9);
    let expected = 1000.0 * mean_hires + 10_000.0 * mean_jobs;
    assert!((o.cost_to_target - expected).abs() < 1e-6 * expected);
}

#[test]
fn a_package_costs_from_each_lever_start() {
    // Transport alone in the levers test file: 3,000,000 MAD a year from
    // month 2 to the target month 18 (16 months), and 1,000 MAD per job the
    // sector gains from month 2 to month 18, counted by hand on every path.
    let text = std::fs::read_to_string(crate::common::data("valid/levers.toml")).unwrap();
    let levers = policy::load_file(&text, "levers.toml")
        .unwrap()
        .levers
        .unwrap();
    let paths = 300;
    let settings = shorecast::analysis::plan::PlanSettings {
        paths,
        seed: 8,
        first_round_paths: paths,
        budget_per_year: None,
        probability: 0.5,
        value_per_job: None,
    };
    let p = shorecast::analysis::plan::plan(&levers, &None, settings, &|_| {}).unwrap();
    let package = [0, 0, 1, 0];
    let r = p.packages.iter().find(|r| r.levels == package).unwrap();
    let scenario = levers.scenario(&package).unwrap();
    let mut jobs = 0u64;
    for path in 0..paths {
        let mut t = Trajectory::new(scenario.meta.horizon_months);
        simulate_path(&scenario, 8, path, &mut Workspace::default(), &mut t);
        let (start, end) = (t.get(Series::Headcount, 2), t.get(Series::Headcount, 18));
        jobs += u64::from(end.saturating_sub(start));
    }
    let expected = 3_000_000.0 * 16.0 / 12.0 + 1000.0 * jobs as f64 / paths as f64;
    // Per-path costs are kept in whole MAD: within half a MAD.
    assert!(
        (r.cost - expected).abs() <= 0.5,
        "{} against {expected}",
        r.cost
    );
    assert!((r.cost_per_year - expected / (16.0 / 12.0)).abs() <= 0.5);
}

#[test]
fn a_relative_change_scales_each_path_s_own_value() {
    // "15% fewer quits": the policy's attrition multiplier is, on every path,
    // the base's own draw times 0.85; a factor that takes a share past 1 and
    // an unknown input are refused, naming the key.
    use shorecast::core::model::{Inputs, simulate_path_with_inputs};
    let body = "[[firm]]\nname = \"A\"\nseats = 300\nheadcount = 50\nramp_months = 12\n\
        [attrition]\nmultiplier = { dist = \"uniform\", min = 0.8, max = 1.2 }\n";
    let text = format!(
        "[scenario]\nname = \"t\"\nstart = \"2020-01\"\nhorizon_months = 12\n[target]\nheadcount = 1000\nmonth = 12\n\
         {body}[[policy]]\nname = \"Fewer quits\"\nset.scale = {{ \"attrition.multiplier\" = 0.85 }}\n"
    );
    let (base, policies) = policy::load_with_policies(&text, "t.toml").unwrap();
    let value = |s: &Scenario, path: u64| {
        let mut inputs = Inputs::new(true);
        let mut t = Trajectory::new(12);
        simulate_path_with_inputs(s, 3, path, &mut Workspace::default(), &mut t, &mut inputs);
        let i = inputs
            .names
            .iter()
            .position(|n| n == "attrition.multiplier")
            .unwrap();
        inputs.values[i]
    };
    for path in 0..20 {
        let (b, p) = (value(&base, path), value(&policies[0].scenario, path));
        assert!(
            (p - 0.85 * b).abs() < 1e-12,
            "path {path}: {p} against 0.85 x {b}"
        );
    }
    let refused = |scale: &str| {
        let text = text.replace("\"attrition.multiplier\" = 0.85", scale);
        policy::load_with_policies(&text, "t.toml")
            .unwrap_err()
            .to_string()
    };
    let shown = refused("\"labour.reach_share\" = 2.0");
    assert!(
        shown.contains("scale.labour.reach_share") && shown.contains("out of its range"),
        "{shown}"
    );
    let shown = refused("\"labour.reach\" = 0.9");
    assert!(shown.contains("is not an input shorecast draws"), "{shown}");
    let shown = refused("\"attrition.multiplier\" = -1");
    assert!(shown.contains("must be a factor above 0"), "{shown}");
}
