//! Times what the chair's "Compute a preview" does in the app beyond the solver, at conference
//! size: the reviewer pool, every conflict (authorship, institution, email domain, declared),
//! the TF-IDF candidates and the solve, on a synthetic conference of N papers whose N main
//! authors review (3 reviews per paper, loads 1–6). Figures in docs/benchmarks.md.
//!
//! cargo run --release --example pool_scale -- 10000

use std::time::Instant;

use cfp::assignment::{Objective, solve};
use cfp::domain::pool::{
    PaperFacts, PersonFacts, ProfileFacts, RunParams, all_conflicts, build_problem, reviewer_pool,
};
use cfp::domain::submission::Track;

const WORDS: [&str; 48] = [
    "neural",
    "ordinary",
    "stochastic",
    "differential",
    "equations",
    "operator",
    "learning",
    "solver",
    "stiff",
    "adjoint",
    "diffusion",
    "score",
    "flow",
    "matching",
    "hamiltonian",
    "symplectic",
    "lagrangian",
    "physics",
    "informed",
    "inverse",
    "problem",
    "control",
    "optimal",
    "rough",
    "path",
    "signature",
    "controlled",
    "fourier",
    "wavelet",
    "mesh",
    "graph",
    "transformer",
    "latent",
    "dynamics",
    "chaos",
    "ergodic",
    "kernel",
    "gaussian",
    "process",
    "bayesian",
    "uncertainty",
    "turbulence",
    "weather",
    "climate",
    "molecular",
    "integrator",
    "multigrid",
    "spectral",
];

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    /// `n` words: a third from a small common vocabulary, the rest from 5,000 rarer terms
    /// with a skewed (roughly Zipf) frequency, like the words of abstracts.
    fn words(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| {
                if self.below(3) == 0 {
                    WORDS[self.below(WORDS.len())].to_string()
                } else {
                    let rank = 1 + self.below(70) * self.below(70) + self.below(100);
                    format!("term{rank}x")
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let institutions = n / 8 + 1;
    let person = |i: usize, rng: &mut Rng| {
        let inst = rng.below(institutions);
        PersonFacts {
            name: format!("Person {i}"),
            email: format!("p{i}@inst{inst}.edu"),
            affiliation: format!("Institute {inst}"),
        }
    };
    let started = Instant::now();
    let papers: Vec<PaperFacts> = (0..n)
        .map(|i| {
            let main = person(i, &mut rng);
            let co = person(n + i, &mut rng);
            PaperFacts {
                id: format!("id{i}"),
                number: i as i32 + 1,
                track: Track::Paper,
                title: rng.words(8),
                abstract_text: rng.words(150),
                keywords: vec![rng.words(2), rng.words(2)],
                authors: vec![(main, true), (co, false)],
                declared_conflicts: if rng.below(10) == 0 {
                    vec![format!("Institute {}", rng.below(institutions))]
                } else {
                    Vec::new()
                },
            }
        })
        .collect();
    let profiles: Vec<ProfileFacts> = Vec::new();
    let generated = started.elapsed();

    let t = Instant::now();
    let pool = reviewer_pool(&papers, &profiles);
    let pool_time = t.elapsed();
    let t = Instant::now();
    let conflicts = all_conflicts(&papers, &pool, &[], &[]);
    let conflict_time = t.elapsed();
    let params = RunParams {
        objective: Objective::Total,
        reviews_per_paper: 3,
        reviews_per_published_paper: 1,
        min_load: 1,
        max_load: 6,
    };
    let t = Instant::now();
    let built = build_problem(&papers, &pool, &conflicts, &[], &[], &params);
    let build_time = t.elapsed();
    let t = Instant::now();
    let solution = solve(&built.problem, Objective::Total, &|_| {});
    let solve_time = t.elapsed();
    println!(
        "papers={n} reviewers={} conflicts={} candidates={} generate={:.2}s pool={:.2}s conflicts={:.2}s candidates(tf-idf)={:.2}s solve={:.2}s feasible={}",
        pool.len(),
        conflicts.len(),
        built.problem.candidates.len(),
        generated.as_secs_f64(),
        pool_time.as_secs_f64(),
        conflict_time.as_secs_f64(),
        build_time.as_secs_f64(),
        solve_time.as_secs_f64(),
        solution.is_ok(),
    );
}
