//! Our own lazy PDF object reader: the cross-reference data (`xref`) is read up front, and an
//! object is parsed (`syntax`) only when the check first asks for it, then kept. A 4-page paper
//! has a few thousand objects of which the check needs a few hundred (pages, resources, fonts,
//! widths, ToUnicode maps, content streams); font programs, images, annotations and outlines are
//! never parsed, and object streams are unpacked only when one of their objects is needed.
//!
//! Objects are lopdf's [`Object`] values, so the rest of the checker reads them as before.
//! Encrypted files and files whose cross-reference data this reader cannot read are loaded by
//! lopdf instead ([`Doc::Loaded`]), which decrypts or refuses them as it always did.
//!
//! Caps: the file's entry count (`max_objects`), object-stream unpacking per stream
//! ([`MAX_OBJECT_STREAM`]) and per document (a quarter of the document budget), nesting depth in
//! `syntax`; an object stream beyond the caps is left unread and the load counts as cut.

pub(crate) mod loaded;
pub(crate) mod syntax;
pub(crate) mod xref;

use std::cell::{Cell, OnceCell};

use pdf_extract::{Dictionary, Document, Object, ObjectId};

use crate::format_check::reader::syntax::{Cursor, Ends};
use crate::format_check::reader::xref::{Entry, XrefError};
use crate::format_check::streams::Decoder;

/// Largest size one object stream may unpack to (real ones hold a few hundred kilobytes).
pub(crate) const MAX_OBJECT_STREAM: usize = 16 << 20;

/// Deepest chain of references followed for a page's `/Contents` (lopdf's limit).
const DEREF_LIMIT: usize = 128;
/// Deepest page tree followed (lopdf's limit).
const PAGE_TREE_DEPTH: usize = 256;

/// Why the lazy reader did not take a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OpenError {
    /// Encrypted, or cross-reference data it cannot read: lopdf's turn.
    NotMine,
    /// The file lists more objects than the check reads (the count).
    TooManyObjects(usize),
}

/// A document read lazily by us, or loaded whole by lopdf.
pub(crate) enum Doc<'a> {
    Lazy(Box<Lazy<'a>>),
    /// Loaded by lopdf, with whether an object stream was left unread for the caps.
    Loaded(Box<Document>, bool),
}

impl<'a> Doc<'a> {
    /// The object `id`, if the file has it.
    pub fn get_object(&self, id: ObjectId) -> Option<&Object> {
        match self {
            Doc::Lazy(lazy) => lazy.get(id),
            Doc::Loaded(doc, _) => doc.get_object(id).ok(),
        }
    }

    /// The dictionary `id` (a stream's dictionary too, as lopdf gives it).
    pub fn get_dictionary(&self, id: ObjectId) -> Option<&Dictionary> {
        match self.get_object(id)? {
            Object::Dictionary(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            _ => None,
        }
    }

    /// The (newest) trailer dictionary.
    pub fn trailer(&self) -> &Dictionary {
        match self {
            Doc::Lazy(lazy) => &lazy.trailer,
            Doc::Loaded(doc, _) => &doc.trailer,
        }
    }

    /// How many objects the file has (listed ones for a lazy document).
    pub fn object_count(&self) -> usize {
        match self {
            Doc::Lazy(lazy) => lazy.entries.len(),
            Doc::Loaded(doc, _) => doc.objects.len(),
        }
    }

    /// Whether an object stream was left unread for the caps (so far, for a lazy document).
    pub fn objects_cut(&self) -> bool {
        match self {
            Doc::Lazy(lazy) => lazy.packed_cut.get(),
            Doc::Loaded(_, cut) => *cut,
        }
    }

    /// The pages in order, walking the page tree as lopdf does (bounded in depth and steps).
    pub fn pages(&self) -> Vec<ObjectId> {
        if let Doc::Loaded(doc, _) = self {
            return doc.get_pages().into_values().collect();
        }
        let mut pages = Vec::new();
        let root = self
            .trailer()
            .get(b"Root")
            .ok()
            .and_then(|r| r.as_reference().ok())
            .and_then(|id| self.get_dictionary(id))
            .and_then(|catalog| catalog.get(b"Pages").ok())
            .and_then(|p| p.as_reference().ok());
        let Some(root) = root else {
            return pages;
        };
        let mut steps = self.object_count();
        let mut stack: Vec<&[Object]> = Vec::new();
        let mut kids = self.kids(root);
        loop {
            while let Some((kid, rest)) = kids.and_then(|k| k.split_first()) {
                if steps == 0 {
                    return pages;
                }
                steps -= 1;
                kids = Some(rest);
                let Ok(id) = kid.as_reference() else {
                    continue;
                };
                let kind = self
                    .get_dictionary(id)
                    .and_then(|d| d.get(b"Type").ok())
                    .and_then(|t| t.as_name().ok());
                match kind {
                    Some(b"Page") => pages.push(id),
                    Some(b"Pages") if stack.len() < PAGE_TREE_DEPTH => {
                        if !rest.is_empty() {
                            stack.push(rest);
                        }
                        kids = self.kids(id);
                    }
                    _ => {}
                }
            }
            match stack.pop() {
                Some(rest) => kids = Some(rest),
                None => return pages,
            }
        }
    }

    fn kids(&self, node: ObjectId) -> Option<&[Object]> {
        let kids = self.get_dictionary(node)?.get(b"Kids").ok()?;
        let kids = match kids {
            Object::Reference(id) => self.get_object(*id)?,
            other => other,
        };
        kids.as_array().ok().map(Vec::as_slice)
    }

    /// The ids of a page's content streams, as lopdf lists them.
    pub fn page_contents(&self, page: ObjectId) -> Vec<ObjectId> {
        if let Doc::Loaded(doc, _) = self {
            return doc.get_page_contents(page);
        }
        let mut streams = Vec::new();
        let Some(mut contents) = self
            .get_dictionary(page)
            .and_then(|p| p.get(b"Contents").ok())
        else {
            return streams;
        };
        let mut derefs = 0;
        loop {
            match contents {
                Object::Reference(id) => match self.get_object(*id) {
                    None | Some(Object::Stream(_)) => streams.push(*id),
                    Some(other) => {
                        derefs += 1;
                        if derefs < DEREF_LIMIT {
                            contents = other;
                            continue;
                        }
                    }
                },
                Object::Array(items) => {
                    streams.extend(items.iter().filter_map(|o| o.as_reference().ok()));
                }
                _ => {}
            }
            return streams;
        }
    }
}

/// An object stream, unpacked: its objects' numbers and where each starts in `data`.
struct Packed {
    data: Vec<u8>,
    objects: Vec<(u32, usize)>,
}

/// A document read lazily from its bytes.
pub(crate) struct Lazy<'a> {
    /// The file from its `%PDF-` header on (offsets count from there).
    data: &'a [u8],
    /// Sorted by object number.
    entries: Vec<(u32, Entry)>,
    /// The parsed object of each entry, once asked for.
    objects: Vec<OnceCell<Option<Object>>>,
    /// The unpacked object stream of each entry that is one, once asked for.
    packed: Vec<OnceCell<Option<Packed>>>,
    trailer: Dictionary,
    /// Where the file's `endstream` keywords are (for streams whose length must be measured).
    ends: Ends<'a>,
    /// The offsets of the listed objects, sorted: a stream's data ends before the next one.
    offsets: Vec<usize>,
    decoder: &'a Decoder,
    /// What object streams may still unpack to, what they did, and whether one was left unread.
    packed_left: Cell<usize>,
    packed_used: Cell<usize>,
    packed_cut: Cell<bool>,
}

impl<'a> Lazy<'a> {
    /// Reads the cross-reference data of `bytes`; object streams may unpack to
    /// `packed_budget` bytes in all (charged to `decoder`).
    pub fn open(
        bytes: &'a [u8],
        max_objects: usize,
        packed_budget: usize,
        decoder: &'a Decoder,
    ) -> Result<Self, OpenError> {
        let header = memchr::memmem::find(bytes, b"%PDF-").unwrap_or(0);
        let data = &bytes[header..];
        let ends = Ends::new(data);
        let xref = match xref::read(data, max_objects, &ends) {
            Ok(xref) => xref,
            Err(XrefError::TooMany(n)) => return Err(OpenError::TooManyObjects(n)),
            Err(XrefError::Unreadable) => return Err(OpenError::NotMine),
        };
        if xref.trailer.get(b"Encrypt").is_ok() {
            return Err(OpenError::NotMine);
        }
        let count = xref.entries.len();
        let mut offsets: Vec<usize> = xref
            .entries
            .iter()
            .filter_map(|(_, entry)| match entry {
                Entry::Offset(offset, _) => Some(*offset),
                Entry::Packed { .. } => None,
            })
            .collect();
        offsets.sort_unstable();
        Ok(Lazy {
            offsets,
            data,
            objects: (0..count).map(|_| OnceCell::new()).collect(),
            packed: (0..count).map(|_| OnceCell::new()).collect(),
            entries: xref.entries,
            trailer: xref.trailer,
            ends,
            decoder,
            packed_left: Cell::new(packed_budget),
            packed_used: Cell::new(0),
            packed_cut: Cell::new(false),
        })
    }

    /// (bytes object streams unpacked to, whether one was left unread for the caps).
    #[cfg(test)]
    pub fn packed_use(&self) -> (usize, bool) {
        (self.packed_used.get(), self.packed_cut.get())
    }

    fn slot(&self, number: u32) -> Option<usize> {
        self.entries.binary_search_by_key(&number, |(n, _)| *n).ok()
    }

    fn get(&self, id: ObjectId) -> Option<&Object> {
        let slot = self.slot(id.0)?;
        let generation = match self.entries[slot].1 {
            Entry::Offset(_, generation) => generation,
            Entry::Packed { .. } => 0,
        };
        if generation != id.1 {
            return None;
        }
        self.objects[slot].get_or_init(|| self.load(slot)).as_ref()
    }

    /// Parses the object of entry `slot`. An object in an object stream needs that stream,
    /// which must itself be at an offset: so loading never comes back to an entry being loaded.
    fn load(&self, slot: usize) -> Option<Object> {
        let (number, entry) = self.entries[slot];
        match entry {
            Entry::Offset(offset, generation) => self.at_offset(number, offset, generation),
            Entry::Packed { container, index } => {
                let container = self.slot(container)?;
                let packed = self.packed[container]
                    .get_or_init(|| self.unpack(container))
                    .as_ref()?;
                let start = match packed.objects.get(index as usize) {
                    Some(&(n, start)) if n == number => start,
                    _ => packed.objects.iter().find(|(n, _)| *n == number)?.1,
                };
                Cursor::new(&packed.data, start).object()
            }
        }
    }

    fn at_offset(&self, number: u32, offset: usize, generation: u16) -> Option<Object> {
        let next = self.offsets.partition_point(|&o| o <= offset);
        let limit = self.offsets.get(next).copied().unwrap_or(self.data.len());
        let (id, object) = syntax::indirect_object(self.data, offset, &self.ends, limit)?;
        (id == (number, generation)).then_some(object)
    }

    /// Unpacks the object stream of entry `slot` within the caps and reads its index.
    fn unpack(&self, slot: usize) -> Option<Packed> {
        let (number, entry) = self.entries[slot];
        let Entry::Offset(offset, generation) = entry else {
            return None;
        };
        let Some(Object::Stream(stream)) = self.at_offset(number, offset, generation) else {
            return None;
        };
        let dict = &stream.dict;
        if !matches!(dict.get(b"Type"), Ok(Object::Name(n)) if n == b"ObjStm") {
            return None;
        }
        let cap = self.packed_left.get().min(MAX_OBJECT_STREAM);
        let flate = matches!(dict.get(b"Filter"), Ok(Object::Name(n)) if n == b"FlateDecode")
            && dict.get(b"DecodeParms").is_err();
        let data = if flate {
            self.decoder.unpack_within(&stream.content, cap)
        } else if dict.get(b"Filter").is_err() && stream.content.len() <= cap {
            Some(stream.content)
        } else {
            None
        };
        let Some(data) = data else {
            self.packed_cut.set(true);
            return None;
        };
        self.packed_left
            .set(self.packed_left.get().saturating_sub(data.len()));
        self.packed_used.set(self.packed_used.get() + data.len());
        let _over = self.decoder.charge(data.len());
        let int = |key: &[u8]| match dict.get(key) {
            Ok(Object::Integer(n)) => usize::try_from(*n).ok(),
            _ => None,
        };
        let (count, first) = (int(b"N")?, int(b"First")?);
        let mut cursor = Cursor::new(&data, 0);
        let mut objects = Vec::with_capacity(count.min(data.len() / 2));
        for _ in 0..count {
            let (Some(n), Some(at)) = (cursor.unsigned(), cursor.unsigned()) else {
                break;
            };
            let (Ok(n), Some(at)) = (
                u32::try_from(n),
                usize::try_from(at).ok().and_then(|a| a.checked_add(first)),
            ) else {
                break;
            };
            objects.push((n, at));
        }
        Some(Packed { data, objects })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
