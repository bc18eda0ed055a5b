//! Renders the charts and the report of the built-in Oujda scenario into a
//! folder, to look at them: `cargo run --release --example render_charts -- OUT
//! [TARGET] [en|fr] [PATHS]`.

use std::path::PathBuf;

use shorecast::chart::{ChartOptions, write_run_charts};
use shorecast::engine::{self, RunOptions};
use shorecast::output::{Provenance, StagedDir};
use shorecast::report::run_report_html;
use shorecast::scenario::{OUJDA, Scenario};
use shorecast::text::Lang;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = PathBuf::from(args.first().map_or("/tmp/charts", String::as_str));
    let mut scenario = Scenario::from_toml_str(OUJDA, "oujda")?;
    if let Some(target) = args.get(1).and_then(|t| t.parse().ok()) {
        scenario.target.headcount = target;
    }
    let lang = match args.get(2).map(String::as_str) {
        Some("fr") => Lang::Fr,
        _ => Lang::En,
    };
    let paths = args.get(3).and_then(|p| p.parse().ok()).unwrap_or(20_000);
    let size = args
        .get(4)
        .map_or(Ok((1600, 900)), |s| shorecast::chart::parse_size(s))?;
    let options = RunOptions {
        paths,
        seed: 2020,
        sample_paths: 20,
    };
    let run = engine::run(&scenario, options, &|_| {});
    let dir = StagedDir::new(&out)?;
    let charts = write_run_charts(
        &dir,
        &scenario,
        &run,
        &ChartOptions {
            width: size.0,
            height: size.1,
            lang,
        },
    )?;
    let provenance = Provenance {
        scenario: scenario.meta.name.clone(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_sha256: "0".repeat(64),
        command_line: format!("shorecast run --paths {paths}"),
    };
    dir.write(
        "report.html",
        run_report_html(&scenario, &run, &provenance, &charts, lang),
    )?;
    dir.commit()?;
    Ok(())
}
