//! Levers: measures a planner can take at several sizes, each size a change
//! to the scenario with its costs (docs/model.md section 7.3).
//!
//! A `[[lever]]` has a name, a start month and `[[lever.level]]` entries, each
//! written like a `[[policy]]` (a name, costs, a `set` table merged over the
//! base file). Every lever also has an implicit first level, "off": no change,
//! no cost. A package takes one level of every lever. Where two levers change
//! the same input, `[levers] combine` says how their values combine ("max",
//! "min", "add", "multiply" or "either"); without a rule the file is refused,
//! so no package silently lets the last lever win.

use std::collections::BTreeMap;

use toml::{Table, Value};

use crate::core::local_text::LocalText;
use crate::core::scenario::{Before, Scenario};
use crate::input::policy::{Costs, check_set, read_costs, read_heading, read_name, unknown_keys};
use crate::input::scenario_file::{KeyPath, ScenarioError};

/// Keys a `[[lever]]` entry may have.
const LEVER_KEYS: [&str; 4] = ["name", "description", "start_month", "level"];

/// Keys a `[[lever.level]]` entry may have.
const LEVEL_KEYS: [&str; 5] = [
    "name",
    "cost_mad_per_year",
    "cost_mad_per_hire",
    "cost_mad_per_job_at_target",
    "set",
];

/// The most levers a file may declare, and levels per lever (besides "off").
pub const MAX_LEVERS: usize = 12;
/// The most levels one lever may have, besides "off".
pub const MAX_LEVELS: usize = 20;

/// How the values two levers give one input combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Combine {
    /// The largest value (a candidate reached by buses or by a hub is reached).
    Max,
    /// The smallest value.
    Min,
    /// The changes from the base value add up (two training programmes).
    Add,
    /// The changes from the base value compound as ratios (two measures each
    /// cutting quits by a share).
    Multiply,
    /// For a share: what either measure reaches is reached, so the share left
    /// out shrinks by each lever's factor (buses and hubs each bring part of
    /// the candidates beyond reach within it).
    Either,
}

impl Combine {
    const NAMES: [(&'static str, Combine); 5] = [
        ("max", Combine::Max),
        ("min", Combine::Min),
        ("add", Combine::Add),
        ("multiply", Combine::Multiply),
        ("either", Combine::Either),
    ];

    fn parse(text: &str) -> Option<Combine> {
        Combine::NAMES
            .iter()
            .find(|(name, _)| *name == text)
            .map(|(_, c)| *c)
    }

    /// The rule's name in the file.
    pub fn name(self) -> &'static str {
        Combine::NAMES
            .iter()
            .find(|(_, c)| *c == self)
            .map_or("", |(name, _)| name)
    }

    /// Combines `so_far` (the value after earlier levers) with `next` (another
    /// lever's value), both changes of `base`.
    fn apply(self, base: f64, so_far: f64, next: f64) -> f64 {
        match self {
            Combine::Max => so_far.max(next),
            Combine::Min => so_far.min(next),
            Combine::Add => so_far + (next - base),
            Combine::Multiply => so_far * (next / base),
            Combine::Either => 1.0 - (1.0 - so_far) * (1.0 - next) / (1.0 - base),
        }
    }
}

/// One size of a lever.
#[derive(Clone, Debug)]
pub struct Level {
    /// Name shown in tables ("2,000 places a year"); may be given per language.
    pub name: LocalText,
    /// What this level costs (nothing for "off").
    pub costs: Costs,
    /// The inputs it sets, each a dotted key with its value (empty for "off").
    changes: Vec<(Vec<String>, Value)>,
}

impl Level {
    /// The level's changes as the file writes them, e.g.
    /// "labour.reach_share = 0.85"; empty for "off".
    pub fn described_changes(&self) -> String {
        self.changes
            .iter()
            .map(|(key, value)| format!("{} = {value}", key.join(".")))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A measure with its levels; level 0 is "off".
#[derive(Clone, Debug)]
pub struct Lever {
    /// Name shown in tables and charts; may be given per language.
    pub name: LocalText,
    /// Optional longer description; may be given per language.
    pub description: Option<LocalText>,
    /// First month in which any level acts.
    pub start_month: u32,
    /// Its levels, "off" first.
    pub levels: Vec<Level>,
}

impl Lever {
    /// Shows the lever's texts in language `code`.
    pub fn localise(&mut self, code: &str) {
        self.name.localise(code);
        if let Some(d) = &mut self.description {
            d.localise(code);
        }
        for level in &mut self.levels {
            level.name.localise(code);
        }
    }
}

/// The levers of a scenario file, with what a package needs to be built.
#[derive(Clone, Debug)]
pub struct Levers {
    /// The levers, in file order.
    pub levers: Vec<Lever>,
    /// How inputs changed by several levers combine, by dotted key.
    pub combine: BTreeMap<String, Combine>,
    /// The base file's table, without policies and levers.
    root: Table,
    /// The base scenario.
    base: Scenario,
}

/// The level of every lever: one package.
pub type Package = Vec<usize>;

impl Levers {
    /// Number of packages: the product of every lever's level count.
    pub fn package_count(&self) -> u128 {
        self.levers.iter().map(|l| l.levels.len() as u128).product()
    }

    /// Package number `index` (0 = every lever off), counting with the last
    /// lever fastest.
    pub fn package(&self, mut index: u128) -> Package {
        let mut levels = vec![0; self.levers.len()];
        for (slot, lever) in levels.iter_mut().zip(&self.levers).rev() {
            let n = lever.levels.len() as u128;
            *slot = (index % n) as usize;
            index /= n;
        }
        levels
    }

    /// The base scenario (every lever off).
    pub fn base(&self) -> &Scenario {
        &self.base
    }

    /// The costs of a package: each lever that is on, with its start month.
    pub fn costs(&self, package: &[usize]) -> Vec<(u32, Costs)> {
        self.levers
            .iter()
            .zip(package)
            .filter(|(_, level)| **level > 0)
            .map(|(lever, &level)| (lever.start_month, lever.levels[level].costs))
            .collect()
    }

    /// The scenario of `package`: the base until the first lever starts, then
    /// from each start month the base with every lever started by then.
    /// An error names the package and what its combination breaks.
    pub fn scenario(&self, package: &[usize]) -> Result<Scenario, String> {
        let mut starts: Vec<u32> = self
            .levers
            .iter()
            .zip(package)
            .filter(|(_, level)| **level > 0)
            .map(|(lever, _)| lever.start_month)
            .collect();
        starts.sort_unstable();
        starts.dedup();
        let mut current = self.base.clone();
        for &start in &starts {
            let table = self.merged(package, start)?;
            let mut next = Scenario::from_table(&table).map_err(|problems| {
                let shown: Vec<String> = problems
                    .iter()
                    .take(3)
                    .map(|(path, message)| format!("{path}: {message}"))
                    .collect();
                format!(
                    "the package {} makes an invalid scenario: {}",
                    self.describe(package),
                    shown.join("; ")
                )
            })?;
            next.before = Some(Before {
                until_month: start,
                scenario: Box::new(current),
            });
            current = next;
        }
        Ok(current)
    }

    /// The package's levels by name, e.g. "Training: 2,000 places; Transport: off".
    pub fn describe(&self, package: &[usize]) -> String {
        self.levers
            .iter()
            .zip(package)
            .map(|(lever, &level)| format!("{}: {}", lever.name, lever.levels[level].name))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The base table with every lever of `package` started by `until` applied.
    fn merged(&self, package: &[usize], until: u32) -> Result<Table, String> {
        let mut table = self.root.clone();
        let mut set_by: BTreeMap<&[String], f64> = BTreeMap::new();
        for (lever, &level) in self.levers.iter().zip(package) {
            if level == 0 || lever.start_month > until {
                continue;
            }
            for (key, value) in &lever.levels[level].changes {
                let dotted = key.join(".");
                let value = match (set_by.get(key.as_slice()), self.combine.get(&dotted)) {
                    (Some(&so_far), Some(rule)) => {
                        let base = base_number(&self.root, key).ok_or_else(|| {
                            format!("{dotted} has no number in the base file to combine from")
                        })?;
                        let next = number(Some(value)).ok_or_else(|| {
                            format!("{dotted} in lever \"{}\" is not a number", lever.name)
                        })?;
                        Value::Float(rule.apply(base, so_far, next))
                    }
                    _ => value.clone(),
                };
                if let Some(v) = number(Some(&value)) {
                    set_by.insert(key.as_slice(), v);
                }
                set_leaf(&mut table, key, value);
            }
        }
        Ok(table)
    }
}

/// A number of a TOML value (integers included).
fn number(value: Option<&Value>) -> Option<f64> {
    match value? {
        Value::Integer(v) => Some(*v as f64),
        Value::Float(v) => Some(*v),
        _ => None,
    }
}

/// The base file's number at `key`; for a relative change (`scale`) the base
/// file does not give, 1 (no change).
fn base_number(root: &Table, key: &[String]) -> Option<f64> {
    number(leaf(root, key))
        .or_else(|| (key.first().map(String::as_str) == Some("scale")).then_some(1.0))
}

/// The value at dotted `key` of `table`.
fn leaf<'t>(table: &'t Table, key: &[String]) -> Option<&'t Value> {
    let (last, parents) = key.split_last()?;
    let mut at = table;
    for part in parents {
        at = at.get(part)?.as_table()?;
    }
    at.get(last)
}

/// Sets the value at dotted `key` of `table`, making the tables on the way.
fn set_leaf(table: &mut Table, key: &[String], value: Value) {
    let Some((last, parents)) = key.split_last() else {
        return;
    };
    let mut at = table;
    for part in parents {
        let entry = at
            .entry(part.clone())
            .or_insert_with(|| Value::Table(Table::new()));
        if !entry.is_table() {
            *entry = Value::Table(Table::new());
        }
        let Value::Table(inner) = entry else {
            unreachable!("made a table just above")
        };
        at = inner;
    }
    at.insert(last.clone(), value);
}

/// The leaves of a `set` table: dotted keys with their values. A distribution
/// (a table with `dist`), a list or a plain value is one leaf.
fn leaves(set: &Table, prefix: &mut Vec<String>, out: &mut Vec<(Vec<String>, Value)>) {
    for (key, value) in set {
        prefix.push(key.clone());
        match value {
            Value::Table(inner) if !inner.contains_key("dist") => leaves(inner, prefix, out),
            _ => out.push((prefix.clone(), value.clone())),
        }
        prefix.pop();
    }
}

/// The level every lever has first: no change, no cost.
fn off() -> Level {
    let mut names = Table::new();
    names.insert("en".into(), Value::String("off".into()));
    names.insert("fr".into(), Value::String("non".into()));
    Level {
        name: LocalText::read(&Value::Table(names)).unwrap_or_else(|_| LocalText::plain("off")),
        costs: Costs::default(),
        changes: Vec::new(),
    }
}

/// Reads the `[[lever]]` entries and `[levers]` section of a file whose base
/// table is `root` and base scenario `base` (`None` when the base is broken:
/// then only problems are collected). Problems go to `problems`.
pub fn read_levers(
    root: &Table,
    base: Option<&Scenario>,
    problems: &mut Vec<(KeyPath, String)>,
) -> Option<Levers> {
    if !root.contains_key("lever") && !root.contains_key("levers") {
        return None;
    }
    let list = KeyPath::default().key("lever");
    let entries: &[Value] = match root.get("lever") {
        None => &[],
        Some(Value::Array(items)) => items,
        Some(_) => {
            problems.push((
                list,
                "must be written [[lever]] (an array of tables)".into(),
            ));
            return None;
        }
    };
    if entries.len() > MAX_LEVERS {
        problems.push((
            list.clone(),
            format!(
                "{} levers; at most {MAX_LEVERS} can be planned together (their packages multiply)",
                entries.len()
            ),
        ));
        return None;
    }
    let mut clean = root.clone();
    for key in ["policy", "lever", "levers", "option"] {
        clean.remove(key);
    }
    let mut levers = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let path = list.index(i);
        let Value::Table(entry) = entry else {
            problems.push((path, "must be a table".into()));
            continue;
        };
        let (name, description, start_month) = read_heading(
            entry,
            (&path, "lever"),
            &LEVER_KEYS,
            (base, &mut names),
            problems,
        );
        let level_list = path.key("level");
        let items: &[Value] = match entry.get("level") {
            Some(Value::Array(items)) if !items.is_empty() => items,
            _ => {
                problems.push((
                    level_list,
                    "missing; give each lever one or more [[lever.level]] entries besides \"off\", \
                     each with a name, its costs and a set table"
                        .into(),
                ));
                continue;
            }
        };
        if items.len() > MAX_LEVELS {
            problems.push((
                level_list,
                format!(
                    "{} levels; at most {MAX_LEVELS} besides \"off\"",
                    items.len()
                ),
            ));
            continue;
        }
        let mut levels = vec![off()];
        let mut level_names: Vec<String> = vec!["off".into()];
        for (j, item) in items.iter().enumerate() {
            let at = level_list.index(j);
            let Value::Table(item) = item else {
                problems.push((at, "must be a table".into()));
                continue;
            };
            unknown_keys(item, &LEVEL_KEYS, &at, problems);
            let level_name = read_name(item, &at, "level", problems);
            if level_names.contains(&level_name.to_string()) {
                problems.push((
                    at.key("name"),
                    format!("\"{level_name}\" names two levels of lever \"{name}\" (\"off\" is implicit)"),
                ));
            }
            level_names.push(level_name.to_string());
            let costs = read_costs(item, &at, problems);
            let set = match item.get("set") {
                Some(Value::Table(set)) if !set.is_empty() => set,
                _ => {
                    problems.push((
                        at.key("set"),
                        "missing; a level changes the scenario, e.g. set.training.per_year = 1000 \
                         (\"off\", no change, is implicit)"
                            .into(),
                    ));
                    continue;
                }
            };
            let full = format!("{name}: {level_name}");
            if !check_set(
                root,
                set,
                start_month,
                ("lever", &full),
                &at.key("set"),
                problems,
            ) {
                continue;
            }
            // Each level alone must make a valid scenario.
            let mut merged = clean.clone();
            crate::input::policy::merge(&mut merged, set);
            if let Err(found) = Scenario::from_table(&merged)
                && base.is_some()
            {
                problems.extend(found.into_iter().map(|(inner, message)| {
                    (
                        at.key("set").join(&inner),
                        format!("in lever \"{full}\": {message}"),
                    )
                }));
            }
            let mut changes = Vec::new();
            leaves(set, &mut Vec::new(), &mut changes);
            levels.push(Level {
                name: level_name,
                costs,
                changes,
            });
        }
        levers.push(Lever {
            name,
            description,
            start_month,
            levels,
        });
    }
    let combine = read_combine(root, &clean, &levers, problems);
    check_overlaps(&levers, &combine, problems);
    Some(Levers {
        levers,
        combine,
        root: clean,
        base: base?.clone(),
    })
}

/// Reads `[levers] combine`, checking that each rule names a number two levers
/// change.
fn read_combine(
    root: &Table,
    clean: &Table,
    levers: &[Lever],
    problems: &mut Vec<(KeyPath, String)>,
) -> BTreeMap<String, Combine> {
    let mut rules = BTreeMap::new();
    let path = KeyPath::default().key("levers");
    let section = match root.get("levers") {
        None => return rules,
        Some(Value::Table(section)) => section,
        Some(_) => {
            problems.push((path, "must be a table: [levers]".into()));
            return rules;
        }
    };
    unknown_keys(section, &["combine"], &path, problems);
    let path = path.key("combine");
    let table = match section.get("combine") {
        None => return rules,
        Some(Value::Table(t)) => t,
        Some(_) => {
            problems.push((
                path,
                "must be a table of rules, e.g. combine = { \"labour.reach_share\" = \"max\" }"
                    .into(),
            ));
            return rules;
        }
    };
    let changed_by = |dotted: &str| {
        levers
            .iter()
            .filter(|l| {
                l.levels
                    .iter()
                    .any(|level| level.changes.iter().any(|(k, _)| k.join(".") == dotted))
            })
            .count()
    };
    let choices = Combine::NAMES.map(|(n, _)| format!("\"{n}\"")).join(", ");
    for (key, rule) in table {
        let at = path.key(key);
        let Some(rule) = rule.as_str().and_then(Combine::parse) else {
            problems.push((at, format!("must be one of {choices}, got {rule}")));
            continue;
        };
        if changed_by(key) < 2 {
            problems.push((
                at,
                format!("no two levers change {key}: a rule is needed only where two do"),
            ));
            continue;
        }
        let parts: Vec<String> = match key.strip_prefix("scale.") {
            Some(input) => vec!["scale".to_string(), input.to_string()],
            None => key.split('.').map(str::to_string).collect(),
        };
        let base = base_number(clean, &parts);
        let numeric = levers.iter().all(|l| {
            l.levels.iter().all(|level| {
                level
                    .changes
                    .iter()
                    .all(|(k, v)| k != &parts || number(Some(v)).is_some())
            })
        });
        if !numeric || base.is_none() {
            problems.push((
                at,
                format!(
                    "{key} must be a plain number in the base file and in every level that sets it \
                     for a rule to combine it; a distribution or a list cannot be combined: let one \
                     lever set it"
                ),
            ));
            continue;
        }
        if rule == Combine::Multiply && base == Some(0.0) {
            problems.push((
                at,
                format!("{key} is 0 in the base file: \"multiply\" needs a base to divide by"),
            ));
            continue;
        }
        let shares = |v: f64| (0.0..=1.0).contains(&v);
        let all_shares = levers.iter().all(|l| {
            l.levels.iter().all(|level| {
                level
                    .changes
                    .iter()
                    .all(|(k, v)| k != &parts || number(Some(v)).is_some_and(shares))
            })
        });
        if rule == Combine::Either
            && (!all_shares || !base.is_some_and(|b| (0.0..1.0).contains(&b)))
        {
            problems.push((
                at,
                format!(
                    "\"either\" combines shares: {key} must be from 0 to 1 in every level, and below 1 \
                     in the base file"
                ),
            ));
            continue;
        }
        rules.insert(key.clone(), rule);
    }
    rules
}

/// Refuses two levers that change one input without a rule saying how.
fn check_overlaps(
    levers: &[Lever],
    combine: &BTreeMap<String, Combine>,
    problems: &mut Vec<(KeyPath, String)>,
) {
    let keys = |lever: &Lever| -> std::collections::BTreeSet<String> {
        lever
            .levels
            .iter()
            .flat_map(|level| level.changes.iter().map(|(k, _)| k.join(".")))
            .collect()
    };
    for (i, a) in levers.iter().enumerate() {
        for (j, b) in levers.iter().enumerate().skip(i + 1) {
            for key in keys(a).intersection(&keys(b)) {
                if !combine.contains_key(key) {
                    problems.push((
                        KeyPath::default().key("lever").index(j),
                        format!(
                            "levers \"{}\" and \"{}\" both change {key}; say how they combine in \
                             [levers] combine.\"{key}\" = \"max\" (or \"min\", \"add\", \"multiply\", \"either\"), \
                             or let one lever set it",
                            a.name, b.name
                        ),
                    ));
                }
            }
        }
    }
}

/// Reads a scenario file's levers, every problem of the file reported at once.
pub fn load_levers(text: &str, origin: &str) -> Result<Levers, ScenarioError> {
    let file = crate::input::policy::load_file(text, origin)?;
    file.levers.ok_or_else(|| {
        ScenarioError::locate(
            text,
            origin,
            vec![(
                KeyPath::default().key("lever"),
                "the file declares no levers".into(),
            )],
        )
    })
}
