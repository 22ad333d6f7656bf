//! A tiny typesetter for the demo PDFs: a cursor moving down the NeurIPS text block, greedy
//! line breaking with the fonts' AFM widths, justified paragraphs, page breaks and page
//! numbers.
//!
//! It also holds the NeurIPS text styles, but knows nothing about papers: `pdf.rs` and
//! `pdf_body.rs` decide what goes where.

use crate::demo::afm::{self, Font};
use crate::demo::pdf_file::{Mark, PAGE_WIDTH, Page};

/// Left edge of the text block (1.5 in).
pub const LEFT: f32 = 108.0;
/// Width of the text block (5.5 in).
pub const WIDTH: f32 = 396.0;
/// Top of the text block (1 in below the top edge).
pub const TOP: f32 = 720.0;
/// Bottom of the text block (9 in below its top).
pub const BOTTOM: f32 = 72.0;
/// Height of the text block.
pub const BLOCK_HEIGHT: f32 = TOP - BOTTOM;

/// The title: 17 pt bold.
pub const TITLE: Style = Style::new(Font::Bold, 17.0, 20.0);
/// Section headings: 12 pt bold.
pub const HEADING: Style = Style::new(Font::Bold, 12.0, 14.0);
/// Body text: 10 pt Times on 12 pt leading.
pub const BODY: Style = Style::new(Font::Roman, 10.0, 12.0);
/// Author names: 10 pt bold.
pub const BODY_BOLD: Style = Style::new(Font::Bold, 10.0, 11.0);
/// Affiliations and the anonymous block.
pub const AUTHOR: Style = Style::new(Font::Roman, 10.0, 11.0);
/// Email addresses: 9 pt Courier.
pub const EMAIL: Style = Style::new(Font::Mono, 9.0, 11.0);
/// Captions and references: 9 pt.
pub const SMALL: Style = Style::new(Font::Roman, 9.0, 10.5);
/// The first-page footnote: 8 pt.
pub const FOOTNOTE: Style = Style::new(Font::Roman, 8.0, 9.5);
/// Space between paragraphs, as NeurIPS sets `\parskip`.
pub const PARSKIP: f32 = 5.5;

/// Font, size and line spacing of a run of text.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Font.
    pub font: Font,
    /// Size in points.
    pub size: f32,
    /// Baseline-to-baseline distance.
    pub leading: f32,
}

impl Style {
    /// A style from its parts.
    pub const fn new(font: Font, size: f32, leading: f32) -> Self {
        Self {
            font,
            size,
            leading,
        }
    }
}

/// Lays text out page by page, top to bottom.
#[derive(Debug)]
pub struct Typesetter {
    pages: Vec<Page>,
    cursor: f32,
    bottom: f32,
}

impl Default for Typesetter {
    fn default() -> Self {
        Self::new()
    }
}

impl Typesetter {
    /// A typesetter at the top of an empty first page.
    pub fn new() -> Self {
        Self {
            pages: vec![Page::default()],
            cursor: TOP,
            bottom: BOTTOM,
        }
    }

    /// The 1-based number of the current page.
    pub fn page_number(&self) -> usize {
        self.pages.len()
    }

    /// Distance laid out so far, counting every earlier page as one full text block.
    pub fn progress(&self) -> f32 {
        (self.pages.len() - 1) as f32 * BLOCK_HEIGHT + (TOP - self.cursor)
    }

    /// The current vertical position (top of the free space).
    pub fn cursor(&self) -> f32 {
        self.cursor
    }

    /// Whether `height` more points fit on the current page.
    pub fn fits(&self, height: f32) -> bool {
        self.cursor - height >= self.bottom - 0.01
    }

    /// Starts a new page.
    pub fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.cursor = TOP;
        self.bottom = BOTTOM;
    }

    /// Starts a new page unless `height` fits on this one.
    pub fn ensure(&mut self, height: f32) {
        if !self.fits(height) {
            self.new_page();
        }
    }

    /// Vertical space; dropped at the top of a page, and it never spills onto the next one.
    pub fn skip(&mut self, height: f32) {
        if self.cursor < TOP {
            self.cursor = (self.cursor - height).max(self.bottom);
        }
    }

    /// Keeps the bottom `height` points of the current page free (for a footnote).
    pub fn reserve_bottom(&mut self, height: f32) {
        self.bottom = BOTTOM + height;
    }

    /// Draws on the current page.
    pub fn mark(&mut self, mark: Mark) {
        if let Some(page) = self.pages.last_mut() {
            page.marks.push(mark);
        }
    }

    /// Moves the cursor down by `height` without drawing.
    pub fn advance(&mut self, height: f32) {
        self.cursor -= height;
    }

    /// One line of text at `x`, on the next line slot; breaks the page if needed.
    pub fn line_at(&mut self, style: Style, x: f32, text: &str, word_spacing: f32) {
        self.ensure(style.leading);
        let baseline = self.cursor - style.size;
        self.mark(text_mark(style, x, baseline, word_spacing, text));
        self.cursor -= style.leading;
    }

    /// Lines of text, each centred in the text block.
    pub fn centered(&mut self, style: Style, text: &str) {
        for line in wrap(style, text, WIDTH) {
            let width = afm::text_width(style.font, style.size, &line);
            self.line_at(style, LEFT + (WIDTH - width) / 2.0, &line, 0.0);
        }
    }

    /// A justified paragraph `width` wide starting at `left`; its last line is set ragged.
    pub fn paragraph(&mut self, style: Style, left: f32, width: f32, text: &str) {
        let lines = wrap(style, text, width);
        let last = lines.len().saturating_sub(1);
        for (i, line) in lines.iter().enumerate() {
            let spacing = if i < last {
                justify_spacing(style, line, width)
            } else {
                0.0
            };
            self.line_at(style, left, line, spacing);
        }
    }

    /// The finished pages, each with its number centred in the footer.
    pub fn finish(mut self) -> Vec<Page> {
        let style = Style::new(Font::Roman, 10.0, 12.0);
        for (i, page) in self.pages.iter_mut().enumerate() {
            let number = (i + 1).to_string();
            let width = afm::text_width(style.font, style.size, &number);
            let x = (PAGE_WIDTH - width) / 2.0;
            page.marks.push(text_mark(style, x, 42.0, 0.0, &number));
        }
        self.pages
    }
}

/// A text mark with the text encoded for the PDF.
pub fn text_mark(style: Style, x: f32, y: f32, word_spacing: f32, text: &str) -> Mark {
    Mark::Text {
        font: style.font,
        size: style.size,
        x,
        y,
        word_spacing,
        bytes: afm::encode(text),
    }
}

/// Greedy line breaking of `text` into lines at most `width` wide (a word longer than the
/// width gets a line of its own).
pub fn wrap(style: Style, text: &str, width: f32) -> Vec<String> {
    let space = afm::text_width(style.font, style.size, " ");
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut current_width = 0.0;
    for word in text.split_whitespace() {
        let word_width = afm::text_width(style.font, style.size, word);
        if current.is_empty() {
            current.push_str(word);
            current_width = word_width;
        } else if current_width + space + word_width <= width {
            current.push(' ');
            current.push_str(word);
            current_width += space + word_width;
        } else {
            lines.push(std::mem::replace(&mut current, word.to_string()));
            current_width = word_width;
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// Extra space per space character that makes `line` exactly `width` wide.
fn justify_spacing(style: Style, line: &str, width: f32) -> f32 {
    let bytes = afm::encode(line);
    let spaces = bytes.iter().filter(|b| **b == b' ').count();
    if spaces == 0 {
        return 0.0;
    }
    let natural = afm::encoded_width(style.font, style.size, &bytes);
    ((width - natural) / spaces as f32).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: Style = Style::new(Font::Roman, 10.0, 12.0);

    #[test]
    fn wrapped_lines_fit_the_width_and_keep_every_word() {
        let text = "Neural ordinary differential equations parameterise the vector field of a \
                    dynamical system with a neural network and integrate it with a solver. "
            .repeat(5);
        let lines = wrap(BODY, &text, WIDTH);
        assert!(lines.len() > 3);
        assert!(
            lines
                .iter()
                .all(|l| afm::text_width(Font::Roman, 10.0, l) <= WIDTH)
        );
        assert_eq!(lines.join(" "), text.trim());
    }

    #[test]
    fn justified_line_fills_the_width() {
        let line = "a few words that do not fill the line";
        let spacing = justify_spacing(BODY, line, WIDTH);
        let natural = afm::text_width(Font::Roman, 10.0, line);
        assert!((natural + spacing * 8.0 - WIDTH).abs() < 0.01);
    }

    #[test]
    fn lines_flow_onto_a_new_page_at_the_bottom() {
        let mut t = Typesetter::new();
        for _ in 0..55 {
            t.line_at(BODY, LEFT, "line", 0.0);
        }
        assert_eq!(t.page_number(), 2, "54 lines of 12 pt fill a 648 pt block");
        assert_eq!(t.finish().len(), 2);
    }
}
