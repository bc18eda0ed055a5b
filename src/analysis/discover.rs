//! Scenario discovery with PRIM, the patient rule induction method of Friedman
//! and Fisher (1999), as in the EMA Workbench: find the box of input ranges
//! inside which paths reach the target most often.
//!
//! Peeling starts from the box holding every path. Each step considers, for each
//! input, cutting off the `alpha` share of the box's paths with the lowest or the
//! highest values, and makes the cut that leaves the highest density of
//! successes. It stops when the box holds fewer than `min_support` of all paths.
//! The steps form the peeling trajectory (coverage against density); the chosen
//! box is the densest one that still covers at least `min_coverage` of all
//! successes. Late peels on inputs that do not matter can raise the density by
//! chance, so the chosen box is then pruned: each restricted end is released
//! when the paths it excludes succeed about as often as those inside (a
//! one-sided two-proportion z-test at the 2.5% level), the least significant
//! first. Pasting is not done: it rarely changes boxes on data like these.

use ndarray::Array2;
use serde::Serialize;

/// PRIM settings.
#[derive(Clone, Copy, Debug)]
pub struct PrimOptions {
    /// Share of the box's paths cut at each step.
    pub alpha: f64,
    /// Smallest share of all paths a box may hold.
    pub min_support: f64,
    /// Smallest share of all successes the chosen box must cover.
    pub min_coverage: f64,
}

impl Default for PrimOptions {
    fn default() -> PrimOptions {
        PrimOptions {
            alpha: 0.05,
            min_support: 0.05,
            min_coverage: 0.5,
        }
    }
}

/// Why discovery cannot run.
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum DiscoverError {
    /// No path succeeds.
    #[error("no path reaches the target, so there is nothing to discover; lower it with --target")]
    NoSuccess,
    /// Every path succeeds.
    #[error("every path reaches the target, so every future is a success; raise it with --target")]
    AllSuccess,
}

/// The bounds of a box, one `(low, high)` pair per input, inclusive.
pub type Bounds = Vec<(f64, f64)>;

/// One step of the peeling trajectory.
#[derive(Clone, Debug, Serialize)]
pub struct PeelStep {
    /// Share of all successes inside the box.
    pub coverage: f64,
    /// Share of the box's paths that succeed.
    pub density: f64,
    /// Paths inside the box.
    pub paths_in_box: usize,
    /// The box.
    #[serde(skip)]
    pub bounds: Bounds,
}

/// The peeling trajectory and the chosen box.
#[derive(Clone, Debug)]
pub struct PrimResult {
    /// Every step, the full box first.
    pub trajectory: Vec<PeelStep>,
    /// Index of the step the chosen box was pruned from.
    pub chosen_step: usize,
    /// The chosen box, after pruning.
    pub chosen: PeelStep,
    /// The full range of each input.
    pub full: Bounds,
}

impl PrimResult {
    /// Inputs the chosen box restricts, with which ends.
    pub fn restricted(&self) -> Vec<(usize, Option<f64>, Option<f64>)> {
        self.chosen
            .bounds
            .iter()
            .zip(&self.full)
            .enumerate()
            .filter_map(|(j, (&(lo, hi), &(flo, fhi)))| {
                let low = (lo > flo).then_some(lo);
                let high = (hi < fhi).then_some(hi);
                (low.is_some() || high.is_some()).then_some((j, low, high))
            })
            .collect()
    }
}

/// Runs PRIM on inputs `x` (one row per path) and outcomes `y`.
pub fn prim(
    x: &Array2<f64>,
    y: &[bool],
    options: PrimOptions,
) -> Result<PrimResult, DiscoverError> {
    let (n, k) = x.dim();
    let successes = y.iter().filter(|&&s| s).count();
    if successes == 0 {
        return Err(DiscoverError::NoSuccess);
    }
    if successes == n {
        return Err(DiscoverError::AllSuccess);
    }
    let full: Bounds = (0..k)
        .map(|j| {
            let c = x.column(j);
            (
                c.fold(f64::INFINITY, |a, &b| a.min(b)),
                c.fold(f64::NEG_INFINITY, |a, &b| a.max(b)),
            )
        })
        .collect();
    let step = |inside: &[usize], bounds: &Bounds| {
        let hits = inside.iter().filter(|&&i| y[i]).count();
        PeelStep {
            coverage: hits as f64 / successes as f64,
            density: hits as f64 / inside.len() as f64,
            paths_in_box: inside.len(),
            bounds: bounds.clone(),
        }
    };
    let mut inside: Vec<usize> = (0..n).collect();
    let mut bounds = full.clone();
    let mut trajectory = vec![step(&inside, &bounds)];
    let min_paths = ((options.min_support * n as f64).ceil() as usize).max(1);
    loop {
        // The best cut: (density left, paths left, input, keep-low-end?, threshold).
        let mut best: Option<(f64, usize, usize, bool, f64)> = None;
        for j in 0..k {
            let mut values: Vec<f64> = inside.iter().map(|&i| x[[i, j]]).collect();
            values.sort_unstable_by(f64::total_cmp);
            let m = values.len();
            let cut = ((options.alpha * m as f64).ceil() as usize).max(1);
            // Cut the lowest: keep values above the cut-th smallest; and the highest.
            for (from_below, threshold) in [(true, values[cut - 1]), (false, values[m - cut])] {
                let keep = |v: f64| {
                    if from_below {
                        v > threshold
                    } else {
                        v < threshold
                    }
                };
                let (mut left, mut hits) = (0usize, 0usize);
                for &i in &inside {
                    if keep(x[[i, j]]) {
                        left += 1;
                        hits += usize::from(y[i]);
                    }
                }
                if left < min_paths || left == inside.len() {
                    continue;
                }
                let density = hits as f64 / left as f64;
                let better = match best {
                    None => true,
                    Some((d, l, ..)) => density > d || (density == d && left > l),
                };
                if better {
                    best = Some((density, left, j, from_below, threshold));
                }
            }
        }
        let Some((_, _, j, from_below, threshold)) = best else {
            break;
        };
        inside.retain(|&i| {
            if from_below {
                x[[i, j]] > threshold
            } else {
                x[[i, j]] < threshold
            }
        });
        // The box's bound is the most extreme value still inside.
        let kept = inside.iter().map(|&i| x[[i, j]]);
        if from_below {
            bounds[j].0 = kept.fold(f64::INFINITY, f64::min);
        } else {
            bounds[j].1 = kept.fold(f64::NEG_INFINITY, f64::max);
        }
        trajectory.push(step(&inside, &bounds));
    }
    let chosen_step = (0..trajectory.len())
        .filter(|&i| trajectory[i].coverage >= options.min_coverage)
        .max_by(|&a, &b| {
            trajectory[a]
                .density
                .total_cmp(&trajectory[b].density)
                .then(trajectory[a].coverage.total_cmp(&trajectory[b].coverage))
                .then(b.cmp(&a))
        })
        .unwrap_or(0);
    let mut bounds = trajectory[chosen_step].bounds.clone();
    prune(x, y, &mut bounds, &full);
    let inside: Vec<usize> = (0..n).filter(|&i| in_box(x, i, &bounds)).collect();
    let chosen = step(&inside, &bounds);
    Ok(PrimResult {
        trajectory,
        chosen_step,
        chosen,
        full,
    })
}

fn in_box(x: &Array2<f64>, i: usize, bounds: &Bounds) -> bool {
    bounds
        .iter()
        .enumerate()
        .all(|(j, &(lo, hi))| (lo..=hi).contains(&x[[i, j]]))
}

/// Releases restricted ends of `bounds` that do not significantly raise the
/// density, the least significant first, until every end left is significant.
fn prune(x: &Array2<f64>, y: &[bool], bounds: &mut Bounds, full: &Bounds) {
    let count = |b: &Bounds| {
        (0..x.nrows())
            .filter(|&i| in_box(x, i, b))
            .fold((0usize, 0usize), |(n, h), i| (n + 1, h + usize::from(y[i])))
    };
    loop {
        let (n_in, h_in) = count(bounds);
        let mut weakest: Option<(f64, Bounds)> = None;
        for j in 0..bounds.len() {
            for low_end in [true, false] {
                let mut relaxed = bounds.clone();
                if low_end && bounds[j].0 > full[j].0 {
                    relaxed[j].0 = full[j].0;
                } else if !low_end && bounds[j].1 < full[j].1 {
                    relaxed[j].1 = full[j].1;
                } else {
                    continue;
                }
                let (n_all, h_all) = count(&relaxed);
                let (n_out, h_out) = (n_all - n_in, h_all - h_in);
                let z = if n_out == 0 {
                    0.0
                } else {
                    let pooled = h_all as f64 / n_all as f64;
                    let se =
                        (pooled * (1.0 - pooled) * (1.0 / n_in as f64 + 1.0 / n_out as f64)).sqrt();
                    let gap = h_in as f64 / n_in as f64 - h_out as f64 / n_out as f64;
                    if se > 0.0 { gap / se } else { 0.0 }
                };
                if weakest.as_ref().is_none_or(|(w, _)| z < *w) {
                    weakest = Some((z, relaxed));
                }
            }
        }
        match weakest {
            Some((z, relaxed)) if z < crate::core::stats::Z95 => *bounds = relaxed,
            _ => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;
    use rand_distr::{Distribution, Uniform};

    #[test]
    fn prim_recovers_a_known_box() {
        // Success inside x0 >= 0.6 and x1 <= 0.3 (with 5% label noise); x2 is noise.
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(4);
        let u = Uniform::new(0.0, 1.0).unwrap();
        let n = 5000;
        let mut x = Array2::zeros((n, 3));
        let mut y = vec![false; n];
        for i in 0..n {
            for j in 0..3 {
                x[[i, j]] = u.sample(&mut rng);
            }
            let inside = x[[i, 0]] >= 0.6 && x[[i, 1]] <= 0.3;
            y[i] = inside != (u.sample(&mut rng) < 0.05);
        }
        let result = prim(&x, &y, PrimOptions::default()).unwrap();
        let restricted = result.restricted();
        let find = |j: usize| restricted.iter().find(|r| r.0 == j).copied();
        // Peeling steps are 5% of the box, and the box edges are sampled: a
        // tolerance of 0.05 on each bound is one peel.
        let (_, low0, _) = find(0).expect("x0 is restricted");
        assert!((low0.unwrap() - 0.6).abs() < 0.05, "{restricted:?}");
        let (_, _, high1) = find(1).expect("x1 is restricted");
        assert!((high1.unwrap() - 0.3).abs() < 0.05, "{restricted:?}");
        assert!(find(2).is_none(), "x2 has no effect: {restricted:?}");
        let chosen = &result.chosen;
        assert!(
            chosen.density > 0.85 && chosen.coverage >= 0.5,
            "{chosen:?}"
        );
    }

    #[test]
    fn prim_needs_successes_and_failures() {
        let x = Array2::zeros((10, 1));
        assert!(matches!(
            prim(&x, &[false; 10], PrimOptions::default()),
            Err(DiscoverError::NoSuccess)
        ));
        assert_eq!(
            prim(&x, &[true; 10], PrimOptions::default()).unwrap_err(),
            DiscoverError::AllSuccess
        );
    }
}
