//! Blocks of the model isolated so that their law is known in closed form: the
//! pool under graduates, training and exits alone; arrivals as a Poisson count;
//! expansions; returns of leavers and laid-off staff; and quantiles against
//! values sorted by hand.

use crate::common::{binomial_pmf, scenario};
use shorecast::core::model::{Series, Trajectory, Workspace, simulate_path};
use shorecast::core::scenario::{Scenario, Target};
use shorecast::core::stats::Accumulator;

/// Mean and standard error of the mean of `series` at every month.
fn moments(s: &Scenario, series: Series, paths: u64) -> Vec<(f64, f64)> {
    let months = s.meta.horizon_months as usize + 1;
    let (mut sum, mut sum_sq) = (vec![0.0; months], vec![0.0; months]);
    let mut work = Workspace::default();
    let mut t = Trajectory::new(s.meta.horizon_months);
    for path in 0..paths {
        simulate_path(s, 21, path, &mut work, &mut t);
        for m in 0..months {
            let v = f64::from(t.get(series, m as u32));
            sum[m] += v;
            sum_sq[m] += v * v;
        }
    }
    let n = paths as f64;
    (0..months)
        .map(|m| {
            let mean = sum[m] / n;
            let var = (sum_sq[m] / n - mean * mean).max(0.0);
            (mean, (var / (n - 1.0)).sqrt())
        })
        .collect()
}

/// Frequencies of `series` at month `m` over `paths` paths.
fn frequencies(s: &Scenario, series: Series, m: u32, paths: u64) -> Vec<f64> {
    let mut counts: Vec<u64> = Vec::new();
    let mut work = Workspace::default();
    let mut t = Trajectory::new(s.meta.horizon_months);
    for path in 0..paths {
        simulate_path(s, 22, path, &mut work, &mut t);
        let v = t.get(series, m) as usize;
        if counts.len() <= v {
            counts.resize(v + 1, 0);
        }
        counts[v] += 1;
    }
    counts.iter().map(|&c| c as f64 / paths as f64).collect()
}

/// Checks observed frequencies against a law, cell by cell: each frequency
/// is a mean of Bernoulli(p) indicators with standard error
/// sqrt(p (1 - p) / paths); four of them (plus 1/paths for a count's
/// discreteness) fail a correct engine with probability 6e-5 per cell.
fn assert_law(observed: &[f64], law: impl Fn(usize) -> f64, paths: u64, what: &str) {
    let n = paths as f64;
    let mut covered = 0.0;
    for k in 0..observed.len().max(60) {
        let p = law(k);
        let f = observed.get(k).copied().unwrap_or(0.0);
        covered += p;
        assert!(
            (f - p).abs() <= 4.0 * (p * (1.0 - p) / n).sqrt() + 1.0 / n,
            "{what}: value {k} seen with frequency {f:.4}, law {p:.4}"
        );
    }
    assert!(covered > 0.999, "{what}: the cells checked cover the law");
}

/// Four standard errors of a mean: a correct engine fails one month with
/// probability 6e-5, any of 25-37 months with probability about 0.2%.
fn assert_means(observed: &[(f64, f64)], expected: &[f64], what: &str) {
    for (m, (&(mean, se), &e)) in observed.iter().zip(expected).enumerate() {
        assert!(
            (mean - e).abs() <= 4.0 * se + 1e-9,
            "{what}, month {m}: mean {mean:.3}, expected {e:.3}, standard error {se:.3}"
        );
    }
}

/// Nothing hires (one full site, no attrition) and nothing closes.
const QUIET_FIRM: &str = "[[firm]]\nname = \"Full\"\nseats = 10\nheadcount = 10\nramp_months = 1\n\
    [attrition]\nhazard_new = 0\nhazard_settled = 0\nhazard_veteran = 0\n\
    [closure]\nmonthly_hazard = 0\n[expansion]\nmonthly_probability = 0\n";

#[test]
fn the_pool_follows_graduates_training_and_exits() {
    // Graduates arrive in March (month 2 and 14 from January).
    let s = scenario(
        24,
        &format!(
            "{QUIET_FIRM}[arrivals]\nfirms_per_year = 0\n\
             [labour]\ninitial_pool = 1000\ngraduates_per_year = 1200\ngraduation_month = 3\n\
             qualified_share = 0.25\npool_exit_monthly = 0.05\n\
             [training]\nper_year = 120\ncompletion_rate = 0.5\n"
        ),
    );
    // E[pool_m] = (1 - exit) (E[pool_{m-1}] + graduates q [March] + 10 c).
    let mut expected = vec![1000.0];
    for m in 1..=24 {
        let graduates = if m % 12 == 2 { 1200.0 * 0.25 } else { 0.0 };
        expected.push(0.95 * (expected[m - 1] + graduates + 10.0 * 0.5));
    }
    assert_means(&moments(&s, Series::Pool, 4000), &expected, "pool");
    // The check has power: the graduates move the mean by far more than its error.
    assert!(expected[2] - expected[1] > 200.0);
}

fn poisson_pmf(lambda: f64, k: usize) -> f64 {
    let ln_factorial: f64 = (1..=k).map(|i| (i as f64).ln()).sum();
    (k as f64 * lambda.ln() - lambda - ln_factorial).exp()
}

#[test]
fn arrivals_are_a_poisson_count_from_their_first_month() {
    // 6 a year times 2: one a month from month 3. The pool is empty, so
    // arrivals stay open and empty.
    let s = scenario(
        12,
        &format!(
            "{QUIET_FIRM}[arrivals]\nfirms_per_year = 6\nrate_multiplier = 2\nseats = 50\nfirst_month = 3\n"
        ),
    );
    let paths = 20_000;
    // Operating firms: the full site plus the arrivals.
    for m in 1..=2 {
        let f = frequencies(&s, Series::Firms, m, 200);
        assert_eq!(f.get(1), Some(&1.0), "no arrival before month 3");
    }
    let f = frequencies(&s, Series::Firms, 12, paths);
    assert_law(
        &f,
        |k| {
            if k == 0 {
                0.0
            } else {
                poisson_pmf(10.0, k - 1)
            }
        },
        paths,
        "firms at month 12",
    );
}

#[test]
fn a_full_site_expands_as_a_binomial_count() {
    // Always refilled at once (ramp 1, plentiful labour, no attrition), the
    // site is full every month: after k expansions of 25% its seats are
    // 100, 125, 156, 195, 244, ... and k ~ Binomial(24, 0.1).
    let s = scenario(
        24,
        "[[firm]]\nname = \"Grows\"\nseats = 100\nheadcount = 100\nramp_months = 1\n\
         [arrivals]\nfirms_per_year = 0\n\
         [labour]\ninitial_pool = 10000000\ngraduates_per_year = 0\npool_exit_monthly = 0\nuptake_monthly = 1\n\
         [attrition]\nhazard_new = 0\nhazard_settled = 0\nhazard_veteran = 0\n\
         [closure]\nmonthly_hazard = 0\n[expansion]\nmonthly_probability = 0.1\ngrowth = 0.25\n",
    );
    let mut seats_after = vec![100u32];
    for k in 1..=24 {
        let s = seats_after[k - 1];
        seats_after.push(s + (f64::from(s) * 0.25).round() as u32);
    }
    let paths = 20_000;
    let f = frequencies(&s, Series::Seats, 24, paths);
    let law = |v: usize| {
        seats_after
            .iter()
            .position(|&s| s as usize == v)
            .map_or(0.0, |k| binomial_pmf(24, 0.1, k as u32))
    };
    assert_law(&f, law, paths, "seats at month 24");
    assert_eq!(seats_after[2], 156);
}

#[test]
fn leavers_and_laid_off_staff_return_in_their_share() {
    // 1,000 veterans, hazard 0.05 a month, sites closing at 0.02 a month, no
    // hiring (nobody takes an offer), no other flow into or out of the pool:
    // every leaver returns with probability 0.3 and then stays.
    let s = scenario(
        24,
        "[[firm]]\nname = \"Shrinks\"\nseats = 1000\nheadcount = 1000\nramp_months = 1\nsites = 4\n\
         initial_tenure = { new = 0, settled = 0, veteran = 1 }\n\
         [arrivals]\nfirms_per_year = 0\n\
         [labour]\ninitial_pool = 0\ngraduates_per_year = 0\npool_exit_monthly = 0\nuptake_monthly = 0\n\
         leaver_return_share = 0.3\n\
         [attrition]\nhazard_veteran = 0.05\n\
         [closure]\nmonthly_hazard = 0.02\n[expansion]\nmonthly_probability = 0\n",
    );
    let staying: Vec<f64> = (0..=24)
        .map(|m| 1000.0 * (0.98f64 * 0.95).powi(m))
        .collect();
    let returned: Vec<f64> = staying.iter().map(|h| 0.3 * (1000.0 - h)).collect();
    assert_means(&moments(&s, Series::Headcount, 4000), &staying, "headcount");
    assert_means(&moments(&s, Series::Pool, 4000), &returned, "pool");
}

#[test]
fn quantiles_are_the_nearest_rank_of_values_sorted_by_hand() {
    // Seven paths with headcounts 40, 10, 70, 20, 60, 30, 50 at month 0.
    // Sorted: 10 20 30 40 50 60 70. Nearest rank ceil(7 p / 100): p5 and p10
    // rank 1, p25 rank 2 (floor: 1), p50 rank 4 (floor: 3), p75 rank 6
    // (floor: 5), p90 and p95 rank 7 (floor: 6).
    let mut acc = Accumulator::new(
        0,
        Target {
            headcount: 1000,
            month: 0,
        },
        0,
    );
    for (path, h) in [40, 10, 70, 20, 60, 30, 50].into_iter().enumerate() {
        let mut t = Trajectory::new(0);
        t.values[[Series::Headcount as usize, 0]] = h;
        acc.add(path as u64, &t);
    }
    let summary = acc.finish();
    for (p, expected) in [
        (5, 10),
        (10, 10),
        (25, 20),
        (50, 40),
        (75, 60),
        (90, 70),
        (95, 70),
    ] {
        assert_eq!(summary.quantile(Series::Headcount, 0, p), expected, "p{p}");
    }
    assert_eq!(summary.mean(Series::Headcount, 0), 40.0);
}
