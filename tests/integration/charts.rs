//! Charts and the reports, rendered from small runs: every file is written,
//! PNGs are valid images of the asked size, SVGs are well-formed and carry the
//! expected text, and the reports are self-contained and escaped. The same
//! for the charts and reports of the analysis commands (comparison,
//! sensitivity, discovery), from 300 paths each.

use std::fs;
use std::path::Path;

use crate::OUJDA_JULY_2020 as OUJDA;
use shorecast::analysis::compare::{self, CompareOptions};
use shorecast::analysis::discover::{self, PrimOptions};
use shorecast::analysis::findings;
use shorecast::analysis::sensitivity::{self, PathInputs};
use shorecast::core::engine::{self, RunOptions, RunResult};
use shorecast::core::local_text::LocalText;
use shorecast::core::scenario::Scenario;
use shorecast::input::policy::{self, Policy};
use shorecast::present::chart::{
    CHART_NAMES, COMPARE_CHART_NAMES, ChartOptions, DISCOVER_CHART_NAMES, DiscoverRun,
    SENSITIVITY_CHART_NAMES, write_compare_charts, write_discover_charts, write_run_charts,
    write_sensitivity_charts,
};
use shorecast::present::output::{Provenance, StagedDir};
use shorecast::present::report::{
    DiscoverFacts, compare_report_html, discover_report_html, run_report_html,
    sensitivity_report_html,
};
use shorecast::present::text::Lang;
use tempfile::TempDir;

/// The built-in scenario with the target changed, run on 200 paths.
fn small_run(target: Option<u32>) -> (Scenario, RunResult) {
    let mut scenario = Scenario::from_toml_str(OUJDA, "oujda").unwrap();
    if let Some(t) = target {
        scenario.target.headcount = t;
    }
    let options = RunOptions {
        paths: 200,
        seed: 11,
        sample_paths: 20,
        target_paths: 0,
    };
    let run = engine::run(&scenario, options, &|_| {});
    (scenario, run)
}

fn provenance(scenario: &Scenario) -> Provenance {
    Provenance {
        scenario: scenario.meta.name.to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_sha256: "ab".repeat(32),
        command_line: "shorecast run --paths 200 <odd> & 'quoted'".to_string(),
    }
}

/// Renders the charts into a committed folder under `tmp`.
fn render(
    tmp: &TempDir,
    scenario: &Scenario,
    run: &RunResult,
    options: ChartOptions,
) -> (std::path::PathBuf, Vec<(String, String)>) {
    let out = tmp.path().join("out");
    let dir = StagedDir::new(&out).unwrap();
    let svgs = write_run_charts(&dir, scenario, run, &options).unwrap();
    dir.commit().unwrap();
    (out, svgs)
}

/// CRC-32 (ISO-HDLC) as PNG uses it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Checks a PNG's signature and every chunk's checksum, and returns its size.
fn png_size(path: &Path) -> (u32, u32) {
    let bytes = fs::read(path).unwrap();
    assert_eq!(
        &bytes[..8],
        b"\x89PNG\r\n\x1a\n",
        "{} is not a PNG",
        path.display()
    );
    let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    let mut at = 8;
    let mut kinds = Vec::new();
    while at < bytes.len() {
        let length = be(at) as usize;
        let kind = &bytes[at + 4..at + 8];
        let data_end = at + 8 + length;
        assert_eq!(
            crc32(&bytes[at + 4..data_end]),
            be(data_end),
            "bad checksum in {}",
            path.display()
        );
        kinds.push(String::from_utf8_lossy(kind).into_owned());
        at = data_end + 4;
    }
    assert_eq!(kinds.first().map(String::as_str), Some("IHDR"));
    assert_eq!(kinds.last().map(String::as_str), Some("IEND"));
    assert!(kinds.iter().any(|k| k == "IDAT"));
    (be(16), be(20))
}

/// Checks that every tag of an SVG (or a report, void elements aside) is
/// closed in order.
fn assert_well_formed(svg: &str) {
    let svg = svg.replace("<wbr>", "");
    let svg = svg.as_str();
    let mut open: Vec<&str> = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').expect("an unclosed tag") + start;
        let tag = &rest[start + 1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('?') || tag.starts_with('!') || tag.ends_with('/') {
            continue;
        }
        let name = tag
            .trim_start_matches('/')
            .split_whitespace()
            .next()
            .unwrap();
        if tag.starts_with('/') {
            assert_eq!(open.pop(), Some(name), "mismatched </{name}>");
        } else {
            open.push(name);
        }
    }
    assert!(open.is_empty(), "unclosed tags: {open:?}");
}

#[test]
fn every_chart_is_written_as_png_and_svg() {
    let (scenario, run) = small_run(None);
    let tmp = TempDir::new().unwrap();
    let (out, svgs) = render(&tmp, &scenario, &run, ChartOptions::default());
    let names: Vec<&str> = svgs.iter().map(|(n, _)| n.as_str()).collect();
    // No path reaches 5,000 jobs: `reach` replaces the flat `hitting` chart,
    // and no file of the latter is left.
    assert_eq!(names, ["fan", "composition", "labour", "reach", "outcome"]);
    assert!(names.iter().all(|n| CHART_NAMES.contains(n)));
    assert!(!out.join("hitting.png").exists() && !out.join("hitting.svg").exists());
    for (name, svg) in &svgs {
        assert_eq!(png_size(&out.join(format!("{name}.png"))), (1600, 900));
        assert_eq!(
            &fs::read_to_string(out.join(format!("{name}.svg"))).unwrap(),
            svg
        );
        assert!(svg.starts_with("<svg"), "{name}");
        assert_well_formed(svg);
        assert!(svg.contains("Noto Sans"), "{name} names its font");
    }
    let svg = |name: &str| &svgs.iter().find(|(n, _)| n == name).unwrap().1;
    assert!(svg("fan").contains("Oujda Shore offshoring, July 2020"));
    assert!(svg("reach").contains("What is within reach by Jul 2022?"));
    for name in ["fan", "composition", "labour"] {
        assert!(svg(name).contains("Jul 2022"), "{name} has month labels");
    }
    assert!(
        svg("fan").contains("Jul 2019"),
        "the x axis reaches back to the history"
    );
    assert!(svg("fan").contains("5,000"));
    assert!(svg("outcome").contains("Target 5,000"));
}

#[test]
fn french_charts_use_french_dates_and_numbers_at_any_size() {
    let (scenario, run) = small_run(Some(2500));
    let tmp = TempDir::new().unwrap();
    let options = ChartOptions {
        width: 800,
        height: 450,
        lang: Lang::Fr,
    };
    let (out, svgs) = render(&tmp, &scenario, &run, options);
    let names: Vec<&str> = svgs.iter().map(|(n, _)| n.as_str()).collect();
    // A reachable target keeps the hitting-time chart.
    assert_eq!(
        names,
        ["fan", "composition", "labour", "hitting", "outcome"]
    );
    for name in names {
        assert_eq!(png_size(&out.join(format!("{name}.png"))), (800, 450));
    }
    let fan = &svgs[0].1;
    assert!(fan.contains("juil. 2022"), "French months");
    assert!(fan.contains("2\u{202f}500"), "French thousands");
    assert!(fan.contains("Médiane"));
    assert!(!fan.contains("Median"));
}

#[test]
fn the_report_is_self_contained_and_escaped() {
    let (mut scenario, run) = small_run(None);
    scenario.meta.name = LocalText::plain("Oujda <b>bold</b> & \"co\"");
    scenario.meta.description = Some(LocalText::plain("<script>alert(1)</script>"));
    let tmp = TempDir::new().unwrap();
    let (_, svgs) = render(&tmp, &scenario, &run, ChartOptions::default());
    let binding = findings::binding_constraint(&scenario, 200, 11, None, &|_| {});
    let html = run_report_html(
        &scenario,
        &run,
        &binding,
        &[],
        &provenance(&scenario),
        &svgs,
        Lang::En,
    );
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Oujda &lt;b&gt;bold&lt;/b&gt; &amp; &quot;co&quot;"));
    assert!(!html.contains("<b>bold"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.to_lowercase().contains("<script"), "no script at all");
    assert!(
        html.contains("&lt;odd&gt; &amp; &#39;quoted&#39;"),
        "command line escaped"
    );
    // Nothing is fetched: no links, sources, imports or URLs beyond the SVG
    // namespace, which names a vocabulary and is never requested.
    let without_namespace = html.replace("http://www.w3.org/2000/svg", "");
    for external in ["http://", "https://", "src=", "<link", "@import", "url("] {
        assert!(!without_namespace.contains(external), "found {external}");
    }
    assert_eq!(html.matches("<svg").count(), svgs.len());
    assert_eq!(
        html.matches("<svg role=\"img\" aria-label=").count(),
        svgs.len(),
        "inlined charts are labelled and scale with the page"
    );
    assert!(!html.contains("<svg width="));
    assert!(html.contains("@page { size: A4"));
    assert!(html.contains("break-inside: avoid"));
    // Headline figures, the binding constraint and the table.
    assert!(html.contains("Chance of reaching the target"));
    assert!(html.contains("simulation error") || html.contains("below 1 in"));
    assert!(!html.contains("confidence interval"));
    assert!(html.contains("Not reached by half the paths"));
    // The chart of what is within reach says why it replaces the hitting
    // chart, and the caption of the latter is left out with it.
    assert!(html.contains("id=\"chart-reach\""));
    assert!(html.contains("This chart replaces the one of when the target is reached"));
    assert!(!html.contains("id=\"chart-hitting\""));
    assert!(!html.contains("Share of paths that have reached the target at least once"));
    // The Oujda fixture of July 2020: unlimited candidates add at least twice
    // what twice the seats do, so labour binds now; alone it falls short of
    // the target and seats then add much more: the target needs both (see
    // findings.rs for the rule).
    assert!(
        html.contains("Labour binds: too few qualified candidates.")
            && html.contains("seats then bind too, and reaching the target needs both"),
        "{binding:?}"
    );
    assert!(html.contains("Jul 2021 (month 12)"));
    assert!(html.contains("Jul 2022 (month 24, target)"));
    assert!(html.contains("Jul 2023 (month 36)"));
    assert!(html.contains(&"ab".repeat(32)));
    assert!(html.contains("<dd>11</dd>"), "the seed");
    assert_report_well_formed(&html);
}

/// Checks that a report's tags are closed in order, its head's void
/// elements aside.
fn assert_report_well_formed(html: &str) {
    assert_well_formed(
        &html
            .replace("<!DOCTYPE html>", "")
            .replace("<meta charset=\"utf-8\">", "")
            .replace(
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
                "",
            ),
    );
}

/// Checks that a report fetches nothing and inlines `charts` labelled SVGs;
/// `scripts` inline scripts at most (the comparison's table sorter).
fn assert_self_contained(html: &str, charts: usize, scripts: usize) {
    assert!(html.starts_with("<!DOCTYPE html>"));
    let without_namespace = html.replace("http://www.w3.org/2000/svg", "");
    for external in ["http://", "https://", "src=", "<link", "@import", "url("] {
        assert!(!without_namespace.contains(external), "found {external}");
    }
    assert_eq!(html.to_lowercase().matches("<script").count(), scripts);
    assert_eq!(html.matches("<svg").count(), charts);
    assert_eq!(
        html.matches("<svg role=\"img\" aria-label=").count(),
        charts
    );
    assert!(html.contains("@page { size: A4"));
    assert_report_well_formed(html);
}

/// Checks the files of `names` in `out`: PNGs of `size`, SVGs as returned,
/// well-formed and naming their font.
fn assert_charts(out: &Path, svgs: &[(String, String)], names: &[&str], size: (u32, u32)) {
    let written: Vec<&str> = svgs.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(written, names);
    for (name, svg) in svgs {
        assert_eq!(png_size(&out.join(format!("{name}.png"))), size, "{name}");
        assert_eq!(
            &fs::read_to_string(out.join(format!("{name}.svg"))).unwrap(),
            svg
        );
        assert!(svg.starts_with("<svg"), "{name}");
        assert_well_formed(svg);
        assert!(svg.contains("Noto Sans"), "{name} names its font");
    }
}

/// The SVG text of chart `name`.
fn svg<'a>(svgs: &'a [(String, String)], name: &str) -> &'a str {
    &svgs.iter().find(|(n, _)| n == name).unwrap().1
}

/// The Oujda base case and its policies, compared on 300 paths.
fn small_comparison() -> (Scenario, compare::Comparison) {
    let (base, policies) = policy::load_with_policies(OUJDA, "oujda").unwrap();
    let mut options = vec![Policy::base(base.clone(), "Base case")];
    options.extend(policies);
    let settings = CompareOptions {
        paths: 300,
        seed: 11,
        independent_streams: false,
    };
    (
        base.clone(),
        compare::compare(&options, settings, 0, &|_| {}),
    )
}

#[test]
fn comparison_charts_and_report() {
    let (base, c) = small_comparison();
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("cmp");
    let dir = StagedDir::new(&out).unwrap();
    let svgs = write_compare_charts(&dir, &base, &c, &ChartOptions::default()).unwrap();
    dir.commit().unwrap();
    assert_charts(&out, &svgs, &COMPARE_CHART_NAMES, (1600, 900));
    let fan = svg(&svgs, "compare_fan");
    assert!(fan.contains("Jobs under each policy option"));
    for name in ["Base case", "Combined package", "Transport support"] {
        assert!(fan.contains(name), "the fan's legend names {name}");
    }
    assert!(fan.contains("Jul 2022") && fan.contains("Target: 5,000 jobs in Jul 2022"));
    let target = svg(&svgs, "compare_target");
    assert!(target.contains("Which option brings 5,000 jobs in Jul 2022 closest?"));
    assert!(
        target.contains("No option gives a real chance")
            || target.contains("in any simulated future")
    );
    assert!(target.contains("Jobs added in Jul 2022"));
    let cost = svg(&svgs, "cost_per_job");
    assert!(cost.contains("MAD per job") && cost.contains("MAD/job"));
    assert!(cost.contains("Combined package"));

    let html = compare_report_html(&base, &c, &provenance(&base), &svgs, None, Lang::En);
    assert_self_contained(&html, COMPARE_CHART_NAMES.len(), 1);
    // The answer opens the report: value first, as no option reaches 5,000.
    let answer = html.find("The answer").unwrap();
    assert!(answer < html.find("<table").unwrap());
    assert!(html.contains("<li>Most jobs per dirham: "), "{html}");
    assert!(html.contains("<li>Most jobs added: "));
    assert!(html.contains("Reaching 5,000 jobs in Jul 2022: no option does so in 1.0%"));
    assert!(html.contains("Options ranked by jobs per dirham"));
    assert!(html.contains("data-key=\"value\""));
    // The target chart shows only the jobs added, and its caption says why.
    assert!(html.contains("The chance of reaching the target is left out"));
    // Six options: the fan has a panel per option, and its caption says so.
    assert!(html.contains("One panel per option, all on the same scale"));
    assert!(!target.contains("Chance of at least 5,000 jobs"));
    assert!(
        html.contains("&lt;odd&gt; &amp; &#39;quoted&#39;"),
        "command line escaped"
    );
    assert!(html.contains("How costs are counted"));
    let charts_at = html.find("id=\"chart-compare_fan\"").unwrap();
    assert!(html.find("id=\"chart-compare_target\"").unwrap() > charts_at);
}

#[test]
fn sensitivity_charts_in_french_at_a_small_size() {
    let scenario = Scenario::from_toml_str(OUJDA, "oujda").unwrap();
    let s = sensitivity::sensitivity(&scenario, 300, 11, &|_| {}).unwrap();
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("sens");
    let dir = StagedDir::new(&out).unwrap();
    let options = ChartOptions {
        width: 800,
        height: 450,
        lang: Lang::Fr,
    };
    let svgs = write_sensitivity_charts(&dir, &scenario, &s, &options).unwrap();
    dir.commit().unwrap();
    assert_charts(&out, &svgs, &SENSITIVITY_CHART_NAMES, (800, 450));
    let tornado = svg(&svgs, "tornado");
    assert!(
        tornado.contains("Candidats qualifiés au départ")
            && !tornado.contains("labour.initial_pool"),
        "inputs named in words"
    );
    assert!(tornado.contains("ne s’installe pas") && tornado.contains("Hypothèse incertaine"));
    assert!(tornado.contains("juil. 2022"));
    assert!(!tornado.contains("Median"));
    let prcc = svg(&svgs, "prcc");
    assert!(prcc.contains("PRCC avec l’effectif en juil. 2022"));
    assert!(prcc.contains("Effet significatif"));

    let html = sensitivity_report_html(&scenario, &s, &provenance(&scenario), &svgs, Lang::Fr, 0.5);
    assert_self_contained(&html, SENSITIVITY_CHART_NAMES.len(), 0);
    assert!(html.contains("<html lang=\"fr\">"));
    assert!(html.contains("Hypothèses incertaines, classées par amplitude"));
    assert!(html.contains("labour.<wbr>initial_pool"));
}

#[test]
fn discovery_chart_and_report() {
    // Enough paths for the box to restrict an input, so that it is drawn.
    let mut scenario = Scenario::from_toml_str(OUJDA, "oujda").unwrap();
    scenario.target.headcount = 2300;
    let data = PathInputs::collect(&scenario, 2000, 11, &|_| {}).unwrap();
    let prim_options = PrimOptions::default();
    let r = discover::prim(&data.values, &data.hit, prim_options).unwrap();
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("disc");
    let dir = StagedDir::new(&out).unwrap();
    let run = DiscoverRun {
        paths: 2000,
        seed: 11,
        min_coverage: prim_options.min_coverage,
    };
    let svgs =
        write_discover_charts(&dir, &scenario, &data, &r, run, &ChartOptions::default()).unwrap();
    dir.commit().unwrap();
    assert_charts(&out, &svgs, &DISCOVER_CHART_NAMES, (1600, 900));
    let chart = svg(&svgs, "prim_trajectory");
    assert!(chart.contains("Where 2,300 jobs in Jul 2022 become likely"));
    assert!(chart.contains("Chosen box") && chart.contains("All futures"));
    let chart = svg(&svgs, "prim_box");
    assert!(chart.contains("The inputs under which 2,300 jobs in Jul 2022 become likely"));
    assert!(chart.contains("<circle"), "the futures are drawn as dots");

    let facts = DiscoverFacts {
        paths: 2000,
        seed: 11,
        elapsed_seconds: 0.1,
    };
    let html = discover_report_html(
        &scenario,
        &data.names,
        &r,
        &provenance(&scenario),
        &svgs,
        Lang::En,
        facts,
    );
    assert_self_contained(&html, DISCOVER_CHART_NAMES.len(), 0);
    assert!(html.contains("2,300 jobs by Jul 2022 are reached in"));
    assert!(html.contains("drawn over the two inputs that define it best"));
    assert!(html.contains("Range in the box"));
}

/// The analysis commands write their charts and reports, in the language and
/// at the size asked, or the report alone with --no-charts.
#[test]
fn analysis_commands_write_charts_and_reports() {
    let tmp = TempDir::new().unwrap();
    let shorecast = crate::common::shorecast;
    let cmp = tmp.path().join("cmp");
    shorecast()
        .args([
            "compare",
            "--paths",
            "300",
            "--quiet",
            "--lang",
            "fr",
            "--chart-size",
            "800x450",
            "--out",
        ])
        .arg(&cmp)
        .assert()
        .success();
    for name in COMPARE_CHART_NAMES {
        assert_eq!(png_size(&cmp.join(format!("{name}.png"))), (800, 450));
    }
    let html = fs::read_to_string(cmp.join("report.html")).unwrap();
    assert!(
        html.contains("<html lang=\"fr\">") && html.contains("Comparaison d’options shorecast")
    );
    assert_eq!(html.matches("<svg").count(), 3);

    let sens = tmp.path().join("sens");
    shorecast()
        .args([
            "sensitivity",
            "--paths",
            "300",
            "--quiet",
            "--no-charts",
            "--out",
        ])
        .arg(&sens)
        .assert()
        .success();
    assert!(!sens.join("tornado.png").exists());
    let html = fs::read_to_string(sens.join("report.html")).unwrap();
    assert!(html.contains("--no-charts") && !html.contains("<svg"));

    let disc = tmp.path().join("disc");
    shorecast()
        .args([
            "discover", "--paths", "300", "--target", "2300", "--quiet", "--lang", "fr", "--out",
        ])
        .arg(&disc)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/valid/oujda_july_2020.toml"))
        .assert()
        .success();
    assert_eq!(png_size(&disc.join("prim_trajectory.png")), (1600, 900));
    let sentence = fs::read_to_string(disc.join("discover.txt")).unwrap();
    assert!(
        sentence.contains("2\u{202f}300\u{a0}emplois en juil. 2022 sont atteints"),
        "{sentence}"
    );
    let html = fs::read_to_string(disc.join("report.html")).unwrap();
    assert!(html.contains("Découverte de scénarios shorecast"));
}

#[test]
fn a_report_without_charts_says_so() {
    let (scenario, run) = small_run(Some(2500));
    let binding = findings::binding_constraint(&scenario, 200, 11, None, &|_| {});
    let html = run_report_html(
        &scenario,
        &run,
        &binding,
        &[],
        &provenance(&scenario),
        &[],
        Lang::Fr,
    );
    assert!(html.contains("<html lang=\"fr\">"));
    assert!(html.contains("--no-charts"));
    assert!(!html.contains("<svg"));
    assert!(html.contains("juil. 2022 (mois 24, objectif)"));
    assert!(html.contains("Mesuré sur les mêmes avenirs simulés"));
    assert!(html.contains("2\u{202f}500"));
}
