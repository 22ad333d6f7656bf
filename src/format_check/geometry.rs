//! Page geometry rules: paper size, and whether body text stays inside the NeurIPS text block.
//!
//! Margins are judged per line, not per glyph: a line counts as outside when any part of it
//! sticks out of the block by more than the tolerance, and a page breaks the rule only when
//! enough of its lines do (one overfull URL is not a margin violation).

use crate::format_check::layout::{Line, LineKind, TextBlock};
use crate::format_check::report::{Violation, describe_pages};
use crate::format_check::rules::{Code, Rules, Severity};

/// Pages whose size differs from the expected paper.
pub(crate) fn check_paper_size(dims: &[(f64, f64)], rules: &Rules) -> Option<Violation> {
    let tol = rules.paper_tolerance_pt;
    let bad: Vec<(u32, (f64, f64))> = dims
        .iter()
        .enumerate()
        .filter(|(_, (w, h))| {
            (w - rules.paper_width_pt).abs() > tol || (h - rules.paper_height_pt).abs() > tol
        })
        .map(|(i, d)| (i as u32 + 1, *d))
        .collect();
    let &(_, (w, h)) = bad.first()?;
    let pages: Vec<u32> = bad.iter().map(|(p, _)| *p).collect();
    Some(Violation {
        code: Code::PaperSize,
        severity: Severity::Error,
        message: format!(
            "{} {} {} ({:.0} \u{d7} {:.0} pt, {:.2} \u{d7} {:.2} in); the required paper is {} \
             ({:.0} \u{d7} {:.0} pt). Compile with US Letter paper (remove a4paper or geometry \
             options, or set \\pdfpagewidth/\\pdfpageheight accordingly).",
            describe_pages(&pages),
            if pages.len() == 1 { "is" } else { "are" },
            paper_name(w, h),
            w,
            h,
            w / 72.0,
            h / 72.0,
            paper_name(rules.paper_width_pt, rules.paper_height_pt),
            rules.paper_width_pt,
            rules.paper_height_pt,
        ),
        pages,
    })
}

fn paper_name(w: f64, h: f64) -> &'static str {
    let near = |a: f64, b: f64| (a - b).abs() <= 3.0;
    if near(w, 612.0) && near(h, 792.0) {
        "US Letter"
    } else if near(w, 595.3) && near(h, 841.9) {
        "A4"
    } else if near(w, 612.0) && near(h, 1008.0) {
        "US Legal"
    } else if near(w, 792.0) && near(h, 612.0) {
        "landscape US Letter"
    } else if near(w, 841.9) && near(h, 595.3) {
        "landscape A4"
    } else {
        "a non-standard size"
    }
}

/// How far one line sticks out of the block on each side (positive = outside), in points.
#[derive(Debug, Clone, Copy, Default)]
struct Overshoot {
    left: f32,
    right: f32,
    top: f32,
    bottom: f32,
}

impl Overshoot {
    fn of(line: &Line, block: &TextBlock) -> Self {
        Overshoot {
            left: block.left - line.x0,
            right: line.x1 - block.right,
            top: block.top - line.top,
            bottom: line.y - block.bottom,
        }
    }

    fn max(self) -> f32 {
        self.left.max(self.right).max(self.top).max(self.bottom)
    }

    fn worst(self, other: Overshoot) -> Overshoot {
        Overshoot {
            left: self.left.max(other.left),
            right: self.right.max(other.right),
            top: self.top.max(other.top),
            bottom: self.bottom.max(other.bottom),
        }
    }
}

/// Body text outside the text block on too many lines of a page.
pub(crate) fn check_margins(
    pages: &[Vec<Line>],
    dims: &[(f64, f64)],
    rules: &Rules,
) -> Option<Violation> {
    let tol = rules.margin_tolerance_pt as f32;
    let mut bad_pages: Vec<u32> = Vec::new();
    let mut worst = Overshoot {
        left: f32::MIN,
        right: f32::MIN,
        top: f32::MIN,
        bottom: f32::MIN,
    };
    let mut bad_lines = 0usize;
    for (index, lines) in pages.iter().enumerate() {
        let (w, h) = dims.get(index).copied().unwrap_or((612.0, 792.0));
        let block = TextBlock::for_page(rules, w, h);
        let body: Vec<&Line> = lines.iter().filter(|l| l.kind == LineKind::Body).collect();
        let outside: Vec<Overshoot> = body
            .iter()
            .map(|l| Overshoot::of(l, &block))
            .filter(|o| o.max() > tol)
            .collect();
        let needed = rules
            .margin_min_lines_per_page
            .max((rules.margin_min_fraction_per_page * body.len() as f64).ceil() as usize)
            .max(1);
        if outside.len() >= needed {
            bad_pages.push(index as u32 + 1);
            bad_lines += outside.len();
            worst = outside.iter().fold(worst, |acc, o| acc.worst(*o));
        }
    }
    if bad_pages.is_empty() {
        return None;
    }
    let mut sides: Vec<String> = Vec::new();
    for (amount, side) in [
        (worst.left, "the left margin"),
        (worst.right, "the right margin"),
        (worst.top, "the top margin"),
        (worst.bottom, "the bottom margin"),
    ] {
        if amount > tol {
            sides.push(format!("{:.2} in into {side}", amount / 72.0));
        }
    }
    Some(Violation {
        code: Code::Margins,
        severity: Severity::Error,
        message: format!(
            "text extends up to {} on {} ({bad_lines} lines outside the text block). The text \
             block must be {:.1} in wide and {:.0} in high, {:.1} in from the left and {:.0} in \
             from the top of the page: use the unmodified neurips_2021.sty and do not change \
             the page geometry or margins.",
            sides.join(", "),
            describe_pages(&bad_pages),
            rules.text_width_pt / 72.0,
            rules.text_height_pt / 72.0,
            rules.text_left_pt / 72.0,
            rules.text_top_pt / 72.0,
        ),
        pages: bad_pages,
    })
}

/// Extent of the body text on the given pages: (left, top, right, bottom), in points.
pub(crate) fn measured_block<'a>(
    lines: impl Iterator<Item = &'a Line>,
) -> Option<(f64, f64, f64, f64)> {
    let mut extent: Option<(f32, f32, f32, f32)> = None;
    for l in lines.filter(|l| l.kind == LineKind::Body && l.chars >= 20) {
        extent = Some(match extent {
            None => (l.x0, l.top, l.x1, l.y),
            Some((a, b, c, d)) => (a.min(l.x0), b.min(l.top), c.max(l.x1), d.max(l.y)),
        });
    }
    extent.map(|(a, b, c, d)| {
        let r = |v: f32| (f64::from(v) * 10.0).round() / 10.0;
        (r(a), r(b), r(c), r(d))
    })
}
