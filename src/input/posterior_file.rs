//! The posterior file (`posterior.csv`, written by `shorecast calibrate`) read
//! back as untrusted input and tied to a scenario: every column one of the
//! scenario's uncertain inputs, once; every value one its prior can give; every
//! row of the same calibration; the months it replays those of the scenario's
//! last history point.

use crate::core::model::{input_columns, input_names};
use crate::core::posterior::{FIXED_COLUMNS, Particles, Posterior};
use crate::core::scenario::Scenario;

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
        let columns = input_columns(scenario, &names)
            .map_err(|name| format!("its column {name} is not a scenario parameter"))?;
        check_replay_months(scenario, replay_months)?;
        let supports = supports(scenario, &names)?;
        if values.len() != weights.len() * names.len()
            || distances.len() != weights.len()
            || streams.len() != weights.len()
        {
            return Err("its rows do not all have one value per column".to_string());
        }
        for (i, row) in values.chunks(names.len().max(1)).enumerate() {
            for ((value, name), support) in row.iter().zip(&names).zip(&supports) {
                support.check(*value).map_err(|why| {
                    format!(
                        "line {}, column {name}: {value} {why}; the file was not written for this \
                         scenario, or was edited: calibrate the scenario again",
                        i + 2
                    )
                })?;
            }
        }
        if let Some(d) = distances.iter().find(|d| !(d.is_finite() && **d >= 0.0)) {
            return Err(format!(
                "a distance ({d}) is not a non-negative number; calibrate the scenario again"
            ));
        }
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
        for (c, name) in header.iter().enumerate().skip(fixed) {
            if header.iter().take(c).any(|earlier| earlier == name) {
                return Err(format!(
                    "its column {name} appears twice; calibrate the scenario again"
                ));
            }
        }
        let mut p = Particles {
            names: header.iter().skip(fixed).map(str::to_string).collect(),
            ..Particles::default()
        };
        for (row, record) in r.records().enumerate() {
            let line = row + 2;
            if row >= MAX_PARTICLES {
                return Err(format!(
                    "it has more than {MAX_PARTICLES} particles (line {line}); calibrate writes \
                     at most that many"
                ));
            }
            let record = record.map_err(|e| format!("cannot read line {line}: {e}"))?;
            if record.len() != header.len() {
                return Err(format!(
                    "line {line} has {} values for {} columns",
                    record.len(),
                    header.len()
                ));
            }
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
            if whole(0)? != row as u64 {
                return Err(format!(
                    "line {line}, column particle: particles are numbered 0, 1, 2 ... in row \
                     order, and this one should be {row}; the file was edited or put together \
                     from several calibrations"
                ));
            }
            for (c, what) in [(1, "weight"), (2, "distance")] {
                let value = number(c)?;
                if value < 0.0 {
                    return Err(format!("line {line}, column {what}: {value} is negative"));
                }
            }
            p.weights.push(number(1)?);
            p.distances.push(number(2)?);
            let (seed, replay_months) = (whole(3)?, whole(5)?);
            if row == 0 {
                p.seed = seed;
                p.replay_months = u32::try_from(replay_months)
                    .map_err(|_| format!("line {line}: replay_months is too large"))?;
            } else if seed != p.seed || replay_months != u64::from(p.replay_months) {
                return Err(format!(
                    "line {line} gives seed {seed} and replay_months {replay_months}, but line 2 \
                     gives {} and {}: every particle of one calibration shares them; the file was \
                     put together from several calibrations or edited, so calibrate again",
                    p.seed, p.replay_months
                ));
            }
            p.streams.push(whole(4)?);
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

/// Most particles a posterior file may hold: as many as `calibrate` writes.
pub const MAX_PARTICLES: usize = 1_000_000;

/// Checks that a posterior replays exactly the months up to the scenario's last
/// history point, as `calibrate` writes it: a newer history point needs a new
/// calibration, and a removed one leaves the particles fitted to a past the
/// scenario no longer states.
fn check_replay_months(scenario: &Scenario, replay_months: u32) -> Result<(), String> {
    let Some(last) = scenario.last_history_month() else {
        return Err(
            "the scenario has no [[history]] point after its start, so there is no past for the \
             posterior's particles to replay; remove [calibration].posterior or run with --prior"
                .to_string(),
        );
    };
    let date = |m: u32| scenario.date(m);
    match replay_months.cmp(&last) {
        std::cmp::Ordering::Equal => Ok(()),
        std::cmp::Ordering::Less => Err(format!(
            "it was fitted to the history up to {} (month {replay_months}), and the scenario now \
             has a history point in {} (month {last}); calibrate the scenario again to use the \
             new point, or run with --prior",
            date(replay_months),
            date(last)
        )),
        std::cmp::Ordering::Greater if replay_months > scenario.meta.horizon_months => {
            Err(format!(
                "its replay_months ({replay_months}) lies beyond the scenario's {} months; calibrate \
             the scenario again",
                scenario.meta.horizon_months
            ))
        }
        std::cmp::Ordering::Greater => Err(format!(
            "it was fitted to history up to {} (month {replay_months}), but the scenario's last \
             history point is now {} (month {last}); calibrate the scenario again",
            date(replay_months),
            date(last)
        )),
    }
}

/// The values an input of the scenario can take, as its prior states them.
enum Support {
    /// A range, whole numbers only when `whole`.
    Range { lo: f64, hi: f64, whole: bool },
    /// Whether an uncertain firm comes: 0 or 1, as its probability allows.
    Happens { never: bool, always: bool },
}

impl Support {
    /// Why `value` is not one the prior can give, if it is not.
    fn check(&self, value: f64) -> Result<(), String> {
        match *self {
            Support::Range { lo, hi, whole } => {
                if !(lo..=hi).contains(&value) {
                    Err(format!("lies outside the input's range, {lo} to {hi}"))
                } else if whole && value.fract() != 0.0 {
                    Err("is not a whole number, as the input is".to_string())
                } else {
                    Ok(())
                }
            }
            Support::Happens { never, always } => match value {
                0.0 if always => Err("is impossible: the firm comes with probability 1".into()),
                1.0 if never => Err("is impossible: the firm comes with probability 0".into()),
                0.0 | 1.0 => Ok(()),
                _ => Err("is not 0 or 1 (whether the firm comes)".to_string()),
            },
        }
    }
}

/// The prior support of each input named in `names`.
fn supports(scenario: &Scenario, names: &[String]) -> Result<Vec<Support>, String> {
    let mut lookup = scenario.clone();
    names
        .iter()
        .map(|name| {
            let missing = || format!("its column {name} is not a scenario parameter");
            match name.strip_suffix(".happens") {
                Some(firm) => {
                    let p = lookup
                        .param_mut(&format!("{firm}.probability"))
                        .ok_or_else(missing)?;
                    let (lo, hi) = p.support();
                    Ok(Support::Happens {
                        never: hi <= 0.0,
                        always: lo >= 1.0,
                    })
                }
                None => {
                    let p = lookup.param_mut(name).ok_or_else(missing)?;
                    let (lo, hi) = p.support();
                    Ok(Support::Range {
                        lo,
                        hi,
                        whole: p.is_whole(),
                    })
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::oujda::{OUJDA, OUJDA_POSTERIOR};

    fn oujda() -> Scenario {
        Scenario::from_toml_str(OUJDA, "oujda").unwrap()
    }

    #[test]
    fn picks_follow_the_weights_and_csv_round_trips() {
        let s = oujda();
        let shipped = Posterior::from_csv(&s, OUJDA_POSTERIOR).unwrap();
        let k = shipped.names.len();
        let particles = Particles {
            names: shipped.names.clone(),
            values: (0..3).flat_map(|i| shipped.particle(i).to_vec()).collect(),
            weights: vec![1.0, 0.0, 3.0],
            distances: vec![0.5, 0.25, 1.0],
            seed: 7,
            streams: vec![11, 12, 13],
            replay_months: 16,
        };
        let p = Posterior::new(&s, particles).unwrap();
        assert_eq!(p.particle(2).len(), k);
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
        let missing = "particle,weight,distance,seed,stream,replay_months\n0,1,0,1,1,16\n";
        assert!(
            Posterior::from_csv(&s, missing)
                .unwrap_err()
                .contains("no column")
        );
    }

    /// The shipped posterior with the cell of `column` replaced by `value` in
    /// its first particle, or in every particle when `every`.
    fn with_cell(column: &str, value: &str, every: bool) -> String {
        let mut lines: Vec<String> = OUJDA_POSTERIOR.lines().map(str::to_string).collect();
        let c = lines[0].split(',').position(|h| h == column).unwrap();
        let rows = if every { lines.len() } else { 2 };
        for line in &mut lines[1..rows] {
            let mut cells: Vec<&str> = line.split(',').collect();
            cells[c] = value;
            *line = cells.join(",");
        }
        lines.join("\n") + "\n"
    }

    #[test]
    fn values_outside_the_priors_are_refused_by_line_and_column() {
        let s = oujda();
        for (column, value, every, why) in [
            (
                "arrivals.firms_per_year",
                "1e9",
                false,
                "outside the input's range",
            ),
            ("firm[ECA Assurances].happens", "-1", false, "not 0 or 1"),
            ("firm[ECA Assurances].happens", "2", false, "not 0 or 1"),
            (
                "firm[ECA Assurances].opens_month",
                "1000000",
                false,
                "outside",
            ),
            (
                "firm[ECA Assurances].opens_month",
                "5.5",
                false,
                "not a whole number",
            ),
            ("labour.qualified_share", "2", false, "outside"),
            ("replay_months", "4294967295", true, "beyond the scenario"),
            ("replay_months", "15", true, "history point"),
            ("replay_months", "15", false, "line 2 gives"),
            ("seed", "1", false, "line 2 gives"),
        ] {
            let err = Posterior::from_csv(&s, &with_cell(column, value, every)).unwrap_err();
            assert!(err.contains(why), "{column} = {value}: {err}");
            if column.contains('.') {
                assert!(err.contains("line 2") && err.contains(column), "{err}");
            }
        }
    }

    #[test]
    fn duplicated_columns_and_ragged_rows_are_refused() {
        let s = oujda();
        let mut lines: Vec<String> = OUJDA_POSTERIOR.lines().map(str::to_string).collect();
        lines[0] = lines[0].replacen("labour.qualified_share", "labour.uptake_monthly", 1);
        let err = Posterior::from_csv(&s, &(lines.join("\n") + "\n")).unwrap_err();
        assert!(err.contains("appears twice"), "{err}");
        let mut lines: Vec<String> = OUJDA_POSTERIOR.lines().map(str::to_string).collect();
        lines[3].push_str(",7");
        let err = Posterior::from_csv(&s, &(lines.join("\n") + "\n")).unwrap_err();
        assert!(err.contains("line 4"), "{err}");
    }

    #[test]
    fn a_newer_history_point_asks_for_a_new_calibration() {
        let later = format!("{OUJDA}\n[[history]]\ndate = \"2021-01\"\nheadcount = 900\n");
        let s = Scenario::from_toml_str(&later, "oujda").unwrap();
        let err = Posterior::from_csv(&s, OUJDA_POSTERIOR).unwrap_err();
        assert!(
            err.contains("2021-01 (month 22)") && err.contains("calibrate"),
            "{err}"
        );
    }
}
