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
//! The loop that costs: adding each posting's product to the paper's sum for its reviewer.
//! The postings are cut into blocks of [`BLOCK`] reviewers, and a paper's terms are added one
//! block at a time, so the sums being added to stay in the first-level cache; one scan over a
//! block's sums then offers each reviewer to the paper's list and the paper to the reviewer's
//! list, each behind a bar that few sums pass. The sum that chose a reviewer is the cosine
//! without the common terms' products, which [`TextIndex::similarity`] adds last: a chosen
//! pair's cosine is that sum plus the few products of their shared common terms, instead of
//! a pass over the reviewer's whole document.

use std::ops::Range;

use crate::assignment::best_lists::{Best, BestPerReviewer, cut};
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
        self.top_k_both_in_blocks(per_paper, per_reviewer, common_min, threads, BLOCK)
    }

    /// [`TextIndex::top_k_both_with`] with the reviewers' sums in blocks of `block` (at most
    /// [`BLOCK`]; tests use small ones, to have many blocks in small indexes).
    fn top_k_both_in_blocks(
        &self,
        per_paper: usize,
        per_reviewer: usize,
        common_min: usize,
        threads: usize,
        block: usize,
    ) -> (Vec<Row>, Vec<Row>) {
        let search = Search::new(self, per_paper, per_reviewer, common_min, block);
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
        let mut dense = Dense::new(&self.common);
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

/// Reviewers per block of the sums. A paper's postings are added block by block, so the sums
/// being added to (one or two arrays of this many `f64`) stay in the core's first-level
/// cache instead of spilling the whole conference's sums to the second level; the additions
/// into each sum still come in term order, so the sums are the same bit for bit.
const BLOCK: usize = 1024;

/// Papers searched together, block by block (see [`Search::papers_in`]).
const CHUNK: usize = 16;

/// The sums of one block of reviewers, indexed by a reviewer's offset in its block.
type BlockSums = [f64; BLOCK];

/// Which direction's sums a term is added to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    Both,
    /// Only choosing papers' reviewers (too common among papers to choose reviewers' papers).
    PaperOnly,
    /// Only choosing reviewers' papers (too common among reviewers).
    ReviewerOnly,
    Neither,
}

/// The inverted index over one block of reviewers as flat arrays: term `t`'s postings are
/// `start[t]..start[t + 1]` of `offset` (the reviewer's offset in the block) and `weight`.
struct BlockPostings {
    first: usize,
    len: usize,
    start: Vec<usize>,
    offset: Vec<u16>,
    weight: Vec<f64>,
}

impl BlockPostings {
    fn postings(&self, t: usize) -> (&[u16], &[f64]) {
        let range = self.start[t]..self.start[t + 1];
        (&self.offset[range.clone()], &self.weight[range])
    }

    /// Adds term `t`'s contributions to one direction's sums (`w`: the paper's weight of `t`).
    fn add(&self, sums: &mut BlockSums, t: usize, w: f64) {
        let (offsets, weights) = self.postings(t);
        for (&i, &rw) in offsets.iter().zip(weights) {
            sums[usize::from(i) % BLOCK] += w * rw;
        }
    }

    /// Adds term `t`'s contributions to both directions' sums in one pass over its postings.
    fn add_both(&self, a: &mut BlockSums, b: &mut BlockSums, t: usize, w: f64) {
        let (offsets, weights) = self.postings(t);
        for (&i, &rw) in offsets.iter().zip(weights) {
            let product = w * rw;
            a[usize::from(i) % BLOCK] += product;
            b[usize::from(i) % BLOCK] += product;
        }
    }
}

/// The inverted index over reviewers cut into blocks, and which terms each direction leaves
/// out.
struct Search<'a> {
    index: &'a TextIndex,
    blocks: Vec<BlockPostings>,
    /// Each term's use (see [`Use`]).
    use_of: Vec<Use>,
    /// Whether the two directions skip different terms (then each has its own sums).
    split: bool,
    /// Each reviewer's common terms, when the terms left out of choosing papers' reviewers
    /// are the index's common terms (always, but in tests of other cut-offs): then the sum
    /// that chose a reviewer is the first part of the cosine, and only these are left to add.
    common_of_reviewer: Option<CommonTerms>,
    per_paper: usize,
    per_reviewer: usize,
}

/// Each reviewer's common terms (see [`TextIndex::common`]), by term id: reviewer `r`'s are
/// `terms[start[r]..start[r + 1]]`.
struct CommonTerms {
    start: Vec<usize>,
    terms: Vec<(u32, f64)>,
}

impl CommonTerms {
    fn new(index: &TextIndex) -> Self {
        let mut start = Vec::with_capacity(index.reviewers.len() + 1);
        let mut terms = Vec::new();
        start.push(0);
        for doc in &index.reviewers {
            terms.extend(doc.iter().filter(|x| index.common[x.0 as usize]));
            start.push(terms.len());
        }
        CommonTerms { start, terms }
    }

    /// Reads the start of each chosen reviewer's common terms once, before any is needed:
    /// the reads do not wait on one another, so their cache misses overlap instead of coming
    /// one after the other in [`CommonTerms::finish`].
    fn touch(&self, chosen: &[(f64, u32)]) {
        let mut first = 0.0;
        for &(_, r) in chosen {
            if let Some(&(_, w)) = self.terms.get(self.start[r as usize]) {
                first += w;
            }
        }
        std::hint::black_box(first);
    }

    /// The cosine of a paper and reviewer `r` from `sum`, the products of their shared terms
    /// other than common ones added in term order: the shared common terms' products added
    /// after them, in term order, as [`TextIndex::similarity`] does (the reviewer's common
    /// terms the paper lacks add zero, which changes no bit). `paper`: the paper's common
    /// terms' weights.
    fn finish(&self, sum: f64, paper: &Dense<'_>, r: usize) -> f64 {
        self.terms[self.start[r]..self.start[r + 1]]
            .iter()
            .fold(sum, |sum, &(t, w)| sum + paper.weight[t as usize] * w)
            .clamp(0.0, 1.0)
    }
}

/// One range of papers' results: their rows, and each reviewer's best papers among them.
struct Part {
    rows: Vec<Row>,
    best: BestPerReviewer,
}

impl<'a> Search<'a> {
    fn new(
        index: &'a TextIndex,
        per_paper: usize,
        per_reviewer: usize,
        common_min: usize,
        block: usize,
    ) -> Self {
        let block = block.clamp(1, BLOCK);
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
        let use_of: Vec<Use> = index
            .postings
            .iter()
            .zip(&paper_df)
            .map(|(list, &df)| {
                let for_paper = list.len() <= common_min.max(reviewers / 4);
                let for_reviewer = df <= common_min.max(papers / 4);
                match (for_paper, for_reviewer) {
                    (true, true) => Use::Both,
                    (true, false) => Use::PaperOnly,
                    (false, true) => Use::ReviewerOnly,
                    (false, false) => Use::Neither,
                }
            })
            .collect();
        let blocks = (0..reviewers.div_ceil(block))
            .map(|b| {
                let first = b * block;
                let len = block.min(reviewers - first);
                let mut block = BlockPostings {
                    first,
                    len,
                    start: Vec::with_capacity(index.postings.len() + 1),
                    offset: Vec::new(),
                    weight: Vec::new(),
                };
                block.start.push(0);
                for list in &index.postings {
                    // Postings are sorted by reviewer: this block's are one run.
                    let from = list.partition_point(|x| (x.0 as usize) < first);
                    let to = list.partition_point(|x| (x.0 as usize) < first + len);
                    for &(r, w) in &list[from..to] {
                        // Less than BLOCK, so it fits.
                        block.offset.push((r as usize - first) as u16);
                        block.weight.push(w);
                    }
                    block.start.push(block.offset.len());
                }
                block
            })
            .collect();
        let skips_common = use_of
            .iter()
            .zip(&index.common)
            .all(|(&u, &common)| (u == Use::ReviewerOnly || u == Use::Neither) == common);
        Search {
            index,
            blocks,
            split: use_of
                .iter()
                .any(|&u| u == Use::PaperOnly || u == Use::ReviewerOnly),
            common_of_reviewer: skips_common.then(|| CommonTerms::new(index)),
            use_of,
            per_paper,
            per_reviewer,
        }
    }

    /// Each paper's best reviewers and each reviewer's best papers among `papers`.
    ///
    /// Papers go in chunks of [`CHUNK`], and each block of reviewers is searched for every
    /// paper of the chunk before the next block, so the block's postings are read from the
    /// second-level cache for all but the first paper. Each paper still meets the blocks in
    /// reviewer order and each reviewer the papers in paper order, so nothing else changes.
    fn papers_in(&self, papers: Range<usize>) -> Part {
        let reviewers = self.index.reviewers.len();
        let mut for_paper: Box<BlockSums> = Box::new([0.0; BLOCK]);
        let mut for_reviewer: Box<BlockSums> = Box::new([0.0; BLOCK]);
        let mut best = BestPerReviewer::new(reviewers, self.per_reviewer);
        let mut chosen: Vec<Best> = (0..CHUNK).map(|_| Best::new(self.per_paper)).collect();
        let mut terms: Vec<Vec<(usize, f64, Use)>> = vec![Vec::new(); CHUNK];
        let mut dense = Dense::new(&self.index.common);
        let mut rows = Vec::with_capacity(papers.len() * self.per_paper.min(reviewers));
        for first in papers.clone().step_by(CHUNK) {
            let chunk = first..papers.end.min(first + CHUNK);
            for (p, (terms, chosen)) in chunk.clone().zip(terms.iter_mut().zip(&mut chosen)) {
                terms.clear();
                terms.extend(
                    self.index.papers[p]
                        .iter()
                        .map(|&(t, w)| (t as usize, w, self.use_of[t as usize]))
                        .filter(|x| x.2 != Use::Neither),
                );
                chosen.clear();
            }
            for block in &self.blocks {
                for (p, (terms, chosen)) in chunk.clone().zip(terms.iter().zip(&mut chosen)) {
                    if self.split {
                        for &(t, w, use_for) in terms {
                            match use_for {
                                Use::Both => {
                                    block.add_both(&mut for_paper, &mut for_reviewer, t, w);
                                }
                                Use::PaperOnly => block.add(&mut for_paper, t, w),
                                Use::ReviewerOnly => block.add(&mut for_reviewer, t, w),
                                Use::Neither => {}
                            }
                        }
                    } else {
                        for &(t, w, _) in terms {
                            block.add(&mut for_paper, t, w);
                        }
                    }
                    // The block's sums offer each reviewer to the paper's list and the paper
                    // to each reviewer's list; both keep a bar (zero at first: only positive
                    // sums count) that most sums do not pass.
                    let by_reviewer: &BlockSums = if self.split {
                        &for_reviewer
                    } else {
                        &for_paper
                    };
                    chosen.offer_block(block.first, &for_paper[..block.len]);
                    best.offer_block(block.first, &by_reviewer[..block.len], p as u32);
                    for_paper.fill(0.0);
                    if self.split {
                        for_reviewer.fill(0.0);
                    }
                }
            }
            for (p, chosen) in chunk.zip(&mut chosen) {
                let doc = &self.index.papers[p];
                let chosen = chosen.finish();
                if let Some(common_of_reviewer) = &self.common_of_reviewer {
                    common_of_reviewer.touch(chosen);
                    dense.load_common(doc);
                    for &(sum, r) in chosen {
                        let r = r as usize;
                        rows.push((p, r, common_of_reviewer.finish(sum, &dense, r)));
                    }
                } else {
                    dense.load(doc);
                    for &(_, r) in chosen {
                        let r = r as usize;
                        rows.push((p, r, dense.similarity(&self.index.reviewers[r])));
                    }
                }
                dense.unload(doc);
            }
        }
        Part { rows, best }
    }
}

/// One document's weights by term id, to take its cosine with many others: the products of
/// shared terms are added in term order from zero, the common terms' last, exactly as
/// [`TextIndex::similarity`]'s merge adds them (adding the zero products of unshared terms
/// changes no bit), without the merge's unpredictable branches.
struct Dense<'a> {
    weight: Vec<f64>,
    common: &'a [bool],
}

impl<'a> Dense<'a> {
    fn new(common: &'a [bool]) -> Self {
        Dense {
            weight: vec![0.0; common.len()],
            common,
        }
    }

    fn load(&mut self, doc: &Doc) {
        for &(t, w) in doc {
            self.weight[t as usize] = w;
        }
    }

    /// Loads only the document's common terms.
    fn load_common(&mut self, doc: &Doc) {
        for &(t, w) in doc {
            if self.common[t as usize] {
                self.weight[t as usize] = w;
            }
        }
    }

    fn unload(&mut self, doc: &Doc) {
        for &(t, _) in doc {
            self.weight[t as usize] = 0.0;
        }
    }

    fn similarity(&self, other: &Doc) -> f64 {
        let mut sum = 0.0;
        for common in [false, true] {
            for &(t, w) in other {
                if self.common[t as usize] == common {
                    sum += self.weight[t as usize] * w;
                }
            }
        }
        sum.clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::BLOCK;
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
    /// for bit: with the index's common terms cut at `common_min` too (each chosen pair's
    /// cosine finished from the sum that chose it) and at the usual cut-off (each cosine taken
    /// in full).
    fn agree(index: &TextIndex, per_paper: usize, per_reviewer: usize, common_min: usize) {
        let mut cut_there = TextIndex {
            papers: index.papers.clone(),
            reviewers: index.reviewers.clone(),
            postings: index.postings.clone(),
            common: Vec::new(),
        };
        cut_there.set_common(common_min);
        for index in [index, &cut_there] {
            let papers = index.top_k_with(per_paper, common_min);
            let reviewers = index.top_k_per_reviewer_with(per_reviewer, common_min);
            for (threads, block) in [(1, BLOCK), (2, BLOCK), (3, BLOCK), (1, 1), (2, 3), (3, 4)] {
                let both =
                    index.top_k_both_in_blocks(per_paper, per_reviewer, common_min, threads, block);
                assert_eq!(both.0, papers, "{threads} threads, blocks of {block}");
                assert_eq!(both.1, reviewers, "{threads} threads, blocks of {block}");
            }
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
