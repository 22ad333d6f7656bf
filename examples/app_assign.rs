//! Times each phase of the chair's "Compute a preview" on a real conference's database (a
//! `cfp demo` data folder or a PostgreSQL URL), opened read-only: loading the pool, the
//! conflicts, the TF-IDF candidates, the solve and the preview's JSON. Figures in
//! docs/benchmarks.md (issue 17).
//!
//! Each line gives the phase's CPU time (the process's user + system time from /proc/self/stat,
//! 10 ms ticks, every thread included) and its wall time. `--check` also runs the two
//! separate searches the one-pass search replaced and compares the rows; `--threads N` times
//! the text index and the search again on N threads (the rows must not change).
//! `--min-load N --max-load M` set the reviewers' loads (default 0 and 6; on the demo with an
//! emptied assignment the page proposes 2 and 5, which cannot all be met around the fixed
//! pairs, so the solve runs twice, as in the server).
//!
//! After the phases, a line "candidates" gives a digest of the problem's candidates (papers,
//! reviewers and affinities, bit for bit) and "assignment" the solution's quality (total, mean
//! and lowest affinity sum per paper, and a digest of the pairs): two builds of the engine that
//! print the same lines chose the same candidates and found the same assignment.
//!
//! cargo run --release --example app_assign -- /tmp/cfp-10k
//! cargo run --release --example app_assign -- postgres://postgres@127.0.0.1/cfp_10k --check

use std::path::Path;
use std::time::Instant;

use cfp::assignment::text_index::TextIndex;
use cfp::assignment::{Objective, Stats, solve};
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

/// FNV-1a over the items' words, in order.
fn digest(items: impl Iterator<Item = [u64; 3]>) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for word in items.flatten() {
        for byte in word.to_le_bytes() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
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
    let args: Vec<String> = std::env::args().collect();
    let option = |name: &str, default: u32| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|n| n.parse::<u32>().ok())
            .unwrap_or(default)
    };
    let params = RunParams {
        objective: Objective::Total,
        reviews_per_paper: 3,
        reviews_per_published_paper: 1,
        min_load: option("--min-load", 0),
        max_load: option("--max-load", 6),
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
    let mut solved = solve(&built.problem, params.objective, &|_| {});
    // As "Compute a preview" does: no assignment with these minimum loads around the fixed
    // pairs -> again with each reviewer's minimum lowered to their fixed load.
    let mut relaxed = false;
    if solved.is_err() && !built.problem.fixed.is_empty() {
        let mut problem = built.problem.clone();
        if problem.lower_min_loads_to_fixed() {
            let retry = solve(&problem, params.objective, &|_| {});
            if retry.is_ok() {
                (solved, relaxed) = (retry, true);
            }
        }
    }
    phase(
        "solve",
        t,
        match &solved {
            Ok(s) => format!(
                "{} pairs, total {:.4}{}",
                s.pairs.len(),
                s.total_affinity,
                if relaxed {
                    ", minimum loads lowered"
                } else {
                    ""
                }
            ),
            Err(e) => format!("infeasible: {:?}", e.reasons),
        },
    );
    phase("all", whole, String::new());
    println!(
        "candidates   {} pairs, digest {:016x}",
        built.problem.candidates.len(),
        digest(built.problem.candidates.iter().map(|c| [
            c.paper as u64,
            c.reviewer as u64,
            c.affinity.to_bits()
        ]))
    );
    if let Ok(s) = &solved {
        let stats = Stats::compute(&built.problem, &s.pairs, &built.bids);
        let per_paper = &stats.paper_affinity;
        println!(
            "assignment   total {:.4}, per paper mean {:.4} lowest {:.4}, pairs digest {:016x}",
            stats.total_affinity,
            per_paper.iter().sum::<f64>() / per_paper.len().max(1) as f64,
            per_paper.iter().copied().fold(f64::INFINITY, f64::min),
            digest(s.pairs.iter().map(|&(p, r)| [p as u64, r as u64, 0]))
        );
    }
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
