//! Stream lengths written as references (`/Length 12 0 R`), made direct before lopdf parses the
//! file.
//!
//! lopdf 0.42 resolves such a reference while it parses the stream, and when the length object
//! sits inside an object stream it unpacks and parses that whole object stream again for every
//! such stream (pdfTeX with object streams and matplotlib figures: three times per paper, about
//! a fifth of the check's CPU). The length is where `endstream` follows the data, so we write
//! it in place of the reference, padded to the same width; the file keeps its size and every
//! offset in its cross-reference table. Nothing else changes, and the copy is made only for
//! files that have object streams and such a reference.

use std::borrow::Cow;

/// `bytes` with every indirect stream length that can be measured written directly.
pub(crate) fn direct_lengths(bytes: &[u8]) -> Cow<'_, [u8]> {
    if find(bytes, b"/ObjStm", 0).is_none() {
        return Cow::Borrowed(bytes);
    }
    let mut patched: Option<Vec<u8>> = None;
    let mut from = 0;
    while let Some(at) = find(bytes, b"/Length", from) {
        from = at + 7;
        let Some((span, length)) = measure(bytes, from) else {
            continue;
        };
        let digits = length.to_string();
        if digits.len() > span.len() {
            continue;
        }
        let out = patched.get_or_insert_with(|| bytes.to_vec());
        let target = &mut out[span.clone()];
        target.fill(b' ');
        target[..digits.len()].copy_from_slice(digits.as_bytes());
    }
    match patched {
        Some(out) => Cow::Owned(out),
        None => Cow::Borrowed(bytes),
    }
}

/// After `/Length` at `at`: the byte range of a reference `N G R` and the length of the
/// stream that the same dictionary opens, if both are plain.
fn measure(bytes: &[u8], at: usize) -> Option<(std::ops::Range<usize>, usize)> {
    let mut i = at;
    let space = |c: u8| matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0');
    if !space(*bytes.get(i)?) {
        return None; // `/Length1` and the like
    }
    while space(*bytes.get(i)?) {
        i += 1;
    }
    let start = i;
    let number = |i: &mut usize| {
        let begin = *i;
        while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > begin
    };
    let gap = |i: &mut usize| {
        let begin = *i;
        while bytes.get(*i).copied().is_some_and(space) {
            *i += 1;
        }
        *i > begin
    };
    if !(number(&mut i) && gap(&mut i) && number(&mut i) && gap(&mut i)) {
        return None;
    }
    if bytes.get(i) != Some(&b'R') {
        return None;
    }
    let span = start..i + 1;
    // The dictionary must end in `>>` followed by `stream` before any other object starts.
    let window = &bytes[i + 1..bytes.len().min(i + 1 + 4096)];
    let keyword = find(window, b"stream", 0)?;
    if find(&window[..keyword], b"obj", 0).is_some() {
        return None;
    }
    let before = window[..keyword].trim_ascii_end();
    if !before.ends_with(b">>") {
        return None;
    }
    let mut data = i + 1 + keyword + 6;
    while matches!(bytes.get(data), Some(b' ' | b'\t')) {
        data += 1;
    }
    match bytes.get(data..data + 2) {
        Some([b'\r', b'\n']) => data += 2,
        _ if matches!(bytes.get(data), Some(b'\n' | b'\r')) => data += 1,
        _ => return None,
    }
    let end = find(bytes, b"endstream", data)?;
    let mut stop = end;
    if stop > data && bytes[stop - 1] == b'\n' {
        stop -= 1;
    }
    if stop > data && bytes[stop - 1] == b'\r' {
        stop -= 1;
    }
    Some((span, stop - data))
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    memchr::memmem::find(haystack.get(from..)?, needle).map(|p| p + from)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn an_indirect_length_becomes_the_measured_one_and_offsets_stay() {
        let file = b"%PDF-1.5\n1 0 obj <</Type/ObjStm>> endobj\n\
                     2 0 obj\n<</Length 31 0 R/Filter/FlateDecode>>\nstream\nABCDEFG\nendstream\nendobj\n";
        let out = direct_lengths(file);
        assert_eq!(out.len(), file.len());
        let text = String::from_utf8_lossy(&out);
        assert!(text.contains("<</Length 7     /Filter"), "{text}");
    }

    #[test]
    fn files_without_object_streams_and_other_keys_are_left_alone() {
        let plain = b"%PDF-1.4\n2 0 obj<</Length 3 0 R>>stream\nAB\nendstream endobj";
        assert!(matches!(direct_lengths(plain), Cow::Borrowed(_)));
        let font = b"%PDF-1.5 /ObjStm\n2 0 obj<</Length1 3 0 R/Length 2>>stream\nAB\nendstream";
        assert!(matches!(direct_lengths(font), Cow::Borrowed(_)));
        // A reference that is not a stream's length is kept.
        let other =
            b"%PDF-1.5 /ObjStm\n2 0 obj<</Length 3 0 R>>endobj 4 0 obj<<>>stream\nA\nendstream";
        assert!(matches!(direct_lengths(other), Cow::Borrowed(_)));
    }
}
