//! From positioned characters to text lines, and the sorting of lines into body text versus
//! page furniture: submission line numbers (small digit-only lines in the margin), page
//! numbers and running headers/footers (short lines outside the text block, set apart by a gap),
//! and rotated text (arXiv stamps, rotated table headers).
//!
//! The rules themselves (margins, font size, page limit, anonymity) live in their own modules and
//! only read the classified lines produced here.

use crate::format_check::extract::{Glyph, Page};
use crate::format_check::rules::Rules;

/// What a line is, for the geometric rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineKind {
    /// Running text, headings, captions, tables, footnotes: everything the rules measure.
    Body,
    /// Submission line numbers printed in the margin.
    LineNumber,
    /// Page number or running header/footer outside the text block.
    Furniture,
    /// Rotated or skewed text.
    Rotated,
}

/// One line of text on one page. Coordinates in points from the page's top-left corner.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    /// Left edge of the first character.
    pub x0: f32,
    /// Right edge of the last character.
    pub x1: f32,
    /// Baseline (of the first character), measured downwards from the top of the page.
    pub y: f32,
    /// Highest top of a character (baseline minus 0.7 × size), from the top of the page.
    pub top: f32,
    /// Most frequent character size on the line.
    pub size: f32,
    /// Number of visible characters.
    pub chars: u32,
    /// Text with spaces inserted at word gaps.
    pub text: String,
    /// Classification (see [`LineKind`]).
    pub kind: LineKind,
    upright: bool,
}

impl Line {
    fn start(g: &Glyph) -> Self {
        Line {
            x0: g.x,
            x1: g.x_end.max(g.x),
            y: g.y,
            top: g.y - 0.7 * g.size,
            size: g.size,
            chars: 0,
            text: String::new(),
            kind: LineKind::Body,
            upright: g.upright,
        }
    }

    /// Whether the trimmed text consists of 1–4 ASCII digits.
    pub fn is_number(&self) -> bool {
        let t = self.text.trim();
        !t.is_empty() && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit())
    }

    fn is_page_label(&self) -> bool {
        let t = self.text.trim().to_ascii_lowercase();
        self.is_number()
            || (!t.is_empty() && t.len() <= 6 && t.chars().all(|c| "ivxlc".contains(c)))
            || (t.starts_with("page ") && t.len() <= 16)
    }
}

/// Splits every page into lines, in content-stream order (TeX writes text in reading order).
pub(crate) fn build_lines(pages: &[Page]) -> Vec<Vec<Line>> {
    pages.iter().map(page_lines).collect()
}

fn page_lines(page: &Page) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut current: Option<Line> = None;
    let mut sizes = Sizes::default();
    let mut last_end = 0.0f32;
    for g in &page.glyphs {
        let text = page.glyph_text(g);
        let blank = match *text.as_bytes() {
            // `char::is_whitespace` of an ASCII byte.
            [byte] => matches!(byte, b' ' | b'\t'..=b'\r'),
            _ => text.chars().all(char::is_whitespace),
        };
        if let Some(line) = current.as_mut() {
            let em = g.size.max(line.size).max(1.0);
            let new_line = (g.y - line.y).abs() > 0.5 * em
                || g.x < last_end - 2.0 * em
                || g.x > last_end + 3.0 * em
                || g.upright != line.upright;
            if new_line {
                if let Some(done) = current.take() {
                    push_line(&mut lines, done, &mut sizes);
                }
            } else if !blank && g.x > last_end + 0.15 * g.size && !line.text.ends_with(' ') {
                line.text.push(' ');
            }
        }
        let line = current.get_or_insert_with(|| Line::start(g));
        if blank {
            if !line.text.is_empty() && !line.text.ends_with(' ') {
                line.text.push(' ');
            }
            last_end = g.x_end.max(g.x);
            continue;
        }
        if line.chars == 0 {
            line.x0 = g.x;
            line.y = g.y;
        }
        line.x0 = line.x0.min(g.x);
        line.x1 = line.x1.max(g.x_end).max(g.x);
        line.top = line.top.min(g.y - 0.7 * g.size);
        line.chars += 1;
        match *text.as_bytes() {
            [0] => line.text.push('?'),
            [byte] => line.text.push(char::from(byte)),
            _ => line
                .text
                .push_str(if text.contains('\0') { "?" } else { text }),
        }
        sizes.add(g.size);
        last_end = g.x_end.max(g.x);
    }
    if let Some(done) = current.take() {
        push_line(&mut lines, done, &mut sizes);
    }
    lines
}

/// Character sizes of the line being built, in 0.1 pt bins with their counts (in order of
/// first use), and the last size added with its bin: a run of one size is binned once.
#[derive(Default)]
struct Sizes {
    bins: Vec<(f32, u32)>,
    last: Option<(f32, usize)>,
}

impl Sizes {
    fn add(&mut self, size: f32) {
        if let Some((raw, bin)) = self.last
            && raw == size
        {
            self.bins[bin].1 += 1;
            return;
        }
        let key = (size * 10.0).round() / 10.0;
        let bin = match self.bins.iter().position(|(s, _)| *s == key) {
            Some(bin) => {
                self.bins[bin].1 += 1;
                bin
            }
            None => {
                self.bins.push((key, 1));
                self.bins.len() - 1
            }
        };
        self.last = Some((size, bin));
    }

    fn clear(&mut self) {
        self.bins.clear();
        self.last = None;
    }
}

fn push_line(lines: &mut Vec<Line>, mut line: Line, sizes: &mut Sizes) {
    if let Some(&(size, _)) = sizes.bins.iter().max_by_key(|(_, n)| *n) {
        line.size = size;
    }
    sizes.clear();
    if line.chars == 0 {
        return;
    }
    // Trimmed in place: no second string per line.
    let end = line.text.trim_end().len();
    line.text.truncate(end);
    let lead = line.text.len() - line.text.trim_start().len();
    line.text.drain(..lead);
    if !line.upright {
        line.kind = LineKind::Rotated;
    }
    lines.push(line);
}

/// Character-weighted most frequent size (0.1 pt bins) of the given lines.
pub(crate) fn dominant_size<'a>(lines: impl Iterator<Item = &'a Line>) -> Option<f32> {
    let mut hist: Vec<(i32, u32)> = Vec::new();
    for line in lines {
        let key = (line.size * 10.0).round() as i32;
        match hist.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += line.chars,
            None => hist.push((key, line.chars)),
        }
    }
    hist.iter()
        .max_by_key(|(_, n)| *n)
        .map(|(k, _)| *k as f32 / 10.0)
}

/// Marks line numbers and page furniture. `rough_body` is the dominant size of all lines.
pub(crate) fn classify(pages: &mut [Vec<Line>], page_dims: &[(f64, f64)], rules: &Rules) {
    let rough_body = dominant_size(pages.iter().flatten()).unwrap_or(10.0);
    for (index, lines) in pages.iter_mut().enumerate() {
        let (width, height) = page_dims.get(index).copied().unwrap_or((612.0, 792.0));
        let block = TextBlock::for_page(rules, width, height);
        mark_line_numbers(lines, rough_body, &block);
        mark_furniture(lines, &block, rough_body);
    }
}

fn mark_line_numbers(lines: &mut [Line], rough_body: f32, block: &TextBlock) {
    for line in lines.iter_mut() {
        let small = line.size <= 0.8 * rough_body;
        let in_margin = line.x1 <= block.left + 2.0 || line.x0 >= block.right - 2.0;
        if line.kind == LineKind::Body && line.is_number() && small && in_margin {
            line.kind = LineKind::LineNumber;
        }
    }
}

/// Topmost and bottommost short lines outside the block, separated from the rest by a gap.
fn mark_furniture(lines: &mut [Line], block: &TextBlock, rough_body: f32) {
    for from_top in [true, false] {
        // Headers sit further from the text than a section heading from its paragraph.
        let gap = if from_top { 24.0 } else { 14.0 };
        loop {
            let body: Vec<usize> = (0..lines.len())
                .filter(|&i| lines[i].kind == LineKind::Body)
                .collect();
            let pick = if from_top {
                body.iter()
                    .copied()
                    .min_by(|&a, &b| lines[a].y.total_cmp(&lines[b].y))
            } else {
                body.iter()
                    .copied()
                    .max_by(|&a, &b| lines[a].y.total_cmp(&lines[b].y))
            };
            let Some(edge) = pick else { break };
            let line = &lines[edge];
            let outside = if from_top {
                line.y < block.top + 2.0
            } else {
                line.y > block.bottom + 2.0
            };
            let neighbour_gap = body
                .iter()
                .filter(|&&i| i != edge && (lines[i].y - line.y).abs() > 1.0)
                .map(|&i| (lines[i].y - line.y).abs())
                .fold(f32::INFINITY, f32::min);
            let short = line.text.chars().count() <= 120 || line.is_page_label();
            let plain = line.size <= 1.05 * rough_body || line.is_page_label();
            if outside && short && plain && neighbour_gap >= gap {
                // Lines sharing the same baseline (e.g. a header split in two) go too.
                let y = line.y;
                for l in lines.iter_mut() {
                    if l.kind == LineKind::Body && (l.y - y).abs() <= 1.0 {
                        l.kind = LineKind::Furniture;
                    }
                }
            } else {
                break;
            }
        }
    }
}

/// The text block the rules expect on a page, from the page's top-left corner, in points.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextBlock {
    /// Left edge.
    pub left: f32,
    /// Right edge.
    pub right: f32,
    /// Top edge (where the tops of the first line's letters may reach).
    pub top: f32,
    /// Bottom edge (where the last baseline sits).
    pub bottom: f32,
}

impl TextBlock {
    /// The block of `rules` on a page of the given size (top/left anchored, as LaTeX does).
    pub fn for_page(rules: &Rules, _width: f64, _height: f64) -> Self {
        TextBlock {
            left: rules.text_left_pt as f32,
            right: (rules.text_left_pt + rules.text_width_pt) as f32,
            top: rules.text_top_pt as f32,
            bottom: (rules.text_top_pt + rules.text_height_pt) as f32,
        }
    }
}
