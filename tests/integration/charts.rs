//! Charts and the report, rendered from small runs: every file is written, PNGs
//! are valid images of the asked size, SVGs are well-formed and carry the
//! expected text, and the report is self-contained and escaped.

use std::fs;
use std::path::Path;

use shorecast::chart::{CHART_NAMES, ChartOptions, write_run_charts};
use shorecast::engine::{self, RunOptions, RunResult};
use shorecast::output::{Provenance, StagedDir};
use shorecast::report::run_report_html;
use shorecast::scenario::{OUJDA, Scenario};
use shorecast::text::Lang;
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
    };
    let run = engine::run(&scenario, options, &|_| {});
    (scenario, run)
}

fn provenance(scenario: &Scenario) -> Provenance {
    Provenance {
        scenario: scenario.meta.name.clone(),
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

/// Checks that every tag of an SVG is closed in order.
fn assert_well_formed(svg: &str) {
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
    assert_eq!(names, CHART_NAMES);
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
    for name in ["fan", "composition", "labour", "hitting"] {
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
    for name in CHART_NAMES {
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
    scenario.meta.name = "Oujda <b>bold</b> & \"co\"".to_string();
    scenario.meta.description = Some("<script>alert(1)</script>".to_string());
    let tmp = TempDir::new().unwrap();
    let (_, svgs) = render(&tmp, &scenario, &run, ChartOptions::default());
    let html = run_report_html(&scenario, &run, &provenance(&scenario), &svgs, Lang::En);
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
    assert_eq!(html.matches("<svg").count(), CHART_NAMES.len());
    assert_eq!(
        html.matches("<svg role=\"img\" aria-label=").count(),
        CHART_NAMES.len(),
        "inlined charts are labelled and scale with the page"
    );
    assert!(!html.contains("<svg width="));
    assert!(html.contains("@page { size: A4"));
    assert!(html.contains("break-inside: avoid"));
    // Headline figures, the binding constraint and the table.
    assert!(html.contains("Chance of reaching the target"));
    assert!(html.contains("95% confidence interval"));
    assert!(html.contains("Not reached by half the paths"));
    assert!(
        html.contains("Firm arrivals bind."),
        "seats fall short of 5,000"
    );
    assert!(html.contains("Jul 2021 (month 12)"));
    assert!(html.contains("Jul 2022 (month 24, target)"));
    assert!(html.contains("Jul 2023 (month 36)"));
    assert!(html.contains(&"ab".repeat(32)));
    assert!(html.contains("<dd>11</dd>"), "the seed");
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

#[test]
fn a_report_without_charts_says_so() {
    let (scenario, run) = small_run(Some(2500));
    let html = run_report_html(&scenario, &run, &provenance(&scenario), &[], Lang::Fr);
    assert!(html.contains("<html lang=\"fr\">"));
    assert!(html.contains("--no-charts"));
    assert!(!html.contains("<svg"));
    assert!(html.contains("juil. 2022 (mois 24, objectif)"));
    assert!(html.contains("La demande des entreprises est le facteur limitant."));
    assert!(html.contains("2\u{202f}500"));
}
