//! The validated scenario: every input of the model with its limits, as the
//! scenario file's checker (in `input`) makes it from a file.

use serde::{Serialize, Serializer};

use crate::core::calendar::YearMonth;
use crate::core::dist::Param;
use crate::core::local_text::LocalText;

/// The largest number of seats a site may plan; larger is certainly a typo.
pub const MAX_SEATS: f64 = 1_000_000.0;
/// The largest population figure (pool, graduates, trainees) a scenario may give.
pub const MAX_PEOPLE: f64 = 10_000_000.0;
/// The longest horizon, in months (50 years).
pub const MAX_HORIZON: i64 = 600;
/// The most paths one run may simulate.
pub const MAX_PATHS: i64 = 100_000_000;
/// The highest rate of unannounced firm arrivals, per year.
pub const MAX_FIRMS_PER_YEAR: f64 = 120.0;

/// The most unannounced firms one path may expect over its horizon.
pub const MAX_ARRIVALS: f64 = 5_000.0;
/// The most `[[firm]]` entries a scenario may have.
pub const MAX_FIRMS: usize = 1_000;
/// The most sites one `[[firm]]` entry may stand for.
pub const MAX_SITES: i64 = 1_000;

/// A validated scenario: every default filled in, every rule checked.
#[derive(Clone, Debug, Serialize)]
pub struct Scenario {
    /// Name, start and horizon.
    #[serde(rename = "scenario")]
    pub meta: Meta,
    /// The target to reach.
    pub target: Target,
    /// Default path count and seed.
    pub simulation: Simulation,
    /// Firms known at the start, in file order.
    #[serde(rename = "firm")]
    pub firms: Vec<FirmSpec>,
    /// Firms nobody has announced yet.
    pub arrivals: Arrivals,
    /// The qualified labour pool.
    pub labour: Labour,
    /// Training places feeding the pool.
    pub training: Training,
    /// Monthly leaving hazards by tenure band.
    pub attrition: Attrition,
    /// Site closures.
    pub closure: Closure,
    /// Seat expansions of full sites.
    pub expansion: Expansion,
    /// Observed headcounts, for charts, calibration and back-tests.
    pub history: Vec<Observation>,
    /// What the file left to neutral defaults, for the command line to show.
    #[serde(skip)]
    pub warnings: Vec<String>,
    /// For a policy: the base scenario, in force before the policy's start month
    /// (and for training courses begun before month 1). `None` for a plain file.
    #[serde(skip)]
    pub before: Option<Before>,
    /// Relative changes: each named input takes the value it would have
    /// (drawn, or given by a posterior particle) times its factor.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub scale: std::collections::BTreeMap<String, f64>,
    /// `scale` keyed as the model keys inputs.
    #[serde(skip)]
    pub scale_keys: Vec<(u64, f64)>,
    /// Calibration settings and the posterior file to forecast from.
    pub calibration: Calibration,
    /// The fitted posterior the paths draw their inputs from, once attached
    /// (see [`crate::core::posterior`]); `None` forecasts from the priors.
    #[serde(skip)]
    pub posterior: Option<std::sync::Arc<crate::core::posterior::Posterior>>,
}

/// The parameters in force before a policy starts.
#[derive(Clone, Debug)]
pub struct Before {
    /// First month in which the policy's parameters apply (0 = every month).
    pub until_month: u32,
    /// The base scenario.
    pub scenario: Box<Scenario>,
}

/// One milestone of a stated hiring plan: `headcount` reached `month` months
/// after the site opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Milestone {
    /// Months after opening.
    pub month: u32,
    /// Headcount planned by then (the whole firm, all its sites together).
    pub headcount: u32,
}

/// Which candidates `labour.reach_share` limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Reach {
    /// Every candidate in the pool: only `reach_share` of the candidates
    /// available in a month can take an on-site job (docs/model.md).
    All,
    /// Graduates only, as they join the pool (the behaviour before version 0.2).
    Graduates,
}

/// `[calibration]`: how `shorecast calibrate` fits the uncertain inputs, and the
/// posterior file that other commands forecast from.
#[derive(Clone, Debug, Serialize)]
pub struct Calibration {
    /// A posterior file (written by `shorecast calibrate`) to forecast from,
    /// relative to the scenario file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub posterior: Option<String>,
    /// Particles per generation.
    pub particles: u32,
    /// Stop once every history point is within this many observation errors.
    pub final_tolerance: f64,
    /// Stop when a generation accepts fewer than this share of its proposals.
    pub min_acceptance: f64,
    /// The most generations.
    pub max_generations: u32,
}

/// Relative error of a history point that states none: a reported figure
/// such as "about 600" is taken to be within about 10%.
pub const DEFAULT_UNCERTAINTY: f64 = 0.1;

/// `[scenario]`: name, description, calendar start and horizon.
#[derive(Clone, Debug, Serialize)]
pub struct Meta {
    /// Human-readable name, used in titles; may be given per language.
    pub name: LocalText,
    /// Optional longer description for reports; may be given per language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<LocalText>,
    /// The calendar month of model month 0.
    pub start: YearMonth,
    /// The last simulated month.
    pub horizon_months: u32,
}

impl Meta {
    /// Shows the name and description in language `code` where given.
    pub fn localise(&mut self, code: &str) {
        self.name.localise(code);
        if let Some(d) = &mut self.description {
            d.localise(code);
        }
    }
}

/// `[target]`: the headcount to reach and the month it should be reached by.
#[derive(Clone, Copy, Debug, Serialize, serde::Deserialize)]
pub struct Target {
    /// Jobs to reach.
    pub headcount: u32,
    /// Months after the start.
    pub month: u32,
}

/// `[simulation]`: defaults that the command line may override.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Simulation {
    /// Number of Monte Carlo paths.
    pub paths: u64,
    /// Master seed of all random streams.
    pub seed: u64,
}

/// The group a firm is reported under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    /// Operating before the start.
    Existing,
    /// Announced, named projects.
    Announced,
    /// Unannounced arrivals drawn by the model.
    New,
}

impl Group {
    /// All groups, in reporting order.
    pub const ALL: [Group; 3] = [Group::Existing, Group::Announced, Group::New];

    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Existing => "existing",
            Group::Announced => "announced",
            Group::New => "new",
        }
    }
}

/// Shares of a firm's starting headcount in each tenure band.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Tenure {
    /// 0-2 months.
    pub new: f64,
    /// 3-11 months.
    pub settled: f64,
    /// 12 months and more.
    pub veteran: f64,
}

impl Tenure {
    /// The default split of an existing workforce.
    pub const DEFAULT: Tenure = Tenure {
        new: 0.2,
        settled: 0.5,
        veteran: 0.3,
    };

    /// The shares as an array, bands in order new, settled, veteran.
    pub fn shares(&self) -> [f64; 3] {
        [self.new, self.settled, self.veteran]
    }
}

/// `[[firm]]`: one named firm.
#[derive(Clone, Debug, Serialize)]
pub struct FirmSpec {
    /// Name as written.
    pub name: String,
    /// Reporting group.
    pub group: Group,
    /// Planned headcount on the site.
    pub seats: Param,
    /// Employed at month 0 (only firms operating at month 0).
    pub headcount: Param,
    /// Month the site opens; 0 = operating at the start.
    pub opens_month: Param,
    /// Months to fill the seats when labour is plentiful (a linear ramp);
    /// `None` when the firm states milestones instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ramp_months: Option<Param>,
    /// Tenure split of the starting headcount.
    pub initial_tenure: Tenure,
    /// Chance that the project happens at all.
    pub probability: Param,
    /// Sites the entry stands for: seats and starting headcount are split
    /// among them, and each closes on its own.
    pub sites: u32,
    /// Share of the seats filled by remote workers, who may live beyond
    /// commuting reach.
    pub remote_share: f64,
    /// A stated hiring plan, milestones in month order; empty for a linear ramp.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ramp: Vec<Milestone>,
}

/// `[arrivals]`: firms nobody has announced yet.
#[derive(Clone, Debug, Serialize)]
pub struct Arrivals {
    /// Expected arrivals per year.
    pub firms_per_year: Param,
    /// Multiplier on that rate (policy lever: investor incentives).
    pub rate_multiplier: Param,
    /// Seats of each arriving firm, drawn afresh for each.
    pub seats: Param,
    /// Ramp-up of arriving firms.
    pub ramp_months: Param,
    /// First month in which a new firm may arrive.
    pub first_month: u32,
}

/// `[labour]`: the qualified pool and its flows.
#[derive(Clone, Debug, Serialize)]
pub struct Labour {
    /// Qualified pool at month 0.
    pub initial_pool: Param,
    /// Graduates a year in commuting reach.
    pub graduates_per_year: Param,
    /// Calendar month (1-12) in which graduates arrive.
    pub graduation_month: u32,
    /// Share of graduates who pass call-centre tests.
    pub qualified_share: Param,
    /// Share of candidates within commuting reach of the sites.
    pub reach_share: Param,
    /// Which candidates the reach limits.
    pub reach_applies_to: Reach,
    /// Monthly share of the pool leaving it (other jobs, emigration, study).
    pub pool_exit_monthly: Param,
    /// Monthly share of the pool taking up an offer.
    pub uptake_monthly: Param,
    /// Share of leavers and laid-off staff who return to the pool.
    pub leaver_return_share: Param,
}

/// `[training]`: training places feeding the pool.
#[derive(Clone, Debug, Serialize)]
pub struct Training {
    /// Trainees a year.
    pub per_year: Param,
    /// Share who complete and join the pool.
    pub completion_rate: Param,
    /// Course length: trainees join the pool this many months after enrolling.
    pub lag_months: u32,
}

/// `[attrition]`: monthly leaving hazards.
#[derive(Clone, Debug, Serialize)]
pub struct Attrition {
    /// Band `new` (0-2 months).
    pub hazard_new: Param,
    /// Band `settled` (3-11 months).
    pub hazard_settled: Param,
    /// Band `veteran` (12+ months).
    pub hazard_veteran: Param,
    /// Multiplier on all three.
    pub multiplier: Param,
}

/// `[closure]`: site closures.
#[derive(Clone, Debug, Serialize)]
pub struct Closure {
    /// Monthly chance that an operating site closes for good.
    pub monthly_hazard: Param,
}

/// `[expansion]`: seat expansions of full sites.
#[derive(Clone, Debug, Serialize)]
pub struct Expansion {
    /// Monthly chance that a site at 95% of its seats or more expands.
    pub monthly_probability: Param,
    /// Relative growth of seats at an expansion.
    pub growth: Param,
}

/// `[[history]]`: an observed headcount.
#[derive(Clone, Debug, Serialize)]
pub struct Observation {
    /// Calendar month of the observation.
    pub date: YearMonth,
    /// Jobs observed.
    pub headcount: u32,
    /// Relative measurement error (one standard deviation of the log error).
    pub uncertainty: f64,
    /// Where the figure comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Scenario {
    /// The scenario with every default filled in, as TOML.
    pub fn to_resolved_toml(&self) -> String {
        toml::to_string(self).expect("a validated scenario always serialises")
    }

    /// The parameter called `name`, as the model names inputs in reports
    /// (`labour.uptake_monthly`, `firm[Intelcia].ramp_months`).
    pub fn param_mut(&mut self, name: &str) -> Option<&mut Param> {
        if let Some(rest) = name.strip_prefix("firm[") {
            let (firm, field) = rest.rsplit_once("].")?;
            let f = self.firms.iter_mut().find(|f| f.name == firm)?;
            return match field {
                "seats" => Some(&mut f.seats),
                "headcount" => Some(&mut f.headcount),
                "opens_month" => Some(&mut f.opens_month),
                "ramp_months" => f.ramp_months.as_mut(),
                "probability" => Some(&mut f.probability),
                _ => None,
            };
        }
        let (a, l, t, at) = (
            &mut self.arrivals,
            &mut self.labour,
            &mut self.training,
            &mut self.attrition,
        );
        Some(match name {
            "arrivals.firms_per_year" => &mut a.firms_per_year,
            "arrivals.rate_multiplier" => &mut a.rate_multiplier,
            "arrivals.seats" => &mut a.seats,
            "arrivals.ramp_months" => &mut a.ramp_months,
            "labour.initial_pool" => &mut l.initial_pool,
            "labour.graduates_per_year" => &mut l.graduates_per_year,
            "labour.qualified_share" => &mut l.qualified_share,
            "labour.reach_share" => &mut l.reach_share,
            "labour.pool_exit_monthly" => &mut l.pool_exit_monthly,
            "labour.uptake_monthly" => &mut l.uptake_monthly,
            "labour.leaver_return_share" => &mut l.leaver_return_share,
            "training.per_year" => &mut t.per_year,
            "training.completion_rate" => &mut t.completion_rate,
            "attrition.hazard_new" => &mut at.hazard_new,
            "attrition.hazard_settled" => &mut at.hazard_settled,
            "attrition.hazard_veteran" => &mut at.hazard_veteran,
            "attrition.multiplier" => &mut at.multiplier,
            "closure.monthly_hazard" => &mut self.closure.monthly_hazard,
            "expansion.monthly_probability" => &mut self.expansion.monthly_probability,
            "expansion.growth" => &mut self.expansion.growth,
            _ => return None,
        })
    }

    /// The calendar month of model month `m`.
    pub fn date(&self, m: u32) -> YearMonth {
        self.meta.start.plus(m)
    }

    /// The model month of the last `[[history]]` point after the start (the
    /// months a calibration fits and a posterior replays), if any. Validation
    /// keeps every point within the horizon.
    pub fn last_history_month(&self) -> Option<u32> {
        self.history
            .iter()
            .map(|o| o.date.months_since(self.meta.start))
            .filter(|&m| m > 0)
            .max()
            .and_then(|m| u32::try_from(m).ok())
    }
}
