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
        if let Some(differences) = differences {
            if let Some(Object::Dictionary(font)) = doc.objects.get_mut(&font_id) {
                let mut encoding = Dictionary::new();
                encoding.set("Type", Object::Name(b"Encoding".to_vec()));
                encoding.set("Differences", Object::Array(differences));
                font.set("Encoding", Object::Dictionary(encoding));
            }
        }
        if let Some(Object::Dictionary(descriptor)) = doc.objects.get_mut(&descriptor_id) {
            descriptor.remove(b"FontFile");
        }
    }
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
