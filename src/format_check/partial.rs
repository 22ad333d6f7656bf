//! "Checked partly": what the author and the chairs are told when the checker could not read
//! everything (a budget or cap was hit, or something it does not model). The file is never
//! refused for this; the notice says what was and was not checked, and chairs see the flag.

use crate::format_check::extract::Gap;
use crate::format_check::report::{FormatReport, Violation, describe_pages};
use crate::format_check::rules::{Code, Severity};

/// The closing sentence of every such notice.
const STORED: &str = "Your paper is stored and counts as submitted; the program chairs see this \
                      note and will check the rest by hand. Nothing for you to do, unless you \
                      can make the file simpler (e.g. flatten very large figures).";

/// A report for a file of which nothing could be read beyond its first bytes.
pub(crate) fn nothing_checked(why: &str) -> FormatReport {
    FormatReport::unmeasured(Violation {
        code: Code::CheckedPartly,
        severity: Severity::Warning,
        pages: Vec::new(),
        message: format!(
            "checked partly: none of the format rules could be checked because {why}. {STORED}"
        ),
    })
}

/// The first page that was not read at all, if any.
pub(crate) fn first_unread_page(gaps: &[Gap]) -> Option<u32> {
    gaps.iter()
        .filter(|g| g.unread)
        .filter_map(|g| g.pages.first().copied())
        .min()
}

/// The notice for what `gaps` left unread; `page_limit_unknown` when the end of the main
/// content was not among the pages read.
pub(crate) fn violation(gaps: &[Gap], page_limit_unknown: bool) -> Option<Violation> {
    if gaps.is_empty() {
        return None;
    }
    let missed: Vec<String> = gaps
        .iter()
        .map(|g| format!("{} ({})", g.what, g.why))
        .collect();
    let mut pages: Vec<u32> = gaps.iter().flat_map(|g| g.pages.iter().copied()).collect();
    pages.sort_unstable();
    pages.dedup();
    let checked = if page_limit_unknown {
        "paper size and page count were checked on every page; margins, font size and \
         anonymity on the pages read; the page limit could not be checked"
    } else {
        "paper size, page count and page limit were checked; margins, font size and \
         anonymity on everything that was read"
    };
    let where_ = if pages.is_empty() {
        String::new()
    } else {
        format!(" ({})", describe_pages(&pages))
    };
    Some(Violation {
        code: Code::CheckedPartly,
        severity: Severity::Warning,
        message: format!(
            "checked partly{where_}: not checked: {}. Checked: {checked}. {STORED}",
            missed.join("; ")
        ),
        pages,
    })
}
