//! Policy options: named changes to a scenario, with their costs.
//!
//! A `[[policy]]` entry's `set` table is a partial scenario merged over the base
//! file (tables key by key; numbers, text, lists and distributions replaced), and
//! the result is validated like any scenario. Problems are reported under the
//! policy's own keys (`policy[2].set.labour.reach_share`), naming the policy.

use serde::Serialize;
use toml::{Table, Value};

use crate::core::local_text::LocalText;
use crate::core::scenario::{Before, Scenario};
use crate::input::lever::{Levers, read_levers};
use crate::input::scenario_file::{KeyPath, ScenarioError};

/// Keys a `[[policy]]` entry may have.
const POLICY_KEYS: [&str; 7] = [
    "name",
    "description",
    "start_month",
    COST_KEYS[0],
    COST_KEYS[1],
    COST_KEYS[2],
    "set",
];

/// The cost keys of a `[[policy]]` entry and of a file's `[option]` section.
const COST_KEYS: [&str; 3] = [
    "cost_mad_per_year",
    "cost_mad_per_hire",
    "cost_mad_per_job_at_target",
];

/// Sections a policy may not change: they define what is being compared.
const FIXED_SECTIONS: [&str; 9] = [
    "scenario",
    "target",
    "simulation",
    "history",
    "calibration",
    "policy",
    "option",
    "lever",
    "levers",
];

/// The largest cost accepted per year, hire or job (a trillion MAD, about
/// Morocco's yearly GDP): totals over any horizon stay finite.
pub const MAX_COST: f64 = 1e12;

/// What an option costs, in Moroccan dirhams (MAD).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Costs {
    /// A fixed budget per year, paid from the policy's start month to the
    /// target month.
    pub per_year: f64,
    /// Paid for every hire in the sector from the policy's start month (at
    /// least month 1) to the target month.
    pub per_hire: f64,
    /// Paid for every job created by the target month (headcount at the target
    /// month minus headcount at the policy's start month, when positive), as
    /// with the regional grant of 6,000 MAD per job created.
    pub per_job_at_target: f64,
}

impl Costs {
    /// Expected total cost to the target month of a policy starting at
    /// `start_month`: the yearly budget for `(target_month - start_month) / 12`
    /// years (none when it starts after the target), plus the per-hire and
    /// per-job costs applied to the expected hires and jobs created from the
    /// start on the option's own paths.
    pub fn total(
        &self,
        start_month: u32,
        target_month: u32,
        mean_hires: f64,
        mean_jobs_created: f64,
    ) -> f64 {
        self.per_year * f64::from(target_month.saturating_sub(start_month)) / 12.0
            + self.per_hire * mean_hires
            + self.per_job_at_target * mean_jobs_created
    }

    /// True when the option costs nothing: no cost is given (or every cost
    /// given is zero), so it has no cost per job to rank.
    pub fn is_free(&self) -> bool {
        *self == Costs::default()
    }
}

/// Reads the cost keys of `table` (a `[[policy]]` entry or an `[option]`
/// section at `path`), a missing key counting as zero.
pub(crate) fn read_costs(
    table: &Table,
    path: &KeyPath,
    problems: &mut Vec<(KeyPath, String)>,
) -> Costs {
    let mut cost = |key: &str| match table.get(key) {
        None => 0.0,
        Some(Value::Integer(v)) if (0..=MAX_COST as i64).contains(v) => *v as f64,
        Some(Value::Float(v)) if (0.0..=MAX_COST).contains(v) => *v,
        Some(other) => {
            problems.push((
                path.key(key),
                format!("must be an amount in MAD from 0 to 1e12, got {other}"),
            ));
            0.0
        }
    };
    Costs {
        per_year: cost(COST_KEYS[0]),
        per_hire: cost(COST_KEYS[1]),
        per_job_at_target: cost(COST_KEYS[2]),
    }
}

/// Reads a file's `[option]` section: what the file costs when it is one
/// option among several files of a comparison (no section: no cost given).
fn option_costs(root: &Table, problems: &mut Vec<(KeyPath, String)>) -> Costs {
    let path = KeyPath::default().key("option");
    match root.get("option") {
        None => Costs::default(),
        Some(Value::Table(section)) => {
            for key in section.keys().filter(|k| !COST_KEYS.contains(&k.as_str())) {
                problems.push((
                    path.key(key),
                    format!("unknown key; allowed here: {}", COST_KEYS.join(", ")),
                ));
            }
            read_costs(section, &path, problems)
        }
        Some(_) => {
            problems.push((
                path,
                "must be a table, e.g. [option] with cost_mad_per_year = 5000000".to_string(),
            ));
            Costs::default()
        }
    }
}

/// A scenario file read whole: its base scenario, its `[[policy]]` entries,
/// and its `[option]` costs (used when the file is one option among several).
#[derive(Clone, Debug)]
pub struct ScenarioFile {
    /// The scenario as written.
    pub base: Scenario,
    /// Each policy applied to it.
    pub policies: Vec<Policy>,
    /// What the file costs as one option of a multi-file comparison.
    pub option_costs: Costs,
    /// Its `[[lever]]` entries, for `plan` (`None` when it declares none).
    pub levers: Option<Levers>,
}

/// One option of a comparison: the base case or a policy.
#[derive(Clone, Debug)]
pub struct Policy {
    /// Name shown in tables and charts; may be given per language.
    pub name: LocalText,
    /// Optional longer description; may be given per language.
    pub description: Option<LocalText>,
    /// What it costs.
    pub costs: Costs,
    /// First month in which the policy acts (0 = from the start).
    pub start_month: u32,
    /// The scenario with the policy applied (from `start_month` on; the base's
    /// parameters before, see [`Before`]).
    pub scenario: Scenario,
}

impl Policy {
    /// The base case of a scenario file: no change, no cost.
    pub fn base(scenario: Scenario, name: &str) -> Policy {
        Policy {
            name: LocalText::plain(name),
            description: None,
            costs: Costs::default(),
            start_month: 0,
            scenario,
        }
    }

    /// Shows the option's texts, and its scenario's, in language `code`.
    pub fn localise(&mut self, code: &str) {
        self.name.localise(code);
        if let Some(d) = &mut self.description {
            d.localise(code);
        }
        self.scenario.meta.localise(code);
    }
}

/// Reads a scenario file with its `[[policy]]` entries: the base scenario and
/// each policy applied to it, every problem of the file reported at once.
pub fn load_with_policies(
    text: &str,
    origin: &str,
) -> Result<(Scenario, Vec<Policy>), ScenarioError> {
    load_file(text, origin).map(|file| (file.base, file.policies))
}

/// Reads a scenario file whole ([`ScenarioFile`]), every problem of the file
/// reported at once.
pub fn load_file(text: &str, origin: &str) -> Result<ScenarioFile, ScenarioError> {
    let root = Scenario::parse_table(text, origin)?;
    let base = Scenario::from_table(&root);
    let base_problems: std::collections::HashSet<(String, String)> = base
        .as_ref()
        .err()
        .into_iter()
        .flatten()
        .map(|(path, message)| (path.to_string(), message.clone()))
        .collect();
    let mut problems = Vec::new();
    let option_costs = option_costs(&root, &mut problems);
    let levers = read_levers(&root, base.as_ref().ok(), &mut problems);
    let mut policies = Vec::new();
    let list = KeyPath::default().key("policy");
    let entries: &[Value] = match root.get("policy") {
        None => &[],
        Some(Value::Array(items)) => items,
        Some(_) => {
            problems.push((
                list.clone(),
                "must be written [[policy]] (an array of tables)".to_string(),
            ));
            &[]
        }
    };
    let mut names: Vec<String> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let path = list.index(i);
        let Value::Table(entry) = entry else {
            problems.push((path, "must be a table".to_string()));
            continue;
        };
        let (local_name, description, start_month) = read_heading(
            entry,
            (&path, "policy"),
            &POLICY_KEYS,
            (base.as_ref().ok(), &mut names),
            &mut problems,
        );
        let name = local_name.to_string();
        let costs = read_costs(entry, &path, &mut problems);
        let empty = Table::new();
        let set = match entry.get("set") {
            None => &empty,
            Some(Value::Table(set)) => set,
            Some(_) => {
                problems.push((
                    path.key("set"),
                    "must be a table, e.g. set.training.per_year = 2000".to_string(),
                ));
                continue;
            }
        };
        if !check_set(
            &root,
            set,
            start_month,
            ("policy", &name),
            &path.key("set"),
            &mut problems,
        ) {
            continue;
        }
        let mut merged = root.clone();
        for key in ["policy", "lever", "levers"] {
            merged.remove(key);
        }
        merge(&mut merged, set);
        match Scenario::from_table(&merged) {
            Ok(mut scenario) => {
                // Over a broken base the file is refused anyway: only problems
                // are collected then.
                if let Ok(base) = base.as_ref() {
                    scenario.before = Some(Before {
                        until_month: start_month,
                        scenario: Box::new(base.clone()),
                    });
                    policies.push(Policy {
                        name: local_name,
                        description,
                        costs,
                        start_month,
                        scenario,
                    })
                }
            }
            // Over a broken base, only the policy's own problems: those the base
            // has too are reported once, for the base.
            Err(found) => problems.extend(
                found
                    .into_iter()
                    .filter(|(inner, message)| {
                        !base_problems.contains(&(inner.to_string(), message.clone()))
                    })
                    .map(|(inner, message)| {
                        (
                            path.key("set").join(&inner),
                            format!("in policy \"{name}\": {message}"),
                        )
                    }),
            ),
        }
    }
    match base {
        Ok(base) if problems.is_empty() => Ok(ScenarioFile {
            base,
            policies,
            option_costs,
            levers,
        }),
        Ok(_) => Err(ScenarioError::locate(text, origin, problems)),
        Err(mut found) => {
            found.extend(problems);
            Err(ScenarioError::locate(text, origin, found))
        }
    }
}

/// Reads what a `[[policy]]` and a `[[lever]]` entry share (at `path`, of
/// `kind`): no unknown key, a name given once in the file (`names` holds those
/// seen), an optional description, and a start month within the horizon of
/// `base` (any month when the base is broken).
pub(crate) fn read_heading(
    entry: &Table,
    (path, kind): (&KeyPath, &str),
    allowed: &[&str],
    (base, names): (Option<&Scenario>, &mut Vec<String>),
    problems: &mut Vec<(KeyPath, String)>,
) -> (LocalText, Option<LocalText>, u32) {
    unknown_keys(entry, allowed, path, problems);
    let name = read_name(entry, path, kind, problems);
    if !name.is_blank() && names.contains(&name.to_string()) {
        problems.push((
            path.key("name"),
            format!(
                "\"{name}\" names two {}; give each its own name",
                if kind == "policy" {
                    "policies"
                } else {
                    "levers"
                }
            ),
        ));
    }
    names.push(name.to_string());
    let description = match entry.get("description").map(LocalText::read) {
        None => None,
        Some(Ok(d)) => Some(d),
        Some(Err(e)) => {
            problems.push((path.key("description"), e));
            None
        }
    };
    let horizon = base.map_or(0, |b| b.meta.horizon_months);
    let start_month = match entry.get("start_month") {
        None => 0,
        Some(Value::Integer(v)) if base.is_none() || (0..=i64::from(horizon)).contains(v) => {
            *v as u32
        }
        Some(other) => {
            problems.push((
                path.key("start_month"),
                format!("must be a whole month from 0 to the horizon ({horizon}), got {other}"),
            ));
            0
        }
    };
    (name, description, start_month)
}

/// Reports the keys of `table` not in `allowed`, suggesting a near one.
pub(crate) fn unknown_keys(
    table: &Table,
    allowed: &[&str],
    path: &KeyPath,
    problems: &mut Vec<(KeyPath, String)>,
) {
    for key in table.keys().filter(|k| !allowed.contains(&k.as_str())) {
        let hint = allowed
            .iter()
            .find(|known| strsim::jaro_winkler(key, known) > 0.8)
            .map_or_else(
                || format!("allowed here: {}", allowed.join(", ")),
                |k| format!("did you mean `{k}`?"),
            );
        problems.push((path.key(key), format!("unknown key; {hint}")));
    }
}

/// Reads the required `name` of a policy, lever or level.
pub(crate) fn read_name(
    table: &Table,
    path: &KeyPath,
    what: &str,
    problems: &mut Vec<(KeyPath, String)>,
) -> LocalText {
    match table.get("name").map(LocalText::read) {
        Some(Ok(name)) if !name.is_blank() => name,
        Some(Err(e)) => {
            problems.push((path.key("name"), e));
            LocalText::default()
        }
        _ => {
            problems.push((
                path.key("name"),
                format!("missing; give the {what} a name in quotes"),
            ));
            LocalText::default()
        }
    }
}

/// Checks a change's `set` table (of a policy, or a lever's level, at `path`)
/// before it is merged: no fixed section, none of the common slips, and no
/// change to month 0 from a later start. Returns false when the change cannot
/// be merged at all.
pub(crate) fn check_set(
    root: &Table,
    set: &Table,
    start_month: u32,
    (kind, name): (&str, &str),
    path: &KeyPath,
    problems: &mut Vec<(KeyPath, String)>,
) -> bool {
    for key in set.keys().filter(|k| FIXED_SECTIONS.contains(&k.as_str())) {
        problems.push((
            path.key(key),
            format!("a {kind} cannot change [{key}]: it defines what is compared; change the base file instead"),
        ));
    }
    if let Some(slip) = common_slip(root, set, kind, name) {
        problems.push((path.join(&slip.0), slip.1));
        return false;
    }
    if start_month > 0 {
        // Month 0 is the base's state on every path: a later change cannot
        // change who operates or who is looking for work at the start.
        let initial_pool = set
            .get("labour")
            .and_then(Value::as_table)
            .is_some_and(|l| l.contains_key("initial_pool"));
        for (present, key) in [
            (set.contains_key("firm"), KeyPath::default().key("firm")),
            (
                initial_pool,
                KeyPath::default().key("labour").key("initial_pool"),
            ),
        ] {
            if present {
                problems.push((
                    path.join(&key),
                    format!(
                        "in {kind} \"{name}\": a {kind} starting at month {start_month} cannot \
                         change the state at month 0; set start_month = 0 or drop this key"
                    ),
                ));
            }
        }
    }
    true
}

/// Explains two common slips in a policy's `set`: editing part of a
/// distribution (distributions are replaced whole) and editing one firm (the
/// list of firms is replaced whole).
fn common_slip(root: &Table, set: &Table, kind: &str, name: &str) -> Option<(KeyPath, String)> {
    if set.get("firm").is_some_and(|f| !f.is_array()) {
        return Some((
            KeyPath::default().key("firm"),
            format!(
                "in {kind} \"{name}\": the firms are a list replaced whole; restate every firm as \
                 [[{}.set.firm]] tables, or give the option as a scenario file of its own",
                if kind == "policy" {
                    "policy"
                } else {
                    "lever.level"
                }
            ),
        ));
    }
    for (section, changes) in set.iter().filter_map(|(k, v)| Some((k, v.as_table()?))) {
        for (key, change) in changes.iter().filter_map(|(k, v)| Some((k, v.as_table()?))) {
            let base_is_distribution = root
                .get(section)
                .and_then(|s| s.get(key))
                .and_then(Value::as_table)
                .is_some_and(|t| t.contains_key("dist"));
            if base_is_distribution && !change.contains_key("dist") {
                return Some((
                    KeyPath::default().key(section).key(key),
                    format!(
                        "in {kind} \"{name}\": a distribution is replaced whole, not edited in part; \
                         write all of it, e.g. set.{section}.{key} = {{ dist = \"uniform\", min = 0.3, max = 0.5 }}"
                    ),
                ));
            }
        }
    }
    None
}

/// Merges `set` over `base`: tables key by key, everything else (numbers, text,
/// lists, and distribution tables, which carry a `dist` key) replaced whole.
pub fn merge(base: &mut Table, set: &Table) {
    let is_distribution = |t: &Table| t.contains_key("dist");
    for (key, value) in set {
        match (base.get_mut(key), value) {
            (Some(Value::Table(inner)), Value::Table(changes))
                if !is_distribution(inner) && !is_distribution(changes) =>
            {
                merge(inner, changes)
            }
            _ => {
                base.insert(key.clone(), value.clone());
            }
        }
    }
}

/// One input an option sets differently from the base: its dotted name and
/// the two values as the resolved scenario file writes them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    /// The input, e.g. `labour.reach_share` or `firm` (the list, whole).
    pub key: String,
    /// Its value in the base.
    pub base: String,
    /// Its value in the option.
    pub option: String,
}

/// What `option` sets differently from `base`: every value of the resolved
/// scenario (defaults filled in) that differs, as a list of changes in file
/// order. Names and descriptions are left out: they are not assumptions.
pub fn changes(base: &Scenario, option: &Scenario) -> Vec<Change> {
    let table = |s: &Scenario| toml::from_str::<Table>(&s.to_resolved_toml()).unwrap_or_default();
    let (b, o) = (table(base), table(option));
    let mut out = Vec::new();
    diff(&b, &o, &mut Vec::new(), &mut out);
    out
}

fn diff(base: &Table, option: &Table, prefix: &mut Vec<String>, out: &mut Vec<Change>) {
    let shown = |v: Option<&Value>| v.map_or_else(|| "(none)".to_string(), Value::to_string);
    for (key, value) in option {
        if prefix.is_empty() && key == "scenario" {
            continue;
        }
        prefix.push(key.clone());
        match (base.get(key), value) {
            (Some(Value::Table(b)), Value::Table(o))
                if !o.contains_key("dist") && !b.contains_key("dist") =>
            {
                diff(b, o, prefix, out)
            }
            (None, Value::Table(o)) if !o.contains_key("dist") => {
                diff(&Table::new(), o, prefix, out)
            }
            (b, o) if b != Some(o) => out.push(Change {
                key: prefix.join("."),
                base: shown(b),
                option: o.to_string(),
            }),
            _ => {}
        }
        prefix.pop();
    }
}

/// Checks that `other` can be compared with `base` path by path: the same start,
/// horizon and target.
pub fn check_comparable(base: &Scenario, other: &Scenario) -> Result<(), String> {
    let (b, o) = (&base.meta, &other.meta);
    if b.start != o.start || b.horizon_months != o.horizon_months {
        return Err(format!(
            "starts {} with a {}-month horizon, but the base starts {} with {} months; \
             options must share [scenario] start and horizon_months",
            o.start, o.horizon_months, b.start, b.horizon_months
        ));
    }
    if base.target.headcount != other.target.headcount || base.target.month != other.target.month {
        return Err(format!(
            "aims at {} jobs by month {}, but the base aims at {} by month {}; options must share [target]",
            other.target.headcount, other.target.month, base.target.headcount, base.target.month
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::oujda::OUJDA;

    #[test]
    fn merge_replaces_distributions_and_merges_tables() {
        let mut base: Table = toml::from_str(
            "[labour]\nreach_share = 0.7\nuptake_monthly = { dist = \"uniform\", min = 0.2, max = 0.4 }\n",
        )
        .unwrap();
        let set: Table = toml::from_str(
            "[labour]\nuptake_monthly = { dist = \"pert\", min = 0.2, mode = 0.3, max = 0.5 }\n",
        )
        .unwrap();
        merge(&mut base, &set);
        let labour = base["labour"].as_table().unwrap();
        assert_eq!(labour["reach_share"].as_float(), Some(0.7));
        let uptake = labour["uptake_monthly"].as_table().unwrap();
        assert_eq!(uptake["dist"].as_str(), Some("pert"));
        assert!(uptake.contains_key("mode"));
    }

    #[test]
    fn bad_set_entries_name_the_policy_and_key() {
        let text = format!(
            "{OUJDA}\n[[policy]]\nname = \"Broken\"\nset.labour.reach_share = 1.5\nset.training.per_yaer = 5\n\
             set.target.headcount = 10\n"
        );
        let shown = load_with_policies(&text, "f.toml").unwrap_err().to_string();
        assert!(
            shown.contains("policy[6].set.labour.reach_share: in policy \"Broken\": must be a share <= 1, got 1.5"),
            "{shown}"
        );
        assert!(
            shown.contains("policy[6].set.training.per_yaer: in policy \"Broken\": unknown key"),
            "{shown}"
        );
        assert!(
            shown.contains("policy[6].set.target: a policy cannot change [target]"),
            "{shown}"
        );
    }

    #[test]
    fn the_oujda_file_ships_policies() {
        let (_, policies) = load_with_policies(OUJDA, "oujda.toml").unwrap();
        assert!(policies.len() >= 4);
        assert!(policies.iter().all(|p| !p.costs.is_free()));
    }

    #[test]
    fn an_option_lists_what_it_sets_differently() {
        let (base, policies) = load_with_policies(OUJDA, "oujda.toml").unwrap();
        let transport = policies
            .iter()
            .find(|p| p.name.to_string() == "Transport support")
            .unwrap();
        let found = changes(&base, &transport.scenario);
        let keys: Vec<&str> = found.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["labour.reach_share", "scale.attrition.multiplier"]);
        assert_eq!(
            (found[0].base.as_str(), found[0].option.as_str()),
            ("0.7", "0.85")
        );
        // A relative change the base does not make: from none to its factor.
        assert_eq!(
            (found[1].base.as_str(), found[1].option.as_str()),
            ("(none)", "0.85")
        );
        assert!(changes(&base, &base).is_empty());
    }

    #[test]
    fn costs_add_up() {
        let c = Costs {
            per_year: 12_000_000.0,
            per_hire: 1000.0,
            per_job_at_target: 6000.0,
        };
        assert_eq!(
            c.total(0, 24, 100.0, 10.0),
            24_000_000.0 + 100_000.0 + 60_000.0
        );
        // From month 12, the budget runs for one year; after the target, none.
        assert_eq!(c.total(12, 24, 0.0, 0.0), 12_000_000.0);
        assert_eq!(c.total(30, 24, 0.0, 0.0), 0.0);
    }
}
