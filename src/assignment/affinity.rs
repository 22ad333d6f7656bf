//! Affinity between papers and reviewers: TF-IDF cosine similarity of text, combined with bids.
//!
//! A paper's text is its title and keywords (each counted twice), abstract and the text of its
//! first pages; a reviewer's expertise is the text of their own submissions plus their profile
//! keywords (counted twice). Weights are `(1 + ln tf) × idf` with
//! `idf = ln((1 + D) / (1 + df)) + 1` over all paper and reviewer documents, L2-normalised.
//! Each paper's top-K reviewers come from an inverted index over reviewer vectors, so the work
//! is proportional to shared terms, never papers × reviewers. Bids then adjust the score (see
//! [`Bid`]) and "conflict" bids become conflicts. The formula is in `docs/assignment.md`.

use crate::assignment::problem::Candidate;
use std::collections::HashMap;

/// A paper's text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaperText {
    /// Title.
    pub title: String,
    /// Abstract.
    pub abstract_text: String,
    /// Author keywords.
    pub keywords: Vec<String>,
    /// Text of the first pages (may be empty).
    pub body: String,
}

/// A reviewer's expertise.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewerText {
    /// Text of the reviewer's own submissions (titles, abstracts, ...).
    pub papers: Vec<String>,
    /// Profile keywords.
    pub keywords: Vec<String>,
}

/// A reviewer's bid on a paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bid {
    /// Wants to review it: `min(1, text + 0.3)`, always a candidate.
    Eager,
    /// Would review it: `min(1, text + 0.1)`, always a candidate.
    Willing,
    /// Prefers not to: `text × 0.25`.
    NotWilling,
    /// Declares a conflict: never assigned.
    Conflict,
}

/// Candidates and the conflicts declared through bids.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AffinityResult {
    /// Each paper's top-K candidates plus every eager/willing bid, affinity in `[0, 1]` rounded
    /// to 4 decimals; sorted by (paper, reviewer).
    pub candidates: Vec<Candidate>,
    /// `(paper, reviewer)` pairs with a conflict bid.
    pub bid_conflicts: Vec<(usize, usize)>,
}

/// English stop words dropped by the tokenizer.
const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few",
    "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him",
    "his", "how", "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "may",
    "me", "more", "most", "must", "my", "no", "nor", "not", "now", "of", "off", "on", "once",
    "only", "or", "other", "our", "ours", "out", "over", "own", "paper", "same", "she", "should",
    "so", "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they",
    "this", "those", "through", "to", "too", "under", "until", "up", "use", "used", "using",
    "very", "via", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom",
    "why", "will", "with", "within", "without", "would", "you", "your",
];

/// Lower-cased alphanumeric words of at least 2 characters, stop words and numbers dropped,
/// with a light plural strip ("networks" -> "network", "losses" -> "loss", "loss" kept).
pub fn tokenize(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2 && !w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_lowercase)
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .map(|mut w| {
            if w.ends_with("sses") {
                w.truncate(w.len() - 2);
            } else if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") {
                w.pop();
            }
            w
        })
}

#[derive(Default)]
struct Vocabulary {
    ids: HashMap<String, u32>,
    df: Vec<u32>,
}

impl Vocabulary {
    /// Term counts of one document (pieces with weights), registering document frequency.
    fn count(&mut self, pieces: &[(&str, u32)]) -> Vec<(u32, f64)> {
        let mut tf: HashMap<u32, u32> = HashMap::new();
        for &(text, weight) in pieces {
            for word in tokenize(text) {
                let next = self.ids.len() as u32;
                let id = *self.ids.entry(word).or_insert(next);
                if id as usize == self.df.len() {
                    self.df.push(0);
                }
                *tf.entry(id).or_default() += weight;
            }
        }
        let mut terms: Vec<(u32, f64)> = tf.into_iter().map(|(t, c)| (t, f64::from(c))).collect();
        terms.sort_unstable_by_key(|&(t, _)| t);
        for &(t, _) in &terms {
            self.df[t as usize] += 1;
        }
        terms
    }
}

fn weigh(docs: &mut [Vec<(u32, f64)>], idf: &[f64]) {
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
pub struct TextIndex {
    papers: Vec<Vec<(u32, f64)>>,
    reviewers: Vec<Vec<(u32, f64)>>,
    postings: Vec<Vec<(u32, f64)>>,
}

impl TextIndex {
    /// Builds the vectors and the index.
    pub fn new(papers: &[PaperText], reviewers: &[ReviewerText]) -> Self {
        let mut vocab = Vocabulary::default();
        let mut paper_docs: Vec<Vec<(u32, f64)>> = papers
            .iter()
            .map(|p| {
                let keywords = p.keywords.join(" ");
                vocab.count(&[
                    (&p.title, 2),
                    (&keywords, 2),
                    (&p.abstract_text, 1),
                    (&p.body, 1),
                ])
            })
            .collect();
        let mut reviewer_docs: Vec<Vec<(u32, f64)>> = reviewers
            .iter()
            .map(|r| {
                let keywords = r.keywords.join(" ");
                let mut pieces: Vec<(&str, u32)> =
                    r.papers.iter().map(|t| (t.as_str(), 1)).collect();
                pieces.push((&keywords, 2));
                vocab.count(&pieces)
            })
            .collect();
        let docs = (papers.len() + reviewers.len()) as f64;
        let idf: Vec<f64> = vocab
            .df
            .iter()
            .map(|&df| ((1.0 + docs) / (1.0 + f64::from(df))).ln() + 1.0)
            .collect();
        weigh(&mut paper_docs, &idf);
        weigh(&mut reviewer_docs, &idf);
        let mut postings: Vec<Vec<(u32, f64)>> = vec![Vec::new(); vocab.df.len()];
        for (r, doc) in reviewer_docs.iter().enumerate() {
            for &(t, w) in doc {
                postings[t as usize].push((r as u32, w));
            }
        }
        Self {
            papers: paper_docs,
            reviewers: reviewer_docs,
            postings,
        }
    }

    /// Cosine similarity of paper `p` and reviewer `r`, in `[0, 1]`.
    pub fn similarity(&self, p: usize, r: usize) -> f64 {
        let (a, b) = (&self.papers[p], &self.reviewers[r]);
        let (mut i, mut j, mut sum) = (0, 0, 0.0);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    sum += a[i].1 * b[j].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        sum.clamp(0.0, 1.0)
    }

    /// The similarity of paper `p` to every reviewer, into `out` (resized to the number of
    /// reviewers): one pass over the paper's terms' postings instead of a merge per reviewer.
    pub fn paper_scores(&self, p: usize, out: &mut Vec<f64>) {
        out.clear();
        out.resize(self.reviewers.len(), 0.0);
        for &(t, w) in &self.papers[p] {
            for &(r, rw) in &self.postings[t as usize] {
                out[r as usize] += w * rw;
            }
        }
        for v in out.iter_mut() {
            *v = v.clamp(0.0, 1.0);
        }
    }

    /// Every paper's `top_k` most similar reviewers with a positive score (ties by reviewer
    /// index), as `(paper, reviewer, similarity)` rows sorted by paper then rank.
    pub fn top_k(&self, top_k: usize) -> Vec<(usize, usize, f64)> {
        let mut rows = best_matches(&self.papers, &self.postings, self.reviewers.len(), top_k);
        for row in &mut rows {
            row.2 = self.similarity(row.0, row.1);
        }
        rows
    }

    /// Every reviewer's `top_k` most similar papers with a positive score, as `(paper,
    /// reviewer, similarity)` rows sorted by reviewer then rank: with [`TextIndex::top_k`],
    /// every reviewer has candidates even when other reviewers match every paper better.
    pub fn top_k_per_reviewer(&self, top_k: usize) -> Vec<(usize, usize, f64)> {
        let terms = self.postings.len();
        let mut paper_postings: Vec<Vec<(u32, f64)>> = vec![Vec::new(); terms];
        for (p, doc) in self.papers.iter().enumerate() {
            for &(t, w) in doc {
                paper_postings[t as usize].push((p as u32, w));
            }
        }
        best_matches(&self.reviewers, &paper_postings, self.papers.len(), top_k)
            .into_iter()
            .map(|(r, p, _)| (p, r, self.similarity(p, r)))
            .collect()
    }
}

/// A term in more documents than this (and than a quarter of the targets) is not used to
/// choose candidates.
const COMMON_TERM_MIN: usize = 1000;

/// For each query document, its `top_k` best targets through `postings` (term -> targets):
/// scores accumulate over shared terms only; the best are chosen in linear time and only they
/// are sorted. Rows `(query, target, similarity)`.
fn best_matches(
    queries: &[Vec<(u32, f64)>],
    postings: &[Vec<(u32, f64)>],
    targets: usize,
    top_k: usize,
) -> Vec<(usize, usize, f64)> {
    let mut score = vec![0.0f64; targets];
    let mut touched: Vec<u32> = Vec::new();
    let mut rows = Vec::new();
    // Terms found in most documents say little about who matches whom but make the search
    // quadratic; they are skipped when choosing candidates (the similarity reported is still
    // the full cosine).
    let common = COMMON_TERM_MIN.max(targets / 4);
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

/// Combines a text similarity with a bid (see [`Bid`]); `None` for a conflict bid.
pub fn with_bid(text: f64, bid: Option<Bid>) -> Option<f64> {
    let a = match bid {
        None => text,
        Some(Bid::Eager) => text + 0.3,
        Some(Bid::Willing) => text + 0.1,
        Some(Bid::NotWilling) => text * 0.25,
        Some(Bid::Conflict) => return None,
    };
    Some((a.clamp(0.0, 1.0) * 1e4).round() / 1e4)
}

/// Candidates for the solver: each paper's `top_k` reviewers by text, plus every eager or
/// willing bid, with bids applied; conflict bids are returned separately.
pub fn candidates(
    papers: &[PaperText],
    reviewers: &[ReviewerText],
    bids: &[(usize, usize, Bid)],
    top_k: usize,
) -> AffinityResult {
    let index = TextIndex::new(papers, reviewers);
    let text = index.top_k(top_k);
    let bid_of: HashMap<(usize, usize), Bid> = bids.iter().map(|&(p, r, b)| ((p, r), b)).collect();
    let mut pairs: HashMap<(usize, usize), f64> =
        text.iter().map(|&(p, r, s)| ((p, r), s)).collect();
    for &(p, r, b) in bids {
        if matches!(b, Bid::Eager | Bid::Willing) {
            pairs
                .entry((p, r))
                .or_insert_with(|| index.similarity(p, r));
        }
    }
    let mut result = AffinityResult::default();
    for (&(p, r), &s) in &pairs {
        if let Some(a) = with_bid(s, bid_of.get(&(p, r)).copied()) {
            result.candidates.push(Candidate {
                paper: p,
                reviewer: r,
                affinity: a,
            });
        }
    }
    result
        .candidates
        .sort_unstable_by_key(|c| (c.paper, c.reviewer));
    result.bid_conflicts = bids
        .iter()
        .filter(|b| b.2 == Bid::Conflict)
        .map(|&(p, r, _)| (p, r))
        .collect();
    result.bid_conflicts.sort_unstable();
    result.bid_conflicts.dedup();
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper(title: &str, abstract_text: &str) -> PaperText {
        PaperText {
            title: title.into(),
            abstract_text: abstract_text.into(),
            ..PaperText::default()
        }
    }

    fn reviewer(text: &str) -> ReviewerText {
        ReviewerText {
            papers: vec![text.into()],
            keywords: vec![],
        }
    }

    #[test]
    fn tokenizer_drops_stop_words_numbers_and_plurals() {
        let words: Vec<String> = tokenize("The Graph Networks of 2024, and losses!").collect();
        assert_eq!(words, vec!["graph", "network", "loss"]);
    }

    /// The merge, the postings pass and both top-k directions give the same similarities.
    #[test]
    fn every_way_of_scoring_agrees() {
        let words = [
            "graph",
            "network",
            "diffusion",
            "protein",
            "solver",
            "stiff",
            "flow",
        ];
        let text = |i: usize| {
            (0..5)
                .map(|k| words[(i * 3 + k * k) % words.len()])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let papers: Vec<PaperText> = (0..9).map(|i| paper(&text(i), &text(i + 1))).collect();
        let reviewers: Vec<ReviewerText> = (0..7).map(|i| reviewer(&text(i + 4))).collect();
        let index = TextIndex::new(&papers, &reviewers);
        let mut scores = Vec::new();
        for p in 0..papers.len() {
            index.paper_scores(p, &mut scores);
            for (r, score) in scores.iter().enumerate() {
                assert!((score - index.similarity(p, r)).abs() < 1e-12);
            }
        }
        for (p, r, s) in index
            .top_k(3)
            .into_iter()
            .chain(index.top_k_per_reviewer(2))
        {
            assert!((s - index.similarity(p, r)).abs() < 1e-12);
        }
        let per_reviewer = index.top_k_per_reviewer(2);
        for r in 0..reviewers.len() {
            let best = (0..papers.len())
                .map(|p| index.similarity(p, r))
                .fold(0.0, f64::max);
            let listed: Vec<f64> = per_reviewer
                .iter()
                .filter(|x| x.1 == r)
                .map(|x| x.2)
                .collect();
            assert!(listed.len() <= 2 && (listed.is_empty() || (listed[0] - best).abs() < 1e-12));
        }
    }

    #[test]
    fn the_closest_reviewer_ranks_first() {
        let papers = [paper("Graph neural networks", "message passing on graphs")];
        let reviewers = [
            reviewer("protein folding with diffusion"),
            reviewer("graph neural networks and message passing"),
        ];
        let rows = TextIndex::new(&papers, &reviewers).top_k(5);
        assert_eq!(rows[0].1, 1);
        assert!(rows[0].2 > 0.5);
        assert!(rows.iter().all(|r| r.1 != 0 || r.2 < rows[0].2));
    }

    #[test]
    fn bids_adjust_scores_and_conflict_bids_become_conflicts() {
        let papers = [paper("graph networks", ""), paper("diffusion proteins", "")];
        let reviewers = [reviewer("graph networks"), reviewer("protein diffusion")];
        let bids = [
            (0, 1, Bid::Eager),
            (1, 1, Bid::Conflict),
            (0, 0, Bid::NotWilling),
        ];
        let result = candidates(&papers, &reviewers, &bids, 1);
        assert_eq!(result.bid_conflicts, vec![(1, 1)]);
        let find = |p, r| {
            result
                .candidates
                .iter()
                .find(|c| c.paper == p && c.reviewer == r)
        };
        assert!(find(1, 1).is_none());
        let eager = find(0, 1).map(|c| c.affinity);
        assert_eq!(eager, Some(0.3));
        assert!(find(0, 0).is_some_and(|c| c.affinity <= 0.25));
        assert_eq!(with_bid(0.9, Some(Bid::Eager)), Some(1.0));
    }
}
