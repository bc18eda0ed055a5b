//! A fitted posterior: weighted particles (values of every uncertain input) from
//! `shorecast calibrate`, written as `posterior.csv` and read back to forecast.
//!
//! A scenario with a posterior attached gives each path one particle, picked by
//! weight from the path's own random stream: the path takes the particle's
//! inputs, replays the particle's accepted simulation up to the last history
//! month (the same streams, so the same past), and then continues on its own
//! streams. Its past agrees with the observations; its future is fresh.

use crate::core::given::{Given, InputColumns, Replay};

/// The columns of `posterior.csv` before the inputs.
pub const FIXED_COLUMNS: [&str; 6] = [
    "particle",
    "weight",
    "distance",
    "seed",
    "stream",
    "replay_months",
];

/// Weighted particles over the uncertain inputs of a scenario.
#[derive(Clone, Debug)]
pub struct Posterior {
    /// Input names, as the model names them (`firm[Intelcia].ramp_months`).
    pub names: Vec<String>,
    pub(crate) columns: InputColumns,
    /// Particle-major values: particle `i` is `values[i * names.len()..]`.
    pub(crate) values: Vec<f64>,
    /// Normalised weights.
    pub weights: Vec<f64>,
    pub(crate) cumulative: Vec<f64>,
    /// Each particle's distance to the history.
    pub distances: Vec<f64>,
    /// The calibration's master seed.
    pub seed: u64,
    /// Each particle's stream key in the calibration.
    pub streams: Vec<u64>,
    /// Months replayed from the particle's own simulation.
    pub replay_months: u32,
}

/// The particle data of a [`Posterior`], before it is tied to a scenario.
#[derive(Clone, Debug, Default)]
pub struct Particles {
    /// Input names.
    pub names: Vec<String>,
    /// Particle-major values.
    pub values: Vec<f64>,
    /// Weights (any positive scale).
    pub weights: Vec<f64>,
    /// Distances to the history.
    pub distances: Vec<f64>,
    /// The calibration's master seed.
    pub seed: u64,
    /// Stream keys.
    pub streams: Vec<u64>,
    /// Months replayed.
    pub replay_months: u32,
}

impl Posterior {
    /// Bytes its particles take.
    pub fn heap_bytes(&self) -> u64 {
        ((self.values.len() + 3 * self.weights.len()) * 8 + self.streams.len() * 8) as u64
    }

    /// Number of particles.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// True when there are no particles (never, once built).
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// The input values of particle `i`.
    pub fn particle(&self, i: usize) -> &[f64] {
        let k = self.names.len();
        &self.values[i * k..(i + 1) * k]
    }

    /// The particle that a uniform 64-bit number `u` picks, by weight.
    pub fn pick(&self, u: u64) -> usize {
        let x = (u >> 11) as f64 * (1.0 / (1u64 << 53) as f64) * self.cumulative[self.len() - 1];
        self.cumulative
            .partition_point(|&c| c <= x)
            .min(self.len() - 1)
    }

    /// What a path that picked particle `i` is given.
    pub fn given(&self, i: usize) -> Given<'_> {
        Given {
            columns: &self.columns,
            values: self.particle(i),
            replay: Some(Replay {
                seed: self.seed,
                path: self.streams[i],
                until: self.replay_months,
            }),
        }
    }

    /// Kish's effective sample size of the weights.
    pub fn ess(&self) -> f64 {
        1.0 / self.weights.iter().map(|w| w * w).sum::<f64>()
    }

    /// The weighted `p`-quantile of input `j`.
    pub fn quantile(&self, j: usize, p: f64) -> f64 {
        let mut order: Vec<usize> = (0..self.len()).collect();
        order.sort_by(|&a, &b| self.particle(a)[j].total_cmp(&self.particle(b)[j]));
        let mut sum = 0.0;
        for &i in &order {
            sum += self.weights[i];
            if sum >= p {
                return self.particle(i)[j];
            }
        }
        self.particle(order[order.len() - 1])[j]
    }

    /// The posterior as CSV text: the fixed columns, then one per input.
    pub fn to_csv(&self) -> Result<Vec<u8>, csv::Error> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header: Vec<&str> = FIXED_COLUMNS.to_vec();
        header.extend(self.names.iter().map(String::as_str));
        w.write_record(&header)?;
        for i in 0..self.len() {
            let mut row = vec![
                i.to_string(),
                self.weights[i].to_string(),
                self.distances[i].to_string(),
                self.seed.to_string(),
                self.streams[i].to_string(),
                self.replay_months.to_string(),
            ];
            row.extend(self.particle(i).iter().map(f64::to_string));
            w.write_record(&row)?;
        }
        w.into_inner().map_err(|e| e.into_error().into())
    }
}
