//! Where the main content ends (the first References / Bibliography / Acknowledgments /
//! Appendix / Supplementary material heading), the page-limit rule, and the body-font rule, which
//! measures the running text of the main content only.
//!
//! Only headings count: a line that starts with one of the keywords (after an optional section
//! number), is short, and is set like a heading — larger than the body text, or alone on its line
//! with space above it. The word "references" inside a paragraph is not a heading.

use crate::format_check::layout::{Line, LineKind, dominant_size};
use crate::format_check::normalize::{fold, tokens};
use crate::format_check::report::Violation;
use crate::format_check::rules::{Code, Rules, Severity};

/// Keyword sequences that open the back matter.
const BACK_MATTER: &[&[&str]] = &[
    &["references"],
    &["bibliography"],
    &["acknowledgments"],
    &["acknowledgements"],
    &["acknowledgment"],
    &["acknowledgement"],
    &["appendix"],
    &["appendices"],
    &["supplementary", "material"],
    &["supplementary", "materials"],
    &["supplemental", "material"],
    &["supplementary"],
];

/// The first back-matter heading.
#[derive(Debug, Clone)]
pub(crate) struct ContentEnd {
    /// 0-based page index of the heading.
    pub page: usize,
    /// Baseline of the heading, from the top of the page.
    pub y: f32,
    /// The heading text as printed.
    pub heading: String,
    /// Number of main-content pages.
    pub content_pages: u32,
}

/// Finds the first back-matter heading. `body_hint` is a rough body size.
pub(crate) fn find_content_end(pages: &[Vec<Line>], body_hint: f32) -> Option<ContentEnd> {
    for (index, lines) in pages.iter().enumerate() {
        let body: Vec<&Line> = lines.iter().filter(|l| l.kind == LineKind::Body).collect();
        for (pos, line) in body.iter().enumerate() {
            if !is_heading(line, pos, &body, body_hint) {
                continue;
            }
            let text_above = body.iter().any(|l| l.y < line.y - 1.0);
            let page_number = index as u32 + 1;
            return Some(ContentEnd {
                page: index,
                y: line.y,
                heading: line.text.clone(),
                content_pages: if text_above {
                    page_number
                } else {
                    page_number - 1
                },
            });
        }
    }
    None
}

fn is_heading(line: &Line, pos: usize, body: &[&Line], body_hint: f32) -> bool {
    if line.text.chars().count() > 60 {
        return false;
    }
    let folded = fold(&line.text);
    let words = tokens(&folded);
    let words = strip_number(&words);
    let Some(keyword) = BACK_MATTER.iter().find(|k| words.starts_with(k)) else {
        return false;
    };
    let rest = words.len() - keyword.len();
    if rest > 6 {
        return false;
    }
    let larger = line.size >= 1.1 * body_hint && line.size <= 1.7 * body_hint;
    if larger {
        return true;
    }
    // Same-size heading: the keyword alone on its line, no sentence punctuation, space above.
    let alone = rest == 0 && !line.text.trim_end().ends_with(['.', ',', ';', ')']);
    let gap_above = body
        .iter()
        .take(pos)
        .filter(|l| l.y < line.y - 1.0)
        .map(|l| line.y - l.y)
        .fold(f32::INFINITY, f32::min);
    alone && gap_above >= 1.6 * line.size && line.size >= 0.9 * body_hint
}

/// Drops a leading section number: "6", "6.", "A", "A.", "7.1".
fn strip_number<'a, 'b>(words: &'b [&'a str]) -> &'b [&'a str] {
    match words.first() {
        Some(w)
            if w.chars().all(|c| c.is_ascii_digit())
                || (w.len() == 1
                    && w.chars().all(|c| c.is_ascii_alphabetic())
                    && words.len() > 1) =>
        {
            let mut rest = &words[1..];
            while rest
                .first()
                .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()))
            {
                rest = &rest[1..];
            }
            rest
        }
        _ => words,
    }
}

/// Lines of the main content: pages before the heading, and the heading page above it.
pub(crate) fn main_content_lines<'a>(
    pages: &'a [Vec<Line>],
    end: Option<&ContentEnd>,
) -> impl Iterator<Item = &'a Line> {
    let (last_page, cut_y) = match end {
        Some(e) => (e.page, e.y),
        None => (usize::MAX, f32::INFINITY),
    };
    pages
        .iter()
        .enumerate()
        .take_while(move |(i, _)| *i <= last_page)
        .flat_map(move |(i, lines)| {
            lines
                .iter()
                .filter(move |l| i < last_page || l.y < cut_y - 1.0)
        })
        .filter(|l| l.kind == LineKind::Body)
}

/// Dominant size of the running text of the main content (falls back to the whole document).
pub(crate) fn body_font_size(pages: &[Vec<Line>], end: Option<&ContentEnd>) -> Option<f32> {
    dominant_size(main_content_lines(pages, end))
        .or_else(|| dominant_size(pages.iter().flatten().filter(|l| l.kind == LineKind::Body)))
}

/// The body-font rule.
pub(crate) fn check_font_size(body: f32, rules: &Rules) -> Option<Violation> {
    let body = f64::from(body);
    if body + 1e-6 >= rules.min_body_font_pt {
        return None;
    }
    Some(Violation {
        code: Code::FontSize,
        severity: Severity::Error,
        pages: Vec::new(),
        message: format!(
            "the running text is set in {body:.1} pt; the minimum body size is {:.1} pt (the \
             NeurIPS style uses 10 pt). Do not set the main text in \\small or redefine \
             \\normalsize; captions, footnotes, tables and references may be smaller.",
            rules.min_body_font_pt
        ),
    })
}

/// The page-limit rule.
pub(crate) fn check_page_limit(
    content_pages: u32,
    end: Option<&ContentEnd>,
    rules: &Rules,
) -> Option<Violation> {
    if content_pages <= rules.page_limit {
        return None;
    }
    let over = content_pages - rules.page_limit;
    let location = match end {
        Some(e) => format!(
            "the main content ends where \u{201c}{}\u{201d} starts on page {}",
            e.heading,
            e.page + 1
        ),
        None => "no References, Acknowledgments or Appendix heading was found, so every page \
                 counts as main content"
            .to_string(),
    };
    Some(Violation {
        code: Code::PageLimit,
        severity: Severity::Error,
        pages: ((rules.page_limit + 1)..=content_pages).collect(),
        message: format!(
            "the main content is {content_pages} pages, {over} more than the limit of {} \
             ({location}). Shorten the paper; references, acknowledgments and appendices do not \
             count towards the limit.",
            rules.page_limit
        ),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn section_numbers_are_stripped() {
        assert_eq!(strip_number(&["6", "references"]), &["references"]);
        assert_eq!(strip_number(&["a", "appendix"]), &["appendix"]);
        assert_eq!(strip_number(&["7", "1", "appendix"]), &["appendix"]);
        assert_eq!(strip_number(&["references"]), &["references"]);
    }
}
