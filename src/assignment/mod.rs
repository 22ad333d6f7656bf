//! Reviewer assignment: conflicts, affinity, and an exact optimal solver, with the CLI glue for
//! `cfp assign` and `cfp gen-problem`.
//!
//! Pure: nothing here touches the database, the web layer or mail. The app builds a
//! [`Problem`] (papers, reviewers, candidate pairs with affinities, conflicts, fixed pairs),
//! calls [`solve()`], and shows [`Stats`] to the chair before committing.
//!
//! - [`conflicts`]: who may not review whom, and why.
//! - [`affinity`]: text similarity plus bids, producing each paper's top candidates.
//! - [`mod@solve`]: exact min-cost flow (cost scaling) with pricing.
//! - [`stats`]: the chair's preview numbers.
//! - [`io`], [`generate`], [`cli`]: files, synthetic problems and the command line.
//!
//! The method and formulas are documented in `docs/assignment.md`.

pub mod affinity;
mod best_lists;
pub mod cli;
pub mod conflicts;
mod explain;
mod fair;
mod fxhash;
pub mod generate;
mod graph;
pub mod io;
mod maxflow;
mod mincost;
mod network;
pub(crate) mod pair_map;
pub(crate) mod parallel;
pub mod problem;
pub mod solve;
pub mod stats;
#[cfg(test)]
mod tests;
pub mod text_index;
mod top_k;

pub use problem::{
    Candidate, Infeasibility, Objective, PaperSpec, Problem, Progress, ReviewerSpec, Solution,
};
pub use solve::solve;
pub use stats::Stats;
