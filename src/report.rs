//! `report.html`: a one-file report of a run that opens in any browser and
//! prints cleanly on A4.
//!
//! The report is self-contained: the charts are inlined as SVG, the styles are
//! in the page, and nothing is fetched (no web fonts, no scripts), so it can be
//! mailed or archived as is. It gathers the scenario's name and description,
//! the headline figures with their intervals, the binding constraint in words,
//! the charts, a table of key quantiles and a reproducibility footer. Every
//! text that comes from the scenario file is escaped.

use std::fmt::Write;

use crate::chart::CHART_NAMES;
use crate::engine::RunResult;
use crate::model::Series;
use crate::output::Provenance;
use crate::scenario::Scenario;
use crate::stats::Summary;
use crate::text::Lang;

/// Which constraint holds the headcount back, as the report states it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BindingKind {
    /// Even full seats fall short of the target: more or larger sites are needed.
    FirmArrivals,
    /// Labour was short in at least half the months with openings.
    Labour,
    /// Candidates sufficed in most months: firms' pace of hiring sets headcount.
    FirmDemand,
}

/// The figures behind the binding-constraint sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    /// The verdict.
    pub kind: BindingKind,
    /// Share of path-months with openings in which labour was short.
    pub labour_limited_share: f64,
    /// Mean total seats in the target month.
    pub mean_seats_at_target: f64,
    /// The target headcount.
    pub target: u32,
    /// The target month, formatted.
    pub target_date: String,
}

impl Binding {
    /// Decides which constraint binds. If the mean seats in the target month
    /// are below the target, no amount of labour can reach it: firm arrivals
    /// bind. Otherwise labour binds when it held hiring back in at least half
    /// of the months with openings, and firm demand binds when it did not.
    pub fn new(scenario: &Scenario, summary: &Summary, lang: Lang) -> Binding {
        let target = scenario.target;
        let mean_seats_at_target = summary.mean(Series::Seats, target.month);
        let kind = if mean_seats_at_target < f64::from(target.headcount) {
            BindingKind::FirmArrivals
        } else if summary.labour_limited_share >= 0.5 {
            BindingKind::Labour
        } else {
            BindingKind::FirmDemand
        };
        Binding {
            kind,
            labour_limited_share: summary.labour_limited_share,
            mean_seats_at_target,
            target: target.headcount,
            target_date: lang.month(scenario.date(target.month)),
        }
    }
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The months of the quantile table: 12, 24 and 36 where within the horizon,
/// and the target month, in order.
pub fn table_months(horizon: u32, target_month: u32) -> Vec<u32> {
    let mut months: Vec<u32> = [12, 24, 36].into_iter().filter(|&m| m <= horizon).collect();
    if !months.contains(&target_month) {
        months.push(target_month);
        months.sort_unstable();
    }
    months
}

/// An SVG chart made to fit the page: the fixed size is dropped (the view box
/// keeps the proportions) and the chart is labelled for screen readers.
fn inline_svg(svg: &str, label: &str) -> String {
    let start = svg.find("<svg").unwrap_or(0);
    let body = &svg[start..];
    let end = body.find('>').map_or(body.len(), |e| e + 1);
    let tag: String = body[..end]
        .split(' ')
        .filter(|a| !a.starts_with("width=") && !a.starts_with("height="))
        .collect::<Vec<_>>()
        .join(" ");
    let tag = tag.replacen(
        "<svg",
        &format!("<svg role=\"img\" aria-label=\"{}\"", escape(label)),
        1,
    );
    format!("{tag}{}", &body[end..])
}

const STYLE: &str = r#"
@page { size: A4; margin: 14mm 13mm 15mm; }
* { box-sizing: border-box; }
html { color: #222; background: #fff; font-family: "Noto Sans", "Segoe UI", Arial, Helvetica, sans-serif; }
body { max-width: 186mm; margin: 0 auto; padding: 10mm 0; font-size: 10.5pt; line-height: 1.45; }
header { border-bottom: 2px solid #332288; padding-bottom: 3mm; }
.kind { margin: 0; color: #555; font-size: 8.5pt; letter-spacing: .06em; text-transform: uppercase; }
h1 { margin: 1mm 0 2mm; font-size: 20pt; line-height: 1.2; }
.description { margin: 0 0 2mm; }
.meta { margin: 0; color: #555; }
h2 { margin: 7mm 0 3mm; font-size: 13pt; break-after: avoid; page-break-after: avoid; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 3mm; }
.card { border: 1px solid #ddd; border-top: 3px solid #332288; padding: 2.5mm 3mm; break-inside: avoid; }
.card .label { margin: 0; color: #555; font-size: 8.5pt; line-height: 1.3; }
.card .value { margin: 1mm 0; font-size: 17pt; font-weight: 700; line-height: 1.15; }
.card .value.words { font-size: 11pt; }
.card .detail { margin: 0; color: #555; font-size: 8.5pt; line-height: 1.3; }
.verdict { font-weight: 700; }
figure { margin: 0 0 7mm; break-inside: avoid; page-break-inside: avoid; }
figure svg { display: block; width: 100%; height: auto; }
figcaption { margin-top: 1.5mm; color: #555; font-size: 9pt; }
.note { color: #555; font-style: italic; }
table { width: 100%; border-collapse: collapse; font-size: 9.5pt; break-inside: avoid; page-break-inside: avoid; }
th, td { padding: 1.3mm 2mm; border-bottom: 1px solid #ddd; text-align: left; vertical-align: bottom; }
thead th { border-bottom: 1.5px solid #555; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr.group-start td { border-top: 1.5px solid #aaa; }
footer { margin-top: 8mm; padding-top: 2mm; border-top: 1px solid #ddd; color: #555; font-size: 8.5pt; break-inside: avoid; page-break-inside: avoid; }
footer h2 { margin: 0 0 2mm; font-size: 10pt; }
footer dl { display: grid; grid-template-columns: max-content 1fr; gap: .6mm 4mm; margin: 0 0 2mm; }
footer dt { font-weight: 700; }
footer dd { margin: 0; font-family: "Noto Sans Mono", Consolas, "Liberation Mono", monospace; overflow-wrap: anywhere; }
footer p { margin: 0; }
@media screen and (max-width: 700px) { .cards { grid-template-columns: repeat(2, 1fr); } body { padding: 4mm; } }
@media print { body { max-width: none; padding: 0; } }
"#;

/// The report of a run as one self-contained HTML page. `charts` are the SVG
/// texts by chart name from [`crate::chart::write_run_charts`]; with none (a
/// run with `--no-charts`), the report says the charts were skipped.
pub fn run_report_html(
    scenario: &Scenario,
    run: &RunResult,
    provenance: &Provenance,
    charts: &[(String, String)],
    lang: Lang,
) -> String {
    let s = lang.strings();
    let summary = &run.summary;
    let target = scenario.target;
    let target_date = lang.month(scenario.date(target.month));
    let horizon = scenario.meta.horizon_months;
    let n = |v: u32| lang.thousands(u64::from(v));
    let mut h = String::new();

    // Writing into a String cannot fail: the results of `write!` are ignored.
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        s.html_lang,
        escape(&lang.report_title(&scenario.meta.name)),
    );

    // Header.
    let _ = write!(
        h,
        "<header>\n<p class=\"kind\">{}</p>\n<h1>{}</h1>\n",
        escape(s.report_kind),
        escape(&scenario.meta.name)
    );
    if let Some(description) = &scenario.meta.description {
        let _ = writeln!(h, "<p class=\"description\">{}</p>", escape(description));
    }
    let _ = write!(
        h,
        "<p class=\"meta\">{}</p>\n</header>\n",
        escape(&lang.report_meta(
            &lang.month(scenario.meta.start),
            horizon,
            &lang.month(scenario.date(horizon)),
            target.headcount,
            &target_date,
        ))
    );

    // Headline figures.
    let p = summary.p_target;
    let ever = summary.p_reached_by.last().copied().unwrap_or(0.0);
    let (median_month, words) = match summary.median_month_reached {
        Some(m) => (lang.month(scenario.date(m)), false),
        None => (s.not_reached_by_half.to_string(), true),
    };
    let cards = [
        (
            s.chance_of_target.to_string(),
            lang.share(p.estimate),
            false,
            lang.p_target_detail(target.headcount, &target_date, p.ci95_low, p.ci95_high),
        ),
        (
            lang.jobs_in_median(&target_date),
            n(summary.quantile(Series::Headcount, target.month, 50)),
            false,
            lang.range90(
                summary.quantile(Series::Headcount, target.month, 5),
                summary.quantile(Series::Headcount, target.month, 95),
            ),
        ),
        (
            lang.median_month_heading(target.headcount),
            median_month,
            words,
            lang.median_month_detail(summary.median_month_reached, ever, horizon),
        ),
        (
            s.held_back_by_labour.to_string(),
            lang.share(summary.labour_limited_share),
            false,
            s.of_months_with_openings.to_string(),
        ),
    ];
    let _ = write!(
        h,
        "<section>\n<h2>{}</h2>\n<div class=\"cards\">\n",
        escape(s.headline)
    );
    for (label, value, words, detail) in cards {
        let _ = writeln!(
            h,
            "<div class=\"card\"><p class=\"label\">{}</p><p class=\"value{}\">{}</p><p class=\"detail\">{}</p></div>",
            escape(&label),
            if words { " words" } else { "" },
            escape(&value),
            escape(&detail)
        );
    }
    h.push_str("</div>\n</section>\n");

    // The binding constraint.
    let (verdict, reason) = lang.binding_constraint(&Binding::new(scenario, summary, lang));
    let _ = write!(
        h,
        "<section>\n<h2>{}</h2>\n<p><span class=\"verdict\">{}</span> {}</p>\n</section>\n",
        escape(s.what_binds),
        escape(&verdict),
        escape(&reason)
    );

    // Charts.
    let _ = writeln!(h, "<section>\n<h2>{}</h2>", escape(s.charts));
    if charts.is_empty() {
        let _ = writeln!(h, "<p class=\"note\">{}</p>", escape(s.charts_skipped));
    }
    // Known charts in report order, then any others in the order given.
    let rank = |name: &str| {
        CHART_NAMES
            .iter()
            .position(|c| *c == name)
            .unwrap_or(usize::MAX)
    };
    let mut ordered: Vec<&(String, String)> = charts.iter().collect();
    ordered.sort_by_key(|(name, _)| rank(name));
    for (name, svg) in ordered {
        let caption = s.captions.iter().find(|c| c.0 == name).map(|c| c.1);
        let _ = write!(
            h,
            "<figure id=\"chart-{}\">\n{}\n",
            escape(name),
            inline_svg(svg, caption.unwrap_or(name))
        );
        if let Some(caption) = caption {
            let _ = writeln!(h, "<figcaption>{}</figcaption>", escape(caption));
        }
        h.push_str("</figure>\n");
    }
    h.push_str("</section>\n");

    // Key quantiles.
    let months = table_months(horizon, target.month);
    let _ = write!(
        h,
        "<section>\n<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th>",
        escape(s.key_figures),
        escape(s.figure)
    );
    for &m in &months {
        let _ = write!(
            h,
            "<th class=\"num\">{}</th>",
            escape(&lang.month_column(&lang.month(scenario.date(m)), m, m == target.month))
        );
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    type Cell = fn(&Summary, u32) -> f64;
    let rows: [(&str, Cell, bool); 9] = [
        (
            s.headcount_p05,
            |s, m| f64::from(s.quantile(Series::Headcount, m, 5)),
            false,
        ),
        (
            s.headcount_p25,
            |s, m| f64::from(s.quantile(Series::Headcount, m, 25)),
            false,
        ),
        (
            s.headcount_p50,
            |s, m| f64::from(s.quantile(Series::Headcount, m, 50)),
            false,
        ),
        (
            s.headcount_p75,
            |s, m| f64::from(s.quantile(Series::Headcount, m, 75)),
            false,
        ),
        (
            s.headcount_p95,
            |s, m| f64::from(s.quantile(Series::Headcount, m, 95)),
            false,
        ),
        (s.headcount_mean, |s, m| s.mean(Series::Headcount, m), false),
        (
            s.pool_median,
            |s, m| f64::from(s.quantile(Series::Pool, m, 50)),
            true,
        ),
        (
            s.hires_median,
            |s, m| f64::from(s.quantile(Series::Hires, m, 50)),
            false,
        ),
        (
            s.vacancies_median,
            |s, m| f64::from(s.quantile(Series::Vacancies, m, 50)),
            false,
        ),
    ];
    for (label, cell, group_start) in rows {
        let _ = write!(
            h,
            "<tr{}><td>{}</td>",
            if group_start {
                " class=\"group-start\""
            } else {
                ""
            },
            escape(label)
        );
        for &m in &months {
            let value = lang.thousands(cell(summary, m).round() as u64);
            let _ = write!(h, "<td class=\"num\">{}</td>", escape(&value));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n</section>\n");

    // Reproducibility.
    let _ = write!(
        h,
        "<footer>\n<h2>{}</h2>\n<dl>\n",
        escape(s.reproducibility)
    );
    for (term, value) in [
        (s.version, provenance.version.clone()),
        (s.seed, run.options.seed.to_string()),
        (s.paths, lang.thousands(run.options.paths)),
        (s.scenario_sha256, provenance.scenario_sha256.clone()),
        (s.command_line, provenance.command_line.clone()),
    ] {
        let _ = writeln!(h, "<dt>{}</dt><dd>{}</dd>", escape(term), escape(&value));
    }
    let _ = write!(
        h,
        "</dl>\n<p>{} {}</p>\n</footer>\n</body>\n</html>\n",
        escape(&lang.run_size(run.options.paths, run.elapsed_seconds)),
        escape(s.reproduce_note)
    );
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            escape(r#"<script>alert("x") & 'y'</script>"#),
            "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn the_table_shows_years_within_the_horizon_and_the_target_month() {
        assert_eq!(table_months(36, 24), [12, 24, 36]);
        assert_eq!(table_months(36, 30), [12, 24, 30, 36]);
        assert_eq!(table_months(18, 18), [12, 18]);
        assert_eq!(table_months(6, 6), [6]);
    }

    #[test]
    fn inlined_charts_lose_their_fixed_size_but_keep_the_view_box() {
        let svg = "<svg width=\"1600\" height=\"900\" viewBox=\"0 0 1600 900\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect/></svg>";
        let inlined = inline_svg(svg, "A \"fan\"");
        assert!(
            inlined.starts_with(
                "<svg role=\"img\" aria-label=\"A &quot;fan&quot;\" viewBox=\"0 0 1600 900\""
            ),
            "{inlined}"
        );
        assert!(!inlined.contains("width="));
        assert!(inlined.ends_with("<rect/></svg>"));
    }
}
