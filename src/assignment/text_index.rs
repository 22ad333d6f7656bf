//! The TF-IDF index behind affinity: term ids, weighted and normalised vectors of papers and
//! reviewers, an inverted index over reviewers, and the searches for each paper's and each
//! reviewer's most similar counterparts ([`TextIndex::top_k`], [`TextIndex::top_k_per_reviewer`],
//! both at once in [`TextIndex::top_k_both`], see `top_k`). Weights as in [`super::affinity`].

use std::ops::Range;

use crate::assignment::affinity::{PaperText, ReviewerText, for_each_word, term_of};
use crate::assignment::fxhash::FxMap;
use crate::assignment::parallel::{available_threads, ranges, run_parts};

/// Below this many documents one thread builds the whole index.
const DOCS_PER_THREAD: usize = 2000;

/// A sparse vector: (term id, weight), sorted by term id.
pub(crate) type Doc = Vec<(u32, f64)>;

/// What a word already met stands for, in [`Vocabulary::known`]: a stop word has no term.
const STOP_WORD: u32 = u32::MAX;

#[derive(Default)]
struct Vocabulary {
    ids: FxMap<String, u32>,
    df: Vec<u32>,
    /// Each lower-cased word met so far with its term id (or [`STOP_WORD`]): one hash lookup
    /// per word instead of a stop-word search, the plural strip and a lookup of the term.
    known: FxMap<String, u32>,
    /// (term, weight) of each word of the document being counted.
    words: Vec<(u32, u32)>,
}

impl Vocabulary {
    /// The term id of a lower-cased word (`STOP_WORD` for a stop word), giving the next id
    /// to a term met for the first time.
    fn term(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.known.get(word) {
            return id;
        }
        let id = match term_of(word) {
            None => STOP_WORD,
            Some(term) => match self.ids.get(term) {
                Some(&id) => id,
                None => {
                    let id = self.df.len() as u32;
                    self.ids.insert(term.to_string(), id);
                    self.df.push(0);
                    id
                }
            },
        };
        self.known.insert(word.to_string(), id);
        id
    }

    /// Term counts of one document (pieces with weights), registering document frequency.
    /// Ids are given in order of first appearance.
    fn count(&mut self, pieces: &[(&str, u32)]) -> Doc {
        let mut words = std::mem::take(&mut self.words);
        words.clear();
        for &(text, weight) in pieces {
            for_each_word(text, |word| {
                let id = self.term(word);
                if id != STOP_WORD {
                    words.push((id, weight));
                }
            });
        }
        words.sort_unstable_by_key(|&(t, _)| t);
        let mut terms: Doc = Vec::new();
        for &(t, weight) in &words {
            match terms.last_mut() {
                Some((last, count)) if *last == t => *count += f64::from(weight),
                _ => terms.push((t, f64::from(weight))),
            }
        }
        for &(t, _) in &terms {
            self.df[t as usize] += 1;
        }
        self.words = words;
        terms
    }

    /// Takes in the words and counts of `part`, which counted the documents that follow those
    /// counted so far: its words new here get the next ids in `part`'s order, and `docs`
    /// (counted by `part`) are renumbered to these ids.
    fn absorb(&mut self, part: Vocabulary, docs: &mut [Doc]) {
        if self.df.is_empty() {
            *self = part;
            return;
        }
        let mut words = vec![String::new(); part.df.len()];
        for (word, id) in part.ids {
            words[id as usize] = word;
        }
        let mut renumbered = Vec::with_capacity(words.len());
        for (word, df) in words.into_iter().zip(part.df) {
            let next = self.df.len() as u32;
            let id = *self.ids.entry(word).or_insert(next);
            if id == next {
                self.df.push(0);
            }
            self.df[id as usize] += df;
            renumbered.push(id);
        }
        for doc in docs {
            for (t, _) in doc.iter_mut() {
                *t = renumbered[*t as usize];
            }
            doc.sort_unstable_by_key(|&(t, _)| t);
        }
    }
}

fn weigh(docs: &mut [Doc], idf: &[f64]) {
    for doc in docs {
        for (t, w) in doc.iter_mut() {
            *w = (1.0 + w.ln()) * idf[*t as usize];
        }
        let norm = doc.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
        if norm > 0.0 {
            for (_, w) in doc.iter_mut() {
                *w /= norm;
            }
        }
    }
}

/// TF-IDF vectors of papers and reviewers with an inverted index over reviewers.
#[derive(Debug, PartialEq)]
pub struct TextIndex {
    pub(crate) papers: Vec<Doc>,
    pub(crate) reviewers: Vec<Doc>,
    /// Term -> (reviewer, weight), by reviewer.
    pub(crate) postings: Vec<Doc>,
    /// Whether each term is common among reviewers (in more of their documents than
    /// [`COMMON_TERM_MIN`] and than a quarter of them). Such terms are left out of choosing a
    /// paper's reviewers, and a cosine adds their products after all the others, so that the
    /// search's sums over the other terms are the first part of the cosine, bit for bit.
    pub(crate) common: Vec<bool>,
}

impl TextIndex {
    /// Builds the vectors and the index, tokenizing on as many threads as the machine has
    /// (the index does not depend on it).
    pub fn new(papers: &[PaperText], reviewers: &[ReviewerText]) -> Self {
        let threads = available_threads().min((papers.len() + reviewers.len()) / DOCS_PER_THREAD);
        Self::new_on(papers, reviewers, threads)
    }

    /// [`TextIndex::new`] on `threads` threads.
    ///
    /// Term ids are given in order of first appearance over the papers then the reviewers.
    /// Each thread counts a contiguous range of those documents with its own vocabulary; the
    /// vocabularies are merged in range order, each range's new words taking the next ids in
    /// their own order of first appearance, which is the order one thread would give them.
    pub fn new_on(papers: &[PaperText], reviewers: &[ReviewerText], threads: usize) -> Self {
        let count = |documents: Range<usize>| {
            let mut vocab = Vocabulary::default();
            let docs: Vec<Doc> = documents
                .map(|i| match papers.get(i) {
                    Some(p) => {
                        let keywords = p.keywords.join(" ");
                        vocab.count(&[
                            (&p.title, 2),
                            (&keywords, 2),
                            (&p.abstract_text, 1),
                            (&p.body, 1),
                        ])
                    }
                    None => {
                        let r = &reviewers[i - papers.len()];
                        let keywords = r.keywords.join(" ");
                        let mut pieces: Vec<(&str, u32)> =
                            r.papers.iter().map(|t| (t.as_str(), 1)).collect();
                        pieces.push((&keywords, 2));
                        vocab.count(&pieces)
                    }
                })
                .collect();
            (vocab, docs)
        };
        let parts = run_parts(ranges(papers.len() + reviewers.len(), threads), count);
        let mut vocab = Vocabulary::default();
        let mut all_docs: Vec<Doc> = Vec::with_capacity(papers.len() + reviewers.len());
        for (part, mut docs) in parts {
            vocab.absorb(part, &mut docs);
            all_docs.append(&mut docs);
        }
        let mut reviewer_docs = all_docs.split_off(papers.len());
        let mut paper_docs = all_docs;
        let docs = (papers.len() + reviewers.len()) as f64;
        let idf: Vec<f64> = vocab
            .df
            .iter()
            .map(|&df| ((1.0 + docs) / (1.0 + f64::from(df))).ln() + 1.0)
            .collect();
        weigh(&mut paper_docs, &idf);
        weigh(&mut reviewer_docs, &idf);
        let mut postings: Vec<Doc> = vec![Vec::new(); vocab.df.len()];
        for (r, doc) in reviewer_docs.iter().enumerate() {
            for &(t, w) in doc {
                postings[t as usize].push((r as u32, w));
            }
        }
        let mut index = Self {
            papers: paper_docs,
            reviewers: reviewer_docs,
            postings,
            common: Vec::new(),
        };
        index.set_common(COMMON_TERM_MIN);
        index
    }

    /// Marks as common the terms in more reviewers' documents than `common_min` and than a
    /// quarter of them (tests use small cut-offs, to have common terms in small indexes).
    pub(crate) fn set_common(&mut self, common_min: usize) {
        let common_among = common_min.max(self.reviewers.len() / 4);
        self.common = self
            .postings
            .iter()
            .map(|l| l.len() > common_among)
            .collect();
    }

    /// Cosine similarity of paper `p` and reviewer `r`, in `[0, 1]`: the products of their
    /// shared terms added in term order, the common terms' after the others (see
    /// [`TextIndex::common`]).
    pub fn similarity(&self, p: usize, r: usize) -> f64 {
        let (a, b) = (&self.papers[p], &self.reviewers[r]);
        let mut sum = 0.0;
        for common in [false, true] {
            let (mut i, mut j) = (0, 0);
            while i < a.len() && j < b.len() {
                match a[i].0.cmp(&b[j].0) {
                    std::cmp::Ordering::Less => i += 1,
                    std::cmp::Ordering::Greater => j += 1,
                    std::cmp::Ordering::Equal => {
                        if self.common[a[i].0 as usize] == common {
                            sum += a[i].1 * b[j].1;
                        }
                        i += 1;
                        j += 1;
                    }
                }
            }
        }
        sum.clamp(0.0, 1.0)
    }

    /// The similarity of paper `p` to every reviewer, into `out` (resized to the number of
    /// reviewers): one pass over the paper's terms' postings instead of a merge per reviewer,
    /// the common terms last as in [`TextIndex::similarity`].
    pub fn paper_scores(&self, p: usize, out: &mut Vec<f64>) {
        out.clear();
        out.resize(self.reviewers.len(), 0.0);
        for common in [false, true] {
            for &(t, w) in &self.papers[p] {
                if self.common[t as usize] != common {
                    continue;
                }
                for &(r, rw) in &self.postings[t as usize] {
                    out[r as usize] += w * rw;
                }
            }
        }
        for v in out.iter_mut() {
            *v = v.clamp(0.0, 1.0);
        }
    }

    /// Every paper's `top_k` most similar reviewers with a positive score (ties by reviewer
    /// index), as `(paper, reviewer, similarity)` rows sorted by paper then rank.
    pub fn top_k(&self, top_k: usize) -> Vec<(usize, usize, f64)> {
        self.top_k_with(top_k, COMMON_TERM_MIN)
    }

    pub(crate) fn top_k_with(&self, top_k: usize, common_min: usize) -> Vec<(usize, usize, f64)> {
        let mut rows = best_matches(
            &self.papers,
            &self.postings,
            self.reviewers.len(),
            top_k,
            common_min,
        );
        for row in &mut rows {
            row.2 = self.similarity(row.0, row.1);
        }
        rows
    }

    /// Every reviewer's `top_k` most similar papers with a positive score, as `(paper,
    /// reviewer, similarity)` rows sorted by reviewer then rank: with [`TextIndex::top_k`],
    /// every reviewer has candidates even when other reviewers match every paper better.
    pub fn top_k_per_reviewer(&self, top_k: usize) -> Vec<(usize, usize, f64)> {
        self.top_k_per_reviewer_with(top_k, COMMON_TERM_MIN)
    }

    pub(crate) fn top_k_per_reviewer_with(
        &self,
        top_k: usize,
        common_min: usize,
    ) -> Vec<(usize, usize, f64)> {
        best_matches(
            &self.reviewers,
            &self.paper_postings(),
            self.papers.len(),
            top_k,
            common_min,
        )
        .into_iter()
        .map(|(r, p, _)| (p, r, self.similarity(p, r)))
        .collect()
    }

    /// Term -> (paper, weight), by paper.
    pub(crate) fn paper_postings(&self) -> Vec<Doc> {
        let mut paper_postings: Vec<Doc> = vec![Vec::new(); self.postings.len()];
        for (p, doc) in self.papers.iter().enumerate() {
            for &(t, w) in doc {
                paper_postings[t as usize].push((p as u32, w));
            }
        }
        paper_postings
    }
}

/// A term in more documents than this (and than a quarter of the targets) is not used to
/// choose candidates.
pub(crate) const COMMON_TERM_MIN: usize = 1000;

/// For each query document, its `top_k` best targets through `postings` (term -> targets):
/// scores accumulate over shared terms only; the best are chosen in linear time and only they
/// are sorted. Rows `(query, target, score)`.
pub(crate) fn best_matches(
    queries: &[Doc],
    postings: &[Doc],
    targets: usize,
    top_k: usize,
    common_min: usize,
) -> Vec<(usize, usize, f64)> {
    let mut score = vec![0.0f64; targets];
    let mut touched: Vec<u32> = Vec::new();
    let mut rows = Vec::new();
    // Terms found in most documents say little about who matches whom but make the search
    // quadratic; they are skipped when choosing candidates (the similarity reported is still
    // the full cosine).
    let common = common_min.max(targets / 4);
    for (q, doc) in queries.iter().enumerate() {
        for &(t, w) in doc {
            let list = &postings[t as usize];
            if list.len() > common {
                continue;
            }
            for &(x, xw) in list {
                if score[x as usize] == 0.0 {
                    touched.push(x);
                }
                score[x as usize] += w * xw;
            }
        }
        let order = |a: &u32, b: &u32| {
            score[*b as usize]
                .total_cmp(&score[*a as usize])
                .then(a.cmp(b))
        };
        let keep = top_k.min(touched.len());
        if keep > 0 && keep < touched.len() {
            touched.select_nth_unstable_by(keep - 1, order);
        }
        touched[..keep].sort_unstable_by(order);
        for &x in &touched[..keep] {
            rows.push((q, x as usize, score[x as usize].clamp(0.0, 1.0)));
        }
        for &x in &touched {
            score[x as usize] = 0.0;
        }
        touched.clear();
    }
    rows
}
