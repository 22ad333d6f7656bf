//! Criterion benches of the assignment solver on generated problems (N = 80 dense, N = 1,000
//! dense), solved in memory: generation and parsing happen once, outside the measurement.

use cfp::assignment::generate::{GenSpec, generate};
use cfp::assignment::io::{Constraints, read_problem};
use cfp::assignment::{Objective, Problem, solve};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn problem(n: usize, seed: u64) -> Option<Problem> {
    let dir = std::env::temp_dir().join(format!("cfp-assign-bench-{n}-{seed}"));
    let spec = GenSpec {
        n,
        seed,
        sparse: 0,
        constraints: Constraints {
            reviews_per_paper: 3,
            min_papers_per_reviewer: 3,
            max_papers_per_reviewer: 5,
        },
    };
    generate(&dir, &spec).ok()?;
    let problem = read_problem(&dir).ok();
    let _ = std::fs::remove_dir_all(&dir);
    problem
}

fn bench(c: &mut Criterion) {
    for (n, samples) in [(80usize, 50usize), (1000, 10)] {
        let Some(pb) = problem(n, 1) else {
            eprintln!("could not generate the N = {n} problem");
            continue;
        };
        let mut group = c.benchmark_group(format!("assign_n{n}"));
        group.sample_size(samples);
        for objective in [Objective::Total, Objective::Fair] {
            group.bench_function(format!("{objective:?}").to_lowercase(), |b| {
                b.iter(|| solve(black_box(&pb), objective, &|_| {}).is_ok())
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
