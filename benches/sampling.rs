//! ns per draw of `shorecast::sampling` against `rand_distr` built per draw,
//! which is how the model would otherwise use it (n and p change every call).
//!
//! `n`, `p` and `lambda` pass through `black_box` on every iteration so that
//! neither side can hoist its set-up out of the loop.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::Distribution;
use shorecast::sampling::{binomial, poisson};

const BINOMIAL_CASES: [(u32, f64); 6] = [
    (10, 0.03),
    (100, 0.03),
    (1000, 0.03),
    (100, 0.3),
    (5000, 0.3),
    (300, 1.0 / 3.0),
];

const POISSON_CASES: [f64; 2] = [0.125, 5.0];

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
    targets = bench_binomial, bench_poisson
}
criterion_main!(benches);
