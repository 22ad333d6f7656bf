//! Command-line glue for `cfp assign` and `cfp gen-problem`: argument structs (clap derive)
//! and `run` functions returning the process exit code. The binary only wraps these.

use crate::assignment::generate::{GenSpec, generate};
use crate::assignment::io::{Constraints, read_problem, write_assignment};
use crate::assignment::problem::{Objective, Progress};
use crate::assignment::solve::solve;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::PathBuf;
use std::time::Instant;

/// `cfp assign --problem DIR --out FILE [--objective total|fair]`: computes an optimal
/// reviewer assignment. The last line of standard output is a JSON summary; exit code 1 means
/// infeasible (the reasons are printed), 2 means unreadable input.
#[derive(Debug, Clone, clap::Args)]
pub struct AssignArgs {
    /// Folder holding affinity.csv, conflicts.csv and constraints.json.
    #[arg(long, value_name = "DIR")]
    pub problem: PathBuf,
    /// Where to write the assignment CSV (paper_id,reviewer_id).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// total: maximise total affinity; fair: maximise the lowest review affinity, then total.
    #[arg(long, value_enum, default_value_t = Objective::Total)]
    pub objective: Objective,
}

/// `cfp gen-problem DIR N SEED [--sparse K]`: writes a synthetic problem (see
/// `crate::assignment::generate`).
#[derive(Debug, Clone, clap::Args)]
pub struct GenProblemArgs {
    /// Output folder (created if missing).
    pub dir: PathBuf,
    /// Number of papers and of reviewers.
    pub n: usize,
    /// Random seed; the same seed gives the same files.
    pub seed: u64,
    /// Keep only each paper's K best reviewers and each reviewer's K best papers.
    #[arg(long, default_value_t = 0, value_name = "K")]
    pub sparse: usize,
    /// Reviews per paper.
    #[arg(long, default_value_t = 3)]
    pub k: u32,
    /// Minimum papers per reviewer.
    #[arg(long, default_value_t = 3)]
    pub min: u32,
    /// Maximum papers per reviewer.
    #[arg(long, default_value_t = 5)]
    pub max: u32,
}

/// The last line of `cfp assign` output, fields in this order.
#[derive(serde::Serialize)]
struct Summary {
    feasible: bool,
    reviews: usize,
    total_affinity: f64,
    min_paper_affinity: f64,
    seconds: f64,
}

fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

fn progress_bar() -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner} {elapsed_precise} {msg} {pos}/{len}")
    {
        bar.set_style(style);
    }
    bar
}

/// Runs `cfp assign`; returns the exit code.
pub fn run(args: &AssignArgs) -> i32 {
    let started = Instant::now();
    let bar = progress_bar();
    bar.set_message("reading");
    let problem = match read_problem(&args.problem) {
        Ok(p) => p,
        Err(e) => {
            bar.finish_and_clear();
            eprintln!("error: {e}");
            println!(
                "{}",
                serde_json::json!({"feasible": false, "error": e.to_string()})
            );
            return 2;
        }
    };
    let trace = std::env::var_os("CFP_TRACE").is_some();
    let report = |p: Progress| {
        if trace {
            eprintln!(
                "{:8.3} {} {}/{}",
                started.elapsed().as_secs_f64(),
                p.stage,
                p.done,
                p.total
            );
        }
        bar.set_message(p.stage);
        bar.set_length(p.total);
        bar.set_position(p.done);
    };
    let result = solve(&problem, args.objective, &report);
    bar.finish_and_clear();
    match result {
        Ok(solution) => {
            if let Err(e) = write_assignment(&args.out, &problem, &solution) {
                eprintln!("error: {e}");
                println!(
                    "{}",
                    serde_json::json!({"feasible": true, "error": e.to_string()})
                );
                return 2;
            }
            let summary = Summary {
                feasible: true,
                reviews: solution.pairs.len(),
                total_affinity: round4(solution.total_affinity),
                min_paper_affinity: round4(solution.min_paper_affinity),
                seconds: round4(started.elapsed().as_secs_f64()),
            };
            match serde_json::to_string(&summary) {
                Ok(line) => println!("{line}"),
                Err(e) => eprintln!("error: {e}"),
            }
            0
        }
        Err(infeasible) => {
            println!("{infeasible}");
            println!(
                "{}",
                serde_json::json!({
                    "feasible": false,
                    "reasons": infeasible.reasons,
                    "seconds": round4(started.elapsed().as_secs_f64()),
                })
            );
            1
        }
    }
}

/// Runs `cfp gen-problem`; returns the exit code.
pub fn run_gen_problem(args: &GenProblemArgs) -> i32 {
    let spec = GenSpec {
        n: args.n,
        seed: args.seed,
        sparse: args.sparse,
        constraints: Constraints {
            reviews_per_paper: args.k,
            min_papers_per_reviewer: args.min,
            max_papers_per_reviewer: args.max,
        },
    };
    match generate(&args.dir, &spec) {
        Ok(summary) => {
            match serde_json::to_string(&summary) {
                Ok(line) => println!("{line}"),
                Err(e) => eprintln!("error: {e}"),
            }
            0
        }
        Err(e) => {
            eprintln!("error: {}: {e}", args.dir.display());
            2
        }
    }
}
