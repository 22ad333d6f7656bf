//! The assignment problem built from the pool: affinity texts, candidate pairs (all of them
//! for small conferences, the top-k per paper and per reviewer beyond that), fixed committed
//! pairs and loads, for `crate::assignment` to solve.

use std::collections::BTreeMap;

use crate::assignment::affinity::{Bid, PaperText, ReviewerText, TextIndex, with_bid};
use crate::assignment::pair_map::PairMap;
use crate::assignment::{Candidate, Objective, PaperSpec, Problem, ReviewerSpec};
use crate::domain::submission::Track;

use super::*;

/// What the chair chose for a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RunParams {
    pub objective: Objective,
    pub reviews_per_paper: u32,
    pub reviews_per_published_paper: u32,
    pub min_load: u32,
    pub max_load: u32,
}

/// Up to this many papers × reviewers every pair is a candidate; above it each paper's best
/// reviewers by text, each reviewer's best papers, and every eager or willing bid are.
pub const ALL_PAIRS_LIMIT: usize = 2_000_000;
/// Reviewers per paper kept as candidates on large conferences.
pub const TOP_K: usize = 100;
/// Candidates every paper gets beyond the reviews it needs, even with no text in common.
const SPARE_CANDIDATES: usize = 10;
/// Papers per reviewer kept too, so every reviewer has candidates.
pub const TOP_K_PER_REVIEWER: usize = 30;

/// The solver's input, with the maps back to papers and reviewers.
#[derive(Debug, Clone)]
pub struct BuiltProblem {
    pub problem: Problem,
    /// Problem paper index -> index into the papers given.
    pub papers: Vec<usize>,
    /// Problem reviewer index -> index into the pool given.
    pub reviewers: Vec<usize>,
    /// Bids in problem indices, for the statistics.
    pub bids: Vec<(usize, usize, Bid)>,
}

/// The text a paper is matched on.
pub fn paper_text(p: &PaperFacts) -> PaperText {
    PaperText {
        title: p.title.clone(),
        abstract_text: p.abstract_text.clone(),
        keywords: p.keywords.clone(),
        body: String::new(),
    }
}

/// A reviewer's expertise: their own papers' titles, abstracts and keywords, and their
/// profile keywords.
pub fn reviewer_text(r: &Reviewer, papers: &[PaperFacts]) -> ReviewerText {
    ReviewerText {
        papers: r
            .own_papers
            .iter()
            .filter_map(|&i| papers.get(i))
            .map(|p| {
                format!(
                    "{}\n{}\n{}",
                    p.title,
                    p.abstract_text,
                    p.keywords.join(", ")
                )
            })
            .collect(),
        keywords: r.keywords.clone(),
    }
}

/// The text index over all papers and the pool.
pub fn text_index(papers: &[PaperFacts], reviewers: &[Reviewer]) -> TextIndex {
    let pt: Vec<PaperText> = papers.iter().map(paper_text).collect();
    let rt: Vec<ReviewerText> = reviewers.iter().map(|r| reviewer_text(r, papers)).collect();
    TextIndex::new(&pt, &rt)
}

/// The assignment problem: every paper needs its track's number of reviews; active
/// reviewers take between their loads; conflicted pairs are excluded; `fixed` pairs (already
/// committed) stay unless they are now conflicted or involve an inactive reviewer.
pub fn build_problem(
    papers: &[PaperFacts],
    reviewers: &[Reviewer],
    conflicts: &[Conflict],
    bids: &[(usize, usize, Bid)],
    fixed: &[(usize, usize)],
    params: &RunParams,
) -> BuiltProblem {
    let index = text_index(papers, reviewers);
    build_problem_with_index(papers, reviewers, conflicts, bids, fixed, params, &index)
}

/// [`build_problem`] with the text index of these papers and reviewers already built (the
/// server keeps one per load of the pool, see `PoolData::text_index`): the same problem.
pub fn build_problem_with_index(
    papers: &[PaperFacts],
    reviewers: &[Reviewer],
    conflicts: &[Conflict],
    bids: &[(usize, usize, Bid)],
    fixed: &[(usize, usize)],
    params: &RunParams,
    index: &TextIndex,
) -> BuiltProblem {
    let active: Vec<usize> = (0..reviewers.len())
        .filter(|&r| reviewers[r].active)
        .collect();
    let mut reviewer_slot = vec![usize::MAX; reviewers.len()];
    for (slot, &r) in active.iter().enumerate() {
        reviewer_slot[r] = slot;
    }
    let conflicted = PairMap::new(
        papers.len(),
        conflicts.iter().map(|c| (c.paper, c.reviewer, ())),
    );
    let bid_of = PairMap::new(papers.len(), bids.iter().copied());
    // Pairs found by the searches, collected in a vector and sorted once (a B-tree of a
    // million pairs showed in profiles); a pair found twice (by its paper's and its
    // reviewer's search, or a bid) has the same score both times.
    let mut found: Vec<((usize, usize), f64)> = Vec::new();
    let mut consider = |p: usize, r: usize, text: f64| {
        if reviewer_slot[r] == usize::MAX || conflicted.contains(p, r) {
            return;
        }
        if let Some(a) = with_bid(text, bid_of.get(p, r)) {
            found.push(((p, reviewer_slot[r]), a));
        }
    };
    if papers.len().saturating_mul(active.len()) <= ALL_PAIRS_LIMIT {
        let mut scores = Vec::new();
        for p in 0..papers.len() {
            index.paper_scores(p, &mut scores);
            for &r in &active {
                consider(p, r, scores[r]);
            }
        }
    } else {
        let (per_paper, per_reviewer) = index.top_k_both(TOP_K, TOP_K_PER_REVIEWER);
        for (p, r, s) in per_paper.into_iter().chain(per_reviewer) {
            consider(p, r, s);
        }
        for &(p, r, b) in bids {
            if matches!(b, Bid::Eager | Bid::Willing) && p < papers.len() {
                consider(p, r, index.similarity(p, r));
            }
        }
    }
    found.sort_unstable_by_key(|x| x.0);
    found.dedup_by_key(|x| x.0);
    let mut affinity = Found {
        sorted: found,
        added: BTreeMap::new(),
    };
    // A paper the indexes left with too few candidates (its words shared by few reviewers,
    // most of them conflicted) gets the next reviewers by text, zero scores included, so a
    // large conference never fails for lack of candidates while reviewers have room.
    let mut candidates_of = vec![0usize; papers.len()];
    for &((p, _), _) in &affinity.sorted {
        candidates_of[p] += 1;
    }
    let mut scores = Vec::new();
    for (p, paper) in papers.iter().enumerate() {
        let needed = match paper.track {
            Track::Paper => params.reviews_per_paper,
            Track::Published => params.reviews_per_published_paper,
        } as usize
            + SPARE_CANDIDATES;
        if candidates_of[p] >= needed || active.is_empty() {
            continue;
        }
        index.paper_scores(p, &mut scores);
        let mut order = active.clone();
        // Ties (zero scores) spread over the pool instead of all going to the first reviewers.
        let shift = p.wrapping_mul(7919) % active.len();
        order.rotate_left(shift);
        order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
        for r in order {
            if candidates_of[p] >= needed {
                break;
            }
            let key = (p, reviewer_slot[r]);
            if affinity.contains_key(&key) || conflicted.contains(p, r) {
                continue;
            }
            if let Some(a) = with_bid(scores[r], bid_of.get(p, r)) {
                affinity.insert(key, a);
                candidates_of[p] += 1;
            }
        }
    }
    let mut kept_fixed = Vec::new();
    for &(p, r) in fixed {
        if p >= papers.len() || r >= reviewers.len() || reviewer_slot[r] == usize::MAX {
            continue;
        }
        if conflicted.contains(p, r) {
            continue;
        }
        let slot = reviewer_slot[r];
        if !affinity.contains_key(&(p, slot)) {
            let a = with_bid(index.similarity(p, r), bid_of.get(p, r)).unwrap_or(0.0);
            affinity.insert((p, slot), a);
        }
        kept_fixed.push((p, slot));
    }
    let problem = Problem {
        papers: papers
            .iter()
            .map(|p| PaperSpec {
                key: p.number.to_string(),
                reviews_needed: match p.track {
                    Track::Paper => params.reviews_per_paper,
                    Track::Published => params.reviews_per_published_paper,
                },
            })
            .collect(),
        reviewers: active
            .iter()
            .map(|&r| {
                let rev = &reviewers[r];
                let max_load = rev.max_load.unwrap_or(params.max_load);
                ReviewerSpec {
                    key: rev.person.email.clone(),
                    min_load: rev.min_load.unwrap_or(params.min_load).min(max_load),
                    max_load,
                }
            })
            .collect(),
        candidates: affinity
            .into_sorted()
            .into_iter()
            .map(|((paper, reviewer), affinity)| Candidate {
                paper,
                reviewer,
                affinity,
            })
            .collect(),
        conflicts: conflicts
            .iter()
            .filter(|c| reviewer_slot[c.reviewer] != usize::MAX)
            .map(|c| (c.paper, reviewer_slot[c.reviewer]))
            .collect(),
        fixed: kept_fixed,
    };
    BuiltProblem {
        problem,
        papers: (0..papers.len()).collect(),
        bids: bids
            .iter()
            .filter(|&&(_, r, _)| reviewer_slot[r] != usize::MAX)
            .map(|&(p, r, b)| (p, reviewer_slot[r], b))
            .collect(),
        reviewers: active,
    }
}

/// Candidate pairs with their affinity: the searches' pairs sorted, and the few added after.
struct Found {
    sorted: Vec<((usize, usize), f64)>,
    added: BTreeMap<(usize, usize), f64>,
}

impl Found {
    fn contains_key(&self, key: &(usize, usize)) -> bool {
        self.sorted.binary_search_by_key(key, |x| x.0).is_ok() || self.added.contains_key(key)
    }

    fn insert(&mut self, key: (usize, usize), affinity: f64) {
        self.added.insert(key, affinity);
    }

    /// Every pair, sorted by (paper, reviewer).
    fn into_sorted(self) -> Vec<((usize, usize), f64)> {
        let mut all = self.sorted;
        all.extend(self.added);
        all.sort_unstable_by_key(|x| x.0);
        all
    }
}
