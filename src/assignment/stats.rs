//! Numbers for the chair's preview of an assignment: load histogram, per-paper affinity sums,
//! the lowest-affinity papers, reviewers outside their load bounds and how bids were honoured.

use crate::assignment::affinity::Bid;
use crate::assignment::problem::Problem;
use std::collections::HashMap;

/// How many lowest-affinity papers [`Stats::lowest_papers`] lists.
pub const LOWEST: usize = 10;

/// Bids of one kind and how many of them were assigned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct BidCount {
    /// Bids of this kind.
    pub bids: usize,
    /// Of those, pairs that are in the assignment.
    pub assigned: usize,
}

/// Preview statistics of an assignment.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Stats {
    /// Number of assigned pairs.
    pub reviews: usize,
    /// Sum of affinities (pairs that are not candidates count 0).
    pub total_affinity: f64,
    /// `load_histogram[k]` = number of reviewers with exactly `k` papers.
    pub load_histogram: Vec<usize>,
    /// Affinity sum of each paper, indexed like `problem.papers`.
    pub paper_affinity: Vec<f64>,
    /// Up to [`LOWEST`] papers with the lowest affinity sums, lowest first: `(paper, sum)`.
    pub lowest_papers: Vec<(usize, f64)>,
    /// Reviewers with fewer papers than their minimum load.
    pub reviewers_below_min: Vec<usize>,
    /// Reviewers with more papers than their maximum load.
    pub reviewers_above_max: Vec<usize>,
    /// Papers without exactly the number of reviews they need.
    pub papers_off_target: Vec<usize>,
    /// Eager bids and how many were honoured.
    pub eager: BidCount,
    /// Willing bids and how many were honoured.
    pub willing: BidCount,
    /// Not-willing bids and how many were assigned anyway.
    pub not_willing: BidCount,
    /// Conflict bids and how many were assigned (should be 0).
    pub conflict: BidCount,
}

impl Stats {
    /// Statistics of `pairs` (`(paper, reviewer)`) as an assignment of `problem`, with `bids`.
    pub fn compute(
        problem: &Problem,
        pairs: &[(usize, usize)],
        bids: &[(usize, usize, Bid)],
    ) -> Self {
        let affinity: HashMap<(usize, usize), f64> = problem
            .candidates
            .iter()
            .map(|c| ((c.paper, c.reviewer), c.affinity))
            .collect();
        let assigned: std::collections::HashSet<(usize, usize)> = pairs.iter().copied().collect();
        let mut load = vec![0usize; problem.reviewers.len()];
        let mut reviews = vec![0usize; problem.papers.len()];
        let mut paper_affinity = vec![0.0; problem.papers.len()];
        for &(p, r) in &assigned {
            if p < reviews.len() && r < load.len() {
                load[r] += 1;
                reviews[p] += 1;
                paper_affinity[p] += affinity.get(&(p, r)).copied().unwrap_or(0.0);
            }
        }
        let mut load_histogram = vec![0usize; load.iter().max().map_or(1, |m| m + 1)];
        for &l in &load {
            load_histogram[l] += 1;
        }
        let mut order: Vec<usize> = (0..problem.papers.len()).collect();
        order.sort_by(|&a, &b| {
            paper_affinity[a]
                .total_cmp(&paper_affinity[b])
                .then(a.cmp(&b))
        });
        let mut stats = Self {
            reviews: assigned.len(),
            total_affinity: paper_affinity.iter().sum(),
            load_histogram,
            lowest_papers: order
                .iter()
                .take(LOWEST)
                .map(|&p| (p, paper_affinity[p]))
                .collect(),
            paper_affinity,
            reviewers_below_min: (0..load.len())
                .filter(|&r| load[r] < problem.reviewers[r].min_load as usize)
                .collect(),
            reviewers_above_max: (0..load.len())
                .filter(|&r| load[r] > problem.reviewers[r].max_load as usize)
                .collect(),
            papers_off_target: (0..reviews.len())
                .filter(|&p| reviews[p] != problem.papers[p].reviews_needed as usize)
                .collect(),
            ..Self::default()
        };
        for &(p, r, bid) in bids {
            let count = match bid {
                Bid::Eager => &mut stats.eager,
                Bid::Willing => &mut stats.willing,
                Bid::NotWilling => &mut stats.not_willing,
                Bid::Conflict => &mut stats.conflict,
            };
            count.bids += 1;
            count.assigned += usize::from(assigned.contains(&(p, r)));
        }
        stats
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assignment::problem::{Candidate, PaperSpec, ReviewerSpec};

    #[test]
    fn stats_count_loads_lowest_papers_and_bids() {
        let problem = Problem {
            papers: (0..2)
                .map(|p| PaperSpec {
                    key: format!("p{p}"),
                    reviews_needed: 1,
                })
                .collect(),
            reviewers: (0..3)
                .map(|r| ReviewerSpec {
                    key: format!("r{r}"),
                    min_load: 1,
                    max_load: 1,
                })
                .collect(),
            candidates: vec![
                Candidate {
                    paper: 0,
                    reviewer: 0,
                    affinity: 0.5,
                },
                Candidate {
                    paper: 1,
                    reviewer: 1,
                    affinity: 0.25,
                },
            ],
            ..Problem::default()
        };
        let bids = [
            (0, 0, Bid::Eager),
            (1, 2, Bid::Eager),
            (1, 1, Bid::NotWilling),
        ];
        let stats = Stats::compute(&problem, &[(0, 0), (1, 1)], &bids);
        assert_eq!(stats.load_histogram, vec![1, 2]);
        assert_eq!(stats.lowest_papers[0], (1, 0.25));
        assert_eq!(stats.reviewers_below_min, vec![2]);
        assert_eq!(
            stats.eager,
            BidCount {
                bids: 2,
                assigned: 1
            }
        );
        assert_eq!(
            stats.not_willing,
            BidCount {
                bids: 1,
                assigned: 1
            }
        );
        assert!((stats.total_affinity - 0.75).abs() < 1e-12);
    }
}
