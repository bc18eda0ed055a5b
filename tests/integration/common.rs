//! Helpers shared by the integration tests: the binary, the test data, small
//! scenarios, closed forms.

use std::path::{Path, PathBuf};

use shorecast::core::scenario::Scenario;

/// The `shorecast` binary of this build, as a command to run.
pub fn shorecast() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("shorecast").expect("the binary is built")
}

/// A file of the repository, by its path from the root.
pub fn repo_file(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// A file under `tests/data/`.
pub fn data(path: &str) -> PathBuf {
    repo_file("tests/data").join(path)
}

/// A scenario of `horizon` months from January 2020 with the given body
/// (firms and sections), every other key at its default.
pub fn scenario(horizon: u32, body: &str) -> Scenario {
    let text = format!(
        "[scenario]\nname = \"t\"\nstart = \"2020-01\"\nhorizon_months = {horizon}\n\
         [target]\nheadcount = 100000\nmonth = {horizon}\n{body}"
    );
    Scenario::from_toml_str(&text, "test.toml").unwrap()
}

/// P(X = k) for X ~ Binomial(n, p).
pub fn binomial_pmf(n: u32, p: f64, k: u32) -> f64 {
    if k > n {
        return 0.0;
    }
    let ln_choose: f64 = (0..k)
        .map(|i| f64::from(n - i).ln() - f64::from(i + 1).ln())
        .sum();
    (ln_choose + f64::from(k) * p.ln() + f64::from(n - k) * (1.0 - p).ln()).exp()
}
