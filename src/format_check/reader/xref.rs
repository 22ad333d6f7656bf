//! The cross-reference data of a PDF: where each object is. Classic tables (`xref` … `trailer`),
//! cross-reference streams (PDF 1.5, with their PNG predictors), hybrid files (`/XRefStm`) and
//! incremental updates (`/Prev`, newest section first, followed at most [`MAX_SECTIONS`] times
//! and never in a loop). Read as lopdf 0.42 reads it: the offsets count from the `%PDF-` header,
//! the newest entry of an object wins, free entries are not kept.
//!
//! Anything it cannot read is an error, never a guess: the caller then hands the file to lopdf,
//! which refuses it or reads it as before.

use pdf_extract::{Dictionary, Object};

use crate::format_check::reader::syntax::{Cursor, Ends, indirect_object};

/// Most cross-reference sections followed through `/Prev`.
const MAX_SECTIONS: usize = 64;
/// Largest cross-reference stream unpacked (20 MiB holds millions of entries).
const MAX_XREF_STREAM: usize = 20 << 20;

/// Where one object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entry {
    /// At this byte offset (from the header), with this generation.
    Offset(usize, u16),
    /// The `index`-th object of the object stream numbered `container`.
    Packed { container: u32, index: u32 },
}

/// Why the cross-reference data could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum XrefError {
    /// Damaged or of a kind not read here.
    Unreadable,
    /// More entries than the check reads (the count).
    TooMany(usize),
}

/// The entries, sorted by object number (one per number), and the newest trailer.
pub(crate) struct Xref {
    pub entries: Vec<(u32, Entry)>,
    pub trailer: Dictionary,
}

/// Reads all the cross-reference sections of `data` (which starts at the `%PDF-` header).
/// `max_entries` bounds the objects a file may list.
pub(crate) fn read(data: &[u8], max_entries: usize, ends: &Ends) -> Result<Xref, XrefError> {
    let start = xref_start(data).ok_or(XrefError::Unreadable)?;
    let mut entries: Vec<(u32, Entry)> = Vec::new();
    let mut trailer: Option<Dictionary> = None;
    let mut next = Some(start);
    let mut seen: Vec<usize> = Vec::new();
    while let Some(offset) = next.take() {
        if seen.contains(&offset) {
            break;
        }
        if seen.len() >= MAX_SECTIONS {
            return Err(XrefError::Unreadable);
        }
        seen.push(offset);
        let dict = section(data, offset, &mut entries, max_entries, ends)?;
        if let Some(stream_at) = int(&dict, b"XRefStm") {
            // A hybrid file: the stream lists what the table does not (older readers skip it).
            let stream_at = usize::try_from(stream_at).map_err(|_| XrefError::Unreadable)?;
            if !seen.contains(&stream_at) {
                seen.push(stream_at);
                section(data, stream_at, &mut entries, max_entries, ends)?;
            }
        }
        if let Some(prev) = int(&dict, b"Prev") {
            next = Some(usize::try_from(prev).map_err(|_| XrefError::Unreadable)?);
        }
        if trailer.is_none() {
            trailer = Some(dict);
        }
    }
    // Newest first: a stable sort keeps the first entry of each number.
    entries.sort_by_key(|(number, _)| *number);
    entries.dedup_by_key(|(number, _)| *number);
    let mut trailer = trailer.ok_or(XrefError::Unreadable)?;
    trailer.remove(b"Prev");
    Ok(Xref { entries, trailer })
}

fn int(dict: &Dictionary, key: &[u8]) -> Option<i64> {
    match dict.get(key) {
        Ok(Object::Integer(n)) => Some(*n),
        _ => None,
    }
}

/// The offset after the last `startxref` before the last `%%EOF` (lopdf's search).
fn xref_start(data: &[u8]) -> Option<usize> {
    let tail = data.len().saturating_sub(512);
    let eof = tail + memchr::memmem::rfind(&data[tail..], b"%%EOF")?;
    if eof <= 25 {
        return None;
    }
    let from = eof - 25;
    let at = from + memchr::memmem::rfind(&data[from..eof], b"startxref")?;
    let mut cursor = Cursor::new(data, at + b"startxref".len());
    usize::try_from(cursor.unsigned()?).ok()
}

/// One section at `offset` (a table and its trailer, or a stream and its dictionary): its
/// entries are appended to `entries`, its trailer returned.
fn section(
    data: &[u8],
    offset: usize,
    entries: &mut Vec<(u32, Entry)>,
    max_entries: usize,
    ends: &Ends,
) -> Result<Dictionary, XrefError> {
    if offset >= data.len() {
        return Err(XrefError::Unreadable);
    }
    let mut cursor = Cursor::new(data, offset);
    if cursor.keyword(b"xref") {
        table(&mut cursor, entries, max_entries)?;
        if !cursor.keyword(b"trailer") {
            return Err(XrefError::Unreadable);
        }
        return match cursor.object() {
            Some(Object::Dictionary(trailer)) if int(&trailer, b"Size").is_some() => Ok(trailer),
            _ => Err(XrefError::Unreadable),
        };
    }
    let Some((_, Object::Stream(stream))) = indirect_object(data, offset, ends, data.len()) else {
        return Err(XrefError::Unreadable);
    };
    stream_entries(&stream.dict, &stream.content, entries, max_entries)?;
    Ok(stream.dict)
}

/// The subsections of a classic table: `first count` then `count` lines `offset gen n|f`.
fn table(
    cursor: &mut Cursor,
    entries: &mut Vec<(u32, Entry)>,
    max_entries: usize,
) -> Result<(), XrefError> {
    loop {
        let before = cursor.pos;
        cursor.skip_space();
        if !cursor.data.get(cursor.pos).is_some_and(u8::is_ascii_digit) {
            cursor.pos = before;
            return Ok(());
        }
        let first = cursor.unsigned().ok_or(XrefError::Unreadable)?;
        let count = cursor.unsigned().ok_or(XrefError::Unreadable)?;
        for i in 0..count {
            let offset = cursor.unsigned().ok_or(XrefError::Unreadable)?;
            let generation = cursor.unsigned().ok_or(XrefError::Unreadable)?;
            cursor.skip_space();
            let kind = cursor.data.get(cursor.pos).copied();
            cursor.pos += 1;
            match kind {
                Some(b'n') => {
                    let number = u32::try_from(first + i).map_err(|_| XrefError::Unreadable)?;
                    let (Ok(offset), Ok(generation)) =
                        (usize::try_from(offset), u16::try_from(generation))
                    else {
                        continue;
                    };
                    push(
                        entries,
                        number,
                        Entry::Offset(offset, generation),
                        max_entries,
                    )?;
                }
                Some(b'f') => {}
                _ => return Err(XrefError::Unreadable),
            }
        }
    }
}

fn push(
    entries: &mut Vec<(u32, Entry)>,
    number: u32,
    entry: Entry,
    max_entries: usize,
) -> Result<(), XrefError> {
    if entries.len() >= max_entries {
        return Err(XrefError::TooMany(entries.len() + 1));
    }
    entries.push((number, entry));
    Ok(())
}

/// The entries of a cross-reference stream (`/W`, `/Index`, `/Size`).
fn stream_entries(
    dict: &Dictionary,
    raw: &[u8],
    entries: &mut Vec<(u32, Entry)>,
    max_entries: usize,
) -> Result<(), XrefError> {
    let size = int(dict, b"Size").ok_or(XrefError::Unreadable)?;
    let ints = |key: &[u8]| -> Option<Vec<i64>> {
        match dict.get(key) {
            Ok(Object::Array(items)) => items
                .iter()
                .map(|o| match o {
                    Object::Integer(n) => Some(*n),
                    _ => None,
                })
                .collect(),
            _ => None,
        }
    };
    let widths = ints(b"W").ok_or(XrefError::Unreadable)?;
    if widths.len() < 3 || widths.iter().any(|w| !(0..=8).contains(w)) {
        return Err(XrefError::Unreadable);
    }
    let widths = [widths[0] as usize, widths[1] as usize, widths[2] as usize];
    let index = ints(b"Index").unwrap_or_else(|| vec![0, size]);
    let data = unpack(dict, raw)?;
    let row = widths.iter().sum::<usize>();
    let mut at = 0usize;
    let field = |at: usize, width: usize| -> Option<u64> {
        let bytes = data.get(at..at + width)?;
        Some(bytes.iter().fold(0u64, |a, &b| a << 8 | u64::from(b)))
    };
    for pair in index.chunks_exact(2) {
        let (first, count) = (pair[0], pair[1]);
        if first < 0 || count < 0 {
            return Err(XrefError::Unreadable);
        }
        for j in 0..count {
            let kind = if widths[0] == 0 {
                1
            } else {
                field(at, widths[0]).ok_or(XrefError::Unreadable)?
            };
            let second = field(at + widths[0], widths[1]).ok_or(XrefError::Unreadable)?;
            let third =
                field(at + widths[0] + widths[1], widths[2]).ok_or(XrefError::Unreadable)?;
            at += row;
            let number = u32::try_from(first + j).map_err(|_| XrefError::Unreadable)?;
            let entry = match kind {
                1 => {
                    let (Ok(offset), Ok(generation)) =
                        (usize::try_from(second), u16::try_from(third))
                    else {
                        continue;
                    };
                    Entry::Offset(offset, generation)
                }
                2 => {
                    let (Ok(container), Ok(index)) = (u32::try_from(second), u32::try_from(third))
                    else {
                        continue;
                    };
                    Entry::Packed { container, index }
                }
                _ => continue,
            };
            push(entries, number, entry, max_entries)?;
        }
    }
    Ok(())
}

/// A cross-reference stream's data: Flate (or none), then a PNG predictor if one is named.
fn unpack(dict: &Dictionary, raw: &[u8]) -> Result<Vec<u8>, XrefError> {
    let data = match dict.get(b"Filter") {
        Err(_) => raw.to_vec(),
        Ok(Object::Name(n)) if n == b"FlateDecode" => {
            inflate_within(raw, MAX_XREF_STREAM).ok_or(XrefError::Unreadable)?
        }
        Ok(Object::Array(items))
            if items.len() == 1 && matches!(&items[0], Object::Name(n) if n == b"FlateDecode") =>
        {
            inflate_within(raw, MAX_XREF_STREAM).ok_or(XrefError::Unreadable)?
        }
        _ => return Err(XrefError::Unreadable),
    };
    let params = match dict.get(b"DecodeParms") {
        Ok(Object::Dictionary(d)) => Some(d),
        Ok(Object::Array(items)) => items.first().and_then(|o| o.as_dict().ok()),
        _ => None,
    };
    let predictor = params.and_then(|p| int(p, b"Predictor")).unwrap_or(1);
    if predictor < 10 {
        return if predictor == 1 {
            Ok(data)
        } else {
            Err(XrefError::Unreadable)
        };
    }
    let columns = params.and_then(|p| int(p, b"Columns")).unwrap_or(1);
    let colors = params.and_then(|p| int(p, b"Colors")).unwrap_or(1);
    let bits = params
        .and_then(|p| int(p, b"BitsPerComponent"))
        .unwrap_or(8);
    if !(1..=1 << 16).contains(&columns) || colors != 1 || bits != 8 {
        return Err(XrefError::Unreadable);
    }
    Ok(png_rows(&data, columns as usize))
}

/// Undoes the PNG row filters (one filter byte per row of `columns` bytes, one byte per pixel).
fn png_rows(data: &[u8], columns: usize) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(data.len());
    let mut previous = vec![0u8; columns];
    for row in data.chunks(columns + 1) {
        let (filter, bytes) = (row[0], &row[1..]);
        let mut current = vec![0u8; columns];
        for (i, &b) in bytes.iter().enumerate() {
            let left = if i > 0 { current[i - 1] } else { 0 };
            let up = previous[i];
            let up_left = if i > 0 { previous[i - 1] } else { 0 };
            current[i] = match filter {
                1 => b.wrapping_add(left),
                2 => b.wrapping_add(up),
                3 => b.wrapping_add(((u16::from(left) + u16::from(up)) / 2) as u8),
                4 => b.wrapping_add(paeth(left, up, up_left)),
                _ => b,
            };
        }
        out.extend_from_slice(&current[..bytes.len()]);
        previous = current;
    }
    out
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// The zlib data `data` unpacked, if it unpacks to at most `cap` bytes (a damaged end keeps
/// what came before it).
pub(crate) fn inflate_within(data: &[u8], cap: usize) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::with_capacity(data.len().saturating_mul(4).min(cap));
    let mut limited = flate2::read::ZlibDecoder::new(data).take(cap as u64 + 1);
    let _ = limited.read_to_end(&mut out);
    (out.len() <= cap).then_some(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn a_classic_table_with_an_update_keeps_the_newest_entries() {
        let mut file = b"%PDF-1.4\n".to_vec();
        let first = file.len();
        file.extend_from_slice(
            b"xref\n0 3\n0000000000 65535 f \n0000000100 00000 n \n0000000200 00000 n \n\
              trailer\n<</Size 3/Root 1 0 R>>\n",
        );
        let second = file.len();
        file.extend_from_slice(
            format!(
                "xref\n2 1\n0000000300 00000 n \ntrailer\n<</Size 3/Root 1 0 R/Prev {first}>>\n\
                 startxref\n{second}\n%%EOF\n"
            )
            .as_bytes(),
        );
        let xref = read(&file, 100, &Ends::new(&file)).unwrap();
        assert_eq!(
            xref.entries,
            vec![(1, Entry::Offset(100, 0)), (2, Entry::Offset(300, 0))]
        );
        assert!(xref.trailer.get(b"Prev").is_err());
        assert_eq!(
            read(&file, 1, &Ends::new(&file)).err(),
            Some(XrefError::TooMany(2))
        );
    }

    #[test]
    fn png_up_rows_are_undone() {
        // Two rows of three columns with the Up filter.
        let rows = [2, 1, 0, 5, 2, 0, 1, 1];
        assert_eq!(png_rows(&rows, 3), vec![1, 0, 5, 1, 1, 6]);
    }

    #[test]
    fn a_loop_of_prev_and_a_missing_startxref_are_errors_or_ends() {
        assert_eq!(
            read(
                b"%PDF-1.4\nno cross-reference here\n%%EOF",
                10,
                &Ends::new(b"")
            )
            .err(),
            Some(XrefError::Unreadable)
        );
        let looped = b"%PDF-1.4\nxref\n0 1\n0000000000 65535 f \ntrailer\n<</Size 1/Prev 9>>\n\
                       startxref\n9\n%%EOF\n";
        assert!(
            read(looped, 10, &Ends::new(looped)).is_ok(),
            "a section naming itself is read once"
        );
    }
}
