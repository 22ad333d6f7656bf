//! Document metadata that can name authors: the Info dictionary (Author, Creator, Subject,
//! Keywords, Title, Producer) and the catalog's XMP packet, decoded to text.

use pdf_extract::Object;

use crate::format_check::extract::deref;
use crate::format_check::reader::Doc;
use crate::format_check::streams::{Cut, Decoder};

/// Largest XMP packet searched, in decoded bytes.
pub(crate) const XMP_CAP: usize = 4 << 20;

/// Reads Author, Creator, Subject, Keywords and Title from the Info dictionary, and the XMP
/// packet of the catalog, as text. The cut is set when the XMP packet was over a budget (it is
/// then searched only as far as it was decoded).
pub(crate) fn read_metadata(doc: &Doc, decoder: &Decoder) -> (Vec<(String, String)>, Option<Cut>) {
    let mut fields = Vec::new();
    if let Some(info) = doc
        .trailer()
        .get(b"Info")
        .ok()
        .and_then(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok())
    {
        for key in [
            "Author", "Creator", "Subject", "Keywords", "Title", "Producer",
        ] {
            if let Some(Object::String(bytes, _)) =
                info.get(key.as_bytes()).ok().and_then(|o| deref(doc, o))
            {
                fields.push((key.to_string(), decode_pdf_string(bytes)));
            }
        }
    }
    let xmp = doc
        .trailer()
        .get(b"Root")
        .ok()
        .and_then(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok())
        .and_then(|catalog| catalog.get(b"Metadata").ok())
        .and_then(|o| deref(doc, o));
    let mut cut = None;
    if let Some(Object::Stream(stream)) = xmp {
        // A real XMP packet is a few kilobytes: 4 MiB is plenty.
        let content = decoder.decode_capped(stream, XMP_CAP).unwrap_or_default();
        cut = decoder.take_cut();
        fields.push(("XMP".to_string(), String::from_utf8_lossy(&content).into()));
    }
    (fields, cut)
}

/// PDF text strings are UTF-16BE with a byte-order mark, or PDFDocEncoding (~Latin-1).
fn decode_pdf_string(bytes: &[u8]) -> String {
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8_lossy(&bytes[3..]).into()
    } else {
        bytes.iter().map(|&b| char::from(b)).collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn pdf_strings_decode_from_utf16_and_latin1() {
        assert_eq!(
            decode_pdf_string(&[0xFE, 0xFF, 0x00, 0x5A, 0x00, 0xEB]),
            "Zë"
        );
        assert_eq!(decode_pdf_string(b"Sch\xe4fer"), "Schäfer");
    }
}
