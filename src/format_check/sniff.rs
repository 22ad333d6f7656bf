//! First look at the raw bytes, before any PDF parsing: is this a PDF at all (and if not, what
//! is it, in words an author understands), and does it declare encryption?

/// What the leading bytes say the file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Sniffed {
    /// Starts with a `%PDF-` header (possibly after some junk, as readers allow).
    Pdf,
    /// Something else; the string describes it, e.g. "a PNG image".
    Other(&'static str),
}

/// How far into the file a `%PDF-` header may start (Acrobat tolerates 1024 bytes of junk).
const HEADER_WINDOW: usize = 1024;

/// Identifies the file type from its first bytes.
pub(crate) fn sniff(bytes: &[u8]) -> Sniffed {
    let head = &bytes[..bytes.len().min(HEADER_WINDOW)];
    if find(head, b"%PDF-").is_some() {
        return Sniffed::Pdf;
    }
    Sniffed::Other(describe_non_pdf(bytes))
}

fn describe_non_pdf(bytes: &[u8]) -> &'static str {
    let trimmed = trim_leading_whitespace(bytes);
    let lower_head: Vec<u8> = trimmed
        .iter()
        .take(512)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    if bytes.is_empty() {
        "an empty file"
    } else if trimmed.is_empty() {
        "a file containing only blank space"
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "a PNG image"
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "a JPEG image"
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        "a GIF image"
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        "a TIFF image"
    } else if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        describe_zip(bytes)
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        "an old-style Microsoft Office document (.doc)"
    } else if bytes.starts_with(b"%!PS") || bytes.starts_with(&[0xC5, 0xD0, 0xD3, 0xC6]) {
        "a PostScript file"
    } else if bytes.starts_with(b"{\\rtf") {
        "an RTF document"
    } else if bytes.starts_with(&[0x1F, 0x8B]) {
        "a gzip-compressed file"
    } else if bytes.starts_with(b"7z\xBC\xAF\x27\x1C") {
        "a 7-Zip archive"
    } else if bytes.starts_with(b"Rar!") {
        "a RAR archive"
    } else if lower_head.starts_with(b"<!doctype html")
        || lower_head.starts_with(b"<html")
        || find(&lower_head, b"<html").is_some()
    {
        "an HTML web page"
    } else if lower_head.starts_with(b"<?xml") || lower_head.starts_with(b"<svg") {
        "an XML or SVG file"
    } else if lower_head.starts_with(b"\\documentclass")
        || find(&lower_head, b"\\documentclass").is_some()
    {
        "LaTeX source (compile it to PDF first)"
    } else if std::str::from_utf8(&bytes[..bytes.len().min(4096)]).is_ok() {
        "a plain-text file"
    } else {
        "a file of an unknown type"
    }
}

fn describe_zip(bytes: &[u8]) -> &'static str {
    let window = &bytes[..bytes.len().min(64 * 1024)];
    if find(window, b"word/").is_some() {
        "a Word document (.docx)"
    } else if find(window, b"ppt/").is_some() {
        "a PowerPoint presentation (.pptx)"
    } else if find(window, b"opendocument").is_some() {
        "an OpenDocument file"
    } else {
        "a ZIP archive"
    }
}

fn trim_leading_whitespace(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// Whether the raw bytes carry an `/Encrypt` entry (trailer or cross-reference stream).
pub(crate) fn declares_encryption(bytes: &[u8]) -> bool {
    find(bytes, b"/Encrypt").is_some()
}

/// Whether the file ends with a `%%EOF` marker (within the last 2 KiB, allowing trailing junk).
/// A file cut off during upload or export loses it.
pub(crate) fn has_eof_marker(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(2048)..];
    find(tail, b"%%EOF").is_some()
}

/// Position of `needle` in `haystack`.
pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn common_non_pdfs_are_named() {
        assert_eq!(sniff(b""), Sniffed::Other("an empty file"));
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Sniffed::Other("a PNG image")
        );
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Sniffed::Other("a JPEG image")
        );
        assert_eq!(
            sniff(b"PK\x03\x04....word/document.xml"),
            Sniffed::Other("a Word document (.docx)")
        );
        assert_eq!(sniff(b"PK\x03\x04abc"), Sniffed::Other("a ZIP archive"));
        assert_eq!(
            sniff(b"%!PS-Adobe-3.0\n"),
            Sniffed::Other("a PostScript file")
        );
        assert_eq!(
            sniff(b"  <!DOCTYPE html><html>"),
            Sniffed::Other("an HTML web page")
        );
        assert_eq!(sniff(b"hello"), Sniffed::Other("a plain-text file"));
    }

    #[test]
    fn truncated_files_lose_their_end_marker() {
        assert!(has_eof_marker(b"%PDF-1.5\n...\n%%EOF\n"));
        assert!(has_eof_marker(b"%PDF-1.5\n...\n%%EOF\r\n\0\0junk"));
        assert!(!has_eof_marker(b"%PDF-1.5\n1 0 obj\n<< /Length 3"));
    }

    #[test]
    fn pdf_header_may_follow_junk() {
        assert_eq!(sniff(b"%PDF-1.5\n"), Sniffed::Pdf);
        assert_eq!(sniff(b"\r\n\r\n%PDF-1.7\n"), Sniffed::Pdf);
    }
}
