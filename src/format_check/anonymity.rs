//! The double-blind rule (submission mode only): does the PDF reveal who wrote it?
//!
//! Evidence, strongest first: a listed author's full name or e-mail anywhere in the text; a
//! listed author's surname next to a self-revealing phrase ("our previous work", "we (Kim et
//! al.)"); an author named in the metadata (Info Author/Creator/Subject/Keywords/Title, XMP).
//! A surname alone elsewhere is not evidence (people cite others who share a name), and names of
//! other people in the reference list never are. A missing "Anonymous Author(s)" block on a
//! NeurIPS-style first page is only a warning.

use crate::format_check::layout::{Line, LineKind};
use crate::format_check::normalize::{find_sequence, fold, name_variants, tokens};
use crate::format_check::report::{Violation, describe_pages};
use crate::format_check::rules::{AuthorIdentity, Code, Severity};

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

/// Finds anonymity violations. `pages` are the classified lines of every page.
pub(crate) fn check_anonymity(
    pages: &[Vec<Line>],
    metadata: &[(String, String)],
    authors: &[AuthorIdentity],
) -> Vec<Violation> {
    // Fold line by line: most lines are pure ASCII and skip Unicode normalisation.
    let folded: Vec<String> = pages
        .iter()
        .map(|lines| {
            let mut page = String::new();
            for line in lines {
                page.push_str(&fold(&line.text));
                page.push('\n');
            }
            page
        })
        .collect();
    let words_per_page: Vec<Vec<&str>> = folded.iter().map(|t| tokens(t)).collect();
    let squeezed: Vec<String> = folded.iter().map(|t| squeeze(t)).collect();
    let mut findings: Vec<(u32, String)> = Vec::new();
    for author in authors {
        let variants = name_variants(&author.name);
        let email = fold(author.email.trim());
        let surnames = surname_tokens(&author.name);
        for (index, text) in folded.iter().enumerate() {
            let page = index as u32 + 1;
            let words = &words_per_page[index];
            if variants
                .iter()
                .any(|v| v.len() >= 2 && find_sequence(words, v).is_some())
            {
                findings.push((page, format!("the name \u{201c}{}\u{201d}", author.name)));
            }
            if email.contains('@') && squeezed[index].contains(&squeeze(&email)) {
                findings.push((page, format!("the e-mail address {}", author.email.trim())));
            }
            if let Some(surname) = self_reference(words, text, &surnames) {
                findings.push((
                    page,
                    format!("a self-citation naming \u{201c}{surname}\u{201d} (e.g. \u{201c}our previous work\u{201d})"),
                ));
            }
        }
    }
    let mut violations = Vec::new();
    if !findings.is_empty() {
        let pages_hit: Vec<u32> = findings.iter().map(|(p, _)| *p).collect();
        let mut what: Vec<String> = findings.iter().map(|(_, w)| w.clone()).collect();
        what.dedup();
        what.truncate(3);
        violations.push(Violation {
            code: Code::Anonymity,
            severity: Severity::Error,
            pages: dedup_sorted(pages_hit.clone()),
            message: format!(
                "the submission must be anonymous, but the text reveals an author: {} on {}. \
                 Remove author names, e-mails and acknowledgements, refer to your own earlier work \
                 in the third person, and compile without the [final] option.",
                what.join("; "),
                describe_pages(&pages_hit)
            ),
        });
    }
    if let Some(field) = metadata_leak(metadata, authors) {
        violations.push(Violation {
            code: Code::Anonymity,
            severity: Severity::Error,
            pages: Vec::new(),
            message: format!(
                "the PDF's hidden document properties ({field}) name an author. Clear them, e.g. \
                 with \\hypersetup{{pdfauthor={{}}}} in LaTeX or \u{201c}File \u{2192} Properties\u{201d} \
                 in your PDF tool."
            ),
        });
    }
    if violations.is_empty() && looks_camera_ready(pages) {
        violations.push(Violation {
            code: Code::Anonymity,
            severity: Severity::Warning,
            pages: vec![1],
            message: "the first page has no \u{201c}Anonymous Author(s)\u{201d} block: the paper may \
                      be compiled in camera-ready mode. Load the style as \\usepackage{neurips_2021} \
                      without the [final] option for the anonymous submission."
                .into(),
        });
    }
    violations
}

fn dedup_sorted(mut pages: Vec<u32>) -> Vec<u32> {
    pages.sort_unstable();
    pages.dedup();
    pages
}

/// Removes whitespace so that an e-mail broken by extraction still matches.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Distinctive words of a name, used only inside self-revealing phrases: the last word (the
/// surname in most Western names, even when short: "Kim") and every word of 4+ letters (family
/// names written first, as in Vietnamese "Trần Văn Hùng"). Short given names ("Noa", "Ben") are
/// left out: they are too common as ordinary words.
fn surname_tokens(name: &str) -> Vec<String> {
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

/// A surname of a listed author within a few words of "our previous work"-style phrases, or
/// right after "we (".
fn self_reference(words: &[&str], folded: &str, surnames: &[String]) -> Option<String> {
    if surnames.is_empty() {
        return None;
    }
    for i in 0..words.len() {
        if words[i] != "our" {
            continue;
        }
        let phrase_end = (i + 5).min(words.len());
        let has_adjective = words[i + 1..phrase_end]
            .iter()
            .any(|w| SELF_ADJECTIVES.contains(w));
        let has_noun = words[i + 1..phrase_end]
            .iter()
            .any(|w| SELF_NOUNS.contains(w));
        if !(has_adjective && has_noun) {
            continue;
        }
        let from = i.saturating_sub(WINDOW_BEFORE);
        let to = (i + WINDOW_AFTER).min(words.len());
        if let Some(hit) = words[from..to]
            .iter()
            .find(|w| surnames.iter().any(|s| s == *w))
        {
            return Some(hit.to_string());
        }
    }
    for (at, _) in folded.match_indices("we (") {
        let tail: String = folded[at + 4..].chars().take(40).collect();
        let tail_words = tokens(&tail);
        if let Some(hit) = tail_words
            .iter()
            .take(3)
            .find(|w| surnames.iter().any(|s| s == *w))
        {
            return Some(hit.to_string());
        }
    }
    None
}

/// Which metadata field names an author, if any.
fn metadata_leak(metadata: &[(String, String)], authors: &[AuthorIdentity]) -> Option<String> {
    for (field, value) in metadata {
        let folded = fold(value);
        let words = tokens(&folded);
        for author in authors {
            let full = name_variants(&author.name)
                .iter()
                .any(|v| find_sequence(&words, v).is_some());
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

/// A NeurIPS-style first page (line numbers or the conference footer) without the
/// "Anonymous Author(s)" block.
fn looks_camera_ready(pages: &[Vec<Line>]) -> bool {
    let Some(first) = pages.first() else {
        return false;
    };
    let text = fold(
        &first
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    );
    let words = tokens(&text);
    let anonymous_block = words
        .windows(2)
        .any(|w| w[0] == "anonymous" && w[1].starts_with("author"));
    let neurips_page = first.iter().any(|l| l.kind == LineKind::LineNumber)
        || text.contains("conference on neural information processing systems");
    !anonymous_block && neurips_page
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn author(name: &str, email: &str) -> AuthorIdentity {
        AuthorIdentity {
            name: name.into(),
            email: email.into(),
            affiliation: None,
        }
    }

    #[test]
    fn surname_counts_only_inside_self_revealing_phrases() {
        let s = vec!["ramirez".to_string()];
        let text = fold("as shown in our previous work by Ramírez et al. [1], the flow");
        assert!(self_reference(&tokens(&text), &text, &s).is_some());
        let text = fold("as shown by Ramírez et al. [1], the flow is smooth");
        assert!(self_reference(&tokens(&text), &text, &s).is_none());
        let text = fold("we (Ramírez and Kim, 2020) showed");
        assert!(self_reference(&tokens(&text), &text, &s).is_some());
    }

    #[test]
    fn metadata_author_field_is_searched() {
        let meta = vec![(
            "Author".to_string(),
            "J\u{fc}rgen Sch\u{e4}fer, Grace Kim".to_string(),
        )];
        assert!(metadata_leak(&meta, &[author("Grace Kim", "g@x.org")]).is_some());
        let meta = vec![("Creator".to_string(), "LaTeX with hyperref".to_string())];
        assert!(metadata_leak(&meta, &[author("Grace Kim", "g@x.org")]).is_none());
    }
}
