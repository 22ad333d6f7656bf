//! Each paper's best reviewers and each reviewer's best papers by text in one pass over the
//! inverted index ([`TextIndex::top_k_both`]): the same rows as [`TextIndex::top_k`] and
//! [`TextIndex::top_k_per_reviewer`] (tested below), at half the cost, because one
//! accumulation of a paper's scores against every reviewer serves both directions.
//!
//! Same results, bit for bit: a pair's score is summed over the same terms in the same order
//! (by term id) as in the two separate searches, the same common terms are skipped in each
//! direction, and ties go to the lower index in both.

use crate::assignment::text_index::{COMMON_TERM_MIN, Doc, TextIndex};

/// `(paper, reviewer, similarity)`.
pub type Row = (usize, usize, f64);

impl TextIndex {
    /// `(top_k(per_paper), top_k_per_reviewer(per_reviewer))`, computed together.
    pub fn top_k_both(&self, per_paper: usize, per_reviewer: usize) -> (Vec<Row>, Vec<Row>) {
        self.top_k_both_with(per_paper, per_reviewer, COMMON_TERM_MIN)
    }

    pub(crate) fn top_k_both_with(
        &self,
        per_paper: usize,
        per_reviewer: usize,
        common_min: usize,
    ) -> (Vec<Row>, Vec<Row>) {
        let (papers, reviewers) = (self.papers.len(), self.reviewers.len());
        let mut paper_df = vec![0usize; self.postings.len()];
        for doc in &self.papers {
            for &(t, _) in doc {
                paper_df[t as usize] += 1;
            }
        }
        // As in `best_matches`: a term is left out of choosing a paper's reviewers when too
        // many reviewers have it, and out of choosing a reviewer's papers when too many
        // papers have it.
        let skip_for_paper: Vec<bool> = self
            .postings
            .iter()
            .map(|list| list.len() > common_min.max(reviewers / 4))
            .collect();
        let skip_for_reviewer: Vec<bool> = paper_df
            .iter()
            .map(|&df| df > common_min.max(papers / 4))
            .collect();
        // Usually both directions skip the same terms and one sum serves both; otherwise the
        // reviewers' direction keeps its own sums.
        let split = skip_for_paper != skip_for_reviewer;
        let mut for_paper = Scores::new(reviewers);
        let mut for_reviewer = Scores::new(if split { reviewers } else { 0 });
        let mut best_papers = BestPerReviewer::new(reviewers, per_reviewer);
        let mut paper_rows = Vec::new();
        let mut dense = Dense::new(self.postings.len());
        for (p, doc) in self.papers.iter().enumerate() {
            for &(t, w) in doc {
                let list = &self.postings[t as usize];
                if !skip_for_paper[t as usize] {
                    for_paper.add(list, w);
                }
                if split && !skip_for_reviewer[t as usize] {
                    for_reviewer.add(list, w);
                }
            }
            for_paper.gather();
            for_reviewer.gather();
            dense.load(doc);
            for r in for_paper.best(per_paper) {
                let r = r as usize;
                paper_rows.push((p, r, dense.similarity(&self.reviewers[r])));
            }
            dense.unload(doc);
            let sums = if split { &for_reviewer } else { &for_paper };
            for &r in &sums.touched {
                best_papers.offer(r as usize, p as u32, sums.score[r as usize]);
            }
            for_paper.clear();
            for_reviewer.clear();
        }
        let mut reviewer_rows = Vec::new();
        for (r, papers) in best_papers.into_lists() {
            let doc = &self.reviewers[r];
            dense.load(doc);
            for (_, p) in papers {
                let p = p as usize;
                reviewer_rows.push((p, r, dense.similarity(&self.papers[p])));
            }
            dense.unload(doc);
        }
        (paper_rows, reviewer_rows)
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

/// One paper's partial scores against every reviewer, and which are non-zero.
struct Scores {
    score: Vec<f64>,
    touched: Vec<u32>,
}

impl Scores {
    fn new(n: usize) -> Scores {
        Scores {
            score: vec![0.0; n],
            touched: Vec::new(),
        }
    }

    /// Adds a term's contributions. Which scores became non-zero is found afterwards by one
    /// scan ([`Scores::gather`]): a test per posting was a branch the processor mispredicted.
    fn add(&mut self, list: &Doc, w: f64) {
        for &(x, xw) in list {
            self.score[x as usize] += w * xw;
        }
    }

    /// Lists the non-zero scores (every contribution is positive).
    fn gather(&mut self) {
        self.touched.clear();
        let score = &self.score;
        self.touched
            .extend((0..score.len() as u32).filter(|&x| score[x as usize] != 0.0));
    }

    /// The `k` best (ties to the lower index), best first.
    fn best(&mut self, k: usize) -> Vec<u32> {
        let score = &self.score;
        let order = |a: &u32, b: &u32| {
            score[*b as usize]
                .total_cmp(&score[*a as usize])
                .then(a.cmp(b))
        };
        let keep = k.min(self.touched.len());
        let mut chosen = self.touched.clone();
        if keep > 0 && keep < chosen.len() {
            chosen.select_nth_unstable_by(keep - 1, order);
        }
        chosen.truncate(keep);
        chosen.sort_unstable_by(order);
        chosen
    }

    fn clear(&mut self) {
        for &x in &self.touched {
            self.score[x as usize] = 0.0;
        }
        self.touched.clear();
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
            bar: vec![f64::NEG_INFINITY; reviewers],
        }
    }

    fn offer(&mut self, r: usize, p: u32, score: f64) {
        if self.k == 0 || score <= self.bar[r] {
            return;
        }
        let kept = &mut self.kept[r];
        kept.push((score, p));
        if kept.len() >= 2 * self.k {
            cut(kept, self.k);
            self.bar[r] = kept.last().map_or(f64::NEG_INFINITY, |x| x.0);
        }
    }

    /// Each reviewer's papers, best first.
    fn into_lists(self) -> impl Iterator<Item = (usize, Vec<(f64, u32)>)> {
        let k = self.k;
        self.kept.into_iter().enumerate().map(move |(r, mut kept)| {
            cut(&mut kept, k);
            (r, kept)
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

    fn agree(index: &TextIndex, per_paper: usize, per_reviewer: usize, common_min: usize) {
        let (papers, reviewers) = index.top_k_both_with(per_paper, per_reviewer, common_min);
        assert_eq!(papers, index.top_k_with(per_paper, common_min));
        assert_eq!(
            reviewers,
            index.top_k_per_reviewer_with(per_reviewer, common_min)
        );
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
