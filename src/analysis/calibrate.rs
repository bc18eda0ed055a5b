//! Calibration of a scenario's uncertain inputs to its observed history:
//! likelihood-free Bayesian inference by ABC population Monte Carlo
//! (Beaumont, Cornuet, Marin and Robert 2009), with each generation's tolerance
//! the weighted median of the previous generation's distances (as pyABC does).
//!
//! A particle is a vector of input values. Generation 0 draws `N` particles from
//! the priors and keeps them all. Generation `t` proposes by picking a particle of
//! generation `t - 1` by weight and moving each input with a Gaussian kernel of
//! twice the weighted variance, truncated to each input's prior range (whole
//! numbers rounded, `happens` inputs flipped with probability [`FLIP`]).
//! A proposal is simulated up to the last history month and accepted when every
//! history point is within the tolerance, in observation errors:
//! `|ln((sim + 1) / (obs + 1))| / ln(1 + uncertainty) <= epsilon`. Its weight is
//! its prior density over the proposal's mixture density.
//!
//! Accepting within `epsilon` observation errors makes the result the exact
//! posterior for a history whose log-errors are uniform within
//! `epsilon * ln(1 + uncertainty)` of the truth: at the final tolerance of 1,
//! each reported figure is taken to be within its stated relative error.
//!
//! Every random number is keyed by `(seed, generation, particle, attempt)`, and
//! each particle's attempts run in order, so the result is the same for any
//! number of threads.

use rand::Rng;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

use crate::analysis::sensitivity::ranks;
use crate::core::dist::Param;
use crate::core::given::{Given, InputColumns};
use crate::core::model::{
    Inputs, Series, Trajectory, Workspace, input_columns, input_names, simulate_path_given,
    simulate_path_with_inputs,
};
use crate::core::posterior::{Particles, Posterior};
use crate::core::scenario::{Observation, Scenario};

/// Chance that the kernel flips a `happens` input (whether an announced firm comes).
pub const FLIP: f64 = 0.05;

/// The quantile of the previous generation's distances that sets the next
/// tolerance.
pub const TOLERANCE_QUANTILE: f64 = 0.5;

/// A calibration that ends with a tolerance above this many observation errors
/// has not come near the history: it fails.
pub const REACH: f64 = 3.0;

/// How to calibrate.
#[derive(Clone, Copy, Debug)]
pub struct CalibrationOptions {
    /// Particles per generation.
    pub particles: u32,
    /// Master seed.
    pub seed: u64,
    /// Stop at this tolerance (observation errors).
    pub final_tolerance: f64,
    /// Stop when a generation's acceptance rate falls below this.
    pub min_acceptance: f64,
    /// The most generations after generation 0.
    pub max_generations: u32,
}

impl CalibrationOptions {
    /// The options a scenario's `[calibration]` table sets, under `seed`.
    pub fn from_scenario(scenario: &Scenario, seed: u64) -> CalibrationOptions {
        let c = &scenario.calibration;
        CalibrationOptions {
            particles: c.particles,
            seed,
            final_tolerance: c.final_tolerance,
            min_acceptance: c.min_acceptance,
            max_generations: c.max_generations,
        }
    }

    /// Attempts one particle may take before its generation is given up: at the
    /// minimum acceptance rate, a particle needs more than this with
    /// probability below `exp(-20)`.
    fn max_attempts(&self) -> u32 {
        (20.0 / self.min_acceptance).ceil() as u32
    }
}

/// A history point that calibration fits.
#[derive(Clone, Debug)]
pub struct FittedPoint {
    /// The observation.
    pub observation: Observation,
    /// Its model month.
    pub month: u32,
    /// Its observation error on the log scale, `ln(1 + uncertainty)`.
    pub sigma: f64,
}

impl FittedPoint {
    /// The standardised log-error of a simulated headcount (signed: positive
    /// when the simulation is above the observation).
    pub fn error(&self, simulated: u32) -> f64 {
        ((f64::from(simulated) + 1.0) / (f64::from(self.observation.headcount) + 1.0)).ln()
            / self.sigma
    }
}

/// The history points after the start that calibration fits, in month order.
pub fn fitted_points(scenario: &Scenario) -> Result<Vec<FittedPoint>, CalibrationError> {
    let start = scenario.meta.start;
    let mut points = Vec::new();
    for o in &scenario.history {
        let month = o.date.months_since(start);
        if month <= 0 {
            continue;
        }
        if month > i64::from(scenario.meta.horizon_months) {
            return Err(CalibrationError::AfterHorizon {
                date: o.date.to_string(),
            });
        }
        points.push(FittedPoint {
            observation: o.clone(),
            month: month as u32,
            sigma: (1.0 + o.uncertainty).ln(),
        });
    }
    if points.is_empty() {
        return Err(CalibrationError::NoHistory);
    }
    points.sort_by_key(|p| p.month);
    Ok(points)
}

/// Why a calibration could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CalibrationError {
    /// No history point lies after the start.
    #[error(
        "no [[history]] point lies after the scenario's start; add observed headcounts \
         (date and headcount) after [scenario].start"
    )]
    NoHistory,
    /// A history point lies after the horizon.
    #[error("the history point of {date} lies after the horizon; raise [scenario].horizon_months")]
    AfterHorizon {
        /// The point's date.
        date: String,
    },
    /// The scenario has no uncertain input to fit.
    #[error("the scenario has no uncertain input to fit; give some parameters a distribution")]
    NothingUncertain,
    /// The simulations never came near a history point.
    #[error("{0}")]
    OutOfReach(Box<OutOfReach>),
}

/// The history point the model could not reach, and what would move it.
#[derive(Clone, Debug)]
pub struct OutOfReach {
    /// Date of the point.
    pub date: String,
    /// Headcount observed.
    pub observed: u32,
    /// The simulated headcount closest to it among the priors' draws.
    pub nearest: u32,
    /// The tolerance the calibration ended at, in observation errors.
    pub tolerance: f64,
    /// Whether most of the priors' simulations fall below the point.
    pub below: bool,
    /// Inputs most correlated with the error at that point (Spearman), with the
    /// correlation, strongest first.
    pub responsible: Vec<(String, f64)>,
}

impl std::fmt::Display for OutOfReach {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let direction = if self.below { "below" } else { "above" };
        write!(
            f,
            "the model cannot reach the history point of {} ({} jobs): the closest of the \
             priors' simulations gave {}, and the best fit stayed {:.1} observation errors \
             away; most simulations are {direction} it. The inputs that move it most: ",
            self.date, self.observed, self.nearest, self.tolerance
        )?;
        let list: Vec<String> = self
            .responsible
            .iter()
            .map(|(name, r)| {
                let wanted = (*r > 0.0) == (direction == "below");
                format!(
                    "{name} (a {} value gets closer; rank correlation {r:+.2})",
                    if wanted { "higher" } else { "lower" }
                )
            })
            .collect();
        write!(
            f,
            "{}. Widen their ranges or check the history point and its uncertainty",
            list.join(", ")
        )
    }
}

/// What a generation did.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Generation {
    /// Its tolerance (infinite for generation 0).
    pub tolerance: f64,
    /// Simulations run.
    pub simulations: u64,
    /// Proposals outside the priors' ranges (not simulated).
    pub rejected_outside_prior: u64,
    /// Accepted simulations over simulations run.
    pub acceptance_rate: f64,
    /// Effective sample size of its weights.
    pub ess: f64,
    /// The weighted median of its particles' distances.
    pub median_distance: f64,
}

/// Why the calibration stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// The final tolerance was reached.
    FinalTolerance,
    /// A generation's acceptance rate fell below the minimum.
    MinAcceptance,
    /// The tolerance stopped falling.
    NoProgress,
    /// The most generations were run.
    MaxGenerations,
}

/// A finished calibration.
#[derive(Clone, Debug)]
pub struct Calibration {
    /// The last generation's particles.
    pub posterior: Posterior,
    /// The priors' draws of generation 0, for comparison.
    pub prior: Posterior,
    /// Every generation, 0 first.
    pub generations: Vec<Generation>,
    /// The history points fitted.
    pub points: Vec<FittedPoint>,
    /// Why it stopped.
    pub stop: StopReason,
    /// The options used.
    pub options: CalibrationOptions,
}

impl Calibration {
    /// The final tolerance reached, in observation errors.
    pub fn tolerance(&self) -> f64 {
        self.generations
            .last()
            .map_or(f64::INFINITY, |g| g.tolerance)
    }

    /// Simulations over all generations.
    pub fn simulations(&self) -> u64 {
        self.generations.iter().map(|g| g.simulations).sum()
    }
}

/// How an input is perturbed and what its prior density is.
#[derive(Clone, Debug)]
enum Kind {
    Real(Param),
    Whole(Param),
    /// Whether a firm comes, with its probability fixed or another input.
    Happens(Probability),
}

#[derive(Clone, Copy, Debug)]
enum Probability {
    Fixed(f64),
    Input(usize),
}

/// The uncertain inputs of a scenario, with their priors.
#[derive(Clone, Debug)]
pub struct InputSpace {
    /// Names, in the model's order.
    pub names: Vec<String>,
    kinds: Vec<Kind>,
    columns: InputColumns,
}

impl InputSpace {
    /// The uncertain inputs of `scenario`.
    pub fn new(scenario: &Scenario) -> InputSpace {
        let names = input_names(scenario);
        let mut lookup = scenario.clone();
        let kinds = names
            .iter()
            .map(|name| match name.strip_suffix(".happens") {
                Some(firm) => {
                    let probability = format!("{firm}.probability");
                    match names.iter().position(|n| *n == probability) {
                        Some(j) => Kind::Happens(Probability::Input(j)),
                        None => {
                            let p = lookup
                                .param_mut(&probability)
                                .expect("a firm's probability");
                            Kind::Happens(Probability::Fixed(p.support().0))
                        }
                    }
                }
                None => {
                    let p = lookup
                        .param_mut(name)
                        .expect("inputs are parameters")
                        .clone();
                    if p.is_whole() {
                        Kind::Whole(p)
                    } else {
                        Kind::Real(p)
                    }
                }
            })
            .collect();
        let columns = input_columns(scenario, &names).expect("inputs are parameters");
        InputSpace {
            names,
            kinds,
            columns,
        }
    }

    /// The prior density of `x` (up to a constant); 0 outside the priors' ranges.
    pub fn prior_density(&self, x: &[f64]) -> f64 {
        let mut density = 1.0;
        for (j, kind) in self.kinds.iter().enumerate() {
            density *= match kind {
                Kind::Real(p) | Kind::Whole(p) => p.density(x[j]),
                Kind::Happens(probability) => {
                    let p = match probability {
                        Probability::Fixed(p) => *p,
                        Probability::Input(i) => x[*i],
                    };
                    if x[j] >= 0.5 { p } else { 1.0 - p }
                }
            };
            if density == 0.0 {
                break;
            }
        }
        density
    }
}

/// The perturbation kernel of one generation: each input moves by a Gaussian
/// truncated to its prior's range (drawn again until inside), whole numbers
/// rounded (the rounded Gaussian truncated to the whole numbers in range), and
/// `happens` inputs flip with probability [`FLIP`]. Truncating each input on its
/// own keeps proposals inside the priors' ranges without rejecting whole
/// vectors, which with many inputs would reject most of them.
struct Kernel {
    /// Per-input standard deviation (unused for `happens`).
    sd: Vec<f64>,
    /// Per-input range.
    bounds: Vec<(f64, f64)>,
    /// For whole-number inputs: the log probability of each move `d` (before
    /// truncation), at index `d + span`.
    whole_log_mass: Vec<Vec<f64>>,
    /// Per ancestor: the log of its truncation constants, summed over inputs.
    log_norm: Vec<f64>,
}

/// The standard normal distribution function.
fn phi(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

impl Kernel {
    /// Twice the weighted variance of each input (Beaumont et al. 2009), floored
    /// so that a collapsed input can still move.
    fn new(space: &InputSpace, population: &Posterior) -> Kernel {
        let k = space.names.len();
        let mut sd = Vec::with_capacity(k);
        let mut bounds = Vec::with_capacity(k);
        let mut whole_log_mass = Vec::with_capacity(k);
        for j in 0..k {
            let (mut mean, mut square) = (0.0, 0.0);
            for i in 0..population.len() {
                let (w, x) = (population.weights[i], population.particle(i)[j]);
                mean += w * x;
                square += w * x * x;
            }
            let spread = (2.0 * (square - mean * mean).max(0.0)).sqrt();
            let (s, range, table) = match &space.kinds[j] {
                Kind::Whole(p) => {
                    let s = spread.max(0.5);
                    let (lo, hi) = p.support();
                    let span = (hi - lo) as i64;
                    let table = (-span..=span)
                        .map(|d| {
                            let d = d as f64;
                            (phi((d + 0.5) / s) - phi((d - 0.5) / s))
                                .max(f64::MIN_POSITIVE)
                                .ln()
                        })
                        .collect();
                    (s, (lo, hi), table)
                }
                Kind::Real(p) => {
                    let (lo, hi) = p.support();
                    let scale = if (hi - lo).is_finite() {
                        hi - lo
                    } else {
                        mean.abs().max(1.0)
                    };
                    (spread.max(1e-6 * scale), (lo, hi), Vec::new())
                }
                Kind::Happens(_) => (0.0, (0.0, 1.0), Vec::new()),
            };
            sd.push(s);
            bounds.push(range);
            whole_log_mass.push(table);
        }
        let mut kernel = Kernel {
            sd,
            bounds,
            whole_log_mass,
            log_norm: Vec::new(),
        };
        kernel.log_norm = (0..population.len())
            .map(|i| kernel.log_truncation(space, population.particle(i)))
            .collect();
        kernel
    }

    /// The log of the probability that an untruncated move from `from` stays
    /// in range, summed over inputs.
    fn log_truncation(&self, space: &InputSpace, from: &[f64]) -> f64 {
        let mut log = 0.0;
        for (j, kind) in space.kinds.iter().enumerate() {
            let (lo, hi) = self.bounds[j];
            let s = self.sd[j];
            let kept = match kind {
                Kind::Real(_) => phi((hi - from[j]) / s) - phi((lo - from[j]) / s),
                Kind::Whole(_) => phi((hi + 0.5 - from[j]) / s) - phi((lo - 0.5 - from[j]) / s),
                Kind::Happens(_) => 1.0,
            };
            log += kept.max(f64::MIN_POSITIVE).ln();
        }
        log
    }

    fn perturb(
        &self,
        space: &InputSpace,
        from: &[f64],
        rng: &mut Xoshiro256PlusPlus,
        to: &mut [f64],
    ) {
        for (j, kind) in space.kinds.iter().enumerate() {
            let (lo, hi) = self.bounds[j];
            to[j] = match kind {
                Kind::Real(_) | Kind::Whole(_) => {
                    let whole = matches!(kind, Kind::Whole(_));
                    // At least a few percent of the kernel's mass is in range
                    // (it is centred inside it), so this ends quickly; the cap
                    // only guards against the impossible.
                    let mut x = from[j];
                    for _ in 0..10_000 {
                        let z: f64 = StandardNormal.sample(rng);
                        let y = from[j] + self.sd[j] * z;
                        let y = if whole { y.round() } else { y };
                        if (lo..=hi).contains(&y) {
                            x = y;
                            break;
                        }
                    }
                    x
                }
                Kind::Happens(_) => {
                    let flip = rng.next_u64() < (FLIP * u64::MAX as f64) as u64;
                    if flip { 1.0 - from[j] } else { from[j] }
                }
            };
        }
    }

    /// The log density of moving ancestor `i` (at `from`) to `to`.
    fn log_density(&self, space: &InputSpace, i: usize, from: &[f64], to: &[f64]) -> f64 {
        let mut log = -self.log_norm[i];
        for (j, kind) in space.kinds.iter().enumerate() {
            log += match kind {
                Kind::Real(_) => {
                    let z = (to[j] - from[j]) / self.sd[j];
                    -0.5 * z * z - self.sd[j].ln()
                }
                Kind::Whole(_) => {
                    let table = &self.whole_log_mass[j];
                    let span = (table.len() / 2) as i64;
                    let d = (to[j] - from[j]) as i64;
                    table[(d + span).clamp(0, 2 * span) as usize]
                }
                Kind::Happens(_) => {
                    if to[j] == from[j] {
                        (1.0 - FLIP).ln()
                    } else {
                        FLIP.ln()
                    }
                }
            };
        }
        log
    }
}

/// The stream key of attempt `attempt` of particle `particle` in generation
/// `generation`: the path number its simulation runs under.
fn attempt_key(generation: u32, particle: u32, attempt: u32) -> u64 {
    crate::core::streams::calibration_attempt_key(generation, particle, attempt)
}

/// The generator of the kernel's choices for one attempt (ancestor, moves).
fn attempt_rng(seed: u64, key: u64) -> Xoshiro256PlusPlus {
    crate::core::streams::calibration_kernel_stream(seed, key)
}

/// One particle's outcome in a generation.
struct Draw {
    values: Vec<f64>,
    distance: f64,
    stream: u64,
    simulations: u64,
    rejected: u64,
}

/// The distance of a trajectory to the fitted points: the largest standardised
/// log-error.
fn distance(points: &[FittedPoint], t: &Trajectory) -> f64 {
    points
        .iter()
        .map(|p| p.error(t.get(Series::Headcount, p.month)).abs())
        .fold(0.0, f64::max)
}

/// A posterior whose particles no longer replay the pasts that calibration
/// accepted: the history points, the scenario's fixed inputs or shorecast's
/// random draws have changed since `calibrate` wrote it.
#[derive(Clone, Debug, PartialEq)]
pub struct StaleReplay {
    /// The first particle (row order) whose replayed past differs.
    pub particle: usize,
    /// Its distance to the history points when calibration accepted it.
    pub recorded: f64,
    /// Its replayed past's distance to today's history points.
    pub replayed: f64,
    /// How many particles differ.
    pub differing: usize,
}

/// Replays every particle of `posterior` as a forecast does (its inputs, and
/// its own streams up to the last history month) and checks that the past
/// comes out as calibration accepted it: at the distance to the history
/// points that the posterior records. A forecast from a posterior is only
/// fitted to the history while this holds.
pub fn check_replay(scenario: &Scenario, posterior: &Posterior) -> Result<(), StaleReplay> {
    let points = fitted_points(scenario).unwrap_or_default();
    let months = posterior.replay_months;
    let replayed: Vec<f64> = (0..posterior.len())
        .into_par_iter()
        .map_init(
            || (Workspace::default(), Trajectory::new(months)),
            |(work, t), i| {
                // Any seed and path: the replayed months draw from the
                // particle's own streams, as in a forecast.
                simulate_path_given(scenario, 0, i as u64, &posterior.given(i), work, t);
                distance(&points, t)
            },
        )
        .collect();
    // The recorded distances are written with every digit; the tolerance
    // only allows for a platform's logarithm differing in its last bits.
    let same = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(1.0);
    let differ: Vec<usize> = (0..posterior.len())
        .filter(|&i| !same(posterior.distances[i], replayed[i]))
        .collect();
    match differ.first() {
        None => Ok(()),
        Some(&particle) => Err(StaleReplay {
            particle,
            recorded: posterior.distances[particle],
            replayed: replayed[particle],
            differing: differ.len(),
        }),
    }
}

/// The forecasts from the priors and from the fitted posterior, on the same paths.
#[derive(Clone, Debug)]
pub struct Forecasts {
    /// From the priors.
    pub prior: crate::core::engine::RunResult,
    /// From the posterior.
    pub fitted: crate::core::engine::RunResult,
    /// The scenario with the posterior attached.
    pub fitted_scenario: Scenario,
}

/// Progress of a calibration, for a progress bar.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    /// The generation running.
    pub generation: u32,
    /// Its tolerance.
    pub tolerance: f64,
    /// Particles accepted so far in it.
    pub accepted: u64,
}

/// Calibrates the uncertain inputs of `scenario` to its history points after the
/// start. `progress` is called from worker threads.
pub fn calibrate(
    scenario: &Scenario,
    options: CalibrationOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Calibration, CalibrationError> {
    let points = fitted_points(scenario)?;
    let space = InputSpace::new(scenario);
    if space.names.is_empty() {
        return Err(CalibrationError::NothingUncertain);
    }
    let last_month = points[points.len() - 1].month;
    let n = options.particles;
    let done = std::sync::atomic::AtomicU64::new(0);
    let report = |generation, tolerance| {
        let accepted = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        progress(Progress {
            generation,
            tolerance,
            accepted,
        });
    };

    // Generation 0: the priors' draws, all kept.
    let draws: Vec<Draw> = (0..n)
        .into_par_iter()
        .map_init(
            || {
                (
                    Workspace::default(),
                    Trajectory::new(last_month),
                    Inputs::new(false),
                )
            },
            |(work, t, inputs), i| {
                let stream = attempt_key(0, i, 0);
                simulate_path_with_inputs(scenario, options.seed, stream, work, t, inputs);
                report(0, f64::INFINITY);
                Draw {
                    values: inputs.values.clone(),
                    distance: distance(&points, t),
                    stream,
                    simulations: 1,
                    rejected: 0,
                }
            },
        )
        .collect();
    let prior = population(
        scenario,
        &space,
        &draws,
        vec![1.0; n as usize],
        options.seed,
        last_month,
    );
    let mut generations = vec![generation_stats(f64::INFINITY, &draws, &prior)];
    let mut current = prior.clone();
    let mut stop = StopReason::MaxGenerations;
    let mut tolerance = f64::INFINITY;

    for g in 1..=options.max_generations {
        let next =
            weighted_median(&current.distances, &current.weights).max(options.final_tolerance);
        if next >= tolerance {
            stop = StopReason::NoProgress;
            break;
        }
        tolerance = next;
        done.store(0, std::sync::atomic::Ordering::Relaxed);
        let kernel = Kernel::new(&space, &current);
        let ancestors = &current;
        let draws: Option<Vec<Draw>> = (0..n)
            .into_par_iter()
            .map_init(
                || {
                    (
                        Workspace::default(),
                        Trajectory::new(last_month),
                        vec![0.0; space.names.len()],
                    )
                },
                |(work, t, proposal), i| {
                    let draw = propose(
                        scenario, &space, &kernel, ancestors, &points, options, tolerance, g, i,
                        work, t, proposal,
                    );
                    if draw.is_some() {
                        report(g, tolerance);
                    }
                    draw
                },
            )
            .collect();
        let Some(draws) = draws else {
            // A particle found no acceptable proposal: keep the last generation.
            stop = StopReason::MinAcceptance;
            break;
        };
        let weights: Vec<f64> = draws
            .par_iter()
            .map(|d| {
                let log_mixture = log_sum_exp((0..ancestors.len()).map(|j| {
                    ancestors.weights[j].ln()
                        + kernel.log_density(&space, j, ancestors.particle(j), &d.values)
                }));
                space.prior_density(&d.values) / log_mixture.exp()
            })
            .collect();
        current = population(scenario, &space, &draws, weights, options.seed, last_month);
        let stats = generation_stats(tolerance, &draws, &current);
        let acceptance = stats.acceptance_rate;
        generations.push(stats);
        if tolerance <= options.final_tolerance {
            stop = StopReason::FinalTolerance;
            break;
        }
        if acceptance < options.min_acceptance {
            stop = StopReason::MinAcceptance;
            break;
        }
    }

    let reached = generations.last().map_or(f64::INFINITY, |g| g.tolerance);
    if reached > REACH {
        return Err(out_of_reach(
            &space,
            &points,
            &prior,
            scenario,
            options.seed,
            reached,
        ));
    }
    Ok(Calibration {
        posterior: current,
        prior,
        generations,
        points,
        stop,
        options,
    })
}

/// Particles of the pilot of [`estimate`].
const PILOT_PARTICLES: u32 = 128;

/// Times the pilot's weighting is repeated; the median is kept, so that one
/// interruption of the machine does not decide a refusal.
const PILOT_REPEATS: usize = 5;

/// What a calibration will cost, from a pilot: each generation simulates every
/// particle at least once (more as the tolerance tightens: one attempt in
/// `1 / acceptance` is kept) and weighs every new particle against every
/// ancestor, which grows with the square of the particle count.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// Seconds of one simulation up to the last history point, on one thread.
    pub seconds_per_simulation: f64,
    /// Seconds of one ancestor-particle pair of the weighting, on one thread.
    pub seconds_per_pair: f64,
}

impl Estimate {
    /// Seconds of one generation after the first with `particles` particles on
    /// `threads` threads, counting one attempt per particle (a lower bound).
    pub fn generation_seconds(&self, particles: u32, threads: u64) -> f64 {
        let n = f64::from(particles);
        (n * self.seconds_per_simulation + n * n * self.seconds_per_pair) / threads.max(1) as f64
    }

    /// Seconds of the weighting alone of one generation.
    pub fn weighting_seconds(&self, particles: u32, threads: u64) -> f64 {
        let n = f64::from(particles);
        n * n * self.seconds_per_pair / threads.max(1) as f64
    }

    /// The most particles whose weighting takes at most `seconds` a generation.
    pub fn most_particles(&self, seconds: f64, threads: u64) -> u32 {
        let pairs = seconds * threads.max(1) as f64 / self.seconds_per_pair.max(1e-12);
        pairs.sqrt().min(f64::from(u32::MAX)) as u32
    }
}

/// Times a pilot of 128 draws from the priors on this thread:
/// their simulations, then the kernel weighting of every pair of them.
pub fn estimate(scenario: &Scenario, seed: u64) -> Result<Estimate, CalibrationError> {
    let points = fitted_points(scenario)?;
    let space = InputSpace::new(scenario);
    if space.names.is_empty() {
        return Err(CalibrationError::NothingUncertain);
    }
    let last_month = points[points.len() - 1].month;
    let (mut work, mut t, mut inputs) = (
        Workspace::default(),
        Trajectory::new(last_month),
        Inputs::new(false),
    );
    let started = std::time::Instant::now();
    let draws: Vec<Draw> = (0..PILOT_PARTICLES)
        .map(|i| {
            let stream = attempt_key(0, i, 0);
            simulate_path_with_inputs(scenario, seed, stream, &mut work, &mut t, &mut inputs);
            Draw {
                values: inputs.values.clone(),
                distance: distance(&points, &t),
                stream,
                simulations: 1,
                rejected: 0,
            }
        })
        .collect();
    let seconds_per_simulation = started.elapsed().as_secs_f64() / f64::from(PILOT_PARTICLES);
    let weights = vec![1.0; draws.len()];
    let pilot = population(scenario, &space, &draws, weights, seed, last_month);
    let kernel = Kernel::new(&space, &pilot);
    let pairs = (draws.len() * pilot.len()) as f64;
    let mut seconds: Vec<f64> = (0..PILOT_REPEATS)
        .map(|_| {
            let started = std::time::Instant::now();
            let mut total = 0.0;
            for d in &draws {
                total += log_sum_exp((0..pilot.len()).map(|j| {
                    pilot.weights[j].ln()
                        + kernel.log_density(&space, j, pilot.particle(j), &d.values)
                }));
            }
            std::hint::black_box(total);
            started.elapsed().as_secs_f64() / pairs
        })
        .collect();
    seconds.sort_by(f64::total_cmp);
    Ok(Estimate {
        seconds_per_simulation,
        seconds_per_pair: seconds[PILOT_REPEATS / 2],
    })
}

/// Proposes particle `i` of generation `g` until one is accepted, or gives up.
#[allow(clippy::too_many_arguments)]
fn propose(
    scenario: &Scenario,
    space: &InputSpace,
    kernel: &Kernel,
    ancestors: &Posterior,
    points: &[FittedPoint],
    options: CalibrationOptions,
    tolerance: f64,
    g: u32,
    i: u32,
    work: &mut Workspace,
    t: &mut Trajectory,
    proposal: &mut [f64],
) -> Option<Draw> {
    let (mut simulations, mut rejected) = (0, 0);
    for attempt in 0..options.max_attempts() {
        let key = attempt_key(g, i, attempt);
        let mut rng = attempt_rng(options.seed, key);
        let ancestor = ancestors.pick(rng.next_u64());
        kernel.perturb(space, ancestors.particle(ancestor), &mut rng, proposal);
        if space.prior_density(proposal) <= 0.0 {
            rejected += 1;
            continue;
        }
        let given = Given {
            columns: &space.columns,
            values: proposal,
            replay: None,
        };
        simulate_path_given(scenario, options.seed, key, &given, work, t);
        simulations += 1;
        let d = distance(points, t);
        if d <= tolerance {
            return Some(Draw {
                values: proposal.to_vec(),
                distance: d,
                stream: key,
                simulations,
                rejected,
            });
        }
    }
    None
}

fn log_sum_exp(terms: impl Iterator<Item = f64> + Clone) -> f64 {
    let top = terms.clone().fold(f64::NEG_INFINITY, f64::max);
    if top == f64::NEG_INFINITY {
        return top;
    }
    top + terms.map(|x| (x - top).exp()).sum::<f64>().ln()
}

fn population(
    scenario: &Scenario,
    space: &InputSpace,
    draws: &[Draw],
    weights: Vec<f64>,
    seed: u64,
    replay_months: u32,
) -> Posterior {
    let particles = Particles {
        names: space.names.clone(),
        values: draws
            .iter()
            .flat_map(|d| d.values.iter().copied())
            .collect(),
        weights,
        distances: draws.iter().map(|d| d.distance).collect(),
        seed,
        streams: draws.iter().map(|d| d.stream).collect(),
        replay_months,
    };
    Posterior::new(scenario, particles).expect("a population names the scenario's own inputs")
}

fn generation_stats(tolerance: f64, draws: &[Draw], population: &Posterior) -> Generation {
    let simulations: u64 = draws.iter().map(|d| d.simulations).sum();
    Generation {
        tolerance,
        simulations,
        rejected_outside_prior: draws.iter().map(|d| d.rejected).sum(),
        acceptance_rate: draws.len() as f64 / simulations as f64,
        ess: population.ess(),
        median_distance: weighted_median(&population.distances, &population.weights),
    }
}

/// The weighted median of `values`.
pub fn weighted_median(values: &[f64], weights: &[f64]) -> f64 {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let total: f64 = weights.iter().sum();
    let mut sum = 0.0;
    for &i in &order {
        sum += weights[i];
        if sum >= TOLERANCE_QUANTILE * total {
            return values[i];
        }
    }
    values[order[order.len() - 1]]
}

/// Names the point the calibration could not reach and the inputs most
/// correlated with its error among the priors' draws.
fn out_of_reach(
    space: &InputSpace,
    points: &[FittedPoint],
    prior: &Posterior,
    scenario: &Scenario,
    seed: u64,
    tolerance: f64,
) -> CalibrationError {
    // Re-simulate the priors' draws (cheap) for their error at each point.
    let horizon = points[points.len() - 1].month;
    let errors: Vec<Vec<f64>> = (0..prior.len())
        .into_par_iter()
        .map_init(
            || (Workspace::default(), Trajectory::new(horizon)),
            |(work, t), i| {
                let given = Given {
                    columns: &space.columns,
                    values: prior.particle(i),
                    replay: None,
                };
                simulate_path_given(scenario, seed, prior.streams[i], &given, work, t);
                points
                    .iter()
                    .map(|p| p.error(t.get(Series::Headcount, p.month)))
                    .collect()
            },
        )
        .collect();
    // The point out of reach: the one whose best prior draw is farthest.
    let worst = (0..points.len())
        .max_by(|&a, &b| {
            let best = |k: usize| {
                errors
                    .iter()
                    .map(|e| e[k].abs())
                    .fold(f64::INFINITY, f64::min)
            };
            best(a).total_cmp(&best(b))
        })
        .expect("at least one point");
    let point = &points[worst];
    let nearest = errors
        .iter()
        .map(|e| e[worst])
        .min_by(|a, b| a.abs().total_cmp(&b.abs()))
        .expect("at least one particle");
    let nearest_count =
        ((f64::from(point.observation.headcount) + 1.0) * (nearest * point.sigma).exp() - 1.0)
            .round()
            .max(0.0) as u32;
    let error_ranks = ranks(&errors.iter().map(|e| e[worst]).collect::<Vec<_>>());
    let mut responsible: Vec<(String, f64)> = space
        .names
        .iter()
        .enumerate()
        .map(|(j, name)| {
            let x: Vec<f64> = (0..prior.len()).map(|i| prior.particle(i)[j]).collect();
            (name.clone(), pearson(&ranks(&x), &error_ranks))
        })
        .filter(|(_, r)| r.is_finite())
        .collect();
    responsible.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
    responsible.truncate(3);
    CalibrationError::OutOfReach(Box::new(OutOfReach {
        date: point.observation.date.to_string(),
        observed: point.observation.headcount,
        nearest: nearest_count,
        tolerance,
        below: errors.iter().filter(|e| e[worst] < 0.0).count() * 2 > errors.len(),
        responsible,
    }))
}

fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    sxy / (sxx * syy).sqrt()
}
