//! Helpers shared by the statistical tests.

use shorecast::core::scenario::Scenario;

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
