//! Times each phase of the chair's "Compute a preview" on a real conference's database (a
//! `cfp demo` data folder or a PostgreSQL URL), opened read-only: loading the pool, the
//! conflicts, the TF-IDF candidates, the solve and the preview's JSON. Figures in
//! docs/benchmarks.md (issue 17).
//!
//! Each line gives the phase's CPU time (the process's user + system time from /proc/self/stat,
//! 10 ms ticks, every thread included) and its wall time. `--check` also runs the two
//! separate searches the one-pass search replaced and compares the rows; `--threads N` times
//! the text index and the search again on N threads (the rows must not change).
//!
//! cargo run --release --example app_assign -- /tmp/cfp-10k
//! cargo run --release --example app_assign -- postgres://postgres@127.0.0.1/cfp_10k --check

use std::path::Path;
use std::time::Instant;

use cfp::assignment::text_index::TextIndex;
use cfp::assignment::{Objective, solve};
use cfp::db::{DbTarget, open_read_only};
use cfp::domain::pool::{
    RunParams, TOP_K, TOP_K_PER_REVIEWER, build_problem, paper_text, reviewer_text,
};
use cfp::web::pool_data::PoolData;

/// This process's CPU seconds (Linux), or 0 where /proc is missing.
fn cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(Vec::new(), |(_, rest)| rest.split_whitespace().collect());
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|x| x.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

/// Prints a phase's CPU and wall time since `(cpu, wall)`.
fn phase(label: &str, since: (f64, Instant), what: String) {
    println!(
        "{label:<12} cpu {:>6.2} s  wall {:>6.2} s  {what}",
        cpu() - since.0,
        since.1.elapsed().as_secs_f64()
    );
}

fn now() -> (f64, Instant) {
    (cpu(), Instant::now())
}

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
    let whole = now();
    let t = now();
    let data = PoolData::load(&mut c)?;
    phase(
        "load",
        t,
        format!(
            "{} papers, {} reviewers",
            data.papers.len(),
            data.pool.len()
        ),
    );
    let t = now();
    let conflicts = data.conflicts();
    phase("conflicts", t, format!("{} pairs", conflicts.len()));
    let params = RunParams {
        objective: Objective::Total,
        reviews_per_paper: 3,
        reviews_per_published_paper: 1,
        min_load: 0,
        max_load: 6,
    };
    let t = now();
    let built = build_problem(
        &data.papers,
        &data.pool,
        conflicts,
        &data.bids,
        &data.committed,
        &params,
    );
    phase(
        "build",
        t,
        format!(
            "{} candidates, {} fixed",
            built.problem.candidates.len(),
            built.problem.fixed.len()
        ),
    );
    let t = now();
    let solved = solve(&built.problem, params.objective, &|_| {});
    phase(
        "solve",
        t,
        match &solved {
            Ok(s) => format!("{} pairs, total {:.4}", s.pairs.len(), s.total_affinity),
            Err(e) => format!("infeasible: {:?}", e.reasons),
        },
    );
    phase("all", whole, String::new());
    // Inside "build": the text index and both top-k searches, timed again on their own.
    let t = now();
    let texts = (
        data.papers.iter().map(paper_text).collect::<Vec<_>>(),
        data.pool
            .iter()
            .map(|r| reviewer_text(r, &data.papers))
            .collect::<Vec<_>>(),
    );
    phase("  texts", t, String::new());
    let t = now();
    let index = TextIndex::new(&texts.0, &texts.1);
    phase("  index", t, String::new());
    let t = now();
    let (per_paper, per_reviewer) = index.top_k_both(TOP_K, TOP_K_PER_REVIEWER);
    phase(
        "  top k",
        t,
        format!("{} + {} rows", per_paper.len(), per_reviewer.len()),
    );
    let args: Vec<String> = std::env::args().collect();
    if let Some(threads) = args
        .iter()
        .position(|a| a == "--threads")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse::<usize>().ok())
    {
        let t = now();
        let again = TextIndex::new_on(&texts.0, &texts.1, threads);
        phase(
            &format!("  index/{threads}"),
            t,
            format!("same as before: {}", again == index),
        );
        let t = now();
        let rows = index.top_k_both_on(TOP_K, TOP_K_PER_REVIEWER, threads);
        phase(
            &format!("  top k/{threads}"),
            t,
            format!(
                "same rows: {}",
                rows == (per_paper.clone(), per_reviewer.clone())
            ),
        );
    }
    if args.iter().any(|a| a == "--check") {
        let t = now();
        let same = index.top_k(TOP_K) == per_paper
            && index.top_k_per_reviewer(TOP_K_PER_REVIEWER) == per_reviewer;
        phase("  two passes", t, format!("same rows as one pass: {same}"));
    }
    Ok(())
}
