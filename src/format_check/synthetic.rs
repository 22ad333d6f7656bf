//! Test-only builder of small synthetic PDFs (with the `pdf-writer` crate): pages of Helvetica
//! lines placed at exact positions and sizes, optional Info metadata. Used to test each rule at
//! and just beyond its tolerance.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// One line of text: left x, baseline measured from the page top, font size, Latin-1 text.
#[derive(Clone, Debug)]
pub(crate) struct TextLine {
    pub x: f32,
    pub y_from_top: f32,
    pub size: f32,
    pub text: String,
}

/// One page.
#[derive(Clone, Debug)]
pub(crate) struct SynthPage {
    pub width: f32,
    pub height: f32,
    pub lines: Vec<TextLine>,
}

/// A document to build.
#[derive(Clone, Debug, Default)]
pub(crate) struct SynthDoc {
    pub pages: Vec<SynthPage>,
    pub info_author: Option<String>,
}

/// A running-text line of about 75 characters (~340 pt of 10 pt Helvetica).
pub(crate) const FILLER: &str =
    "The adaptive solver integrates the latent trajectory with a stable step size";

impl SynthPage {
    /// A US Letter page with no text.
    pub fn letter() -> Self {
        SynthPage {
            width: 612.0,
            height: 792.0,
            lines: Vec::new(),
        }
    }

    /// Adds a line.
    pub fn line(mut self, x: f32, y_from_top: f32, size: f32, text: &str) -> Self {
        self.lines.push(TextLine {
            x,
            y_from_top,
            size,
            text: text.to_string(),
        });
        self
    }

    /// Fills the NeurIPS text block with `count` body lines from `first_y`, 12 pt apart, with
    /// submission-style line numbers at x = 95 pt, starting at number `first_number`.
    pub fn body(mut self, first_y: f32, count: usize, size: f32, first_number: usize) -> Self {
        for i in 0..count {
            let y = first_y + 12.0 * i as f32;
            self = self.line(108.0, y, size, FILLER).line(
                95.0,
                y,
                6.0,
                &(first_number + i).to_string(),
            );
        }
        self
    }
}

impl SynthDoc {
    /// A document from pages.
    pub fn new(pages: Vec<SynthPage>) -> Self {
        SynthDoc {
            pages,
            info_author: None,
        }
    }

    /// Serialises the document.
    pub fn build(&self) -> Vec<u8> {
        let mut pdf = Pdf::new();
        let catalog = Ref::new(1);
        let tree = Ref::new(2);
        let font = Ref::new(3);
        let info = Ref::new(4);
        let mut next = 5;
        let mut page_ids = Vec::new();
        let mut content_ids = Vec::new();
        for _ in &self.pages {
            page_ids.push(Ref::new(next));
            content_ids.push(Ref::new(next + 1));
            next += 2;
        }
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree)
            .kids(page_ids.iter().copied())
            .count(page_ids.len() as i32);
        pdf.type1_font(font)
            .base_font(Name(b"Helvetica"))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
        for (i, page) in self.pages.iter().enumerate() {
            let mut p = pdf.page(page_ids[i]);
            p.media_box(Rect::new(0.0, 0.0, page.width, page.height));
            p.parent(tree);
            p.contents(content_ids[i]);
            p.resources().fonts().pair(Name(b"F1"), font);
            p.finish();
            let mut content = Content::new();
            for line in &page.lines {
                let latin1: Vec<u8> = line
                    .text
                    .chars()
                    .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
                    .collect();
                content.begin_text();
                content.set_font(Name(b"F1"), line.size);
                content.set_text_matrix([
                    1.0,
                    0.0,
                    0.0,
                    1.0,
                    line.x,
                    page.height - line.y_from_top,
                ]);
                content.show(Str(&latin1));
                content.end_text();
            }
            pdf.stream(content_ids[i], &content.finish());
        }
        if let Some(author) = &self.info_author {
            pdf.document_info(info).author(TextStr(author));
        }
        pdf.finish()
    }
}

/// A compliant anonymous submission: `content` pages of 10 pt body text, then a References
/// heading (12 pt) at `refs_y` on the page after the last full page (`None` = mid-page of the
/// last content page), then one page of references.
pub(crate) fn paper(content: usize, refs_at_top_of_next: bool) -> SynthDoc {
    let mut pages = Vec::new();
    let mut number = 1;
    for i in 0..content {
        let mut page = SynthPage::letter();
        if i == 0 {
            page = page
                .line(200.0, 110.0, 17.0, "A Study of Stable Solvers")
                .line(260.0, 190.0, 10.0, "Anonymous Author(s)")
                .line(285.0, 201.0, 10.0, "Affiliation");
        }
        let last = i + 1 == content;
        let count = if last && !refs_at_top_of_next { 20 } else { 50 };
        page = page.body(120.0, count, 10.0, number);
        number += count;
        if last && !refs_at_top_of_next {
            page = page.line(108.0, 380.0, 12.0, "References");
            page = page.line(108.0, 400.0, 9.0, "[1] A. Okafor. Neural solvers. 2019.");
        }
        page = page.line(303.0, 750.0, 10.0, &(i + 1).to_string());
        pages.push(page);
    }
    let mut back = SynthPage::letter();
    if refs_at_top_of_next {
        back = back.line(108.0, 82.0, 12.0, "References");
    }
    back = back
        .line(
            108.0,
            100.0,
            9.0,
            "[2] V. Kowalczyk. Adjoint-free layers. 2020.",
        )
        .line(303.0, 750.0, 10.0, &(content + 1).to_string());
    pages.push(back);
    SynthDoc::new(pages)
}
