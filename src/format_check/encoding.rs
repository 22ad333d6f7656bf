//! Character codes of simple fonts to text: the named base encodings (`encoding_tables`), the
//! `/Differences` of an `/Encoding` dictionary, and glyph names to Unicode through the Adobe
//! Glyph List (`glyphlist.txt`, Apache-2.0) plus the `uni` + 4 hex digits and `u` + 4–6 hex digits conventions.
//!
//! Nothing here reads a PDF object; `font` builds a 256-entry table from these pieces.

use std::sync::OnceLock;

use crate::format_check::encoding_tables::{MAC_ROMAN, STANDARD, WIN_ANSI};

const GLYPH_LIST: &str = include_str!("glyphlist.txt");

/// A named base encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Base {
    Standard,
    WinAnsi,
    MacRoman,
}

impl Base {
    /// The encoding for a `/BaseEncoding` or `/Encoding` name, if it is one we know.
    pub fn from_name(name: &[u8]) -> Option<Base> {
        match name {
            b"WinAnsiEncoding" => Some(Base::WinAnsi),
            b"MacRomanEncoding" | b"MacExpertEncoding" => Some(Base::MacRoman),
            b"StandardEncoding" => Some(Base::Standard),
            _ => None,
        }
    }

    /// Unicode of `code`, if defined.
    pub fn char(self, code: u8) -> Option<char> {
        let table = match self {
            Base::Standard => &STANDARD,
            Base::WinAnsi => &WIN_ANSI,
            Base::MacRoman => &MAC_ROMAN,
        };
        match table[usize::from(code)] {
            0 => None,
            cp => char::from_u32(u32::from(cp)),
        }
    }
}

fn table() -> &'static [(&'static str, u32)] {
    static TABLE: OnceLock<Vec<(&'static str, u32)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut rows: Vec<(&'static str, u32)> = GLYPH_LIST
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (name, hex) = l.split_once(';')?;
                Some((name, u32::from_str_radix(hex.trim(), 16).ok()?))
            })
            .collect();
        rows.sort_unstable();
        rows
    })
}

/// The text of a glyph name: "eacute" → "é", "uni00E9" → "é", "f_i" → "fi", "a.sc" → "a".
/// `None` for names that carry no text ("g12", "cid123", ".notdef").
pub(crate) fn glyph_text(name: &[u8]) -> Option<String> {
    let name = std::str::from_utf8(name).ok()?;
    let base = name.split('.').next().unwrap_or("");
    if base.is_empty() {
        return None;
    }
    if base.contains('_') {
        let parts: Option<String> = base.split('_').map(single).collect();
        return parts;
    }
    single(base)
}

fn single(name: &str) -> Option<String> {
    let rows = table();
    if let Ok(i) = rows.binary_search_by(|(n, _)| (*n).cmp(name)) {
        return char::from_u32(rows[i].1).map(String::from);
    }
    if let Some(hex) = name.strip_prefix("uni")
        && hex.len() >= 4
        && hex.len() % 4 == 0
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return (0..hex.len() / 4)
            .map(|i| {
                u32::from_str_radix(&hex[i * 4..i * 4 + 4], 16)
                    .ok()
                    .and_then(char::from_u32)
            })
            .collect();
    }
    if let Some(hex) = name.strip_prefix('u')
        && (4..=6).contains(&hex.len())
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return u32::from_str_radix(hex, 16)
            .ok()
            .and_then(char::from_u32)
            .map(String::from);
    }
    // A one-letter name is its letter (Type 3 fonts often use them without the list).
    let mut chars = name.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_alphanumeric() => Some(c.to_string()),
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn glyph_names_become_text() {
        assert_eq!(glyph_text(b"eacute").as_deref(), Some("\u{e9}"));
        assert_eq!(glyph_text(b"uni00E9").as_deref(), Some("\u{e9}"));
        assert_eq!(glyph_text(b"u1F600").as_deref(), Some("\u{1F600}"));
        assert_eq!(glyph_text(b"f_i").as_deref(), Some("fi"));
        assert_eq!(glyph_text(b"a.sc").as_deref(), Some("a"));
        assert_eq!(glyph_text(b"fi").as_deref(), Some("\u{FB01}"));
        assert_eq!(glyph_text(b"g12"), None);
        assert_eq!(glyph_text(b".notdef"), None);
    }

    #[test]
    fn base_encodings_differ_where_they_should() {
        assert_eq!(Base::WinAnsi.char(0x93), Some('\u{201C}'));
        assert_eq!(Base::Standard.char(0x27), Some('\u{2019}'));
        assert_eq!(Base::MacRoman.char(0x8E), Some('\u{e9}'));
        assert_eq!(Base::WinAnsi.char(b'A'), Some('A'));
    }
}
