//! Whole-run throughput of the Oujda scenario on 1 and 2 threads, in
//! path-months (its horizon is 52 months), the cost of one path's monthly
//! steps beside the cost of its draws alone (benches/sampling.rs), and a plan
//! over Oujda's 625 packages with the cost of building one package.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use shorecast::analysis::plan::{self, PlanSettings};
use shorecast::core::engine::{self, RunOptions};
use shorecast::core::model::{Trajectory, Workspace, simulate_path};
use shorecast::core::scenario::Scenario;
use shorecast::input::oujda::OUJDA;
use shorecast::input::policy;

fn runs(c: &mut Criterion) {
    let scenario = Scenario::from_toml_str(OUJDA, "oujda").unwrap();
    let paths = 20_000;
    let horizon = scenario.meta.horizon_months;
    let months = u64::from(horizon);
    let mut group = c.benchmark_group("oujda_run");
    group.sample_size(10);
    group.throughput(Throughput::Elements(paths * months));
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        group.bench_function(format!("path_months_{threads}_threads"), |b| {
            b.iter(|| {
                pool.install(|| {
                    engine::run(
                        &scenario,
                        RunOptions {
                            paths,
                            seed: 1,
                            sample_paths: 0,
                            target_paths: 0,
                        },
                        &|_| {},
                    )
                })
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("oujda_path");
    group.throughput(Throughput::Elements(months));
    let (mut work, mut trajectory) = (Workspace::default(), Trajectory::new(horizon));
    let mut path = 0;
    group.bench_function("one_path_no_statistics", |b| {
        b.iter(|| {
            path += 1;
            simulate_path(&scenario, 1, path, &mut work, &mut trajectory);
        })
    });
    group.finish();
}

fn plans(c: &mut Criterion) {
    let levers = policy::load_file(OUJDA, "oujda").unwrap().levers.unwrap();
    let mut group = c.benchmark_group("oujda_plan");
    group.sample_size(10);
    let every_lever_on: Vec<usize> = levers.levers.iter().map(|l| l.levels.len() - 1).collect();
    group.bench_function("build_one_package", |b| {
        b.iter(|| levers.scenario(&every_lever_on).unwrap())
    });
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let settings = PlanSettings {
        paths: 1000,
        seed: 1,
        first_round_paths: 250,
        budget_per_year: Some(60e6),
        probability: 0.5,
        value_per_job: None,
    };
    group.bench_function("625_packages_1000_paths_2_threads", |b| {
        b.iter(|| pool.install(|| plan::plan(&levers, &None, settings, &|_| {}).unwrap()))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = runs, plans
}
criterion_main!(benches);
