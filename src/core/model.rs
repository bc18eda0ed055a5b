//! One path of the model: parameter draws, firm state and the monthly step of
//! docs/model.md section 4, writing the figures of section 5 into a [`Trajectory`].
//!
//! Every transition is one aggregate draw (a binomial for "how many of these 412
//! people leave"), never a loop over people. Each kind of draw comes from its own
//! random stream (`Streams`), so a change to one mechanism (say, hiring) leaves
//! the draws of the others (say, firm arrivals) untouched on every path: the
//! common random numbers that policy comparisons rely on.

use std::sync::OnceLock;

use ndarray::Array2;
use rand::rngs::Xoshiro256PlusPlus;

use crate::core::dist::{DistSpec, Param};
use crate::core::given::{Given, InputColumns, input_key, name_key};
use crate::core::sampling::{Binomial, Poisson, TabledBinomial, bernoulli};
use crate::core::scenario::{FirmSpec, Group, Milestone, Reach, Scenario};
use crate::core::streams::{Purpose, keyed_stream, purpose_hash, stream};

/// Seats of one firm never grow past this through expansions, so no count can
/// overflow whatever the scenario says.
pub const SEAT_CEILING: u32 = 100_000_000;

/// The series recorded each month (docs/model.md section 5), in output order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Series {
    /// Total employed in operating firms, end of month.
    Headcount,
    /// Employed in firms of group `existing`.
    HeadcountExisting,
    /// Employed in firms of group `announced`.
    HeadcountAnnounced,
    /// Employed in firms that arrived unannounced.
    HeadcountNew,
    /// Total seats of operating firms.
    Seats,
    /// Unfilled seats of operating firms.
    Vacancies,
    /// Qualified pool, end of month.
    Pool,
    /// Hires during the month.
    Hires,
    /// Leavers during the month, closures included.
    Leavers,
    /// Operating sites (a firm of several sites counts each).
    Firms,
}

impl Series {
    /// All series, in output order.
    pub const ALL: [Series; 10] = [
        Series::Headcount,
        Series::HeadcountExisting,
        Series::HeadcountAnnounced,
        Series::HeadcountNew,
        Series::Seats,
        Series::Vacancies,
        Series::Pool,
        Series::Hires,
        Series::Leavers,
        Series::Firms,
    ];

    /// The name used in output files.
    pub fn name(self) -> &'static str {
        match self {
            Series::Headcount => "headcount",
            Series::HeadcountExisting => "headcount_existing",
            Series::HeadcountAnnounced => "headcount_announced",
            Series::HeadcountNew => "headcount_new",
            Series::Seats => "seats",
            Series::Vacancies => "vacancies",
            Series::Pool => "pool",
            Series::Hires => "hires",
            Series::Leavers => "leavers",
            Series::Firms => "firms",
        }
    }

    /// The series of a firm group's headcount.
    pub fn of_group(group: Group) -> Series {
        match group {
            Group::Existing => Series::HeadcountExisting,
            Group::Announced => Series::HeadcountAnnounced,
            Group::New => Series::HeadcountNew,
        }
    }
}

/// What one path produced: every series at every month, and how often hiring was
/// held back by labour.
#[derive(Clone, Debug)]
pub struct Trajectory {
    /// `values[[series, month]]`, series in [`Series::ALL`] order.
    pub values: Array2<u32>,
    /// Months in which firms had vacancies they could fill (`D > 0`).
    pub demand_months: u32,
    /// Of those, months in which candidates were fewer than openings (`A < D`).
    pub labour_limited_months: u32,
}

impl Trajectory {
    /// An empty trajectory for months `0..=horizon`.
    pub fn new(horizon: u32) -> Trajectory {
        Trajectory {
            values: Array2::zeros((Series::ALL.len(), horizon as usize + 1)),
            demand_months: 0,
            labour_limited_months: 0,
        }
    }

    /// The value of `series` at month `m`.
    pub fn get(&self, series: Series, m: u32) -> u32 {
        self.values[[series as usize, m as usize]]
    }
}

/// The input columns named `names` (as [`Inputs`] names them), with the
/// distributions of `scenario`; the error is a name the scenario lacks.
pub fn input_columns(scenario: &Scenario, names: &[String]) -> Result<InputColumns, String> {
    let mut lookup = scenario.clone();
    let mut columns = InputColumns::default();
    for name in names {
        let param_name = match name.strip_suffix(".happens") {
            Some(firm) => format!("{firm}.probability"),
            None => name.clone(),
        };
        let param = lookup.param_mut(&param_name).ok_or_else(|| name.clone())?;
        columns.push(input_key(name), param.spec().clone());
    }
    Ok(columns)
}

/// The per-purpose streams of one path.
struct Streams {
    arrivals: Xoshiro256PlusPlus,
    closures: Xoshiro256PlusPlus,
    attrition: Xoshiro256PlusPlus,
    ageing: Xoshiro256PlusPlus,
    pool: Xoshiro256PlusPlus,
    hiring: Xoshiro256PlusPlus,
    expansion: Xoshiro256PlusPlus,
}

impl Streams {
    /// The streams of month `m` of a path. Each month starts its streams afresh,
    /// so when an option changes how many numbers one month's draws consume
    /// (a binomial with a larger `n`, say), the draws of later months stay
    /// paired with the base's.
    fn new(hashes: &StreamHashes, m: u32) -> Streams {
        let s = |hash| keyed_stream(hash, u64::from(m));
        let h = &hashes.0;
        Streams {
            arrivals: s(h[0]),
            closures: s(h[1]),
            attrition: s(h[2]),
            ageing: s(h[3]),
            pool: s(h[4]),
            hiring: s(h[5]),
            expansion: s(h[6]),
        }
    }
}

/// The [`purpose_hash`]es of a path's monthly streams, worked out once per path.
struct StreamHashes([u64; 7]);

impl StreamHashes {
    fn new(seed: u64, path: u64) -> StreamHashes {
        StreamHashes(
            [
                Purpose::Arrivals,
                Purpose::Closures,
                Purpose::Attrition,
                Purpose::Ageing,
                Purpose::Pool,
                Purpose::Hiring,
                Purpose::Expansion,
            ]
            .map(|purpose| purpose_hash(seed, path, purpose)),
        )
    }
}

/// The uncertain inputs of a path as drawn: one value per uncertain parameter
/// (and per firm whose coming is uncertain), in a fixed order.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// Names as the scenario spells them (`firm[Intelcia].ramp_months`); filled
    /// only when asked for, since building them costs an allocation each.
    pub names: Vec<String>,
    /// Drawn values, aligned with the names.
    pub values: Vec<f64>,
    keep_names: bool,
}

impl Inputs {
    /// An empty record; `with_names` also records names.
    pub fn new(with_names: bool) -> Inputs {
        Inputs {
            keep_names: with_names,
            ..Inputs::default()
        }
    }

    fn push(&mut self, name: &[&str], value: f64) {
        self.values.push(value);
        if self.keep_names {
            self.names.push(name.concat());
        }
    }

    fn clear(&mut self) {
        self.names.clear();
        self.values.clear();
    }
}

/// Draws named parameters, each from its own stream, optionally recording them.
struct ParamDraws<'r> {
    /// The path's [`purpose_hash`] for parameters.
    hash: u64,
    record: Option<&'r mut Inputs>,
    given: Option<&'r Given<'r>>,
    /// Factors of the scenario's relative changes, by input key.
    scales: &'r [(u64, f64)],
}

impl<'r> ParamDraws<'r> {
    fn new(
        seed: u64,
        path: u64,
        record: Option<&'r mut Inputs>,
        given: Option<&'r Given<'r>>,
        scales: &'r [(u64, f64)],
    ) -> ParamDraws<'r> {
        ParamDraws {
            hash: purpose_hash(seed, path, Purpose::Parameter),
            record,
            given,
            scales,
        }
    }

    /// `value` of the input keyed `key` after the scenario's relative change
    /// of it, if any (a whole-number input stays whole).
    fn scaled(&self, key: u64, param: &Param, value: f64) -> f64 {
        match self.scales.iter().find(|(k, _)| *k == key) {
            Some((_, factor)) if param.is_whole() => (value * factor).round(),
            Some((_, factor)) => value * factor,
            None => value,
        }
    }

    /// The given value of the input whose name has key `key`, if it is given
    /// under distribution `spec`.
    fn given(&self, key: u64, spec: &DistSpec) -> Option<f64> {
        let g = self.given?;
        g.columns.find(key, spec).map(|j| g.values[j])
    }

    /// The stream of the input whose name has key `key`.
    fn rng(&self, key: u64) -> Xoshiro256PlusPlus {
        keyed_stream(self.hash, key)
    }

    fn note(&mut self, name: &[&str], value: f64) {
        if let Some(record) = self.record.as_deref_mut() {
            record.push(name, value);
        }
    }

    fn draw(&mut self, name: &[&str], param: &Param) -> f64 {
        if !param.is_uncertain() {
            let value = param.sample(&mut NoRandomness);
            return if self.scales.is_empty() {
                value
            } else {
                self.scaled(name_key(name), param, value)
            };
        }
        let key = name_key(name);
        let value = match self.given(key, param.spec()) {
            Some(value) => value,
            None => param.sample(&mut self.rng(key)),
        };
        let value = self.scaled(key, param, value);
        self.note(name, value);
        value
    }

    fn count(&mut self, name: &[&str], param: &Param) -> u32 {
        // Validation bounds every whole-number parameter well inside u32.
        self.draw(name, param) as u32
    }
}

/// A fixed parameter consumes no randomness; this generator proves it by refusing.
struct NoRandomness;

impl rand::TryRng for NoRandomness {
    type Error = std::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        unreachable!("a fixed parameter draws no random number")
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        unreachable!("a fixed parameter draws no random number")
    }
    fn try_fill_bytes(&mut self, _: &mut [u8]) -> Result<(), Self::Error> {
        unreachable!("a fixed parameter draws no random number")
    }
}

/// A named firm's draws for one path.
#[derive(Clone, Copy, Debug)]
struct FirmDraw {
    happens: bool,
    seats: u32,
    headcount: u32,
    opens: u32,
    /// Linear ramp months; 0 for a firm with milestones.
    ramp: u32,
}

/// Draws every named firm's parameters into `out`, in file order.
fn draw_firms(s: &Scenario, d: &mut ParamDraws, out: &mut Vec<FirmDraw>) {
    out.clear();
    for f in &s.firms {
        let name = |field| ["firm[", f.name.as_str(), "].", field];
        let probability = d.draw(&name("probability"), &f.probability);
        // Whether the firm comes is an uncertain input of its own whenever
        // its probability can be below 1.
        let happens = if f.probability.support().0 < 1.0 {
            let key = name_key(&name("happens"));
            let happens = match d.given(key, f.probability.spec()) {
                Some(value) => value >= 0.5,
                None => bernoulli(&mut d.rng(key), probability),
            };
            d.note(&name("happens"), f64::from(u8::from(happens)));
            happens
        } else {
            true
        };
        out.push(FirmDraw {
            happens,
            seats: d.count(&name("seats"), &f.seats),
            headcount: d.count(&name("headcount"), &f.headcount),
            opens: d.count(&name("opens_month"), &f.opens_month),
            ramp: f
                .ramp_months
                .as_ref()
                .map_or(0, |r| d.count(&name("ramp_months"), r)),
        });
    }
}

/// All parameters of one path but the named firms', drawn once at its start.
struct PathParams {
    arrivals_per_month: f64,
    /// Arrivals in a month, prepared with `arrivals_per_month`.
    arrivals: Poisson,
    arrival_ramp: u32,
    initial_pool: u32,
    graduates: u32,
    graduate_share: Binomial,
    trainees_per_month: u32,
    completion: Binomial,
    pool_exit: Binomial,
    uptake: Binomial,
    /// The share of candidates joining the pool who are within commuting
    /// reach (1 when the reach applies to graduates only).
    reach_share: f64,
    reach: Binomial,
    return_share: Binomial,
    hazards: [Binomial; 3],
    closure: f64,
    expansion: f64,
    growth: f64,
}

/// The monthly ageing rates of the tenure bands: mean dwell 3 months in `new`
/// and 9 months in `settled` (docs/model.md section 4.4).
const SETTLING: f64 = 1.0 / 3.0;
const VETERANISING: f64 = 1.0 / 9.0;

/// Bands of up to this many people age by table (larger ones by [`Binomial`]).
const AGEING_TABLE_N: u32 = 2048;

/// The ageing draws `[settling, veteranising]`, tabled once per process
/// (about 5 MB, built in a few milliseconds on first use).
fn ageing() -> &'static [TabledBinomial; 2] {
    static TABLES: OnceLock<[TabledBinomial; 2]> = OnceLock::new();
    TABLES.get_or_init(|| [SETTLING, VETERANISING].map(|p| TabledBinomial::new(p, AGEING_TABLE_N)))
}

impl PathParams {
    /// Draws every parameter of a path but the named firms'. The names given
    /// here are the parameters' names in reports, and key their random streams.
    fn draw(s: &Scenario, d: &mut ParamDraws) -> PathParams {
        let a = &s.arrivals;
        let l = &s.labour;
        let t = &s.training;
        let at = &s.attrition;
        let multiplier = d.draw(&["attrition.multiplier"], &at.multiplier);
        let mut hazard = |name, p| Binomial::new((d.draw(&[name], p) * multiplier).min(1.0));
        let hazards = [
            hazard("attrition.hazard_new", &at.hazard_new),
            hazard("attrition.hazard_settled", &at.hazard_settled),
            hazard("attrition.hazard_veteran", &at.hazard_veteran),
        ];
        // Drawn in this order so that recorded inputs keep their order.
        let arrivals_per_month = d.draw(&["arrivals.firms_per_year"], &a.firms_per_year) / 12.0
            * d.draw(&["arrivals.rate_multiplier"], &a.rate_multiplier);
        let arrival_ramp = d.count(&["arrivals.ramp_months"], &a.ramp_months);
        let initial_pool = d.count(&["labour.initial_pool"], &l.initial_pool);
        let graduates = d.count(&["labour.graduates_per_year"], &l.graduates_per_year);
        let qualified = d.draw(&["labour.qualified_share"], &l.qualified_share);
        let reach = d.draw(&["labour.reach_share"], &l.reach_share);
        let (graduate_share, reach_share) = match l.reach_applies_to {
            Reach::All => (qualified, reach),
            Reach::Graduates => (qualified * reach, 1.0),
        };
        PathParams {
            hazards,
            arrivals_per_month,
            arrivals: Poisson::new(arrivals_per_month),
            arrival_ramp,
            initial_pool,
            graduates,
            graduate_share: Binomial::new(graduate_share),
            reach_share,
            reach: Binomial::new(reach_share),
            trainees_per_month: (d.draw(&["training.per_year"], &t.per_year) / 12.0).round() as u32,
            completion: Binomial::new(d.draw(&["training.completion_rate"], &t.completion_rate)),
            pool_exit: Binomial::new(d.draw(&["labour.pool_exit_monthly"], &l.pool_exit_monthly)),
            uptake: Binomial::new(d.draw(&["labour.uptake_monthly"], &l.uptake_monthly)),
            return_share: Binomial::new(
                d.draw(&["labour.leaver_return_share"], &l.leaver_return_share),
            ),
            closure: d.draw(&["closure.monthly_hazard"], &s.closure.monthly_hazard),
            expansion: d.draw(
                &["expansion.monthly_probability"],
                &s.expansion.monthly_probability,
            ),
            growth: d.draw(&["expansion.growth"], &s.expansion.growth),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Pending,
    Operating,
    Closed,
}

/// One firm's state on a path: a site, for a `[[firm]]` entry of several.
#[derive(Clone, Copy, Debug)]
struct Firm {
    group: Group,
    status: Status,
    opens: u32,
    seats: u32,
    /// Linear ramp months (unused with a plan).
    ramp: u32,
    /// The most a linear ramp hires in a month, `ceil(seats / ramp_months)`:
    /// set with the seats ([`ramp_step`]), so the monthly step divides nothing.
    ramp_step: u32,
    /// The stated hiring plan this site follows, if any.
    plan: Option<Plan>,
    /// Share of its hiring capacity open to remote workers.
    remote: f64,
    /// Headcount by tenure band: new (0-2 months), settled (3-11), veteran (12+).
    bands: [u32; 3],
}

/// A site's part in its firm's milestone plan.
#[derive(Clone, Copy, Debug)]
struct Plan {
    /// Index of the firm in the scenario's `[[firm]]` list.
    firm: u32,
    /// The firm's headcount at opening (the plan's starting point).
    start: u32,
    /// This site's index among the firm's `sites`.
    site: u32,
    sites: u32,
}

/// `ceil(seats / ramp)`, the monthly hiring cap of a linear ramp (`ramp` 0
/// counts as 1).
fn ramp_step(seats: u32, ramp: u32) -> u32 {
    seats.div_ceil(ramp.max(1))
}

/// The `site`-th of `parts` near-equal whole shares of `total` (largest
/// remainder with equal weights: the first `total % parts` get one more).
fn equal_share(total: u32, site: u32, parts: u32) -> u32 {
    total / parts + u32::from(site < total % parts)
}

/// `x.round() as u32` (half away from zero, saturating), without the library
/// call that `f64::round` is on baseline x86-64: the month's step makes
/// one per firm.
fn round_to_u32(x: f64) -> u32 {
    // Truncation saturates (0 for NaN and negatives); the fraction
    // `x - whole` of a double below 2^32 is exact.
    let whole = x as u32;
    whole.saturating_add(u32::from(x - f64::from(whole) >= 0.5))
}

/// The headcount a plan allows `age` months after opening: linear between
/// `(0, start)` and the milestones, rounded half away from zero; `None`
/// after the last milestone.
pub fn planned_headcount(milestones: &[Milestone], start: u32, age: u32) -> Option<u32> {
    let (mut from_month, mut from_headcount) = (0u32, start);
    for m in milestones {
        if age <= m.month {
            let span = f64::from(m.month - from_month);
            let step = f64::from(m.headcount) - f64::from(from_headcount);
            let done = f64::from(age - from_month);
            return Some(round_to_u32(f64::from(from_headcount) + step * done / span));
        }
        (from_month, from_headcount) = (m.month, m.headcount);
    }
    None
}

impl Firm {
    fn headcount(&self) -> u32 {
        self.bands.iter().sum()
    }

    /// Hires this site could make in month `m`. With a linear ramp: its
    /// vacancies, at most a `1/ramp_months` share of its seats. With a plan: the
    /// gap to the site's share of the planned headcount (its seats after the
    /// last milestone).
    fn capacity(&self, m: u32, specs: &[FirmSpec]) -> u32 {
        let headcount = self.headcount();
        let vacancies = self.seats.saturating_sub(headcount);
        let Some(plan) = self.plan else {
            return vacancies.min(self.ramp_step);
        };
        let milestones = &specs[plan.firm as usize].ramp;
        let allowed = planned_headcount(milestones, plan.start, m - self.opens)
            .map_or(self.seats, |firm| {
                equal_share(firm, plan.site, plan.sites).min(self.seats)
            });
        allowed.saturating_sub(headcount)
    }
}

/// The qualified pool: candidates within commuting reach, and beyond it.
#[derive(Clone, Copy, Debug, Default)]
struct Pool {
    near: u32,
    far: u32,
}

impl Pool {
    fn total(&self) -> u32 {
        self.near.saturating_add(self.far)
    }

    /// `n` candidates join: each within reach with the path's reach share.
    fn join(&mut self, p: &PathParams, rng: &mut Xoshiro256PlusPlus, n: u64) {
        let n = saturate(n);
        // Everyone is within reach at a share of 1: no draw, so a scenario
        // without a reach limit keeps the draws of version 0.1.
        let near = if p.reach_share < 1.0 {
            p.reach.sample(rng, n)
        } else {
            n
        };
        self.near = self.near.saturating_add(near);
        self.far = self.far.saturating_add(n - near);
    }

    /// The reach share changes from `from` to `to`: a wider reach brings the
    /// nearest of those beyond it within reach, a narrower one the reverse, so
    /// each candidate stays within reach under every wider reach.
    fn reach_changes(&mut self, from: f64, to: f64, rng: &mut Xoshiro256PlusPlus) {
        if to > from {
            let moving = Binomial::new((to - from) / (1.0 - from)).sample(rng, self.far);
            self.far -= moving;
            self.near = self.near.saturating_add(moving);
        } else {
            let moving = Binomial::new((from - to) / from).sample(rng, self.near);
            self.near -= moving;
            self.far = self.far.saturating_add(moving);
        }
    }
}

/// Reusable buffers for simulating paths one after another.
#[derive(Default)]
pub struct Workspace {
    draws: Vec<FirmDraw>,
    firms: Vec<Firm>,
    capacity: Vec<u64>,
    remote_capacity: Vec<u64>,
    hires: Vec<u32>,
    remote_hires: Vec<u32>,
    remainders: Vec<(std::cmp::Reverse<u64>, usize)>,
}

impl Workspace {
    /// Bytes its buffers fill for the last path simulated (their spare
    /// capacity is reserved but never touched, so takes no memory).
    pub fn heap_bytes(&self) -> u64 {
        use std::mem::size_of;
        (self.draws.len() * size_of::<FirmDraw>()
            + self.firms.len() * size_of::<Firm>()
            + (self.capacity.len() + self.remote_capacity.len()) * 8
            + (self.hires.len() + self.remote_hires.len()) * 4
            + self.remainders.len() * size_of::<(std::cmp::Reverse<u64>, usize)>()) as u64
    }
}

/// Simulates path `path` of `scenario` under master seed `seed` into `out`.
pub fn simulate_path(
    scenario: &Scenario,
    seed: u64,
    path: u64,
    work: &mut Workspace,
    out: &mut Trajectory,
) {
    simulate(scenario, seed, path, work, out, None, None);
}

/// Like [`simulate_path`], also recording the path's uncertain inputs.
pub fn simulate_path_with_inputs(
    scenario: &Scenario,
    seed: u64,
    path: u64,
    work: &mut Workspace,
    out: &mut Trajectory,
    inputs: &mut Inputs,
) {
    inputs.clear();
    simulate(scenario, seed, path, work, out, Some(inputs), None);
}

/// The names of `scenario`'s uncertain inputs, in the order the model draws
/// them (the order of [`Inputs`]).
pub fn input_names(scenario: &Scenario) -> Vec<String> {
    let mut inputs = Inputs::new(true);
    let mut nothing = Trajectory::new(0);
    simulate_path_with_inputs(
        scenario,
        0,
        0,
        &mut Workspace::default(),
        &mut nothing,
        &mut inputs,
    );
    inputs.names
}

/// Like [`simulate_path_with_inputs`] with the inputs in `given` taken as given
/// (not drawn), and its replayed months drawn from the particle's streams.
/// Simulates only as many months as `out` holds, so a calibration pays only for
/// the months it compares.
pub fn simulate_path_given(
    scenario: &Scenario,
    seed: u64,
    path: u64,
    given: &Given,
    work: &mut Workspace,
    out: &mut Trajectory,
) {
    simulate(scenario, seed, path, work, out, None, Some(given));
}

/// An earlier stage of a policy or package: its scenario and parameters, in
/// force before month `until`.
struct Stage<'s> {
    until: u32,
    scenario: &'s Scenario,
    params: PathParams,
}

/// The earlier stages of `scenario`, earliest first: none for a plain
/// scenario, or when no month and no training course falls before the policy.
fn earlier_stages<'s>(
    scenario: &'s Scenario,
    seed: u64,
    path: u64,
    given: Option<&Given>,
) -> Vec<Stage<'s>> {
    let mut stages = Vec::new();
    match &scenario.before {
        Some(b) if b.until_month > 0 || scenario.training.lag_months > 0 => {}
        _ => return stages,
    }
    let mut next = scenario;
    while let Some(b) = &next.before {
        let mut d = ParamDraws::new(seed, path, None, given, &b.scenario.scale_keys);
        stages.push(Stage {
            until: b.until_month,
            scenario: &b.scenario,
            params: PathParams::draw(&b.scenario, &mut d),
        });
        next = &b.scenario;
    }
    stages.reverse();
    stages
}

/// Opens the named firms of a path at month 0: each `[[firm]]` entry as its
/// sites, seats and starting headcount split among them.
fn open_firms(scenario: &Scenario, draws: &[FirmDraw], firms: &mut Vec<Firm>) {
    firms.clear();
    for (i, (spec, draw)) in scenario.firms.iter().zip(draws).enumerate() {
        if !draw.happens {
            continue;
        }
        let operating = draw.opens == 0;
        let sites = spec.sites;
        for site in 0..sites {
            let mut bands = [0; 3];
            if operating {
                largest_remainder(
                    equal_share(draw.headcount, site, sites),
                    &share_weights(spec.initial_tenure.shares()),
                    &mut bands,
                );
            }
            firms.push(Firm {
                group: spec.group,
                status: if operating {
                    Status::Operating
                } else {
                    Status::Pending
                },
                opens: draw.opens,
                seats: equal_share(draw.seats, site, sites),
                ramp: draw.ramp,
                ramp_step: ramp_step(equal_share(draw.seats, site, sites), draw.ramp),
                plan: (!spec.ramp.is_empty()).then_some(Plan {
                    firm: i as u32,
                    start: draw.headcount,
                    site,
                    sites,
                }),
                remote: spec.remote_share,
                bands,
            });
        }
    }
}

fn simulate(
    scenario: &Scenario,
    seed: u64,
    path: u64,
    work: &mut Workspace,
    out: &mut Trajectory,
    inputs: Option<&mut Inputs>,
    given: Option<&Given>,
) {
    // A scenario conditioned on a posterior gives each path a particle, picked
    // by weight from the path's own stream.
    let picked;
    let given = match (given, scenario.posterior.as_deref()) {
        (Some(g), _) => Some(g),
        (None, Some(posterior)) => {
            use rand::Rng;
            let u = stream(seed, path, Purpose::Particle, 0).next_u64();
            picked = posterior.given(posterior.pick(u));
            Some(&picked)
        }
        (None, None) => None,
    };
    let mut d = ParamDraws::new(seed, path, inputs, given, &scenario.scale_keys);
    draw_firms(scenario, &mut d, &mut work.draws);
    let after = PathParams::draw(scenario, &mut d);
    // A policy runs on the base's parameters before it starts (a package of
    // levers starting in different months, on each earlier stage's), and
    // trainees enrolled before then were enrolled under those. Every stage is
    // drawn from the same named streams (and given the same particle), so an
    // input no stage changes has the same value in all of them.
    let earlier = earlier_stages(scenario, seed, path, given);
    let until = earlier.last().map_or(0, |stage| stage.until);
    let stage_at = |m: u32| -> (&Scenario, &PathParams) {
        match earlier.iter().find(|stage| m < stage.until) {
            Some(stage) => (stage.scenario, &stage.params),
            None => (scenario, &after),
        }
    };
    let in_force = stage_at;
    open_firms(scenario, &work.draws, &mut work.firms);
    let firms = &mut work.firms;
    // The pool in two parts: candidates within commuting reach of the sites,
    // and candidates beyond it (who can take only remote seats).
    let hashes = StreamHashes::new(seed, path);
    // A particle's past is replayed: its months up to the last history point
    // draw from the particle's own streams, later months from the path's.
    let replay = given.and_then(|g| g.replay);
    let replayed = replay.map(|r| (r.until, StreamHashes::new(r.seed, r.path)));
    let hashes_of = |m: u32| match &replayed {
        Some((until, h)) if m <= *until => h,
        _ => &hashes,
    };
    let mut pool = Pool::default();
    pool.join(
        in_force(0).1,
        &mut Streams::new(hashes_of(0), 0).pool,
        u64::from(in_force(0).1.initial_pool),
    );
    out.demand_months = 0;
    out.labour_limited_months = 0;
    record(out, 0, firms, pool.total(), 0, 0);

    let [settle, veteranise] = ageing();
    let start_month = scenario.meta.start.month();
    let horizon = scenario
        .meta
        .horizon_months
        .min(out.values.ncols() as u32 - 1);
    for m in 1..=horizon {
        let (sc, p) = in_force(m);
        let mut rng = Streams::new(hashes_of(m), m);
        if m > 0 && m <= until {
            // A policy that changes reach brings candidates into reach (or
            // out of it) the month it starts.
            let was = in_force(m - 1).1.reach_share;
            if p.reach_share != was {
                pool.reach_changes(was, p.reach_share, &mut rng.pool);
            }
        }
        // 1. Openings: announced firms due this month, then unannounced arrivals.
        for f in firms.iter_mut() {
            if f.status == Status::Pending && f.opens == m {
                f.status = Status::Operating;
            }
        }
        if m >= sc.arrivals.first_month && p.arrivals_per_month > 0.0 {
            let arriving = p.arrivals.sample(&mut rng.arrivals);
            for _ in 0..arriving {
                let seats = sc.arrivals.seats.sample(&mut rng.arrivals) as u32;
                firms.push(Firm {
                    group: Group::New,
                    status: Status::Operating,
                    opens: m,
                    seats,
                    ramp: p.arrival_ramp,
                    ramp_step: ramp_step(seats, p.arrival_ramp),
                    plan: None,
                    remote: 0.0,
                    bands: [0; 3],
                });
            }
        }

        // 2. Closures, site by site: the staff are laid off, some return to
        // the pool. Sector-wide flows are summed in 64 bits: no scenario can
        // overflow them.
        let mut leavers = 0u64;
        let mut returns = 0u64;
        if p.closure > 0.0 {
            let mut closed = false;
            for f in firms.iter_mut().filter(|f| f.status == Status::Operating) {
                if bernoulli(&mut rng.closures, p.closure) {
                    let laid_off = f.headcount();
                    leavers += u64::from(laid_off);
                    // Returns are pool flows: drawn from the pool stream, so the
                    // closure stream depends only on which firms operate.
                    returns += u64::from(p.return_share.sample(&mut rng.pool, laid_off));
                    f.bands = [0; 3];
                    f.status = Status::Closed;
                    closed = true;
                }
            }
            if closed {
                // Closed for good: drop them so later months do not walk past them.
                firms.retain(|f| f.status != Status::Closed);
            }
        }

        // 3. Attrition by tenure band, then 4. ageing of the survivors.
        let mut quitters = 0u64;
        for f in firms.iter_mut().filter(|f| f.status == Status::Operating) {
            for (band, hazard) in f.bands.iter_mut().zip(&p.hazards) {
                let gone = hazard.sample(&mut rng.attrition, *band);
                *band -= gone;
                quitters += u64::from(gone);
            }
            let settling = settle.sample(&mut rng.ageing, f.bands[0]);
            let veteranising = veteranise.sample(&mut rng.ageing, f.bands[1]);
            f.bands[0] -= settling;
            // Added before subtracting: `veteranising` is at most the band as
            // it was, while `settling - veteranising` may be negative.
            f.bands[1] = f.bands[1] + settling - veteranising;
            f.bands[2] += veteranising;
        }
        leavers += quitters;
        returns += u64::from(p.return_share.sample(&mut rng.pool, saturate(quitters)));

        // 5. Pool: graduates (once a year), trainees and returns in; exits out.
        let calendar_month = (start_month - 1 + m) % 12 + 1;
        let mut joining = 0u64;
        if calendar_month == sc.labour.graduation_month {
            joining += u64::from(p.graduate_share.sample(&mut rng.pool, p.graduates));
        }
        // Trainees finishing now enrolled `lag_months` ago, under the
        // parameters then in force (the base's before month 1).
        let enrolled = i64::from(m) - i64::from(sc.training.lag_months);
        let course = match u32::try_from(enrolled) {
            Ok(month) if month >= 1 => stage_at(month).1,
            _ => earlier.first().map_or(&after, |stage| &stage.params),
        };
        joining += u64::from(
            course
                .completion
                .sample(&mut rng.pool, course.trainees_per_month),
        );
        pool.join(p, &mut rng.pool, joining + returns);
        pool.near -= p.pool_exit.sample(&mut rng.pool, pool.near);
        pool.far -= p.pool_exit.sample(&mut rng.pool, pool.far);

        // 6. Hiring, shared among firms by largest remainder: remote seats
        // first take candidates beyond commuting reach, then every seat takes
        // candidates within reach.
        work.capacity.clear();
        work.remote_capacity.clear();
        let mut remote_demand = 0u64;
        for f in firms.iter() {
            let capacity = if f.status == Status::Operating {
                u64::from(f.capacity(m, &scenario.firms))
            } else {
                0
            };
            let remote = u64::from(round_to_u32(capacity as f64 * f.remote));
            remote_demand += remote;
            work.capacity.push(capacity);
            work.remote_capacity.push(remote);
        }
        let demand: u64 = work.capacity.iter().sum();
        let mut hired = 0u32;
        if demand > 0 {
            let near = p.uptake.sample(&mut rng.hiring, pool.near);
            let far = if remote_demand > 0 {
                p.uptake.sample(&mut rng.hiring, pool.far)
            } else {
                0
            };
            let far_hired = remote_demand.min(u64::from(far));
            let near_hired = (demand - far_hired).min(u64::from(near));
            hired = (far_hired + near_hired) as u32;
            out.demand_months += 1;
            if u64::from(hired) < demand {
                out.labour_limited_months += 1;
            }
            work.hires.resize(firms.len(), 0);
            if far_hired > 0 {
                work.remote_hires.resize(firms.len(), 0);
                largest_remainder_with(
                    far_hired as u32,
                    &work.remote_capacity,
                    &mut work.remote_hires,
                    &mut work.remainders,
                );
                for (c, &h) in work.capacity.iter_mut().zip(&work.remote_hires) {
                    *c -= u64::from(h);
                }
            }
            largest_remainder_with(
                near_hired as u32,
                &work.capacity,
                &mut work.hires,
                &mut work.remainders,
            );
            if far_hired > 0 {
                for (h, &r) in work.hires.iter_mut().zip(&work.remote_hires) {
                    *h += r;
                }
            }
            for (f, &h) in firms.iter_mut().zip(&work.hires) {
                f.bands[0] += h;
            }
            pool.near -= near_hired as u32;
            pool.far -= far_hired as u32;
        }

        // 7. Expansion of full sites.
        if p.expansion > 0.0 {
            for f in firms.iter_mut().filter(|f| f.status == Status::Operating) {
                if u64::from(f.headcount()) * 100 >= u64::from(f.seats) * 95
                    && bernoulli(&mut rng.expansion, p.expansion)
                {
                    let extra = (f64::from(f.seats) * p.growth).round() as u32;
                    f.seats = f.seats.saturating_add(extra).min(SEAT_CEILING);
                    f.ramp_step = ramp_step(f.seats, f.ramp);
                }
            }
        }

        // 8. Record.
        record(out, m, firms, pool.total(), hired, saturate(leavers));
    }
}

/// A 64-bit count as a recorded 32-bit one: counts beyond 4,294,967,295 (far
/// past any real sector) saturate there.
fn saturate(v: u64) -> u32 {
    v.min(u64::from(u32::MAX)) as u32
}

fn record(out: &mut Trajectory, m: u32, firms: &[Firm], pool: u32, hires: u32, leavers: u32) {
    let mut by_group = [0u64; 3];
    let mut seats = 0u64;
    let mut vacancies = 0u64;
    let mut operating = 0u32;
    for f in firms.iter().filter(|f| f.status == Status::Operating) {
        let h = f.headcount();
        by_group[f.group as usize] += u64::from(h);
        seats += u64::from(f.seats);
        vacancies += u64::from(f.seats.saturating_sub(h));
        operating += 1;
    }
    let mut column = out.values.column_mut(m as usize);
    let mut set = |s: Series, v: u32| column[s as usize] = v;
    set(Series::Headcount, saturate(by_group.iter().sum()));
    for g in Group::ALL {
        set(Series::of_group(g), saturate(by_group[g as usize]));
    }
    set(Series::Seats, saturate(seats));
    set(Series::Vacancies, saturate(vacancies));
    set(Series::Pool, pool);
    set(Series::Hires, hires);
    set(Series::Leavers, leavers);
    set(Series::Firms, operating);
}

/// Splits `total` into whole parts proportional to `weights` by the largest
/// remainder method, in exact integer arithmetic: each part gets the floor of its
/// quota, and the units left go to the largest remainders, ties to the earlier
/// entry. A part never exceeds its weight when `total <= sum(weights)`, so hires
/// shared by capacity never overfill a firm.
pub fn largest_remainder(total: u32, weights: &[u64], out: &mut [u32]) {
    largest_remainder_with(total, weights, out, &mut Vec::new());
}

/// [`largest_remainder`] with a reusable buffer for the remainders, so that
/// the monthly step allocates nothing once the buffer has grown.
pub fn largest_remainder_with(
    total: u32,
    weights: &[u64],
    out: &mut [u32],
    remainders: &mut Vec<(std::cmp::Reverse<u64>, usize)>,
) {
    // Products stay below 2^63: totals are at most 2^32 and weights at most 10^9
    // (seats are capped at SEAT_CEILING, tenure weights are parts per billion).
    let sum: u64 = weights.iter().sum();
    if sum == u64::from(total) {
        // Every entry gets exactly its weight (all demand met: the usual case).
        for (o, &w) in out.iter_mut().zip(weights) {
            *o = w as u32;
        }
        return;
    }
    if sum == 0 {
        out.fill(0);
        return;
    }
    // Remainders of the first entries, kept on the stack (the usual case:
    // a few firms, a few units left).
    let mut first = [0u64; LARGEST_REMAINDER_STACK];
    let mut given = 0u32;
    for (i, (o, &w)) in out.iter_mut().zip(weights).enumerate() {
        let (part, remainder) = div_rem(u64::from(total) * w, sum);
        *o = part as u32;
        given += *o;
        if let Some(r) = first.get_mut(i) {
            *r = remainder;
        }
    }
    let left = (total - given) as usize;
    if left == 0 {
        return;
    }
    // Fewer units are left than there are entries with a nonzero remainder
    // (those remainders, each below `sum`, add up to `left * sum`): they go to
    // the largest remainders, ties to the earlier entry.
    if weights.len() <= LARGEST_REMAINDER_STACK {
        let remainders = &mut first[..weights.len()];
        for _ in 0..left {
            // The first largest, by selects rather than branches: which
            // remainder is largest so far is a coin toss to the processor.
            let (mut best, mut largest) = (0, remainders[0]);
            for (i, &r) in remainders.iter().enumerate().skip(1) {
                let larger = r > largest;
                best = std::hint::select_unpredictable(larger, i, best);
                largest = std::hint::select_unpredictable(larger, r, largest);
            }
            out[best] += 1;
            // Taken; zero is never the largest while units are left.
            remainders[best] = 0;
        }
        return;
    }
    // Many entries: sort out the largest remainders in the reusable buffer.
    remainders.clear();
    remainders.extend(
        weights
            .iter()
            .enumerate()
            .map(|(i, &w)| (std::cmp::Reverse(u64::from(total) * w % sum), i)),
    );
    remainders.select_nth_unstable(left - 1);
    for &(_, i) in &remainders[..left] {
        out[i] += 1;
    }
}

/// `(x / d, x % d)` for `x < 2^63` and `x / d < 2^32`, without a 64-bit
/// division: the floating-point quotient (relative error a few 2^-53, so
/// within one of the true quotient) corrected in exact integer arithmetic.
fn div_rem(x: u64, d: u64) -> (u64, u64) {
    let mut q = (x as f64 / d as f64) as u64;
    if q * d > x {
        q -= 1;
    }
    let mut r = x - q * d;
    if r >= d {
        q += 1;
        r -= d;
    }
    (q, r)
}

/// [`largest_remainder`] shares among at most this many entries without
/// allocating.
const LARGEST_REMAINDER_STACK: usize = 32;

/// Integer weights for a split by shares (parts per billion).
pub fn share_weights(shares: [f64; 3]) -> [u64; 3] {
    shares.map(|s| (s * 1e9).round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn largest_remainder_splits_exactly() {
        let mut out = [0; 3];
        largest_remainder(600, &share_weights([0.2, 0.5, 0.3]), &mut out);
        assert_eq!(out, [120, 300, 180]);
        largest_remainder(7, &[1, 1, 1], &mut out);
        assert_eq!(out, [3, 2, 2]);
    }

    #[test]
    fn hires_follow_capacity_with_ties_to_the_earlier_firm() {
        let mut out = [0; 4];
        largest_remainder(5, &[10, 10, 0, 10], &mut out);
        assert_eq!(out, [2, 2, 0, 1]);
        largest_remainder(30, &[10, 10, 0, 10], &mut out);
        assert_eq!(out, [10, 10, 0, 10]);
        largest_remainder(7, &[1, 100, 3, 6], &mut out);
        assert_eq!(out.iter().sum::<u32>(), 7);
        assert!(out.iter().zip([1, 100, 3, 6]).all(|(o, c)| *o <= c));
    }

    #[test]
    fn round_to_u32_rounds_as_round_does() {
        let cases = [
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            0.499_999_999_999_999_94,
            7.25,
            1e8 + 0.5,
            4_294_967_294.5,
            4_294_967_295.4,
            1e12,
            -0.5,
            -3.0,
            f64::NAN,
            f64::INFINITY,
        ];
        for x in cases {
            assert_eq!(round_to_u32(x), x.round() as u32, "{x}");
        }
    }

    proptest::proptest! {
        #[test]
        fn round_to_u32_agrees_with_round(x in -10.0f64..5e9) {
            proptest::prop_assert_eq!(round_to_u32(x), x.round() as u32);
        }

        #[test]
        fn largest_remainder_gives_every_unit_within_one_of_its_quota(
            weights in proptest::collection::vec(0u64..5000, 1..48),
            share in 0.0f64..=1.0,
        ) {
            let sum: u64 = weights.iter().sum();
            let total = (sum as f64 * share).floor() as u32;
            let mut out = vec![0; weights.len()];
            largest_remainder(total, &weights, &mut out);
            proptest::prop_assert_eq!(out.iter().sum::<u32>(), if sum == 0 { 0 } else { total });
            if sum > 0 {
                // Reference: floors, then one unit to each of the largest
                // remainders in a full sort, ties to the earlier entry.
                let x = |w: u64| u64::from(total) * w;
                let mut order: Vec<usize> = (0..weights.len()).collect();
                order.sort_by_key(|&i| (std::cmp::Reverse(x(weights[i]) % sum), i));
                let mut reference: Vec<u32> = weights.iter().map(|&w| (x(w) / sum) as u32).collect();
                let left = total - reference.iter().sum::<u32>();
                for &i in &order[..left as usize] {
                    reference[i] += 1;
                }
                proptest::prop_assert_eq!(&out, &reference);
            }
            for (&o, &w) in out.iter().zip(&weights) {
                proptest::prop_assert!(u64::from(o) <= w, "never above capacity");
                if sum > 0 {
                    let quota = f64::from(total) * w as f64 / sum as f64;
                    proptest::prop_assert!((f64::from(o) - quota).abs() < 1.0);
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn div_rem_is_exact(x in 0u64..(1 << 63), d in 1u64..(1 << 40)) {
            // Keep the quotient below 2^32, as div_rem requires.
            let d = d.max((x >> 32) + 1);
            proptest::prop_assert_eq!(div_rem(x, d), (x / d, x % d));
            // Exact multiples and their neighbours, where the estimate is
            // most often one off.
            let k = x / d;
            for y in [k * d, (k * d).saturating_sub(1), k * d + 1] {
                proptest::prop_assert_eq!(div_rem(y, d), (y / d, y % d));
            }
        }
    }

    #[test]
    fn streams_differ_by_every_coordinate() {
        use rand::Rng;
        let first = |seed, path, purpose, key| stream(seed, path, purpose, key).next_u64();
        let base = first(1, 2, Purpose::Hiring, 0);
        assert_ne!(base, first(2, 2, Purpose::Hiring, 0));
        assert_ne!(base, first(1, 3, Purpose::Hiring, 0));
        assert_ne!(base, first(1, 2, Purpose::Pool, 0));
        assert_ne!(base, first(1, 2, Purpose::Hiring, 1));
    }
}
