//! A speed-up that does not change what pdf-extract reports.
//!
//! pdf-extract rebuilds every font on every page, and for an embedded Type 1 font it inflates
//! and parses the whole font program just to read its built-in encoding — about 80% of the
//! extraction time on pdfTeX papers (10 ms/page instead of ~1–2). The built-in encoding is only
//! used when the font dictionary has no `/Encoding`. So, once per document: fonts that have an
//! `/Encoding` lose the font-program link in their descriptor (never read for text), and fonts
//! that have none get their built-in encoding written out as an equivalent `/Differences`
//! dictionary (pdf-extract resolves both through the same glyph-name table). Glyph widths come from
//! `/Widths` and are untouched.
//!
//! pdf-extract also re-parses every font's ToUnicode CMap on every page with a slow parser
//! combinator (~1 µs per byte, 60–70% of the remaining time). pdfTeX derives those CMaps from the
//! glyph names, so when a font's `/Differences` uses only plain alphabetic glyph names (the Adobe
//! Glyph List style: `eacute`, `Lslash`, `fi`), the CMap is dropped and pdf-extract decodes the
//! same characters through the names. Fonts with other names (`g12`, `uni0041`, `a1`) keep their
//! CMap. Finally, named base encodings pdf-extract cannot handle (it panics on
//! `/StandardEncoding`) are replaced by WinAnsiEncoding, which agrees on all letters.

use std::collections::BTreeMap;

use pdf_extract::{Dictionary, Document, Object, ObjectId};

use crate::format_check::sniff::find;

/// Rewrites Type 1 font resources as described in the module documentation.
pub(crate) fn precompute_type1_encodings(doc: &mut Document) {
    // Pass 1 (read-only): which fonts to touch, and what to write.
    let mut plans: Vec<(ObjectId, ObjectId, Option<Vec<Object>>)> = Vec::new();
    let mut cache: BTreeMap<ObjectId, Option<Vec<Object>>> = BTreeMap::new();
    for (&font_id, object) in &doc.objects {
        let Object::Dictionary(font) = object else {
            continue;
        };
        if !is_name(font.get(b"Subtype").ok(), b"Type1") {
            continue;
        }
        let Some(descriptor_id) = font
            .get(b"FontDescriptor")
            .ok()
            .and_then(|o| o.as_reference().ok())
        else {
            continue;
        };
        let Some(Object::Dictionary(descriptor)) = doc.objects.get(&descriptor_id) else {
            continue;
        };
        let Some(program_id) = descriptor
            .get(b"FontFile")
            .ok()
            .and_then(|o| o.as_reference().ok())
        else {
            continue;
        };
        if font.get(b"Encoding").is_ok() {
            plans.push((font_id, descriptor_id, None));
            continue;
        }
        let differences = cache
            .entry(program_id)
            .or_insert_with(|| builtin_differences(doc, program_id))
            .clone();
        if let Some(differences) = differences {
            plans.push((font_id, descriptor_id, Some(differences)));
        }
    }
    // Pass 2: apply.
    for (font_id, descriptor_id, differences) in plans {
        if let (Some(differences), Some(Object::Dictionary(font))) =
            (differences, doc.objects.get_mut(&font_id))
        {
            let mut encoding = Dictionary::new();
            encoding.set("Type", Object::Name(b"Encoding".to_vec()));
            encoding.set("Differences", Object::Array(differences));
            font.set("Encoding", Object::Dictionary(encoding));
        }
        if let Some(Object::Dictionary(descriptor)) = doc.objects.get_mut(&descriptor_id) {
            descriptor.remove(b"FontFile");
        }
    }
    simplify_encodings(doc);
}

/// Drops ToUnicode CMaps made redundant by plain glyph names, and replaces unsupported
/// base-encoding names.
fn simplify_encodings(doc: &mut Document) {
    let font_ids: Vec<ObjectId> = doc
        .objects
        .iter()
        .filter(
            |(_, o)| matches!(o, Object::Dictionary(d) if is_name(d.get(b"Type").ok(), b"Font")),
        )
        .map(|(id, _)| *id)
        .collect();
    for font_id in font_ids {
        let Some(Object::Dictionary(font)) = doc.objects.get(&font_id) else {
            continue;
        };
        let simple = ["Type1", "MMType1", "TrueType"]
            .iter()
            .any(|t| is_name(font.get(b"Subtype").ok(), t.as_bytes()));
        if !simple {
            continue;
        }
        let encoding = font.get(b"Encoding").ok().map(|e| match e {
            Object::Reference(id) => doc.objects.get(id).cloned().unwrap_or(Object::Null),
            other => other.clone(),
        });
        let drop_cmap = match &encoding {
            Some(Object::Dictionary(enc)) => {
                enc.get(b"Differences").ok().is_some_and(plain_glyph_names)
                    && enc.get(b"BaseEncoding").ok().is_none_or(supported_base)
            }
            _ => false,
        };
        let replace_base = matches!(&encoding, Some(Object::Name(n)) if !supported_name(n));
        let Some(Object::Dictionary(font)) = doc.objects.get_mut(&font_id) else {
            continue;
        };
        if drop_cmap {
            font.remove(b"ToUnicode");
        }
        if replace_base {
            font.set("Encoding", Object::Name(b"WinAnsiEncoding".to_vec()));
        }
    }
}

fn supported_name(name: &[u8]) -> bool {
    matches!(
        name,
        b"WinAnsiEncoding" | b"MacRomanEncoding" | b"MacExpertEncoding"
    )
}

fn supported_base(object: &Object) -> bool {
    matches!(object, Object::Name(n) if supported_name(n))
}

/// Whether a `/Differences` array holds only integers and purely alphabetic glyph names.
fn plain_glyph_names(differences: &Object) -> bool {
    let Ok(items) = differences.as_array() else {
        return false;
    };
    items.iter().all(|item| match item {
        Object::Integer(_) => true,
        Object::Name(n) => !n.is_empty() && n.len() <= 40 && n.iter().all(u8::is_ascii_alphabetic),
        _ => false,
    })
}

fn is_name(object: Option<&Object>, name: &[u8]) -> bool {
    matches!(object, Some(Object::Name(n)) if n == name)
}

/// The explicit built-in encoding of an embedded Type 1 program as a `/Differences` array, or
/// `None` when the program uses StandardEncoding or cannot be read (pdf-extract then handles
/// the font itself, as before).
fn builtin_differences(doc: &Document, program_id: ObjectId) -> Option<Vec<Object>> {
    let Some(Object::Stream(stream)) = doc.objects.get(&program_id) else {
        return None;
    };
    let program = if stream.dict.get(b"Filter").is_ok() {
        stream.decompressed_content().ok()?
    } else {
        stream.content.clone()
    };
    let entries = parse_type1_encoding(&program)?;
    let mut differences = Vec::with_capacity(entries.len() * 2);
    for (code, name) in entries {
        differences.push(Object::Integer(i64::from(code)));
        differences.push(Object::Name(name));
    }
    Some(differences)
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
