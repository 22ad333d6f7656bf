//! Turning PDF bytes into positioned characters, page by page, with pdf-extract and its
//! re-exported lopdf. Also reads the document metadata (Info dictionary and XMP).
//!
//! This is the only module that touches the PDF libraries. It enforces the resource caps of
//! [`Limits`]: object and page counts, a character cap and a cooperative time budget (checked
//! inside the per-character callback), and it catches panics of the libraries page by page.
//! Layout analysis lives in `layout`; nothing here interprets the text.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

use pdf_extract::{Document, MediaBox, Object, OutputDev, OutputError, Transform};

use crate::format_check::rules::Limits;
use crate::format_check::xobjects::has_xobject_cycle;

/// One character with its position, in points, measured from the top-left corner of the page.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Glyph {
    /// Left edge of the glyph.
    pub x: f32,
    /// Baseline, measured downwards from the top of the page.
    pub y: f32,
    /// Right edge (left edge plus advance width).
    pub x_end: f32,
    /// Effective font size (font size times the text matrix scale).
    pub size: f32,
    /// False for rotated or skewed text (e.g. a vertical arXiv stamp).
    pub upright: bool,
    /// Byte range of the character's text in [`Page::text`].
    pub start: u32,
    /// Length in bytes of the character's text.
    pub len: u16,
}

/// All characters of one page.
#[derive(Debug, Clone, Default)]
pub(crate) struct Page {
    /// 1-based page number.
    pub number: u32,
    /// Media box width in points.
    pub width: f64,
    /// Media box height in points.
    pub height: f64,
    /// Characters in content-stream order.
    pub glyphs: Vec<Glyph>,
    /// Concatenated text of all glyphs (see [`Glyph::start`]).
    pub text: String,
}

impl Page {
    /// The text of one glyph.
    pub fn glyph_text(&self, glyph: &Glyph) -> &str {
        let start = glyph.start as usize;
        self.text
            .get(start..start + glyph.len as usize)
            .unwrap_or("")
    }
}

/// The extracted document.
#[derive(Debug, Clone, Default)]
pub(crate) struct Extracted {
    /// Pages in order.
    pub pages: Vec<Page>,
    /// Metadata fields: (field name, value), from the Info dictionary and the XMP packet.
    pub metadata: Vec<(String, String)>,
}

/// Why extraction stopped.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ExtractError {
    /// The document is encrypted with a password we do not have.
    Encrypted,
    /// The document cannot be parsed; the string says what broke, for authors.
    Corrupt(String),
    /// A resource cap was hit; the string names it (for logs, not for authors).
    TooComplex(String),
}

/// The wall-clock budget of one check.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Budget {
    deadline: Instant,
}

impl Budget {
    /// A budget that ends `ms` milliseconds after `start`.
    pub fn new(start: Instant, ms: u64) -> Self {
        Budget {
            deadline: start + std::time::Duration::from_millis(ms),
        }
    }

    /// Whether the budget is used up.
    pub fn expired(&self) -> bool {
        Instant::now() >= self.deadline
    }
}

/// Loads the document and extracts every page's characters and the metadata.
pub(crate) fn extract(
    bytes: &[u8],
    limits: &Limits,
    budget: Budget,
) -> Result<Extracted, ExtractError> {
    let loaded = catch_unwind(AssertUnwindSafe(|| Document::load_mem(bytes)));
    let mut doc = match loaded {
        Ok(Ok(doc)) => doc,
        Ok(Err(err)) => return Err(classify_load_error(bytes, &err.to_string())),
        Err(_) => return Err(ExtractError::Corrupt("the PDF structure is damaged".into())),
    };
    if doc.trailer.get(b"Encrypt").is_ok() && doc.is_encrypted() {
        return Err(ExtractError::Encrypted);
    }
    if doc.objects.len() > limits.max_objects {
        return Err(ExtractError::TooComplex(format!(
            "{} objects",
            doc.objects.len()
        )));
    }
    if budget.expired() {
        return Err(ExtractError::TooComplex("time budget".into()));
    }
    let metadata = read_metadata(&doc);
    blank_out_images(&mut doc);
    crate::format_check::fonts::precompute_type1_encodings(&mut doc);
    if has_xobject_cycle(&doc) {
        return Err(ExtractError::TooComplex("cyclic form XObjects".into()));
    }
    let page_numbers: Vec<u32> = doc.get_pages().keys().copied().collect();
    if page_numbers.is_empty() {
        return Err(ExtractError::Corrupt(
            "the PDF has no readable pages".into(),
        ));
    }
    if page_numbers.len() > limits.max_pages {
        return Err(ExtractError::TooComplex(format!(
            "{} pages",
            page_numbers.len()
        )));
    }
    let mut collector = Collector {
        pages: Vec::with_capacity(page_numbers.len()),
        current: None,
        budget,
        max_glyphs: limits.max_glyphs,
        glyph_count: 0,
        ticks: 0,
        stop: None,
        origin: (0.0, 0.0),
    };
    for number in page_numbers {
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            pdf_extract::output_doc_page(&doc, &mut collector, number)
        }));
        if let Some(stop) = collector.stop.take() {
            return Err(stop);
        }
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(_)) | Err(_) => {
                return Err(ExtractError::Corrupt(format!(
                    "page {number} could not be read"
                )));
            }
        }
        if budget.expired() {
            return Err(ExtractError::TooComplex("time budget".into()));
        }
    }
    Ok(Extracted {
        pages: collector.pages,
        metadata,
    })
}

fn classify_load_error(bytes: &[u8], error: &str) -> ExtractError {
    let lower = error.to_ascii_lowercase();
    if lower.contains("decrypt") || lower.contains("encrypt") || lower.contains("password") {
        return ExtractError::Encrypted;
    }
    if crate::format_check::sniff::declares_encryption(bytes) {
        return ExtractError::Encrypted;
    }
    ExtractError::Corrupt(
        "the PDF is damaged or incomplete (it may have been cut off during upload or export)"
            .into(),
    )
}

/// Images never hold text, yet pdf-extract would run their pixels through the content-stream
/// parser when a page draws them: empty them first (faster, and no garbage "text").
fn blank_out_images(doc: &mut Document) {
    for object in doc.objects.values_mut() {
        if let Object::Stream(stream) = object {
            let is_image =
                matches!(stream.dict.get(b"Subtype"), Ok(Object::Name(n)) if n == b"Image");
            if is_image {
                stream.content.clear();
                stream.dict.remove(b"Filter");
                stream.dict.remove(b"DecodeParms");
            }
        }
    }
}

/// Collects characters through pdf-extract's callback interface.
struct Collector {
    pages: Vec<Page>,
    current: Option<Page>,
    budget: Budget,
    max_glyphs: usize,
    glyph_count: usize,
    ticks: u32,
    stop: Option<ExtractError>,
    /// Top-left corner of the current page's media box, in PDF user space.
    origin: (f64, f64),
}

impl Collector {
    fn halt(&mut self, why: ExtractError) -> OutputError {
        self.stop = Some(why);
        OutputError::IoError(std::io::Error::other("format check stopped"))
    }

    fn tick(&mut self) -> Result<(), OutputError> {
        self.ticks = self.ticks.wrapping_add(1);
        if self.ticks % 256 == 0 && self.budget.expired() {
            return Err(self.halt(ExtractError::TooComplex("time budget".into())));
        }
        Ok(())
    }
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        if self.budget.expired() {
            return Err(self.halt(ExtractError::TooComplex("time budget".into())));
        }
        let width = (media_box.urx - media_box.llx).abs();
        let height = (media_box.ury - media_box.lly).abs();
        self.current = Some(Page {
            number: page_num,
            width: if width.is_finite() { width } else { 0.0 },
            height: if height.is_finite() { height } else { 0.0 },
            glyphs: Vec::with_capacity(4096),
            text: String::with_capacity(4096),
        });
        // Remember the origin so glyph positions are relative to the page's top-left corner.
        self.origin = (
            media_box.llx.min(media_box.urx),
            media_box.lly.max(media_box.ury),
        );
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        if let Some(page) = self.current.take() {
            self.pages.push(page);
        }
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        self.tick()?;
        self.glyph_count += 1;
        if self.glyph_count > self.max_glyphs {
            return Err(self.halt(ExtractError::TooComplex("too many characters".into())));
        }
        let det = trm.m11 * trm.m22 - trm.m12 * trm.m21;
        let size = font_size.abs() * det.abs().sqrt();
        let (ox, oy) = self.origin;
        let x = trm.m31 - ox;
        let y = oy - trm.m32;
        let x_end = x + width * size;
        if !(size.is_finite() && x.is_finite() && y.is_finite() && x_end.is_finite()) {
            return Ok(());
        }
        let scale = det.abs().sqrt().max(f64::MIN_POSITIVE);
        let upright = trm.m12.abs() < 0.05 * scale
            && trm.m21.abs() < 0.05 * scale
            && trm.m11 > 0.0
            && trm.m22 > 0.0;
        let Some(page) = self.current.as_mut() else {
            return Ok(());
        };
        let text = if char.len() > 32 { "" } else { char };
        let start = u32::try_from(page.text.len()).unwrap_or(u32::MAX);
        page.text.push_str(text);
        page.glyphs.push(Glyph {
            x: x as f32,
            y: y as f32,
            x_end: x_end as f32,
            size: size as f32,
            upright,
            start,
            len: text.len() as u16,
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn stroke(
        &mut self,
        _ctm: &Transform,
        _colorspace: &pdf_extract::ColorSpace,
        _color: &[f64],
        _path: &pdf_extract::Path,
    ) -> Result<(), OutputError> {
        self.tick()
    }

    fn fill(
        &mut self,
        _ctm: &Transform,
        _colorspace: &pdf_extract::ColorSpace,
        _color: &[f64],
        _path: &pdf_extract::Path,
    ) -> Result<(), OutputError> {
        self.tick()
    }
}

/// Reads Author, Creator, Subject, Keywords and Title from the Info dictionary, and the XMP
/// packet of the catalog, as text.
fn read_metadata(doc: &Document) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    if let Some(info) = doc
        .trailer
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
        .trailer
        .get(b"Root")
        .ok()
        .and_then(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok())
        .and_then(|catalog| catalog.get(b"Metadata").ok())
        .and_then(|o| deref(doc, o));
    if let Some(Object::Stream(stream)) = xmp {
        let content = if stream.dict.get(b"Filter").is_ok() {
            stream.decompressed_content().unwrap_or_default()
        } else {
            stream.content.clone()
        };
        if content.len() < 1 << 20 {
            fields.push(("XMP".to_string(), String::from_utf8_lossy(&content).into()));
        }
    }
    fields
}

/// Follows one indirect reference.
pub(crate) fn deref<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Object> {
    match object {
        Object::Reference(id) => doc.get_object(*id).ok(),
        other => Some(other),
    }
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
