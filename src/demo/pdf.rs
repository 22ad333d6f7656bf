//! Real PDF papers for demo submissions, in the NeurIPS layout: US Letter, a 5.5 × 9 in text
//! block, 17 pt bold title between rules, anonymous or real author block, abstract, numbered
//! sections of 10 pt Times filler, a figure and equations, references and sometimes an appendix.
//!
//! The main content fills exactly `content_pages` pages. Front matter is set here, the body in
//! `pdf_body.rs`, with primitives from `layout.rs` and the file format from `pdf_file.rs`.

use crate::demo::afm;
use crate::demo::content::{DemoSubmission, WORKSHOP_NAME};
use crate::demo::layout::{
    AUTHOR, BLOCK_HEIGHT, BODY, BODY_BOLD, EMAIL, FOOTNOTE, HEADING, LEFT, Style, TITLE,
    Typesetter, WIDTH, text_mark, wrap,
};
use crate::demo::pdf_body::{Words, appendix, body, heading, references};
use crate::demo::pdf_file::{Mark, Page, write_pdf};
use crate::demo::rng::Rng;

/// The PDF of a submission; with `anonymous` the authors are replaced by the
/// "Anonymous Author(s)" block and no name, affiliation or email appears anywhere.
pub fn paper_pdf(sub: &DemoSubmission, anonymous: bool) -> Vec<u8> {
    let paper = lay_out(sub, anonymous);
    let info = info_dictionary(sub, anonymous);
    let info: Vec<(&str, &str)> = info.iter().map(|(k, v)| (*k, v.as_str())).collect();
    write_pdf(&paper.pages, &info)
}

/// The document information of a submission's PDF: title, subject and keywords, and the
/// authors' names unless `anonymous`.
pub(crate) fn info_dictionary(
    sub: &DemoSubmission,
    anonymous: bool,
) -> Vec<(&'static str, String)> {
    let mut info: Vec<(&str, String)> = vec![
        ("Title", sub.title.clone()),
        ("Subject", format!("NeurIPS 2026 Workshop: {WORKSHOP_NAME}")),
        ("Keywords", sub.keywords.join("; ")),
    ];
    if !anonymous {
        let names: Vec<&str> = sub.authors.iter().map(|a| a.name.as_str()).collect();
        info.push(("Author", names.join(", ")));
    }
    info
}

/// A paper laid out into pages, with where its parts ended up.
#[derive(Debug)]
#[cfg_attr(not(test), allow(dead_code))] // the page bookkeeping is what the tests check
pub(crate) struct LaidOutPaper {
    /// The pages, footers included.
    pub pages: Vec<Page>,
    /// 1-based page on which the main content ends.
    pub content_last_page: usize,
    /// 1-based page on which the "References" heading stands.
    pub references_page: usize,
}

/// Lays out the whole paper.
pub(crate) fn lay_out(sub: &DemoSubmission, anonymous: bool) -> LaidOutPaper {
    let mut rng = Rng::from_text(&sub.title);
    let mut t = Typesetter::new();
    let mut words = Words::new(sub);
    first_page_footnote(&mut t, anonymous);
    title_block(&mut t, &sub.title);
    if anonymous {
        anonymous_authors(&mut t);
    } else {
        author_grid(&mut t, sub);
    }
    t.skip(22.0);
    t.centered(HEADING, "Abstract");
    t.skip(4.0);
    t.paragraph(BODY, LEFT + 36.0, WIDTH - 72.0, &sub.abstract_text);
    t.skip(10.0);

    let pages = sub.content_pages.max(1) as f32;
    let fill = 0.35 + rng.below(36) as f32 / 100.0;
    let mut target = (pages - 1.0 + fill) * BLOCK_HEIGHT;
    if pages <= 1.0 {
        target = target.max(t.progress() + 170.0).min(BLOCK_HEIGHT - 60.0);
    }
    body(&mut t, &mut rng, &mut words, sub.content_pages, target);
    let content_last_page = t.page_number();

    t.skip(12.0);
    heading(&mut t, None, "References");
    let references_page = t.page_number();
    references(&mut t, &mut rng);
    if rng.chance(35) {
        appendix(&mut t, &mut rng, &mut words);
    }
    LaidOutPaper {
        pages: t.finish(),
        content_last_page,
        references_page,
    }
}

fn first_page_footnote(t: &mut Typesetter, anonymous: bool) {
    let note = if anonymous {
        format!("Submitted to the NeurIPS 2026 Workshop on {WORKSHOP_NAME}. Do not distribute.")
    } else {
        format!("NeurIPS 2026 Workshop on {WORKSHOP_NAME} (published track).")
    };
    let lines = wrap(FOOTNOTE, &note, WIDTH);
    let height = lines.len() as f32 * FOOTNOTE.leading;
    let base = 72.0 + height - FOOTNOTE.size;
    for (i, line) in lines.iter().enumerate() {
        t.mark(text_mark(
            FOOTNOTE,
            LEFT,
            base - i as f32 * FOOTNOTE.leading,
            0.0,
            line,
        ));
    }
    t.mark(Mark::Rect {
        x: LEFT,
        y: 72.0 + height + 3.0,
        width: 144.0,
        height: 0.4,
    });
    t.reserve_bottom(height + 12.0);
}

fn title_block(t: &mut Typesetter, title: &str) {
    rule(t, 4.0);
    t.advance(18.0);
    t.centered(TITLE, title);
    t.advance(10.0);
    rule(t, 1.0);
    t.advance(20.0);
}

fn rule(t: &mut Typesetter, thickness: f32) {
    let y = t.cursor() - thickness;
    t.mark(Mark::Rect {
        x: LEFT,
        y,
        width: WIDTH,
        height: thickness,
    });
    t.advance(thickness);
}

fn anonymous_authors(t: &mut Typesetter) {
    t.centered(BODY_BOLD, "Anonymous Author(s)");
    t.centered(AUTHOR, "Affiliation");
    t.centered(AUTHOR, "Address");
    t.centered(EMAIL, "email");
}

/// Authors two to a row, each as name, affiliation and email centred in its column.
fn author_grid(t: &mut Typesetter, sub: &DemoSubmission) {
    for row in sub.authors.chunks(2) {
        let column = WIDTH / row.len() as f32;
        let top = t.cursor();
        for (i, author) in row.iter().enumerate() {
            let centre = LEFT + column * (i as f32 + 0.5);
            let lines = [
                (BODY_BOLD, author.name.as_str()),
                (AUTHOR, author.affiliation.as_str()),
                (EMAIL, author.email.as_str()),
            ];
            for (k, (style, text)) in lines.iter().enumerate() {
                let natural = afm::text_width(style.font, style.size, text);
                let size = if natural > column - 8.0 {
                    style.size * (column - 8.0) / natural
                } else {
                    style.size
                };
                let width = natural * size / style.size;
                let fitted = Style::new(style.font, size, style.leading);
                let y = top - style.size - k as f32 * style.leading;
                t.mark(text_mark(fitted, centre - width / 2.0, y, 0.0, text));
            }
        }
        t.advance(3.0 * AUTHOR.leading + 8.0);
    }
}

#[cfg(test)]
#[path = "pdf_tests.rs"]
mod tests;
