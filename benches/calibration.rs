//! Calibration of the Oujda scenario to its history (the `shorecast calibrate`
//! workload) on 1 and 2 threads, with the scenario's own settings (4,000
//! particles, to an effective sample size of at least 1,000).

use criterion::{Criterion, criterion_group, criterion_main};
use shorecast::analysis::calibrate::{CalibrationOptions, calibrate};
use shorecast::core::scenario::Scenario;
use shorecast::input::oujda::OUJDA;

fn calibration(c: &mut Criterion) {
    let scenario = Scenario::from_toml_str(OUJDA, "oujda").unwrap();
    let mut group = c.benchmark_group("oujda_calibration");
    group.sample_size(10);
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        group.bench_function(format!("{threads}_threads"), |b| {
            b.iter(|| {
                pool.install(|| {
                    let options = CalibrationOptions::from_scenario(&scenario, 2020);
                    let result = calibrate(&scenario, options, &|_| {}).unwrap();
                    assert!(result.posterior.ess() >= 1000.0);
                    result.simulations()
                })
            })
        });
    }
    group.finish();
}

criterion_group!(benches, calibration);
criterion_main!(benches);
