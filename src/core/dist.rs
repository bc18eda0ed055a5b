//! Uncertain parameters: a fixed number or a distribution drawn once per path.
//!
//! A [`Param`] keeps the numbers the analyst wrote ([`DistSpec`], used to write the
//! resolved scenario back out) beside a sampler built once at validation, so that a
//! path only pays for the draw itself.

use rand::Rng;
use rand_distr::{Distribution, LogNormal, Normal, Pert, Triangular, Uniform};
use serde::Serialize;

/// The 90th percentile of the standard normal distribution, used to turn a
/// lognormal's `{median, p90}` into its `sigma`.
const Z90: f64 = 1.281_551_565_544_600_5;

/// Truncation bounds that keep less than this share of a normal or lognormal are
/// refused: rejection sampling would be slow and the analyst probably mistyped.
const MIN_KEPT_MASS: f64 = 0.01;

/// How a parameter is written in a scenario file.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "dist", rename_all = "snake_case")]
pub enum DistSpec {
    /// A plain number (written without a `dist` table).
    #[serde(skip)]
    Fixed(f64),
    /// Uniform on `[min, max]`.
    Uniform { min: f64, max: f64 },
    /// Uniform on the whole numbers `min..=max`.
    UniformInt { min: i64, max: i64 },
    /// Triangular with the given mode.
    Triangular { min: f64, mode: f64, max: f64 },
    /// Beta-PERT with the given mode.
    Pert { min: f64, mode: f64, max: f64 },
    /// Normal, optionally truncated to `[min, max]`.
    Normal {
        mean: f64,
        sd: f64,
        #[serde(skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
    },
    /// Lognormal given by its median and 90th percentile, optionally truncated.
    Lognormal {
        median: f64,
        p90: f64,
        #[serde(skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
    },
}

/// The names accepted after `dist =`, with the keys each one takes.
pub const DIST_KEYS: &[(&str, &[&str], &[&str])] = &[
    ("uniform", &["min", "max"], &[]),
    ("uniform_int", &["min", "max"], &[]),
    ("triangular", &["min", "mode", "max"], &[]),
    ("pert", &["min", "mode", "max"], &[]),
    ("normal", &["mean", "sd"], &["min", "max"]),
    ("lognormal", &["median", "p90"], &["min", "max"]),
];

#[derive(Clone, Debug)]
enum Sampler {
    Fixed(f64),
    Uniform(Uniform<f64>),
    UniformInt(Uniform<i64>),
    Triangular(Triangular<f64>),
    Pert(Pert<f64>),
    Normal(Normal<f64>, f64, f64),
    LogNormal(LogNormal<f64>, f64, f64),
}

/// A validated parameter: its written form and a ready sampler.
#[derive(Clone, Debug)]
pub struct Param {
    spec: DistSpec,
    sampler: Sampler,
    whole: bool,
}

impl Param {
    /// A parameter that always takes `value`.
    pub fn fixed(value: f64) -> Param {
        Param {
            spec: DistSpec::Fixed(value),
            sampler: Sampler::Fixed(value),
            whole: false,
        }
    }

    /// Builds a parameter, checking the distribution's own consistency (not the
    /// range the model allows, which [`Param::support`] lets the caller check).
    pub fn new(spec: DistSpec) -> Result<Param, String> {
        let finite = |name: &str, v: f64| {
            if v.is_finite() {
                Ok(())
            } else {
                Err(format!("{name} must be a finite number, got {v}"))
            }
        };
        let ordered = |min: f64, mode: f64, max: f64| {
            finite("min", min)?;
            finite("mode", mode)?;
            finite("max", max)?;
            if min <= mode && mode <= max {
                Ok(())
            } else {
                Err(format!(
                    "needs min <= mode <= max, got min = {min}, mode = {mode}, max = {max}"
                ))
            }
        };
        let sampler = match spec {
            DistSpec::Fixed(v) => {
                finite("the value", v)?;
                Sampler::Fixed(v)
            }
            DistSpec::Uniform { min, max } => {
                finite("min", min)?;
                finite("max", max)?;
                if min > max {
                    return Err(format!("needs min <= max, got min = {min}, max = {max}"));
                }
                Uniform::new_inclusive(min, max)
                    .map(Sampler::Uniform)
                    .map_err(|e| e.to_string())?
            }
            DistSpec::UniformInt { min, max } => {
                if min > max {
                    return Err(format!("needs min <= max, got min = {min}, max = {max}"));
                }
                Uniform::new_inclusive(min, max)
                    .map(Sampler::UniformInt)
                    .map_err(|e| e.to_string())?
            }
            DistSpec::Triangular { min, mode, max } => {
                ordered(min, mode, max)?;
                if min == max {
                    Sampler::Fixed(min)
                } else {
                    Triangular::new(min, max, mode)
                        .map(Sampler::Triangular)
                        .map_err(|e| e.to_string())?
                }
            }
            DistSpec::Pert { min, mode, max } => {
                ordered(min, mode, max)?;
                if min == max {
                    Sampler::Fixed(min)
                } else {
                    Pert::new(min, max)
                        .with_mode(mode)
                        .map(Sampler::Pert)
                        .map_err(|e| e.to_string())?
                }
            }
            DistSpec::Normal { mean, sd, min, max } => {
                finite("mean", mean)?;
                finite("sd", sd)?;
                if sd <= 0.0 {
                    return Err(format!("sd must be > 0, got {sd}"));
                }
                let (lo, hi) = bounds(min, max)?;
                let kept = normal_cdf((hi - mean) / sd) - normal_cdf((lo - mean) / sd);
                check_kept(kept)?;
                let normal = Normal::new(mean, sd).map_err(|e| e.to_string())?;
                Sampler::Normal(normal, lo, hi)
            }
            DistSpec::Lognormal {
                median,
                p90,
                min,
                max,
            } => {
                finite("median", median)?;
                finite("p90", p90)?;
                if median <= 0.0 || p90 <= median {
                    return Err(format!(
                        "needs 0 < median < p90, got median = {median}, p90 = {p90}"
                    ));
                }
                let (lo, hi) = bounds(min, max)?;
                let (mu, sigma) = (median.ln(), (p90 / median).ln() / Z90);
                let z = |x: f64| {
                    if x <= 0.0 {
                        f64::NEG_INFINITY
                    } else {
                        (x.ln() - mu) / sigma
                    }
                };
                check_kept(normal_cdf(z(hi)) - normal_cdf(z(lo)))?;
                let lognormal = LogNormal::new(mu, sigma).map_err(|e| e.to_string())?;
                Sampler::LogNormal(lognormal, lo, hi)
            }
        };
        Ok(Param {
            spec,
            sampler,
            whole: false,
        })
    }

    /// Marks the parameter as a whole number: draws are rounded, halves away from zero.
    pub fn whole(mut self) -> Param {
        self.whole = true;
        self
    }

    /// The parameter with every draw multiplied by `factor` (> 0): the same
    /// distribution stretched, drawing the same random numbers as the original,
    /// so a scaled scenario stays paired with its base path by path.
    pub fn scaled(&self, factor: f64) -> Param {
        let f = |v: f64| v * factor;
        let o = |v: Option<f64>| v.map(f);
        let spec = match self.spec.clone() {
            DistSpec::Fixed(v) => DistSpec::Fixed(f(v)),
            DistSpec::Uniform { min, max } => DistSpec::Uniform {
                min: f(min),
                max: f(max),
            },
            DistSpec::UniformInt { min, max } => DistSpec::UniformInt {
                min: (min as f64 * factor).round() as i64,
                max: (max as f64 * factor).round() as i64,
            },
            DistSpec::Triangular { min, mode, max } => DistSpec::Triangular {
                min: f(min),
                mode: f(mode),
                max: f(max),
            },
            DistSpec::Pert { min, mode, max } => DistSpec::Pert {
                min: f(min),
                mode: f(mode),
                max: f(max),
            },
            DistSpec::Normal { mean, sd, min, max } => DistSpec::Normal {
                mean: f(mean),
                sd: f(sd),
                min: o(min),
                max: o(max),
            },
            DistSpec::Lognormal {
                median,
                p90,
                min,
                max,
            } => DistSpec::Lognormal {
                median: f(median),
                p90: f(p90),
                min: o(min),
                max: o(max),
            },
        };
        let scaled = Param::new(spec).expect("stretching a valid distribution keeps it valid");
        Param {
            whole: self.whole,
            ..scaled
        }
    }

    /// The written form of the parameter.
    pub fn spec(&self) -> &DistSpec {
        &self.spec
    }

    /// True when the parameter is a distribution rather than a number.
    pub fn is_uncertain(&self) -> bool {
        !matches!(self.sampler, Sampler::Fixed(_))
    }

    /// The smallest and largest values a draw can take (after rounding for whole
    /// numbers); infinite where the distribution is unbounded.
    pub fn support(&self) -> (f64, f64) {
        let (lo, hi) = match &self.sampler {
            Sampler::Fixed(v) => (*v, *v),
            Sampler::Normal(_, lo, hi) | Sampler::LogNormal(_, lo, hi) => (*lo, *hi),
            _ => match self.spec {
                DistSpec::Uniform { min, max }
                | DistSpec::Triangular { min, max, .. }
                | DistSpec::Pert { min, max, .. } => (min, max),
                DistSpec::UniformInt { min, max } => (min as f64, max as f64),
                _ => unreachable!("sampler and spec are built together"),
            },
        };
        if self.whole {
            (lo.round(), hi.round())
        } else {
            (lo, hi)
        }
    }

    /// True when draws are rounded to whole numbers.
    pub fn is_whole(&self) -> bool {
        self.whole
    }

    /// The prior density at `x`, up to a constant factor (truncation constants
    /// are left out); 0 outside the support. For whole-number parameters this is
    /// the density at the rounded value, which approximates the probability of
    /// that whole number (the density times the unit width of its bin).
    pub fn density(&self, x: f64) -> f64 {
        let (lo, hi) = self.support();
        if !(lo..=hi).contains(&x) {
            return 0.0;
        }
        match (&self.sampler, &self.spec) {
            (Sampler::Fixed(v), _) => f64::from(u8::from(x == *v)),
            (Sampler::Uniform(_), DistSpec::Uniform { min, max }) => 1.0 / (max - min),
            (Sampler::UniformInt(_), DistSpec::UniformInt { min, max }) => {
                1.0 / (max - min + 1) as f64
            }
            (Sampler::Triangular(_), DistSpec::Triangular { min, mode, max }) => {
                let x = x.clamp(*min, *max);
                let peak = 2.0 / (max - min);
                if x < *mode {
                    peak * (x - min) / (mode - min)
                } else if x > *mode {
                    peak * (max - x) / (max - mode)
                } else {
                    peak
                }
            }
            (Sampler::Pert(_), DistSpec::Pert { min, mode, max }) => {
                // Beta-PERT with shape 4: Beta(a, b) on [min, max].
                let width = max - min;
                let (a, b) = (
                    1.0 + 4.0 * (mode - min) / width,
                    1.0 + 4.0 * (max - mode) / width,
                );
                let u = ((x - min) / width).clamp(0.0, 1.0);
                let log_beta = libm::lgamma(a) + libm::lgamma(b) - libm::lgamma(a + b);
                ((a - 1.0) * u.ln() + (b - 1.0) * (1.0 - u).ln() - log_beta).exp() / width
            }
            (Sampler::Normal(d, _, _), _) => {
                let z = (x - d.mean()) / d.std_dev();
                (-0.5 * z * z).exp() / d.std_dev()
            }
            (Sampler::LogNormal(_, _, _), DistSpec::Lognormal { median, p90, .. }) => {
                if x <= 0.0 {
                    return 0.0;
                }
                let sigma = (p90 / median).ln() / Z90;
                let z = (x.ln() - median.ln()) / sigma;
                (-0.5 * z * z).exp() / (x * sigma)
            }
            _ => unreachable!("sampler and spec are built together"),
        }
    }

    /// Draws one value.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let x = match &self.sampler {
            Sampler::Fixed(v) => *v,
            Sampler::Uniform(d) => d.sample(rng),
            Sampler::UniformInt(d) => d.sample(rng) as f64,
            Sampler::Triangular(d) => d.sample(rng),
            Sampler::Pert(d) => d.sample(rng),
            Sampler::Normal(d, lo, hi) => rejection(rng, d, *lo, *hi),
            Sampler::LogNormal(d, lo, hi) => rejection(rng, d, *lo, *hi),
        };
        if self.whole { x.round() } else { x }
    }
}

impl Serialize for Param {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.spec {
            DistSpec::Fixed(v) if self.whole => serializer.serialize_i64(*v as i64),
            DistSpec::Fixed(v) => serializer.serialize_f64(*v),
            spec => spec.serialize(serializer),
        }
    }
}

fn bounds(min: Option<f64>, max: Option<f64>) -> Result<(f64, f64), String> {
    let lo = min.unwrap_or(f64::NEG_INFINITY);
    let hi = max.unwrap_or(f64::INFINITY);
    if lo.is_nan() || hi.is_nan() || lo >= hi {
        return Err(format!("needs min < max, got min = {lo}, max = {hi}"));
    }
    Ok((lo, hi))
}

fn check_kept(kept: f64) -> Result<(), String> {
    if kept < MIN_KEPT_MASS {
        Err(format!(
            "min and max keep only {:.2}% of the distribution; widen them or move the centre",
            kept * 100.0
        ))
    } else {
        Ok(())
    }
}

/// The standard normal distribution function.
fn normal_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

/// Draws from `d` until the value falls in `[lo, hi]`. Validation guarantees the
/// interval keeps at least [`MIN_KEPT_MASS`], so the expected number of tries is at
/// most 100; the result is an exact draw from the truncated distribution.
fn rejection<R: Rng + ?Sized, D: Distribution<f64>>(rng: &mut R, d: &D, lo: f64, hi: f64) -> f64 {
    loop {
        let x = d.sample(rng);
        if (lo..=hi).contains(&x) {
            return x;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;

    #[test]
    fn a_scaled_parameter_stretches_the_same_draws() {
        let specs = [
            DistSpec::Pert {
                min: 10.0,
                mode: 25.0,
                max: 50.0,
            },
            DistSpec::Lognormal {
                median: 300.0,
                p90: 800.0,
                min: Some(50.0),
                max: Some(2000.0),
            },
            DistSpec::Fixed(800.0),
        ];
        for spec in specs {
            let p = Param::new(spec).unwrap().whole();
            let doubled = p.scaled(2.0);
            let (a, b) = (p.support(), doubled.support());
            assert_eq!((b.0, b.1), (a.0 * 2.0, a.1 * 2.0));
            let mut r1 = Xoshiro256PlusPlus::seed_from_u64(7);
            let mut r2 = Xoshiro256PlusPlus::seed_from_u64(7);
            for _ in 0..1000 {
                // Whole numbers round after stretching: within one of twice the draw.
                let (x, y) = (p.sample(&mut r1), doubled.sample(&mut r2));
                assert!((y - 2.0 * x).abs() <= 1.0, "{x} {y}");
            }
        }
    }

    fn mean_of(p: &Param, n: usize) -> f64 {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        (0..n).map(|_| p.sample(&mut rng)).sum::<f64>() / n as f64
    }

    #[test]
    fn pert_mean_is_the_textbook_one() {
        // PERT mean = (min + 4 mode + max) / 6 = 7/3 for (1, 2, 5); its sd is below
        // 0.7, so the standard error of 40,000 draws is under 0.0035: a tolerance
        // of 0.02 is about six standard errors.
        let p = Param::new(DistSpec::Pert {
            min: 1.0,
            mode: 2.0,
            max: 5.0,
        })
        .unwrap();
        assert!((mean_of(&p, 40_000) - 7.0 / 3.0).abs() < 0.02);
        assert_eq!(p.support(), (1.0, 5.0));
    }

    #[test]
    fn lognormal_median_and_p90_are_honoured() {
        let p = Param::new(DistSpec::Lognormal {
            median: 300.0,
            p90: 800.0,
            min: None,
            max: None,
        })
        .unwrap();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let n = 40_000;
        let mut below_median = 0;
        let mut below_p90 = 0;
        for _ in 0..n {
            let x = p.sample(&mut rng);
            below_median += usize::from(x < 300.0);
            below_p90 += usize::from(x < 800.0);
        }
        // Binomial standard errors: 0.0025 at 0.5 and 0.0015 at 0.9; 0.015 is >= 6 of them.
        assert!((below_median as f64 / n as f64 - 0.5).abs() < 0.015);
        assert!((below_p90 as f64 / n as f64 - 0.9).abs() < 0.015);
    }

    #[test]
    fn truncation_keeps_draws_inside_and_whole_rounds() {
        let p = Param::new(DistSpec::Lognormal {
            median: 300.0,
            p90: 800.0,
            min: Some(50.0),
            max: Some(2000.0),
        })
        .unwrap()
        .whole();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        for _ in 0..10_000 {
            let x = p.sample(&mut rng);
            assert!((50.0..=2000.0).contains(&x));
            assert_eq!(x, x.round());
        }
    }

    #[test]
    fn inconsistent_distributions_are_refused() {
        let bad = [
            DistSpec::Pert {
                min: 3.0,
                mode: 1.0,
                max: 5.0,
            },
            DistSpec::Uniform { min: 2.0, max: 1.0 },
            DistSpec::Normal {
                mean: 0.0,
                sd: -1.0,
                min: None,
                max: None,
            },
            DistSpec::Normal {
                mean: 0.0,
                sd: 1.0,
                min: Some(10.0),
                max: Some(11.0),
            },
            DistSpec::Lognormal {
                median: 10.0,
                p90: 5.0,
                min: None,
                max: None,
            },
            DistSpec::Fixed(f64::NAN),
        ];
        for spec in bad {
            assert!(Param::new(spec.clone()).is_err(), "{spec:?} was accepted");
        }
    }
}
