//! Every string shorecast shows a reader, in English and French, and the number
//! and date formats that go with each language.
//!
//! Fixed words live in one [`Strings`] table per language ([`Lang::strings`]);
//! sentences that embed figures are methods of [`Lang`], so a translator finds
//! every sentence of the charts and the report in this file.

pub mod plan;
pub mod uncertainty;

use crate::analysis::findings::{Binding, BindingKind, Relaxation};
use crate::core::calendar::YearMonth;
use crate::core::stats::Proportion;

/// The language of charts, reports and summaries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// French.
    Fr,
}

/// The fixed words of charts and reports in one language.
#[derive(Debug)]
pub struct Strings {
    /// The language code of HTML documents.
    pub html_lang: &'static str,
    /// Separator between a label and its value: ": " in English, " : " in French.
    pub colon: &'static str,
    /// The fan chart's title, before the scenario name.
    pub fan_title: &'static str,
    /// The composition chart's title.
    pub composition_title: &'static str,
    /// The labour chart's title.
    pub labour_title: &'static str,
    /// The hitting-time chart's title.
    pub hitting_title: &'static str,
    /// Legend of the chart of what is within reach: its curve.
    pub reach_legend: &'static str,
    /// Heading of the labour chart's upper panel.
    pub stocks_panel: &'static str,
    /// Heading of the labour chart's lower panel.
    pub flows_panel: &'static str,
    /// Unit of a jobs axis.
    pub jobs: &'static str,
    /// Unit of a share-of-paths axis.
    pub share_of_paths: &'static str,
    /// Legend: the median line.
    pub median: &'static str,
    /// Legend: the 5th and 95th percentile lines of the outcome histogram.
    pub percentiles_5_95: &'static str,
    /// Legend: individual simulated trajectories.
    pub sample_paths: &'static str,
    /// Legend: observed headcounts.
    pub observed: &'static str,
    /// Legend: the target.
    pub target: &'static str,
    /// Legend: firms operating at the start.
    pub existing: &'static str,
    /// Legend: announced projects.
    pub announced: &'static str,
    /// Legend: firms that arrive unannounced.
    pub new_firms: &'static str,
    /// Legend: total seats.
    pub seats: &'static str,
    /// Legend: the qualified pool.
    pub pool: &'static str,
    /// Legend: vacancies.
    pub vacancies: &'static str,
    /// Legend: hires.
    pub hires: &'static str,
    /// Legend: leavers.
    pub leavers: &'static str,
    /// Legend: the share of paths that have reached the target.
    pub reached_target: &'static str,
    /// Legend: the vertical line at the target month.
    pub target_month_legend: &'static str,
    /// Legend: bars of the outcome histogram below the target.
    pub below_target: &'static str,
    /// Legend: bars of the outcome histogram at or above the target.
    pub at_or_above_target: &'static str,
    /// Legend: the 50% band of a median line.
    pub middle_half: &'static str,
    /// Report: heading of the headline figures.
    pub headline: &'static str,
    /// Terminal: where the results went.
    pub results_in: &'static str,
    /// Report: heading of the binding constraint.
    pub what_binds: &'static str,
    /// Report: heading of the charts.
    pub charts: &'static str,
    /// Report: heading of the table of quantiles.
    pub key_figures: &'static str,
    /// Report: heading of the reproducibility footer.
    pub reproducibility: &'static str,
    /// Report: what the report is.
    pub report_kind: &'static str,
    /// Report: the target card's heading.
    pub chance_of_target: &'static str,
    /// Report: the labour card's heading.
    pub held_back_by_labour: &'static str,
    /// Report: under the labour card's figure.
    pub of_months_with_openings: &'static str,
    /// The median month when fewer than half the paths reach the target, in
    /// lower case after a colon (the report card capitalises it).
    pub not_reached_by_half: &'static str,
    /// Report: note when the run was made without charts.
    pub charts_skipped: &'static str,
    /// Report: first column of the quantile table.
    pub figure: &'static str,
    /// Report: quantile table rows.
    pub headcount_p05: &'static str,
    /// Report: quantile table rows.
    pub headcount_p25: &'static str,
    /// Report: quantile table rows.
    pub headcount_p50: &'static str,
    /// Report: quantile table rows.
    pub headcount_p75: &'static str,
    /// Report: quantile table rows.
    pub headcount_p95: &'static str,
    /// Report: quantile table rows.
    pub headcount_mean: &'static str,
    /// Report: quantile table rows.
    pub pool_median: &'static str,
    /// Report: quantile table rows.
    pub hires_median: &'static str,
    /// Report: quantile table rows.
    pub vacancies_median: &'static str,
    /// Report: marks the target month in the table header.
    pub target_month: &'static str,
    /// Report: footer labels.
    pub version: &'static str,
    /// Report: footer labels.
    pub seed: &'static str,
    /// Report: footer labels.
    pub paths: &'static str,
    /// Report: footer labels.
    pub scenario_sha256: &'static str,
    /// Report: footer labels.
    pub command_line: &'static str,
    /// Report: footer note on reproducing the run.
    pub reproduce_note: &'static str,
    /// Report: captions under the charts, by chart name.
    pub captions: [(&'static str, &'static str); 6],
    /// Name of the comparison's first option when it is the file's base case.
    pub base_case: &'static str,
    /// Legend: a p10-p90 band.
    pub band_80: &'static str,
    /// Legend: an interval whisker.
    pub interval_95: &'static str,
    /// Legend: the rays of constant cost per job.
    pub constant_cost: &'static str,
    /// Tornado legend: the run with an input at its 10th percentile.
    pub input_low: &'static str,
    /// Tornado legend: the run with an input at its 90th percentile.
    pub input_high: &'static str,
    /// Tornado legend: the base case's median.
    pub base_median: &'static str,
    /// PRCC legend: an interval that excludes zero.
    pub clear_effect: &'static str,
    /// PRCC legend: an interval that includes zero.
    pub unclear_effect: &'static str,
    /// PRIM chart legend: the boxes of the peeling trajectory.
    pub peeling_boxes: &'static str,
    /// PRIM chart legend and label: the chosen box.
    pub chosen_box: &'static str,
    /// PRIM chart: the horizontal axis.
    pub coverage_axis: &'static str,
    /// PRIM chart: the vertical axis.
    pub density_axis: &'static str,
    /// A firm comes (chart labels, box ranges).
    pub comes: &'static str,
    /// A firm does not come.
    pub does_not_come: &'static str,
    /// A firm may or may not come (the full range of its coming).
    pub comes_or_not: &'static str,
    /// Report: what a comparison report is.
    pub compare_kind: &'static str,
    /// Report: what a sensitivity report is.
    pub sensitivity_kind: &'static str,
    /// Report: what a discovery report is.
    pub discover_kind: &'static str,
    /// Comparison report: heading of the opening answer.
    pub the_answer: &'static str,
    /// Comparison report: heading of the table, ordered by chance of the target.
    pub ranking: &'static str,
    /// Comparison report: heading of the table, ordered by jobs per dirham.
    pub ranking_by_value: &'static str,
    /// Comparison report: how to re-sort the table.
    pub sort_hint: &'static str,
    /// Sensitivity report: column heading.
    pub col_rank: &'static str,
    /// Comparison report: column heading.
    pub col_option: &'static str,
    /// Comparison report: column heading.
    pub col_p_target: &'static str,
    /// Comparison report: column heading.
    pub col_p_change: &'static str,
    /// Comparison report: column heading.
    pub col_jobs_change: &'static str,
    /// Comparison report: column heading.
    pub col_cost_per_job: &'static str,
    /// Comparison report: column heading.
    pub col_jobs_per_million: &'static str,
    /// Comparison report: the base row's change cells.
    pub reference: &'static str,
    /// Comparison report: a cost per job that does not exist.
    pub no_gain: &'static str,
    /// Comparison report: how to read the table.
    pub ranking_note: &'static str,
    /// Comparison report: how to read the table, with independent streams.
    pub ranking_note_independent: &'static str,
    /// Caption of the comparison fan with independent streams.
    pub compare_fan_independent: &'static str,
    /// Caption of the comparison's target chart when it shows only the jobs.
    pub compare_target_jobs_only: &'static str,
    /// Comparison report: heading of the options' descriptions.
    pub the_options: &'static str,
    /// Comparison report: heading of the costing rule.
    pub how_costs_count: &'static str,
    /// Comparison report: the costing rule, paragraph by paragraph.
    pub costing_rule: [&'static str; 3],
    /// Comparison report: an option without cost.
    pub no_cost: &'static str,
    /// Sensitivity report: heading of the ranked table.
    pub inputs_ranked: &'static str,
    /// Sensitivity and discovery reports: the input column.
    pub col_input: &'static str,
    /// Sensitivity report: column heading.
    pub col_fixed_at: &'static str,
    /// Sensitivity report: column heading.
    pub col_swing: &'static str,
    /// Sensitivity report: column heading.
    pub col_prcc: &'static str,
    /// Sensitivity report: column heading.
    pub col_p_per_sd: &'static str,
    /// Sensitivity report: how the measures are computed.
    pub sensitivity_method: &'static str,
    /// Discovery report: heading of the finding.
    pub finding: &'static str,
    /// Discovery report: heading of the box table.
    pub the_box: &'static str,
    /// Discovery report: column heading.
    pub col_box_range: &'static str,
    /// Discovery report: column heading.
    pub col_full_range: &'static str,
    /// Discovery report: an input the box does not restrict.
    pub any_value: &'static str,
    /// Discovery report: how PRIM works.
    pub discover_method: &'static str,
    /// Sensitivity and discovery reports: heading of the method note.
    pub method: &'static str,
    /// Sensitivity report: the chance of the target, as a column heading.
    pub chance_of_target_short: &'static str,
    /// Tornado and PRCC charts: the title over the inputs' names.
    pub uncertain_input: &'static str,
    /// Comparison report and chart: a gain whose interval includes zero.
    pub uncertain_gain: &'static str,
    /// Cost-per-job legend: a hollow point.
    pub uncertain_gain_legend: &'static str,
    /// Captions under the analysis charts, by chart name.
    pub analysis_captions: [(&'static str, &'static str); 6],
}

const EN: Strings = Strings {
    html_lang: "en",
    colon: ": ",
    fan_title: "Offshoring jobs forecast",
    composition_title: "Where the jobs come from: mean headcount by firm group",
    labour_title: "Labour: qualified candidates, open seats and hiring",
    hitting_title: "When is the target reached?",
    reach_legend: "Chance of at least this many jobs",
    stocks_panel: "Stocks at the end of each month (people or seats)",
    flows_panel: "Flows during each month (people)",
    jobs: "Jobs",
    share_of_paths: "Share of paths",
    median: "Median",
    percentiles_5_95: "5th and 95th percentiles",
    sample_paths: "Individual simulated paths",
    observed: "Observed",
    target: "Target",
    existing: "Existing operators",
    announced: "Announced projects",
    new_firms: "New, unannounced firms",
    seats: "Total seats (mean)",
    pool: "Qualified pool",
    vacancies: "Unfilled seats",
    hires: "Hires",
    leavers: "Leavers",
    reached_target: "Paths that have reached the target",
    target_month_legend: "Target month",
    below_target: "Paths below the target",
    at_or_above_target: "Paths at or above the target",
    middle_half: "Shaded: middle 50% of paths",
    headline: "Headline figures",
    what_binds: "What holds growth back",
    charts: "Charts",
    key_figures: "Key figures by month",
    reproducibility: "Reproducibility",
    report_kind: "shorecast forecast report",
    chance_of_target: "Chance of reaching the target",
    held_back_by_labour: "Hiring held back by labour",
    results_in: "Results in",
    of_months_with_openings: "of months in which firms had seats to fill",
    not_reached_by_half: "not reached by half the paths",
    charts_skipped: "Charts were skipped for this run (--no-charts).",
    figure: "Figure",
    headcount_p05: "Jobs, 5th percentile",
    headcount_p25: "Jobs, 25th percentile",
    headcount_p50: "Jobs, median",
    headcount_p75: "Jobs, 75th percentile",
    headcount_p95: "Jobs, 95th percentile",
    headcount_mean: "Jobs, mean",
    pool_median: "Qualified pool, median",
    hires_median: "Hires in the month, median",
    vacancies_median: "Unfilled seats, median",
    target_month: "target",
    version: "shorecast version",
    seed: "Seed",
    paths: "Paths",
    scenario_sha256: "Scenario SHA-256",
    command_line: "Command line",
    reproduce_note: "Running the same command on the same scenario file (same SHA-256) with the same version gives identical figures.",
    captions: [
        (
            "fan",
            "The line is the median path; the shaded bands hold the middle 50%, 80% and 90% of the simulated paths at each month. Grey lines are single paths: a real future wanders like them, not like the median.",
        ),
        (
            "composition",
            "Mean headcount of each firm group, stacked; the dark line is the mean number of seats the operating firms plan, the most they could employ.",
        ),
        (
            "labour",
            "Upper panel: the qualified candidate pool against the seats firms still have to fill. Lower panel: hires and leavers per month. Lines are medians, shaded bands the middle 50% of paths.",
        ),
        (
            "hitting",
            "Share of paths that have reached the target at least once by each month. At the target month it can exceed the headline chance of the target, which counts only the paths at or above the target in that month itself: some paths reach the target earlier and fall back below it (closures, quits).",
        ),
        (
            "reach",
            "This chart replaces the one of when the target is reached: fewer than 1% of the paths reach the target in any month of the horizon, so that chart would be a flat line near 0%. It shows instead, for each number of jobs, the chance of at least that many in the target month, counted like the headline chance of the target (paths at or above that level in that month itself); the points mark round levels up to the target.",
        ),
        (
            "outcome",
            "Distribution of the headcount in the target month across all paths. The dashed line is the target; the solid line is the median and the dotted lines the 5th and 95th percentiles, the figures given above for that month.",
        ),
    ],
    base_case: "Base case",
    band_80: "10th to 90th percentile (80% of paths)",
    interval_95: "95% interval",
    constant_cost: "Constant cost per additional job",
    input_low: "Input at its 10th percentile",
    input_high: "Input at its 90th percentile",
    base_median: "Base case median",
    clear_effect: "Clear effect: the 95% interval excludes zero",
    unclear_effect: "No clear effect: the interval includes zero",
    peeling_boxes: "Boxes of the peeling trajectory",
    chosen_box: "Chosen box",
    coverage_axis: "Coverage: share of all successful futures inside the box",
    density_axis: "Density: share of the box's futures that succeed",
    comes: "comes",
    does_not_come: "does not come",
    comes_or_not: "comes or not",
    compare_kind: "shorecast policy comparison",
    sensitivity_kind: "shorecast sensitivity analysis",
    discover_kind: "shorecast scenario discovery",
    the_answer: "The answer",
    ranking: "Options ranked by their chance of reaching the target",
    ranking_by_value: "Options ranked by jobs per dirham",
    sort_hint: "Click a heading marked \u{2195} to re-sort the table.",
    col_rank: "Rank",
    col_option: "Option",
    col_p_target: "Chance of the target (95% simulation-error interval)",
    col_p_change: "Change, points (95% CI)",
    col_jobs_change: "Change in mean jobs (95% CI)",
    col_cost_per_job: "MAD per additional job",
    col_jobs_per_million: "Jobs per MAD 1M",
    reference: "reference",
    no_gain: "no gain",
    ranking_note_independent: "Changes are differences against the base case path by path; as each option ran on random numbers of its own (--independent-streams), the intervals include luck and are wider than with common random numbers.",
    compare_target_jobs_only: "The mean number of jobs each option adds in the target month compared with the base case, with its paired 95% interval. The chance of reaching the target is left out: no option reaches it in 1% of its simulated paths (the table gives each chance).",
    compare_fan_independent: "Each option's median headcount (line) and the band holding the middle 80% of its simulated paths (10th to 90th percentile). Each option ran on random numbers of its own (--independent-streams), so part of their differences is luck.",
    ranking_note: "Changes are paired differences against the base case: every option runs on the same simulated futures (common random numbers). Under each change, its 95% interval is the simulation error of the mean only (it shrinks with more paths); under the jobs added, the standard deviation across futures then says how much the gain itself varies from one future to another (it does not shrink). With a fitted posterior, all of this is given that posterior.",
    the_options: "The options",
    how_costs_count: "How costs are counted",
    costing_rule: [
        "An option's cost, in Moroccan dirhams (MAD), runs from its start month (the month its changes take effect, given for each option above; month 0 for an option that is a scenario file of its own) to the target month. It has up to three parts: a yearly budget, paid for the months from the start month to the target month; an amount per hire, paid for every hire in the sector in those months; and an amount per job created, paid for every job the sector has gained by the target month since the start month (headcount then minus headcount at the start month, when positive), like the regional grant of 6,000 MAD per job created.",
        "Per-hire and per-job amounts are paid on every hire and every job, not only on the additional ones the option brings: jobs that would have come anyway (deadweight) cost real money too. Hires and jobs are averaged over the option's own simulated futures.",
        "The cost per additional job is the total cost divided by the mean number of jobs the option adds in the target month compared with the base case. It is not given for an option that adds no jobs, nor for one whose cost is not given (a cost of zero counts as not given): such an option never ranks as the cheapest.",
    ],
    no_cost: "cost not given",
    inputs_ranked: "Uncertain inputs, ranked by swing",
    col_input: "Input",
    col_fixed_at: "Fixed at: 10th \u{2192} 90th percentile",
    col_swing: "Swing, jobs",
    col_prcc: "PRCC (95% CI)",
    col_p_per_sd: "Change in chance per standard deviation",
    sensitivity_method: "Swings: each input is fixed at its 10th and then its 90th percentile (a firm whose coming is uncertain: does not come, then comes) while every other input stays uncertain, all runs on the same simulated futures as the base case. PRCC: the partial rank correlation of each input with the headcount in the target month, from the base run, the other inputs held fixed; its interval is a Fisher z 95% interval. The change in the chance of the target per standard deviation of an input comes from a linear probability model on standardised inputs.",
    finding: "Finding",
    the_box: "The chosen box",
    col_box_range: "Range in the box",
    col_full_range: "Full range",
    any_value: "not restricted",
    discover_method: "PRIM (the patient rule induction method of Friedman and Fisher, as in the EMA Workbench) starts from all simulated futures and repeatedly peels off the 5% of futures with the lowest or the highest value of one input, wherever that raises the share of successes most, down to 5% of all futures. The chosen box is the densest one that still holds at least half of all successes, cleared of the restrictions that do not significantly raise its density (a one-sided test at the 2.5% level).",
    method: "Method",
    chance_of_target_short: "Chance of the target",
    uncertain_input: "Uncertain input",
    uncertain_gain_legend: "Gain not significant (interval includes zero)",
    uncertain_gain: "The 95% interval of this option's gain includes zero: its cost per additional job could be far higher.",
    analysis_captions: [
        (
            "compare_fan",
            "Each option's median headcount (line) and the band holding the middle 80% of its simulated paths (10th to 90th percentile). All options run on the same simulated futures, so their differences come from the options, not from luck.",
        ),
        (
            "compare_target",
            "Left: the chance of reaching the target in the target month, with its 95% (Wilson) interval. Right: the mean number of jobs each option adds in the target month compared with the base case, with its paired 95% interval.",
        ),
        (
            "cost_per_job",
            "Each point is an option: the jobs it adds in the target month against what it costs up to then. Points on a flatter line cost less per additional job; the horizontal whiskers are 95% intervals of the jobs added.",
        ),
        (
            "tornado",
            "Each bar runs from the median headcount with the input at its 10th percentile (light) to the median with it at its 90th percentile (dark), all other inputs left uncertain; the figures at the bar ends are the values the input was fixed at.",
        ),
        (
            "prcc",
            "Partial rank correlation of each input with the headcount in the target month, the other inputs held fixed, with its 95% interval: +1 means that more of the input always means more jobs, 0 means no effect.",
        ),
        (
            "prim_trajectory",
            "Each point is a box of input ranges found while peeling: further left, the box holds fewer of the successful futures (coverage) but succeeds more often (density). The chosen box is marked.",
        ),
    ],
};

const FR: Strings = Strings {
    html_lang: "fr",
    colon: "\u{a0}: ",
    fan_title: "Prévision des emplois de l’offshoring",
    composition_title: "D’où viennent les emplois\u{a0}: effectif moyen par groupe d’entreprises",
    labour_title: "Main-d’œuvre\u{a0}: candidats qualifiés, postes vacants et recrutements",
    hitting_title: "Quand l’objectif est-il atteint\u{a0}?",
    reach_legend: "Probabilité d’au moins ce nombre d’emplois",
    stocks_panel: "Stocks en fin de mois (personnes ou postes)",
    flows_panel: "Flux au cours du mois (personnes)",
    jobs: "Emplois",
    share_of_paths: "Part des trajectoires",
    median: "Médiane",
    percentiles_5_95: "5ᵉ et 95ᵉ centiles",
    sample_paths: "Trajectoires simulées individuelles",
    observed: "Observé",
    target: "Objectif",
    existing: "Opérateurs existants",
    announced: "Projets annoncés",
    new_firms: "Arrivées non annoncées",
    seats: "Total des postes (moyenne)",
    pool: "Vivier qualifié",
    vacancies: "Postes non pourvus",
    hires: "Recrutements",
    leavers: "Départs",
    reached_target: "Trajectoires ayant atteint l’objectif",
    target_month_legend: "Mois de l’objectif",
    below_target: "Trajectoires sous l’objectif",
    at_or_above_target: "Trajectoires à l’objectif ou au-delà",
    middle_half: "Ombré\u{a0}: 50\u{a0}% central des trajectoires",
    headline: "Chiffres clés",
    what_binds: "Ce qui freine la croissance",
    charts: "Graphiques",
    key_figures: "Chiffres clés par mois",
    reproducibility: "Reproductibilité",
    report_kind: "Rapport de prévision shorecast",
    chance_of_target: "Probabilité d’atteindre l’objectif",
    held_back_by_labour: "Recrutement freiné par la main-d’œuvre",
    results_in: "Résultats dans",
    of_months_with_openings: "des mois où les entreprises avaient des postes à pourvoir",
    not_reached_by_half: "non atteint par la moitié des trajectoires",
    charts_skipped: "Les graphiques n’ont pas été produits pour cette exécution (--no-charts).",
    figure: "Indicateur",
    headcount_p05: "Emplois, 5ᵉ centile",
    headcount_p25: "Emplois, 25ᵉ centile",
    headcount_p50: "Emplois, médiane",
    headcount_p75: "Emplois, 75ᵉ centile",
    headcount_p95: "Emplois, 95ᵉ centile",
    headcount_mean: "Emplois, moyenne",
    pool_median: "Vivier qualifié, médiane",
    hires_median: "Recrutements du mois, médiane",
    vacancies_median: "Postes non pourvus, médiane",
    target_month: "objectif",
    version: "Version de shorecast",
    seed: "Graine",
    paths: "Trajectoires",
    scenario_sha256: "SHA-256 du scénario",
    command_line: "Ligne de commande",
    reproduce_note: "La même commande sur le même fichier de scénario (même SHA-256) avec la même version donne des chiffres identiques.",
    captions: [
        (
            "fan",
            "La ligne est la trajectoire médiane\u{a0}; les bandes ombrées contiennent 50\u{a0}%, 80\u{a0}% et 90\u{a0}% des trajectoires simulées à chaque mois. Les lignes grises sont des trajectoires isolées\u{a0}: l’avenir réel fluctue comme elles, pas comme la médiane.",
        ),
        (
            "composition",
            "Effectif moyen de chaque groupe d’entreprises, empilé\u{a0}; la ligne sombre est le nombre moyen de postes prévus par les entreprises en activité, le maximum qu’elles pourraient employer.",
        ),
        (
            "labour",
            "En haut\u{a0}: le vivier de candidats qualifiés face aux postes restant à pourvoir. En bas\u{a0}: recrutements et départs par mois. Les lignes sont des médianes, les bandes le 50\u{a0}% central des trajectoires.",
        ),
        (
            "hitting",
            "Part des trajectoires ayant atteint l’objectif au moins une fois à chaque mois. Au mois de l’objectif, elle peut dépasser la probabilité d’atteindre l’objectif des chiffres clés, qui ne compte que les trajectoires au niveau de l’objectif ou au-dessus ce mois-là\u{a0}: certaines l’atteignent plus tôt puis repassent en dessous (fermetures, départs).",
        ),
        (
            "reach",
            "Ce graphique remplace celui du moment où l’objectif est atteint\u{a0}: moins de 1\u{a0}% des trajectoires atteignent l’objectif à un mois quelconque de l’horizon, si bien que ce graphique serait une ligne plate près de 0\u{a0}%. Il montre à la place, pour chaque nombre d’emplois, la probabilité d’en compter au moins autant au mois de l’objectif, calculée comme la probabilité d’atteindre l’objectif des chiffres clés (trajectoires à ce niveau ou au-dessus ce mois-là)\u{a0}; les points marquent des niveaux ronds jusqu’à l’objectif.",
        ),
        (
            "outcome",
            "Répartition de l’effectif au mois de l’objectif sur l’ensemble des trajectoires. La ligne tiretée est l’objectif\u{a0}; la ligne pleine est la médiane et les lignes pointillées les 5ᵉ et 95ᵉ centiles, les chiffres donnés plus haut pour ce mois.",
        ),
    ],
    base_case: "Scénario de base",
    band_80: "Du 10ᵉ au 90ᵉ centile (80\u{a0}% des trajectoires)",
    interval_95: "Intervalle à 95\u{a0}%",
    constant_cost: "Coût constant par emploi supplémentaire",
    input_low: "Hypothèse à son 10ᵉ centile",
    input_high: "Hypothèse à son 90ᵉ centile",
    base_median: "Médiane du scénario de base",
    clear_effect: "Effet significatif\u{a0}: l’intervalle à 95\u{a0}% exclut zéro",
    unclear_effect: "Pas d’effet significatif\u{a0}: l’intervalle contient zéro",
    peeling_boxes: "Zones successives de l’affinage",
    chosen_box: "Zone retenue",
    coverage_axis: "Couverture\u{a0}: part des avenirs réussis contenus dans la zone",
    density_axis: "Densité\u{a0}: part des avenirs de la zone qui réussissent",
    comes: "s’installe",
    does_not_come: "ne s’installe pas",
    comes_or_not: "s’installe ou non",
    compare_kind: "Comparaison d’options shorecast",
    sensitivity_kind: "Analyse de sensibilité shorecast",
    discover_kind: "Découverte de scénarios shorecast",
    the_answer: "La réponse",
    ranking: "Options classées selon leur probabilité d’atteindre l’objectif",
    ranking_by_value: "Options classées selon les emplois par dirham",
    sort_hint: "Cliquer sur un en-tête marqué \u{2195} pour reclasser le tableau.",
    col_rank: "Rang",
    col_option: "Option",
    col_p_target: "Probabilité de l’objectif (intervalle d’erreur de simulation à 95\u{a0}%)",
    col_p_change: "Écart, points (IC 95\u{a0}%)",
    col_jobs_change: "Écart d’emplois moyen (IC 95\u{a0}%)",
    col_cost_per_job: "MAD par emploi supplémentaire",
    col_jobs_per_million: "Emplois par MDH",
    reference: "référence",
    no_gain: "sans gain",
    ranking_note_independent: "Les écarts sont des différences avec le scénario de base, trajectoire par trajectoire\u{a0}; chaque option ayant été simulée avec ses propres nombres aléatoires (--independent-streams), les intervalles incluent le hasard et sont plus larges qu’avec des nombres aléatoires communs.",
    compare_target_jobs_only: "Le nombre moyen d’emplois que chaque option ajoute au mois de l’objectif par rapport au scénario de base, avec son intervalle apparié à 95\u{a0}%. La probabilité d’atteindre l’objectif est omise\u{a0}: aucune option ne l’atteint dans 1\u{a0}% de ses trajectoires simulées (le tableau donne chaque probabilité).",
    compare_fan_independent: "Effectif médian de chaque option (ligne) et bande contenant les 80\u{a0}% centraux de ses trajectoires simulées (du 10ᵉ au 90ᵉ centile). Chaque option a été simulée avec ses propres nombres aléatoires (--independent-streams)\u{a0}: une part de leurs écarts vient du hasard.",
    ranking_note: "Les écarts sont des différences appariées avec le scénario de base\u{a0}: chaque option est simulée sur les mêmes avenirs (nombres aléatoires communs). Sous chaque écart, l’intervalle à 95\u{a0}% n’est que l’erreur de simulation de la moyenne (il se resserre avec plus de trajectoires)\u{a0}; sous les emplois ajoutés, l’écart-type selon les avenirs dit ensuite combien le gain lui-même varie d’un avenir à l’autre (il ne se resserre pas). Avec un postérieur ajusté, tout cela est donné sachant ce postérieur.",
    the_options: "Les options",
    how_costs_count: "Comment les coûts sont comptés",
    costing_rule: [
        "Le coût d’une option, en dirhams (MAD), court de son mois de départ (le mois où ses changements prennent effet, donné pour chaque option ci-dessus\u{a0}; le mois 0 pour une option qui est un fichier de scénario à elle seule) jusqu’au mois de l’objectif. Il a jusqu’à trois composantes\u{a0}: un budget annuel, payé pour les mois du mois de départ au mois de l’objectif\u{a0}; un montant par recrutement, payé pour chaque recrutement du secteur pendant ces mois\u{a0}; et un montant par emploi créé, payé pour chaque emploi gagné par le secteur au mois de l’objectif depuis le mois de départ (l’effectif à ce mois moins l’effectif au mois de départ, s’il est positif), comme la prime régionale de 6\u{202f}000\u{a0}MAD par emploi créé.",
        "Les montants par recrutement et par emploi sont payés sur chaque recrutement et chaque emploi, pas seulement sur ceux que l’option ajoute\u{a0}: les emplois qui seraient venus de toute façon (effet d’aubaine) coûtent aussi de l’argent. Recrutements et emplois sont des moyennes sur les avenirs simulés de l’option.",
        "Le coût par emploi supplémentaire est ce coût total divisé par le nombre moyen d’emplois que l’option ajoute au mois de l’objectif par rapport au scénario de base. Il n’est pas donné pour une option qui n’ajoute aucun emploi, ni pour une option dont le coût n’est pas renseigné (un coût nul compte comme non renseigné)\u{a0}: une telle option n’est jamais classée comme la moins chère.",
    ],
    no_cost: "coût non renseigné",
    inputs_ranked: "Hypothèses incertaines, classées par amplitude",
    col_input: "Hypothèse",
    col_fixed_at: "Fixée à\u{a0}: 10ᵉ \u{2192} 90ᵉ centile",
    col_swing: "Amplitude, emplois",
    col_prcc: "PRCC (IC 95\u{a0}%)",
    col_p_per_sd: "Variation de probabilité par écart-type",
    sensitivity_method: "Amplitudes\u{a0}: chaque hypothèse est fixée à son 10ᵉ puis à son 90ᵉ centile (pour une entreprise dont la venue est incertaine\u{a0}: ne s’installe pas, puis s’installe) tandis que toutes les autres restent incertaines, toutes les simulations portant sur les mêmes avenirs que le scénario de base. PRCC\u{a0}: la corrélation partielle des rangs de chaque hypothèse avec l’effectif au mois de l’objectif, tirée de la simulation de base, les autres hypothèses étant tenues fixes\u{a0}; son intervalle à 95\u{a0}% vient de la transformation z de Fisher. La variation de la probabilité de l’objectif par écart-type d’une hypothèse vient d’un modèle de probabilité linéaire sur les hypothèses chypothèses réduites.",
    finding: "Résultat",
    the_box: "La zone retenue",
    col_box_range: "Plage dans la zone",
    col_full_range: "Plage complète",
    any_value: "non restreinte",
    discover_method: "PRIM (la méthode d’induction de règles de Friedman et Fisher, comme dans l’EMA Workbench) part de tous les avenirs simulés et retire à chaque étape les 5\u{a0}% d’avenirs qui ont la valeur la plus basse ou la plus haute d’une hypothèse, là où la part de succès augmente le plus, jusqu’à ne garder que 5\u{a0}% des avenirs. La zone retenue est la plus dense de celles qui contiennent encore au moins la moitié des succès, débarrassée des restrictions qui n’augmentent pas significativement sa densité (test unilatéral au seuil de 2,5\u{a0}%).",
    method: "Méthode",
    chance_of_target_short: "Probabilité de l’objectif",
    uncertain_input: "Hypothèse incertaine",
    uncertain_gain_legend: "Gain non significatif (l’intervalle contient zéro)",
    uncertain_gain: "L’intervalle à 95\u{a0}% du gain de cette option contient zéro\u{a0}: son coût par emploi supplémentaire pourrait être bien plus élevé.",
    analysis_captions: [
        (
            "compare_fan",
            "Effectif médian de chaque option (ligne) et bande contenant les 80\u{a0}% centraux de ses trajectoires simulées (du 10ᵉ au 90ᵉ centile). Toutes les options sont simulées sur les mêmes avenirs\u{a0}: leurs écarts viennent des options, pas du hasard.",
        ),
        (
            "compare_target",
            "À gauche\u{a0}: la probabilité d’atteindre l’objectif au mois de l’objectif, avec son intervalle à 95\u{a0}% (Wilson). À droite\u{a0}: le nombre moyen d’emplois que chaque option ajoute au mois de l’objectif par rapport au scénario de base, avec son intervalle apparié à 95\u{a0}%.",
        ),
        (
            "cost_per_job",
            "Chaque point est une option\u{a0}: les emplois qu’elle ajoute au mois de l’objectif face à ce qu’elle coûte jusque-là. Les points situés sur une droite plus plate coûtent moins par emploi supplémentaire\u{a0}; les moustaches horizontales sont les intervalles à 95\u{a0}% des emplois ajoutés.",
        ),
        (
            "tornado",
            "Chaque barre va de l’effectif médian avec l’hypothèse à son 10ᵉ centile (clair) à l’effectif médian avec l’hypothèse à son 90ᵉ centile (foncé), toutes les autres hypothèses restant incertaines\u{a0}; les valeurs aux extrémités sont celles auxquelles l’hypothèse a été fixée.",
        ),
        (
            "prcc",
            "Corrélation partielle des rangs de chaque hypothèse avec l’effectif au mois de l’objectif, les autres hypothèses tenues fixes, avec son intervalle à 95\u{a0}%\u{a0}: +1 signifie que davantage de l’hypothèse donne toujours davantage d’emplois, 0 l’absence d’effet.",
        ),
        (
            "prim_trajectory",
            "Chaque point est une zone de plages d’hypothèses trouvée pendant l’affinage\u{a0}: plus à gauche, la zone contient moins d’avenirs réussis (couverture) mais réussit plus souvent (densité). La zone retenue est signalée.",
        ),
    ],
};

/// `text` with its first letter in capitals.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Lang {
    /// The language code ("en", "fr"), as scenario texts are keyed.
    pub fn code(self) -> &'static str {
        self.strings().html_lang
    }

    /// The fixed words in this language.
    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::En => &EN,
            Lang::Fr => &FR,
        }
    }

    /// A whole number with thousands separators: "5,000" or "5 000" (a narrow
    /// no-break space in French, as the French typographic convention has it).
    pub fn thousands(self, value: u64) -> String {
        let digits = value.to_string();
        let separator = match self {
            Lang::En => ",",
            Lang::Fr => "\u{202f}",
        };
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(separator);
            }
            out.push(c);
        }
        out
    }

    /// A percentage with one decimal: "23.4%" or "23,4 %".
    pub fn percent(self, share: f64) -> String {
        match self {
            Lang::En => format!("{:.1}%", share * 100.0),
            Lang::Fr => format!("{:.1}\u{a0}%", share * 100.0).replace('.', ","),
        }
    }

    /// A probability as a percentage with as many decimals as it needs to not
    /// read as 0% or 100% when it is neither: "0%", "< 0.01%", "0.02%", "12.3%",
    /// "99.95%", "> 99.99%", "100%".
    pub fn share(self, p: f64) -> String {
        let percent = p * 100.0;
        // Rounding error of interval arithmetic is not a probability.
        let (prefix, value, decimals) = if p < 1e-12 {
            ("", 0.0, 0)
        } else if p > 1.0 - 1e-12 {
            ("", 100.0, 0)
        } else if percent < 0.01 {
            ("< ", 0.01, 2)
        } else if percent > 99.99 {
            ("> ", 99.99, 2)
        } else if !(1.0..=99.0).contains(&percent) {
            ("", percent, 2)
        } else {
            ("", percent, 1)
        };
        let number = format!("{value:.decimals$}");
        match self {
            Lang::En => format!("{prefix}{number}%"),
            Lang::Fr => format!(
                "{}{}\u{a0}%",
                prefix.replace(' ', "\u{a0}"),
                number.replace('.', ",")
            ),
        }
    }

    /// A percent axis tick (the value already in percent), without needless
    /// decimals: "40%", "0.5%".
    pub fn percent_tick(self, percent: f64) -> String {
        let mut number = format!("{:.2}", percent);
        while number.contains('.') && (number.ends_with('0') || number.ends_with('.')) {
            number.pop();
        }
        match self {
            Lang::En => format!("{number}%"),
            Lang::Fr => format!("{}\u{a0}%", number.replace('.', ",")),
        }
    }

    /// A month as "Jul 2020" or "juil. 2020".
    pub fn month(self, date: YearMonth) -> String {
        const EN: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        const FR: [&str; 12] = [
            "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
            "nov.", "déc.",
        ];
        let names = match self {
            Lang::En => EN,
            Lang::Fr => FR,
        };
        format!("{} {}", names[date.month() as usize - 1], date.year())
    }

    /// A number of months: "36 months" or "36 mois".
    pub fn months(self, n: u32) -> String {
        match (self, n) {
            (Lang::En, 1) => "1 month".to_string(),
            (Lang::En, n) => format!("{n} months"),
            (Lang::Fr, n) => format!("{n}\u{a0}mois"),
        }
    }

    /// "Chance of at least 5,000 jobs in Jul 2022: 1.2% ± 0.2 points of
    /// simulation error", estimated from `paths` paths.
    pub fn p_target_sentence(self, target: u32, date: &str, p: &Proportion, paths: u64) -> String {
        let t = self.thousands(u64::from(target));
        let p = crate::present::text::uncertainty::chance_with_error(p, paths, self);
        match self {
            Lang::En => format!("Chance of at least {t} jobs in {date}: {p}"),
            Lang::Fr => format!("Probabilité d’au moins {t}\u{a0}emplois en {date}\u{a0}: {p}"),
        }
    }

    /// The label of a target line: "Target: 5,000 jobs in Jul 2022".
    pub fn target_label(self, target: u32, date: &str) -> String {
        let t = self.thousands(u64::from(target));
        match self {
            Lang::En => format!("Target: {t} jobs in {date}"),
            Lang::Fr => format!("Objectif\u{a0}: {t}\u{a0}emplois en {date}"),
        }
    }

    /// The label of the line where the observed history ends: "Last
    /// observation: Jul 2020".
    pub fn last_observation_label(self, date: &str) -> String {
        match self {
            Lang::En => format!("Last observation: {date}"),
            Lang::Fr => format!("Dernière observation\u{a0}: {date}"),
        }
    }

    /// The legend of nested bands: "50%, 80%, 90% of paths".
    pub fn bands_label(self, levels: &[u32]) -> String {
        let list = |sep: &str| {
            levels
                .iter()
                .map(|l| format!("{l}{sep}%"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            Lang::En => format!("{} of paths", list("")),
            Lang::Fr => format!("{} des trajectoires", list("\u{a0}")),
        }
    }

    /// "Oujda Shore, July 2020: mean over 20,000 simulated paths".
    pub fn mean_over_paths(self, scenario: &str, paths: u64) -> String {
        let n = self.thousands(paths);
        match self {
            Lang::En => format!("{scenario}: mean over {n} simulated paths"),
            Lang::Fr => format!("{scenario}\u{a0}: moyenne sur {n}\u{a0}trajectoires simulées"),
        }
    }

    /// The labour chart's subtitle: how often labour held hiring back.
    pub fn labour_subtitle(self, labour_limited_share: f64) -> String {
        let share = self.share(labour_limited_share);
        match self {
            Lang::En => format!(
                "Hiring was held back by a shortage of qualified candidates in {share} of the months with seats to fill"
            ),
            Lang::Fr => format!(
                "Manque de candidats qualifiés\u{a0}: recrutement freiné pendant {share} des mois avec des postes à pourvoir"
            ),
        }
    }

    /// The title of the chart of what is within reach: "What is within reach
    /// by Jul 2022?".
    pub fn reach_title(self, date: &str) -> String {
        match self {
            Lang::En => format!("What is within reach by {date}?"),
            Lang::Fr => format!("Qu’est-ce qui est à portée en {date}\u{a0}?"),
        }
    }

    /// The subtitle of the chart of what is within reach: why it replaces
    /// the hitting-time chart (`ever`: the share of paths that reach the
    /// target within the horizon).
    pub fn reach_subtitle(self, target: u32, ever: f64, horizon: u32) -> String {
        let t = self.thousands(u64::from(target));
        let months = self.months(horizon);
        match (self, ever > 0.0) {
            (Lang::En, false) => format!(
                "No simulated path reaches {t} jobs within {months}: the chance of each lower level instead"
            ),
            (Lang::Fr, false) => format!(
                "Aucune trajectoire simulée n’atteint {t}\u{a0}emplois en {months}\u{a0}: la probabilité de chaque niveau inférieur, à la place"
            ),
            (Lang::En, true) => format!(
                "Only {} of the paths reach {t} jobs within {months}: the chance of each lower level instead",
                self.share(ever)
            ),
            (Lang::Fr, true) => format!(
                "Seules {} des trajectoires atteignent {t}\u{a0}emplois en {months}\u{a0}: la probabilité de chaque niveau inférieur, à la place",
                self.share(ever)
            ),
        }
    }

    /// The label of a level on the chart of what is within reach, `share` as
    /// the headline words it: "3,000 or more: 1.2%".
    pub fn at_least_label(self, jobs: u32, share: &str) -> String {
        let n = self.thousands(u64::from(jobs));
        match self {
            Lang::En => format!("{n} or more: {share}"),
            Lang::Fr => format!("{n} ou plus\u{a0}: {share}"),
        }
    }

    /// The label of the target on the chart of what is within reach:
    /// "Target 5,000: < 0.01%".
    pub fn target_at_least_label(self, target: u32, share: &str) -> String {
        let t = self.thousands(u64::from(target));
        match self {
            Lang::En => format!("Target {t}: {share}"),
            Lang::Fr => format!("Objectif {t}\u{a0}: {share}"),
        }
    }

    /// The label of the target month's point on the hitting-time chart: the
    /// share of paths that have reached the target by then (`reached`), and
    /// the share at or above it in that month itself (`at_month`, the
    /// headline's chance).
    pub fn reached_by_labels(self, date: &str, reached: &str, at_month: &str) -> [String; 2] {
        match self {
            Lang::En => [
                format!("Reached by {date}: {reached}"),
                format!("At or above it in that month: {at_month}"),
            ],
            Lang::Fr => [
                format!("Atteint au plus tard en {date}\u{a0}: {reached}"),
                format!("À l’objectif ou au-dessus ce mois-là\u{a0}: {at_month}"),
            ],
        }
    }

    /// The hitting-time chart's subtitle.
    pub fn hitting_subtitle(
        self,
        target: u32,
        ever: f64,
        horizon: u32,
        median_date: Option<String>,
    ) -> String {
        let t = self.thousands(u64::from(target));
        let months = self.months(horizon);
        match (self, ever > 0.0, median_date) {
            (Lang::En, false, _) => {
                format!("No simulated path reaches {t} jobs within {months}")
            }
            (Lang::Fr, false, _) => {
                format!("Aucune trajectoire simulée n’atteint {t}\u{a0}emplois en {months}")
            }
            (Lang::En, true, Some(date)) => format!(
                "Half of all paths have reached {t} jobs by {date} ({} by the end of the {months})",
                self.share(ever)
            ),
            (Lang::Fr, true, Some(date)) => format!(
                "La moitié des trajectoires a atteint {t}\u{a0}emplois en {date} ({} au terme des {months})",
                self.share(ever)
            ),
            (Lang::En, true, None) => format!(
                "{} of the paths reach {t} jobs within {months}: fewer than half",
                self.share(ever)
            ),
            (Lang::Fr, true, None) => format!(
                "{} des trajectoires atteignent {t}\u{a0}emplois en {months}\u{a0}: moins de la moitié",
                self.share(ever)
            ),
        }
    }

    /// The outcome histogram's title: "Jobs in Jul 2022 across the simulated paths".
    pub fn outcome_title(self, date: &str) -> String {
        match self {
            Lang::En => format!("How many jobs in {date}? The spread of simulated outcomes"),
            Lang::Fr => {
                format!("Combien d’emplois en {date}\u{a0}? La dispersion des résultats simulés")
            }
        }
    }

    /// The outcome histogram's subtitle.
    pub fn outcome_subtitle(self, scenario: &str, paths: u64, bin_width: u64) -> String {
        let (n, w) = (self.thousands(paths), self.thousands(bin_width));
        match self {
            Lang::En => {
                format!("{scenario}: {n} simulated paths, in bars {w} jobs wide")
            }
            Lang::Fr => format!(
                "{scenario}\u{a0}: {n}\u{a0}trajectoires simulées, par tranches de {w}\u{a0}emplois"
            ),
        }
    }

    /// An axis title: "Jobs in Jul 2022".
    pub fn jobs_in(self, date: &str) -> String {
        match self {
            Lang::En => format!("Jobs in {date}"),
            Lang::Fr => format!("Emplois en {date}"),
        }
    }

    /// The label of the outcome histogram's target line, `share` as the
    /// headline words it ("0.4%", "< 0.005%").
    pub fn at_or_above_label(self, target: u32, share: &str) -> String {
        let t = self.thousands(u64::from(target));
        match self {
            Lang::En => format!("Target {t}: {share} of paths at or above"),
            Lang::Fr => {
                format!("Objectif {t}\u{a0}: {share} des trajectoires l’atteignent ou le dépassent")
            }
        }
    }

    /// The label of a percentile line on the outcome histogram: "Median:
    /// 2,223", "5% of paths below 1,626", "5% of paths above 2,757".
    pub fn percentile_label(self, percent: u32, jobs: u32) -> String {
        let n = self.thousands(u64::from(jobs));
        let tail = self.percent_tick(f64::from(percent.min(100u32.saturating_sub(percent))));
        match (self, percent.cmp(&50)) {
            (Lang::En, std::cmp::Ordering::Equal) => format!("Median: {n}"),
            (Lang::Fr, std::cmp::Ordering::Equal) => format!("Médiane\u{a0}: {n}"),
            (Lang::En, std::cmp::Ordering::Less) => format!("{tail} of paths below {n}"),
            (Lang::Fr, std::cmp::Ordering::Less) => {
                format!("{tail} des trajectoires sous {n}")
            }
            (Lang::En, std::cmp::Ordering::Greater) => format!("{tail} of paths above {n}"),
            (Lang::Fr, std::cmp::Ordering::Greater) => {
                format!("{tail} des trajectoires au-dessus de {n}")
            }
        }
    }

    /// The source line under every chart.
    pub fn source_line(self, scenario: &str, version: &str, paths: u64, seed: u64) -> String {
        let n = self.thousands(paths);
        match self {
            Lang::En => format!(
                "Source: shorecast {version} Monte Carlo simulation of \u{201c}{scenario}\u{201d}, {n} paths, seed {seed}"
            ),
            Lang::Fr => format!(
                "Source\u{a0}: simulation Monte-Carlo shorecast {version} de «\u{a0}{scenario}\u{a0}», {n}\u{a0}trajectoires, graine {seed}"
            ),
        }
    }

    /// Report: the meta line under the title.
    pub fn report_meta(
        self,
        start: &str,
        horizon: u32,
        end: &str,
        target: u32,
        target_date: &str,
    ) -> String {
        let t = self.thousands(u64::from(target));
        let months = self.months(horizon);
        match self {
            Lang::En => format!(
                "Simulated from {start} over {months} (to {end}). Target: {t} jobs in {target_date}."
            ),
            Lang::Fr => format!(
                "Simulation de {start} sur {months} (jusqu’à {end}). Objectif\u{a0}: {t}\u{a0}emplois en {target_date}."
            ),
        }
    }

    /// Report: what the target card measures, with its simulation error.
    pub fn p_target_detail(self, target: u32, date: &str, p: &Proportion, paths: u64) -> String {
        let t = self.thousands(u64::from(target));
        let p = crate::present::text::uncertainty::chance_with_error(p, paths, self);
        match self {
            Lang::En => format!("at least {t} jobs in {date}; {p}"),
            Lang::Fr => format!("au moins {t}\u{a0}emplois en {date}\u{a0}; {p}"),
        }
    }

    /// Report: the heading of the headcount card.
    pub fn jobs_in_median(self, date: &str) -> String {
        match self {
            Lang::En => format!("Jobs in {date} (median)"),
            Lang::Fr => format!("Emplois en {date} (médiane)"),
        }
    }

    /// Report: a 90% range.
    pub fn range90(self, low: u32, high: u32) -> String {
        let (low, high) = (
            self.thousands(u64::from(low)),
            self.thousands(u64::from(high)),
        );
        match self {
            Lang::En => format!("90% of paths between {low} and {high}"),
            Lang::Fr => format!("90\u{a0}% des trajectoires entre {low} et {high}"),
        }
    }

    /// Report: the heading of the median-month card.
    pub fn median_month_heading(self, target: u32) -> String {
        let t = self.thousands(u64::from(target));
        match self {
            Lang::En => format!("Median month of first reaching {t} jobs"),
            Lang::Fr => format!("Mois médian où {t}\u{a0}emplois sont atteints"),
        }
    }

    /// Report: under the median-month card.
    pub fn median_month_detail(self, reached: Option<u32>, ever: f64, horizon: u32) -> String {
        let months = self.months(horizon);
        match (self, reached) {
            (Lang::En, Some(m)) => format!("month {m} of the simulation"),
            (Lang::Fr, Some(m)) => format!("mois {m} de la simulation"),
            // No path at all: said in words, as "0%" would read as a measured
            // zero rather than a bound of the simulation.
            (Lang::En, None) if ever <= 0.0 => {
                format!("no simulated path reaches it within {months}")
            }
            (Lang::Fr, None) if ever <= 0.0 => {
                format!("aucune trajectoire simulée ne l’atteint en {months}")
            }
            (Lang::En, None) => format!("{} of paths reach it within {months}", self.share(ever)),
            (Lang::Fr, None) => format!(
                "{} des trajectoires l’atteignent en {months}",
                self.share(ever)
            ),
        }
    }

    /// The binding constraint, in words: a short verdict and its reason, the
    /// jobs each relaxation adds at the target month (`date`) with intervals.
    pub fn binding_constraint(self, b: &Binding, target: u32, date: &str) -> (String, String) {
        let gain = |r: &Relaxation| {
            format!(
                "{} ({})",
                self.signed_jobs(r.added_jobs),
                self.interval(
                    &self.signed_jobs(r.ci95_low),
                    &self.signed_jobs(r.ci95_high)
                )
            )
        };
        let (l, d, ld) = (
            gain(&b.labour_unlimited),
            gain(&b.seats_doubled),
            gain(&b.both),
        );
        let jobs = |v: f64| self.thousands(v.max(0.0).round() as u64);
        let (base, with_labour, with_both) = (
            jobs(b.base_mean_headcount),
            jobs(b.labour_unlimited.mean_headcount),
            jobs(b.both.mean_headcount),
        );
        let target = self.thousands(u64::from(target));
        let measured = match self {
            Lang::En => format!(
                "Measured on the same simulated futures (95% intervals in brackets), against a mean of {base} jobs in {date}: filling every vacancy (candidates unlimited) adds {l} jobs, to {with_labour}; twice the seats at every site adds {d}; both together add {ld}, to {with_both}, against a target of {target}."
            ),
            Lang::Fr => format!(
                "Mesuré sur les mêmes avenirs simulés (intervalles à 95\u{a0}% entre parenthèses), par rapport à une moyenne de {base}\u{a0}emplois en {date}\u{a0}: pourvoir tous les postes vacants (candidats illimités) ajoute {l}\u{a0}emplois, pour atteindre {with_labour}\u{a0}; doubler les postes de chaque site en ajoute {d}\u{a0}; les deux ensemble en ajoutent {ld}, pour atteindre {with_both}, pour un objectif de {target}."
            ),
        };
        let (verdict, advice) = match (self, b.verdict) {
            (Lang::En, BindingKind::Labour) => (
                "Labour binds: too few qualified candidates.",
                "Measures that enlarge the qualified pool (training places, transport, outreach) act on this constraint; more seats alone add little.",
            ),
            (Lang::Fr, BindingKind::Labour) => (
                "La main-d’œuvre est le facteur limitant\u{a0}: trop peu de candidats qualifiés.",
                "Les mesures qui élargissent le vivier qualifié (places de formation, transport, prospection) agissent sur cette contrainte\u{a0}; davantage de postes seuls apportent peu.",
            ),
            (Lang::En, BindingKind::Demand) => (
                "Demand binds: too few seats.",
                "Measures that bring more or larger sites (investor incentives, promotion) act on this constraint; more candidates alone add little.",
            ),
            (Lang::Fr, BindingKind::Demand) => (
                "La demande est le facteur limitant\u{a0}: trop peu de postes.",
                "Les mesures qui attirent des sites plus nombreux ou plus grands (incitations aux investisseurs, promotion) agissent sur cette contrainte\u{a0}; davantage de candidats seuls apportent peu.",
            ),
            (Lang::En, BindingKind::Both) => (
                "Demand and labour bind together.",
                "Relaxing one soon runs into the other: reaching the target needs both more qualified candidates and more seats.",
            ),
            (Lang::Fr, BindingKind::Both) => (
                "La demande et la main-d’œuvre limitent ensemble.",
                "Desserrer l’une bute vite sur l’autre\u{a0}: atteindre l’objectif demande à la fois plus de candidats qualifiés et plus de postes.",
            ),
            (Lang::En, BindingKind::Neither) => (
                "Neither seats nor candidates hold the headcount back.",
                "Even both relaxed add little: the pace at which sites ramp up sets the headcount.",
            ),
            (Lang::Fr, BindingKind::Neither) => (
                "Ni les postes ni les candidats ne freinent l’effectif.",
                "Même desserrées ensemble, elles ajoutent peu\u{a0}: le rythme de montée en charge des sites fixe l’effectif.",
            ),
        };
        // One binds now, the other next: what reaching the target would take.
        let alone = |r: &crate::analysis::findings::Relaxation| jobs(r.mean_headcount);
        let next = match (self, b.verdict) {
            (_, _) if !b.other_binds_next => String::new(),
            (Lang::En, BindingKind::Labour) => format!(
                " But candidates alone would leave the mean at {} jobs, short of {target}: seats then bind too, and reaching the target needs both.",
                alone(&b.labour_unlimited)
            ),
            (Lang::Fr, BindingKind::Labour) => format!(
                " Mais des candidats seuls laisseraient la moyenne à {}\u{a0}emplois, sous l’objectif de {target}\u{a0}: les postes limitent alors aussi, et atteindre l’objectif demande les deux.",
                alone(&b.labour_unlimited)
            ),
            (Lang::En, BindingKind::Demand) => format!(
                " But seats alone would leave the mean at {} jobs, short of {target}: candidates then bind too, and reaching the target needs both.",
                alone(&b.seats_doubled)
            ),
            (Lang::Fr, BindingKind::Demand) => format!(
                " Mais des postes seuls laisseraient la moyenne à {}\u{a0}emplois, sous l’objectif de {target}\u{a0}: les candidats limitent alors aussi, et atteindre l’objectif demande les deux.",
                alone(&b.seats_doubled)
            ),
            _ => String::new(),
        };
        (verdict.to_string(), format!("{measured} {advice}{next}"))
    }

    /// Report: the column heading of a month in the quantile table.
    pub fn month_column(self, date: &str, m: u32, is_target: bool) -> String {
        let target = if is_target {
            format!(", {}", self.strings().target_month)
        } else {
            String::new()
        };
        match self {
            Lang::En => format!("{date} (month {m}{target})"),
            Lang::Fr => format!("{date} (mois {m}{target})"),
        }
    }

    /// Report: the document title.
    pub fn report_title(self, scenario: &str) -> String {
        format!("{scenario} \u{2014} {}", self.strings().report_kind)
    }

    /// Report: the run's size and duration.
    pub fn run_size(self, paths: u64, seconds: f64) -> String {
        let n = self.thousands(paths);
        match self {
            Lang::En => format!("{n} paths simulated in {seconds:.1} s."),
            Lang::Fr => format!(
                "{n}\u{a0}trajectoires simulées en {}\u{a0}s.",
                format!("{seconds:.1}").replace('.', ",")
            ),
        }
    }
}

/// How a parameter reads in a sentence about a range of its values.
enum Phrase {
    /// Counted things: the range comes before the unit ("at least 2,545
    /// qualified job-seekers at the start").
    Count(String),
    /// A quantity named by a noun with its article: the range follows ("an
    /// attrition multiplier of at most 1.05").
    Quantity(String),
    /// A firm's coming.
    Event(String),
}

/// Parameters whose values are shares or rates, shown in percent.
fn is_share(name: &str) -> bool {
    [
        "qualified_share",
        "reach_share",
        "pool_exit_monthly",
        "uptake_monthly",
        "leaver_return_share",
        "completion_rate",
        "hazard_new",
        "hazard_settled",
        "hazard_veteran",
        "monthly_hazard",
        "monthly_probability",
        "growth",
        "probability",
    ]
    .iter()
    .any(|s| name.rsplit('.').next() == Some(s))
}

/// The firm and field of a firm parameter (`firm[Intelcia].happens`).
fn firm_field(name: &str) -> Option<(&str, &str)> {
    name.strip_prefix("firm[")?.rsplit_once("].")
}

impl Lang {
    /// A number with about three significant digits: whole numbers of 100 or
    /// more with thousands separators, smaller ones with the decimals they need
    /// ("2,545", "18", "0.86", "1.29", "0.0512"), and a true minus sign.
    pub fn number(self, v: f64) -> String {
        self.number_sig(v, 3)
    }

    /// A number like [`Lang::number`] with `digits` significant digits below
    /// 100: "0.9" and "12" with two.
    pub fn number_sig(self, v: f64, digits: i32) -> String {
        if !v.is_finite() {
            return "\u{2013}".to_string();
        }
        let sign = if v < 0.0 { "\u{2212}" } else { "" };
        let a = v.abs();
        if a >= 99.95 {
            return format!("{sign}{}", self.thousands(a.round() as u64));
        }
        if a == 0.0 {
            return "0".to_string();
        }
        let decimals = (digits - 1 - a.log10().floor() as i32).clamp(0, 6) as usize;
        let mut digits = format!("{a:.decimals$}");
        while digits.contains('.') && (digits.ends_with('0') || digits.ends_with('.')) {
            digits.pop();
        }
        match self {
            Lang::En => format!("{sign}{digits}"),
            Lang::Fr => format!("{sign}{}", digits.replace('.', ",")),
        }
    }

    /// A signed number with `decimals` decimals: "+0.58", "−0.21", "0.00".
    pub fn signed(self, v: f64, decimals: usize) -> String {
        let text = format!("{:.decimals$}", v.abs());
        let zero = text.chars().all(|c| c == '0' || c == '.');
        let sign = if zero {
            ""
        } else if v < 0.0 {
            "\u{2212}"
        } else {
            "+"
        };
        match self {
            Lang::En => format!("{sign}{text}"),
            Lang::Fr => format!("{sign}{}", text.replace('.', ",")),
        }
    }

    /// A signed whole number of jobs: "+630", "−1,204", "0".
    pub fn signed_jobs(self, v: f64) -> String {
        let n = v.round();
        let sign = if n > 0.0 {
            "+"
        } else if n < 0.0 {
            "\u{2212}"
        } else {
            ""
        };
        format!("{sign}{}", self.thousands(n.abs() as u64))
    }

    /// The ends of an interval: "+612 to +648" or "+612 à +648".
    pub fn interval(self, low: &str, high: &str) -> String {
        match self {
            Lang::En => format!("{low} to {high}"),
            Lang::Fr => format!("{low} à {high}"),
        }
    }

    /// A number with a fixed number of decimals: "123.3" or "123,3".
    pub fn number_fixed(self, v: f64, decimals: usize) -> String {
        let text = format!("{v:.decimals$}");
        match self {
            Lang::En => text,
            Lang::Fr => text.replace('.', ","),
        }
    }

    /// A change in a probability, in percentage points: "+1.2 pts", "+1,2 pt".
    pub fn points(self, change: f64) -> String {
        let decimals = if (change * 100.0).abs() < 1.0 { 2 } else { 1 };
        let v = self.signed(change * 100.0, decimals);
        match self {
            Lang::En => format!("{v} pts"),
            Lang::Fr => format!("{v}\u{a0}pt"),
        }
    }

    /// A low and high value: "1,952 → 2,435".
    pub fn arrow(self, low: &str, high: &str) -> String {
        format!("{low} \u{2192} {high}")
    }

    /// A value of parameter `name` as a reader sees it: a firm's coming in
    /// words, shares in percent, other values as numbers.
    pub fn param_value(self, name: &str, v: f64) -> String {
        self.param_value_sig(name, v, 3)
    }

    /// Like [`Lang::param_value`], with `digits` significant digits below 100
    /// (two on charts, where the labels must stay short).
    pub fn param_value_sig(self, name: &str, v: f64, digits: i32) -> String {
        let s = self.strings();
        if name.ends_with(".happens") {
            return if v >= 0.5 { s.comes } else { s.does_not_come }.to_string();
        }
        if is_share(name) {
            let number = self.number_sig(v * 100.0, digits);
            return match self {
                Lang::En => format!("{number}%"),
                Lang::Fr => format!("{number}\u{a0}%"),
            };
        }
        self.number_sig(v, digits)
    }

    /// A plain-language name of parameter `name` ("new firms per year" for
    /// `arrivals.firms_per_year`), or the name itself when it has none.
    pub fn param_label(self, name: &str) -> String {
        self.param_words(name).0
    }

    /// The plain-language name of a parameter and how it reads in a sentence.
    fn param_words(self, name: &str) -> (String, Phrase) {
        let en = self == Lang::En;
        let pick = |en_text: &str, fr_text: &str| {
            if en {
                en_text.to_string()
            } else {
                fr_text.to_string()
            }
        };
        if let Some((firm, field)) = firm_field(name) {
            let (label, phrase) = match field {
                "happens" => {
                    let s = self.strings();
                    let label = format!("{firm} {}", s.comes);
                    return (label.clone(), Phrase::Event(firm.to_string()));
                }
                "seats" => (
                    pick(&format!("{firm}'s seats"), &format!("postes de {firm}")),
                    Phrase::Count(pick(
                        &format!("seats at {firm}"),
                        &format!("postes chez {firm}"),
                    )),
                ),
                "headcount" => (
                    pick(
                        &format!("{firm}'s starting headcount"),
                        &format!("effectif initial de {firm}"),
                    ),
                    Phrase::Count(pick(
                        &format!("employees at {firm} at the start"),
                        &format!("salariés chez {firm} au départ"),
                    )),
                ),
                "opens_month" => (
                    pick(
                        &format!("{firm}'s opening month"),
                        &format!("mois d’ouverture de {firm}"),
                    ),
                    Phrase::Count(pick(
                        &format!("months before {firm} opens"),
                        &format!("mois avant l’ouverture de {firm}"),
                    )),
                ),
                "ramp_months" => (
                    pick(
                        &format!("{firm}'s ramp-up, months"),
                        &format!("montée en charge de {firm}, mois"),
                    ),
                    Phrase::Count(pick(
                        &format!("months of ramp-up at {firm}"),
                        &format!("mois de montée en charge chez {firm}"),
                    )),
                ),
                _ => (name.to_string(), Phrase::Quantity(name.to_string())),
            };
            return (label, phrase);
        }
        // (English label, English phrase, French label, French phrase); the
        // phrase is a count's unit when `count`, a quantity's noun otherwise.
        let (count, en_label, en_phrase, fr_label, fr_phrase) = match name {
            "arrivals.firms_per_year" => (
                true,
                "new firms per year",
                "new firms a year",
                "nouvelles entreprises par an",
                "nouvelles entreprises par an",
            ),
            "arrivals.rate_multiplier" => (
                false,
                "arrival rate multiplier",
                "an arrival rate multiplier",
                "multiplicateur du rythme d’arrivée",
                "un multiplicateur du rythme d’arrivée",
            ),
            "arrivals.seats" => (
                true,
                "seats of each new firm",
                "seats per new firm",
                "postes de chaque nouvelle entreprise",
                "postes par nouvelle entreprise",
            ),
            "arrivals.ramp_months" => (
                true,
                "ramp-up of new firms, months",
                "months of ramp-up for new firms",
                "montée en charge des nouvelles entreprises, mois",
                "mois de montée en charge des nouvelles entreprises",
            ),
            "labour.initial_pool" => (
                true,
                "qualified job-seekers at the start",
                "qualified job-seekers at the start",
                "candidats qualifiés au départ",
                "candidats qualifiés au départ",
            ),
            "labour.graduates_per_year" => (
                true,
                "graduates per year",
                "graduates a year",
                "diplômés par an",
                "diplômés par an",
            ),
            "labour.qualified_share" => (
                false,
                "share of graduates who qualify",
                "a qualifying share of graduates",
                "part des diplômés qualifiés",
                "une part de diplômés qualifiés",
            ),
            "labour.reach_share" => (
                false,
                "share of graduates within reach",
                "a share of graduates within reach",
                "part des diplômés à portée",
                "une part de diplômés à portée",
            ),
            "labour.pool_exit_monthly" => (
                false,
                "monthly exits from the pool",
                "monthly exits from the pool",
                "sorties mensuelles du vivier",
                "des sorties mensuelles du vivier",
            ),
            "labour.uptake_monthly" => (
                false,
                "share of the pool available each month",
                "a monthly availability of the pool",
                "part du vivier disponible chaque mois",
                "une disponibilité mensuelle du vivier",
            ),
            "labour.leaver_return_share" => (
                false,
                "share of leavers back in the pool",
                "a share of leavers back in the pool",
                "part des partants de retour au vivier",
                "une part de partants de retour au vivier",
            ),
            "training.per_year" => (
                true,
                "training places per year",
                "training places a year",
                "places de formation par an",
                "places de formation par an",
            ),
            "training.completion_rate" => (
                false,
                "training completion rate",
                "a training completion rate",
                "taux de réussite de la formation",
                "un taux de réussite de la formation",
            ),
            "attrition.hazard_new" => (
                false,
                "monthly attrition, first 3 months",
                "a monthly attrition in the first 3 months",
                "départs mensuels, 3 premiers mois",
                "des départs mensuels les 3 premiers mois",
            ),
            "attrition.hazard_settled" => (
                false,
                "monthly attrition, months 3 to 11",
                "a monthly attrition in months 3 to 11",
                "départs mensuels, mois 3 à 11",
                "des départs mensuels aux mois 3 à 11",
            ),
            "attrition.hazard_veteran" => (
                false,
                "monthly attrition after a year",
                "a monthly attrition after a year",
                "départs mensuels après un an",
                "des départs mensuels après un an",
            ),
            "attrition.multiplier" => (
                false,
                "attrition multiplier",
                "an attrition multiplier",
                "multiplicateur des départs",
                "un multiplicateur des départs",
            ),
            "closure.monthly_hazard" => (
                false,
                "monthly chance that a site closes",
                "a monthly closure risk",
                "risque mensuel de fermeture d’un site",
                "un risque mensuel de fermeture",
            ),
            "expansion.monthly_probability" => (
                false,
                "monthly chance that a full site expands",
                "a monthly expansion chance",
                "probabilité mensuelle d’extension d’un site plein",
                "une probabilité mensuelle d’extension",
            ),
            "expansion.growth" => (
                false,
                "seat growth at an expansion",
                "a seat growth at expansion",
                "croissance des postes lors d’une extension",
                "une croissance des postes lors d’une extension",
            ),
            _ => return (name.to_string(), Phrase::Quantity(name.to_string())),
        };
        let (label, phrase) = if en {
            (en_label, en_phrase)
        } else {
            (fr_label, fr_phrase)
        };
        let phrase = phrase.to_string();
        (
            label.to_string(),
            if count {
                Phrase::Count(phrase)
            } else {
                Phrase::Quantity(phrase)
            },
        )
    }

    /// A range of parameter `name` as a phrase: "at least 2,545", "at most
    /// 1.05", "between 0.9 and 1.1".
    fn range_phrase(self, name: &str, low: Option<f64>, high: Option<f64>) -> String {
        let v = |x: f64| self.param_value(name, x);
        match (self, low, high) {
            (Lang::En, Some(lo), Some(hi)) => format!("between {} and {}", v(lo), v(hi)),
            (Lang::En, Some(lo), None) => format!("at least {}", v(lo)),
            (Lang::En, None, Some(hi)) => format!("at most {}", v(hi)),
            (Lang::Fr, Some(lo), Some(hi)) => format!("entre {} et {}", v(lo), v(hi)),
            (Lang::Fr, Some(lo), None) => format!("au moins {}", v(lo)),
            (Lang::Fr, None, Some(hi)) => format!("au plus {}", v(hi)),
            (_, None, None) => self.strings().any_value.to_string(),
        }
    }

    /// One restriction of a PRIM box as a clause: "Intelcia comes", "at least
    /// 0.86 new firms a year", "an attrition multiplier of at most 1.05".
    pub fn condition(self, name: &str, low: Option<f64>, high: Option<f64>) -> String {
        let s = self.strings();
        match self.param_words(name).1 {
            Phrase::Event(firm) => {
                let comes = low.is_some_and(|l| l >= 0.5);
                format!("{firm} {}", if comes { s.comes } else { s.does_not_come })
            }
            Phrase::Count(unit) => format!("{} {unit}", self.range_phrase(name, low, high)),
            Phrase::Quantity(noun) => {
                let range = self.range_phrase(name, low, high);
                match (self, low.is_some() && high.is_some()) {
                    (_, true) => format!("{noun} {range}"),
                    (Lang::En, false) => format!("{noun} of {range}"),
                    (Lang::Fr, false) => format!("{noun} d’{range}"),
                }
            }
        }
    }

    /// The range of a restricted input inside a PRIM box, for a table:
    /// "at least 2,545", "between 0.9 and 1.1", "comes".
    pub fn box_range(self, name: &str, low: Option<f64>, high: Option<f64>) -> String {
        let s = self.strings();
        if name.ends_with(".happens") {
            return if low.is_some_and(|l| l >= 0.5) {
                s.comes
            } else {
                s.does_not_come
            }
            .to_string();
        }
        self.range_phrase(name, low, high)
    }

    /// Discovery report: under the coverage card.
    pub fn of_successes(self, successes: u64) -> String {
        let n = self.thousands(successes);
        match self {
            Lang::En => format!("of the {n} successful futures"),
            Lang::Fr => format!("des {n}\u{a0}avenirs réussis"),
        }
    }

    /// Comparison report: the cost column.
    pub fn cost_column(self, date: &str) -> String {
        match self {
            Lang::En => format!("Cost to {date}, MAD millions"),
            Lang::Fr => format!("Coût jusqu’en {date}, millions de dirhams"),
        }
    }

    /// A range of parameter `name` for a table: "2,545 to 4,882", "comes".
    pub fn range(self, name: &str, low: f64, high: f64) -> String {
        let s = self.strings();
        if name.ends_with(".happens") {
            return match (low >= 0.5, high >= 0.5) {
                (true, true) => s.comes,
                (false, false) => s.does_not_come,
                _ => s.comes_or_not,
            }
            .to_string();
        }
        let (lo, hi) = (self.param_value(name, low), self.param_value(name, high));
        if lo == hi {
            return lo;
        }
        match self {
            Lang::En => format!("{lo} to {hi}"),
            Lang::Fr => format!("{lo} à {hi}"),
        }
    }

    /// Joins clauses: "a, b and c" or "a, b et c".
    fn and_list(self, items: &[String]) -> String {
        let and = match self {
            Lang::En => " and ",
            Lang::Fr => " et ",
        };
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{}{and}{last}", init.join(", ")),
        }
    }

    /// The finding of scenario discovery in one sentence. `conditions` are
    /// the box's restrictions as `(parameter, low end, high end)`; `density`
    /// is the share of the box's futures that succeed, `coverage` the share
    /// of all successes inside it, `support` the share of all futures inside
    /// it, and `overall` the share of all futures that succeed.
    #[allow(clippy::too_many_arguments)]
    pub fn box_sentence(
        self,
        target: u32,
        date: &str,
        conditions: &[(String, Option<f64>, Option<f64>)],
        density: f64,
        coverage: f64,
        support: f64,
        overall: f64,
    ) -> String {
        let t = self.thousands(u64::from(target));
        let (events, ranges): (Vec<_>, Vec<_>) = conditions
            .iter()
            .partition(|(name, _, _)| name.ends_with(".happens"));
        let clauses = |list: Vec<&(String, Option<f64>, Option<f64>)>| {
            list.into_iter()
                .map(|(name, lo, hi)| self.condition(name, *lo, *hi))
                .collect::<Vec<_>>()
        };
        let (events, ranges) = (clauses(events), clauses(ranges));
        if events.is_empty() && ranges.is_empty() {
            return match self {
                Lang::En => format!(
                    "No range of the uncertain inputs stands out: {t} jobs by {date} are reached in {} of futures, spread over the whole input space.",
                    self.share(overall)
                ),
                Lang::Fr => format!(
                    "Aucune plage des hypothèses incertaines ne se détache\u{a0}: {t}\u{a0}emplois en {date} sont atteints dans {} des avenirs, répartis sur tout l’espace des hypothèses.",
                    self.share(overall)
                ),
            };
        }
        let (density, coverage, support) = (
            self.share(density),
            self.share(coverage),
            self.share(support),
        );
        match self {
            Lang::En => {
                let mut place = String::new();
                if !events.is_empty() {
                    place += &format!(" where {}", self.and_list(&events));
                    if !ranges.is_empty() {
                        place.push(',');
                    }
                }
                if !ranges.is_empty() {
                    place += &format!(" with {}", self.and_list(&ranges));
                }
                format!(
                    "{t} jobs by {date} are reached in {density} of futures{place}; these futures hold {coverage} of all successes ({support} of all futures)."
                )
            }
            Lang::Fr => {
                let mut place = String::new();
                if !events.is_empty() {
                    place += &format!(" où {}", self.and_list(&events));
                    if !ranges.is_empty() {
                        place.push(',');
                    }
                }
                if !ranges.is_empty() {
                    place += &format!(" avec {}", self.and_list(&ranges));
                }
                format!(
                    "{t}\u{a0}emplois en {date} sont atteints dans {density} des avenirs{place}\u{a0}; ces avenirs regroupent {coverage} des succès ({support} de l’ensemble des avenirs)."
                )
            }
        }
    }

    /// The title of an analysis report's page.
    pub fn analysis_title(self, scenario: &str, kind: &str) -> String {
        format!("{scenario} \u{2014} {kind}")
    }

    /// Charts: "Median jobs in Jul 2022".
    pub fn median_jobs_in(self, date: &str) -> String {
        match self {
            Lang::En => format!("Median jobs in {date}"),
            Lang::Fr => format!("Emplois médians en {date}"),
        }
    }

    /// The comparison fan's title.
    pub fn compare_fan_title(self) -> String {
        match self {
            Lang::En => "Jobs under each policy option".to_string(),
            Lang::Fr => "Emplois selon chaque option".to_string(),
        }
    }

    /// The comparison fan's subtitle.
    pub fn compare_fan_subtitle(self, scenario: &str, paths: u64, common: bool) -> String {
        let n = self.thousands(paths);
        match (self, common) {
            (Lang::En, true) => format!(
                "{scenario}: median and middle 80% of total headcount, each option on the same {n} simulated paths"
            ),
            (Lang::En, false) => format!(
                "{scenario}: median and middle 80% of total headcount, each option on {n} simulated paths of its own"
            ),
            (Lang::Fr, true) => format!(
                "{scenario}\u{a0}: médiane et 80\u{a0}% centraux de l’effectif total, chaque option sur les mêmes {n}\u{a0}trajectoires simulées"
            ),
            (Lang::Fr, false) => format!(
                "{scenario}\u{a0}: médiane et 80\u{a0}% centraux de l’effectif total, chaque option sur ses propres {n}\u{a0}trajectoires simulées"
            ),
        }
    }

    /// The comparison fan's caption when each option has a panel of its own.
    pub fn compare_fan_panels_caption(self) -> &'static str {
        match self {
            Lang::En => {
                "One panel per option, all on the same scale: the option's median headcount (line) and the band holding the middle 80% of its simulated paths (10th to 90th percentile), over the base case in grey. Every option runs on the same simulated futures, so the gap between an option and the grey base is the option's effect."
            }
            Lang::Fr => {
                "Un panneau par option, tous à la même échelle\u{a0}: l’effectif médian de l’option (ligne) et la bande contenant les 80\u{a0}% centraux de ses trajectoires simulées (du 10ᵉ au 90ᵉ centile), sur le scénario de base en gris. Chaque option est simulée sur les mêmes avenirs\u{a0}: l’écart entre une option et la base grise est l’effet de l’option."
            }
        }
    }

    /// The comparison fan's caption when each option ran on random numbers
    /// of its own (`--independent-streams`), with one panel per option or
    /// all options overlaid.
    pub fn compare_fan_independent_caption(self, panels: bool) -> &'static str {
        match (self, panels) {
            (Lang::En, true) => {
                "One panel per option, all on the same scale: the option's median headcount (line) and the band holding the middle 80% of its simulated paths (10th to 90th percentile), over the base case in grey. Each option ran on random numbers of its own (--independent-streams), so part of the gap between an option and the grey base is luck."
            }
            (Lang::Fr, true) => {
                "Un panneau par option, tous à la même échelle\u{a0}: l’effectif médian de l’option (ligne) et la bande contenant les 80\u{a0}% centraux de ses trajectoires simulées (du 10ᵉ au 90ᵉ centile), sur le scénario de base en gris. Chaque option a été simulée avec ses propres nombres aléatoires (--independent-streams)\u{a0}: une part de l’écart entre une option et la base grise vient du hasard."
            }
            (lang, false) => lang.strings().compare_fan_independent,
        }
    }

    /// The caption of the chance of the target and the jobs added when each
    /// option ran on random numbers of its own: the intervals of the jobs
    /// added are not paired, and include luck. `jobs_only` when the chance
    /// is left out (no option reaches the target in 1% of its paths).
    pub fn compare_target_independent_caption(self, jobs_only: bool) -> &'static str {
        match (self, jobs_only) {
            (Lang::En, false) => {
                "Left: the chance of reaching the target in the target month, with its 95% (Wilson) interval. Right: the mean number of jobs each option adds in the target month compared with the base case, with its 95% interval; each option ran on random numbers of its own (--independent-streams), so the interval includes luck."
            }
            (Lang::En, true) => {
                "The mean number of jobs each option adds in the target month compared with the base case, with its 95% interval; each option ran on random numbers of its own (--independent-streams), so the interval includes luck. The chance of reaching the target is left out: no option reaches it in 1% of its simulated paths (the table gives each chance)."
            }
            (Lang::Fr, false) => {
                "À gauche\u{a0}: la probabilité d’atteindre l’objectif au mois de l’objectif, avec son intervalle à 95\u{a0}% (Wilson). À droite\u{a0}: le nombre moyen d’emplois que chaque option ajoute au mois de l’objectif par rapport au scénario de base, avec son intervalle à 95\u{a0}%\u{a0}; chaque option ayant été simulée avec ses propres nombres aléatoires (--independent-streams), l’intervalle inclut le hasard."
            }
            (Lang::Fr, true) => {
                "Le nombre moyen d’emplois que chaque option ajoute au mois de l’objectif par rapport au scénario de base, avec son intervalle à 95\u{a0}%\u{a0}; chaque option ayant été simulée avec ses propres nombres aléatoires (--independent-streams), l’intervalle inclut le hasard. La probabilité d’atteindre l’objectif est omise\u{a0}: aucune option ne l’atteint dans 1\u{a0}% de ses trajectoires simulées (le tableau donne chaque probabilité)."
            }
        }
    }

    /// The comparison fan's legend for an option's median in its panel.
    pub fn option_median(self) -> &'static str {
        match self {
            Lang::En => "The panel's option (median)",
            Lang::Fr => "L’option du panneau (médiane)",
        }
    }

    /// The title of the chart of chances and gains.
    pub fn compare_target_title(self, target: u32, date: &str) -> String {
        let t = self.thousands(u64::from(target));
        match self {
            Lang::En => format!("Which option brings {t} jobs in {date} closest?"),
            Lang::Fr => {
                format!("Quelle option rapproche le plus de {t}\u{a0}emplois en {date}\u{a0}?")
            }
        }
    }

    /// Its subtitle: when no option has a real chance of the target, it says
    /// so and points to the jobs added.
    pub fn compare_target_subtitle(self, target: u32, date: &str, best: Option<f64>) -> String {
        let t = self.thousands(u64::from(target));
        match (self, best) {
            (Lang::En, Some(p)) if p <= 0.0 => format!(
                "No option reaches {t} jobs in {date} in any simulated future: what tells them apart is the jobs each adds"
            ),
            (Lang::Fr, Some(p)) if p <= 0.0 => format!(
                "Aucune option n’atteint {t}\u{a0}emplois en {date} dans aucun avenir simulé\u{a0}: c’est le nombre d’emplois ajoutés qui les distingue"
            ),
            (Lang::En, Some(p)) => format!(
                "No option gives a real chance of {t} jobs in {date} (at best {}): what tells them apart is the jobs each adds",
                self.share(p)
            ),
            (Lang::Fr, Some(p)) => format!(
                "Aucune option ne donne de chance réelle d’atteindre {t}\u{a0}emplois en {date} (au mieux {})\u{a0}: c’est le nombre d’emplois ajoutés qui les distingue",
                self.share(p)
            ),
            (Lang::En, None) => format!(
                "The chance of at least {t} jobs in {date}, and the jobs each option adds compared with the base case"
            ),
            (Lang::Fr, None) => format!(
                "La probabilité d’au moins {t}\u{a0}emplois en {date}, et les emplois que chaque option ajoute par rapport au scénario de base"
            ),
        }
    }

    /// Heading of the chance panel.
    pub fn chance_panel(self, target: u32, date: &str) -> String {
        let t = self.thousands(u64::from(target));
        match self {
            Lang::En => format!("Chance of at least {t} jobs in {date}"),
            Lang::Fr => format!("Probabilité d’au moins {t}\u{a0}emplois en {date}"),
        }
    }

    /// Run workbook: the note in place of a flat chart of reaching the target.
    pub fn hitting_omitted(self, target: u32, floor: f64) -> String {
        let (t, f) = (self.thousands(u64::from(target)), self.share(floor));
        match self {
            Lang::En => format!(
                "Fewer than {f} of the paths reach {t} jobs by the horizon: the chart of when the \
                 target is reached would be a flat line at zero, so it is left out (the hitting \
                 sheet has every month)."
            ),
            Lang::Fr => format!(
                "Moins de {f} des trajectoires atteignent {t}\u{a0}emplois avant l’horizon\u{a0}: \
                 le graphique de la date d’atteinte serait une ligne plate à zéro, il est donc \
                 omis (la feuille hitting donne chaque mois)."
            ),
        }
    }

    /// Comparison workbook: the title of the jobs-per-dirham chart.
    pub fn jobs_per_million_title(self) -> String {
        match self {
            Lang::En => "Jobs added per million MAD spent".into(),
            Lang::Fr => "Emplois ajoutés par million de dirhams dépensé".into(),
        }
    }

    /// Heading of the jobs-added panel.
    pub fn gain_panel(self, date: &str) -> String {
        match self {
            Lang::En => format!("Jobs added in {date}, mean vs base case"),
            Lang::Fr => format!("Emplois ajoutés en {date}, écart moyen avec la base"),
        }
    }

    /// The cost-per-job chart's title.
    pub fn cost_title(self) -> String {
        match self {
            Lang::En => "What each option costs per additional job".to_string(),
            Lang::Fr => "Ce que coûte chaque option par emploi supplémentaire".to_string(),
        }
    }

    /// Its subtitle, naming the options left out because they add no jobs.
    pub fn cost_subtitle(self, date: &str, no_gain: &[String], no_cost: &[String]) -> String {
        let mut text = match self {
            Lang::En => format!(
                "Cost up to {date} against the jobs added in {date}, compared with the base case"
            ),
            Lang::Fr => format!(
                "Coût jusqu’en {date} face aux emplois ajoutés en {date}, par rapport au scénario de base"
            ),
        };
        if !no_gain.is_empty() {
            let list = self.and_list(no_gain);
            text += &match self {
                Lang::En => format!(". Not shown, as they add no jobs: {list}"),
                Lang::Fr => format!(". Non représentées, faute d’emplois ajoutés\u{a0}: {list}"),
            };
        }
        if !no_cost.is_empty() {
            let list = self.and_list(no_cost);
            text += &match self {
                Lang::En => format!(". Not shown, as their cost is not given: {list}"),
                Lang::Fr => format!(". Non représentées, faute de coût renseigné\u{a0}: {list}"),
            };
        }
        text
    }

    /// Comparison report: what the base case costs.
    pub fn base_costs(self) -> &'static str {
        match self {
            Lang::En => "no cost: the reference the other options are costed against",
            Lang::Fr => {
                "aucun coût\u{a0}: la référence à laquelle les autres options sont comparées"
            }
        }
    }

    /// Comparison report: why the cost-per-job chart is left out.
    pub fn cost_chart_omitted(self) -> &'static str {
        match self {
            Lang::En => {
                "The chart of cost per additional job is left out: no option both adds jobs and has a cost given. Costs come from the [[policy]] entries of a scenario file, or, when each option is a file of its own, from each file's [option] section."
            }
            Lang::Fr => {
                "Le graphique du coût par emploi supplémentaire est omis\u{a0}: aucune option n’ajoute des emplois tout en ayant un coût renseigné. Les coûts viennent des entrées [[policy]] d’un fichier de scénario ou, quand chaque option est un fichier, de la section [option] de chaque fichier."
            }
        }
    }

    /// The cost-per-job chart's horizontal axis.
    pub fn cost_x_title(self, date: &str) -> String {
        match self {
            Lang::En => {
                format!("Jobs added in {date} compared with the base case (mean, 95% interval)")
            }
            Lang::Fr => format!(
                "Emplois ajoutés en {date} par rapport au scénario de base (moyenne, intervalle à 95\u{a0}%)"
            ),
        }
    }

    /// The cost-per-job chart's vertical axis.
    pub fn cost_y_title(self, date: &str) -> String {
        match self {
            Lang::En => format!("Cost up to {date}, MAD millions"),
            Lang::Fr => format!("Coût jusqu’en {date}, millions de dirhams"),
        }
    }

    /// A cost per additional job: "195,800 MAD per job".
    pub fn per_job(self, mad: f64) -> String {
        let v = self.thousands(((mad / 100.0).round() * 100.0) as u64);
        match self {
            Lang::En => format!("{v} MAD per job"),
            Lang::Fr => format!("{v}\u{a0}MAD par emploi"),
        }
    }

    /// A line of constant cost per job: "200,000 MAD/job".
    pub fn per_job_short(self, mad: f64) -> String {
        let v = self.thousands(mad.round() as u64);
        match self {
            Lang::En => format!("{v} MAD/job"),
            Lang::Fr => format!("{v}\u{a0}MAD/emploi"),
        }
    }

    /// The tornado's title.
    pub fn tornado_title(self, date: &str) -> String {
        match self {
            Lang::En => format!("What moves the headcount in {date}, one input at a time"),
            Lang::Fr => format!("Ce qui fait varier l’effectif en {date}, hypothèse par hypothèse"),
        }
    }

    /// The tornado's subtitle; `hidden` inputs with the smallest swings are
    /// left out of the chart.
    pub fn tornado_subtitle(self, paths: u64, hidden: usize) -> String {
        let n = self.thousands(paths);
        let mut text = match self {
            Lang::En => format!(
                "Median jobs with each input fixed at its 10th, then its 90th percentile, the others left uncertain ({n} paths per run)"
            ),
            Lang::Fr => format!(
                "Emplois médians avec chaque hypothèse fixée à son 10ᵉ, puis à son 90ᵉ centile, les autres restant incertaines ({n}\u{a0}trajectoires par simulation)"
            ),
        };
        if hidden > 0 {
            text += &match (self, hidden) {
                (Lang::En, 1) => "; 1 input with a smaller swing is in the table".to_string(),
                (Lang::En, _) => format!("; {hidden} inputs with smaller swings are in the table"),
                (Lang::Fr, 1) => {
                    "\u{a0}; 1\u{a0}hypothèse d’amplitude plus faible figure dans le tableau"
                        .to_string()
                }
                (Lang::Fr, _) => format!(
                    "\u{a0}; {hidden}\u{a0}hypothèses d’amplitude plus faible figurent dans le tableau"
                ),
            };
        }
        text
    }

    /// The label of the base case's median on the tornado.
    pub fn base_median_label(self, median: u32) -> String {
        let m = self.thousands(u64::from(median));
        match self {
            Lang::En => format!("Base case: {m}"),
            Lang::Fr => format!("Base\u{a0}: {m}"),
        }
    }

    /// The PRCC chart's title.
    pub fn prcc_title(self, date: &str) -> String {
        match self {
            Lang::En => format!("How closely each input tracks the headcount in {date}"),
            Lang::Fr => format!("À quel point chaque hypothèse suit l’effectif en {date}"),
        }
    }

    /// The PRCC chart's subtitle.
    pub fn prcc_subtitle(self, paths: u64) -> String {
        let n = self.thousands(paths);
        match self {
            Lang::En => format!(
                "Partial rank correlation coefficient (PRCC) with its 95% interval, from one run of {n} paths; strongest first"
            ),
            Lang::Fr => format!(
                "Coefficient de corrélation partielle des rangs (PRCC) avec son intervalle à 95\u{a0}%, sur une simulation de {n}\u{a0}trajectoires\u{a0}; le plus fort en premier"
            ),
        }
    }

    /// The PRCC chart's horizontal axis.
    pub fn prcc_axis(self, date: &str) -> String {
        match self {
            Lang::En => format!("PRCC with the headcount in {date}"),
            Lang::Fr => format!("PRCC avec l’effectif en {date}"),
        }
    }

    /// The PRIM box chart's title.
    pub fn prim_box_title(self, target: u32, date: &str) -> String {
        let t = self.thousands(u64::from(target));
        match self {
            Lang::En => format!("The inputs under which {t} jobs in {date} become likely"),
            Lang::Fr => format!(
                "Les hypothèses sous lesquelles {t}\u{a0}emplois en {date} deviennent probables"
            ),
        }
    }

    /// The PRIM box chart's subtitle: `shown` dots of `paths` futures, the
    /// box's density against the share overall, other inputs it restricts.
    pub fn prim_box_subtitle(
        self,
        shown: usize,
        paths: u64,
        density: f64,
        overall: f64,
        others: &[String],
    ) -> String {
        let (k, n) = (self.thousands(shown as u64), self.thousands(paths));
        let (d, o) = (self.share(density), self.share(overall));
        let mut text = match self {
            Lang::En => format!(
                "Each dot is a simulated future ({k} of {n}); in the box, {d} reach the target, against {o} of all futures"
            ),
            Lang::Fr => format!(
                "Chaque point est un avenir simulé ({k} sur {n})\u{a0}; dans la zone, {d} atteignent l’objectif, contre {o} de tous les avenirs"
            ),
        };
        if !others.is_empty() {
            let list = self.and_list(others);
            text += &match self {
                Lang::En => format!(". The box also restricts {list} (see the table)"),
                Lang::Fr => format!(". La zone restreint aussi {list} (voir le tableau)"),
            };
        }
        text
    }

    /// The PRIM box chart's legend for futures that reach the target.
    pub fn prim_box_reached(self) -> &'static str {
        match self {
            Lang::En => "Futures that reach the target",
            Lang::Fr => "Avenirs qui atteignent l’objectif",
        }
    }

    /// The PRIM box chart's legend for futures that miss the target.
    pub fn prim_box_missed(self) -> &'static str {
        match self {
            Lang::En => "Futures that miss the target",
            Lang::Fr => "Avenirs qui manquent l’objectif",
        }
    }

    /// The PRIM box chart's caption in the report.
    pub fn prim_box_caption(self) -> &'static str {
        match self {
            Lang::En => {
                "The box PRIM chose, drawn over the two inputs that define it best (those whose ranges in the box leave out the most futures). Each dot is one simulated future, placed by its values of these two inputs and coloured by whether it reaches the target; a firm that comes or not is shown as two clouds around \u{201c}does not come\u{201d} and \u{201c}comes\u{201d}. Futures inside the box reach the target more often than the others; any other input the box restricts is in the table below."
            }
            Lang::Fr => {
                "La zone retenue par PRIM, tracée sur les deux hypothèses qui la définissent le mieux (celles dont les plages dans la zone écartent le plus d’avenirs). Chaque point est un avenir simulé, placé selon ses valeurs de ces deux hypothèses et coloré selon qu’il atteint l’objectif ou non\u{a0}; une entreprise qui s’installe ou non forme deux nuages, autour de «\u{a0}ne s’installe pas\u{a0}» et de «\u{a0}s’installe\u{a0}». Les avenirs de la zone atteignent l’objectif plus souvent que les autres\u{a0}; les autres hypothèses que la zone restreint figurent dans le tableau ci-dessous."
            }
        }
    }

    /// The PRIM chart's title.
    pub fn prim_title(self, target: u32, date: &str) -> String {
        let t = self.thousands(u64::from(target));
        match self {
            Lang::En => format!("Where {t} jobs in {date} become likely: scenario discovery"),
            Lang::Fr => format!(
                "Où {t}\u{a0}emplois en {date} deviennent probables\u{a0}: découverte de scénarios"
            ),
        }
    }

    /// The PRIM chart's subtitle.
    pub fn prim_subtitle(self, paths: u64, steps: usize) -> String {
        let n = self.thousands(paths);
        match self {
            Lang::En => format!(
                "PRIM peeling over {n} simulated futures: {steps} boxes, each step trimming 5% of the futures on one input"
            ),
            Lang::Fr => format!(
                "Affinage PRIM sur {n}\u{a0}avenirs simulés\u{a0}: {steps}\u{a0}zones, chaque étape retirant 5\u{a0}% des avenirs sur une hypothèse"
            ),
        }
    }

    /// The label of the chosen box on the PRIM chart: a heading and two lines.
    pub fn chosen_box_label(self, density: f64, coverage: f64) -> [String; 3] {
        let s = self.strings();
        let (d, c) = (self.share(density), self.share(coverage));
        let [a, b] = match self {
            Lang::En => [
                format!("{d} of its futures succeed"),
                format!("it holds {c} of all successes"),
            ],
            Lang::Fr => [
                format!("{d} de ses avenirs réussissent"),
                format!("elle contient {c} des succès"),
            ],
        };
        [s.chosen_box.to_string(), a, b]
    }

    /// The label of the share of all futures that succeed.
    pub fn all_futures_label(self, overall: f64) -> String {
        let p = self.share(overall);
        match self {
            Lang::En => format!("All futures: {p} succeed"),
            Lang::Fr => format!("Ensemble des avenirs\u{a0}: {p} de réussite"),
        }
    }

    /// The label of the least coverage a chosen box may have.
    pub fn min_coverage_label(self, share: f64) -> String {
        let p = self.percent_tick(share * 100.0);
        match self {
            Lang::En => format!("Boxes right of this line hold at least {p} of successes"),
            Lang::Fr => format!("À droite, les zones contiennent au moins {p} des succès"),
        }
    }

    /// Comparison report: the meta line.
    pub fn compare_meta(
        self,
        target: u32,
        date: &str,
        options: usize,
        paths: u64,
        common: bool,
    ) -> String {
        let (t, n) = (self.thousands(u64::from(target)), self.thousands(paths));
        match (self, common) {
            (Lang::En, true) => format!(
                "Target: {t} jobs in {date}. {options} options, each simulated on the same {n} paths (common random numbers)."
            ),
            (Lang::En, false) => format!(
                "Target: {t} jobs in {date}. {options} options, each simulated on {n} paths of its own (independent random numbers)."
            ),
            (Lang::Fr, true) => format!(
                "Objectif\u{a0}: {t}\u{a0}emplois en {date}. {options}\u{a0}options, chacune simulée sur les mêmes {n}\u{a0}trajectoires (nombres aléatoires communs)."
            ),
            (Lang::Fr, false) => format!(
                "Objectif\u{a0}: {t}\u{a0}emplois en {date}. {options}\u{a0}options, chacune simulée sur ses propres {n}\u{a0}trajectoires (nombres aléatoires indépendants)."
            ),
        }
    }

    /// Jobs per million MAD: "5.92", "12.4" or "5,92".
    pub fn jobs_per_million(self, v: f64) -> String {
        self.number_fixed(v, if v.abs() < 10.0 { 2 } else { 1 })
    }

    /// Comparison answer: the option buying the most jobs per dirham.
    pub fn answer_value(
        self,
        name: &str,
        estimate: &str,
        interval: &str,
        per_job: f64,
        date: &str,
    ) -> String {
        let cost = self.per_job(per_job);
        match self {
            Lang::En => format!(
                "Most jobs per dirham: {name}, {estimate} jobs in {date} per million MAD spent (95% interval {interval}), {cost}."
            ),
            Lang::Fr => format!(
                "Le plus d’emplois par dirham\u{a0}: {name}, {estimate}\u{a0}emplois en {date} par million de dirhams dépensé (intervalle à 95\u{a0}% {interval}), soit {cost}."
            ),
        }
    }

    /// Comparison answer: no option has both a cost and a gain.
    pub fn answer_no_value(self) -> String {
        match self {
            Lang::En => "Jobs per dirham: no option both has a cost given and adds jobs on average.".into(),
            Lang::Fr => "Emplois par dirham\u{a0}: aucune option n’a à la fois un coût renseigné et un gain moyen d’emplois.".into(),
        }
    }

    /// Comparison answer: the option adding the most jobs.
    pub fn answer_jobs(self, name: &str, added: &str, interval: &str, date: &str) -> String {
        match self {
            Lang::En => format!(
                "Most jobs added: {name}, {added} jobs in {date} against the base case (95% interval {interval})."
            ),
            Lang::Fr => format!(
                "Le plus d’emplois ajoutés\u{a0}: {name}, {added}\u{a0}emplois en {date} par rapport au scénario de base (intervalle à 95\u{a0}% {interval})."
            ),
        }
    }

    /// Comparison answer: no option adds jobs.
    pub fn answer_no_jobs(self) -> String {
        match self {
            Lang::En => "Jobs added: no option adds jobs on average.".into(),
            Lang::Fr => {
                "Emplois ajoutés\u{a0}: aucune option n’ajoute d’emplois en moyenne.".into()
            }
        }
    }

    /// Comparison answer: the option most likely to reach the target.
    pub fn answer_likely(
        self,
        name: &str,
        share: &str,
        interval: &str,
        target: u32,
        date: &str,
    ) -> String {
        let t = self.thousands(u64::from(target));
        match self {
            Lang::En => format!(
                "Most likely to reach {t} jobs in {date}: {name}, in {share} of the simulated futures (95% simulation-error interval {interval})."
            ),
            Lang::Fr => format!(
                "Le plus susceptible d’atteindre {t}\u{a0}emplois en {date}\u{a0}: {name}, dans {share} des avenirs simulés (intervalle d’erreur de simulation à 95\u{a0}% {interval})."
            ),
        }
    }

    /// Comparison answer: no option reaches the target in 1% of the futures.
    pub fn answer_none_likely(self, target: u32, date: &str, floor: f64) -> String {
        let (t, floor) = (self.thousands(u64::from(target)), self.percent(floor));
        match self {
            Lang::En => format!(
                "Reaching {t} jobs in {date}: no option does so in {floor} of the simulated futures or more, so the options are judged by the jobs they add."
            ),
            Lang::Fr => format!(
                "Atteindre {t}\u{a0}emplois en {date}\u{a0}: aucune option n’y parvient dans {floor} des avenirs simulés ou plus\u{a0}; les options se jugent donc aux emplois qu’elles ajoutent."
            ),
        }
    }

    /// Comparison report: the median jobs column.
    pub fn median_jobs_column(self, date: &str) -> String {
        match self {
            Lang::En => format!("Median jobs in {date}"),
            Lang::Fr => format!("Emplois médians en {date}"),
        }
    }

    /// Comparison report: an option's costs in words.
    pub fn costs_in_words(self, per_year: f64, per_hire: f64, per_job: f64) -> String {
        let mad = |v: f64| self.thousands(v.round() as u64);
        let mut parts = Vec::new();
        if per_year > 0.0 {
            parts.push(match self {
                Lang::En => format!("{} MAD a year", mad(per_year)),
                Lang::Fr => format!("{}\u{a0}MAD par an", mad(per_year)),
            });
        }
        if per_hire > 0.0 {
            parts.push(match self {
                Lang::En => format!("{} MAD per hire", mad(per_hire)),
                Lang::Fr => format!("{}\u{a0}MAD par recrutement", mad(per_hire)),
            });
        }
        if per_job > 0.0 {
            parts.push(match self {
                Lang::En => format!("{} MAD per job created", mad(per_job)),
                Lang::Fr => format!("{}\u{a0}MAD par emploi créé", mad(per_job)),
            });
        }
        if parts.is_empty() {
            self.strings().no_cost.to_string()
        } else {
            self.and_list(&parts)
        }
    }

    /// Comparison report: the footer's run size.
    pub fn compare_size(self, options: usize, paths: u64, seconds: f64) -> String {
        let n = self.thousands(paths);
        match self {
            Lang::En => format!("{options} options of {n} paths simulated in {seconds:.1} s."),
            Lang::Fr => format!(
                "{options}\u{a0}options de {n}\u{a0}trajectoires simulées en {}\u{a0}s.",
                format!("{seconds:.1}").replace('.', ",")
            ),
        }
    }

    /// Sensitivity report: the meta line.
    pub fn sensitivity_meta(self, target: u32, date: &str, inputs: usize, paths: u64) -> String {
        let (t, n) = (self.thousands(u64::from(target)), self.thousands(paths));
        match self {
            Lang::En => format!(
                "Target: {t} jobs in {date}. {inputs} uncertain inputs; {n} paths per run, every run on the same simulated futures."
            ),
            Lang::Fr => format!(
                "Objectif\u{a0}: {t}\u{a0}emplois en {date}. {inputs}\u{a0}hypothèses incertaines\u{a0}; {n}\u{a0}trajectoires par simulation, toutes sur les mêmes avenirs simulés."
            ),
        }
    }

    /// Sensitivity report: the opening sentence, naming the input with the
    /// largest swing.
    #[allow(clippy::too_many_arguments)]
    pub fn sensitivity_intro(
        self,
        date: &str,
        base_median: u32,
        inputs: usize,
        top: &str,
        top_low: u32,
        top_high: u32,
    ) -> String {
        let n = |v: u32| self.thousands(u64::from(v));
        let label = self.param_label(top);
        let named = if label == top {
            top.to_string()
        } else {
            format!("{label} ({top})")
        };
        match self {
            Lang::En => format!(
                "Which of the {inputs} uncertain inputs matter most for the headcount in {date}? In the base case, the median is {} jobs. Moving {named} from its 10th to its 90th percentile takes the median from {} to {} jobs: the largest swing of all.",
                n(base_median),
                n(top_low),
                n(top_high)
            ),
            Lang::Fr => format!(
                "Lesquelles des {inputs}\u{a0}hypothèses incertaines comptent le plus pour l’effectif en {date}\u{a0}? Dans le scénario de base, la médiane est de {}\u{a0}emplois. Faire passer «\u{a0}{named}\u{a0}» de son 10ᵉ à son 90ᵉ centile fait passer la médiane de {} à {}\u{a0}emplois\u{a0}: la plus forte amplitude de toutes.",
                n(base_median),
                n(top_low),
                n(top_high)
            ),
        }
    }

    /// Sensitivity report: the footer's run size.
    pub fn runs_size(self, runs: usize, paths: u64, seconds: f64) -> String {
        let n = self.thousands(paths);
        match self {
            Lang::En => format!("{runs} runs of {n} paths simulated in {seconds:.1} s."),
            Lang::Fr => format!(
                "{runs}\u{a0}simulations de {n}\u{a0}trajectoires en {}\u{a0}s.",
                format!("{seconds:.1}").replace('.', ",")
            ),
        }
    }

    /// Sensitivity report: why the chance columns are left out.
    pub fn no_run_reaches(self, target: u32, date: &str) -> String {
        let t = self.thousands(u64::from(target));
        match self {
            Lang::En => format!(
                "No run reaches {t} jobs in {date}, whatever the input, so the table leaves out the chance of the target; run with --target to analyse a lower headcount."
            ),
            Lang::Fr => format!(
                "Aucune simulation n’atteint {t}\u{a0}emplois en {date}, quelle que soit l’hypothèse\u{a0}: le tableau omet donc la probabilité de l’objectif\u{a0}; utilisez --target pour analyser un effectif plus bas."
            ),
        }
    }

    /// Discovery report: the labels of the box's cards (density, coverage,
    /// share of futures, success everywhere).
    pub fn box_card_labels(self) -> (String, String, String, String) {
        let (a, b, c, d) = match self {
            Lang::En => (
                "Success rate inside the box",
                "Successes the box holds (coverage)",
                "Futures inside the box",
                "Success rate over all futures",
            ),
            Lang::Fr => (
                "Taux de réussite dans la zone",
                "Succès contenus dans la zone (couverture)",
                "Avenirs contenus dans la zone",
                "Taux de réussite sur tous les avenirs",
            ),
        };
        (a.to_string(), b.to_string(), c.to_string(), d.to_string())
    }

    /// Discovery report: under the density card.
    pub fn box_density_detail(self, target: u32, date: &str) -> String {
        let t = self.thousands(u64::from(target));
        match self {
            Lang::En => format!("of its futures reach {t} jobs in {date} (density)"),
            Lang::Fr => {
                format!("de ses avenirs atteignent {t}\u{a0}emplois en {date} (densité)")
            }
        }
    }

    /// "1,377 futures".
    pub fn futures_count(self, n: u64) -> String {
        let n = self.thousands(n);
        match self {
            Lang::En => format!("{n} simulated futures"),
            Lang::Fr => format!("{n}\u{a0}avenirs simulés"),
        }
    }

    /// Discovery: the finding when no future reaches the target (`every`
    /// false) or every one does, with a target about a third of the futures
    /// reach (`suggestion`) to analyse instead.
    pub fn discover_unreached(
        self,
        every: bool,
        target: u32,
        date: &str,
        paths: u64,
        suggestion: u32,
    ) -> String {
        let (t, n, s) = (
            self.thousands(u64::from(target)),
            self.thousands(paths),
            self.thousands(u64::from(suggestion)),
        );
        match (self, every) {
            (Lang::En, false) => format!(
                "None of the {n} simulated futures reaches {t} jobs in {date}, so no range of the \
                 uncertain inputs leads there: the target is out of this scenario's reach. About a \
                 third of the futures reach {s} jobs then; run discover again with --target \
                 {suggestion} to find the ranges of the inputs that lead there."
            ),
            (Lang::En, true) => format!(
                "Every one of the {n} simulated futures reaches {t} jobs in {date}, so no range of \
                 the uncertain inputs is needed to get there. About a third of the futures reach \
                 {s} jobs then; run discover again with --target {suggestion} to find the ranges \
                 of the inputs that lead there."
            ),
            (Lang::Fr, false) => format!(
                "Aucun des {n}\u{a0}avenirs simulés n’atteint {t}\u{a0}emplois en {date}\u{a0}: \
                 aucune plage des hypothèses incertaines n’y mène, l’objectif est hors de portée \
                 de ce scénario. Environ un tiers des avenirs atteignent {s}\u{a0}emplois à cette \
                 date\u{a0}; relancez discover avec --target {suggestion} pour trouver les plages \
                 des hypothèses qui y mènent."
            ),
            (Lang::Fr, true) => format!(
                "Les {n}\u{a0}avenirs simulés atteignent tous {t}\u{a0}emplois en {date}\u{a0}: \
                 aucune plage des hypothèses n’est nécessaire pour y arriver. Environ un tiers des \
                 avenirs atteignent {s}\u{a0}emplois à cette date\u{a0}; relancez discover avec \
                 --target {suggestion} pour trouver les plages des hypothèses qui y mènent."
            ),
        }
    }

    /// Discovery report: what counts as success, as the meta line of a
    /// report with nothing to discover.
    pub fn discover_success(self, target: u32, date: &str) -> String {
        let t = self.thousands(u64::from(target));
        match self {
            Lang::En => format!("Success: at least {t} jobs in {date}."),
            Lang::Fr => format!("Succès\u{a0}: au moins {t}\u{a0}emplois en {date}."),
        }
    }

    /// Discovery report: the meta line.
    pub fn discover_meta(self, target: u32, date: &str, overall: f64, paths: u64) -> String {
        let (t, n, p) = (
            self.thousands(u64::from(target)),
            self.thousands(paths),
            self.share(overall),
        );
        match self {
            Lang::En => format!(
                "Success: at least {t} jobs in {date}, reached in {p} of {n} simulated futures."
            ),
            Lang::Fr => format!(
                "Succès\u{a0}: au moins {t}\u{a0}emplois en {date}, atteint dans {p} de {n}\u{a0}avenirs simulés."
            ),
        }
    }
}

/// `en` or `fr`, as `lang` asks.
pub fn tr(lang: Lang, en: &'static str, fr: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Fr => fr,
    }
}

impl Lang {
    /// When a comparison's option acts: "From Jul 2020." (nothing for month 0).
    pub fn option_start(self, start_month: u32, date: &str) -> String {
        match (self, start_month) {
            (_, 0) => String::new(),
            (Lang::En, _) => format!("From {date} (month {start_month}). "),
            (Lang::Fr, _) => format!("À partir de {date} (mois {start_month}). "),
        }
    }

    /// What an option assumes: "Assumes labour.reach_share 0.7 → 0.85."
    pub fn option_changes(self, changes: &[crate::input::policy::Change]) -> String {
        if changes.is_empty() {
            return String::new();
        }
        let list: Vec<String> = changes
            .iter()
            .map(|c| format!("{} {}", c.key, self.arrow(&c.base, &c.option)))
            .collect();
        match self {
            Lang::En => format!("Assumes {}. ", list.join("; ")),
            Lang::Fr => format!("Hypothèses\u{a0}: {}. ", list.join("\u{a0}; ")),
        }
    }

    /// The spread of a gain across futures, under its interval: "±183
    /// across futures (s.d.)".
    pub fn across_futures(self, standard_deviation: f64) -> String {
        let sd = self.thousands(standard_deviation.round() as u64);
        match self {
            Lang::En => format!("\u{b1}{sd} across futures (s.d.)"),
            Lang::Fr => format!("\u{b1}{sd} selon les avenirs (é.-t.)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_months_follow_the_language() {
        assert_eq!(Lang::En.thousands(5000), "5,000");
        assert_eq!(Lang::En.thousands(1234567), "1,234,567");
        assert_eq!(Lang::En.thousands(999), "999");
        assert_eq!(Lang::Fr.thousands(5000), "5\u{202f}000");
        assert_eq!(Lang::En.percent(0.2345), "23.4%");
        assert_eq!(Lang::Fr.percent(0.2345), "23,4\u{a0}%");
        let july = YearMonth::new(2020, 7).unwrap();
        assert_eq!(Lang::En.month(july), "Jul 2020");
        assert_eq!(Lang::Fr.month(july), "juil. 2020");
    }

    #[test]
    fn a_target_no_path_reaches_is_said_in_words() {
        assert_eq!(
            Lang::En.median_month_detail(None, 0.0, 52),
            "no simulated path reaches it within 52 months"
        );
        assert_eq!(
            Lang::Fr.median_month_detail(None, 0.0, 52),
            "aucune trajectoire simulée ne l’atteint en 52\u{a0}mois"
        );
        assert_eq!(
            Lang::En.median_month_detail(None, 0.25, 52),
            "25.0% of paths reach it within 52 months"
        );
    }

    #[test]
    fn small_probabilities_do_not_read_as_zero() {
        let en = |p| Lang::En.share(p);
        assert_eq!(en(0.0), "0%");
        assert_eq!(en(1e-17), "0%");
        assert_eq!(en(1.0), "100%");
        assert_eq!(en(0.00001), "< 0.01%");
        assert_eq!(en(0.00019), "0.02%");
        assert_eq!(en(0.0123), "1.2%");
        assert_eq!(en(0.5), "50.0%");
        assert_eq!(en(0.9995), "99.95%");
        assert_eq!(en(0.999999), "> 99.99%");
        assert_eq!(Lang::Fr.share(0.00019), "0,02\u{a0}%");
        assert_eq!(Lang::Fr.share(0.00001), "<\u{a0}0,01\u{a0}%");
        assert_eq!(Lang::En.percent_tick(40.0), "40%");
        assert_eq!(Lang::En.percent_tick(0.30000000000000004), "0.3%");
        assert_eq!(Lang::Fr.percent_tick(2.5), "2,5\u{a0}%");
    }

    #[test]
    fn every_chart_has_a_caption_in_both_languages() {
        for lang in [Lang::En, Lang::Fr] {
            let names: Vec<&str> = lang.strings().captions.iter().map(|c| c.0).collect();
            assert_eq!(
                names,
                [
                    "fan",
                    "composition",
                    "labour",
                    "hitting",
                    "reach",
                    "outcome"
                ]
            );
        }
    }

    #[test]
    fn the_binding_constraint_is_stated_in_words() {
        let r = |added: f64| Relaxation {
            added_jobs: added,
            ci95_low: added - 20.0,
            ci95_high: added + 20.0,
            mean_headcount: 2200.0 + added,
            p_target: 0.0,
        };
        let mut b = Binding {
            verdict: BindingKind::Both,
            other_binds_next: false,
            base_mean_headcount: 2200.0,
            labour_unlimited: r(1230.0),
            seats_doubled: r(150.0),
            both: r(3000.0),
            paths: 1000,
        };
        let (verdict, why) = Lang::En.binding_constraint(&b, 5000, "Jul 2022");
        assert_eq!(verdict, "Demand and labour bind together.");
        assert!(
            why.contains("adds +1,230 (+1,210 to +1,250) jobs, to 3,430")
                && why.contains("+1,210 to +1,250")
                && why.contains("target of 5,000"),
            "{why}"
        );
        assert!(!why.contains("But "), "{why}");
        b.verdict = BindingKind::Labour;
        let (verdict, why) = Lang::Fr.binding_constraint(&b, 5000, "juil. 2022");
        assert!(verdict.starts_with("La main-d’œuvre"), "{verdict}");
        assert!(why.contains("+1\u{202f}230"), "{why}");
        // Labour binds now, and seats next: named, with what the target takes.
        b.other_binds_next = true;
        let (verdict, why) = Lang::En.binding_constraint(&b, 5000, "Jul 2022");
        assert_eq!(verdict, "Labour binds: too few qualified candidates.");
        assert!(
            why.ends_with(
                "But candidates alone would leave the mean at 3,430 jobs, short of 5,000: \
                 seats then bind too, and reaching the target needs both."
            ),
            "{why}"
        );
        let (_, why) = Lang::Fr.binding_constraint(&b, 5000, "juil. 2022");
        assert!(
            why.contains("atteindre l’objectif demande les deux"),
            "{why}"
        );
    }

    #[test]
    fn analysis_numbers_keep_their_sign_and_few_digits() {
        assert_eq!(Lang::En.number(2545.0), "2,545");
        assert_eq!(Lang::En.number(0.8598), "0.86");
        assert_eq!(Lang::En.number(18.0), "18");
        assert_eq!(Lang::En.number(0.0512), "0.0512");
        assert_eq!(Lang::Fr.number(1.2858), "1,29");
        assert_eq!(Lang::En.number(-0.5), "\u{2212}0.5");
        assert_eq!(Lang::En.number_sig(1.16, 2), "1.2");
        assert_eq!(Lang::En.signed(0.584, 2), "+0.58");
        assert_eq!(Lang::Fr.signed(-0.21, 2), "\u{2212}0,21");
        assert_eq!(
            Lang::En.signed(-0.001, 2),
            "0.00",
            "no sign on a rounded zero"
        );
        assert_eq!(Lang::En.signed_jobs(630.4), "+630");
        assert_eq!(Lang::Fr.signed_jobs(-1204.0), "\u{2212}1\u{202f}204");
        assert_eq!(Lang::En.signed_jobs(0.2), "0");
        assert_eq!(Lang::En.points(0.216), "+21.6 pts");
        assert_eq!(Lang::Fr.points(-0.0012), "\u{2212}0,12\u{a0}pt");
        assert_eq!(Lang::En.per_job(195_842.0), "195,800 MAD per job");
        assert_eq!(
            Lang::Fr.per_job_short(200_000.0),
            "200\u{202f}000\u{a0}MAD/emploi"
        );
    }

    #[test]
    fn parameters_have_plain_names_and_values_in_both_languages() {
        assert_eq!(
            Lang::En.param_label("arrivals.firms_per_year"),
            "new firms per year"
        );
        assert_eq!(
            Lang::Fr.param_label("arrivals.firms_per_year"),
            "nouvelles entreprises par an"
        );
        assert_eq!(
            Lang::En.param_label("firm[Intelcia].happens"),
            "Intelcia comes"
        );
        assert_eq!(
            Lang::Fr.param_label("firm[Intelcia].happens"),
            "Intelcia s’installe"
        );
        assert_eq!(
            Lang::En.param_label("firm[SACCOM].ramp_months"),
            "SACCOM's ramp-up, months"
        );
        assert_eq!(
            Lang::En.param_label("labour.something_new"),
            "labour.something_new"
        );
        assert_eq!(
            Lang::En.param_value("firm[Intelcia].happens", 0.0),
            "does not come"
        );
        assert_eq!(
            Lang::Fr.param_value("firm[Intelcia].happens", 1.0),
            "s’installe"
        );
        assert_eq!(
            Lang::En.param_value("labour.qualified_share", 0.0684),
            "6.84%"
        );
        assert_eq!(
            Lang::Fr.param_value("closure.monthly_hazard", 0.002),
            "0,2\u{a0}%"
        );
        assert_eq!(Lang::En.param_value("labour.initial_pool", 2545.0), "2,545");
        assert_eq!(
            Lang::En.range("labour.uptake_monthly", 0.2, 0.4),
            "20% to 40%"
        );
        assert_eq!(Lang::En.range("firm[X].happens", 0.0, 1.0), "comes or not");
        assert_eq!(
            Lang::En.box_range("labour.initial_pool", Some(2545.0), None),
            "at least 2,545"
        );
        assert_eq!(
            Lang::Fr.box_range("firm[X].happens", Some(1.0), None),
            "s’installe"
        );
    }

    #[test]
    fn box_conditions_read_as_sentences() {
        let en = Lang::En;
        assert_eq!(
            en.condition("firm[SACCOM].happens", None, Some(0.0)),
            "SACCOM does not come"
        );
        assert_eq!(
            en.condition("arrivals.firms_per_year", Some(0.86), None),
            "at least 0.86 new firms a year"
        );
        assert_eq!(
            en.condition("attrition.multiplier", None, Some(1.05)),
            "an attrition multiplier of at most 1.05"
        );
        assert_eq!(
            en.condition("attrition.multiplier", Some(0.9), Some(1.1)),
            "an attrition multiplier between 0.9 and 1.1"
        );
        assert_eq!(
            Lang::Fr.condition("attrition.multiplier", None, Some(1.05)),
            "un multiplicateur des départs d’au plus 1,05"
        );
        let conditions = vec![
            ("firm[Intelcia].happens".to_string(), Some(1.0), None),
            ("arrivals.firms_per_year".to_string(), Some(0.86), None),
            ("labour.initial_pool".to_string(), Some(2545.0), None),
        ];
        let sentence = en.box_sentence(2400, "Jul 2022", &conditions, 0.495, 0.84, 0.459, 0.27);
        assert_eq!(
            sentence,
            "2,400 jobs by Jul 2022 are reached in 49.5% of futures where Intelcia comes, with at least 0.86 new firms a year and at least 2,545 qualified job-seekers at the start; these futures hold 84.0% of all successes (45.9% of all futures)."
        );
        let fr = Lang::Fr.box_sentence(2400, "juil. 2022", &conditions, 0.495, 0.84, 0.459, 0.27);
        assert!(
            fr.starts_with("2\u{202f}400\u{a0}emplois en juil. 2022 sont atteints dans 49,5\u{a0}% des avenirs où Intelcia s’installe, avec au moins 0,86 nouvelles entreprises par an et au moins 2\u{202f}545 candidats qualifiés au départ"),
            "{fr}"
        );
        let none = en.box_sentence(2400, "Jul 2022", &[], 0.3, 1.0, 1.0, 0.3);
        assert!(
            none.starts_with("No range of the uncertain inputs stands out"),
            "{none}"
        );
    }

    #[test]
    fn every_analysis_chart_has_a_caption_in_both_languages() {
        for lang in [Lang::En, Lang::Fr] {
            let names: Vec<&str> = lang
                .strings()
                .analysis_captions
                .iter()
                .map(|c| c.0)
                .collect();
            assert_eq!(
                names,
                [
                    "compare_fan",
                    "compare_target",
                    "cost_per_job",
                    "tornado",
                    "prcc",
                    "prim_trajectory"
                ]
            );
        }
    }
    #[test]
    fn one_hidden_input_is_singular() {
        assert!(
            Lang::En
                .tornado_subtitle(2_000, 1)
                .ends_with("; 1 input with a smaller swing is in the table")
        );
        assert!(
            Lang::En
                .tornado_subtitle(2_000, 3)
                .ends_with("; 3 inputs with smaller swings are in the table")
        );
        assert!(
            Lang::Fr
                .tornado_subtitle(2_000, 1)
                .ends_with("1\u{a0}hypothèse d’amplitude plus faible figure dans le tableau")
        );
        assert!(!Lang::En.tornado_subtitle(2_000, 0).contains("table"));
    }
}
