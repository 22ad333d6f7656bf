//! The double-blind rule (submission mode only), as NeurIPS defines it.
//!
//! Errors: a listed author's full name, initials + surname ("P. Xu") or e-mail anywhere in the
//! body, header, footnotes or figures; a name or e-mail in the metadata (Info, XMP); a visible
//! Acknowledgments section; a camera-ready or preprint footer; and, anywhere, a self-revealing
//! phrase ("our previous work [Xu et al.]", "we showed in [19]") that points at a listed author.
//! Not errors: the authors' names in third-person entries of the reference list (NeurIPS asks
//! authors to cite their own work that way), and a surname alone in running text.
//! Each message says where (page and printed line number) and what to do.

use crate::format_check::layout::Line;
use crate::format_check::normalize::{fold, name_variants};
use crate::format_check::report::{Violation, describe_pages};
use crate::format_check::rules::{AuthorIdentity, Code, Severity};
use crate::format_check::sections::ContentEnd;

use crate::format_check::anonymity_text::{Doc, metadata_leak, self_reference, surname_tokens};

/// Finds anonymity violations. `pages` are the classified lines of every page, `end` the
/// first back-matter heading.
pub(crate) fn check_anonymity(
    pages: &[Vec<Line>],
    metadata: &[(String, String)],
    authors: &[AuthorIdentity],
    _end: Option<&ContentEnd>,
) -> Vec<Violation> {
    let doc = Doc::new(pages);
    let mut findings: Vec<(u32, String)> = Vec::new();
    for author in authors {
        let variants = name_variants(&author.name);
        let email = fold(author.email.trim());
        let surnames = surname_tokens(&author.name);
        for variant in variants.iter().filter(|v| v.len() >= 2) {
            for at in doc.find_all(variant) {
                if !doc.in_references(at) {
                    findings.push((
                        doc.page_of(at),
                        format!(
                            "the name \u{201c}{}\u{201d} ({})",
                            author.name,
                            doc.place(at)
                        ),
                    ));
                }
            }
        }
        if let Some(at) = doc.find_initials(&author.name) {
            findings.push((
                doc.page_of(at),
                format!(
                    "the initials and surname of {} ({})",
                    author.name,
                    doc.place(at)
                ),
            ));
        }
        if email.contains('@')
            && let Some(at) = doc.find_email(&email)
        {
            findings.push((
                doc.page_of(at),
                format!(
                    "the e-mail address {} ({})",
                    author.email.trim(),
                    doc.place(at)
                ),
            ));
        }
        if let Some((at, _)) = self_reference(&doc, &surnames) {
            findings.push((
                doc.page_of(at),
                format!(
                    "a self-revealing citation of {}\u{2019}s work, e.g. \u{201c}our previous \
                     work\u{201d} ({})",
                    author.name,
                    doc.place(at)
                ),
            ));
        }
    }
    let mut violations = Vec::new();
    if !findings.is_empty() {
        violations.push(error(
            &findings,
            "the text reveals an author",
            "Remove author names and e-mails from the paper, its footnotes and its figures, and \
             cite your own earlier work in the third person (\u{201c}Xu et al. [3] showed\u{201d}, \
             not \u{201c}in our previous work [3]\u{201d}). Your own papers may stay in the \
             reference list.",
        ));
    }
    if let Some(at) = doc.acknowledgments() {
        violations.push(error(
            &[(
                doc.page_of(at),
                format!(
                    "the heading \u{201c}Acknowledgments\u{201d} ({})",
                    doc.place(at)
                ),
            )],
            "the anonymous version shows an Acknowledgments section",
            "Acknowledgments name colleagues and funders: leave them out of the submission and \
             add them to the camera-ready version (the NeurIPS style hides its ack environment \
             in the anonymous version).",
        ));
    }
    if let Some((at, kind)) = doc.non_anonymous_footer() {
        violations.push(error(
            &[(doc.page_of(at), format!("{kind} ({})", doc.place(at)))],
            "the first page says this is not the anonymous submission",
            "Compile the anonymous version: load the style without the [final] or [preprint] \
             option.",
        ));
    }
    if let Some(field) = metadata_leak(metadata, authors) {
        violations.push(Violation {
            code: Code::Anonymity,
            severity: Severity::Error,
            pages: Vec::new(),
            message: format!(
                "the PDF's hidden document properties ({field}) name an author. Clear them, e.g. \
                 with \\hypersetup{{pdfauthor={{}}}} in LaTeX or \u{201c}File \u{2192} Properties\u{201d} \
                 in your PDF tool or word processor."
            ),
        });
    }
    if violations.is_empty() && doc.missing_anonymous_block() {
        violations.push(Violation {
            code: Code::Anonymity,
            severity: Severity::Warning,
            pages: vec![1],
            message:
                "the first page has no \u{201c}Anonymous Author(s)\u{201d} block: the paper may \
                      be compiled in camera-ready mode. Load the style without the [final] option \
                      for the anonymous submission."
                    .into(),
        });
    }
    violations
}

fn error(findings: &[(u32, String)], what: &str, fix: &str) -> Violation {
    let pages: Vec<u32> = findings.iter().map(|(p, _)| *p).collect();
    let mut seen: Vec<String> = Vec::new();
    for (_, w) in findings {
        if !seen.contains(w) {
            seen.push(w.clone());
        }
    }
    let more = seen.len().saturating_sub(4);
    seen.truncate(4);
    let mut list = seen.join("; ");
    if more > 0 {
        list.push_str(&format!("; and {more} more"));
    }
    let mut sorted = pages.clone();
    sorted.sort_unstable();
    sorted.dedup();
    Violation {
        code: Code::Anonymity,
        severity: Severity::Error,
        message: format!(
            "the submission must be anonymous, but {what}: {list} on {}. {fix}",
            describe_pages(&sorted)
        ),
        pages: sorted,
    }
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
