//! The text side of the anonymity rule: the document as one list of folded words, each with its
//! page and line (so a finding can say "page 3, line 117"), the reference list's extent and
//! entries, and the searches `anonymity` runs over them.

use crate::format_check::layout::{Line, LineKind};
use crate::format_check::normalize::{fold, name_variants, tokens};
use crate::format_check::rules::AuthorIdentity;

/// Words that, after "our", make a phrase about the authors' own earlier work.
const SELF_ADJECTIVES: &[&str] = &[
    "previous",
    "prior",
    "earlier",
    "recent",
    "past",
    "own",
    "preliminary",
    "former",
];
/// Nouns completing such a phrase.
const SELF_NOUNS: &[&str] = &[
    "work",
    "works",
    "paper",
    "papers",
    "study",
    "studies",
    "result",
    "results",
    "method",
    "methods",
    "approach",
    "analysis",
    "publication",
    "publications",
    "article",
    "report",
    "research",
];
/// How many words before and after a self-revealing phrase a surname may stand.
const WINDOW_BEFORE: usize = 8;
const WINDOW_AFTER: usize = 16;

/// One folded word and where it is.
struct Word {
    text: String,
    /// Followed directly by a full stop ("P." in "P. Xu").
    dot: bool,
    page: usize,
    line: usize,
}

/// The document's words in reading order, with the reference lists' extents.
pub(crate) struct Doc<'a> {
    pages: &'a [Vec<Line>],
    words: Vec<Word>,
    /// Word ranges of reference lists.
    refs: Vec<(usize, usize)>,
    /// Reference entries: (number, folded text).
    entries: Vec<(u32, String)>,
}

fn strip_number<'a, 'b>(words: &'b [&'a str]) -> &'b [&'a str] {
    let mut rest = words;
    while rest
        .first()
        .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()) || (w.len() == 1 && rest.len() > 1))
    {
        rest = &rest[1..];
    }
    rest
}

/// The words of a short line (`folded` is its folded text) without a section number.
fn heading_words<'f>(line: &Line, folded: &'f str) -> Vec<&'f str> {
    if line.chars > 40 {
        return Vec::new();
    }
    let words = tokens(folded);
    strip_number(&words).to_vec()
}

impl<'a> Doc<'a> {
    pub fn new(pages: &'a [Vec<Line>]) -> Self {
        let mut words = Vec::new();
        let mut refs = Vec::new();
        let mut entries: Vec<(u32, String)> = Vec::new();
        let mut in_refs: Option<(usize, f32)> = None;
        for (p, lines) in pages.iter().enumerate() {
            for (l, line) in lines.iter().enumerate() {
                if line.kind == LineKind::LineNumber {
                    continue;
                }
                let folded = fold(&line.text);
                let head = heading_words(line, &folded);
                let is_refs_heading = line.kind == LineKind::Body
                    && matches!(head.as_slice(), [w] if *w == "references" || *w == "bibliography");
                if let Some((start, size)) = in_refs {
                    let ends = line.kind == LineKind::Body
                        && (head.first().is_some_and(|w| {
                            [
                                "appendix",
                                "appendices",
                                "supplementary",
                                "checklist",
                                "neurips",
                            ]
                            .contains(w)
                        }) || (line.size > 1.1 * size && line.chars < 80));
                    if ends {
                        refs.push((start, words.len()));
                        in_refs = None;
                    }
                }
                if in_refs.is_some() && line.kind == LineKind::Body {
                    add_entry(&mut entries, &folded);
                }
                let bytes = folded.as_bytes();
                let mut pos = 0;
                for token in folded.split(|c: char| !c.is_ascii_alphanumeric()) {
                    let start = pos;
                    pos += token.len() + 1;
                    if token.is_empty() {
                        continue;
                    }
                    let dot = bytes.get(start + token.len()) == Some(&b'.');
                    words.push(Word {
                        text: token.to_string(),
                        dot,
                        page: p,
                        line: l,
                    });
                }
                if is_refs_heading && in_refs.is_none() {
                    in_refs = Some((words.len(), line.size.min(10.0)));
                }
            }
        }
        if let Some((start, _)) = in_refs {
            refs.push((start, words.len()));
        }
        Doc {
            pages,
            words,
            refs,
            entries,
        }
    }

    /// Start indices of `needle` as a word sequence.
    pub fn find_all(&self, needle: &[String]) -> Vec<usize> {
        if needle.is_empty() || self.words.len() < needle.len() {
            return Vec::new();
        }
        (0..=self.words.len() - needle.len())
            .filter(|&i| {
                needle
                    .iter()
                    .enumerate()
                    .all(|(k, n)| self.words[i + k].text == *n)
            })
            .collect()
    }

    pub fn in_references(&self, at: usize) -> bool {
        self.refs.iter().any(|&(s, e)| s <= at && at < e)
    }

    /// 1-based page of word `at`.
    pub fn page_of(&self, at: usize) -> u32 {
        self.words.get(at).map_or(1, |w| w.page as u32 + 1)
    }

    /// "page 3, line 117" (the printed line number when the page has them).
    pub fn place(&self, at: usize) -> String {
        let Some(word) = self.words.get(at) else {
            return String::new();
        };
        let lines = &self.pages[word.page];
        let line = &lines[word.line];
        let printed = lines
            .iter()
            .filter(|l| l.kind == LineKind::LineNumber && (l.y - line.y).abs() < 2.0)
            .map(|l| l.text.trim().to_string())
            .next();
        let number = printed.unwrap_or_else(|| {
            let mut order: Vec<&Line> = lines
                .iter()
                .filter(|l| l.kind != LineKind::LineNumber)
                .collect();
            order.sort_by(|a, b| a.y.total_cmp(&b.y));
            let index = order
                .iter()
                .position(|l| (l.y - line.y).abs() < 0.5 && (l.x0 - line.x0).abs() < 0.5)
                .unwrap_or(0);
            (index + 1).to_string()
        });
        format!("page {}, line {number}", word.page + 1)
    }

    /// "P. Xu", "P. Q. Xu" for Peng Xu outside the reference list.
    pub fn find_initials(&self, name: &str) -> Option<usize> {
        let folded = fold(name);
        let parts = tokens(&folded);
        let (first, surname) = (parts.first()?, parts.last()?);
        if parts.len() < 2 || surname.len() < 2 {
            return None;
        }
        let initial = &first[..1];
        (0..self.words.len()).find(|&i| {
            let w = &self.words[i];
            if w.text != initial || !w.dot || self.in_references(i) {
                return false;
            }
            let mut j = i + 1;
            while j < self.words.len() && j <= i + 3 && self.words[j].text.len() == 1 {
                j += 1;
            }
            self.words.get(j).is_some_and(|w| w.text == *surname)
        })
    }

    /// Where an e-mail address appears (spaces inserted by extraction are ignored).
    pub fn find_email(&self, email: &str) -> Option<usize> {
        let target: String = email.chars().filter(|c| !c.is_whitespace()).collect();
        let local = target.split('@').next().unwrap_or("");
        for (p, lines) in self.pages.iter().enumerate() {
            let page: String = lines
                .iter()
                .map(|l| fold(&l.text))
                .collect::<String>()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if page.contains(&target) {
                let local_first = tokens(local).first().map(|s| s.to_string());
                return self
                    .words
                    .iter()
                    .position(|w| w.page == p && Some(&w.text) == local_first.as_ref())
                    .or_else(|| self.words.iter().position(|w| w.page == p));
            }
        }
        None
    }

    /// A visible "Acknowledgments" heading.
    pub fn acknowledgments(&self) -> Option<usize> {
        for (i, w) in self.words.iter().enumerate() {
            if !w.text.starts_with("acknowledg") {
                continue;
            }
            let line = &self.pages[w.page][w.line];
            let folded = fold(&line.text);
            let head = heading_words(line, &folded);
            if line.kind == LineKind::Body
                && head.len() == 1
                && head[0].starts_with("acknowledg")
                && !line.text.trim_end().ends_with(['.', ',', ';'])
            {
                return Some(i);
            }
        }
        None
    }

    /// A camera-ready ("…Conference on Neural Information Processing Systems" without
    /// "Submitted to") or preprint ("Preprint. Under review.") footer on the first page.
    pub fn non_anonymous_footer(&self) -> Option<(usize, &'static str)> {
        let first = self.pages.first()?;
        // The first word of each line of the first page (its words come first in `words`).
        let mut first_word: Vec<Option<usize>> = vec![None; first.len()];
        for (i, word) in self.words.iter().enumerate() {
            if word.page != 0 {
                break;
            }
            if let Some(slot) = first_word.get_mut(word.line) {
                slot.get_or_insert(i);
            }
        }
        for (line, at) in first.iter().zip(first_word) {
            let Some(at) = at else { continue };
            let folded = fold(&line.text);
            if folded.contains("conference on neural information processing systems")
                && !folded.contains("submitted to")
            {
                return Some((at, "a camera-ready footer"));
            }
            let words = tokens(&folded);
            if words.first() == Some(&"preprint") && line.chars < 80 {
                return Some((at, "a preprint footer"));
            }
        }
        None
    }

    /// A NeurIPS-style first page (line numbers or the conference footer) without the
    /// "Anonymous Author(s)" block.
    pub fn missing_anonymous_block(&self) -> bool {
        let Some(first) = self.pages.first() else {
            return false;
        };
        let on_first: Vec<&Word> = self.words.iter().filter(|w| w.page == 0).collect();
        let anonymous_block = on_first
            .windows(2)
            .any(|w| w[0].text == "anonymous" && w[1].text.starts_with("author"));
        let footer = on_first
            .windows(4)
            .any(|w| w[0].text == "neural" && w[1].text == "information" && w[3].text == "systems");
        let neurips_page = first.iter().any(|l| l.kind == LineKind::LineNumber) || footer;
        !anonymous_block && neurips_page
    }
}

/// Adds a reference-list line: "[12] …" or "12. …" opens an entry, anything else continues one.
fn add_entry(entries: &mut Vec<(u32, String)>, folded: &str) {
    let trimmed = folded.trim_start();
    let number = trimmed
        .strip_prefix('[')
        .and_then(|r| r.split_once(']'))
        .map(|(n, _)| n)
        .or_else(|| trimmed.split_once(". ").map(|(n, _)| n))
        .and_then(|n| n.trim().parse::<u32>().ok());
    match (number, entries.last_mut()) {
        (Some(n), _) => entries.push((n, folded.to_string())),
        (None, Some(last)) => {
            last.1.push(' ');
            last.1.push_str(folded);
        }
        (None, None) => {}
    }
}

/// Distinctive words of a name, used only inside self-revealing phrases: the last word (the
/// surname in most Western names, even when short: "Kim") and every word of 4+ letters (family
/// names written first, as in Vietnamese "Trần Văn Hùng"). Short given names are left out.
pub(crate) fn surname_tokens(name: &str) -> Vec<String> {
    let folded = fold(name);
    let words = tokens(&folded);
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .filter(|(i, t)| t.len() >= 4 || (*i == last && t.len() >= 2))
        .map(|(_, t)| t.to_string())
        .collect()
}

/// A self-revealing phrase outside the reference list that points at a listed author: a
/// surname within a few words of "our previous work"-style phrases, "we (Surname…", or "our
/// previous work [n]" / "we showed in [n]" where entry n names a listed author.
pub(crate) fn self_reference(doc: &Doc, surnames: &[String]) -> Option<(usize, String)> {
    if surnames.is_empty() {
        return None;
    }
    let words: Vec<&str> = doc.words.iter().map(|w| w.text.as_str()).collect();
    let names_author = |entry: u32| {
        doc.entries
            .iter()
            .filter(|(n, _)| *n == entry)
            .find_map(|(_, text)| {
                let t = tokens(text);
                surnames.iter().find(|s| t.contains(&s.as_str())).cloned()
            })
    };
    for i in 0..words.len() {
        if doc.in_references(i) {
            continue;
        }
        let phrase = match words[i] {
            "our" => {
                let end = (i + 5).min(words.len());
                words[i + 1..end]
                    .iter()
                    .any(|w| SELF_ADJECTIVES.contains(w))
                    && words[i + 1..end].iter().any(|w| SELF_NOUNS.contains(w))
            }
            "we" => {
                words.get(i + 1).is_some_and(|w| {
                    [
                        "showed",
                        "show",
                        "shown",
                        "proposed",
                        "introduced",
                        "presented",
                    ]
                    .contains(w)
                }) || (words.get(i + 1) == Some(&"have")
                    && words
                        .get(i + 2)
                        .is_some_and(|w| ["shown", "proposed"].contains(w)))
            }
            _ => false,
        };
        if phrase {
            let from = i.saturating_sub(WINDOW_BEFORE);
            let to = (i + WINDOW_AFTER).min(words.len());
            if words[i] == "our"
                && let Some(hit) = words[from..to]
                    .iter()
                    .find(|w| surnames.iter().any(|s| s == *w))
            {
                return Some((i, hit.to_string()));
            }
            for w in words.iter().take((i + 8).min(words.len())).skip(i + 1) {
                if let Ok(n) = w.parse::<u32>()
                    && (1..1000).contains(&n)
                    && let Some(hit) = names_author(n)
                {
                    return Some((i, hit));
                }
            }
        }
        if words[i] == "we"
            && let Some(line) = doc
                .pages
                .get(doc.words[i].page)
                .and_then(|l| l.get(doc.words[i].line))
            && fold(&line.text).contains("we (")
            && words[i + 1..(i + 4).min(words.len())]
                .iter()
                .any(|w| surnames.iter().any(|s| s == w))
        {
            return Some((i, words[i + 1].to_string()));
        }
    }
    None
}

/// Which metadata field names an author, if any.
pub(crate) fn metadata_leak(
    metadata: &[(String, String)],
    authors: &[AuthorIdentity],
) -> Option<String> {
    for (field, value) in metadata {
        let folded = fold(value);
        let words = tokens(&folded);
        for author in authors {
            let full = name_variants(&author.name).iter().any(|v| {
                !v.is_empty()
                    && words
                        .windows(v.len())
                        .any(|w| w.iter().zip(v).all(|(a, b)| *a == b.as_str()))
            });
            let email = fold(author.email.trim());
            let mail = email.contains('@') && folded.contains(&email);
            // The Author field is meant for names: a surname alone is enough there.
            let surname = field == "Author"
                && surname_tokens(&author.name)
                    .last()
                    .is_some_and(|s| s.len() >= 4 && words.contains(&s.as_str()));
            if full || mail || surname {
                return Some(if field == "XMP" {
                    "XMP metadata".to_string()
                } else {
                    format!("the {field} field")
                });
            }
        }
    }
    None
}
