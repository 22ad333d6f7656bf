//! Serialising laid-out pages into a PDF 1.4 file by hand: catalog, page tree, base-14 fonts
//! with WinAnsiEncoding, one uncompressed content stream per page, an info dictionary and a
//! cross-reference table with exact byte offsets.
//!
//! What goes on a page is decided in `pdf.rs`; this file only writes it down.

use std::fmt::Write as _;

use crate::demo::afm::Font;

/// Page width in points (US Letter).
pub const PAGE_WIDTH: f32 = 612.0;
/// Page height in points (US Letter).
pub const PAGE_HEIGHT: f32 = 792.0;

/// One thing drawn on a page, in PDF coordinates (points, origin bottom left).
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    /// A run of WinAnsi-encoded text with its baseline starting at (`x`, `y`).
    Text {
        /// Font.
        font: Font,
        /// Font size in points.
        size: f32,
        /// Left end of the baseline.
        x: f32,
        /// Baseline height.
        y: f32,
        /// Extra space added to each space character, for justified lines.
        word_spacing: f32,
        /// The encoded text.
        bytes: Vec<u8>,
    },
    /// A filled black rectangle (rules).
    Rect {
        /// Left edge.
        x: f32,
        /// Bottom edge.
        y: f32,
        /// Width.
        width: f32,
        /// Height.
        height: f32,
    },
    /// A stroked open path (plot curves and axes).
    Path {
        /// Points of the polyline.
        points: Vec<(f32, f32)>,
        /// Line width.
        width: f32,
        /// Grey level, 0 black to 1 white.
        gray: f32,
        /// Dash length, or 0 for a solid line.
        dash: f32,
    },
}

/// The marks of one page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// Everything drawn on the page, in painting order.
    pub marks: Vec<Mark>,
}

const FONTS: [Font; 3] = [Font::Roman, Font::Bold, Font::Mono];

/// Writes `pages` as a complete PDF file; `info` holds document-information entries
/// such as `("Title", "…")`.
pub fn write_pdf(pages: &[Page], info: &[(&str, &str)]) -> Vec<u8> {
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets: Vec<usize> = Vec::new();
    let first_page = 4 + FONTS.len();
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", first_page + 2 * i))
        .collect();
    let fonts: String = FONTS
        .iter()
        .enumerate()
        .map(|(i, font)| format!("/{} {} 0 R ", font.resource(), 4 + i))
        .collect();

    add_object(&mut out, &mut offsets, b"<< /Type /Catalog /Pages 2 0 R >>");
    let tree = format!(
        "<< /Type /Pages /Kids [{}] /Count {} >>",
        kids.join(" "),
        pages.len()
    );
    add_object(&mut out, &mut offsets, tree.as_bytes());
    add_object(&mut out, &mut offsets, &info_dictionary(info));
    for font in FONTS {
        let dict = format!(
            "<< /Type /Font /Subtype /Type1 /BaseFont /{} /Encoding /WinAnsiEncoding >>",
            font.base_name()
        );
        add_object(&mut out, &mut offsets, dict.as_bytes());
    }
    for (i, page) in pages.iter().enumerate() {
        let page_dict = format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] \
             /Resources << /Font << {fonts}>> >> /Contents {} 0 R >>",
            first_page + 2 * i + 1
        );
        add_object(&mut out, &mut offsets, page_dict.as_bytes());
        let content = content_stream(page);
        let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        stream.extend_from_slice(&content);
        stream.extend_from_slice(b"\nendstream");
        add_object(&mut out, &mut offsets, &stream);
    }

    let xref_at = out.len();
    let mut xref = format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1);
    for offset in &offsets {
        let _ = writeln!(xref, "{offset:010} 00000 n ");
    }
    let _ = write!(
        xref,
        "trailer\n<< /Size {} /Root 1 0 R /Info 3 0 R >>\nstartxref\n{xref_at}\n%%EOF\n",
        offsets.len() + 1
    );
    out.extend_from_slice(xref.as_bytes());
    out
}

fn add_object(out: &mut Vec<u8>, offsets: &mut Vec<usize>, body: &[u8]) {
    offsets.push(out.len());
    out.extend_from_slice(format!("{} 0 obj\n", offsets.len()).as_bytes());
    out.extend_from_slice(body);
    out.extend_from_slice(b"\nendobj\n");
}

/// Info entries as UTF-16BE hex strings, so any Unicode survives.
fn info_dictionary(info: &[(&str, &str)]) -> Vec<u8> {
    let mut dict = String::from("<< /Producer (cfp demo)");
    for (key, value) in info {
        let hex: String = value
            .encode_utf16()
            .map(|unit| format!("{unit:04X}"))
            .collect();
        let _ = write!(dict, " /{key} <FEFF{hex}>");
    }
    dict.push_str(" >>");
    dict.into_bytes()
}

fn content_stream(page: &Page) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::new();
    for mark in &page.marks {
        match mark {
            Mark::Text {
                font,
                size,
                x,
                y,
                word_spacing,
                bytes,
            } => {
                let head = format!(
                    "BT /{} {size} Tf {:.3} Tw 1 0 0 1 {x:.2} {y:.2} Tm (",
                    font.resource(),
                    word_spacing
                );
                out.extend_from_slice(head.as_bytes());
                for byte in bytes {
                    if matches!(byte, b'(' | b')' | b'\\') {
                        out.push(b'\\');
                    }
                    out.push(*byte);
                }
                out.extend_from_slice(b") Tj ET\n");
            }
            Mark::Rect {
                x,
                y,
                width,
                height,
            } => {
                let rect = format!("0 g {x:.2} {y:.2} {width:.2} {height:.2} re f\n");
                out.extend_from_slice(rect.as_bytes());
            }
            Mark::Path {
                points,
                width,
                gray,
                dash,
            } => {
                let mut path = format!("{gray:.2} G {width:.2} w ");
                if *dash > 0.0 {
                    let _ = write!(path, "[{dash:.1} {dash:.1}] 0 d ");
                }
                for (i, (px, py)) in points.iter().enumerate() {
                    let op = if i == 0 { "m" } else { "l" };
                    let _ = write!(path, "{px:.2} {py:.2} {op} ");
                }
                path.push_str("S [] 0 d 0 G\n");
                out.extend_from_slice(path.as_bytes());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xref_offsets_point_at_objects() {
        let page = Page {
            marks: vec![Mark::Text {
                font: Font::Roman,
                size: 10.0,
                x: 108.0,
                y: 700.0,
                word_spacing: 0.0,
                bytes: b"Hello (world)".to_vec(),
            }],
        };
        let pdf = write_pdf(&[page], &[("Title", "Zoë")]);
        // Same length as the bytes, so string offsets are byte offsets.
        let text: String = pdf
            .iter()
            .map(|&b| if b < 128 { char::from(b) } else { '?' })
            .collect();
        let xref = text.find("xref\n").unwrap();
        let offsets: Vec<usize> = text[xref..]
            .lines()
            .skip(3)
            .take_while(|l| l.ends_with(" n "))
            .map(|l| l[..10].parse().unwrap())
            .collect();
        assert_eq!(offsets.len(), 8);
        for (i, offset) in offsets.iter().enumerate() {
            assert!(text[*offset..].starts_with(&format!("{} 0 obj", i + 1)));
        }
        assert!(text.contains("(Hello \\(world\\)) Tj"));
        assert!(text.ends_with("%%EOF\n"));
    }
}
