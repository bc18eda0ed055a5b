//! ns per draw of `shorecast::core::sampling`.
//!
//! * `binomial_prepared`: [`Binomial`] prepared once per probability, as the
//!   model does once per path, then drawn with an `n` that changes on every
//!   call (cycling through 16 values within 20 % of the case's `n`, in a
//!   scrambled order), for the model's typical (n, p).
//! * `tabled`: [`TabledBinomial`] (the model's ageing, p = 1/3 and 1/9) with
//!   `n` near 300 as above, and with `n` spread over the whole table
//!   (1..=2048, 4096 values in a fixed random order), where most draws read
//!   rows and columns that are not in the caches.
//! * `binomial` and `poisson`: the free functions, with `n`, `p` and `lambda`
//!   passed through `black_box` on every iteration so that neither side can
//!   hoist its set-up out of the loop, against `rand_distr` built per draw,
//!   which is how the model would otherwise use it (n and p change every call).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use rand::rngs::Xoshiro256PlusPlus;
use rand::{Rng, SeedableRng};
use rand_distr::Distribution;
use shorecast::core::sampling::{Binomial, TabledBinomial, binomial, poisson};

/// (typical n, p) of the model's draws: attrition hazards on small and large
/// bands, ageing (1/3, 1/9), pool exit, uptake and return shares.
const PREPARED_CASES: [(u32, f64); 10] = [
    (30, 0.08),
    (150, 0.08),
    (300, 0.03),
    (200, 0.015),
    (100, 1.0 / 3.0),
    (300, 1.0 / 9.0),
    (3000, 0.03),
    (3000, 0.3),
    (60, 0.3),
    (12_000, 0.06),
];

/// Multipliers of a case's n, visited in this order, one per draw.
const SPREAD: [f64; 16] = [
    1.0, 0.85, 1.15, 0.95, 1.2, 0.8, 1.05, 0.9, 1.1, 0.975, 0.825, 1.175, 0.925, 1.125, 0.875,
    1.025,
];

const BINOMIAL_CASES: [(u32, f64); 6] = [
    (10, 0.03),
    (100, 0.03),
    (1000, 0.03),
    (100, 0.3),
    (5000, 0.3),
    (300, 1.0 / 3.0),
];

const POISSON_CASES: [f64; 2] = [0.125, 5.0];

fn bench_prepared(c: &mut Criterion) {
    let mut group = c.benchmark_group("binomial_prepared");
    for (n, p) in PREPARED_CASES {
        let ns = SPREAD.map(|f| (f64::from(n) * f).round() as u32);
        let binomial = Binomial::new(black_box(p));
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let mut i = 0;
        group.bench_function(format!("n~{n} p={p:.3}"), |b| {
            b.iter(|| {
                i = (i + 1) % ns.len();
                binomial.sample(&mut rng, black_box(ns[i]))
            })
        });
    }
    group.finish();
}

fn bench_tabled(c: &mut Criterion) {
    let mut group = c.benchmark_group("tabled");
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(4);
    let spread: Vec<u32> = (0..4096)
        .map(|_| (rng.next_u64() % 2048) as u32 + 1)
        .collect();
    for p in [1.0 / 3.0, 1.0 / 9.0] {
        let table = TabledBinomial::new(p, 2048);
        let near = SPREAD.map(|f| (300.0 * f).round() as u32);
        for (name, ns) in [("n~300", &near[..]), ("n in 1..=2048", &spread[..])] {
            let mut i = 0;
            group.bench_function(format!("{name} p={p:.3}"), |b| {
                b.iter(|| {
                    i = (i + 1) % ns.len();
                    table.sample(&mut rng, black_box(ns[i]))
                })
            });
        }
    }
    group.finish();
}

fn bench_binomial(c: &mut Criterion) {
    for (n, p) in BINOMIAL_CASES {
        let mut group = c.benchmark_group(format!("binomial n={n} p={p:.3}"));
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        group.bench_function("shorecast", |b| {
            b.iter(|| binomial(&mut rng, black_box(n), black_box(p)))
        });
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        group.bench_function("rand_distr", |b| {
            b.iter(|| {
                rand_distr::Binomial::new(u64::from(black_box(n)), black_box(p))
                    .unwrap()
                    .sample(&mut rng)
            })
        });
        group.finish();
    }
}

fn bench_poisson(c: &mut Criterion) {
    for lambda in POISSON_CASES {
        let mut group = c.benchmark_group(format!("poisson lambda={lambda}"));
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(2);
        group.bench_function("shorecast", |b| {
            b.iter(|| poisson(&mut rng, black_box(lambda)))
        });
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(2);
        group.bench_function("rand_distr", |b| {
            b.iter(|| -> f64 {
                rand_distr::Poisson::new(black_box(lambda))
                    .unwrap()
                    .sample(&mut rng)
            })
        });
        group.finish();
    }
}

fn config() -> Criterion {
    Criterion::default()
        .without_plots()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench_prepared, bench_tabled, bench_binomial, bench_poisson
}
criterion_main!(benches);
