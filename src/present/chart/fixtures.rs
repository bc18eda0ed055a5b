//! Small runs, comparisons and sensitivity results shared by the charts'
//! data tests.

use crate::analysis::compare::{CompareOptions, Comparison, compare};
use crate::analysis::sensitivity::{InputSensitivity, Sensitivity};
use crate::core::engine::{self, RunOptions};
use crate::core::scenario::Scenario;
use crate::core::stats::Summary;
use crate::input::oujda::OUJDA_JULY_2020 as OUJDA;
use crate::input::policy::{Policy, load_with_policies};

/// A small run of the built-in scenario, and one with a reachable target.
pub(super) fn small_run(target: Option<u32>) -> (Scenario, Summary) {
    let mut scenario = Scenario::from_toml_str(OUJDA, "oujda").unwrap();
    if let Some(t) = target {
        scenario.target.headcount = t;
    }
    let options = RunOptions {
        paths: 200,
        seed: 7,
        sample_paths: 20,
        target_paths: 0,
    };
    let run = engine::run(&scenario, options, &|_| {});
    (scenario, run.summary)
}

/// The Oujda options compared on 200 paths, the target at `target`.
pub(super) fn small_comparison(target: Option<u32>) -> (Scenario, Comparison) {
    let (mut base, policies) = load_with_policies(OUJDA, "oujda").unwrap();
    let mut options = vec![Policy::base(base.clone(), "Base case")];
    options.extend(policies);
    if let Some(t) = target {
        base.target.headcount = t;
        for o in &mut options {
            o.scenario.target.headcount = t;
        }
    }
    let settings = CompareOptions {
        paths: 200,
        seed: 3,
        independent_streams: false,
    };
    let c = compare(&options, settings, 0, &|_| {});
    (base, c)
}

pub(super) fn input(
    name: &str,
    prcc: f64,
    lows: (f64, u32),
    highs: (f64, u32),
) -> InputSensitivity {
    InputSensitivity {
        parameter: name.to_string(),
        prcc,
        prcc_ci95_low: prcc - 0.03,
        prcc_ci95_high: prcc + 0.03,
        p_target_per_sd: 0.0,
        low_value: lows.0,
        high_value: highs.0,
        p_target_low: 0.0,
        p_target_high: 0.0,
        median_low: lows.1,
        median_high: highs.1,
    }
}

pub(super) fn sensitivity() -> Sensitivity {
    Sensitivity {
        base_p_target: 0.0,
        base_median: 2198,
        paths: 300,
        seed: 1,
        inputs: vec![
            input("labour.initial_pool", 0.58, (1704.0, 1952), (3697.0, 2435)),
            input("firm[SACCOM].happens", 0.25, (0.0, 1887), (1.0, 2212)),
            input("attrition.multiplier", -0.21, (1.16, 2276), (0.895, 2129)),
            input(
                "labour.qualified_share",
                0.01,
                (0.0684, 2118),
                (0.119, 2279),
            ),
        ],
    }
}
