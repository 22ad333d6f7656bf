//! Times each phase of the chair's "Compute a preview" on a real conference's database (a
//! `cfp demo` data folder or a PostgreSQL URL), opened read-only: loading the pool, the
//! conflicts, the TF-IDF candidates, the solve and the preview's JSON. Figures in
//! docs/benchmarks.md (issue 17).
//!
//! cargo run --release --example app_assign -- /tmp/cfp-10k
//! cargo run --release --example app_assign -- postgres://postgres@127.0.0.1/cfp_10k

use std::path::Path;
use std::time::Instant;

use cfp::assignment::{Objective, solve};
use cfp::db::{DbTarget, open_read_only};
use cfp::domain::pool::{RunParams, TOP_K, TOP_K_PER_REVIEWER, build_problem, text_index};
use cfp::web::pool_data::PoolData;

fn main() -> anyhow::Result<()> {
    let arg = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/cfp-10k".into());
    let target = if arg.starts_with("postgres") {
        DbTarget::Postgres(arg)
    } else {
        DbTarget::from_url("sqlite://cfp.db", Path::new(&arg))
    };
    let mut c = open_read_only(&target)?;
    let t = Instant::now();
    let data = PoolData::load(&mut c)?;
    println!("load          {:>8.3} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let conflicts = data.conflicts();
    println!(
        "conflicts     {:>8.3} s ({} pairs)",
        t.elapsed().as_secs_f64(),
        conflicts.len()
    );
    let params = RunParams {
        objective: Objective::Total,
        reviews_per_paper: 3,
        reviews_per_published_paper: 1,
        min_load: 0,
        max_load: 6,
    };
    let t = Instant::now();
    let index = text_index(&data.papers, &data.pool);
    println!("  text index  {:>8.3} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let (per_paper, per_reviewer) = index.top_k_both(TOP_K, TOP_K_PER_REVIEWER);
    println!(
        "  top k       {:>8.3} s ({} + {} rows)",
        t.elapsed().as_secs_f64(),
        per_paper.len(),
        per_reviewer.len()
    );
    if std::env::args().any(|a| a == "--check") {
        let t = Instant::now();
        let same = index.top_k(TOP_K) == per_paper
            && index.top_k_per_reviewer(TOP_K_PER_REVIEWER) == per_reviewer;
        println!(
            "  two passes  {:>8.3} s, same rows: {same}",
            t.elapsed().as_secs_f64()
        );
    }
    let t = Instant::now();
    let built = build_problem(
        &data.papers,
        &data.pool,
        &conflicts,
        &data.bids,
        &data.committed,
        &params,
    );
    println!(
        "build         {:>8.3} s ({} candidates, {} fixed)",
        t.elapsed().as_secs_f64(),
        built.problem.candidates.len(),
        built.problem.fixed.len()
    );
    let t = Instant::now();
    let solved = solve(&built.problem, params.objective, &|_| {});
    match &solved {
        Ok(s) => println!(
            "solve         {:>8.3} s ({} pairs, total {:.4})",
            t.elapsed().as_secs_f64(),
            s.pairs.len(),
            s.total_affinity
        ),
        Err(e) => println!(
            "solve         {:>8.3} s infeasible: {:?}",
            t.elapsed().as_secs_f64(),
            e.reasons
        ),
    }
    Ok(())
}
