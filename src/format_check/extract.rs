//! Turning PDF bytes into positioned characters, page by page: lopdf (re-exported by
//! pdf-extract) parses the file structure, our interpreter (`interp`, with `lexer`, `font`,
//! `cmap`, `encoding`) reads the content, `streams` decodes every stream within the budgets.
//! Also reads the document metadata (Info dictionary and XMP).
//!
//! Only the file structure can make extraction fail (not a PDF, encrypted, unparseable).
//! Whatever stops reading later (a budget, a cap) leaves what was read and a [`Gap`] saying
//! what was not, so the check can report "checked partly". Layout analysis lives in `layout`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

use pdf_extract::{Dictionary, Document, LoadOptions, Object, ObjectId};

use crate::format_check::interp::{Interp, Stop};
use crate::format_check::lengths::direct_lengths;
use crate::format_check::metadata::{XMP_CAP, read_metadata};
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
    let options = LoadOptions {
        filter: Some(load_filter),
        ..LoadOptions::default()
    };
    ObjectStreams::start(limits.max_document_bytes / 4);
    let loaded = catch_unwind(AssertUnwindSafe(|| {
        Document::load_mem_with_options(&direct_lengths(bytes), options)
    }));
    let (object_stream_bytes, object_streams_cut) = ObjectStreams::finish();
    let doc = match loaded {
        Ok(Ok(doc)) => doc,
        Ok(Err(err)) => return Err(classify_load_error(bytes, &err.to_string())),
        Err(_) => return Err(ExtractError::Corrupt("the PDF structure is damaged".into())),
    };
    if doc.trailer.get(b"Encrypt").is_ok() && doc.is_encrypted() {
        return Err(ExtractError::Encrypted);
    }
    if doc.objects.len() > limits.max_objects {
        return Err(ExtractError::TooComplex(format!(
            "it has {} objects (the limit is {})",
            doc.objects.len(),
            limits.max_objects
        )));
    }
    let page_map = doc.get_pages();
    if page_map.is_empty() && object_streams_cut {
        return Err(ExtractError::TooComplex(format!(
            "its compressed object streams unpack to more than {} MiB",
            (limits.max_document_bytes / 4) >> 20
        )));
    }
    if page_map.is_empty() {
        return Err(ExtractError::Corrupt(
            "the PDF has no readable pages".into(),
        ));
    }
    let decoder = Decoder::new(
        limits.max_stream_bytes,
        limits.max_document_bytes,
        limits.max_pool_bytes,
        budget,
    );
    let mut gaps = Vec::new();
    // The unpacked object streams stay in the document, so they count against its budgets
    // (going over makes the reading of content cut, which is reported where it happens).
    let _over = decoder.charge(object_stream_bytes);
    if object_streams_cut {
        gaps.push(Gap {
            pages: Vec::new(),
            what: "some of the document's objects (fonts, drawings or pages may be missing)".into(),
            why: format!(
                "its compressed object streams unpack to more than {} MiB",
                (limits.max_document_bytes / 4) >> 20
            ),
            unread: false,
        });
    }
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
    let mut pages = Vec::with_capacity(page_map.len());
    let mut stopped: Option<(u32, String)> = None;
    let mut cut_pages: Vec<(u32, Cut)> = Vec::new();
    let empty = Dictionary::new();
    for (index, &page_id) in page_map.values().enumerate() {
        let number = index as u32 + 1;
        let dict = doc.get_dictionary(page_id).ok();
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

/// Runs on every object while lopdf loads the file: images are emptied (they never hold text),
/// and object streams are unpacked here, once, within [`OBJECT_STREAMS`] (a cap per stream and
/// one on their sum per document), so lopdf, which would unpack them without a cap, finds them
/// unpacked; one beyond the caps is emptied and the load counts as cut. lopdf 0.42 keeps the
/// (changed) object itself for objects read from the file and uses the returned one only for
/// objects inside object streams, which are never streams: so streams are changed in place and
/// other objects returned as they are.
fn load_filter(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    let Object::Stream(stream) = object else {
        return Some((id, object.clone()));
    };
    let kind = |dict: &Dictionary, key: &[u8], value: &[u8]| matches!(dict.get(key), Ok(Object::Name(n)) if n == value);
    if kind(&stream.dict, b"Subtype", b"Image") {
        stream.content.clear();
        stream.dict.remove(b"Filter");
        stream.dict.remove(b"DecodeParms");
    } else if kind(&stream.dict, b"Type", b"ObjStm") {
        OBJECT_STREAMS.with(|budget| budget.unpack(stream));
    }
    Some((id, Object::Null))
}

/// Largest size one object stream may unpack to (real ones hold a few hundred kilobytes).
const MAX_OBJECT_STREAM: usize = 16 << 20;

thread_local! {
    /// What the object streams of the document being loaded on this thread may still unpack
    /// to. A check loads on its own thread, one document at a time ([`ObjectStreams::start`]).
    static OBJECT_STREAMS: ObjectStreams = const { ObjectStreams {
        left: std::cell::Cell::new(0),
        used: std::cell::Cell::new(0),
        cut: std::cell::Cell::new(false),
    } };
}

/// The object-stream budget of one load.
struct ObjectStreams {
    left: std::cell::Cell<usize>,
    used: std::cell::Cell<usize>,
    cut: std::cell::Cell<bool>,
}

impl ObjectStreams {
    /// Starts a load that may unpack `total` bytes of object streams.
    fn start(total: usize) {
        OBJECT_STREAMS.with(|b| {
            b.left.set(total);
            b.used.set(0);
            b.cut.set(false);
        });
    }

    /// (bytes unpacked, whether an object stream was emptied) since [`ObjectStreams::start`].
    fn finish() -> (usize, bool) {
        OBJECT_STREAMS.with(|b| (b.used.get(), b.cut.get()))
    }

    /// Unpacks a Flate object stream in place (or empties it when it is beyond the caps or
    /// compressed otherwise: real files use Flate only).
    fn unpack(&self, stream: &mut pdf_extract::Stream) {
        let cap = self.left.get().min(MAX_OBJECT_STREAM);
        let flate = matches!(stream.dict.get(b"Filter"), Ok(Object::Name(n)) if n == b"FlateDecode")
            && stream.dict.get(b"DecodeParms").is_err();
        let unpacked = if flate {
            inflate_within(&stream.content, cap)
        } else if stream.dict.get(b"Filter").is_err() && stream.content.len() <= cap {
            return self.charge(stream.content.len());
        } else {
            None
        };
        match unpacked {
            Some(data) => {
                self.charge(data.len());
                stream.dict.remove(b"Filter");
                stream.content = data;
            }
            None => {
                self.cut.set(true);
                stream.content.clear();
                stream.dict.remove(b"Filter");
            }
        }
    }

    fn charge(&self, n: usize) {
        self.left.set(self.left.get().saturating_sub(n));
        self.used.set(self.used.get() + n);
    }
}

/// The zlib data `data` unpacked, if it unpacks to at most `cap` bytes (a damaged end keeps
/// what came before it).
fn inflate_within(data: &[u8], cap: usize) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::with_capacity(data.len().saturating_mul(4).min(cap));
    let mut limited = flate2::read::ZlibDecoder::new(data).take(cap as u64 + 1);
    let _ = limited.read_to_end(&mut out);
    (out.len() <= cap).then_some(out)
}

/// A page's content streams, decoded and joined.
fn page_content(doc: &Document, decoder: &Decoder, page_id: ObjectId) -> Vec<u8> {
    // Decoded straight into one buffer: a page's content is held once, however many streams.
    let mut out = Vec::new();
    for id in doc.get_page_contents(page_id) {
        if let Ok(Object::Stream(stream)) = doc.get_object(id) {
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
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..64 {
        if let Ok(value) = node.get(key) {
            return deref(doc, value);
        }
        let parent = node.get(b"Parent").ok()?.as_reference().ok()?;
        node = doc.get_dictionary(parent).ok()?;
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

/// Follows one indirect reference.
pub(crate) fn deref<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Object> {
    match object {
        Object::Reference(id) => doc.get_object(*id).ok(),
        other => Some(other),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use std::io::Write;

    use super::*;

    fn object_stream(unpacked: usize) -> pdf_extract::Stream {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(&vec![b' '; unpacked]).unwrap();
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"ObjStm".to_vec()));
        dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        pdf_extract::Stream::new(dict, z.finish().unwrap())
    }

    #[test]
    fn object_streams_are_unpacked_once_within_the_sum_cap_of_the_document() {
        ObjectStreams::start(1 << 20);
        let mut streams: Vec<Object> = (0..3)
            .map(|_| Object::Stream(object_stream(400 << 10)))
            .collect();
        for (i, stream) in streams.iter_mut().enumerate() {
            load_filter((i as u32 + 1, 0), stream);
        }
        let (used, cut) = ObjectStreams::finish();
        assert_eq!(used, 800 << 10, "two fit under the 1 MiB cap");
        assert!(cut, "the third is beyond the sum cap");
        let contents: Vec<usize> = streams
            .iter()
            .map(|s| s.as_stream().unwrap().content.len())
            .collect();
        assert_eq!(contents, vec![400 << 10, 400 << 10, 0]);
        for s in &streams {
            // Unpacked (or emptied): lopdf finds no filter and unpacks nothing again.
            assert!(s.as_stream().unwrap().dict.get(b"Filter").is_err());
        }
    }
}
