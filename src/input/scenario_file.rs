//! The scenario file: a plain TOML table walked key by key into a validated
//! [`Scenario`], collecting every problem with its key path; positions come from
//! toml's spanned parser.

use std::fmt;

use toml::{Table, Value};

use crate::core::calendar::YearMonth;
use crate::core::dist::{DIST_KEYS, DistSpec, Param};
use crate::core::local_text::LocalText;
use crate::core::scenario::*;

/// One problem found in a scenario file.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Line and column (from 1) where the parser can tell.
    pub position: Option<(usize, usize)>,
    /// Key path such as `firm[2].seats`.
    pub key: String,
    /// The rule broken and the value found.
    pub message: String,
}

/// Everything wrong with one scenario file.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub struct ScenarioError {
    /// The file's path, or a name for built-in text.
    pub origin: String,
    /// Every problem found, in file order where known.
    pub problems: Vec<Problem>,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}", self.origin)?;
            if let Some((line, col)) = p.position {
                write!(f, ":{line}:{col}")?;
            }
            write!(f, ": {}: {}", p.key, p.message)?;
        }
        Ok(())
    }
}

impl ScenarioError {
    /// Turns problems found in `text` into an error, each with the line and
    /// column of its key (a missing key: of its table, or the top of the file),
    /// in file order. Linear in the number of problems.
    pub fn locate(text: &str, origin: &str, problems: Vec<(KeyPath, String)>) -> ScenarioError {
        let widened = widen_big_integers(text);
        let document = toml::de::DeTable::parse(&widened).ok();
        let offsets: Vec<usize> = problems
            .iter()
            .map(|(path, _)| {
                document
                    .as_ref()
                    .map_or(0, |doc| locate(doc.get_ref(), &path.0))
            })
            .collect();
        let positions = line_cols(&widened, &offsets);
        let mut problems: Vec<Problem> = problems
            .into_iter()
            .zip(positions)
            .map(|((path, message), position)| Problem {
                position: Some(position),
                key: path.to_string(),
                message,
            })
            .collect();
        problems.sort_by_key(|p| p.position);
        ScenarioError {
            origin: origin.to_string(),
            problems,
        }
    }
}

impl Scenario {
    /// Parses and validates scenario text. `origin` names the file in messages.
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
        let table = Scenario::parse_table(text, origin)?;
        Scenario::from_table(&table)
            .map_err(|problems| ScenarioError::locate(text, origin, problems))
    }

    /// Parses scenario text into a plain TOML table, reporting a syntax error
    /// with its position.
    pub fn parse_table(text: &str, origin: &str) -> Result<Table, ScenarioError> {
        let text = widen_big_integers(text);
        toml::from_str(&text).map_err(|e| {
            let at = e.span().map(|s| s.start);
            ScenarioError {
                origin: origin.to_string(),
                problems: vec![Problem {
                    position: at.map(|s| line_col(&text, s)),
                    key: "syntax".to_string(),
                    message: format!(
                        "not valid TOML: {}{}",
                        e.message().trim(),
                        at.map_or("", |s| decimal_comma_hint(&text, s))
                    ),
                }],
            }
        })
    }

    /// Validates an already parsed scenario table, returning every problem with
    /// its key path.
    pub fn from_table(root: &Table) -> Result<Scenario, Vec<(KeyPath, String)>> {
        let mut c = Checker::default();
        let top = KeyPath::default();
        c.keys(
            root,
            &top,
            &[
                "scenario",
                "target",
                "simulation",
                "firm",
                "arrivals",
                "labour",
                "training",
                "attrition",
                "closure",
                "expansion",
                "history",
                "calibration",
                "policy",
                "option",
                "lever",
                "levers",
                "scale",
            ],
        );

        let (t, p) = c.section(root, "scenario", true);
        c.keys(&t, &p, &["name", "description", "start", "horizon_months"]);
        let name = c.local_text(&t, &p, "name", true).unwrap_or_default();
        if t.contains_key("name") && name.is_blank() {
            c.fail(
                &p.key("name"),
                "must not be empty; give the scenario a name for titles",
            );
        }
        let description = c.local_text(&t, &p, "description", false);
        let start_text = c.string(&t, &p, "start", None);
        let start = start_text.parse::<YearMonth>().unwrap_or_else(|e| {
            // A missing or non-text start is reported once, by `string`.
            if matches!(t.get("start"), Some(Value::String(_))) {
                c.fail(&p.key("start"), e);
            }
            YearMonth::new(2000, 1).expect("a valid month")
        });
        let before = c.problems.len();
        let mut horizon = c.int(&t, &p, "horizon_months", 1, MAX_HORIZON, Some(36));
        if c.problems.len() > before {
            // Check the rest against the widest horizon rather than report
            // follow-on problems of this one.
            horizon = MAX_HORIZON;
        }
        let meta = Meta {
            name,
            description,
            start,
            horizon_months: horizon as u32,
        };

        let (t, p) = c.section(root, "target", true);
        c.keys(&t, &p, &["headcount", "month"]);
        let target = Target {
            headcount: c.int(&t, &p, "headcount", 1, MAX_PEOPLE as i64, None) as u32,
            month: c.int(&t, &p, "month", 0, horizon, None) as u32,
        };

        let (t, p) = c.section(root, "simulation", false);
        c.keys(&t, &p, &["paths", "seed"]);
        let simulation = Simulation {
            paths: c.int(&t, &p, "paths", 1, MAX_PATHS, Some(20_000)) as u64,
            seed: c.int(&t, &p, "seed", 0, i64::MAX, Some(2020)) as u64,
        };

        let firms = c.firms(root, horizon);

        let (t, p) = c.section(root, "arrivals", false);
        c.keys(
            &t,
            &p,
            &[
                "firms_per_year",
                "rate_multiplier",
                "seats",
                "ramp_months",
                "first_month",
            ],
        );
        let firms_per_year = c.param(
            &t,
            &p,
            "firms_per_year",
            Rule::real(0.0, MAX_FIRMS_PER_YEAR),
            Some(fixed(0.0)),
        );
        let arrivals_possible = firms_per_year.support().1 > 0.0;
        if arrivals_possible && !t.contains_key("seats") {
            c.fail(
                &p.key("seats"),
                "missing; firms may arrive (firms_per_year > 0), so state the seats of an arriving \
                 firm, e.g. { dist = \"lognormal\", median = 300, p90 = 800, min = 50, max = 2000 }",
            );
        }
        let arrivals = Arrivals {
            firms_per_year,
            rate_multiplier: c.param(
                &t,
                &p,
                "rate_multiplier",
                Rule::real(0.0, 100.0),
                Some(fixed(1.0)),
            ),
            seats: c.param(
                &t,
                &p,
                "seats",
                Rule::whole(1.0, MAX_SEATS),
                // Arriving firms' size is regional knowledge: required when
                // firms may arrive (checked below).
                Some(fixed(1.0)),
            ),
            ramp_months: c.param(
                &t,
                &p,
                "ramp_months",
                Rule::whole(1.0, MAX_HORIZON as f64),
                Some(fixed(24.0)),
            ),
            first_month: c.int(&t, &p, "first_month", 1, MAX_HORIZON, Some(1)) as u32,
        };

        if !t.contains_key("firms_per_year") {
            c.warn(
                "[arrivals] firms_per_year is not stated: no unannounced firm will arrive. \
                 State the region's expected arrivals a year (0 if none are expected)",
            );
        }
        let most_arrivals = arrivals.firms_per_year.support().1
            * arrivals.rate_multiplier.support().1
            * horizon as f64
            / 12.0;
        if most_arrivals > MAX_ARRIVALS {
            c.fail(
                &p.key("firms_per_year"),
                format!(
                    "with rate_multiplier up to {} over {horizon} months, up to {most_arrivals:.0} \
                     new firms are expected on one path; at most {MAX_ARRIVALS} are supported: lower \
                     the rate, the multiplier or the horizon",
                    arrivals.rate_multiplier.support().1
                ),
            );
        }

        let (t, p) = c.section(root, "labour", false);
        c.keys(
            &t,
            &p,
            &[
                "initial_pool",
                "graduates_per_year",
                "graduation_month",
                "qualified_share",
                "reach_share",
                "reach_applies_to",
                "pool_exit_monthly",
                "uptake_monthly",
                "leaver_return_share",
            ],
        );
        let people = Rule::whole(0.0, MAX_PEOPLE);
        let graduates_per_year = c.param(&t, &p, "graduates_per_year", people, Some(fixed(0.0)));
        if graduates_per_year.support().1 > 0.0 && !t.contains_key("qualified_share") {
            c.fail(
                &p.key("qualified_share"),
                "missing; graduates may come (graduates_per_year > 0), so state the share who pass \
                 call-centre tests, e.g. { dist = \"pert\", min = 0.05, mode = 0.09, max = 0.15 }",
            );
        }
        let labour = Labour {
            initial_pool: c.param(&t, &p, "initial_pool", people, Some(fixed(0.0))),
            graduates_per_year,
            graduation_month: c.int(&t, &p, "graduation_month", 1, 12, Some(7)) as u32,
            // A region's qualified share cannot be guessed: required when
            // graduates may come (checked below).
            qualified_share: c.param(&t, &p, "qualified_share", Rule::SHARE, Some(fixed(0.0))),
            reach_share: c.param(&t, &p, "reach_share", Rule::SHARE, Some(fixed(1.0))),
            reach_applies_to: match c.string(&t, &p, "reach_applies_to", Some("all")).as_str() {
                "all" => Reach::All,
                "graduates" => Reach::Graduates,
                other => {
                    c.fail(
                        &p.key("reach_applies_to"),
                        format!("must be \"all\" or \"graduates\", got \"{other}\""),
                    );
                    Reach::All
                }
            },
            pool_exit_monthly: c.param(&t, &p, "pool_exit_monthly", Rule::SHARE, Some(fixed(0.03))),
            uptake_monthly: c.param(
                &t,
                &p,
                "uptake_monthly",
                Rule::SHARE,
                Some(DistSpec::Uniform { min: 0.2, max: 0.4 }),
            ),
            leaver_return_share: c.param(
                &t,
                &p,
                "leaver_return_share",
                Rule::SHARE,
                Some(fixed(0.3)),
            ),
        };

        for (key, what) in [
            ("initial_pool", "the pool starts empty"),
            ("graduates_per_year", "no graduate joins the pool"),
        ] {
            if !t.contains_key(key) {
                c.warn(format!(
                    "[labour] {key} is not stated: {what}. State the region's figure (0 if none)"
                ));
            }
        }

        let (t, p) = c.section(root, "training", false);
        c.keys(&t, &p, &["per_year", "completion_rate", "lag_months"]);
        let training = Training {
            per_year: c.param(&t, &p, "per_year", people, Some(fixed(0.0))),
            completion_rate: c.param(&t, &p, "completion_rate", Rule::SHARE, Some(fixed(0.8))),
            lag_months: c.int(&t, &p, "lag_months", 0, MAX_HORIZON, Some(0)) as u32,
        };

        let (t, p) = c.section(root, "attrition", false);
        c.keys(
            &t,
            &p,
            &[
                "hazard_new",
                "hazard_settled",
                "hazard_veteran",
                "multiplier",
            ],
        );
        let attrition = Attrition {
            hazard_new: c.param(&t, &p, "hazard_new", Rule::SHARE, Some(fixed(0.08))),
            hazard_settled: c.param(&t, &p, "hazard_settled", Rule::SHARE, Some(fixed(0.03))),
            hazard_veteran: c.param(&t, &p, "hazard_veteran", Rule::SHARE, Some(fixed(0.015))),
            multiplier: c.param(
                &t,
                &p,
                "multiplier",
                Rule::real(0.0, 100.0),
                Some(fixed(1.0)),
            ),
        };

        let (t, p) = c.section(root, "closure", false);
        c.keys(&t, &p, &["monthly_hazard"]);
        let closure = Closure {
            monthly_hazard: c.param(&t, &p, "monthly_hazard", Rule::SHARE, Some(fixed(0.002))),
        };

        let (t, p) = c.section(root, "expansion", false);
        c.keys(&t, &p, &["monthly_probability", "growth"]);
        let expansion = Expansion {
            monthly_probability: c.param(
                &t,
                &p,
                "monthly_probability",
                Rule::SHARE,
                Some(fixed(0.01)),
            ),
            growth: c.param(&t, &p, "growth", Rule::real(0.0, 10.0), Some(fixed(0.25))),
        };

        let history = c.history(root, meta.start, meta.horizon_months);

        let (t, p) = c.section(root, "calibration", false);
        c.keys(
            &t,
            &p,
            &[
                "posterior",
                "particles",
                "final_tolerance",
                "min_acceptance",
                "max_generations",
            ],
        );
        let calibration = Calibration {
            posterior: t
                .contains_key("posterior")
                .then(|| c.string(&t, &p, "posterior", None)),
            particles: c.int(&t, &p, "particles", 100, 1_000_000, Some(2000)) as u32,
            final_tolerance: c.real(&t, &p, "final_tolerance", 0.01, 100.0, 1.0),
            min_acceptance: c.real(&t, &p, "min_acceptance", 0.0001, 1.0, 0.02),
            max_generations: c.int(&t, &p, "max_generations", 1, 100, Some(20)) as u32,
        };

        let scale = read_scale(root, &mut c);
        if c.problems.is_empty() {
            let scenario = Scenario {
                meta,
                target,
                simulation,
                firms,
                arrivals,
                labour,
                training,
                attrition,
                closure,
                expansion,
                history,
                warnings: c.warnings,
                before: None,
                calibration,
                posterior: None,
                scale_keys: Vec::new(),
                scale: std::collections::BTreeMap::new(),
            };
            check_scale(scenario, scale)
        } else {
            Err(c.problems)
        }
    }
}

/// Reads `[scale]`: relative changes, each an input's name (as reports name
/// it) with a factor above 0 and at most 100.
fn read_scale(root: &Table, c: &mut Checker) -> Vec<(String, f64)> {
    let path = KeyPath::default().key("scale");
    let table = match root.get("scale") {
        None => return Vec::new(),
        Some(Value::Table(t)) => t,
        Some(_) => {
            c.fail(
                &path,
                "must be a table of factors, e.g. scale = { \"attrition.multiplier\" = 0.85 }",
            );
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (name, value) in table {
        let factor = match value {
            Value::Float(v) => *v,
            Value::Integer(v) => *v as f64,
            _ => f64::NAN,
        };
        if !(factor > 0.0 && factor <= 100.0) {
            c.fail(
                &path.key(name),
                format!(
                    "must be a factor above 0 and at most 100, e.g. 0.85 for 15% less, got {value}"
                ),
            );
            continue;
        }
        out.push((name.clone(), factor));
    }
    out
}

/// Attaches the relative changes `scale` to `scenario`, refusing an unknown
/// input and a factor that takes an input outside the range its rules allow
/// (checked by validating the scenario with the input scaled).
fn check_scale(
    mut scenario: Scenario,
    scale: Vec<(String, f64)>,
) -> Result<Scenario, Vec<(KeyPath, String)>> {
    let mut problems = Vec::new();
    let path = KeyPath::default().key("scale");
    let round_trip = |s: &Scenario| {
        let table: Table = toml::from_str(&s.to_resolved_toml()).unwrap_or_default();
        Scenario::from_table(&table)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|(p, m)| (p.to_string(), m))
            .collect::<Vec<_>>()
    };
    let unscaled = if scale.is_empty() {
        Vec::new()
    } else {
        round_trip(&scenario)
    };
    for (name, factor) in scale {
        let mut scaled = scenario.clone();
        let Some(param) = scaled.param_mut(&name) else {
            problems.push((
                path.key(&name),
                "is not an input shorecast draws; name one as reports do, e.g. \
                 \"attrition.multiplier\" or \"firm[Intelcia].seats\""
                    .to_string(),
            ));
            continue;
        };
        *param = param.scaled(factor);
        for (inner, message) in round_trip(&scaled) {
            if !unscaled.contains(&(inner.clone(), message.clone())) {
                problems.push((
                    path.key(&name),
                    format!("a factor of {factor} takes {inner} out of its range: it {message}"),
                ));
            }
        }
        scenario
            .scale_keys
            .push((crate::core::given::input_key(&name), factor));
        scenario.scale.insert(name, factor);
    }
    if problems.is_empty() {
        Ok(scenario)
    } else {
        Err(problems)
    }
}

/// A path of keys into a scenario file, such as `firm[2].seats`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KeyPath(Vec<Segment>);

#[derive(Clone, Debug, PartialEq)]
enum Segment {
    Key(String),
    /// Index into an array of tables, from 0 (shown from 1).
    Index(usize),
}

impl KeyPath {
    /// The path one key deeper.
    pub fn key(&self, key: &str) -> KeyPath {
        let mut next = self.clone();
        next.0.push(Segment::Key(key.to_string()));
        next
    }

    /// This path with `inner` appended, as when a policy's `set` is checked as
    /// a scenario of its own.
    pub fn join(&self, inner: &KeyPath) -> KeyPath {
        let mut next = self.clone();
        next.0.extend(inner.0.iter().cloned());
        next
    }

    /// The path to element `index` (from 0) of this array.
    pub fn index(&self, index: usize) -> KeyPath {
        let mut next = self.clone();
        next.0.push(Segment::Index(index));
        next
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(top level)");
        }
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(k) if i == 0 => write!(f, "{k}")?,
                Segment::Key(k) => write!(f, ".{k}")?,
                Segment::Index(n) => write!(f, "[{}]", n + 1)?,
            }
        }
        Ok(())
    }
}

/// The allowed range of a numeric parameter.
#[derive(Clone, Copy, Debug)]
struct Rule {
    lo: f64,
    hi: f64,
    whole: bool,
}

impl Rule {
    const SHARE: Rule = Rule {
        lo: 0.0,
        hi: 1.0,
        whole: false,
    };

    fn real(lo: f64, hi: f64) -> Rule {
        Rule {
            lo,
            hi,
            whole: false,
        }
    }

    fn whole(lo: f64, hi: f64) -> Rule {
        Rule {
            lo,
            hi,
            whole: true,
        }
    }

    fn kind(&self) -> &'static str {
        if self.whole {
            "a whole number"
        } else if self.lo == 0.0 && self.hi == 1.0 {
            "a share"
        } else {
            "a number"
        }
    }

    /// Checks one value, returning the message for a breach.
    fn check(&self, v: f64) -> Option<String> {
        let kind = self.kind();
        if self.whole && v.fract() != 0.0 {
            Some(format!("must be {kind}, got {v}"))
        } else if v < self.lo {
            Some(format!("must be {kind} >= {}, got {v}", self.lo))
        } else if v > self.hi {
            Some(format!("must be {kind} <= {}, got {v}", self.hi))
        } else {
            None
        }
    }
}

fn fixed(v: f64) -> DistSpec {
    DistSpec::Fixed(v)
}

fn pert(min: f64, mode: f64, max: f64) -> DistSpec {
    DistSpec::Pert { min, mode, max }
}

fn triangular(min: f64, mode: f64, max: f64) -> DistSpec {
    DistSpec::Triangular { min, mode, max }
}

/// Walks a scenario table, collecting problems instead of stopping at the first.
#[derive(Default)]
struct Checker {
    problems: Vec<(KeyPath, String)>,
    warnings: Vec<String>,
}

impl Checker {
    fn warn(&mut self, message: impl Into<String>) {
        self.warnings.push(message.into());
    }

    fn fail(&mut self, path: &KeyPath, message: impl Into<String>) {
        self.problems.push((path.clone(), message.into()));
    }

    /// Reports keys of `table` that are not in `allowed`, with a suggestion.
    fn keys(&mut self, table: &Table, path: &KeyPath, allowed: &[&str]) {
        for key in table.keys() {
            if allowed.contains(&key.as_str()) {
                continue;
            }
            let closest = allowed
                .iter()
                .map(|a| (strsim::jaro_winkler(key, a), *a))
                .max_by(|x, y| x.0.total_cmp(&y.0));
            let hint = match closest {
                Some((score, name)) if score > 0.8 => format!("; did you mean `{name}`?"),
                _ => format!("; allowed here: {}", allowed.join(", ")),
            };
            self.fail(&path.key(key), format!("unknown key{hint}"));
        }
    }

    /// The sub-table `key` of `root` (empty when absent and optional).
    fn section(&mut self, root: &Table, key: &str, required: bool) -> (Table, KeyPath) {
        let path = KeyPath::default().key(key);
        let table = match root.get(key) {
            Some(Value::Table(t)) => t.clone(),
            Some(other) => {
                self.fail(
                    &path,
                    format!("must be a table [{key}], got {}", type_name(other)),
                );
                Table::new()
            }
            None => {
                if required {
                    self.fail(&path, format!("missing section; add a [{key}] table"));
                }
                Table::new()
            }
        };
        (table, path)
    }

    /// A text given once or per language (`None` when absent or wrong, the
    /// problem noted; absence is one when `required`).
    fn local_text(
        &mut self,
        t: &Table,
        path: &KeyPath,
        key: &str,
        required: bool,
    ) -> Option<LocalText> {
        if required && !t.contains_key(key) {
            self.fail(&path.key(key), "missing; this key is required");
        }
        LocalText::read(t.get(key)?)
            .map_err(|e| self.fail(&path.key(key), e))
            .ok()
    }

    fn string(&mut self, t: &Table, path: &KeyPath, key: &str, default: Option<&str>) -> String {
        match (t.get(key), default) {
            (Some(Value::String(s)), _) => crate::core::local_text::printable(s),
            (Some(other), _) => {
                self.fail(
                    &path.key(key),
                    format!("must be a text in quotes, got {}", type_name(other)),
                );
                String::new()
            }
            (None, Some(d)) => d.to_string(),
            (None, None) => {
                self.fail(&path.key(key), "missing; this key is required");
                String::new()
            }
        }
    }

    /// A whole number in `lo..=hi` (fixed, never a distribution).
    fn int(
        &mut self,
        t: &Table,
        path: &KeyPath,
        key: &str,
        lo: i64,
        hi: i64,
        default: Option<i64>,
    ) -> i64 {
        let p = path.key(key);
        match (t.get(key), default) {
            (Some(Value::Integer(v)), _) if (lo..=hi).contains(v) => *v,
            (Some(Value::Integer(v)), _) => {
                self.fail(
                    &p,
                    format!("must be a whole number from {lo} to {hi}, got {v}"),
                );
                lo
            }
            (Some(other), _) => {
                self.fail(
                    &p,
                    format!(
                        "must be a whole number from {lo} to {hi}, got {}",
                        describe(other)
                    ),
                );
                lo
            }
            (None, Some(d)) => d,
            (None, None) => {
                self.fail(&p, "missing; this key is required");
                lo
            }
        }
    }

    /// A number or a distribution, whose every possible draw obeys `rule`.
    fn param(
        &mut self,
        t: &Table,
        path: &KeyPath,
        key: &str,
        rule: Rule,
        default: Option<DistSpec>,
    ) -> Param {
        let p = path.key(key);
        let placeholder = || Param::fixed(rule.lo);
        let spec = match (t.get(key), default) {
            (Some(v), _) => match self.dist_spec(v, &p) {
                Some(spec) => spec,
                None => return placeholder(),
            },
            (None, Some(d)) => d,
            (None, None) => {
                self.fail(&p, "missing; this key is required");
                return placeholder();
            }
        };
        let param = match Param::new(spec) {
            Ok(param) if rule.whole => param.whole(),
            Ok(param) => param,
            Err(message) => {
                self.fail(&p, message);
                return placeholder();
            }
        };
        let (lo, hi) = param.support();
        if param.is_uncertain() {
            if [lo, hi].into_iter().any(|v| rule.check(v).is_some()) {
                let allowed = format!("{} from {} to {}", rule.kind(), rule.lo, rule.hi);
                let message = if lo.is_infinite() || hi.is_infinite() {
                    format!(
                        "the distribution is unbounded, but this must be {allowed}; \
                         add min and max inside that range to truncate it"
                    )
                } else {
                    format!(
                        "the distribution can give values from {lo} to {hi}, but this must be \
                         {allowed}; narrow its range"
                    )
                };
                self.fail(&p, message);
                return placeholder();
            }
        } else if let Some(message) = rule.check(fixed_value(&param).unwrap_or(lo)) {
            self.fail(&p, message);
            return placeholder();
        }
        param
    }

    fn dist_spec(&mut self, v: &Value, p: &KeyPath) -> Option<DistSpec> {
        let table = match v {
            Value::Integer(i) => return Some(DistSpec::Fixed(*i as f64)),
            Value::Float(f) => return Some(DistSpec::Fixed(*f)),
            Value::Table(t) => t,
            other => {
                self.fail(
                    p,
                    format!(
                        "must be a number or a distribution such as \
                         {{ dist = \"pert\", min = 1, mode = 2, max = 3 }}, got {}",
                        describe(other)
                    ),
                );
                return None;
            }
        };
        let names: Vec<&str> = DIST_KEYS.iter().map(|d| d.0).collect();
        let Some(Value::String(name)) = table.get("dist") else {
            self.fail(
                p,
                format!(
                    "a distribution needs `dist = \"...\"`, one of: {}",
                    names.join(", ")
                ),
            );
            return None;
        };
        let Some((_, required, optional)) = DIST_KEYS.iter().find(|d| d.0 == name) else {
            self.fail(
                &p.key("dist"),
                format!(
                    "unknown distribution \"{name}\"; use one of: {}",
                    names.join(", ")
                ),
            );
            return None;
        };
        let allowed: Vec<&str> = ["dist"]
            .iter()
            .chain(required.iter())
            .chain(optional.iter())
            .copied()
            .collect();
        let before = self.problems.len();
        self.keys(table, p, &allowed);
        let mut number = |key: &str, needed: bool| -> Option<f64> {
            match table.get(key) {
                Some(Value::Integer(i)) => Some(*i as f64),
                Some(Value::Float(f)) => Some(*f),
                Some(other) => {
                    self.fail(
                        &p.key(key),
                        format!("must be a number, got {}", describe(other)),
                    );
                    None
                }
                None if needed => {
                    self.fail(
                        &p.key(key),
                        format!(
                            "missing; a {name} distribution needs {}",
                            required.join(", ")
                        ),
                    );
                    None
                }
                None => None,
            }
        };
        let n: Vec<Option<f64>> = required.iter().map(|k| number(k, true)).collect();
        let o: Vec<Option<f64>> = optional.iter().map(|k| number(k, false)).collect();
        if self.problems.len() > before {
            return None;
        }
        let g = |i: usize| n[i].expect("checked above");
        Some(match name.as_str() {
            "uniform" => DistSpec::Uniform {
                min: g(0),
                max: g(1),
            },
            "uniform_int" => {
                if g(0).fract() != 0.0 || g(1).fract() != 0.0 {
                    self.fail(p, "uniform_int needs whole-number min and max");
                    return None;
                }
                DistSpec::UniformInt {
                    min: g(0) as i64,
                    max: g(1) as i64,
                }
            }
            "triangular" => triangular(g(0), g(1), g(2)),
            "pert" => pert(g(0), g(1), g(2)),
            "normal" => DistSpec::Normal {
                mean: g(0),
                sd: g(1),
                min: o[0],
                max: o[1],
            },
            "lognormal" => DistSpec::Lognormal {
                median: g(0),
                p90: g(1),
                min: o[0],
                max: o[1],
            },
            _ => unreachable!("names come from DIST_KEYS"),
        })
    }

    /// An array of tables such as `[[firm]]`, each with its path.
    fn tables(&mut self, root: &Table, key: &str) -> Vec<(Table, KeyPath)> {
        let path = KeyPath::default().key(key);
        match root.get(key) {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| match item {
                    Value::Table(t) => Some((t.clone(), path.index(i))),
                    other => {
                        self.fail(
                            &path.index(i),
                            format!("must be a table, got {}", type_name(other)),
                        );
                        None
                    }
                })
                .collect(),
            Some(other) => {
                self.fail(
                    &path,
                    format!(
                        "must be written [[{key}]] (an array of tables), got {}",
                        type_name(other)
                    ),
                );
                Vec::new()
            }
        }
    }

    fn firms(&mut self, root: &Table, horizon: i64) -> Vec<FirmSpec> {
        let entries = self.tables(root, "firm");
        if entries.len() > MAX_FIRMS {
            self.fail(
                &KeyPath::default().key("firm"),
                format!(
                    "has {} firms; at most {MAX_FIRMS} are supported",
                    entries.len()
                ),
            );
        }
        if entries.is_empty()
            && !self
                .problems
                .iter()
                .any(|(p, _)| p.0.first() == Some(&Segment::Key("firm".into())))
        {
            self.fail(
                &KeyPath::default().key("firm"),
                "missing; add at least one [[firm]] table",
            );
        }
        let mut names: Vec<String> = Vec::new();
        let mut firms = Vec::new();
        for (t, p) in entries {
            self.keys(
                &t,
                &p,
                &[
                    "name",
                    "group",
                    "seats",
                    "headcount",
                    "opens_month",
                    "ramp_months",
                    "ramp",
                    "initial_tenure",
                    "probability",
                    "sites",
                    "remote_share",
                ],
            );
            let name = self.string(&t, &p, "name", None);
            if t.contains_key("name") && name.trim().is_empty() {
                self.fail(
                    &p.key("name"),
                    "must not be empty; give each firm its own name",
                );
            }
            if !name.is_empty() && names.contains(&name) {
                self.fail(
                    &p.key("name"),
                    format!("\"{name}\" names two firms; give each firm its own name"),
                );
            }
            names.push(name.clone());
            let group = match self.string(&t, &p, "group", Some("existing")).as_str() {
                "existing" => Group::Existing,
                "announced" => Group::Announced,
                other => {
                    self.fail(
                        &p.key("group"),
                        format!("must be \"existing\" or \"announced\", got \"{other}\""),
                    );
                    Group::Existing
                }
            };
            let before_seats = self.problems.len();
            let seats = self.param(&t, &p, "seats", Rule::whole(1.0, MAX_SEATS), None);
            // A refused seats value is a placeholder: no follow-on problem.
            let seats_valid = self.problems.len() == before_seats;
            let opens_month = self.param(
                &t,
                &p,
                "opens_month",
                Rule::whole(0.0, horizon as f64),
                Some(fixed(0.0)),
            );
            let ramp = self.milestones(&t, &p);
            let ramp_months = match (t.contains_key("ramp_months"), t.contains_key("ramp")) {
                (true, true) => {
                    self.fail(
                        &p.key("ramp"),
                        "give either ramp_months (a linear ramp) or ramp (milestones), not both",
                    );
                    None
                }
                (false, true) => None,
                _ => Some(self.param(
                    &t,
                    &p,
                    "ramp_months",
                    Rule::whole(1.0, MAX_HORIZON as f64),
                    None,
                )),
            };
            let sites = self.int(&t, &p, "sites", 1, MAX_SITES, Some(1)) as u32;
            let remote_share = self.share(&t, &p, "remote_share", 0.0);
            let probability = self.param(&t, &p, "probability", Rule::SHARE, Some(fixed(1.0)));
            let headcount = self.param(
                &t,
                &p,
                "headcount",
                Rule::whole(0.0, MAX_SEATS),
                Some(fixed(0.0)),
            );
            let opens_at_start = opens_month.support() == (0.0, 0.0);
            if seats_valid && headcount.support().1 > seats.support().0 {
                self.fail(
                    &p.key("headcount"),
                    format!(
                        "can be {} but the seats can be as few as {}; a firm starts at most full: \
                         lower headcount or raise seats",
                        headcount.support().1,
                        seats.support().0
                    ),
                );
            }
            if headcount.support().1 > 0.0 && !opens_at_start {
                self.fail(
                    &p.key("headcount"),
                    "only a firm operating at the start (opens_month = 0) has a headcount; \
                     remove it or set opens_month = 0",
                );
            }
            if f64::from(sites) > seats.support().0 {
                self.fail(
                    &p.key("sites"),
                    format!(
                        "{sites} sites but the seats can be as few as {}; every site needs a seat: \
                         lower sites or raise seats",
                        seats.support().0
                    ),
                );
            }
            if let Some(last) = ramp.last()
                && f64::from(last.headcount) > seats.support().0
            {
                self.fail(
                    &p.key("ramp"),
                    format!(
                        "the last milestone plans {} jobs but the seats can be as few as {}; \
                         lower the milestone or raise seats",
                        last.headcount,
                        seats.support().0
                    ),
                );
            }
            let initial_tenure = self.tenure(&t, &p);
            firms.push(FirmSpec {
                name,
                group,
                seats,
                headcount,
                opens_month,
                ramp_months,
                initial_tenure,
                probability,
                sites,
                remote_share,
                ramp,
            });
        }
        firms
    }

    /// A fixed share from 0 to 1 (never a distribution).
    fn share(&mut self, t: &Table, path: &KeyPath, key: &str, default: f64) -> f64 {
        match t.get(key) {
            None => default,
            Some(Value::Integer(i)) if (0..=1).contains(i) => *i as f64,
            Some(Value::Float(f)) if (0.0..=1.0).contains(f) => *f,
            Some(other) => {
                self.fail(
                    &path.key(key),
                    format!("must be a share from 0 to 1, got {}", describe(other)),
                );
                default
            }
        }
    }

    /// `ramp = [{ month = 12, headcount = 200 }, ...]`: milestones with
    /// months rising from 1 and headcounts never falling.
    fn milestones(&mut self, t: &Table, path: &KeyPath) -> Vec<Milestone> {
        let p = path.key("ramp");
        let example =
            "a list like [{ month = 12, headcount = 200 }, { month = 24, headcount = 400 }]";
        let items = match t.get("ramp") {
            None => return Vec::new(),
            Some(Value::Array(items)) if !items.is_empty() => items,
            Some(other) => {
                self.fail(&p, format!("must be {example}, got {}", describe(other)));
                return Vec::new();
            }
        };
        let mut milestones: Vec<Milestone> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let Value::Table(entry) = item else {
                self.fail(
                    &p.index(i),
                    format!(
                        "must be a table {{ month = 12, headcount = 200 }}, got {}",
                        describe(item)
                    ),
                );
                continue;
            };
            let at = p.index(i);
            self.keys(entry, &at, &["month", "headcount"]);
            let month = self.int(entry, &at, "month", 1, MAX_HORIZON, None) as u32;
            let headcount = self.int(entry, &at, "headcount", 0, MAX_SEATS as i64, None) as u32;
            if let Some(previous) = milestones.last() {
                if month <= previous.month {
                    self.fail(
                        &at.key("month"),
                        format!(
                            "must come after the previous milestone's month {}",
                            previous.month
                        ),
                    );
                }
                if headcount < previous.headcount {
                    self.fail(
                        &at.key("headcount"),
                        format!(
                            "must not fall below the previous milestone's {}",
                            previous.headcount
                        ),
                    );
                }
            }
            milestones.push(Milestone { month, headcount });
        }
        milestones
    }

    /// A plain number in `lo..=hi` (never a distribution), `default` when absent.
    fn real(
        &mut self,
        t: &Table,
        path: &KeyPath,
        key: &str,
        lo: f64,
        hi: f64,
        default: f64,
    ) -> f64 {
        let v = match t.get(key) {
            None => return default,
            Some(Value::Integer(i)) => *i as f64,
            Some(Value::Float(f)) => *f,
            Some(other) => {
                self.fail(
                    &path.key(key),
                    format!(
                        "must be a number from {lo} to {hi}, got {}",
                        describe(other)
                    ),
                );
                return default;
            }
        };
        if !(lo..=hi).contains(&v) {
            self.fail(
                &path.key(key),
                format!("must be a number from {lo} to {hi}, got {v}"),
            );
            return default;
        }
        v
    }

    fn tenure(&mut self, t: &Table, path: &KeyPath) -> Tenure {
        let p = path.key("initial_tenure");
        let table = match t.get("initial_tenure") {
            None => return Tenure::DEFAULT,
            Some(Value::Table(table)) => table,
            Some(other) => {
                self.fail(&p, format!("must be a table like {{ new = 0.2, settled = 0.5, veteran = 0.3 }}, got {}", describe(other)));
                return Tenure::DEFAULT;
            }
        };
        self.keys(table, &p, &["new", "settled", "veteran"]);
        let mut share = |key: &str| match table.get(key) {
            Some(Value::Integer(i)) if (0..=1).contains(i) => *i as f64,
            Some(Value::Float(f)) if (0.0..=1.0).contains(f) => *f,
            None => 0.0,
            Some(other) => {
                self.fail(
                    &p.key(key),
                    format!("must be a share from 0 to 1, got {}", describe(other)),
                );
                0.0
            }
        };
        let tenure = Tenure {
            new: share("new"),
            settled: share("settled"),
            veteran: share("veteran"),
        };
        let sum: f64 = tenure.shares().iter().sum();
        if (sum - 1.0).abs() > 1e-6 {
            self.fail(
                &p,
                format!("the shares new + settled + veteran must add up to 1, got {sum}"),
            );
            return Tenure::DEFAULT;
        }
        tenure
    }

    /// The `[[history]]` points, each checked against the simulated months
    /// (`start` to `start + horizon`) and against the other points.
    fn history(&mut self, root: &Table, start: YearMonth, horizon: u32) -> Vec<Observation> {
        let mut history: Vec<Observation> = Vec::new();
        for (t, p) in self.tables(root, "history") {
            self.keys(&t, &p, &["date", "headcount", "uncertainty", "source"]);
            let text = self.string(&t, &p, "date", None);
            let headcount = self.int(&t, &p, "headcount", 0, MAX_PEOPLE as i64, None) as u32;
            let uncertainty = self.real(&t, &p, "uncertainty", 0.001, 2.0, DEFAULT_UNCERTAINTY);
            let source = t
                .contains_key("source")
                .then(|| self.string(&t, &p, "source", None));
            match text.parse::<YearMonth>() {
                Ok(date) if date.months_since(start) > i64::from(horizon) => self.fail(
                    &p.key("date"),
                    format!(
                        "{date} lies after the simulated months ({start} plus {horizon} months); \
                         raise [scenario].horizon_months or remove the point"
                    ),
                ),
                Ok(date) if history.iter().any(|o| o.date == date) => self.fail(
                    &p.key("date"),
                    format!(
                        "a second history point for {date}; give each month one figure \
                         (keep the one you trust and move the other to its source note)"
                    ),
                ),
                Ok(date) => history.push(Observation {
                    date,
                    headcount,
                    uncertainty,
                    source,
                }),
                Err(e) if t.contains_key("date") => self.fail(&p.key("date"), e),
                Err(_) => {}
            }
        }
        history
    }
}

/// The value of a fixed parameter as written (before any rounding).
fn fixed_value(param: &Param) -> Option<f64> {
    match param.spec() {
        DistSpec::Fixed(v) => Some(*v),
        _ => None,
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "a text",
        Value::Integer(_) => "a whole number",
        Value::Float(_) => "a decimal number",
        Value::Boolean(_) => "true/false",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "a list",
        Value::Table(_) => "a table",
    }
}

/// A value as the analyst wrote it, for messages.
fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("\"{s}\""),
        Value::Integer(_) | Value::Float(_) | Value::Boolean(_) | Value::Datetime(_) => {
            v.to_string()
        }
        other => type_name(other).to_string(),
    }
}

/// The byte offset of the value at `path` in a parsed document, or of the deepest
/// part of the path that exists (so a missing key points at its table, and a
/// missing section at the top of the file).
fn locate(doc: &toml::de::DeTable<'_>, path: &[Segment]) -> usize {
    let mut table = doc;
    let mut found = 0;
    let mut rest = path.iter().peekable();
    while let Some(Segment::Key(key)) = rest.next() {
        let Some((k, v)) = table.get_key_value(key.as_str()) else {
            break;
        };
        found = k.span().start;
        let mut value = v;
        if let (Some(Segment::Index(i)), toml::de::DeValue::Array(items)) =
            (rest.peek(), value.get_ref())
        {
            rest.next();
            let Some(item) = items.get(*i) else {
                break;
            };
            value = item;
            found = value.span().start;
        }
        match value.get_ref() {
            toml::de::DeValue::Table(t) if rest.peek().is_some() => table = t,
            _ => {
                if rest.peek().is_none() {
                    found = value.span().start;
                }
                break;
            }
        }
    }
    found
}

/// `text` with each decimal integer too large for 64 bits written as a decimal
/// number (`99999999999999999999` becomes `99999999999999999999.0`), so that
/// validation reports it under its key with the rule it breaks rather than as a
/// syntax error. Positions shift by two columns after such a number on its line.
fn widen_big_integers(text: &str) -> std::borrow::Cow<'_, str> {
    let mut text = std::borrow::Cow::Borrowed(text);
    // Each pass widens one number: a file with more is a syntax error past that.
    for _ in 0..100 {
        let Err(e) = toml::from_str::<Table>(&text) else {
            break;
        };
        let Some(span) = e.span() else {
            break;
        };
        let found = text.get(span.clone()).unwrap_or("");
        let digits = found.trim_start_matches(['+', '-']);
        let decimal = digits.starts_with(|c: char| c.is_ascii_digit())
            && digits.chars().all(|c| c.is_ascii_digit() || c == '_');
        let message = e.message();
        if !decimal || !(message.contains("integer") || message.contains("too large")) {
            break;
        }
        text.to_mut().insert_str(span.end, ".0");
    }
    text
}

/// Line and column (from 1) of a byte offset.
/// A hint when the error sits on a number written with a decimal comma
/// (`reach_share = 0,6`), as French and Arabic writing has it.
fn decimal_comma_hint(text: &str, offset: usize) -> &'static str {
    let line_start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or("");
    let value = line.split_once('=').map_or("", |(_, v)| v).trim();
    let value = value.split('#').next().unwrap_or("").trim();
    let comma_number = value.split_once(',').is_some_and(|(a, b)| {
        !a.is_empty()
            && !b.is_empty()
            && a.trim_start_matches('-')
                .bytes()
                .all(|c| c.is_ascii_digit())
            && b.bytes().all(|c| c.is_ascii_digit())
    });
    if comma_number {
        "; numbers take a decimal point, not a comma (0.6, not 0,6)"
    } else {
        ""
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    line_cols(text, &[offset])[0]
}

/// Line and column (from 1, columns in characters) of each byte offset, in one
/// pass over the text however many offsets there are.
fn line_cols(text: &str, offsets: &[usize]) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut positions = vec![(1, 1); offsets.len()];
    let (mut line, mut col) = (1, 1);
    let mut chars = text.char_indices().peekable();
    for i in order {
        let target = offsets[i].min(text.len());
        while let Some(&(byte, c)) = chars.peek() {
            if byte >= target {
                break;
            }
            if c == '\n' {
                (line, col) = (line + 1, 1);
            } else {
                col += 1;
            }
            chars.next();
        }
        positions[i] = (line, col);
    }
    positions
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::oujda::OUJDA;

    #[test]
    fn a_decimal_comma_gets_a_hint() {
        let text = "[labour]\nreach_share = 0,6\n";
        let e = Scenario::parse_table(text, "x.toml").unwrap_err();
        assert!(e.problems[0].message.contains("decimal point"), "{e}");
        let e = Scenario::parse_table("[labour]\nreach_share = ,\n", "x.toml").unwrap_err();
        assert!(!e.problems[0].message.contains("decimal point"), "{e}");
    }

    #[test]
    fn the_built_in_scenario_is_valid_and_round_trips() {
        let s = Scenario::from_toml_str(OUJDA, "oujda.toml").unwrap();
        assert_eq!(s.firms.len(), 5);
        let again = Scenario::from_toml_str(&s.to_resolved_toml(), "resolved").unwrap();
        assert_eq!(again.to_resolved_toml(), s.to_resolved_toml());
    }

    #[test]
    fn every_problem_is_reported_with_its_position() {
        let text = "[scenario]\nname = \"x\"\nstart = \"2020-13\"\n\n[target]\nheadcount = 10\nmonth = 99\n\n\
                    [[firm]]\nname = \"A\"\nseats = -5\nramp_months = 3\nsaets = 4\n";
        let err = Scenario::from_toml_str(text, "f.toml").unwrap_err();
        let shown = err.to_string();
        assert!(
            shown.contains("f.toml:3:9: scenario.start: is not a real month"),
            "{shown}"
        );
        assert!(
            shown.contains("f.toml:7:9: target.month: must be a whole number from 0 to 36, got 99"),
            "{shown}"
        );
        assert!(
            shown.contains("f.toml:11:9: firm[1].seats: must be a whole number >= 1, got -5"),
            "{shown}"
        );
        assert!(
            shown.contains("firm[1].saets: unknown key; did you mean `seats`?"),
            "{shown}"
        );
        assert_eq!(err.problems.len(), 4);
    }

    #[test]
    fn a_bad_horizon_causes_no_follow_on_problems() {
        let text = "[scenario]\nname = \"x\"\nstart = \"2020-07\"\nhorizon_months = 700\n\
                    [target]\nheadcount = 10\nmonth = 24\n\
                    [[firm]]\nname = \"A\"\nseats = 10\nramp_months = 3\nopens_month = 12\n";
        let err = Scenario::from_toml_str(text, "f.toml").unwrap_err();
        assert_eq!(err.problems.len(), 1, "{err}");
        assert_eq!(err.problems[0].key, "scenario.horizon_months");
    }

    #[test]
    fn distributions_must_stay_inside_the_allowed_range() {
        let text = "[scenario]\nname = \"x\"\nstart = \"2020-07\"\n[target]\nheadcount = 10\nmonth = 12\n\
                    [[firm]]\nname = \"A\"\nseats = 10\nramp_months = 3\n\
                    [labour]\nreach_share = { dist = \"normal\", mean = 0.7, sd = 0.1 }\n";
        let err = Scenario::from_toml_str(text, "f.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("labour.reach_share: the distribution is unbounded, but this must be a share from 0 to 1"),
            "{err}"
        );
    }
}
