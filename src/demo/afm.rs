//! Glyph widths of the standard base-14 fonts the demo PDFs use (Times-Roman, Times-Bold,
//! Courier) and the WinAnsi encoding of text for them.
//!
//! Widths for codes 32–126 are the Adobe AFM values; accented Latin-1 letters take the width of
//! their base letter, which is what the AFM files give for nearly all of them.

use crate::demo::translit::fold_char;

/// A standard font the demo papers are set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Font {
    /// Times-Roman: body text.
    Roman,
    /// Times-Bold: title, headings, author names.
    Bold,
    /// Courier: email addresses.
    Mono,
}

impl Font {
    /// The resource name used in content streams (`/F1` …).
    pub fn resource(self) -> &'static str {
        match self {
            Font::Roman => "F1",
            Font::Bold => "F2",
            Font::Mono => "F3",
        }
    }

    /// The PostScript name of the base-14 font.
    pub fn base_name(self) -> &'static str {
        match self {
            Font::Roman => "Times-Roman",
            Font::Bold => "Times-Bold",
            Font::Mono => "Courier",
        }
    }
}

/// Times-Roman widths for codes 32..=126 (WinAnsi: 39 is quotesingle, 96 is grave).
#[rustfmt::skip]
const TIMES_ROMAN: [u16; 95] = [
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278,
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444,
    921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722,
    556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500,
    333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500,
    500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
];

/// Times-Bold widths for codes 32..=126.
#[rustfmt::skip]
const TIMES_BOLD: [u16; 95] = [
    250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278,
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500,
    930, 722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778,
    611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333, 278, 333, 581, 500,
    333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500,
    556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520,
];

/// WinAnsi codes 0x80–0x9F that differ from Latin-1.
const WIN_ANSI_EXTRA: [(char, u8); 27] = [
    ('€', 0x80),
    ('‚', 0x82),
    ('ƒ', 0x83),
    ('„', 0x84),
    ('…', 0x85),
    ('†', 0x86),
    ('‡', 0x87),
    ('ˆ', 0x88),
    ('‰', 0x89),
    ('Š', 0x8A),
    ('‹', 0x8B),
    ('Œ', 0x8C),
    ('Ž', 0x8E),
    ('‘', 0x91),
    ('’', 0x92),
    ('“', 0x93),
    ('”', 0x94),
    ('•', 0x95),
    ('–', 0x96),
    ('—', 0x97),
    ('˜', 0x98),
    ('™', 0x99),
    ('š', 0x9A),
    ('›', 0x9B),
    ('œ', 0x9C),
    ('ž', 0x9E),
    ('Ÿ', 0x9F),
];

/// The WinAnsi code of one character, if the encoding has it.
fn win_ansi_code(c: char) -> Option<u8> {
    let code = u32::from(c);
    if (0x20..=0x7E).contains(&code) || (0xA0..=0xFF).contains(&code) {
        return u8::try_from(code).ok();
    }
    WIN_ANSI_EXTRA
        .iter()
        .find(|(extra, _)| *extra == c)
        .map(|(_, byte)| *byte)
}

/// Text as WinAnsi bytes; characters outside the encoding are transliterated ("ễ" → "e"),
/// and anything still unknown becomes "?".
pub fn encode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        if let Some(byte) = win_ansi_code(c) {
            out.push(byte);
        } else if let Some(folded) = fold_char(c) {
            out.extend(folded.bytes());
        } else {
            out.push(b'?');
        }
    }
    out
}

/// Whether every character of `text` can be shown, directly or transliterated.
#[cfg(test)]
pub fn is_encodable(text: &str) -> bool {
    text.chars()
        .all(|c| win_ansi_code(c).is_some() || fold_char(c).is_some())
}

/// The width of one WinAnsi code in 1/1000 em.
fn code_width(font: Font, code: u8) -> u16 {
    if font == Font::Mono {
        return 600;
    }
    let table = if font == Font::Bold {
        &TIMES_BOLD
    } else {
        &TIMES_ROMAN
    };
    if (32..=126).contains(&code) {
        return table[usize::from(code - 32)];
    }
    let bold = font == Font::Bold;
    let special = match code {
        0x96 => Some(500),
        0x97 | 0x85 => Some(1000),
        0x91 | 0x92 => Some(333),
        0x93 | 0x94 => Some(if bold { 500 } else { 444 }),
        0x95 => Some(350),
        0xA0 => Some(250),
        0xB0 => Some(400),
        0xD7 | 0xB1 => Some(if bold { 570 } else { 564 }),
        0xDF => Some(if bold { 556 } else { 500 }),
        0xC6 | 0x8C => Some(if bold { 1000 } else { 889 }),
        0xE6 => Some(if bold { 722 } else { 667 }),
        0x9C => Some(722),
        0xDE => Some(if bold { 611 } else { 556 }),
        0xFE => Some(if bold { 556 } else { 500 }),
        _ => None,
    };
    if let Some(width) = special {
        return width;
    }
    // Accented letters are as wide as their base letter.
    let base = char::from(code);
    let base = fold_char(base)
        .and_then(|folded| folded.bytes().next())
        .or_else(|| {
            WIN_ANSI_EXTRA
                .iter()
                .find(|(_, byte)| *byte == code)
                .and_then(|(c, _)| fold_char(*c))
                .and_then(|folded| folded.bytes().next())
        });
    match base {
        Some(b) if (32..=126).contains(&b) => table[usize::from(b - 32)],
        _ => 500,
    }
}

/// The width in points of WinAnsi-encoded bytes set in `font` at `size`.
pub fn encoded_width(font: Font, size: f32, bytes: &[u8]) -> f32 {
    let units: u32 = bytes.iter().map(|b| u32::from(code_width(font, *b))).sum();
    units as f32 * size / 1000.0
}

/// The width in points of `text` set in `font` at `size`.
pub fn text_width(font: Font, size: f32, text: &str) -> f32 {
    if text.is_ascii() {
        // The common case, without allocating.
        return encoded_width(font, size, text.as_bytes());
    }
    encoded_width(font, size, &encode(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_accents_are_kept_and_others_folded() {
        assert_eq!(encode("Zoë Müller"), b"Zo\xEB M\xFCller".to_vec());
        assert_eq!(encode("Nguyễn Łukasz"), b"Nguyen Lukasz".to_vec());
        assert_eq!(encode("a–b"), vec![b'a', 0x96, b'b']);
    }

    #[test]
    fn widths_match_the_afm_tables() {
        let close = |a: f32, b: f32| (a - b).abs() < 1e-3;
        assert!(close(text_width(Font::Roman, 10.0, "W"), 9.44));
        assert!(close(text_width(Font::Bold, 1000.0, "Abstract"), 3_721.0));
        assert!(close(text_width(Font::Roman, 1000.0, "é"), 444.0));
        assert!(close(text_width(Font::Mono, 10.0, "ab@c"), 24.0));
    }
}
