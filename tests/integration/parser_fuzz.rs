//! Property tests over the scenario parser: whatever the text, loading it never
//! panics, every problem names a key and a position, and an accepted scenario's
//! resolved form is itself accepted.

use proptest::prelude::*;

use shorecast::core::scenario::Scenario;
use shorecast::input::oujda::OUJDA;
use shorecast::input::policy::load_with_policies;

const MINIMAL: &str = include_str!("../data/valid/minimal.toml");

/// Loads `text`, checking what a caller relies on.
fn check(text: &str) {
    match load_with_policies(text, "fuzz.toml") {
        Ok((scenario, _)) => {
            let resolved = scenario.to_resolved_toml();
            if let Err(e) = Scenario::from_toml_str(&resolved, "resolved.toml") {
                panic!("resolved scenario refused: {e}\n{resolved}");
            }
        }
        Err(e) => {
            assert!(!e.problems.is_empty());
            for p in &e.problems {
                assert!(!p.key.is_empty() && !p.message.is_empty(), "{p:?}");
                assert!(p.position.is_some(), "{p:?}");
            }
        }
    }
}

/// Values a hostile file might hold.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|v| v.to_string()),
        any::<f64>().prop_map(|v| format!("{v:?}")),
        Just("99999999999999999999".to_string()),
        Just("nan".to_string()),
        Just("-inf".to_string()),
        Just("1e308".to_string()),
        Just("2021-01-01".to_string()),
        Just("[1, \"a\"]".to_string()),
        "\\PC{0,12}".prop_map(|s| format!("{:?}", s)),
        (any::<i32>(), any::<i32>())
            .prop_map(|(a, b)| format!("{{ dist = \"uniform\", min = {a}, max = {b} }}")),
        (any::<f32>(), any::<f32>(), any::<f32>()).prop_map(|(a, b, c)| format!(
            "{{ dist = \"pert\", min = {a:?}, mode = {b:?}, max = {c:?} }}"
        )),
    ]
}

/// Keys of the format, and some that are not.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("seats"),
        Just("headcount"),
        Just("ramp_months"),
        Just("opens_month"),
        Just("probability"),
        Just("month"),
        Just("horizon_months"),
        Just("name"),
        Just("start"),
        Just("labour.initial_pool"),
        Just("labour.uptake_monthly"),
        Just("expansion.growth"),
        Just("arrivals.firms_per_year"),
        Just("simulation.seed"),
        Just("simulation.paths"),
        Just("cost_mad_per_year"),
        Just("bogus"),
    ]
    .prop_map(str::to_string)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        check(&text);
    }

    #[test]
    fn a_valid_file_with_hostile_lines_never_panics(
        lines in proptest::collection::vec((0usize..20, key(), value()), 1..6)
    ) {
        let mut text: Vec<String> = MINIMAL.lines().map(str::to_string).collect();
        for (at, key, value) in lines {
            let at = at % (text.len() + 1);
            text.insert(at, format!("{key} = {value}"));
        }
        check(&text.join("\n"));
    }

    #[test]
    fn cut_or_corrupted_files_never_panic(
        cut in 0usize..5000,
        at in 0usize..5000,
        junk in "[\\[\\]{}=\"'.,#\\n0-9a-z ]{0,8}",
    ) {
        let base = format!("{OUJDA}\n[[policy]]\nname = \"P\"\nset.labour.reach_share = 0.8\n");
        let mut text: String = base.chars().take(cut % (base.chars().count() + 1)).collect();
        let at = text.char_indices().map(|(i, _)| i).nth(at % (text.chars().count() + 1)).unwrap_or(text.len());
        text.insert_str(at, &junk);
        check(&text);
    }
}
