//! Fonts as the interpreter needs them: how a string splits into character codes, each code's
//! advance width, and its text. Simple fonts (Type 1, TrueType, Type 3) and composite (Type 0)
//! fonts; text from `/ToUnicode`, else the `/Encoding` (base encoding + `/Differences`), else
//! the font program's built-in encoding (Type 1) or a standard one. A code whose text is
//! unknown still has a width, so its position and size are right (its text is `\0`).
//!
//! Everything is read leniently: a broken entry falls back to a default, never to an error.

use std::collections::HashMap;

use pdf_extract::{Dictionary, Object};

use crate::format_check::cmap;
use crate::format_check::encoding::{Base, glyph_text};
use crate::format_check::reader::Doc;
use crate::format_check::sniff::find;
use crate::format_check::std14;
use crate::format_check::streams::Decoder;

/// Text of a code whose Unicode is unknown.
pub(crate) const UNKNOWN: &str = "\0";

/// A loaded font.
#[derive(Debug, Default)]
pub(crate) struct Font {
    /// Composite font: codes per the code space (default two bytes).
    composite: bool,
    space: Vec<(usize, u32, u32)>,
    /// Simple fonts: advance (text space units per unit of font size) and text per code.
    widths: Vec<f64>,
    texts: Vec<String>,
    /// Composite fonts: advances by CID (= code for Identity encodings), default advance.
    cid_widths: HashMap<u32, f64>,
    default_width: f64,
    /// ToUnicode text of composite codes.
    unicode: HashMap<u32, String>,
    /// Glyph size relative to the font size (1 except for Type 3 fonts with odd matrices).
    pub scale: f64,
}

fn deref<'a>(doc: &'a Doc, object: &'a Object) -> &'a Object {
    match object {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(object),
        other => other,
    }
}

fn dict_get<'a>(doc: &'a Doc, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    dict.get(key).ok().map(|o| deref(doc, o))
}

fn number(object: &Object) -> Option<f64> {
    match object {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

fn numbers(doc: &Doc, object: Option<&Object>) -> Vec<f64> {
    match object {
        Some(Object::Array(items)) => items
            .iter()
            .map(|o| number(deref(doc, o)).unwrap_or(0.0))
            .collect(),
        _ => Vec::new(),
    }
}

fn name_of(object: Option<&Object>) -> Option<&[u8]> {
    match object {
        Some(Object::Name(n)) => Some(n.as_slice()),
        _ => None,
    }
}

impl Font {
    /// A font with no information: codes are single bytes of half an em, text unknown.
    pub fn fallback() -> Self {
        Font {
            widths: vec![0.5; 256],
            texts: vec![String::new(); 256],
            scale: 1.0,
            ..Font::default()
        }
    }

    /// Loads the font dictionary `dict`.
    pub fn load(doc: &Doc, decoder: &Decoder, dict: &Dictionary) -> Self {
        let subtype = name_of(dict_get(doc, dict, b"Subtype")).unwrap_or(b"Type1");
        let unicode = match dict_get(doc, dict, b"ToUnicode") {
            Some(Object::Stream(s)) => decoder.decode(s).map(|d| cmap::parse(&d).entries),
            _ => None,
        }
        .unwrap_or_default();
        if subtype == b"Type0" {
            return Self::composite(doc, decoder, dict, unicode.into_iter().collect());
        }
        let mut font = Font {
            widths: vec![0.0; 256],
            texts: vec![String::new(); 256],
            scale: 1.0,
            ..Font::default()
        };
        // Widths are in thousandths of text space, or in glyph space for Type 3 fonts.
        let mut unit = 0.001;
        if subtype == b"Type3" {
            let m = numbers(doc, dict_get(doc, dict, b"FontMatrix"));
            if m.len() == 6 {
                unit = m[0];
                let det = (m[0] * m[3] - m[1] * m[2]).abs();
                if det.is_finite() && det > 0.0 {
                    font.scale = det.sqrt() * 1000.0;
                }
            }
        }
        let descriptor = match dict_get(doc, dict, b"FontDescriptor") {
            Some(Object::Dictionary(d)) => Some(d),
            _ => None,
        };
        let missing = descriptor
            .and_then(|d| dict_get(doc, d, b"MissingWidth"))
            .and_then(number);
        let base_font = name_of(dict_get(doc, dict, b"BaseFont")).unwrap_or(b"");
        let default =
            missing
                .map(|w| w * unit)
                .unwrap_or(if find(base_font, b"Courier").is_some() {
                    0.6
                } else {
                    0.5
                });
        font.widths.fill(default);
        let first = dict_get(doc, dict, b"FirstChar")
            .and_then(number)
            .unwrap_or(0.0);
        let widths = numbers(doc, dict_get(doc, dict, b"Widths"));
        if widths.is_empty()
            && subtype != b"Type3"
            && let Some(standard) = std14::widths(base_font)
        {
            font.widths = standard;
        }
        for (i, w) in widths.into_iter().enumerate() {
            let code = first as i64 + i as i64;
            if let Some(slot) = usize::try_from(code)
                .ok()
                .and_then(|c| font.widths.get_mut(c))
            {
                *slot = w * unit;
            }
        }
        let symbolic = descriptor
            .and_then(|d| dict_get(doc, d, b"Flags"))
            .and_then(number)
            .is_some_and(|f| (f as i64) & 4 != 0);
        let names = encoding_names(doc, decoder, dict, descriptor, subtype, symbolic);
        for (slot, name) in font.texts.iter_mut().zip(names) {
            if let Some(text) = name {
                *slot = text;
            }
        }
        // The ToUnicode text of a code wins over its glyph name.
        for (code, text) in unicode {
            if let Some(slot) = font.texts.get_mut(code as usize) {
                *slot = text;
            }
        }
        font
    }

    fn composite(
        doc: &Doc,
        decoder: &Decoder,
        dict: &Dictionary,
        unicode: HashMap<u32, String>,
    ) -> Self {
        let mut font = Font {
            composite: true,
            unicode,
            default_width: 1.0,
            scale: 1.0,
            ..Font::default()
        };
        if let Some(Object::Stream(s)) = dict_get(doc, dict, b"Encoding")
            && let Some(data) = decoder.decode(s)
        {
            font.space = cmap::parse(&data).space;
        }
        let descendant = match dict_get(doc, dict, b"DescendantFonts") {
            Some(Object::Array(items)) => items.first().map(|o| deref(doc, o)),
            _ => None,
        };
        let Some(Object::Dictionary(cid)) = descendant else {
            return font;
        };
        if let Some(dw) = dict_get(doc, cid, b"DW").and_then(number) {
            font.default_width = dw / 1000.0;
        }
        let Some(Object::Array(w)) = dict_get(doc, cid, b"W") else {
            return font;
        };
        let mut i = 0;
        while i < w.len() && font.cid_widths.len() < 200_000 {
            let Some(start) = number(deref(doc, &w[i])) else {
                break;
            };
            match w.get(i + 1).map(|o| deref(doc, o)) {
                Some(Object::Array(list)) => {
                    for (k, v) in list.iter().enumerate() {
                        if let Some(v) = number(deref(doc, v)) {
                            font.cid_widths.insert(start as u32 + k as u32, v / 1000.0);
                        }
                    }
                    i += 2;
                }
                Some(end) => {
                    let (Some(end), Some(v)) = (
                        number(end),
                        w.get(i + 2).and_then(|o| number(deref(doc, o))),
                    ) else {
                        break;
                    };
                    let (start, end) = (start as u32, (end as u32).min(start as u32 + 65_535));
                    for c in start..=end {
                        font.cid_widths.insert(c, v / 1000.0);
                    }
                    i += 3;
                }
                None => break,
            }
        }
        font
    }

    /// Whether codes may be longer than one byte (a Type 0 font).
    pub fn is_composite(&self) -> bool {
        self.composite
    }

    /// Splits a shown string into (code, byte length) pairs.
    pub fn codes<'b>(&'b self, bytes: &'b [u8]) -> impl Iterator<Item = (u32, usize)> + 'b {
        let mut i = 0;
        std::iter::from_fn(move || {
            let rest = bytes.get(i..).filter(|rest| !rest.is_empty())?;
            let len = if self.composite {
                self.code_length(rest)
            } else {
                1
            };
            let code = rest[..len.min(rest.len())]
                .iter()
                .fold(0u32, |a, &b| (a << 8) | u32::from(b));
            i += len;
            Some((code, len))
        })
    }

    fn code_length(&self, rest: &[u8]) -> usize {
        if self.space.is_empty() {
            return 2;
        }
        for len in 1..=4 {
            if rest.len() < len {
                break;
            }
            let code = rest[..len]
                .iter()
                .fold(0u32, |a, &b| (a << 8) | u32::from(b));
            if self
                .space
                .iter()
                .any(|&(l, lo, hi)| l == len && lo <= code && code <= hi)
            {
                return len;
            }
        }
        2
    }

    /// Advance of `code` in text space units per unit of font size.
    pub fn width(&self, code: u32) -> f64 {
        if self.composite {
            return *self.cid_widths.get(&code).unwrap_or(&self.default_width);
        }
        self.widths.get(code as usize).copied().unwrap_or(0.5)
    }

    /// Text of `code` (`\0` when unknown).
    pub fn text(&self, code: u32) -> &str {
        if self.composite {
            return self.unicode.get(&code).map_or(UNKNOWN, String::as_str);
        }
        // An empty entry is a code whose text is unknown.
        match self.texts.get(code as usize) {
            Some(text) if !text.is_empty() => text,
            _ => UNKNOWN,
        }
    }
}

/// Text of each code from the encoding: `/Differences` over a base encoding, or the built-in
/// encoding of an embedded Type 1 program, or a standard encoding.
fn encoding_names(
    doc: &Doc,
    decoder: &Decoder,
    dict: &Dictionary,
    descriptor: Option<&Dictionary>,
    subtype: &[u8],
    symbolic: bool,
) -> Vec<Option<String>> {
    let default_base = if subtype == b"TrueType" {
        Base::WinAnsi
    } else {
        Base::Standard
    };
    let mut base = Some(default_base);
    let mut differences: Vec<(usize, Vec<u8>)> = Vec::new();
    match dict_get(doc, dict, b"Encoding") {
        Some(Object::Name(n)) => base = Base::from_name(n).or(base),
        Some(Object::Dictionary(enc)) => {
            if let Some(n) = name_of(dict_get(doc, enc, b"BaseEncoding")) {
                base = Base::from_name(n).or(base);
            }
            let mut code = 0usize;
            if let Some(Object::Array(items)) = dict_get(doc, enc, b"Differences") {
                for item in items {
                    match deref(doc, item) {
                        Object::Integer(i) => code = usize::try_from(*i).unwrap_or(256),
                        Object::Name(n) => {
                            if code < 256 {
                                differences.push((code, n.clone()));
                            }
                            code += 1;
                        }
                        _ => {}
                    }
                }
            }
        }
        _ => {
            // No /Encoding: the font's own.
            if let Some(builtin) = descriptor.and_then(|d| builtin_type1(doc, decoder, d)) {
                differences = builtin;
                base = None;
            } else if symbolic && subtype == b"TrueType" {
                base = Some(Base::WinAnsi);
            }
        }
    }
    let mut names: Vec<Option<String>> = (0..256u16)
        .map(|c| base.and_then(|b| b.char(c as u8)).map(String::from))
        .collect();
    for (code, name) in differences {
        names[code] = glyph_text(&name);
    }
    names
}

fn builtin_type1(
    doc: &Doc,
    decoder: &Decoder,
    descriptor: &Dictionary,
) -> Option<Vec<(usize, Vec<u8>)>> {
    let Some(Object::Stream(program)) = dict_get(doc, descriptor, b"FontFile") else {
        return None;
    };
    // The encoding is in the clear-text part, the first /Length1 bytes: unpack only those.
    let clear = dict_get(doc, &program.dict, b"Length1")
        .and_then(number)
        .filter(|n| *n > 0.0)
        .map_or(usize::MAX, |n| n as usize);
    let data = decoder.decode_prefix(program, clear)?;
    let entries = parse_type1_encoding(&data)?;
    Some(
        entries
            .into_iter()
            .map(|(c, n)| (usize::from(c), n))
            .collect(),
    )
}

/// Reads `/Encoding 256 array ... dup <code> /<name> put ... def` from the clear-text part of a
/// Type 1 font program. Returns `None` for `/Encoding StandardEncoding def` or when not found.
pub(crate) fn parse_type1_encoding(program: &[u8]) -> Option<Vec<(u8, Vec<u8>)>> {
    let clear = match find(program, b"eexec") {
        Some(end) => &program[..end],
        None => &program[..program.len().min(64 * 1024)],
    };
    let start = find(clear, b"/Encoding")? + b"/Encoding".len();
    let mut words = clear[start..]
        .split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty());
    let mut entries = Vec::new();
    let mut previous: [&[u8]; 2] = [b"", b""];
    for word in words.by_ref() {
        if word == b"StandardEncoding" && entries.is_empty() {
            return None;
        }
        if word == b"def" || word == b"readonly" {
            break;
        }
        if word == b"put" {
            let code = std::str::from_utf8(previous[0])
                .ok()
                .and_then(|s| s.parse::<u8>().ok());
            let name = previous[1].strip_prefix(b"/");
            if let (Some(code), Some(name)) = (code, name) {
                entries.push((code, name.to_vec()));
            }
        }
        previous = [previous[1], word];
    }
    if entries.is_empty() {
        None
    } else {
        entries.sort();
        entries.dedup_by_key(|e| e.0);
        Some(entries)
    }
}
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn explicit_encodings_are_read_and_standard_is_left_alone() {
        let program = b"%!PS-AdobeFont-1.0: CMSY10\n/Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\ndup 0 /minus put\ndup 102 /braceleft put\nreadonly def\ncurrentfile eexec\n\x80\x01";
        let entries = parse_type1_encoding(program).unwrap();
        assert_eq!(
            entries,
            vec![(0, b"minus".to_vec()), (102, b"braceleft".to_vec())]
        );
        assert_eq!(
            parse_type1_encoding(b"/Encoding StandardEncoding def\ncurrentfile eexec"),
            None
        );
    }
}
