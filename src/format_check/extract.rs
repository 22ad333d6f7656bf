//! Turning PDF bytes into positioned characters, page by page, with pdf-extract and its
//! re-exported lopdf. Also reads the document metadata (Info dictionary and XMP).
//!
//! This module and its helpers (`collector`, `metadata`, `fonts`, `merge`, `xobjects`, and the fast
//! interpreter `fast` with `lexer`, `operands` and `probe`) are the only ones that touch the PDF
//! libraries. It enforces the resource caps of
//! [`Limits`]: object and page counts, a character cap and a cooperative time budget (checked
//! inside the per-character callback), and it catches panics of the libraries page by page.
//! Layout analysis lives in `layout`; nothing here interprets the text.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

use pdf_extract::{Document, Object};

use crate::format_check::collector::Collector;
use crate::format_check::fast::{Fast, run_fast};
use crate::format_check::merge::merge_pages;
use crate::format_check::metadata::read_metadata;
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
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum ExtractError {
    /// The document is encrypted with a password we do not have.
    #[error("the PDF is encrypted")]
    Encrypted,
    /// The document cannot be parsed; the string says what broke, for authors.
    #[error("{0}")]
    Corrupt(String),
    /// A resource cap was hit; the string names it (for logs, not for authors).
    #[error("too complex: {0}")]
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
    extract_with(bytes, limits, budget, true)
}

/// [`extract`], optionally without the fast interpreter (tests compare the two).
pub(crate) fn extract_with(
    bytes: &[u8],
    limits: &Limits,
    budget: Budget,
    use_fast: bool,
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
    let page_map = doc.get_pages();
    if page_map.is_empty() {
        return Err(ExtractError::Corrupt(
            "the PDF has no readable pages".into(),
        ));
    }
    if page_map.len() > limits.max_pages {
        return Err(ExtractError::TooComplex(format!(
            "{} pages",
            page_map.len()
        )));
    }
    let mut collector = Collector::new(budget, limits.max_glyphs, page_map.len());
    if let Some((boxes, first_id, original_first)) = merge_pages(&mut doc, &page_map) {
        let first_number = page_map.keys().next().copied().unwrap_or(1);
        collector.merged = Some(boxes);
        let fast = if use_fast {
            run_fast(&mut doc, first_id, first_number, &mut collector)
        } else {
            Fast::Unsupported
        };
        match fast {
            Fast::Done if collector.pages.len() == page_map.len() => {
                return Ok(Extracted {
                    pages: collector.pages,
                    metadata,
                });
            }
            Fast::Stopped => {
                if let Some(stop) = collector.stop.take() {
                    return Err(stop);
                }
                collector.restart();
            }
            Fast::Done | Fast::Unsupported => collector.restart(),
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            pdf_extract::output_doc_page(&doc, &mut collector, first_number)
        }));
        if let Some(stop) = collector.stop.take() {
            return Err(stop);
        }
        if matches!(outcome, Ok(Ok(()))) && collector.pages.len() == page_map.len() {
            return Ok(Extracted {
                pages: collector.pages,
                metadata,
            });
        }
        // Something in the merged run failed: redo page by page to say which page is broken.
        if let Ok(first) = doc.get_object_mut(first_id) {
            *first = Object::Dictionary(original_first);
        }
        collector.reset();
    }
    for &number in page_map.keys() {
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

/// Follows one indirect reference.
pub(crate) fn deref<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Object> {
    match object {
        Object::Reference(id) => doc.get_object(*id).ok(),
        other => Some(other),
    }
}
