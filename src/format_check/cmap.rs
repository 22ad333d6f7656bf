//! CMaps, read leniently: a font's `/ToUnicode` map (codes to text, `bfchar` / `bfrange`) and
//! the code space of a composite font's encoding CMap (how many bytes each code has).
//!
//! A damaged entry is skipped, never fatal; ranges are capped so that a hostile CMap cannot make
//! us build millions of entries.

/// Most entries one CMap may define (a real ToUnicode map of a CJK font has ~30,000).
const MAX_ENTRIES: usize = 120_000;

/// Codes to text, and the code lengths the code space allows.
#[derive(Debug, Default, Clone)]
pub(crate) struct CMap {
    /// Text of codes, in the order the CMap gives them (a later entry for a code wins, as a
    /// map insertion would): a simple font applies them straight to its 256 codes, and a
    /// composite font collects them into a map.
    pub entries: Vec<(u32, String)>,
    /// Code space ranges: (byte length, low, high).
    pub space: Vec<(usize, u32, u32)>,
}

/// A token; hex strings and words borrow the CMap's bytes (hex digits are decoded on use).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok<'a> {
    /// The text between `<` and `>`.
    Hex(&'a [u8]),
    /// Any other word (operators, numbers, names): only `begin…`/`end…` words matter.
    Word(&'a [u8]),
    Open,
    Close,
}

fn tokenize(data: &[u8]) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < data.len() {
        let c = data[i];
        match c {
            b'%' => {
                while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if data.get(i + 1) == Some(&b'<') => i += 2,
            b'>' if data.get(i + 1) == Some(&b'>') => i += 2,
            b'<' => {
                i += 1;
                let start = i;
                while i < data.len() && data[i] != b'>' {
                    i += 1;
                }
                out.push(Tok::Hex(&data[start..i]));
                i += 1;
            }
            b'[' => {
                out.push(Tok::Open);
                i += 1;
            }
            b']' => {
                out.push(Tok::Close);
                i += 1;
            }
            b'(' => {
                // Literal strings appear in headers only; skip them.
                let mut depth = 0usize;
                while i < data.len() {
                    match data[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                i += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            _ if c.is_ascii_whitespace() || c == b'{' || c == b'}' => i += 1,
            _ => {
                let start = i;
                while i < data.len()
                    && !data[i].is_ascii_whitespace()
                    && !b"<>[](){}%".contains(&data[i])
                {
                    i += 1;
                }
                if i == start {
                    i += 1;
                    continue;
                }
                out.push(Tok::Word(&data[start..i]));
            }
        }
    }
    out
}

/// The bytes a hex string stands for (non-digits skipped, an odd last digit padded with 0).
fn hex_bytes(raw: &[u8]) -> impl Iterator<Item = u8> + '_ {
    let mut digits = raw
        .iter()
        .filter_map(|&c| (c as char).to_digit(16).map(|d| d as u8));
    std::iter::from_fn(move || {
        let high = digits.next()?;
        Some((high << 4) | digits.next().unwrap_or(0))
    })
}

fn code(raw: &[u8]) -> u32 {
    hex_bytes(raw)
        .take(4)
        .fold(0u32, |acc, b| (acc << 8) | u32::from(b))
}

/// UTF-16BE text of a `bfchar` / `bfrange` destination.
fn utf16(raw: &[u8]) -> String {
    let mut bytes = hex_bytes(raw);
    let units = std::iter::from_fn(|| {
        let high = bytes.next()?;
        Some(u16::from_be_bytes([high, bytes.next().unwrap_or(0)]))
    });
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// Parses a CMap stream's content.
pub(crate) fn parse(data: &[u8]) -> CMap {
    let toks = tokenize(data);
    let mut cmap = CMap::default();
    let mut i = 0;
    let mut section: &[u8] = b"";
    while i < toks.len() {
        match toks[i] {
            Tok::Word(w) if w.starts_with(b"begin") => {
                section = match w {
                    b"begincodespacerange" => b"space",
                    b"beginbfchar" => b"bfchar",
                    b"beginbfrange" => b"bfrange",
                    _ => b"",
                };
                i += 1;
            }
            Tok::Word(w) if w.starts_with(b"end") => {
                section = b"";
                i += 1;
            }
            Tok::Hex(lo) if section == b"space" => {
                if let Some(Tok::Hex(hi)) = toks.get(i + 1) {
                    let len = hex_bytes(lo).count().clamp(1, 4);
                    cmap.space.push((len, code(lo), code(hi)));
                }
                i += 2;
            }
            Tok::Hex(src) if section == b"bfchar" => {
                if let Some(&Tok::Hex(dst)) = toks.get(i + 1)
                    && cmap.entries.len() < MAX_ENTRIES
                {
                    cmap.entries.push((code(src), utf16(dst)));
                }
                i += 2;
            }
            Tok::Hex(lo) if section == b"bfrange" => {
                i += range(&toks, i, code(lo), &mut cmap.entries);
            }
            _ => i += 1,
        }
    }
    cmap
}

/// One `bfrange` entry starting at `toks[i]`; returns how many tokens it used.
fn range(toks: &[Tok], i: usize, lo: u32, map: &mut Vec<(u32, String)>) -> usize {
    let Some(&Tok::Hex(hi)) = toks.get(i + 1) else {
        return 1;
    };
    let hi = code(hi).min(lo.saturating_add(0xFFFF));
    match toks.get(i + 2) {
        Some(&Tok::Hex(dst)) => {
            let text = utf16(dst);
            let mut units: Vec<u16> = text.encode_utf16().collect();
            for c in lo..=hi {
                if map.len() >= MAX_ENTRIES {
                    break;
                }
                map.push((c, String::from_utf16_lossy(&units)));
                if let Some(last) = units.last_mut() {
                    *last = last.wrapping_add(1);
                }
            }
            3
        }
        Some(Tok::Open) => {
            let mut j = i + 3;
            let mut c = lo;
            while let Some(&Tok::Hex(dst)) = toks.get(j) {
                if c <= hi && map.len() < MAX_ENTRIES {
                    map.push((c, utf16(dst)));
                }
                c = c.saturating_add(1);
                j += 1;
            }
            j + 1 - i
        }
        _ => 2,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// The text a code ends up with (the last entry for it).
    fn text(cmap: &CMap, code: u32) -> &str {
        cmap.entries
            .iter()
            .rev()
            .find(|(c, _)| *c == code)
            .map(|(_, t)| t.as_str())
            .unwrap()
    }

    #[test]
    fn bfchar_and_both_bfrange_forms_are_read() {
        let data = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
            1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
            2 beginbfchar <0003> <0020> <0011> <00660069> endbfchar\n\
            2 beginbfrange <0024> <0026> <0041> <0030> <0031> [<03B1> <03B2>] endbfrange\n\
            endcmap";
        let cmap = parse(data);
        assert_eq!(cmap.space, vec![(2, 0, 0xFFFF)]);
        assert_eq!(text(&cmap, 3), " ");
        assert_eq!(text(&cmap, 0x11), "fi");
        assert_eq!(text(&cmap, 0x26), "C");
        assert_eq!(text(&cmap, 0x31), "\u{3b2}");
    }

    #[test]
    fn hex_strings_skip_blanks_pad_odd_digits_and_join_surrogates() {
        let data = b"1 begincodespacerange <00> <FF> endcodespacerange\n\
            3 beginbfchar <0 1> <00 4 1> <2> <0042> <03> <D835DC00> endbfchar";
        let cmap = parse(data);
        assert_eq!(cmap.space, vec![(1, 0, 0xFF)]);
        assert_eq!(text(&cmap, 1), "A");
        assert_eq!(text(&cmap, 0x20), "B", "an odd last digit is padded with 0");
        assert_eq!(
            text(&cmap, 3),
            "\u{1d400}",
            "a surrogate pair is one character"
        );
    }

    #[test]
    fn damaged_cmaps_do_not_fail() {
        let cmap = parse(b"beginbfrange <00> endbfrange beginbfchar <01> ( endbfchar <");
        assert!(cmap.entries.is_empty());
        let huge = parse(b"beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange");
        assert!(huge.entries.len() <= MAX_ENTRIES);
    }
}
