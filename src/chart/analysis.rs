//! What each chart of the analysis commands shows (policy comparison,
//! sensitivity, scenario discovery), computed without drawing anything: the
//! rows and points, the axes with their tick labels, the titles and the
//! annotations. As in [`super::data`], keeping this apart from the drawing
//! code lets the numbers and the labels be unit-tested exactly.
//!
//! Options of a comparison keep their place in the input order (their
//! `slot`, 0 for the base case) on every chart, so each keeps its colour.

use super::data::{Axis, Tick, jobs_axis, month_axis, percent_axis, value_axis_within};
use crate::compare::{Comparison, OptionResult};
use crate::discover::PrimResult;
use crate::model::Series;
use crate::scenario::Scenario;
use crate::sensitivity::Sensitivity;
use crate::text::{Lang, capitalise};

/// The longest option or parameter name shown on a chart, in characters;
/// longer names are cut with an ellipsis (the report shows them whole).
pub const MAX_NAME_CHARS: usize = 40;

/// The most rows of the tornado and PRCC charts: the inputs with the smallest
/// effects beyond these are left to the table.
pub const MAX_ROWS: usize = 15;

/// Below this chance of the target for every option, the comparison says that
/// no option gives a real chance and points to the jobs added instead.
pub const NO_REAL_CHANCE: f64 = 0.01;

/// `name` cut to at most `max` characters, with an ellipsis when cut.
pub fn short_name(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        return name.to_string();
    }
    let cut: String = name.chars().take(max.saturating_sub(1)).collect();
    format!("{}\u{2026}", cut.trim_end())
}

/// The name of a comparison option as charts and reports show it: the base
/// case of a file is named in the reader's language.
pub fn option_name(option: &OptionResult, slot: usize, lang: Lang) -> String {
    if slot == 0 && option.name == Lang::En.strings().base_case {
        lang.strings().base_case.to_string()
    } else {
        option.name.clone()
    }
}

/// A categorical axis with one row per label, the first label at the top:
/// row `i` of `n` sits at `n - 1 - i`.
pub fn rows_axis(labels: &[String]) -> Axis {
    let n = labels.len();
    Axis {
        lo: -0.5,
        hi: n.max(1) as f64 - 0.5,
        ticks: labels
            .iter()
            .enumerate()
            .rev()
            .map(|(i, label)| Tick {
                value: row_position(i, n),
                label: label.clone(),
            })
            .collect(),
    }
}

/// The position of row `i` of `n` on a [`rows_axis`].
pub fn row_position(i: usize, n: usize) -> f64 {
    (n - 1 - i) as f64
}

/// A jobs axis with signed labels ("+600", "−200"), spanning `lo..=hi` with
/// round ends.
fn signed_jobs_axis(lo: f64, hi: f64, lang: Lang) -> Axis {
    super::data::value_axis(lo, hi, 1.0, |v| lang.signed_jobs(v))
}

/// One option's median and 80% band of total headcount.
#[derive(Clone, Debug, PartialEq)]
pub struct OptionBand {
    /// Place in the comparison's input order (0 = base case): its colour.
    pub slot: usize,
    /// The option's name.
    pub name: String,
    /// Median headcount at each month.
    pub median: Vec<f64>,
    /// 10th percentile at each month.
    pub lo: Vec<f64>,
    /// 90th percentile at each month.
    pub hi: Vec<f64>,
}

/// The comparison fan: every option's median headcount and 80% band.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareFanData {
    /// Chart title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// Time axis.
    pub x: Axis,
    /// Jobs axis.
    pub y: Axis,
    /// Model months `0..=horizon`.
    pub months: Vec<f64>,
    /// The options, highest median in the target month first: the order of
    /// the legend, which then reads like the lines at the target month.
    pub options: Vec<OptionBand>,
    /// The target as (model month, jobs).
    pub target: (f64, f64),
    /// The label beside the target line.
    pub target_label: String,
}

impl CompareFanData {
    /// Gathers the comparison fan.
    pub fn new(base: &Scenario, c: &Comparison, lang: Lang) -> CompareFanData {
        let horizon = base.meta.horizon_months;
        let month = base.target.month;
        let line = |o: &OptionResult, p: u32| -> Vec<f64> {
            (0..=horizon)
                .map(|m| f64::from(o.summary.quantile(Series::Headcount, m, p)))
                .collect()
        };
        let mut options: Vec<OptionBand> = c
            .options
            .iter()
            .enumerate()
            .map(|(slot, o)| OptionBand {
                slot,
                name: short_name(&option_name(o, slot, lang), MAX_NAME_CHARS),
                median: line(o, 50),
                lo: line(o, 10),
                hi: line(o, 90),
            })
            .collect();
        let at = month as usize;
        options.sort_by(|a, b| {
            b.median[at]
                .total_cmp(&a.median[at])
                .then(a.slot.cmp(&b.slot))
        });
        let target = (f64::from(month), f64::from(base.target.headcount));
        let top = options
            .iter()
            .flat_map(|o| o.hi.iter().copied())
            .fold(target.1 * 1.1, f64::max);
        let date = lang.month(base.date(month));
        CompareFanData {
            title: lang.compare_fan_title(),
            subtitle: lang.compare_fan_subtitle(
                &base.meta.name,
                c.settings.paths,
                !c.settings.independent_streams,
            ),
            x: month_axis(base.meta.start, 0.0, f64::from(horizon), lang),
            y: jobs_axis(top, lang),
            months: (0..=horizon).map(f64::from).collect(),
            options,
            target,
            target_label: lang.target_label(base.target.headcount, &date),
        }
    }
}

/// One option's row on the chart of chances and gains.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetRow {
    /// Place in the comparison's input order (0 = base case).
    pub slot: usize,
    /// Chance of the target, in percent.
    pub p: f64,
    /// Its Wilson 95% interval, in percent.
    pub p_low: f64,
    /// Upper end.
    pub p_high: f64,
    /// The chance as printed beside the point.
    pub p_label: String,
    /// Mean jobs added in the target month compared with the base case.
    pub gain: f64,
    /// Its paired 95% interval.
    pub gain_low: f64,
    /// Upper end.
    pub gain_high: f64,
    /// The gain as printed beside the point (empty for the base case).
    pub gain_label: String,
}

/// The chart of chances and gains: P(target) with its Wilson interval in one
/// panel, the mean jobs added in the target month with the paired interval in
/// the other, one row per option in rank order. P(target) alone cannot tell
/// options apart when it is near zero for all of them (as in the Oujda base
/// case), while the jobs added always can, with tight intervals thanks to
/// common random numbers; both panels are always shown so that the chart
/// reads the same from one run to the next.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareTargetData {
    /// Chart title.
    pub title: String,
    /// Subtitle: says when no option has a real chance of the target.
    pub subtitle: String,
    /// One row per option, best rank first.
    pub rows: Vec<TargetRow>,
    /// The rows, labelled with the options' names.
    pub y: Axis,
    /// Percent axis of the chance panel.
    pub p_axis: Axis,
    /// Jobs axis of the gain panel.
    pub gain_axis: Axis,
    /// Heading of the chance panel.
    pub p_title: String,
    /// Heading of the gain panel.
    pub gain_title: String,
    /// Whether the chance panel is drawn: only when some option reaches the
    /// target on at least [`NO_REAL_CHANCE`] of its paths (otherwise it would
    /// read 0% for every option, and the rows follow the jobs added).
    pub shows_chance: bool,
}

impl CompareTargetData {
    /// Gathers the chart of chances and gains.
    pub fn new(base: &Scenario, c: &Comparison, lang: Lang) -> CompareTargetData {
        let t = base.target;
        let date = lang.month(base.date(t.month));
        let best = c
            .options
            .iter()
            .map(|o| o.summary.p_target.estimate)
            .fold(0.0, f64::max);
        let shows_chance = best >= NO_REAL_CHANCE;
        let mut order: Vec<usize> = (0..c.options.len()).collect();
        if shows_chance {
            order.sort_by_key(|&i| (c.options[i].rank_p_target, i));
        } else {
            let gain = |i: usize| {
                if i == 0 {
                    0.0
                } else {
                    c.options[i].headcount_diff.mean
                }
            };
            order.sort_by(|&a, &b| gain(b).total_cmp(&gain(a)).then(a.cmp(&b)));
        }
        let rows: Vec<TargetRow> = order
            .iter()
            .map(|&slot| {
                let o = &c.options[slot];
                let p = o.summary.p_target;
                let d = o.headcount_diff;
                TargetRow {
                    slot,
                    p: p.estimate * 100.0,
                    p_low: p.ci95_low * 100.0,
                    p_high: p.ci95_high * 100.0,
                    p_label: lang.share(p.estimate),
                    gain: if slot == 0 { 0.0 } else { d.mean },
                    gain_low: if slot == 0 { 0.0 } else { d.ci95_low },
                    gain_high: if slot == 0 { 0.0 } else { d.ci95_high },
                    gain_label: if slot == 0 {
                        String::new()
                    } else {
                        lang.signed_jobs(d.mean)
                    },
                }
            })
            .collect();
        let names: Vec<String> = order
            .iter()
            .map(|&i| short_name(&option_name(&c.options[i], i, lang), MAX_NAME_CHARS))
            .collect();
        let p_top = rows.iter().map(|r| r.p_high).fold(0.0, f64::max);
        let (g_lo, g_hi) = rows.iter().fold((0.0f64, 0.0f64), |(lo, hi), r| {
            (lo.min(r.gain_low), hi.max(r.gain_high))
        });
        CompareTargetData {
            title: lang.compare_target_title(t.headcount, &date),
            subtitle: lang.compare_target_subtitle(
                t.headcount,
                &date,
                (best < NO_REAL_CHANCE).then_some(best),
            ),
            y: rows_axis(&names),
            rows,
            // Headroom on the right of both panels for the printed values.
            p_axis: percent_axis(p_top * 1.25, lang),
            gain_axis: signed_jobs_axis(g_lo, g_hi + (g_hi - g_lo) * 0.2, lang),
            p_title: lang.chance_panel(t.headcount, &date),
            gain_title: lang.gain_panel(&date),
            shows_chance,
        }
    }
}

/// One option on the cost-per-job chart.
#[derive(Clone, Debug, PartialEq)]
pub struct CostPoint {
    /// Place in the comparison's input order.
    pub slot: usize,
    /// Mean jobs added in the target month.
    pub jobs: f64,
    /// Its paired 95% interval.
    pub jobs_low: f64,
    /// Upper end.
    pub jobs_high: f64,
    /// Cost to the target month, in MAD millions.
    pub cost: f64,
    /// The option's name: the label's first line.
    pub name: String,
    /// Its cost per additional job: the label's second line.
    pub detail: String,
    /// Whether the gain's 95% interval lies above zero; when not, the cost
    /// per job is unreliable and the point is drawn hollow.
    pub significant: bool,
}

/// A line of constant cost per additional job, from the origin to the edge of
/// the plot.
#[derive(Clone, Debug, PartialEq)]
pub struct Ray {
    /// The cost per job, in MAD.
    pub per_job: f64,
    /// Where the line leaves the plot, in data units.
    pub end: (f64, f64),
    /// Its label.
    pub label: String,
}

/// The cost-per-job chart: jobs added against cost, one point per option,
/// with lines of constant cost per job. Options that add no jobs have no cost
/// per job and are named in the subtitle instead.
#[derive(Clone, Debug, PartialEq)]
pub struct CostPerJobData {
    /// Chart title.
    pub title: String,
    /// Subtitle, naming the options left out.
    pub subtitle: String,
    /// Jobs added.
    pub x: Axis,
    /// Cost in MAD millions.
    pub y: Axis,
    /// Title under the horizontal axis.
    pub x_title: String,
    /// Title over the vertical axis.
    pub y_title: String,
    /// The options that add jobs, in input order.
    pub points: Vec<CostPoint>,
    /// Lines of constant cost per job.
    pub rays: Vec<Ray>,
    /// Names of the options (other than the base) that add no jobs.
    pub left_out: Vec<String>,
}

/// Round costs per job (1, 2 or 5 times a power of ten) around the range of
/// `values`: from half the cheapest to twice the dearest, the three nearest
/// the middle of that range (on a log scale) at most.
pub fn round_costs(values: &[f64]) -> Vec<f64> {
    let positive: Vec<f64> = values.iter().copied().filter(|v| *v > 0.0).collect();
    if positive.is_empty() {
        return Vec::new();
    }
    let lo = positive.iter().copied().fold(f64::INFINITY, f64::min) / 2.0;
    let hi = positive.iter().copied().fold(0.0, f64::max) * 2.0;
    let mut candidates: Vec<f64> = Vec::new();
    let mut magnitude = 10f64.powf(lo.log10().floor());
    while magnitude <= hi {
        for m in [1.0, 2.0, 5.0] {
            let v = m * magnitude;
            if v >= lo && v <= hi {
                candidates.push(v);
            }
        }
        magnitude *= 10.0;
    }
    let middle = (lo.ln() + hi.ln()) / 2.0;
    while candidates.len() > 3 {
        let (first, last) = (candidates[0], candidates[candidates.len() - 1]);
        if (first.ln() - middle).abs() > (last.ln() - middle).abs() {
            candidates.remove(0);
        } else {
            candidates.pop();
        }
    }
    candidates
}

impl CostPerJobData {
    /// Gathers the cost-per-job chart.
    pub fn new(base: &Scenario, c: &Comparison, lang: Lang) -> CostPerJobData {
        let date = lang.month(base.date(base.target.month));
        let mut points = Vec::new();
        let mut left_out = Vec::new();
        for (slot, o) in c.options.iter().enumerate().skip(1) {
            let name = short_name(&option_name(o, slot, lang), MAX_NAME_CHARS);
            let d = o.headcount_diff;
            if d.mean > 0.0 {
                points.push(CostPoint {
                    slot,
                    jobs: d.mean,
                    jobs_low: d.ci95_low,
                    jobs_high: d.ci95_high,
                    cost: o.cost_to_target / 1e6,
                    name,
                    detail: if o.cost_to_target > 0.0 {
                        lang.per_job(o.cost_to_target / d.mean)
                    } else {
                        lang.strings().no_cost.to_string()
                    },
                    significant: d.is_gain(),
                });
            } else {
                left_out.push(name);
            }
        }
        let x_top = points.iter().map(|p| p.jobs_high).fold(0.0, f64::max);
        let y_top = points.iter().map(|p| p.cost).fold(0.0, f64::max);
        let x_lo = points.iter().map(|p| p.jobs_low).fold(0.0, f64::min);
        let x = value_axis_within(
            x_lo,
            if x_top > 0.0 { x_top * 1.08 } else { 100.0 },
            1.0,
            |v| lang.thousands(v.round().max(0.0) as u64),
        );
        // Headroom above the dearest option for its label.
        let y =
            super::data::value_axis(0.0, if y_top > 0.0 { y_top * 1.2 } else { 1.0 }, 0.1, |v| {
                lang.number(v)
            });
        let per_job: Vec<f64> = points
            .iter()
            .filter(|p| p.jobs > 0.0)
            .map(|p| p.cost * 1e6 / p.jobs)
            .collect();
        let rays = round_costs(&per_job)
            .into_iter()
            .map(|v| {
                let slope = v / 1e6;
                let x_end = x.hi.min(y.hi / slope);
                Ray {
                    per_job: v,
                    end: (x_end, x_end * slope),
                    label: lang.per_job_short(v),
                }
            })
            .collect();
        let costless = points.iter().all(|p| p.cost <= 0.0);
        CostPerJobData {
            title: lang.cost_title(),
            subtitle: lang.cost_subtitle(&date, &left_out, !points.is_empty() && costless),
            x,
            y,
            x_title: lang.cost_x_title(&date),
            y_title: lang.cost_y_title(&date),
            points,
            rays,
            left_out,
        }
    }
}

/// One input's bar on the tornado.
#[derive(Clone, Debug, PartialEq)]
pub struct TornadoRow {
    /// The input, as the scenario spells it.
    pub parameter: String,
    /// Median headcount with the input at its 10th percentile.
    pub low_median: f64,
    /// Median headcount with the input at its 90th percentile.
    pub high_median: f64,
    /// The 10th-percentile value, printed at its end of the bar.
    pub low_label: String,
    /// The 90th-percentile value.
    pub high_label: String,
}

/// The tornado chart: one-at-a-time swings of median headcount in the target
/// month, largest first, around the base case's median.
#[derive(Clone, Debug, PartialEq)]
pub struct TornadoData {
    /// Chart title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// Title under the horizontal axis.
    pub x_title: String,
    /// Bars, largest swing first (at most [`MAX_ROWS`]).
    pub rows: Vec<TornadoRow>,
    /// The rows, labelled with the parameters' names.
    pub y: Axis,
    /// The base case's median headcount.
    pub base: f64,
    /// Its label.
    pub base_label: String,
    /// Inputs left out of the chart (smallest swings).
    pub hidden: usize,
}

impl TornadoData {
    /// Gathers the tornado.
    pub fn new(scenario: &Scenario, s: &Sensitivity, lang: Lang) -> TornadoData {
        let date = lang.month(scenario.date(scenario.target.month));
        let rows: Vec<TornadoRow> = s
            .inputs
            .iter()
            .take(MAX_ROWS)
            .map(|x| TornadoRow {
                parameter: x.parameter.clone(),
                low_median: f64::from(x.median_low),
                high_median: f64::from(x.median_high),
                low_label: lang.param_value_sig(&x.parameter, x.low_value, 2),
                high_label: lang.param_value_sig(&x.parameter, x.high_value, 2),
            })
            .collect();
        let names: Vec<String> = rows
            .iter()
            .map(|r| short_name(&capitalise(&lang.param_label(&r.parameter)), MAX_NAME_CHARS))
            .collect();
        let hidden = s.inputs.len() - rows.len();
        TornadoData {
            title: lang.tornado_title(&date),
            subtitle: lang.tornado_subtitle(s.paths, hidden),
            x_title: lang.median_jobs_in(&date),
            y: rows_axis(&names),
            rows,
            base: f64::from(s.base_median),
            base_label: lang.base_median_label(s.base_median),
            hidden,
        }
    }

    /// The smallest and largest medians shown, the base included.
    pub fn extent(&self) -> (f64, f64) {
        self.rows
            .iter()
            .flat_map(|r| [r.low_median, r.high_median])
            .fold((self.base, self.base), |(lo, hi), v| (lo.min(v), hi.max(v)))
    }

    /// The jobs axis, leaving `left` and `right` shares of the plot's width
    /// free beyond the bars for the values printed at their ends (the drawing
    /// measures them).
    pub fn x_axis(&self, left: f64, right: f64, lang: Lang) -> Axis {
        let (lo, hi) = self.extent();
        let (left, right) = (left.clamp(0.0, 0.4), right.clamp(0.0, 0.4));
        let span = (hi - lo).max(10.0);
        let total = span / (1.0 - left - right);
        let (lo, hi) = (lo - left * total, lo + span + right * total);
        let mut axis = value_axis_within(lo, hi, 1.0, |v| lang.thousands(v.round() as u64));
        axis.ticks.retain(|t| t.value >= 0.0);
        axis
    }
}

/// One input's PRCC with its interval.
#[derive(Clone, Debug, PartialEq)]
pub struct PrccRow {
    /// The input, as the scenario spells it.
    pub parameter: String,
    /// The coefficient.
    pub prcc: f64,
    /// Lower end of its 95% interval.
    pub low: f64,
    /// Upper end.
    pub high: f64,
    /// The coefficient as printed beside the point.
    pub label: String,
    /// Whether the interval excludes zero.
    pub clear: bool,
}

/// The PRCC chart: each input's partial rank correlation with headcount in
/// the target month, with its 95% interval, strongest first.
#[derive(Clone, Debug, PartialEq)]
pub struct PrccData {
    /// Chart title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// Title under the horizontal axis.
    pub x_title: String,
    /// Rows, largest absolute PRCC first (at most [`MAX_ROWS`]).
    pub rows: Vec<PrccRow>,
    /// The rows, labelled with the parameters' names.
    pub y: Axis,
    /// The coefficient axis, symmetric around zero.
    pub x: Axis,
}

impl PrccData {
    /// Gathers the PRCC chart. Inputs whose coefficient could not be computed
    /// (a singular correlation matrix) are left out.
    pub fn new(scenario: &Scenario, s: &Sensitivity, lang: Lang) -> PrccData {
        let date = lang.month(scenario.date(scenario.target.month));
        let mut rows: Vec<PrccRow> = s
            .inputs
            .iter()
            .filter(|x| x.prcc.is_finite())
            .map(|x| {
                let (low, high) = if x.prcc_ci95_low.is_finite() && x.prcc_ci95_high.is_finite() {
                    (x.prcc_ci95_low, x.prcc_ci95_high)
                } else {
                    (x.prcc, x.prcc)
                };
                PrccRow {
                    parameter: x.parameter.clone(),
                    prcc: x.prcc,
                    low,
                    high,
                    label: lang.signed(x.prcc, 2),
                    clear: low > 0.0 || high < 0.0,
                }
            })
            .collect();
        rows.sort_by(|a, b| {
            b.prcc
                .abs()
                .total_cmp(&a.prcc.abs())
                .then(a.parameter.cmp(&b.parameter))
        });
        rows.truncate(MAX_ROWS);
        let reach = rows
            .iter()
            .map(|r| r.low.abs().max(r.high.abs()))
            .fold(0.0, f64::max);
        let x = prcc_axis(reach, lang);
        let names: Vec<String> = rows
            .iter()
            .map(|r| short_name(&capitalise(&lang.param_label(&r.parameter)), MAX_NAME_CHARS))
            .collect();
        PrccData {
            title: lang.prcc_title(&date),
            subtitle: lang.prcc_subtitle(s.paths),
            x_title: lang.prcc_axis(&date),
            y: rows_axis(&names),
            rows,
            x,
        }
    }
}

/// The PRCC axis: symmetric around zero, reaching past `reach` (the largest
/// interval end, in absolute value) with room for the printed values, in
/// steps of 0.2 (0.1 up to ±0.4, 0.5 at ±1), within -1..1.
pub fn prcc_axis(reach: f64, lang: Lang) -> Axis {
    let m = ((reach * 1.3 / 0.2).ceil() * 0.2).clamp(0.2, 1.0);
    let step = if m <= 0.4 {
        0.1
    } else if m < 1.0 {
        0.2
    } else {
        0.5
    };
    let n = (m / step).round() as i64;
    Axis {
        lo: -m,
        hi: m,
        ticks: (-n..=n)
            .map(|i| {
                let value = i as f64 * step;
                Tick {
                    value,
                    label: if i == 0 {
                        "0".to_string()
                    } else {
                        lang.signed(value, 1)
                    },
                }
            })
            .collect(),
    }
}

/// The PRIM chart: density against coverage along the peeling trajectory.
#[derive(Clone, Debug, PartialEq)]
pub struct PrimData {
    /// Chart title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// Coverage, in percent.
    pub x: Axis,
    /// Density, in percent.
    pub y: Axis,
    /// Title under the horizontal axis.
    pub x_title: String,
    /// Title over the vertical axis.
    pub y_title: String,
    /// (coverage, density) in percent of each peeling step, the full box first.
    pub steps: Vec<(f64, f64)>,
    /// The step the chosen box was pruned from.
    pub chosen_step: (f64, f64),
    /// The chosen box, after pruning.
    pub chosen: (f64, f64),
    /// Its label: a heading and two detail lines.
    pub chosen_label: [String; 3],
    /// Share of all futures that succeed, in percent.
    pub overall: f64,
    /// Its label.
    pub overall_label: String,
    /// The least coverage a chosen box may have, in percent.
    pub min_coverage: f64,
    /// Its label.
    pub min_coverage_label: String,
}

impl PrimData {
    /// Gathers the PRIM chart of a discovery that chose boxes covering at
    /// least `min_coverage` of the successes.
    pub fn new(
        scenario: &Scenario,
        r: &PrimResult,
        min_coverage: f64,
        paths: u64,
        lang: Lang,
    ) -> PrimData {
        let t = scenario.target;
        let date = lang.month(scenario.date(t.month));
        let s = lang.strings();
        let point = |coverage: f64, density: f64| (coverage * 100.0, density * 100.0);
        let steps: Vec<(f64, f64)> = r
            .trajectory
            .iter()
            .map(|p| point(p.coverage, p.density))
            .collect();
        let overall = r.trajectory.first().map_or(0.0, |p| p.density);
        let top = steps
            .iter()
            .map(|p| p.1)
            .fold(r.chosen.density * 100.0, f64::max);
        let step = &r.trajectory[r.chosen_step.min(r.trajectory.len() - 1)];
        PrimData {
            title: lang.prim_title(t.headcount, &date),
            subtitle: lang.prim_subtitle(paths, r.trajectory.len()),
            x: percent_axis(100.0, lang),
            y: percent_axis(top * 1.12, lang),
            x_title: s.coverage_axis.to_string(),
            y_title: s.density_axis.to_string(),
            steps,
            chosen_step: point(step.coverage, step.density),
            chosen: point(r.chosen.coverage, r.chosen.density),
            chosen_label: lang.chosen_box_label(r.chosen.density, r.chosen.coverage),
            overall: overall * 100.0,
            overall_label: lang.all_futures_label(overall),
            min_coverage: min_coverage * 100.0,
            min_coverage_label: lang.min_coverage_label(min_coverage),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::{CompareOptions, compare};
    use crate::discover::PeelStep;
    use crate::policy::{Policy, load_with_policies};
    use crate::scenario::OUJDA;
    use crate::sensitivity::InputSensitivity;

    /// The Oujda options compared on 200 paths, the target at `target`.
    fn small_comparison(target: Option<u32>) -> (Scenario, Comparison) {
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

    #[test]
    fn long_names_are_cut_with_an_ellipsis() {
        assert_eq!(short_name("Transport support", 40), "Transport support");
        let cut = short_name("OFPPT training, 2,000 places a year, with ANAPEC", 20);
        assert_eq!(cut, "OFPPT training, 2,0\u{2026}");
        assert_eq!(cut.chars().count(), 20);
        assert_eq!(short_name("ab cd", 4), "ab\u{2026}");
    }

    #[test]
    fn the_first_row_is_at_the_top() {
        let labels = ["a", "b", "c"].map(String::from);
        let axis = rows_axis(&labels);
        assert_eq!((axis.lo, axis.hi), (-0.5, 2.5));
        assert_eq!(axis.label(row_position(0, 3)), "a");
        assert_eq!(axis.label(2.0), "a");
        assert_eq!(axis.label(0.0), "c");
        assert!(axis.ticks.windows(2).all(|w| w[0].value < w[1].value));
    }

    #[test]
    fn the_comparison_fan_orders_options_as_their_lines_end() {
        let (base, c) = small_comparison(None);
        let fan = CompareFanData::new(&base, &c, Lang::En);
        assert_eq!(fan.options.len(), c.options.len());
        let at = base.target.month as usize;
        assert!(
            fan.options
                .windows(2)
                .all(|w| w[0].median[at] >= w[1].median[at])
        );
        assert!(
            fan.options
                .iter()
                .any(|o| o.slot == 0 && o.name == "Base case")
        );
        for o in &fan.options {
            for ((lo, median), hi) in o.lo.iter().zip(&o.median).zip(&o.hi) {
                assert!(lo <= median && median <= hi && *hi <= fan.y.hi);
            }
        }
        assert_eq!(fan.target, (24.0, 5000.0));
        assert!(fan.y.hi >= 5500.0, "room above the target for its label");
        assert!(fan.x.ticks.iter().any(|t| t.label == "Jul 2022"));
        let fr = CompareFanData::new(&base, &c, Lang::Fr);
        assert!(
            fr.options
                .iter()
                .any(|o| o.slot == 0 && o.name == "Scénario de base")
        );
    }

    #[test]
    fn chances_and_gains_say_when_no_option_has_a_real_chance() {
        let (base, c) = small_comparison(None);
        let t = CompareTargetData::new(&base, &c, Lang::En);
        assert_eq!(t.rows.len(), c.options.len());
        // Every chance is near 0%: the chance panel is dropped and the rows
        // follow the jobs added, most first.
        assert!(!t.shows_chance);
        assert!(
            t.rows.windows(2).all(|w| w[0].gain >= w[1].gain),
            "rows by jobs added"
        );
        let base_row = t.rows.iter().find(|r| r.slot == 0).unwrap();
        assert_eq!((base_row.gain, base_row.gain_label.as_str()), (0.0, ""));
        for r in &t.rows {
            assert!(r.p_low <= r.p && r.p <= r.p_high && r.p_high <= t.p_axis.hi);
            assert!(r.gain_low <= r.gain && r.gain <= r.gain_high);
            assert!(t.gain_axis.lo <= r.gain_low && r.gain_high <= t.gain_axis.hi);
        }
        assert!(
            t.subtitle.starts_with("No option gives a real chance"),
            "{}",
            t.subtitle
        );
        // The names label the rows, best first at the top.
        let top = &c.options[t.rows[0].slot].name;
        assert_eq!(&t.y.label(row_position(0, t.rows.len())), top);
        assert!(t.gain_axis.ticks.iter().any(|tick| tick.label == "0"));
        assert!(
            t.gain_axis
                .ticks
                .iter()
                .any(|tick| tick.label.starts_with('+'))
        );

        let (base, c) = small_comparison(Some(2300));
        let t = CompareTargetData::new(&base, &c, Lang::Fr);
        assert!(t.shows_chance, "2,300 jobs are within reach");
        let ranks: Vec<usize> = t
            .rows
            .iter()
            .map(|r| c.options[r.slot].rank_p_target)
            .collect();
        assert!(ranks.windows(2).all(|w| w[0] < w[1]), "{ranks:?}");
        assert!(t.subtitle.starts_with("La probabilité"), "{}", t.subtitle);
        assert!(t.p_title.contains("2\u{202f}300"), "{}", t.p_title);
    }

    #[test]
    fn costs_per_job_leave_out_options_without_gain() {
        let (base, mut c) = small_comparison(None);
        let cost = CostPerJobData::new(&base, &c, Lang::En);
        assert!(
            cost.points.iter().all(|p| p.slot != 0),
            "the base is the origin"
        );
        for p in &cost.points {
            let o = &c.options[p.slot];
            assert!((p.cost - o.cost_to_target / 1e6).abs() < 1e-9);
            assert!(p.detail.ends_with("MAD per job"), "{}", p.detail);
            assert!(p.jobs > 0.0 && cost.x.lo <= p.jobs_low && p.jobs_high <= cost.x.hi);
            assert!(p.cost <= cost.y.hi);
        }
        assert!(!cost.rays.is_empty() && cost.rays.len() <= 3);
        for ray in &cost.rays {
            assert!(ray.end.0 <= cost.x.hi + 1e-9 && ray.end.1 <= cost.y.hi + 1e-9);
            assert!((ray.end.1 * 1e6 / ray.end.0 - ray.per_job).abs() < 1e-6 * ray.per_job);
            assert!(ray.label.ends_with("MAD/job"), "{}", ray.label);
        }
        assert!(cost.left_out.is_empty());

        // An option that adds no jobs is named, not drawn.
        c.options[2].headcount_diff.mean = -3.0;
        let cost = CostPerJobData::new(&base, &c, Lang::En);
        assert_eq!(cost.left_out, [c.options[2].name.clone()]);
        assert!(cost.points.iter().all(|p| p.slot != 2));
        assert!(
            cost.subtitle.contains("add no jobs: Transport support"),
            "{}",
            cost.subtitle
        );
    }

    #[test]
    fn cost_lines_are_round_and_near_the_data() {
        assert_eq!(
            round_costs(&[168_000.0, 428_000.0]),
            [100_000.0, 200_000.0, 500_000.0]
        );
        assert_eq!(round_costs(&[2_000.0]), [1_000.0, 2_000.0]);
        assert!(round_costs(&[]).is_empty());
        assert!(round_costs(&[0.0]).is_empty());
    }

    fn input(name: &str, prcc: f64, lows: (f64, u32), highs: (f64, u32)) -> InputSensitivity {
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

    fn sensitivity() -> Sensitivity {
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

    #[test]
    fn the_tornado_keeps_the_swing_order_and_prints_input_values() {
        let scenario = Scenario::from_toml_str(OUJDA, "oujda").unwrap();
        let t = TornadoData::new(&scenario, &sensitivity(), Lang::En);
        let names: Vec<&str> = t.rows.iter().map(|r| r.parameter.as_str()).collect();
        assert_eq!(
            names,
            [
                "labour.initial_pool",
                "firm[SACCOM].happens",
                "attrition.multiplier",
                "labour.qualified_share"
            ]
        );
        // Charts name inputs in words, as the report's table does.
        assert_eq!(
            t.y.label(row_position(0, 4)),
            "Qualified job-seekers at the start"
        );
        assert_eq!(t.base, 2198.0);
        assert_eq!(t.base_label, "Base case: 2,198");
        assert_eq!(
            (t.rows[0].low_label.as_str(), t.rows[0].high_label.as_str()),
            ("1,704", "3,697")
        );
        assert_eq!(
            (t.rows[1].low_label.as_str(), t.rows[1].high_label.as_str()),
            ("does not come", "comes")
        );
        assert_eq!(
            (t.rows[2].low_label.as_str(), t.rows[2].high_label.as_str()),
            ("1.2", "0.9")
        );
        assert_eq!(
            (t.rows[3].low_label.as_str(), t.rows[3].high_label.as_str()),
            ("6.8%", "12%")
        );
        assert_eq!(t.extent(), (1887.0, 2435.0));
        // Room for the printed values on both sides of the bars.
        let axis = t.x_axis(0.2, 0.1, Lang::En);
        let width = axis.hi - axis.lo;
        assert!(((1887.0 - axis.lo) / width - 0.2).abs() < 1e-9);
        assert!(((axis.hi - 2435.0) / width - 0.1).abs() < 1e-9);
        assert!(
            axis.ticks
                .iter()
                .all(|tick| tick.value >= 0.0 && tick.value <= axis.hi)
        );
        let fr = TornadoData::new(&scenario, &sensitivity(), Lang::Fr);
        assert_eq!(fr.rows[1].low_label, "ne s’installe pas");
        assert_eq!(fr.rows[3].low_label, "6,8\u{a0}%");
        assert_eq!(t.hidden, 0);
    }

    #[test]
    fn many_inputs_leave_the_smallest_swings_to_the_table() {
        let scenario = Scenario::from_toml_str(OUJDA, "oujda").unwrap();
        let mut s = sensitivity();
        s.inputs = (0..20)
            .map(|i| input(&format!("x{i}"), 0.1, (0.0, 2000), (1.0, 2100 - i)))
            .collect();
        let t = TornadoData::new(&scenario, &s, Lang::En);
        assert_eq!((t.rows.len(), t.hidden), (MAX_ROWS, 5));
        assert!(
            t.subtitle.contains("5 inputs with smaller swings"),
            "{}",
            t.subtitle
        );
    }

    #[test]
    fn prcc_rows_are_strongest_first_on_a_symmetric_axis() {
        let scenario = Scenario::from_toml_str(OUJDA, "oujda").unwrap();
        let p = PrccData::new(&scenario, &sensitivity(), Lang::En);
        let values: Vec<f64> = p.rows.iter().map(|r| r.prcc).collect();
        assert_eq!(values, [0.58, 0.25, -0.21, 0.01]);
        assert!(p.rows[..3].iter().all(|r| r.clear));
        assert!(!p.rows[3].clear, "an interval across zero");
        assert_eq!(p.rows[2].label, "\u{2212}0.21");
        assert_eq!(p.x.lo, -p.x.hi);
        assert!(p.x.hi >= 0.61 && p.x.hi <= 1.0);
        assert_eq!(p.x.label(0.0), "0");
        assert!(p.x.ticks.iter().any(|t| t.label == "+0.4"));
        assert_eq!(prcc_axis(0.15, Lang::En).hi, 0.2);
        assert_eq!(prcc_axis(0.95, Lang::En).ticks.len(), 5);
        // A coefficient that could not be computed is left out.
        let mut s = sensitivity();
        s.inputs[0].prcc = f64::NAN;
        assert_eq!(PrccData::new(&scenario, &s, Lang::En).rows.len(), 3);
    }

    #[test]
    fn the_prim_chart_marks_the_chosen_box() {
        let mut scenario = Scenario::from_toml_str(OUJDA, "oujda").unwrap();
        scenario.target.headcount = 2400;
        let step = |coverage: f64, density: f64, paths_in_box: usize| PeelStep {
            coverage,
            density,
            paths_in_box,
            bounds: vec![(0.0, 1.0)],
        };
        let r = PrimResult {
            trajectory: vec![
                step(1.0, 0.27, 3000),
                step(0.9, 0.4, 1800),
                step(0.84, 0.49, 1377),
                step(0.3, 0.7, 300),
            ],
            chosen_step: 2,
            chosen: step(0.85, 0.48, 1400),
            full: vec![(0.0, 1.0)],
        };
        let p = PrimData::new(&scenario, &r, 0.5, 3000, Lang::En);
        assert_eq!(p.steps.len(), 4);
        assert_eq!(p.steps[0], (100.0, 27.0));
        assert_eq!(p.chosen_step, (84.0, 49.0));
        assert_eq!(p.chosen, (85.0, 48.0));
        assert_eq!(p.overall, 27.0);
        assert_eq!(p.min_coverage, 50.0);
        assert!(p.y.hi >= 70.0 && p.x.hi == 100.0);
        assert!(p.title.contains("2,400 jobs in Jul 2022"), "{}", p.title);
        assert_eq!(p.chosen_label[0], "Chosen box");
        assert!(
            p.chosen_label[1].starts_with("48.0%"),
            "{:?}",
            p.chosen_label
        );
        assert!(
            p.min_coverage_label.contains("50%"),
            "{}",
            p.min_coverage_label
        );
        assert!(p.overall_label.contains("27.0%"));
    }
}
