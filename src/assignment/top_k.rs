//! Each paper's best reviewers and each reviewer's best papers by text in one pass over the
//! inverted index ([`TextIndex::top_k_both`]): the same rows as [`TextIndex::top_k`] and
//! [`TextIndex::top_k_per_reviewer`] (tested below), at a fraction of the cost, because one
//! accumulation of a paper's scores against every reviewer serves both directions.
//!
//! Same results, bit for bit: a pair's score is summed over the same terms in the same order
//! (by term id) as in the two separate searches, the same common terms are skipped in each
//! direction, and ties go to the lower index in both. The papers are split into contiguous
//! ranges searched on separate threads; each range's rows and per-reviewer lists are merged
//! in paper order, so the number of threads changes nothing but the time.
//!
//! The loop that costs: adding each posting's product to the paper's sum for its reviewer
//! (postings kept as separate arrays of reviewer ids and weights), then one scan over the
//! sums that offers each reviewer to the paper's list and the paper to the reviewer's list,
//! each behind a bar that few sums pass.

use std::ops::Range;

use crate::assignment::parallel::{available_threads, ranges, run_parts};
use crate::assignment::text_index::{COMMON_TERM_MIN, Doc, TextIndex};

/// `(paper, reviewer, similarity)`.
pub type Row = (usize, usize, f64);

/// Below this many papers one thread does the whole search (starting threads costs more).
const PAPERS_PER_THREAD: usize = 256;

impl TextIndex {
    /// `(top_k(per_paper), top_k_per_reviewer(per_reviewer))`, computed together, on as many
    /// threads as the machine has (the rows do not depend on it).
    pub fn top_k_both(&self, per_paper: usize, per_reviewer: usize) -> (Vec<Row>, Vec<Row>) {
        let threads = available_threads().min(self.papers.len() / PAPERS_PER_THREAD);
        self.top_k_both_with(per_paper, per_reviewer, COMMON_TERM_MIN, threads)
    }

    /// [`TextIndex::top_k_both`] on `threads` threads (for measuring: the rows are the same).
    pub fn top_k_both_on(
        &self,
        per_paper: usize,
        per_reviewer: usize,
        threads: usize,
    ) -> (Vec<Row>, Vec<Row>) {
        self.top_k_both_with(per_paper, per_reviewer, COMMON_TERM_MIN, threads)
    }

    /// The search on `threads` threads, each over a contiguous range of papers; each thread's
    /// rows and running per-reviewer lists are merged in paper order, so the result is the
    /// same for any number of threads.
    pub(crate) fn top_k_both_with(
        &self,
        per_paper: usize,
        per_reviewer: usize,
        common_min: usize,
        threads: usize,
    ) -> (Vec<Row>, Vec<Row>) {
        let search = Search::new(self, per_paper, per_reviewer, common_min);
        let parts = run_parts(ranges(self.papers.len(), threads), |papers| {
            search.papers_in(papers)
        });
        let mut paper_rows = Vec::with_capacity(parts.iter().map(|x| x.rows.len()).sum());
        let mut lists = vec![Vec::new(); self.reviewers.len()];
        for part in parts {
            paper_rows.extend(part.rows);
            for (list, kept) in lists.iter_mut().zip(part.best.into_lists()) {
                list.extend(kept);
            }
        }
        for list in &mut lists {
            cut(list, per_reviewer);
        }
        let reviewer_rows = run_parts(ranges(self.reviewers.len(), threads), |range| {
            self.reviewers_best(range.clone(), &lists[range])
        })
        .concat();
        (paper_rows, reviewer_rows)
    }

    /// Rows `(paper, reviewer, cosine)` of the reviewers in `range`, from their best papers.
    fn reviewers_best(&self, range: Range<usize>, lists: &[Vec<(f64, u32)>]) -> Vec<Row> {
        let mut dense = Dense::new(self.postings.len());
        let mut rows = Vec::new();
        for (r, papers) in range.zip(lists) {
            let doc = &self.reviewers[r];
            dense.load(doc);
            for &(_, p) in papers {
                let p = p as usize;
                rows.push((p, r, dense.similarity(&self.papers[p])));
            }
            dense.unload(doc);
        }
        rows
    }
}

/// The inverted index over reviewers as flat arrays (reviewer ids apart from weights), and
/// which terms each direction leaves out.
struct Search<'a> {
    index: &'a TextIndex,
    /// Term `t`'s postings are `start[t]..start[t + 1]` of `reviewer` and `weight`.
    start: Vec<usize>,
    reviewer: Vec<u32>,
    weight: Vec<f64>,
    skip_for_paper: Vec<bool>,
    skip_for_reviewer: Vec<bool>,
    /// Whether the two directions skip different terms (then each has its own sums).
    split: bool,
    per_paper: usize,
    per_reviewer: usize,
}

/// One range of papers' results: their rows, and each reviewer's best papers among them.
struct Part {
    rows: Vec<Row>,
    best: BestPerReviewer,
}

impl<'a> Search<'a> {
    fn new(index: &'a TextIndex, per_paper: usize, per_reviewer: usize, common_min: usize) -> Self {
        let (papers, reviewers) = (index.papers.len(), index.reviewers.len());
        let mut paper_df = vec![0usize; index.postings.len()];
        for doc in &index.papers {
            for &(t, _) in doc {
                paper_df[t as usize] += 1;
            }
        }
        // As in `best_matches`: a term is left out of choosing a paper's reviewers when too
        // many reviewers have it, and out of choosing a reviewer's papers when too many
        // papers have it.
        let skip_for_paper: Vec<bool> = index
            .postings
            .iter()
            .map(|list| list.len() > common_min.max(reviewers / 4))
            .collect();
        let skip_for_reviewer: Vec<bool> = paper_df
            .iter()
            .map(|&df| df > common_min.max(papers / 4))
            .collect();
        let total = index.postings.iter().map(Vec::len).sum();
        let mut start = Vec::with_capacity(index.postings.len() + 1);
        let mut reviewer = Vec::with_capacity(total);
        let mut weight = Vec::with_capacity(total);
        start.push(0);
        for list in &index.postings {
            reviewer.extend(list.iter().map(|x| x.0));
            weight.extend(list.iter().map(|x| x.1));
            start.push(reviewer.len());
        }
        Search {
            index,
            start,
            reviewer,
            weight,
            split: skip_for_paper != skip_for_reviewer,
            skip_for_paper,
            skip_for_reviewer,
            per_paper,
            per_reviewer,
        }
    }

    /// Adds term `t`'s contributions to a paper's sums (`w`: the paper's weight of `t`).
    fn add(&self, sums: &mut [f64], t: usize, w: f64) {
        let postings = self.start[t]..self.start[t + 1];
        for (&r, &rw) in self.reviewer[postings.clone()]
            .iter()
            .zip(&self.weight[postings])
        {
            sums[r as usize] += w * rw;
        }
    }

    /// Each paper's best reviewers and each reviewer's best papers among `papers`.
    fn papers_in(&self, papers: Range<usize>) -> Part {
        let reviewers = self.index.reviewers.len();
        let mut for_paper = vec![0.0f64; reviewers];
        let mut for_reviewer = vec![0.0f64; if self.split { reviewers } else { 0 }];
        let mut best = BestPerReviewer::new(reviewers, self.per_reviewer);
        let mut chosen = Best::new(self.per_paper);
        let mut dense = Dense::new(self.index.postings.len());
        let mut rows = Vec::with_capacity(papers.len() * self.per_paper.min(reviewers));
        for p in papers {
            let doc = &self.index.papers[p];
            for &(t, w) in doc {
                let t = t as usize;
                if !self.skip_for_paper[t] {
                    self.add(&mut for_paper, t, w);
                }
                if self.split && !self.skip_for_reviewer[t] {
                    self.add(&mut for_reviewer, t, w);
                }
            }
            // One scan over the sums offers each reviewer to the paper's list and the paper to
            // each reviewer's list; both keep a bar (zero at first: only positive sums count)
            // that most sums do not pass.
            chosen.clear();
            if self.split {
                for (r, &s) in for_paper.iter().enumerate() {
                    chosen.offer(s, r as u32);
                }
                for (r, &s) in for_reviewer.iter().enumerate() {
                    best.offer(r, p as u32, s);
                }
            } else {
                for (r, &s) in for_paper.iter().enumerate() {
                    chosen.offer(s, r as u32);
                    best.offer(r, p as u32, s);
                }
            }
            dense.load(doc);
            for &(_, r) in chosen.finish() {
                let r = r as usize;
                rows.push((p, r, dense.similarity(&self.index.reviewers[r])));
            }
            dense.unload(doc);
            for_paper.fill(0.0);
            for_reviewer.fill(0.0);
        }
        Part { rows, best }
    }
}

/// One paper's `k` best reviewers, offered in index order: a buffer of up to `2k` cut back to
/// the best `k` when full, whose k-th score is then the bar (a later reviewer that only ties
/// it loses on index).
struct Best {
    k: usize,
    kept: Vec<(f64, u32)>,
    bar: f64,
}

impl Best {
    fn new(k: usize) -> Best {
        Best {
            k,
            kept: Vec::with_capacity(2 * k),
            bar: 0.0,
        }
    }

    fn clear(&mut self) {
        self.kept.clear();
        self.bar = if self.k == 0 { f64::INFINITY } else { 0.0 };
    }

    #[inline]
    fn offer(&mut self, score: f64, x: u32) {
        if score > self.bar {
            self.kept.push((score, x));
            if self.kept.len() >= 2 * self.k {
                cut(&mut self.kept, self.k);
                self.bar = self.kept.last().map_or(0.0, |x| x.0);
            }
        }
    }

    /// The best `k`, best first.
    fn finish(&mut self) -> &[(f64, u32)] {
        cut(&mut self.kept, self.k);
        &self.kept
    }
}

/// One document's weights by term id, to take its cosine with many others: the products of
/// shared terms are added in term order from zero, exactly as [`TextIndex::similarity`]'s
/// merge adds them (adding the zero products of unshared terms changes no bit), without
/// the merge's unpredictable branches.
struct Dense {
    weight: Vec<f64>,
}

impl Dense {
    fn new(terms: usize) -> Dense {
        Dense {
            weight: vec![0.0; terms],
        }
    }

    fn load(&mut self, doc: &Doc) {
        for &(t, w) in doc {
            self.weight[t as usize] = w;
        }
    }

    fn unload(&mut self, doc: &Doc) {
        for &(t, _) in doc {
            self.weight[t as usize] = 0.0;
        }
    }

    fn similarity(&self, other: &Doc) -> f64 {
        other
            .iter()
            .fold(0.0, |sum, &(t, w)| sum + self.weight[t as usize] * w)
            .clamp(0.0, 1.0)
    }
}

/// Each reviewer's `k` best papers so far. Papers arrive in index order, so a paper that only
/// ties the k-th best loses to it (ties go to the lower index) and need not be kept: a buffer
/// of up to `2k` per reviewer is cut back to the best `k` when full, and the k-th score is
/// the bar later papers must beat.
struct BestPerReviewer {
    k: usize,
    kept: Vec<Vec<(f64, u32)>>,
    bar: Vec<f64>,
}

impl BestPerReviewer {
    fn new(reviewers: usize, k: usize) -> BestPerReviewer {
        BestPerReviewer {
            k,
            kept: vec![Vec::new(); reviewers],
            // Only positive scores are kept; none at all when `k` is 0.
            bar: vec![if k == 0 { f64::INFINITY } else { 0.0 }; reviewers],
        }
    }

    #[inline]
    fn offer(&mut self, r: usize, p: u32, score: f64) {
        if score > self.bar[r] {
            self.keep(r, p, score);
        }
    }

    fn keep(&mut self, r: usize, p: u32, score: f64) {
        let kept = &mut self.kept[r];
        kept.push((score, p));
        if kept.len() >= 2 * self.k {
            cut(kept, self.k);
            self.bar[r] = kept.last().map_or(0.0, |x| x.0);
        }
    }

    /// Each reviewer's papers, best first.
    fn into_lists(self) -> impl Iterator<Item = Vec<(f64, u32)>> {
        let k = self.k;
        self.kept.into_iter().map(move |mut kept| {
            cut(&mut kept, k);
            kept
        })
    }
}

/// Keeps the `k` best of `kept` (higher score, then lower index), sorted best first.
fn cut(kept: &mut Vec<(f64, u32)>, k: usize) {
    let order = |a: &(f64, u32), b: &(f64, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    if kept.len() > k && k > 0 {
        kept.select_nth_unstable_by(k - 1, order);
    }
    kept.truncate(k);
    kept.sort_unstable_by(order);
}

#[cfg(test)]
mod tests {
    use crate::assignment::affinity::{PaperText, ReviewerText};
    use crate::assignment::text_index::TextIndex;

    /// Texts from a small vocabulary with a skewed frequency, so that some terms are common
    /// in one direction only.
    fn texts(seed: u64, papers: usize, reviewers: usize) -> (Vec<PaperText>, Vec<ReviewerText>) {
        let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let words = [
            "graph",
            "network",
            "diffusion",
            "protein",
            "solver",
            "stiff",
            "flow",
            "kernel",
            "adjoint",
            "spectral",
            "mesh",
            "chaos",
            "ergodic",
            "latent",
        ];
        let mut text = |len: usize, bias: usize| {
            (0..len)
                .map(|_| words[(next(words.len()) * next(words.len()) + bias) % words.len()])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let p = (0..papers)
            .map(|_| PaperText {
                title: text(3, 0),
                abstract_text: text(6, 0),
                ..PaperText::default()
            })
            .collect();
        let r = (0..reviewers)
            .map(|_| ReviewerText {
                papers: vec![text(5, 3)],
                keywords: vec![text(1, 5)],
            })
            .collect();
        (p, r)
    }

    /// The one-pass search on 1 to 3 threads gives the rows of the two separate searches, bit
    /// for bit.
    fn agree(index: &TextIndex, per_paper: usize, per_reviewer: usize, common_min: usize) {
        let papers = index.top_k_with(per_paper, common_min);
        let reviewers = index.top_k_per_reviewer_with(per_reviewer, common_min);
        for threads in 1..=3 {
            let both = index.top_k_both_with(per_paper, per_reviewer, common_min, threads);
            assert_eq!(both.0, papers, "{threads} threads");
            assert_eq!(both.1, reviewers, "{threads} threads");
        }
    }

    #[test]
    fn one_pass_gives_the_rows_of_both_searches() {
        for seed in 1..40 {
            let (papers, reviewers) = texts(seed, 5 + seed as usize % 23, 3 + seed as usize % 17);
            let index = TextIndex::new(&papers, &reviewers);
            for (per_paper, per_reviewer) in [(1, 1), (3, 2), (4, 7), (50, 50), (0, 3)] {
                for common_min in [0, 1, 2, 4, 1000] {
                    agree(&index, per_paper, per_reviewer, common_min);
                }
            }
        }
    }

    #[test]
    fn the_index_is_the_same_built_on_any_number_of_threads() {
        let words = |t: &str| PaperText {
            title: t.into(),
            ..PaperText::default()
        };
        let expertise = |t: &str| ReviewerText {
            papers: vec![t.into()],
            keywords: vec!["zeta".into()],
        };
        // New words in every document, some already met in an earlier one.
        let small = (
            vec![words("alpha beta beta"), words("gamma alpha delta")],
            vec![expertise("epsilon beta"), expertise("delta eta theta")],
        );
        let random = (1..20).map(|seed| texts(seed, 3 + seed as usize % 11, 2 + seed as usize % 7));
        for (papers, reviewers) in std::iter::once(small).chain(random) {
            let one = TextIndex::new_on(&papers, &reviewers, 1);
            for threads in 2..=4 {
                let many = TextIndex::new_on(&papers, &reviewers, threads);
                assert_eq!(many.papers, one.papers);
                assert_eq!(many.reviewers, one.reviewers);
                assert_eq!(many.postings, one.postings);
            }
        }
    }

    #[test]
    fn a_term_common_among_papers_only_is_skipped_for_reviewers_only() {
        let papers: Vec<PaperText> = (0..8)
            .map(|i| PaperText {
                title: format!("alpha {}", ["graph", "flow", "mesh", "chaos"][i % 4]),
                ..PaperText::default()
            })
            .collect();
        let reviewers: Vec<ReviewerText> = ["alpha graph", "alpha flow", "mesh", "chaos", "graph"]
            .iter()
            .map(|t| ReviewerText {
                papers: vec![t.to_string()],
                keywords: vec![],
            })
            .collect();
        let index = TextIndex::new(&papers, &reviewers);
        // "alpha": in 8 papers (> 3, skipped when choosing reviewers' papers) and 2 reviewers.
        agree(&index, 2, 2, 3);
        agree(&index, 1, 3, 3);
    }
}
