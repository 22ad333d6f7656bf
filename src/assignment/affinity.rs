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

pub use crate::assignment::text_index::TextIndex;

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

/// English stop words dropped by the tokenizer, sorted (looked up by binary search).
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
pub fn tokenize(text: &str) -> impl Iterator<Item = String> {
    let mut words = Vec::new();
    for_each_token(text, |w| words.push(w.to_string()));
    words.into_iter()
}

/// The words of [`tokenize`], each lent to `f` from one reused buffer: indexing a conference
/// meets millions of words, and a `String` for each showed in profiles.
pub(crate) fn for_each_token(text: &str, mut f: impl FnMut(&str)) {
    for_each_word(text, |word| {
        if let Some(term) = term_of(word) {
            f(term);
        }
    });
}

/// The lower-cased words of `text` before stop words and plurals: runs of alphanumeric
/// characters of at least 2 characters that are not all digits. The text index looks each
/// up once in its own table of words already met, so [`term_of`] runs once per distinct word.
pub(crate) fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    if text.is_ascii() {
        // Nearly every abstract: bytes are characters, and a byte is alphanumeric exactly when
        // its character is, so the split needs no decoding.
        for raw in text.as_bytes().split(|b| !b.is_ascii_alphanumeric()) {
            if raw.len() < 2 || raw.iter().all(u8::is_ascii_digit) {
                continue;
            }
            word.clear();
            word.extend(raw.iter().map(|&b| char::from(b.to_ascii_lowercase())));
            f(&word);
        }
        return;
    }
    for raw in text.split(|c: char| !c.is_alphanumeric()) {
        let short = if raw.is_ascii() {
            raw.len() < 2
        } else {
            raw.chars().count() < 2
        };
        if short || raw.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        word.clear();
        if raw.is_ascii() {
            word.extend(raw.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            word.push_str(&raw.to_lowercase());
        }
        f(&word);
    }
}

/// The term a lower-cased word of [`for_each_word`] counts as: `None` for a stop word, else
/// the word with a light plural strip ("networks" -> "network", "losses" -> "loss").
pub(crate) fn term_of(word: &str) -> Option<&str> {
    if STOP_WORDS.binary_search(&word).is_ok() {
        return None;
    }
    let keep = if word.ends_with("sses") {
        word.len() - 2
    } else if word.len() > 3
        && word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("us")
    {
        word.len() - 1
    } else {
        word.len()
    };
    // The cut is always before an ASCII 's', so on a character boundary.
    word.get(..keep)
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

    /// The tokenizer as first written (a `String` per word, stop words by linear search).
    fn reference_tokens(text: &str) -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 2 && !w.chars().all(|c| c.is_ascii_digit()))
            .map(str::to_lowercase)
            .filter(|w| !STOP_WORDS.contains(&w.as_str()))
            .map(|mut w| {
                if w.ends_with("sses") {
                    w.truncate(w.len() - 2);
                } else if w.len() > 3
                    && w.ends_with('s')
                    && !w.ends_with("ss")
                    && !w.ends_with("us")
                {
                    w.pop();
                }
                w
            })
            .collect()
    }

    #[test]
    fn the_reused_buffer_tokenizer_gives_the_same_words() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        for text in [
            "The Graph Networks of 2024, and losses!",
            "Über-schnelle Lösungen für ΣΥΣΤΗΜΑΤΑ; naïve Bayes classes, bus, gas, a1 x 42b",
            "IS it THE Processes' Losses? Status, virus, chaos, OS, Σ, 12345 12a é",
            "",
        ] {
            assert_eq!(tokenize(text).collect::<Vec<_>>(), reference_tokens(text));
        }
    }

    #[test]
    fn tokenizer_drops_stop_words_numbers_and_plurals() {
        let words: Vec<String> = tokenize("The Graph Networks of 2024, and losses!").collect();
        assert_eq!(words, vec!["graph", "network", "loss"]);
    }

    /// The merge, the postings pass and both top-k directions give the same similarities (the
    /// merge and the postings pass bit for bit: both add the common terms last).
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
        let mut index = TextIndex::new(&papers, &reviewers);
        let mut scores = Vec::new();
        // Without common terms, and with the terms of two or more reviewers common.
        for common_min in [1000, 1] {
            index.set_common(common_min);
            for p in 0..papers.len() {
                index.paper_scores(p, &mut scores);
                for (r, &score) in scores.iter().enumerate() {
                    assert_eq!(score, index.similarity(p, r));
                }
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
