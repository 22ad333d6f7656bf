//! The fallback: files the lazy reader does not take (encrypted ones, which lopdf decrypts when
//! the empty password opens them, and cross-reference data it cannot read) are loaded whole by
//! lopdf as before, within the same caps: images emptied while loading, object streams unpacked
//! once by us within a cap per stream and one per document, and stream lengths written as
//! references made direct first (`lengths`).

use std::panic::{AssertUnwindSafe, catch_unwind};

use pdf_extract::{Dictionary, Document, LoadOptions, Object, ObjectId};

use crate::format_check::extract::ExtractError;
use crate::format_check::lengths::direct_lengths;
use crate::format_check::reader::MAX_OBJECT_STREAM;
use crate::format_check::reader::xref::inflate_within;
use crate::format_check::rules::Limits;
use crate::format_check::streams::Decoder;

/// Loads `bytes` with lopdf. Returns the document and whether an object stream was left unread
/// for the caps; the unpacked object streams are charged to `decoder`.
pub(crate) fn load(
    bytes: &[u8],
    limits: &Limits,
    decoder: &Decoder,
) -> Result<(Document, bool), ExtractError> {
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
    // The unpacked object streams stay in the document, so they count against its budgets
    // (going over makes the reading of content cut, which is reported where it happens).
    let _over = decoder.charge(object_stream_bytes);
    Ok((doc, object_streams_cut))
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use std::io::Write;

    use super::*;
    use pdf_extract::Stream;

    fn object_stream(unpacked: usize) -> Stream {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(&vec![b' '; unpacked]).unwrap();
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"ObjStm".to_vec()));
        dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        Stream::new(dict, z.finish().unwrap())
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
