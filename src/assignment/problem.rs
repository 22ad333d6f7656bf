//! Input and output types of the assignment engine: the problem, the solution and the
//! infeasibility explanation. Pure data; no solving happens here.

use std::fmt;

/// A paper to be reviewed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperSpec {
    /// Stable external key (e.g. the submission id or "p17").
    pub key: String,
    /// Number of reviews this paper must receive in total, fixed pairs included.
    pub reviews_needed: u32,
}

/// A reviewer with their load bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewerSpec {
    /// Stable external key (e.g. the user id or "r17").
    pub key: String,
    /// Least number of papers this reviewer must review, fixed pairs included.
    pub min_load: u32,
    /// Most papers this reviewer may review, fixed pairs included.
    pub max_load: u32,
}

/// A (paper, reviewer) pair that may be assigned, with its affinity in `[0, 1]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// Index into [`Problem::papers`].
    pub paper: usize,
    /// Index into [`Problem::reviewers`].
    pub reviewer: usize,
    /// Affinity in `[0, 1]`; higher is a better match.
    pub affinity: f64,
}

/// A complete assignment problem. Only listed candidates may be assigned; conflicts remove
/// candidates; fixed pairs are kept and count toward loads and reviews needed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Problem {
    /// Papers, indexed by position.
    pub papers: Vec<PaperSpec>,
    /// Reviewers, indexed by position.
    pub reviewers: Vec<ReviewerSpec>,
    /// Candidate pairs (duplicates keep the highest affinity).
    pub candidates: Vec<Candidate>,
    /// Hard exclusions `(paper, reviewer)`.
    pub conflicts: Vec<(usize, usize)>,
    /// Pairs committed in advance `(paper, reviewer)`; always part of the solution.
    pub fixed: Vec<(usize, usize)>,
}

impl Problem {
    /// Lowers each reviewer's minimum load to the number of their fixed pairs (never raises
    /// it): the retry when committed reviews that cannot move leave some reviewer no way to
    /// reach the minimum. Returns whether any minimum was lowered (if none, a retry would
    /// solve the same problem again).
    pub fn lower_min_loads_to_fixed(&mut self) -> bool {
        let mut fixed_load = vec![0u32; self.reviewers.len()];
        for &(_, r) in &self.fixed {
            if let Some(load) = fixed_load.get_mut(r) {
                *load += 1;
            }
        }
        let mut lowered = false;
        for (spec, &load) in self.reviewers.iter_mut().zip(&fixed_load) {
            lowered |= spec.min_load > load;
            spec.min_load = spec.min_load.min(load);
        }
        lowered
    }
}

/// What to optimise.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    clap::ValueEnum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Objective {
    /// Maximise the total affinity exactly.
    #[default]
    Total,
    /// Maximise the lowest single-review affinity exactly (which bounds every paper's sum from
    /// below), then the total affinity exactly subject to it. See `docs/assignment.md`.
    Fair,
}

/// Progress report passed to the caller's callback during long solves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Human-readable stage name.
    pub stage: &'static str,
    /// Units done within the stage.
    pub done: u64,
    /// Units in the stage (0 when unknown).
    pub total: u64,
}

/// An optimal assignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// Assigned `(paper, reviewer)` pairs, fixed pairs included, sorted.
    pub pairs: Vec<(usize, usize)>,
    /// Sum of affinities over all pairs (a pair that is not a candidate counts 0).
    pub total_affinity: f64,
    /// Lowest per-paper affinity sum (0 when there are no papers).
    pub min_paper_affinity: f64,
}

/// Why a problem has no valid assignment, in words a chair understands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Infeasibility {
    /// One sentence per reason, most fundamental first.
    pub reasons: Vec<String>,
}

impl fmt::Display for Infeasibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no valid assignment exists")?;
        for reason in &self.reasons {
            write!(f, "\n  - {reason}")?;
        }
        Ok(())
    }
}

impl Infeasibility {
    /// An infeasibility with a single reason.
    pub fn one(reason: impl Into<String>) -> Self {
        Self {
            reasons: vec![reason.into()],
        }
    }
}
