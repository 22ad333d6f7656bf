//! NeurIPS PDF format checker: PDF bytes in, [`FormatReport`] out.
//!
//! Pure: no database, web or mail. The app calls [`check`] (in a bounded worker pool) and
//! stores the report; the CLI `cfp check-pdf` ([`cli`]) prints it. Rules (paper size, margins,
//! body font size, page limit, anonymity) are configured by [`Rules`]; which codes block an
//! upload is the chair's choice ([`Rules::blocking`], [`FormatReport::blocks_upload`]).
//!
//! Pipeline: `sniff` (is it a PDF?) → `extract` (our lazy object reader `reader` for the file
//! structure, lopdf only for the files it leaves to lopdf; our own interpreter `interp` for the
//! content, `streams` for budgeted decoding) → `layout` (lines;
//! body text vs line numbers, headers, page numbers) → the rule modules `geometry`, `sections`,
//! `anonymity`. Only a file that is certainly not a readable PDF is rejected; whatever the
//! checker could not read is reported as `checked_partly` (`partial`).

pub mod cli;
pub mod report;
pub mod rules;

pub(crate) mod anonymity;
pub(crate) mod anonymity_text;
pub(crate) mod cmap;
pub(crate) mod encoding;
pub(crate) mod encoding_tables;
pub(crate) mod extract;
pub(crate) mod font;
pub(crate) mod geometry;
pub(crate) mod interp;
pub(crate) mod layout;
pub(crate) mod lengths;
pub(crate) mod lexer;
pub(crate) mod metadata;
pub(crate) mod normalize;
pub(crate) mod partial;
pub(crate) mod quiet;
pub(crate) mod reader;
pub(crate) mod sections;
pub(crate) mod sniff;
pub(crate) mod std14;
pub(crate) mod streams;

pub use crate::format_check::streams::pool_in_use;

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
/// Never panics, prints nothing, and returns within about `rules.limits.time_budget_ms` (plus the
/// time to parse the file's object structure, which is linear in its size and capped by
/// `rules.limits.max_file_bytes`). Decoded streams are bounded per stream, per document and
/// across concurrent checks (`Limits`).
pub fn check(pdf: &[u8], rules: &Rules, authors: &[AuthorIdentity]) -> FormatReport {
    let start = Instant::now();
    let guarded = || {
        let _quiet = quiet::Quiet::new();
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            check_inline(pdf, rules, authors, start)
        }))
        .unwrap_or_else(|_| damaged_report())
    };
    let outcome = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("format-check".into())
            .stack_size(CHECK_STACK_BYTES)
            .spawn_scoped(scope, guarded)
            .map(|handle| handle.join())
    });
    let mut report = match outcome {
        Ok(Ok(report)) => report,
        // Could not spawn a thread: check on this one.
        Err(_) => guarded(),
        Ok(Err(_panic)) => damaged_report(),
    };
    report.elapsed_ms = (start.elapsed().as_secs_f64() * 1000.0 * 100.0).round() / 100.0;
    report
}

/// A panic escaped our own code: the file is stored and flagged, never refused for our bug.
fn damaged_report() -> FormatReport {
    partial::nothing_checked("the checker met an internal error while reading this file")
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
        return partial::nothing_checked(&format!(
            "the file is larger than {} MiB",
            rules.limits.max_file_bytes >> 20
        ));
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
        Err(ExtractError::TooComplex(why)) => return partial::nothing_checked(&why),
    };
    analyse(&extracted, rules, authors)
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
    // Without a back-matter heading among the pages read, unread pages may be main content.
    let unread = partial::first_unread_page(&extracted.gaps);
    let content_pages = match (&end, unread) {
        (Some(e), _) => Some(e.content_pages),
        (None, None) => Some(total_pages),
        (None, Some(_)) => None,
    };
    let body_font = sections::body_font_size(&pages, end.as_ref());

    let mut violations = Vec::new();
    violations.extend(geometry::check_paper_size(&dims, rules));
    violations.extend(geometry::check_margins(&pages, &dims, rules));
    if let Some(size) = body_font {
        violations.extend(sections::check_font_size(size, rules));
    }
    if let Some(content_pages) = content_pages {
        violations.extend(sections::check_page_limit(
            content_pages,
            end.as_ref(),
            rules,
        ));
    }
    if rules.mode == Mode::Submission {
        violations.extend(anonymity::check_anonymity(
            &pages,
            &extracted.metadata,
            authors,
            end.as_ref(),
        ));
    }
    violations.extend(partial::violation(
        &extracted.gaps,
        unread.is_some() && end.is_none(),
    ));
    let mut report = FormatReport {
        verdict: Verdict::Pass,
        violations,
        total_pages: Some(total_pages),
        content_pages,
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
