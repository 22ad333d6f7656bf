//! Turning PDF bytes into positioned characters, page by page: our lazy reader (`reader`, or
//! lopdf for the files it leaves to lopdf) gives the objects, our interpreter (`interp`, with `lexer`, `font`,
//! `cmap`, `encoding`) reads the content, `streams` decodes every stream within the budgets.
//! Also reads the document metadata (Info dictionary and XMP).
//!
//! Only the file structure can make extraction fail (not a PDF, encrypted, unparseable).
//! Whatever stops reading later (a budget, a cap) leaves what was read and a [`Gap`] saying
//! what was not, so the check can report "checked partly". Layout analysis lives in `layout`.

use std::time::Instant;

use pdf_extract::{Dictionary, Object, ObjectId};

use crate::format_check::interp::{Interp, Stop};
use crate::format_check::metadata::{XMP_CAP, read_metadata};
use crate::format_check::reader::{Doc, Lazy, OpenError, loaded};
use crate::format_check::report::describe_pages;
use crate::format_check::rules::Limits;
use crate::format_check::streams::{Cut, Decoder};

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
    /// What could not be read, for the "checked partly" note.
    pub gaps: Vec<Gap>,
}

/// Something the checker could not read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Gap {
    /// Pages concerned (empty: the whole document, e.g. its metadata).
    pub pages: Vec<u32>,
    /// What was not checked, for authors and chairs ("the text of pages 9–12").
    pub what: String,
    /// Why, in plain words ("the check's time budget ran out").
    pub why: String,
    /// Whether `pages` were not read at all (rather than read in part).
    pub unread: bool,
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
    /// A cap on the file as a whole was hit (size, objects): nothing was read. The string says
    /// which, for authors.
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
    let decoder = Decoder::new(
        limits.max_stream_bytes,
        limits.max_document_bytes,
        limits.max_pool_bytes,
        budget,
    );
    let packed_budget = limits.max_document_bytes / 4;
    let doc = match Lazy::open(bytes, limits.max_objects, packed_budget, &decoder) {
        Ok(lazy) => Doc::Lazy(Box::new(lazy)),
        Err(OpenError::TooManyObjects(_)) => {
            return Err(ExtractError::TooComplex(format!(
                "it has more than {} objects (the limit)",
                limits.max_objects
            )));
        }
        Err(OpenError::NotMine) => {
            let (doc, cut) = loaded::load(bytes, limits, &decoder)?;
            Doc::Loaded(Box::new(doc), cut)
        }
    };
    let page_ids = doc.pages();
    if page_ids.is_empty() && doc.objects_cut() {
        return Err(ExtractError::TooComplex(format!(
            "its compressed object streams unpack to more than {} MiB",
            packed_budget >> 20
        )));
    }
    if page_ids.is_empty() {
        return Err(ExtractError::Corrupt(
            "the PDF has no readable pages".into(),
        ));
    }
    let mut gaps = Vec::new();
    let (metadata, metadata_cut) = read_metadata(&doc, &decoder);
    if let Some(cut) = metadata_cut {
        gaps.push(Gap {
            pages: Vec::new(),
            what: format!(
                "the document properties (XMP metadata) beyond their first {} MiB",
                XMP_CAP >> 20
            ),
            why: match cut {
                Cut::StreamCap => format!("they unpack to more than {} MiB", XMP_CAP >> 20),
                other => cut_reason(other, limits),
            },
            unread: false,
        });
    }
    let mut interp = Interp::new(&doc, &decoder, budget, limits.max_glyphs);
    let mut pages = Vec::with_capacity(page_ids.len());
    let mut stopped: Option<(u32, String)> = None;
    let mut cut_pages: Vec<(u32, Cut)> = Vec::new();
    let empty = Dictionary::new();
    for (index, &page_id) in page_ids.iter().enumerate() {
        let number = index as u32 + 1;
        let dict = doc.get_dictionary(page_id);
        let media = dict
            .and_then(|d| inherited(&doc, d, b"MediaBox"))
            .and_then(rect)
            .unwrap_or((0.0, 0.0, 612.0, 792.0));
        let mut page = Page {
            width: (media.2 - media.0).abs(),
            height: (media.3 - media.1).abs(),
            ..Page::default()
        };
        if stopped.is_none() && index >= limits.max_pages {
            stopped = Some((
                number,
                format!("the checker reads at most {} pages", limits.max_pages),
            ));
        }
        if stopped.is_none() && budget.expired() {
            stopped = Some((number, "the check's time budget ran out".into()));
        }
        if stopped.is_none() {
            let resources = dict
                .and_then(|d| inherited(&doc, d, b"Resources"))
                .and_then(|r| r.as_dict().ok())
                .unwrap_or(&empty);
            let content = page_content(&doc, &decoder, page_id);
            if let Some(cut) = decoder.take_cut() {
                cut_pages.push((number, cut));
            }
            let origin = (media.0.min(media.2), media.1.max(media.3));
            if let Err(stop) = interp.page(&content, resources, origin, &mut page) {
                stopped = Some((
                    number,
                    match stop {
                        Stop::Time => "the check's time budget ran out".into(),
                        Stop::Glyphs => format!(
                            "the document has more than {} characters",
                            limits.max_glyphs
                        ),
                    },
                ));
            }
            if let Some(cut) = decoder.take_cut()
                && !cut_pages.iter().any(|(p, _)| *p == number)
            {
                cut_pages.push((number, cut));
            }
        }
        pages.push(page);
    }
    if let Some((first, why)) = stopped {
        let unread: Vec<u32> = (first..=pages.len() as u32).collect();
        gaps.push(Gap {
            what: format!("the text from {} on", describe_pages(&unread[..1])),
            pages: unread,
            why,
            unread: true,
        });
    }
    for (page, cut) in cut_pages {
        gaps.push(Gap {
            pages: vec![page],
            what: format!("part of the text of page {page}"),
            why: cut_reason(cut, limits),
            unread: false,
        });
    }
    if doc.objects_cut() {
        // First, as the notice always listed it.
        gaps.insert(
            0,
            Gap {
                pages: Vec::new(),
                what: "some of the document's objects (fonts, drawings or pages may be missing)"
                    .into(),
                why: format!(
                    "its compressed object streams unpack to more than {} MiB",
                    packed_budget >> 20
                ),
                unread: false,
            },
        );
    }
    if interp.skipped.forms > 0 {
        gaps.push(Gap {
            pages: Vec::new(),
            what: format!(
                "{} drawing(s) nested too deeply or drawing themselves",
                interp.skipped.forms
            ),
            why: "they were skipped to keep the check finite".into(),
            unread: false,
        });
    }
    Ok(Extracted {
        pages,
        metadata,
        gaps,
    })
}

fn cut_reason(cut: Cut, limits: &Limits) -> String {
    let mib = |b: usize| b >> 20;
    match cut {
        Cut::StreamCap => format!(
            "a compressed part of the file unpacks to more than {} MiB",
            mib(limits.max_stream_bytes)
        ),
        Cut::DocumentCap => format!(
            "the file unpacks to more than {} MiB in total",
            mib(limits.max_document_bytes)
        ),
        Cut::Pool => "the server was checking many large files at once".into(),
        Cut::Time => "the check's time budget ran out".into(),
        Cut::Filter => "it uses a compression the checker does not read".into(),
    }
}

/// A page's content streams, decoded and joined.
fn page_content(doc: &Doc, decoder: &Decoder, page_id: ObjectId) -> Vec<u8> {
    // Decoded straight into one buffer: a page's content is held once, however many streams.
    let mut out = Vec::new();
    for id in doc.page_contents(page_id) {
        if let Some(Object::Stream(stream)) = doc.get_object(id) {
            if !out.is_empty() {
                out.reserve_exact(1);
                out.push(b'\n');
            }
            decoder.decode_into(stream, &mut out);
        }
    }
    out
}

/// Looks a key up on a page and then up its parents (bounded, the tree is untrusted).
fn inherited<'a>(doc: &'a Doc, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..64 {
        if let Ok(value) = node.get(key) {
            return deref(doc, value);
        }
        let parent = node.get(b"Parent").ok()?.as_reference().ok()?;
        node = doc.get_dictionary(parent)?;
    }
    None
}

type Rect = (f64, f64, f64, f64);

fn rect(object: &Object) -> Option<Rect> {
    let items = object.as_array().ok()?;
    let num = |o: &Object| match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    };
    if items.len() != 4 {
        return None;
    }
    let r = (
        num(&items[0])?,
        num(&items[1])?,
        num(&items[2])?,
        num(&items[3])?,
    );
    [r.0, r.1, r.2, r.3]
        .iter()
        .all(|v| v.is_finite())
        .then_some(r)
}

/// Follows one indirect reference.
pub(crate) fn deref<'a>(doc: &'a Doc, object: &'a Object) -> Option<&'a Object> {
    match object {
        Object::Reference(id) => doc.get_object(*id),
        other => Some(other),
    }
}
