//! From a [`Problem`] to a flow network: validation, integer affinities, removal of conflicts
//! and fixed pairs, and the node/edge layout
//! `source -> paper -> reviewer -> {sink (minimum load), overflow -> sink}`.

use crate::assignment::graph::EdgeSpec;
use crate::assignment::problem::{Infeasibility, Problem};

/// Finest affinity resolution used: 1e-6 (inputs with 4 decimals are solved at 1e-4).
const MAX_DECIMALS: i32 = 6;

/// A candidate after cleaning: integer affinity `w = round(affinity * scale)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cand {
    /// Paper index.
    pub paper: u32,
    /// Reviewer index.
    pub reviewer: u32,
    /// Affinity in units of `1 / scale`.
    pub w: i64,
}

/// A validated problem ready for flow: what is left to assign once fixed pairs are counted.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Assignable candidates (not conflicted, not fixed, deduplicated), sorted by (paper, reviewer).
    pub cands: Vec<Cand>,
    /// Integer units per affinity point (a power of ten).
    pub scale: i64,
    /// Reviews each paper still needs.
    pub need: Vec<u32>,
    /// Minimum load each reviewer still has to reach.
    pub min_left: Vec<u32>,
    /// Remaining capacity of each reviewer.
    pub max_left: Vec<u32>,
    /// Assignable candidates per paper.
    pub paper_degree: Vec<u32>,
    /// Assignable candidates per reviewer.
    pub reviewer_degree: Vec<u32>,
    /// Fixed pairs, deduplicated and sorted.
    pub fixed_pairs: Vec<(usize, usize)>,
    /// Integer affinity of each fixed pair (0 when it is not a candidate).
    pub fixed_w: Vec<i64>,
}

fn key(p: usize, r: usize) -> u64 {
    ((p as u64) << 32) | r as u64
}

/// Smallest number of decimals (up to 6) that represents every affinity exactly.
fn decimals(problem: &Problem) -> i32 {
    (0..MAX_DECIMALS)
        .find(|&d| {
            let s = 10f64.powi(d);
            problem.candidates.iter().all(|c| {
                let x = c.affinity * s;
                (x - x.round()).abs() <= 1e-6
            })
        })
        .unwrap_or(MAX_DECIMALS)
}

/// Validates `problem` and removes conflicts and fixed pairs from the candidates.
pub fn prepare(problem: &Problem) -> Result<Prepared, Infeasibility> {
    let (np, nr) = (problem.papers.len(), problem.reviewers.len());
    let mut errors = Vec::new();
    if np >= u32::MAX as usize / 2 || nr >= u32::MAX as usize / 2 {
        return Err(Infeasibility::one("too many papers or reviewers"));
    }
    for c in &problem.candidates {
        if c.paper >= np || c.reviewer >= nr {
            errors.push(format!(
                "candidate ({}, {}) is out of range",
                c.paper, c.reviewer
            ));
        } else if !(0.0..=1.0).contains(&c.affinity) {
            errors.push(format!(
                "affinity {} of paper {} and reviewer {} is not in [0, 1]",
                c.affinity, problem.papers[c.paper].key, problem.reviewers[c.reviewer].key
            ));
        }
        if errors.len() > 5 {
            break;
        }
    }
    for &(p, r) in problem.conflicts.iter().chain(&problem.fixed) {
        if p >= np || r >= nr {
            errors.push(format!("pair ({p}, {r}) is out of range"));
            break;
        }
    }
    for r in &problem.reviewers {
        if r.min_load > r.max_load {
            errors.push(format!(
                "reviewer {} has minimum load {} above maximum load {}",
                r.key, r.min_load, r.max_load
            ));
        }
    }
    if !errors.is_empty() {
        return Err(Infeasibility { reasons: errors });
    }
    let scale = 10i64.pow(decimals(problem) as u32);
    let mut cands: Vec<Cand> = problem
        .candidates
        .iter()
        .map(|c| Cand {
            paper: c.paper as u32,
            reviewer: c.reviewer as u32,
            w: (c.affinity * scale as f64).round() as i64,
        })
        .collect();
    let order = |a: &Cand, b: &Cand| {
        key(a.paper as usize, a.reviewer as usize)
            .cmp(&key(b.paper as usize, b.reviewer as usize))
            .then(b.w.cmp(&a.w))
    };
    if !cands.is_sorted_by(|a, b| order(a, b).is_le()) {
        // Counting sort by paper, then sort each paper's (usually almost sorted) run: linear
        // on the typical file, which lists papers in blocks with reviewers nearly in order.
        let mut start = vec![0usize; np + 1];
        for c in &cands {
            start[c.paper as usize + 1] += 1;
        }
        for p in 0..np {
            start[p + 1] += start[p];
        }
        let mut fill = start.clone();
        let mut by_paper = cands.clone();
        for c in &cands {
            by_paper[fill[c.paper as usize]] = *c;
            fill[c.paper as usize] += 1;
        }
        for p in 0..np {
            let run = &mut by_paper[start[p]..start[p + 1]];
            if !run.is_sorted_by(|a, b| order(a, b).is_le()) {
                run.sort_unstable_by(order);
            }
        }
        cands = by_paper;
    }
    cands.dedup_by_key(|c| (c.paper, c.reviewer));
    let mut conflicts: Vec<u64> = problem.conflicts.iter().map(|&(p, r)| key(p, r)).collect();
    conflicts.sort_unstable();
    let mut fixed_pairs = problem.fixed.clone();
    fixed_pairs.sort_unstable();
    fixed_pairs.dedup();
    let fixed_keys: Vec<u64> = fixed_pairs.iter().map(|&(p, r)| key(p, r)).collect();
    let mut fixed_w = vec![0i64; fixed_pairs.len()];
    let (mut ci, mut fi) = (0usize, 0usize);
    cands.retain(|c| {
        let k = key(c.paper as usize, c.reviewer as usize);
        while ci < conflicts.len() && conflicts[ci] < k {
            ci += 1;
        }
        while fi < fixed_keys.len() && fixed_keys[fi] < k {
            fi += 1;
        }
        if fi < fixed_keys.len() && fixed_keys[fi] == k {
            fixed_w[fi] = c.w;
            return false;
        }
        !(ci < conflicts.len() && conflicts[ci] == k)
    });
    let mut fixed_paper = vec![0u32; np];
    let mut fixed_reviewer = vec![0u32; nr];
    for &(p, r) in &fixed_pairs {
        fixed_paper[p] += 1;
        fixed_reviewer[r] += 1;
    }
    for (p, paper) in problem.papers.iter().enumerate() {
        if fixed_paper[p] > paper.reviews_needed {
            errors.push(format!(
                "paper {} has {} fixed reviewers but needs only {}",
                paper.key, fixed_paper[p], paper.reviews_needed
            ));
        }
    }
    for (r, reviewer) in problem.reviewers.iter().enumerate() {
        if fixed_reviewer[r] > reviewer.max_load {
            errors.push(format!(
                "reviewer {} has {} fixed papers but a maximum load of {}",
                reviewer.key, fixed_reviewer[r], reviewer.max_load
            ));
        }
    }
    if !errors.is_empty() {
        return Err(Infeasibility { reasons: errors });
    }
    let mut paper_degree = vec![0u32; np];
    let mut reviewer_degree = vec![0u32; nr];
    for c in &cands {
        paper_degree[c.paper as usize] += 1;
        reviewer_degree[c.reviewer as usize] += 1;
    }
    Ok(Prepared {
        cands,
        scale,
        need: (0..np)
            .map(|p| problem.papers[p].reviews_needed - fixed_paper[p])
            .collect(),
        min_left: (0..nr)
            .map(|r| {
                problem.reviewers[r]
                    .min_load
                    .saturating_sub(fixed_reviewer[r])
            })
            .collect(),
        max_left: (0..nr)
            .map(|r| problem.reviewers[r].max_load - fixed_reviewer[r])
            .collect(),
        paper_degree,
        reviewer_degree,
        fixed_pairs,
        fixed_w,
    })
}

/// Node numbering and edge order of the network for one prepared problem.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    /// Number of papers (nodes `0..papers`).
    pub papers: usize,
    /// Number of reviewers (nodes `papers..papers + reviewers`).
    pub reviewers: usize,
    /// Overflow node collecting load above the minimum.
    pub overflow: usize,
    /// Source node.
    pub source: usize,
    /// Sink node.
    pub sink: usize,
    /// Node count.
    pub n: usize,
}

impl Layout {
    /// Layout for `prep`.
    pub fn new(prep: &Prepared) -> Self {
        let (papers, reviewers) = (prep.need.len(), prep.min_left.len());
        Self {
            papers,
            reviewers,
            overflow: papers + reviewers,
            source: papers + reviewers + 1,
            sink: papers + reviewers + 2,
            n: papers + reviewers + 3,
        }
    }

    /// Number of edges before the candidate edges.
    pub fn base_edges(&self) -> usize {
        self.papers + 2 * self.reviewers + 1
    }

    /// Index of the `reviewer -> sink` edge that carries the minimum load.
    pub fn reviewer_min_edge(&self, r: usize) -> usize {
        self.papers + r
    }

    /// Cost multiplier that makes epsilon = 1 exact (see [`crate::assignment::mincost`]).
    pub fn cost_multiplier(&self) -> i64 {
        self.n as i64 + 1
    }

    /// Edge list: base edges with `base_flow`, then the candidates in `subset` with their flows.
    pub fn edges(
        &self,
        prep: &Prepared,
        subset: &[u32],
        base_flow: &[i32],
        cand_flow: &[i32],
    ) -> Vec<EdgeSpec> {
        let mut edges = Vec::with_capacity(self.base_edges() + subset.len());
        let total: u64 = prep.need.iter().map(|&x| u64::from(x)).sum();
        let minimum: u64 = prep.min_left.iter().map(|&x| u64::from(x)).sum();
        let mut edge = |tail: usize, head: usize, cap: u64, cost: i64, flow: i32| {
            edges.push(EdgeSpec {
                tail: tail as u32,
                head: head as u32,
                cap: cap.min(i32::MAX as u64) as i32,
                cost,
                flow,
            });
        };
        for (p, &need) in prep.need.iter().enumerate() {
            edge(self.source, p, u64::from(need), 0, base_flow[p]);
        }
        for r in 0..self.reviewers {
            let cap = u64::from(prep.min_left[r]);
            edge(
                self.papers + r,
                self.sink,
                cap,
                0,
                base_flow[self.papers + r],
            );
        }
        for r in 0..self.reviewers {
            let cap = u64::from(prep.max_left[r].saturating_sub(prep.min_left[r]));
            let i = self.papers + self.reviewers + r;
            edge(self.papers + r, self.overflow, cap, 0, base_flow[i]);
        }
        let spare = total.saturating_sub(minimum);
        edge(
            self.overflow,
            self.sink,
            spare,
            0,
            base_flow[self.base_edges() - 1],
        );
        let mult = self.cost_multiplier();
        for &c in subset {
            let cand = prep.cands[c as usize];
            edge(
                cand.paper as usize,
                self.papers + cand.reviewer as usize,
                1,
                -cand.w * mult,
                cand_flow[c as usize],
            );
        }
        edges
    }
}
