//! Excel workbooks beside the CSV files: `results.xlsx` for a run and
//! `comparison.xlsx` for a comparison. One sheet per table, with real numbers,
//! real dates and number formats (so a French Excel shows "12,3 %" and
//! "juil. 2022" by itself), and native Excel charts of the headline series that
//! planners can restyle. Column names are the CSV files' own; chart titles and
//! series names follow `--lang`.

use rust_xlsxwriter::{
    Chart, ChartAxisCrossing, ChartFont, ChartLine, ChartLineDashType, ChartType, ColNum,
    DocProperties, ExcelDateTime, Format, FormatAlign, RowNum, Workbook, Worksheet, XlsxError,
};

use crate::analysis::compare::Comparison;
use crate::analysis::findings::{Binding, JobsPerMillion, LIKELY_FLOOR};
use crate::core::calendar::YearMonth;
use crate::core::model::Series;
use crate::core::scenario::Scenario;
use crate::core::stats::{QUANTILES, Summary};
use crate::present::text::Lang;

/// The number formats of the workbooks.
struct Formats {
    header: Format,
    date: Format,
    whole: Format,
    one_decimal: Format,
    two_decimals: Format,
    percent: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new().set_bold(),
            date: Format::new().set_num_format("mmm yyyy"),
            whole: Format::new().set_num_format("#,##0"),
            one_decimal: Format::new().set_num_format("#,##0.0"),
            two_decimals: Format::new().set_num_format("#,##0.00"),
            percent: Format::new().set_num_format("0.0%"),
        }
    }
}

/// A calendar month as the first day of that month.
fn excel_date(date: YearMonth) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, 1)
}

/// Writes bold column headings in row 0, freezes them, and prints the sheet
/// one page wide with the headings on every page.
fn headings(sheet: &mut Worksheet, names: &[&str], f: &Formats) -> Result<(), XlsxError> {
    for (col, name) in names.iter().enumerate() {
        sheet.write_string_with_format(0, col as ColNum, *name, &f.header)?;
        sheet.set_column_width(col as ColNum, (name.len() as f64 + 2.0).max(10.0))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_repeat_rows(0, 0)?;
    print_on_landscape_pages(sheet);
    Ok(())
}

/// Prints a sheet on landscape pages, one page wide (a wide table otherwise
/// prints its columns on page after page).
fn print_on_landscape_pages(sheet: &mut Worksheet) {
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
}

/// A chart title in 12-point type: the default 18-point title wraps a long
/// title over the plot.
fn title_font() -> ChartFont {
    let mut font = ChartFont::new();
    font.set_size(12);
    font
}

/// The workbook of a run: `summary`, `quantiles` (as `quantiles.csv`),
/// `hitting` (as `hitting.csv`) and `charts` (the headcount fan as lines and
/// the chance of having reached the target).
pub fn run_workbook(
    scenario: &Scenario,
    summary: &Summary,
    binding: &Binding,
    lang: Lang,
) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let s = lang.strings();
    let mut book = reproducible_workbook()?;
    let t = scenario.target;
    let horizon = scenario.meta.horizon_months;

    let sheet = book.add_worksheet().set_name("summary")?;
    headings(sheet, &["figure", "value"], &f)?;
    sheet.set_column_width(0, 44)?;
    sheet.set_column_width(1, 16)?;
    let at = |q| f64::from(summary.quantile(Series::Headcount, t.month, q));
    let rows: [(&str, f64, &Format); 12] = [
        ("target_headcount", f64::from(t.headcount), &f.whole),
        ("target_month", f64::from(t.month), &f.whole),
        ("p_target", summary.p_target.estimate, &f.percent),
        ("p_target_ci95_low", summary.p_target.ci95_low, &f.percent),
        ("p_target_ci95_high", summary.p_target.ci95_high, &f.percent),
        ("headcount_at_target_p05", at(5), &f.whole),
        ("headcount_at_target_p50", at(50), &f.whole),
        ("headcount_at_target_p95", at(95), &f.whole),
        (
            "jobs_added_if_labour_unlimited",
            binding.labour_unlimited.added_jobs,
            &f.one_decimal,
        ),
        (
            "jobs_added_if_seats_doubled",
            binding.seats_doubled.added_jobs,
            &f.one_decimal,
        ),
        (
            "jobs_added_if_both",
            binding.both.added_jobs,
            &f.one_decimal,
        ),
        (
            "labour_limited_share",
            summary.labour_limited_share,
            &f.percent,
        ),
    ];
    sheet.write_string(1, 0, "scenario")?;
    sheet.write_string(1, 1, scenario.meta.name.to_string())?;
    for (i, (name, value, format)) in rows.iter().enumerate() {
        let row = i as RowNum + 2;
        sheet.write_string(row, 0, *name)?;
        sheet.write_number_with_format(row, 1, *value, format)?;
    }
    let row = rows.len() as RowNum + 2;
    sheet.write_string(row, 0, "binding_constraint")?;
    sheet.write_string(row, 1, lang.binding_constraint(binding, t.headcount, "").0)?;

    let sheet = book.add_worksheet().set_name("quantiles")?;
    let mut names = vec!["series", "month", "date", "mean"];
    let columns: Vec<String> = QUANTILES.iter().map(|q| format!("p{q:02}")).collect();
    names.extend(columns.iter().map(String::as_str));
    headings(sheet, &names, &f)?;
    sheet.set_column_width(0, 20)?;
    let mut row: RowNum = 1;
    for series in Series::ALL {
        for m in 0..=horizon {
            sheet.write_string(row, 0, series.name())?;
            sheet.write_number(row, 1, m)?;
            sheet.write_datetime_with_format(row, 2, excel_date(scenario.date(m))?, &f.date)?;
            sheet.write_number_with_format(row, 3, summary.mean(series, m), &f.one_decimal)?;
            for (k, &q) in QUANTILES.iter().enumerate() {
                let v = f64::from(summary.quantile(series, m, q));
                sheet.write_number_with_format(row, 4 + k as ColNum, v, &f.whole)?;
            }
            row += 1;
        }
    }

    let sheet = book.add_worksheet().set_name("hitting")?;
    headings(sheet, &["month", "date", "p_reached"], &f)?;
    for (m, p) in summary.p_reached_by.iter().enumerate() {
        let row = m as RowNum + 1;
        sheet.write_number(row, 0, m as f64)?;
        sheet.write_datetime_with_format(row, 1, excel_date(scenario.date(m as u32))?, &f.date)?;
        sheet.write_number_with_format(row, 2, *p, &f.percent)?;
    }

    // Headcount is the first series: rows 1..=horizon + 1 of `quantiles`.
    let last = horizon + 1;
    // The title names the scenario: user text, written in a cell and referred
    // to, so that no character of it is read as a chart formula.
    let charts = book.add_worksheet().set_name("charts")?;
    charts.write_string(
        0,
        0,
        format!("{}{}{}", s.fan_title, s.colon, scenario.meta.name),
    )?;
    let mut fan = Chart::new(ChartType::Line);
    fan.title()
        .set_name(("charts", 0, 0))
        .set_font(&title_font());
    // One hue, as in the fan chart: the median dark and thick, the 25th and
    // 75th percentiles lighter, the 5th and 95th dashed.
    let (outer, inner, median) = ("#8FA8C8", "#4C72B0", "#1B2F5B");
    for (label, col, colour, width, dash) in [
        (
            format!("{} 5%", s.jobs),
            4,
            outer,
            1.25,
            ChartLineDashType::Dash,
        ),
        (
            format!("{} 25%", s.jobs),
            6,
            inner,
            1.5,
            ChartLineDashType::Solid,
        ),
        (
            s.median.to_string(),
            7,
            median,
            2.75,
            ChartLineDashType::Solid,
        ),
        (
            format!("{} 75%", s.jobs),
            8,
            inner,
            1.5,
            ChartLineDashType::Solid,
        ),
        (
            format!("{} 95%", s.jobs),
            10,
            outer,
            1.25,
            ChartLineDashType::Dash,
        ),
    ] {
        fan.add_series()
            .set_name(&label)
            .set_categories(("quantiles", 1, 2, last, 2))
            .set_values(("quantiles", 1, col, last, col))
            .set_format(
                ChartLine::new()
                    .set_color(colour)
                    .set_width(width)
                    .set_dash_type(dash),
            );
    }
    fan.set_width(720);
    fan.x_axis().set_num_format("mmm yyyy");
    fan.y_axis().set_name(s.jobs);
    let mut hitting = Chart::new(ChartType::Line);
    hitting
        .title()
        .set_name(s.hitting_title)
        .set_font(&title_font());
    hitting
        .add_series()
        .set_name(s.reached_target)
        .set_categories(("hitting", 1, 1, last, 1))
        .set_values(("hitting", 1, 2, last, 2));
    hitting.x_axis().set_num_format("mmm yyyy");
    hitting.y_axis().set_num_format("0%");
    hitting.legend().set_hidden();
    hitting.set_width(720);
    let sheet = book.worksheet_from_name("charts")?;
    print_on_landscape_pages(sheet);
    sheet.insert_chart(1, 1, &fan)?;
    // A flat line at zero says nothing: when almost no path reaches the
    // target, a sentence takes the chart's place.
    let reached = summary.p_reached_by.last().copied().unwrap_or(0.0);
    if reached >= LIKELY_FLOOR {
        sheet.insert_chart(18, 1, &hitting)?;
    } else {
        // Wrapped within the chart's width, so the page is not widened.
        let wrapped = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        let note = lang.hitting_omitted(t.headcount, LIKELY_FLOOR);
        sheet.merge_range(18, 1, 21, 11, &note, &wrapped)?;
    }
    book.save_to_buffer()
}

/// The workbook of a comparison: `comparison` (one row per option) and
/// `charts` (jobs added and jobs per million MAD, by option).
pub fn comparison_workbook(
    scenario: &Scenario,
    c: &Comparison,
    lang: Lang,
) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let s = lang.strings();
    let mut book = reproducible_workbook()?;
    let m = scenario.target.month;
    let date = lang.month(scenario.date(m));
    let sheet = book.add_worksheet().set_name("comparison")?;
    headings(
        sheet,
        &[
            "option",
            "p_target",
            "p_target_ci95_low",
            "p_target_ci95_high",
            "headcount_p50",
            "headcount_diff",
            "headcount_diff_ci95_low",
            "headcount_diff_ci95_high",
            "cost_mad_to_target",
            "jobs_per_million_mad",
            "jobs_per_million_mad_ci95_low",
            "jobs_per_million_mad_ci95_high",
            "cost_mad_per_additional_job",
        ],
        &f,
    )?;
    sheet.set_column_width(0, 40)?;
    // Rows in the report's order.
    let answer = crate::analysis::findings::CompareAnswer::of(c);
    for (place, &i) in crate::present::report::table_order(c, &answer)
        .iter()
        .enumerate()
    {
        let o = &c.options[i];
        let row = place as RowNum + 1;
        let p = o.summary.p_target;
        let d = o.headcount_diff;
        sheet.write_string(row, 0, &o.name)?;
        for (col, v) in [(1, p.estimate), (2, p.ci95_low), (3, p.ci95_high)] {
            sheet.write_number_with_format(row, col, v, &f.percent)?;
        }
        let median = f64::from(o.summary.quantile(Series::Headcount, m, 50));
        sheet.write_number_with_format(row, 4, median, &f.whole)?;
        for (col, v) in [(5, d.mean), (6, d.ci95_low), (7, d.ci95_high)] {
            sheet.write_number_with_format(row, col, v, &f.one_decimal)?;
        }
        if c.cost_given(i) {
            sheet.write_number_with_format(row, 8, o.cost_to_target, &f.whole)?;
        } else {
            sheet.write_string(row, 8, s.no_cost)?;
        }
        if let Some(j) = JobsPerMillion::of(o) {
            for (col, v) in [(9, j.estimate), (10, j.ci95_low), (11, j.ci95_high)] {
                sheet.write_number_with_format(row, col, v, &f.two_decimals)?;
            }
        }
        if let Some(v) = o.cost_per_additional_job {
            sheet.write_number_with_format(row, 12, v, &f.whole)?;
        }
    }
    let last = c.options.len() as RowNum;
    let bar = |title: String, col: ColNum| {
        let mut chart = Chart::new(ChartType::Bar);
        chart.title().set_name(&title).set_font(&title_font());
        chart
            .add_series()
            .set_categories(("comparison", 2, 0, last, 0))
            .set_values(("comparison", 2, col, last, col));
        // Bars run top-down in the table's order (Excel draws the first
        // category at the bottom).
        // The value axis then stays below the bars.
        chart
            .y_axis()
            .set_reverse()
            .set_crossing(ChartAxisCrossing::Max);
        chart.legend().set_hidden();
        // Wide enough for long option names beside the bars.
        chart.set_width(720);
        chart
    };
    let jobs = bar(lang.gain_panel(&date), 5);
    let value = bar(lang.jobs_per_million_title(), 9);
    let sheet = book.add_worksheet().set_name("charts")?;
    print_on_landscape_pages(sheet);
    sheet.insert_chart(1, 1, &jobs)?;
    sheet.insert_chart(18, 1, &value)?;
    book.save_to_buffer()
}

/// A workbook whose file properties carry a fixed creation time (1980-01-01,
/// the zip epoch) instead of the clock's, so that the same results always give
/// the same bytes (and merged shards the single run's).
/// The workbook of a plan: the confirmed packages (cheapest first) and every
/// package raced.
pub fn plan_workbook(
    levers: &crate::input::lever::Levers,
    p: &crate::analysis::plan::Plan,
    lang: Lang,
) -> Result<Vec<u8>, XlsxError> {
    use crate::present::text::plan::package_name;
    let f = Formats::new();
    let mut book = reproducible_workbook()?;
    let sheet = book.add_worksheet().set_name("frontier")?;
    headings(
        sheet,
        &[
            "package",
            "on_jobs_frontier",
            "cost_mad_per_year",
            "jobs_added",
            "jobs_added_ci95_low",
            "jobs_added_ci95_high",
            "jobs_added_p10",
            "jobs_added_p90",
            "p_target",
            "median_headcount",
        ],
        &f,
    )?;
    sheet.set_column_width(0, 60)?;
    for (i, c) in p.confirmed.iter().enumerate() {
        let row = i as RowNum + 1;
        let r = &p.packages[c.package];
        sheet.write_string(row, 0, package_name(levers, &r.levels, lang))?;
        sheet.write_boolean(row, 1, c.on_jobs_frontier)?;
        sheet.write_number_with_format(row, 2, r.cost_per_year, &f.whole)?;
        for (col, v) in [
            (3, r.jobs_added),
            (4, c.jobs_added_ci95.0),
            (5, c.jobs_added_ci95.1),
            (6, c.jobs_added_p10_p90.0),
            (7, c.jobs_added_p10_p90.1),
        ] {
            sheet.write_number_with_format(row, col, v, &f.one_decimal)?;
        }
        sheet.write_number_with_format(row, 8, r.p_target.estimate, &f.percent)?;
        sheet.write_number_with_format(row, 9, f64::from(c.median_headcount), &f.whole)?;
    }
    print_on_landscape_pages(sheet);
    let sheet = book.add_worksheet().set_name("packages")?;
    headings(
        sheet,
        &[
            "package",
            "paths",
            "cost_mad_per_year",
            "jobs_added",
            "p_target",
        ],
        &f,
    )?;
    sheet.set_column_width(0, 60)?;
    for (i, r) in p.packages.iter().enumerate() {
        let row = i as RowNum + 1;
        sheet.write_string(row, 0, package_name(levers, &r.levels, lang))?;
        sheet.write_number_with_format(row, 1, r.paths as f64, &f.whole)?;
        sheet.write_number_with_format(row, 2, r.cost_per_year, &f.whole)?;
        sheet.write_number_with_format(row, 3, r.jobs_added, &f.one_decimal)?;
        sheet.write_number_with_format(row, 4, r.p_target.estimate, &f.percent)?;
    }
    book.save_to_buffer()
}

fn reproducible_workbook() -> Result<Workbook, XlsxError> {
    let mut book = Workbook::new();
    let epoch = ExcelDateTime::from_ymd(1980, 1, 1)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&epoch));
    Ok(book)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::compare::{CompareOptions, compare};
    use crate::analysis::findings::binding_constraint;
    use crate::core::engine::{self, RunOptions};
    use crate::input::oujda::OUJDA;
    use crate::input::policy::{Policy, load_with_policies};

    /// The names of the parts of an xlsx file (a zip archive): the central
    /// directory lists each after the signature `PK\x01\x02` and 42 bytes.
    fn parts(xlsx: &[u8]) -> Vec<String> {
        let mut names = Vec::new();
        for i in 0..xlsx.len().saturating_sub(46) {
            if &xlsx[i..i + 4] == b"PK\x01\x02" {
                let len = usize::from(u16::from_le_bytes([xlsx[i + 28], xlsx[i + 29]]));
                names.push(String::from_utf8_lossy(&xlsx[i + 46..i + 46 + len]).into_owned());
            }
        }
        names
    }

    #[test]
    fn a_run_workbook_has_its_sheets_and_native_charts() {
        let mut scenario = Scenario::from_toml_str(OUJDA, "oujda").unwrap();
        let options = RunOptions {
            paths: 200,
            seed: 1,
            sample_paths: 0,
            target_paths: 0,
        };
        // No path reaches the Oujda target: the chart of reaching it would be
        // flat at zero and is left out.
        let workbook = |scenario: &Scenario| {
            let run = engine::run(scenario, options, &|_| {});
            let binding = binding_constraint(scenario, 200, 1, None, &|_| {});
            let xlsx = run_workbook(scenario, &run.summary, &binding, Lang::Fr).unwrap();
            assert_eq!(&xlsx[..2], b"PK");
            (
                run.summary.p_reached_by.last().copied().unwrap(),
                parts(&xlsx),
            )
        };
        let (reached, parts) = workbook(&scenario);
        assert!(reached < LIKELY_FLOOR);
        for part in [
            "xl/worksheets/sheet1.xml",
            "xl/worksheets/sheet4.xml",
            "xl/charts/chart1.xml",
        ] {
            assert!(parts.iter().any(|p| p == part), "{part} in {parts:?}");
        }
        assert!(!parts.iter().any(|p| p == "xl/charts/chart2.xml"));
        // A target most paths reach keeps the chart.
        scenario.target.headcount = 1000;
        let (reached, parts) = workbook(&scenario);
        assert!(reached > 0.5);
        assert!(parts.iter().any(|p| p == "xl/charts/chart2.xml"));
    }

    #[test]
    fn a_comparison_workbook_has_one_row_per_option_and_two_charts() {
        let (base, policies) = load_with_policies(OUJDA, "oujda").unwrap();
        let mut options = vec![Policy::base(base.clone(), "Base case")];
        options.extend(policies);
        let settings = CompareOptions {
            paths: 100,
            seed: 1,
            independent_streams: false,
        };
        let c = compare(&options, settings, 0, &|_| {});
        let xlsx = comparison_workbook(&base, &c, Lang::En).unwrap();
        let parts = parts(&xlsx);
        assert!(
            parts.iter().any(|p| p == "xl/charts/chart2.xml"),
            "{parts:?}"
        );
        assert!(parts.iter().any(|p| p == "xl/sharedStrings.xml"));
    }
}
