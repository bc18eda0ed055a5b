//! A fitted posterior: weighted particles (values of every uncertain input) from
//! `shorecast calibrate`, written as `posterior.csv` and read back to forecast.
//!
//! A scenario with a posterior attached gives each path one particle, picked by
//! weight from the path's own random stream: the path takes the particle's
//! inputs, replays the particle's accepted simulation up to the last history
//! month (the same streams, so the same past), and then continues on its own
//! streams. Its past agrees with the observations; its future is fresh.

use crate::model::{Given, InputColumns, Replay, input_names};
use crate::scenario::Scenario;

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
    columns: InputColumns,
    /// Particle-major values: particle `i` is `values[i * names.len()..]`.
    values: Vec<f64>,
    /// Normalised weights.
    pub weights: Vec<f64>,
    cumulative: Vec<f64>,
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
    /// Ties `particles` to `scenario`, checking that they name exactly its
    /// uncertain inputs. Errors are sentences for
    /// the analyst.
    pub fn new(scenario: &Scenario, particles: Particles) -> Result<Posterior, String> {
        let Particles {
            names,
            values,
            weights,
            distances,
            seed,
            streams,
            replay_months,
        } = particles;
        let expected = input_names(scenario);
        for name in &expected {
            if !names.contains(name) {
                return Err(format!(
                    "it has no column {name}, an uncertain input of the scenario; \
                     calibrate the scenario again"
                ));
            }
        }
        if let Some(extra) = names.iter().find(|n| !expected.contains(n)) {
            return Err(format!(
                "its column {extra} is not an uncertain input of the scenario; \
                 calibrate the scenario again"
            ));
        }
        let columns = InputColumns::new(scenario, &names)
            .map_err(|name| format!("its column {name} is not a scenario parameter"))?;
        let total: f64 = weights.iter().sum();
        if weights.is_empty() || !(total > 0.0 && total.is_finite()) {
            return Err("its weights must be positive numbers".to_string());
        }
        if weights.iter().any(|w| w.is_nan() || *w < 0.0) {
            return Err("a weight is negative or not a number".to_string());
        }
        let weights: Vec<f64> = weights.iter().map(|w| w / total).collect();
        let mut sum = 0.0;
        let cumulative = weights
            .iter()
            .map(|w| {
                sum += w;
                sum
            })
            .collect();
        Ok(Posterior {
            names,
            columns,
            values,
            weights,
            cumulative,
            distances,
            seed,
            streams,
            replay_months,
        })
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

    /// Reads a posterior written by [`Posterior::to_csv`] and ties it to
    /// `scenario`. Errors are sentences naming the row or column.
    pub fn from_csv(scenario: &Scenario, text: &str) -> Result<Posterior, String> {
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let header = r
            .headers()
            .map_err(|e| format!("cannot read its header: {e}"))?
            .clone();
        let fixed = FIXED_COLUMNS.len();
        if header.len() < fixed || header.iter().take(fixed).ne(FIXED_COLUMNS) {
            return Err(format!(
                "its first columns must be {}; write it with `shorecast calibrate`",
                FIXED_COLUMNS.join(",")
            ));
        }
        let mut p = Particles {
            names: header.iter().skip(fixed).map(str::to_string).collect(),
            ..Particles::default()
        };
        for (row, record) in r.records().enumerate() {
            let line = row + 2;
            let record = record.map_err(|e| format!("cannot read line {line}: {e}"))?;
            let number = |c: usize| -> Result<f64, String> {
                record
                    .get(c)
                    .and_then(|v| v.trim().parse::<f64>().ok())
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| format!("line {line}, column {}: not a number", &header[c]))
            };
            let whole = |c: usize| -> Result<u64, String> {
                record
                    .get(c)
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .ok_or_else(|| {
                        format!("line {line}, column {}: not a whole number", &header[c])
                    })
            };
            p.weights.push(number(1)?);
            p.distances.push(number(2)?);
            p.seed = whole(3)?;
            p.streams.push(whole(4)?);
            p.replay_months = u32::try_from(whole(5)?)
                .map_err(|_| format!("line {line}: replay_months is too large"))?;
            for c in fixed..header.len() {
                p.values.push(number(c)?);
            }
        }
        if p.weights.is_empty() {
            return Err("it has no particles".to_string());
        }
        Posterior::new(scenario, p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::OUJDA;

    #[test]
    fn picks_follow_the_weights_and_csv_round_trips() {
        let s = Scenario::from_toml_str(OUJDA, "oujda").unwrap();
        let names = input_names(&s);
        let k = names.len();
        let particles = Particles {
            names,
            values: (0..3 * k).map(|v| v as f64 * 0.25).collect(),
            weights: vec![1.0, 0.0, 3.0],
            distances: vec![0.5, 0.25, 1.0],
            seed: 7,
            streams: vec![11, 12, 13],
            replay_months: 16,
        };
        // Values outside the inputs' ranges are fine here: only the format is tested.
        let p = Posterior::new(&s, particles).unwrap();
        assert_eq!(p.pick(0), 0);
        assert_eq!(p.pick(u64::MAX), 2);
        assert_eq!(p.pick(u64::MAX / 4 - 4096), 0);
        assert_eq!(p.pick(u64::MAX / 4 + 4096), 2);
        let back =
            Posterior::from_csv(&s, std::str::from_utf8(&p.to_csv().unwrap()).unwrap()).unwrap();
        assert_eq!(back.weights, p.weights);
        assert_eq!(back.values, p.values);
        assert_eq!(back.streams, p.streams);
        assert_eq!(back.replay_months, 16);
        let missing = "particle,weight,distance,seed,stream,replay_months\n0,1,0,1,1,1\n";
        assert!(
            Posterior::from_csv(&s, missing)
                .unwrap_err()
                .contains("no column")
        );
    }
}
