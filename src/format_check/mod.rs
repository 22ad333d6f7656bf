//! NeurIPS PDF format checker: PDF bytes in, [`FormatReport`] out.
//!
//! Pure: no database, web or mail. The app calls [`check`] (in a bounded worker pool) and
//! stores the report; the CLI `cfp check-pdf` ([`cli`]) prints it. Rules (paper size, margins,
//! body font size, page limit, anonymity) are configured by [`Rules`]; which codes block an
//! upload is the chair's choice ([`Rules::blocking`], [`FormatReport::blocks_upload`]).
//!
//! Pipeline: `sniff` (is it a PDF?) → `extract` (characters with positions, metadata, resource
//! caps) → `layout` (lines; body text vs line numbers, headers, page numbers) → the rule modules
//! `geometry`, `sections`, `anonymity`.

pub mod cli;
pub mod report;
pub mod rules;

pub(crate) mod anonymity;
pub(crate) mod collector;
pub(crate) mod extract;
pub(crate) mod fast;
pub(crate) mod fonts;
pub(crate) mod geometry;
pub(crate) mod layout;
pub(crate) mod lexer;
pub(crate) mod merge;
pub(crate) mod metadata;
pub(crate) mod normalize;
pub(crate) mod operands;
pub(crate) mod probe;
pub(crate) mod sections;
pub(crate) mod sniff;
pub(crate) mod xobjects;

#[cfg(test)]
mod fast_tests;
#[cfg(test)]
mod fixture_tests;
#[cfg(test)]
mod fuzz_tests;
#[cfg(test)]
mod lexer_tests;
#[cfg(test)]
mod synthetic;
#[cfg(test)]
mod synthetic_tests;

use std::time::Instant;

pub use crate::format_check::report::{FormatReport, Verdict, Violation, describe_pages};
pub use crate::format_check::rules::{AuthorIdentity, Code, Limits, Mode, Rules, Severity};

use crate::format_check::extract::{Budget, ExtractError, extract};
use crate::format_check::sniff::{Sniffed, sniff};

/// Stack for the checking thread: parsers of untrusted input recurse, so give them room.
const CHECK_STACK_BYTES: usize = 64 * 1024 * 1024;

/// Checks one PDF against `rules`; `authors` are searched for in submission mode.
///
/// Never panics and always returns within about `rules.limits.time_budget_ms` (plus the time to
/// parse the file's object structure, which is linear in its size and capped by
/// `rules.limits.max_file_bytes`).
pub fn check(pdf: &[u8], rules: &Rules, authors: &[AuthorIdentity]) -> FormatReport {
    let start = Instant::now();
    let outcome = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("format-check".into())
            .stack_size(CHECK_STACK_BYTES)
            .spawn_scoped(scope, || check_inline(pdf, rules, authors, start))
            .map(|handle| handle.join())
    });
    let mut report = match outcome {
        Ok(Ok(report)) => report,
        // Could not spawn a thread: check on this one.
        Err(_) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            check_inline(pdf, rules, authors, start)
        }))
        .unwrap_or_else(|_| corrupt_report()),
        Ok(Err(_panic)) => corrupt_report(),
    };
    report.elapsed_ms = (start.elapsed().as_secs_f64() * 1000.0 * 100.0).round() / 100.0;
    report
}

fn corrupt_report() -> FormatReport {
    FormatReport::rejected(
        Code::Corrupt,
        "the PDF is damaged and could not be read; export it again from your editor or LaTeX \
         and upload the new file"
            .into(),
    )
}

fn check_inline(
    pdf: &[u8],
    rules: &Rules,
    authors: &[AuthorIdentity],
    start: Instant,
) -> FormatReport {
    if let Sniffed::Other(what) = sniff(pdf) {
        return FormatReport::rejected(
            Code::NotPdf,
            format!("this file is {what}, not a PDF; upload your paper as a PDF file"),
        );
    }
    if pdf.len() > rules.limits.max_file_bytes {
        return too_complex();
    }
    if !sniff::has_eof_marker(pdf) {
        return FormatReport::rejected(
            Code::Corrupt,
            "the PDF is incomplete: the file ends before the PDF's end marker, so it was probably \
             cut off during upload or export; export it again and upload the new file"
                .into(),
        );
    }
    let budget = Budget::new(start, rules.limits.time_budget_ms);
    let extracted = match extract(pdf, &rules.limits, budget) {
        Ok(extracted) => extracted,
        Err(ExtractError::Encrypted) => {
            return FormatReport::rejected(
                Code::Encrypted,
                "the PDF is password-protected (encrypted); upload an unprotected version".into(),
            );
        }
        Err(ExtractError::Corrupt(why)) => {
            return FormatReport::rejected(
                Code::Corrupt,
                format!("{why}; export the PDF again and upload the new file"),
            );
        }
        Err(ExtractError::TooComplex(_)) => return too_complex(),
    };
    analyse(&extracted, rules, authors)
}

fn too_complex() -> FormatReport {
    FormatReport::rejected(
        Code::TooComplex,
        "the PDF is too complex to check (too large, too many objects or too slow to read); \
         simplify large figures or flatten embedded documents and upload again"
            .into(),
    )
}

/// Applies every rule to an extracted document.
fn analyse(
    extracted: &extract::Extracted,
    rules: &Rules,
    authors: &[AuthorIdentity],
) -> FormatReport {
    let dims: Vec<(f64, f64)> = extracted
        .pages
        .iter()
        .map(|p| (p.width, p.height))
        .collect();
    let mut pages = layout::build_lines(&extracted.pages);
    layout::classify(&mut pages, &dims, rules);
    let rough_body = layout::dominant_size(
        pages
            .iter()
            .flatten()
            .filter(|l| l.kind == layout::LineKind::Body),
    )
    .unwrap_or(10.0);
    let end = sections::find_content_end(&pages, rough_body);
    let total_pages = pages.len() as u32;
    let content_pages = end.as_ref().map_or(total_pages, |e| e.content_pages);
    let body_font = sections::body_font_size(&pages, end.as_ref());

    let mut violations = Vec::new();
    violations.extend(geometry::check_paper_size(&dims, rules));
    violations.extend(geometry::check_margins(&pages, &dims, rules));
    if let Some(size) = body_font {
        violations.extend(sections::check_font_size(size, rules));
    }
    violations.extend(sections::check_page_limit(
        content_pages,
        end.as_ref(),
        rules,
    ));
    if rules.mode == Mode::Submission {
        violations.extend(anonymity::check_anonymity(
            &pages,
            &extracted.metadata,
            authors,
        ));
    }
    let mut report = FormatReport {
        verdict: Verdict::Pass,
        violations,
        total_pages: Some(total_pages),
        content_pages: Some(content_pages),
        paper_size_pt: dims.first().map(|&(w, h)| (round1(w), round1(h))),
        body_font_pt: body_font.map(|s| round1(f64::from(s))),
        text_block_pt: geometry::measured_block(sections::main_content_lines(&pages, end.as_ref())),
        elapsed_ms: 0.0,
    };
    report.finish();
    report
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}
