//! `report.html`: a one-file report of a run, a comparison, a sensitivity
//! analysis or a scenario discovery, that opens in any browser and prints
//! cleanly on A4.
//!
//! Every report is self-contained: the charts are inlined as SVG, the styles
//! are in the page, and nothing is fetched (no web fonts, no scripts), so it
//! can be mailed or archived as is. All share one page frame (header with the
//! scenario's name and description, captioned figures, reproducibility
//! footer). A run's report gathers the headline figures with their
//! intervals, the binding constraint in words and a table of key quantiles;
//! a comparison's, the options ranked with their paired differences and
//! costs, and the costing rule; a sensitivity analysis's, an opening sentence
//! and the inputs ranked by swing; a discovery's, its finding in a sentence
//! and the chosen box input by input. Every text that comes from a scenario
//! file is escaped.

use std::fmt::Write;

use crate::analysis::compare::Comparison;
use crate::analysis::discover::PrimResult;
use crate::analysis::findings::{Binding, CompareAnswer, JobsPerMillion, LIKELY_FLOOR};
use crate::analysis::plan::Information;
use crate::analysis::sensitivity::Sensitivity;
use crate::core::engine::RunResult;
use crate::core::model::Series;
use crate::core::scenario::{Scenario, Target};
use crate::core::stats::Summary;
use crate::present::chart::names::option_name;
use crate::present::chart::{
    CHART_NAMES, COMPARE_CHART_NAMES, DISCOVER_CHART_NAMES, SENSITIVITY_CHART_NAMES,
};
use crate::present::output::Provenance;
use crate::present::text::{Lang, capitalise};

/// Escapes text for HTML content and attribute values; control characters
/// (which XML forbids) are dropped, newlines and tabs kept.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
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
section.answer ul { margin: 0; padding-left: 1.2em; font-size: 11pt; }
section.answer li { margin-bottom: 1.5mm; }
th button { font: inherit; font-weight: 700; color: inherit; background: none; border: 0; padding: 0; text-align: inherit; cursor: pointer; }
.lead { font-size: 11.5pt; }
figure { margin: 0 0 7mm; break-inside: avoid; page-break-inside: avoid; }
figure svg { display: block; width: 100%; height: auto; }
figcaption { margin-top: 1.5mm; color: #555; font-size: 9pt; }
.note { color: #555; font-style: italic; }
table { width: 100%; border-collapse: collapse; font-size: 9.5pt; break-inside: avoid; page-break-inside: avoid; }
/* A table of many rows may run onto the next page, a row never split, rather
   than leave most of a page empty. */
table.long { break-inside: auto; page-break-inside: auto; }
table.long tr { break-inside: avoid; page-break-inside: avoid; }
table.wide { font-size: 8.5pt; }
th, td { padding: 1.3mm 2mm; border-bottom: 1px solid #ddd; text-align: left; vertical-align: bottom; }
td { vertical-align: top; }
thead th { border-bottom: 1.5px solid #555; }
table.wide th, table.wide td { padding: 1.2mm 1.4mm; }
th.num { white-space: normal; }
td.name { min-width: 34mm; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.ci { display: block; color: #666; font-size: 85%; }
.sub { display: block; color: #555; font-size: 85%; }
code { font-family: "Noto Sans Mono", Consolas, "Liberation Mono", monospace; font-size: 88%; }
.swatch { display: inline-block; width: .8em; height: .8em; margin-right: .4em; border-radius: 50%; vertical-align: -.05em; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
tr.muted td { color: #777; }
tbody tr.group-start td { border-top: 1.5px solid #aaa; }
dl.options { margin: 0; }
dl.options dt { font-weight: 700; margin-top: 2mm; break-after: avoid; page-break-after: avoid; }
dl.options dd { margin: 0 0 0 1.2em; }
footer { margin-top: 8mm; padding-top: 2mm; border-top: 1px solid #ddd; color: #555; font-size: 8.5pt; break-inside: avoid; page-break-inside: avoid; }
footer h2 { margin: 0 0 2mm; font-size: 10pt; }
footer dl { display: grid; grid-template-columns: max-content 1fr; gap: .6mm 4mm; margin: 0 0 2mm; }
footer dt { font-weight: 700; }
footer dd { margin: 0; font-family: "Noto Sans Mono", Consolas, "Liberation Mono", monospace; overflow-wrap: anywhere; }
footer p { margin: 0; }
@media screen and (max-width: 700px) { .cards { grid-template-columns: repeat(2, 1fr); } body { padding: 4mm; } }
@media print {
  body { max-width: none; padding: 0; }
  .sort-hint { display: none; }
  h2 { margin: 4.5mm 0 2mm; }
  figure { margin-bottom: 4mm; }
  figure svg { width: 88%; margin: 0 auto; }
  /* The lead chart (the fan) shares page 1 with the headline and the verdict. */
  figure:first-of-type svg { width: 74%; }
  p.note { font-size: 8.5pt; margin: 1.5mm 0; }
  figcaption { font-size: 8.5pt; }
}
"#;

/// Opens the page: the document head with the styles, and the body.
pub(crate) fn open_page(h: &mut String, lang: Lang, title: &str) {
    // Writing into a String cannot fail: the results of `write!` are ignored.
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        lang.strings().html_lang,
        escape(title),
    );
}

/// Opens the page of an analysis report (`kind`: comparison, sensitivity,
/// discovery) on `scenario`, with its header and `meta` line.
fn open_analysis(h: &mut String, lang: Lang, scenario: &Scenario, kind: &str, meta: &str) {
    open_page(h, lang, &lang.analysis_title(&scenario.meta.name, kind));
    header(
        h,
        kind,
        &scenario.meta.name,
        scenario.meta.description.as_deref(),
        meta,
    );
}

/// The page header: what the report is, the scenario's name and description,
/// and a meta line.
pub(crate) fn header(
    h: &mut String,
    kind: &str,
    name: &str,
    description: Option<&str>,
    meta: &str,
) {
    let _ = write!(
        h,
        "<header>\n<p class=\"kind\">{}</p>\n<h1>{}</h1>\n",
        escape(kind),
        escape(name)
    );
    if let Some(description) = description {
        let _ = writeln!(h, "<p class=\"description\">{}</p>", escape(description));
    }
    let _ = write!(h, "<p class=\"meta\">{}</p>\n</header>\n", escape(meta));
}

/// A section of figures: the charts in the order of `names` (others after,
/// in the order given), each with its caption from `captions`; a note when
/// there are none (a run with `--no-charts`).
pub(crate) fn figures(
    h: &mut String,
    lang: Lang,
    charts: &[(String, String)],
    names: &[&str],
    captions: &[(&str, &str)],
) {
    let s = lang.strings();
    let _ = writeln!(h, "<section>\n<h2>{}</h2>", escape(s.charts));
    if charts.is_empty() {
        let _ = writeln!(h, "<p class=\"note\">{}</p>", escape(s.charts_skipped));
    }
    let rank = |name: &str| names.iter().position(|c| *c == name).unwrap_or(usize::MAX);
    let mut ordered: Vec<&(String, String)> = charts.iter().collect();
    ordered.sort_by_key(|(name, _)| rank(name));
    for (name, svg) in ordered {
        let caption = captions.iter().find(|c| c.0 == name).map(|c| c.1);
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
}

/// The reproducibility footer, with the run's size in a closing sentence,
/// and the end of the page.
pub(crate) fn footer(
    h: &mut String,
    lang: Lang,
    provenance: &Provenance,
    seed: u64,
    paths: u64,
    size: &str,
) {
    let s = lang.strings();
    let _ = write!(
        h,
        "<footer>\n<h2>{}</h2>\n<dl>\n",
        escape(s.reproducibility)
    );
    for (term, value) in [
        (s.version, provenance.version.clone()),
        (s.seed, seed.to_string()),
        (s.paths, lang.thousands(paths)),
        (s.scenario_sha256, provenance.scenario_sha256.clone()),
        (s.command_line, provenance.command_line.clone()),
    ] {
        let _ = writeln!(h, "<dt>{}</dt><dd>{}</dd>", escape(term), escape(&value));
    }
    let _ = write!(
        h,
        "</dl>\n<p>{} {}</p>\n</footer>\n</body>\n</html>\n",
        escape(size),
        escape(s.reproduce_note)
    );
}

/// A row of headline cards: (label, value, value in words?, detail).
pub(crate) fn cards(h: &mut String, heading: &str, cards: &[(String, String, bool, String)]) {
    let _ = write!(
        h,
        "<section>\n<h2>{}</h2>\n<div class=\"cards\">\n",
        escape(heading)
    );
    for (label, value, words, detail) in cards {
        let _ = writeln!(
            h,
            "<div class=\"card\"><p class=\"label\">{}</p><p class=\"value{}\">{}</p><p class=\"detail\">{}</p></div>",
            escape(label),
            if *words { " words" } else { "" },
            escape(value),
            escape(detail)
        );
    }
    h.push_str("</div>\n</section>\n");
}

/// A table cell holding a figure and, under it, its interval.
pub(crate) fn figure_cell(value: &str, interval: Option<&str>) -> String {
    match interval {
        Some(ci) => format!(
            "<td class=\"num\">{}<span class=\"ci\">{}</span></td>",
            escape(value),
            escape(ci)
        ),
        None => format!("<td class=\"num\">{}</td>", escape(value)),
    }
}

/// A table cell naming an input: its plain-language name, with the
/// scenario's spelling under it (or only the spelling when it has no other
/// name).
pub(crate) fn input_cell(name: &str, lang: Lang) -> String {
    let label = lang.param_label(name);
    // Long names may break after their dots, and nowhere else.
    let code = escape(name).replace('.', ".<wbr>");
    if label == name {
        format!("<td class=\"name\"><code>{code}</code></td>")
    } else {
        format!(
            "<td class=\"name\">{}<span class=\"sub\"><code>{code}</code></span></td>",
            escape(&label),
        )
    }
}

/// The report of a run as one self-contained HTML page. `charts` are the SVG
/// texts by chart name from [`crate::present::chart::write_run_charts`]; with none (a
/// run with `--no-charts`), the report says the charts were skipped.
pub fn run_report_html(
    scenario: &Scenario,
    run: &RunResult,
    binding: &Binding,
    checks: &[crate::analysis::backtest::Row],
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

    open_page(&mut h, lang, &lang.report_title(&scenario.meta.name));
    header(
        &mut h,
        s.report_kind,
        &scenario.meta.name,
        scenario.meta.description.as_deref(),
        &lang.report_meta(
            &lang.month(scenario.meta.start),
            horizon,
            &lang.month(scenario.date(horizon)),
            target.headcount,
            &target_date,
        ),
    );

    // Headline figures.
    let p = summary.p_target;
    let ever = summary.p_reached_by.last().copied().unwrap_or(0.0);
    let (median_month, words) = match summary.median_month_reached {
        Some(m) => (lang.month(scenario.date(m)), false),
        None => (capitalise(s.not_reached_by_half), true),
    };
    cards(
        &mut h,
        s.headline,
        &[
            (
                s.chance_of_target.to_string(),
                crate::present::text::uncertainty::headline_share(&p, summary.paths, lang),
                false,
                lang.p_target_detail(target.headcount, &target_date, &p, summary.paths),
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
        ],
    );

    // Whether the forecast is fitted to history.
    let _ = writeln!(
        h,
        "<p class=\"note\">{}</p>",
        escape(&crate::present::text::uncertainty::fit_status(
            scenario, lang
        ))
    );
    if let Some(backtest) = crate::present::text::uncertainty::backtest_status(checks, lang) {
        let _ = writeln!(h, "<p class=\"note\">{}</p>", escape(&backtest));
    }

    // The binding constraint.
    let (verdict, reason) = lang.binding_constraint(binding, target.headcount, &target_date);
    let _ = write!(
        h,
        "<section>\n<h2>{}</h2>\n<p><span class=\"verdict\">{}</span> {}</p>\n</section>\n",
        escape(s.what_binds),
        escape(&verdict),
        escape(&reason)
    );

    figures(&mut h, lang, charts, &CHART_NAMES, &s.captions);

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

    footer(
        &mut h,
        lang,
        provenance,
        run.options.seed,
        run.options.paths,
        &lang.run_size(run.options.paths, run.elapsed_seconds),
    );
    h
}

/// Differences in P(target), in points, with the decimals the largest needs:
/// two below one point, one otherwise.
fn points_decimals(c: &Comparison) -> usize {
    let largest = c
        .options
        .iter()
        .flat_map(|o| {
            let d = o.p_target_diff;
            [d.mean, d.ci95_low, d.ci95_high]
        })
        .fold(0.0f64, |m, v| m.max(v.abs() * 100.0));
    if largest < 1.0 { 2 } else { 1 }
}

/// The report of a comparison as one self-contained HTML page: the options
/// ranked with their paired differences and costs, the costing rule in
/// words, the options' descriptions, the charts of
/// [`crate::present::chart::write_compare_charts`] and the reproducibility footer.
pub fn compare_report_html(
    base: &Scenario,
    c: &Comparison,
    provenance: &Provenance,
    charts: &[(String, String)],
    information: Option<&Information>,
    lang: Lang,
) -> String {
    let s = lang.strings();
    let t = base.target;
    let date = lang.month(base.date(t.month));
    let mut h = String::new();
    open_analysis(
        &mut h,
        lang,
        base,
        s.compare_kind,
        &lang.compare_meta(
            t.headcount,
            &date,
            c.options.len(),
            c.settings.paths,
            !c.settings.independent_streams,
        ),
    );

    // The answer first.
    let answer = CompareAnswer::of(c);
    let _ = write!(
        h,
        "<section class=\"answer\">\n<h2>{}</h2>\n<ul>\n",
        escape(s.the_answer)
    );
    for sentence in answer_sentences(c, &answer, t, &date, lang) {
        let _ = writeln!(h, "<li>{}</li>", escape(&sentence));
    }
    h.push_str("</ul>\n</section>\n");

    // The table: by P(target) when an option reaches it, else by jobs per
    // dirham (options without a cost after, by jobs added); re-sortable.
    let by_chance = answer.most_likely.is_some();
    let _ = write!(
        h,
        "<section>\n<h2>{}</h2>\n<table class=\"wide sortable\">\n<thead><tr>",
        escape(if by_chance {
            s.ranking
        } else {
            s.ranking_by_value
        })
    );
    let headings = [
        (s.col_option, None),
        (s.col_p_target, Some("p")),
        (s.col_p_change, None),
        (&lang.median_jobs_column(&date) as &str, None),
        (s.col_jobs_change, Some("jobs")),
        (&lang.cost_column(&date) as &str, None),
        (s.col_jobs_per_million, Some("value")),
        (s.col_cost_per_job, None),
    ];
    for (heading, key) in headings {
        match key {
            Some(key) => {
                let _ = write!(
                    h,
                    "<th class=\"num\" data-key=\"{key}\"><button type=\"button\">{}\u{a0}\u{2195}</button></th>",
                    escape(heading)
                );
            }
            None if heading == s.col_option => {
                let _ = write!(h, "<th>{}</th>", escape(heading));
            }
            None => {
                let _ = write!(h, "<th class=\"num\">{}</th>", escape(heading));
            }
        }
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    let decimals = points_decimals(c);
    let points = |v: f64| lang.signed(v * 100.0, decimals);
    let value = |i: usize| JobsPerMillion::of(&c.options[i]);
    let order = table_order(c, &answer);
    let mut uncertain_gain = false;
    for slot in order {
        let o = &c.options[slot];
        let p = o.summary.p_target;
        let (d, g) = (o.p_target_diff, o.headcount_diff);
        let _ = write!(
            h,
            "<tr data-p=\"{}\" data-jobs=\"{}\" data-value=\"{}\"><td class=\"name\"><span class=\"swatch\" style=\"background:{}\"></span>{}</td>",
            p.estimate,
            if slot == 0 { 0.0 } else { g.mean },
            value(slot).map_or(-1.0, |j| j.estimate),
            crate::present::chart::theme::option_colour_hex(slot),
            escape(&option_name(o, slot, lang))
        );
        h.push_str(&figure_cell(
            &crate::present::text::uncertainty::headline_share(&p, c.settings.paths, lang),
            Some(&crate::present::text::uncertainty::share_interval(&p, lang)),
        ));
        if slot == 0 {
            h.push_str(&figure_cell(s.reference, None));
        } else {
            h.push_str(&figure_cell(
                &points(d.mean),
                Some(&lang.interval(&points(d.ci95_low), &points(d.ci95_high))),
            ));
        }
        h.push_str(&figure_cell(
            &lang.thousands(u64::from(o.summary.quantile(
                Series::Headcount,
                t.month,
                50,
            ))),
            None,
        ));
        if slot == 0 {
            h.push_str(&figure_cell(s.reference, None));
        } else {
            h.push_str(&figure_cell(
                &lang.signed_jobs(g.mean),
                Some(&format!(
                    "{}; {}",
                    lang.interval(
                        &lang.signed_jobs(g.ci95_low),
                        &lang.signed_jobs(g.ci95_high),
                    ),
                    lang.across_futures(g.variance.sqrt())
                )),
            ));
        }
        let cost_given = c.cost_given(slot);
        h.push_str(&figure_cell(
            &if cost_given {
                lang.number_fixed(o.cost_to_target / 1e6, 1)
            } else {
                s.no_cost.to_string()
            },
            None,
        ));
        let per_job = match (slot, o.cost_per_additional_job) {
            (0, _) => "\u{2013}".to_string(),
            (_, None) if !cost_given => s.no_cost.to_string(),
            (_, Some(v)) if !g.is_gain() => {
                uncertain_gain = true;
                format!(
                    "{}\u{a0}\u{2020}",
                    lang.thousands(((v / 100.0).round() * 100.0) as u64)
                )
            }
            (_, Some(v)) => lang.thousands(((v / 100.0).round() * 100.0) as u64),
            (_, None) => s.no_gain.to_string(),
        };
        match value(slot) {
            Some(j) => h.push_str(&figure_cell(
                &lang.jobs_per_million(j.estimate),
                Some(&lang.interval(
                    &lang.jobs_per_million(j.ci95_low),
                    &lang.jobs_per_million(j.ci95_high),
                )),
            )),
            None => h.push_str(&figure_cell("\u{2013}", None)),
        }
        h.push_str(&figure_cell(&per_job, None));
        h.push_str("</tr>\n");
    }
    let _ = write!(
        h,
        "</tbody>\n</table>\n<p class=\"note\">{}</p>\n",
        escape(if c.settings.independent_streams {
            s.ranking_note_independent
        } else {
            s.ranking_note
        })
    );
    if uncertain_gain {
        let _ = writeln!(
            h,
            "<p class=\"note\">\u{2020} {}</p>",
            escape(s.uncertain_gain)
        );
    }
    h.push_str("</section>\n");
    let _ = writeln!(
        h,
        "<p class=\"note sort-hint\">{}</p>\n<script>{SORT_SCRIPT}</script>",
        escape(s.sort_hint)
    );

    // What each option is and costs.
    let _ = write!(
        h,
        "<section>\n<h2>{}</h2>\n<dl class=\"options\">\n",
        escape(s.the_options)
    );
    for (slot, o) in c.options.iter().enumerate() {
        // The base is the reference the others are costed against.
        let costs = if slot == 0 && o.costs.is_free() {
            lang.base_costs().to_string()
        } else {
            lang.costs_in_words(
                o.costs.per_year,
                o.costs.per_hire,
                o.costs.per_job_at_target,
            )
        };
        let _ = write!(
            h,
            "<dt><span class=\"swatch\" style=\"background:{}\"></span>{}</dt><dd>",
            crate::present::chart::theme::option_colour_hex(slot),
            escape(&option_name(o, slot, lang))
        );
        if let Some(description) = &o.description {
            let _ = write!(h, "{}. ", escape(description.trim_end_matches('.')));
        }
        let start = lang.option_start(o.start_month, &lang.month(base.date(o.start_month)));
        let _ = write!(h, "{}", escape(&start));
        if !o.changes.is_empty() {
            let _ = write!(
                h,
                "<span class=\"sub\"><code>{}</code></span> ",
                escape(&lang.option_changes(&o.changes))
            );
        }
        let _ = writeln!(h, "{}</dd>", escape(&capitalise(&costs)));
    }
    h.push_str("</dl>\n</section>\n");

    // The costing rule.
    let _ = writeln!(h, "<section>\n<h2>{}</h2>", escape(s.how_costs_count));
    for paragraph in s.costing_rule {
        let _ = writeln!(h, "<p>{}</p>", escape(paragraph));
    }
    h.push_str("</section>\n");

    let mut captions = s.analysis_captions;
    let panels = c.options.len() > crate::present::chart::compare_fan::MAX_OVERLAID;
    let jobs_only = answer.most_likely.is_none();
    for caption in captions.iter_mut() {
        caption.1 = match (caption.0, c.settings.independent_streams) {
            ("compare_fan", true) => lang.compare_fan_independent_caption(panels),
            ("compare_fan", false) if panels => lang.compare_fan_panels_caption(),
            ("compare_target", true) => lang.compare_target_independent_caption(jobs_only),
            ("compare_target", false) if jobs_only => s.compare_target_jobs_only,
            _ => caption.1,
        };
    }
    figures(&mut h, lang, charts, &COMPARE_CHART_NAMES, &captions);
    if !charts.is_empty() && !charts.iter().any(|(name, _)| name == "cost_per_job") {
        let _ = writeln!(
            h,
            "<p class=\"note\">{}</p>",
            escape(lang.cost_chart_omitted())
        );
    }
    if let Some(info) = information {
        let chosen = info.chosen_now.map_or_else(
            || c.options[0].name.clone(),
            |k| c.options[k + 1].name.clone(),
        );
        let _ = writeln!(
            h,
            "<section>\n<p>{}</p>\n</section>",
            escape(&crate::present::text::plan::information_sentence(
                info, &chosen, lang
            ))
        );
        information_section(&mut h, info, lang);
    }
    footer(
        &mut h,
        lang,
        provenance,
        c.settings.seed,
        c.settings.paths,
        &lang.compare_size(c.options.len(), c.settings.paths, c.elapsed_seconds),
    );
    h
}

/// The order of a comparison's table, in the report, the workbook and the
/// terminal alike: by P(target) when an option is likely to reach it, else by
/// jobs per million MAD (options without a cost after, by jobs added).
pub fn table_order(c: &Comparison, answer: &CompareAnswer) -> Vec<usize> {
    let value = |i: usize| JobsPerMillion::of(&c.options[i]);
    let mut order: Vec<usize> = (0..c.options.len()).collect();
    if answer.most_likely.is_some() {
        order.sort_by_key(|&i| (c.options[i].rank_p_target, i));
    } else {
        let key = |i: usize| {
            (
                value(i).map_or(f64::NEG_INFINITY, |j| j.estimate),
                c.options[i].headcount_diff.mean,
            )
        };
        order.sort_by(|&a, &b| {
            let (x, y) = (key(a), key(b));
            y.0.total_cmp(&x.0)
                .then(y.1.total_cmp(&x.1))
                .then(a.cmp(&b))
        });
    }
    order
}

/// Re-sorts a `table.sortable` by the `data-*` value named by the clicked
/// heading's `data-key`, largest first; the page reads in full without it.
const SORT_SCRIPT: &str = "document.querySelectorAll('table.sortable th[data-key] button').forEach(function(b){b.addEventListener('click',function(){var th=b.parentNode,k=th.getAttribute('data-key'),body=th.closest('table').tBodies[0];Array.prototype.slice.call(body.rows).sort(function(x,y){return parseFloat(y.getAttribute('data-'+k))-parseFloat(x.getAttribute('data-'+k));}).forEach(function(r){body.appendChild(r);});});});";

/// The opening sentences of a comparison: jobs per dirham, jobs added, and
/// the chance of the target (first when some option is likely to reach it).
pub fn answer_sentences(
    c: &Comparison,
    answer: &CompareAnswer,
    t: Target,
    date: &str,
    lang: Lang,
) -> Vec<String> {
    let name = |i: usize| option_name(&c.options[i], i, lang);
    let value = match answer
        .most_jobs_per_mad
        .map(|i| (i, JobsPerMillion::of(&c.options[i])))
    {
        Some((i, Some(j))) => lang.answer_value(
            &name(i),
            &lang.jobs_per_million(j.estimate),
            &lang.interval(
                &lang.jobs_per_million(j.ci95_low),
                &lang.jobs_per_million(j.ci95_high),
            ),
            c.options[i].cost_per_additional_job.unwrap_or(f64::NAN),
            date,
        ),
        _ => lang.answer_no_value(),
    };
    let jobs = match answer.most_jobs {
        Some(i) => {
            let g = c.options[i].headcount_diff;
            lang.answer_jobs(
                &name(i),
                &lang.signed_jobs(g.mean),
                &lang.interval(
                    &lang.signed_jobs(g.ci95_low),
                    &lang.signed_jobs(g.ci95_high),
                ),
                date,
            )
        }
        None => lang.answer_no_jobs(),
    };
    let likely = match answer.most_likely {
        Some(i) => {
            let p = c.options[i].summary.p_target;
            lang.answer_likely(
                &name(i),
                &lang.share(p.estimate),
                &crate::present::text::uncertainty::share_interval(&p, lang),
                t.headcount,
                date,
            )
        }
        None => lang.answer_none_likely(t.headcount, date, LIKELY_FLOOR),
    };
    if answer.most_likely.is_some() {
        vec![likely, value, jobs]
    } else {
        vec![value, jobs, likely]
    }
}

/// The report of a sensitivity analysis as one self-contained HTML page: an
/// opening sentence, the charts of [`crate::present::chart::write_sensitivity_charts`],
/// the inputs ranked by swing, the method and the reproducibility footer.
/// `elapsed_seconds` is the time all runs took.
pub fn sensitivity_report_html(
    scenario: &Scenario,
    sens: &Sensitivity,
    provenance: &Provenance,
    charts: &[(String, String)],
    lang: Lang,
    elapsed_seconds: f64,
) -> String {
    let s = lang.strings();
    let t = scenario.target;
    let date = lang.month(scenario.date(t.month));
    let mut h = String::new();
    open_analysis(
        &mut h,
        lang,
        scenario,
        s.sensitivity_kind,
        &lang.sensitivity_meta(t.headcount, &date, sens.inputs.len(), sens.paths),
    );
    if let Some(top) = sens.inputs.first() {
        let _ = writeln!(
            h,
            "<section>\n<p class=\"lead\">{}</p>\n</section>",
            escape(&lang.sensitivity_intro(
                &date,
                sens.base_median,
                sens.inputs.len(),
                &top.parameter,
                top.median_low,
                top.median_high,
            ))
        );
    }
    figures(
        &mut h,
        lang,
        charts,
        &SENSITIVITY_CHART_NAMES,
        &s.analysis_captions,
    );

    // The ranked table; the chance of the target only when some run reaches it.
    let chances = sens.base_p_target > 0.0
        || sens
            .inputs
            .iter()
            .any(|x| x.p_target_low > 0.0 || x.p_target_high > 0.0);
    let _ = write!(
        h,
        "<section>\n<h2>{}</h2>\n<table class=\"wide\">\n<thead><tr>",
        escape(s.inputs_ranked)
    );
    let mut headings: Vec<(String, bool)> = vec![
        (s.col_rank.to_string(), true),
        (s.col_input.to_string(), false),
        (s.col_fixed_at.to_string(), true),
        (lang.median_jobs_column(&date), true),
        (s.col_swing.to_string(), true),
        (s.col_prcc.to_string(), true),
    ];
    if chances {
        headings.push((s.chance_of_target_short.to_string(), true));
        headings.push((s.col_p_per_sd.to_string(), true));
    }
    for (heading, num) in &headings {
        let _ = write!(
            h,
            "<th{}>{}</th>",
            if *num { " class=\"num\"" } else { "" },
            escape(heading)
        );
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for (i, x) in sens.inputs.iter().enumerate() {
        let _ = write!(h, "<tr><td class=\"num\">{}</td>", i + 1);
        h.push_str(&input_cell(&x.parameter, lang));
        h.push_str(&figure_cell(
            &lang.arrow(
                &lang.param_value(&x.parameter, x.low_value),
                &lang.param_value(&x.parameter, x.high_value),
            ),
            None,
        ));
        h.push_str(&figure_cell(
            &lang.arrow(
                &lang.thousands(u64::from(x.median_low)),
                &lang.thousands(u64::from(x.median_high)),
            ),
            None,
        ));
        h.push_str(&figure_cell(&lang.thousands(u64::from(x.swing())), None));
        h.push_str(&figure_cell(
            &lang.signed(x.prcc, 2),
            Some(&lang.interval(
                &lang.signed(x.prcc_ci95_low, 2),
                &lang.signed(x.prcc_ci95_high, 2),
            )),
        ));
        if chances {
            h.push_str(&figure_cell(
                &lang.arrow(&lang.share(x.p_target_low), &lang.share(x.p_target_high)),
                None,
            ));
            h.push_str(&figure_cell(&lang.points(x.p_target_per_sd), None));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
    if !chances {
        let _ = writeln!(
            h,
            "<p class=\"note\">{}</p>",
            escape(&lang.no_run_reaches(t.headcount, &date))
        );
    }
    h.push_str("</section>\n");
    let _ = write!(
        h,
        "<section>\n<h2>{}</h2>\n<p>{}</p>\n</section>\n",
        escape(s.method),
        escape(s.sensitivity_method)
    );
    let runs = 1 + 2 * sens.inputs.len();
    footer(
        &mut h,
        lang,
        provenance,
        sens.seed,
        sens.paths,
        &lang.runs_size(runs, sens.paths, elapsed_seconds),
    );
    h
}

/// The restrictions of a PRIM box as `(parameter, low end, high end)`, each
/// end given only where the box restricts it, in input order.
pub fn box_conditions(
    names: &[String],
    result: &PrimResult,
) -> Vec<(String, Option<f64>, Option<f64>)> {
    result
        .restricted()
        .into_iter()
        .map(|(j, low, high)| (names[j].clone(), low, high))
        .collect()
}

/// The finding of scenario discovery in one sentence, in `lang`.
pub fn box_sentence(
    scenario: &Scenario,
    names: &[String],
    result: &PrimResult,
    lang: Lang,
) -> String {
    let t = scenario.target;
    let all = result.trajectory.first();
    let total = all.map_or(1, |s| s.paths_in_box).max(1) as f64;
    lang.box_sentence(
        t.headcount,
        &lang.month(scenario.date(t.month)),
        &box_conditions(names, result),
        result.chosen.density,
        result.chosen.coverage,
        result.chosen.paths_in_box as f64 / total,
        all.map_or(0.0, |s| s.density),
    )
}

/// What a discovery ran on, for its report.
#[derive(Clone, Copy, Debug)]
pub struct DiscoverFacts {
    /// Paths simulated.
    pub paths: u64,
    /// Master seed.
    pub seed: u64,
    /// Wall-clock time of the simulation and the peeling.
    pub elapsed_seconds: f64,
}

/// The end of a discovery report: how PRIM works, and what the run was.
fn discover_method_and_footer(
    h: &mut String,
    lang: Lang,
    provenance: &Provenance,
    facts: DiscoverFacts,
) {
    let s = lang.strings();
    let _ = write!(
        h,
        "<section>\n<h2>{}</h2>\n<p>{}</p>\n</section>\n",
        escape(s.method),
        escape(s.discover_method)
    );
    footer(
        h,
        lang,
        provenance,
        facts.seed,
        facts.paths,
        &lang.run_size(facts.paths, facts.elapsed_seconds),
    );
}

/// What a discovery finds when no future reaches the target (`every` false)
/// or every one does, with `suggestion`, a target about a third reach.
pub fn unreached_sentence(
    scenario: &Scenario,
    every: bool,
    suggestion: u32,
    paths: u64,
    lang: Lang,
) -> String {
    let t = scenario.target;
    let date = lang.month(scenario.date(t.month));
    lang.discover_unreached(every, t.headcount, &date, paths, suggestion)
}

/// The discovery report when there is nothing to discover: no future reaches
/// the target, or every one does ([`unreached_sentence`]).
pub fn discover_unreached_html(
    scenario: &Scenario,
    every: bool,
    suggestion: u32,
    provenance: &Provenance,
    lang: Lang,
    facts: DiscoverFacts,
) -> String {
    let s = lang.strings();
    let t = scenario.target;
    let date = lang.month(scenario.date(t.month));
    let finding = unreached_sentence(scenario, every, suggestion, facts.paths, lang);
    let mut h = String::new();
    open_analysis(
        &mut h,
        lang,
        scenario,
        s.discover_kind, // No share here: the finding says "none" or "every one" in words.
        &lang.discover_success(t.headcount, &date),
    );
    let _ = write!(
        h,
        "<section>\n<h2>{}</h2>\n<p class=\"lead\">{}</p>\n</section>\n",
        escape(s.finding),
        escape(&finding)
    );
    discover_method_and_footer(&mut h, lang, provenance, facts);
    h
}

/// The report of a scenario discovery as one self-contained HTML page: the
/// finding in a sentence, the box's figures, the chart of
/// [`crate::present::chart::write_discover_charts`], the box input by input, the
/// method and the reproducibility footer. `names` are the inputs' names, as
/// the scenario spells them, in the order of the box's bounds.
pub fn discover_report_html(
    scenario: &Scenario,
    names: &[String],
    result: &PrimResult,
    provenance: &Provenance,
    charts: &[(String, String)],
    lang: Lang,
    facts: DiscoverFacts,
) -> String {
    let s = lang.strings();
    let t = scenario.target;
    let date = lang.month(scenario.date(t.month));
    let overall = result.trajectory.first().map_or(0.0, |p| p.density);
    let total = result
        .trajectory
        .first()
        .map_or(1, |p| p.paths_in_box)
        .max(1);
    let chosen = &result.chosen;
    let mut h = String::new();
    open_analysis(
        &mut h,
        lang,
        scenario,
        s.discover_kind,
        &lang.discover_meta(t.headcount, &date, overall, facts.paths),
    );
    let _ = write!(
        h,
        "<section>\n<h2>{}</h2>\n<p class=\"lead\">{}</p>\n</section>\n",
        escape(s.finding),
        escape(&box_sentence(scenario, names, result, lang))
    );
    let (density, coverage, support, everywhere) = lang.box_card_labels();
    let successes = (overall * total as f64).round() as u64;
    cards(
        &mut h,
        s.headline,
        &[
            (
                density,
                lang.share(chosen.density),
                false,
                lang.box_density_detail(t.headcount, &date),
            ),
            (
                coverage,
                lang.share(chosen.coverage),
                false,
                lang.of_successes(successes),
            ),
            (
                support,
                lang.share(chosen.paths_in_box as f64 / total as f64),
                false,
                lang.futures_count(chosen.paths_in_box as u64),
            ),
            (
                everywhere,
                lang.share(overall),
                false,
                lang.futures_count(total as u64),
            ),
        ],
    );
    figures(
        &mut h,
        lang,
        charts,
        &DISCOVER_CHART_NAMES,
        &[
            s.analysis_captions.as_slice(),
            &[("prim_box", lang.prim_box_caption())],
        ]
        .concat(),
    );

    // The box, restricted inputs first.
    let restrictions = result.restricted();
    let restricted: Vec<usize> = restrictions.iter().map(|r| r.0).collect();
    let mut order: Vec<usize> = restricted.clone();
    order.extend((0..names.len()).filter(|j| !restricted.contains(j)));
    let _ = write!(
        h,
        "<section>\n<h2>{}</h2>\n<table class=\"long\">\n<thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
        escape(s.the_box),
        escape(s.col_input),
        escape(s.col_box_range),
        escape(s.col_full_range)
    );
    for (k, j) in order.into_iter().enumerate() {
        let name = &names[j];
        let (flo, fhi) = result.full[j];
        let is_restricted = restricted.contains(&j);
        let mut class = Vec::new();
        if !is_restricted {
            class.push("muted");
        }
        if k == restricted.len() && k > 0 {
            class.push("group-start");
        }
        let _ = write!(
            h,
            "<tr{}>",
            if class.is_empty() {
                String::new()
            } else {
                format!(" class=\"{}\"", class.join(" "))
            }
        );
        h.push_str(&input_cell(name, lang));
        let in_box = match restrictions.iter().find(|r| r.0 == j) {
            Some(&(_, low, high)) => lang.box_range(name, low, high),
            None => s.any_value.to_string(),
        };
        let cell = if is_restricted {
            format!(
                "<td class=\"num\"><strong>{}</strong></td>",
                escape(&in_box)
            )
        } else {
            figure_cell(&in_box, None)
        };
        h.push_str(&cell);
        h.push_str(&figure_cell(&lang.range(name, flo, fhi), None));
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
    discover_method_and_footer(&mut h, lang, provenance, facts);
    h
}

/// What a value of information is of, in words: a named group ("the demand
/// inputs ..."), every input (the EVPI), or one input by its plain name.
pub(crate) fn information_label(name: &str, lang: Lang) -> String {
    let en = lang == Lang::En;
    match (name, en) {
        ("all", true) => "every uncertain input (EVPI)".to_string(),
        ("all", false) => "toutes les hypothèses incertaines (EVPI)".to_string(),
        ("demand", true) => "the demand inputs (firms, arrivals, closures)".to_string(),
        ("demand", false) => {
            "les hypothèses de demande (entreprises, arrivées, fermetures)".to_string()
        }
        ("labour", true) => "the labour inputs (pool, graduates, attrition)".to_string(),
        ("labour", false) => {
            "les hypothèses de main-d’œuvre (vivier, diplômés, départs)".to_string()
        }
        ("measures", true) => "the measures' own effects".to_string(),
        ("measures", false) => "les effets propres des mesures".to_string(),
        (other, _) => lang.param_label(other),
    }
}

/// The section of a report on the value of information: the EVPI, each group
/// and each input, in MAD with their simulation error and in jobs.
pub(crate) fn information_section(h: &mut String, info: &Information, lang: Lang) {
    let en = lang == Lang::En;
    let tr = |e: &str, f: &str| if en { e.to_string() } else { f.to_string() };
    let millions = crate::present::text::plan::millions;
    let _ = writeln!(
        h,
        "<section>\n<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        escape(&tr(
            "Which uncertainty is worth resolving first",
            "Quelle incertitude lever d’abord"
        )),
        escape(&tr(
            "Knowing, before deciding",
            "Connaître, avant de décider"
        )),
        escape(&tr(
            "Worth (95% simulation error)",
            "Valeur (erreur de simulation à 95\u{a0}%)"
        )),
        escape(&tr("In jobs", "En emplois")),
    );
    let group_label = |name: &str| information_label(name, lang);
    for v in std::iter::once(&info.evpi)
        .chain(&info.groups)
        .chain(&info.inputs)
    {
        let _ = writeln!(
            h,
            "<tr><td class=\"name\">{}</td><td class=\"num\">{}<span class=\"ci\">± {}</span></td><td class=\"num\">{}</td></tr>",
            escape(&group_label(&v.name)),
            escape(&millions(lang, v.value_mad.max(0.0))),
            escape(&millions(lang, v.halfwidth())),
            escape(&lang.number(v.value_mad.max(0.0) / info.value_per_job)),
        );
    }
    let _ = writeln!(
        h,
        "</tbody>\n</table>\n<p class=\"note\">{}</p>\n</section>",
        escape(&tr(
            "The expected gain in net benefit (a job's value times the jobs added, minus the cost) from choosing among the frontier packages after learning the input rather than now, estimated by regression on the same paths (Strong, Oakley and Brennan, 2014), cross-fitted so that noise is not taken for information. That makes it lean low, the more so with many close options and few paths: an estimate below zero is shown as 0 (information.csv keeps it).",
            "Le gain attendu de bénéfice net (la valeur d’un emploi fois les emplois ajoutés, moins le coût) à choisir parmi les paquets de la frontière après avoir appris l’hypothèse plutôt qu’aujourd’hui, estimé par régression sur les mêmes trajectoires (Strong, Oakley et Brennan, 2014), en validation croisée pour ne pas prendre le bruit pour de l’information. L’estimation penche donc vers le bas, d’autant plus que les options proches sont nombreuses et les trajectoires peu nombreuses\u{a0}: une estimation négative est affichée comme 0 (information.csv la garde)."
        ))
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::analysis::compare::{CompareOptions, compare};
    use crate::analysis::discover::PeelStep;
    use crate::analysis::sensitivity::InputSensitivity;
    use crate::input::oujda::{OUJDA, OUJDA_JULY_2020};
    use crate::input::policy::{Policy, load_with_policies};

    fn provenance() -> Provenance {
        Provenance {
            scenario: "x".to_string(),
            version: "0.1.0".to_string(),
            scenario_sha256: "ab".repeat(32),
            command_line: "shorecast compare".to_string(),
        }
    }

    #[test]
    fn the_comparison_report_ranks_options_and_states_the_costing_rule() {
        let (base, mut policies) = load_with_policies(OUJDA_JULY_2020, "oujda").unwrap();
        policies[0].name = crate::core::local_text::LocalText::plain("Training <b>& more</b>");
        let mut options = vec![Policy::base(base.clone(), "Base case")];
        options.extend(policies);
        let settings = CompareOptions {
            paths: 200,
            seed: 3,
            independent_streams: false,
        };
        let c = compare(&options, settings, 0, &|_| {});
        let html = compare_report_html(&base, &c, &provenance(), &[], None, Lang::En);
        // No option reaches 5,000: the table follows jobs per dirham.
        assert!(html.contains("Options ranked by jobs per dirham"));
        assert!(html.contains("Training &lt;b&gt;&amp; more&lt;/b&gt;"));
        assert!(!html.contains("<b>&"));
        // Rows by jobs per million MAD (the base, with none, last), each with
        // its chart colour.
        let mut at = 0;
        let mut order: Vec<&crate::analysis::compare::OptionResult> = c.options.iter().collect();
        let value = |o: &crate::analysis::compare::OptionResult| {
            JobsPerMillion::of(o).map_or(f64::NEG_INFINITY, |j| j.estimate)
        };
        order.sort_by(|a, b| value(b).total_cmp(&value(a)));
        assert_eq!(order.last().unwrap().name, "Base case");
        for o in order {
            let name = escape(&o.name);
            let found = html[at..].find(&format!("</span>{name}</td>"));
            assert!(found.is_some(), "{} out of rank order", o.name);
            at += found.unwrap();
        }
        assert!(html.contains("background:#332288"));
        assert!(html.contains("background:#6B6B6B"), "the base is grey");
        assert!(html.contains("How costs are counted"));
        assert!(html.contains("deadweight"));
        assert!(html.contains("6,000 MAD per job created"));
        assert!(html.contains("30,000,000 MAD a year"));
        assert!(html.contains("Cost to Jul 2022, MAD millions"));
        assert!(html.contains("reference"));
        assert!(html.contains("--no-charts"), "no charts were given");
        assert!(html.contains("<dd>3</dd>"), "the seed");
        let fr = compare_report_html(&base, &c, &provenance(), &[], None, Lang::Fr);
        assert!(fr.contains("<html lang=\"fr\">"));
        assert!(fr.contains("Comment les coûts sont comptés"));
        assert!(fr.contains("Scénario de base"));
    }

    fn input(name: &str, p: (f64, f64)) -> InputSensitivity {
        InputSensitivity {
            parameter: name.to_string(),
            prcc: 0.58,
            prcc_ci95_low: 0.56,
            prcc_ci95_high: 0.6,
            p_target_per_sd: 0.1,
            low_value: 1704.0,
            high_value: 3697.0,
            p_target_low: p.0,
            p_target_high: p.1,
            median_low: 1952,
            median_high: 2435,
        }
    }

    #[test]
    fn the_sensitivity_report_leaves_out_chances_nobody_reaches() {
        let scenario = Scenario::from_toml_str(OUJDA, "oujda").unwrap();
        let mut sens = Sensitivity {
            base_p_target: 0.0,
            base_median: 2198,
            paths: 300,
            seed: 5,
            inputs: vec![input("labour.initial_pool", (0.0, 0.0))],
        };
        let html = sensitivity_report_html(&scenario, &sens, &provenance(), &[], Lang::En, 1.5);
        assert!(html.contains("Moving qualified job-seekers at the start (labour.initial_pool) from its 10th to its 90th percentile takes the median from 1,952 to 2,435 jobs"), "{html}");
        assert!(html.contains("labour.<wbr>initial_pool"));
        assert!(html.contains("1,704 \u{2192} 3,697"));
        assert!(html.contains("No run reaches 5,000 jobs in Jul 2022"));
        assert!(!html.contains("Change in chance per standard deviation"));
        assert!(html.contains("3 runs of 300 paths simulated in 1.5 s."));
        sens.inputs[0] = input("labour.initial_pool", (0.02, 0.63));
        let html = sensitivity_report_html(&scenario, &sens, &provenance(), &[], Lang::En, 1.5);
        assert!(html.contains("Change in chance per standard deviation"));
        assert!(html.contains("2.0% \u{2192} 63.0%"));
        assert!(html.contains("+10.0 pts"));
    }

    #[test]
    fn the_discovery_report_lists_the_restricted_inputs_first() {
        let mut scenario = Scenario::from_toml_str(OUJDA, "oujda").unwrap();
        scenario.target.headcount = 2400;
        let names = vec![
            "labour.uptake_monthly".to_string(),
            "firm[Intelcia].happens".to_string(),
            "labour.initial_pool".to_string(),
        ];
        let full = vec![(0.2, 0.4), (0.0, 1.0), (1027.0, 4882.0)];
        let step = |coverage, density, paths_in_box, bounds: Vec<(f64, f64)>| PeelStep {
            coverage,
            density,
            paths_in_box,
            bounds,
        };
        let chosen = vec![(0.2, 0.4), (1.0, 1.0), (2545.0, 4882.0)];
        let r = PrimResult {
            trajectory: vec![
                step(1.0, 0.27, 3000, full.clone()),
                step(0.84, 0.495, 1377, chosen.clone()),
            ],
            chosen_step: 1,
            chosen: step(0.84, 0.495, 1377, chosen),
            full,
        };
        let facts = DiscoverFacts {
            paths: 3000,
            seed: 2020,
            elapsed_seconds: 0.2,
        };
        let html = discover_report_html(&scenario, &names, &r, &provenance(), &[], Lang::En, facts);
        assert!(html.contains("2,400 jobs by Jul 2022 are reached in 49.5% of futures where Intelcia comes, with at least 2,545 qualified job-seekers at the start; these futures hold 84.0% of all successes (45.9% of all futures)."));
        let intelcia = html.find("Intelcia comes<span").unwrap();
        let pool = html
            .find("qualified job-seekers at the start<span")
            .unwrap();
        let uptake = html
            .find("share of the pool available each month<span")
            .unwrap();
        assert!(intelcia < pool && pool < uptake, "restricted inputs first");
        assert!(html.contains("<strong>at least 2,545</strong>"));
        assert!(html.contains("not restricted"));
        assert!(html.contains("comes or not"));
        assert!(html.contains("of the 810 successful futures"));
        assert_eq!(
            box_sentence(&scenario, &names, &r, Lang::Fr),
            "2\u{202f}400\u{a0}emplois en juil. 2022 sont atteints dans 49,5\u{a0}% des avenirs où Intelcia s’installe, avec au moins 2\u{202f}545 candidats qualifiés au départ\u{a0}; ces avenirs regroupent 84,0\u{a0}% des succès (45,9\u{a0}% de l’ensemble des avenirs)."
        );
    }

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
