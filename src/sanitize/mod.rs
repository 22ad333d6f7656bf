//! Reviewer copies of submitted PDFs: PDF bytes in, a rewritten copy out, without the author's
//! identity in the file's metadata and without active content, plus a summary of what was
//! removed (shown to the author beside the format report).
//!
//! Pure: no database, web or storage. The web layer makes the copy once per version and
//! caches it; authors and chairs keep the original.
//!
//! What goes: the document information dictionary (Author, Creator, Producer, Subject,
//! Keywords, Title, dates), XMP metadata streams anywhere in the file and application private
//! data (`/PieceInfo`); document-, page-, annotation- and field-level actions (`/OpenAction`,
//! `/AA`, JavaScript, Launch, URI, SubmitForm, ImportData, remote go-to, …) and the JavaScript
//! names tree; embedded files, associated files, file-attachment and multimedia annotations,
//! XFA forms. Links to external URLs stay as plain annotations without an action. Internal
//! links (go-to a page of the same document), page content streams, fonts and images are
//! untouched, so pages and text are unchanged.
//!
//! What does not: text in the pages themselves (the format check's anonymity rule warns the
//! author about names there).

mod walk;

#[cfg(test)]
mod test_pdf;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use pdf_extract::{Dictionary, Document, Object};
use serde::{Deserialize, Serialize};

/// Why no copy could be made. The web layer must then serve nothing rather than the original.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SanitizeError {
    #[error("the PDF could not be read: {0}")]
    Unreadable(String),
    #[error("the PDF is encrypted")]
    Encrypted,
    #[error("the PDF has too many objects to rewrite ({0})")]
    TooComplex(usize),
    #[error("the rewritten PDF could not be written: {0}")]
    Write(String),
}

/// A rewritten copy and what was taken out of it.
#[derive(Debug, Clone)]
pub struct Sanitized {
    pub bytes: Vec<u8>,
    pub removed: Removed,
}

/// What the reviewers' copy lacks compared with the author's file. Counts by kind, so the
/// author's report can say it in a sentence each.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removed {
    /// Non-empty fields of the document information dictionary (Author, Creator, …).
    pub info_fields: Vec<String>,
    /// XMP metadata streams (document, page or object level).
    pub xmp_streams: u32,
    /// Application private data dictionaries (`/PieceInfo`).
    pub private_data: u32,
    /// Actions by kind: "open action", "JavaScript", "URI", "Launch", "SubmitForm", ….
    pub actions: BTreeMap<String, u32>,
    /// Embedded or associated files.
    pub embedded_files: u32,
    /// Annotations taken out by subtype (FileAttachment, Sound, Movie, Screen, RichMedia, 3D).
    pub annotations: BTreeMap<String, u32>,
    /// Links to external addresses kept as plain annotations without their action.
    pub external_links: u32,
    /// Interactive form scripts and XFA data.
    pub form_scripts: u32,
}

impl Removed {
    /// Whether the copy differs from the original in anything the author should hear about.
    pub fn is_empty(&self) -> bool {
        self.describe().is_empty()
    }

    /// One sentence per kind of removal, for the author's report.
    pub fn describe(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if !self.info_fields.is_empty() {
            lines.push(format!(
                "Document information fields: {}.",
                self.info_fields.join(", ")
            ));
        }
        if self.xmp_streams > 0 {
            lines.push(format!(
                "XMP metadata ({}).",
                plural(self.xmp_streams, "stream", "streams")
            ));
        }
        if self.private_data > 0 {
            lines.push(format!(
                "Application private data ({}).",
                plural(self.private_data, "dictionary", "dictionaries")
            ));
        }
        if !self.actions.is_empty() {
            let kinds: Vec<String> = self
                .actions
                .iter()
                .map(|(kind, n)| format!("{kind} ×{n}"))
                .collect();
            lines.push(format!(
                "Actions a PDF reader would run: {}.",
                kinds.join(", ")
            ));
        }
        if self.embedded_files > 0 {
            lines.push(format!(
                "Embedded files ({}).",
                plural(self.embedded_files, "file", "files")
            ));
        }
        if !self.annotations.is_empty() {
            let kinds: Vec<String> = self
                .annotations
                .iter()
                .map(|(kind, n)| format!("{kind} ×{n}"))
                .collect();
            lines.push(format!("Annotations: {}.", kinds.join(", ")));
        }
        if self.external_links > 0 {
            lines.push(format!(
                "{} to external addresses no longer open anything (the link areas remain).",
                plural(self.external_links, "link", "links")
            ));
        }
        if self.form_scripts > 0 {
            lines.push(format!(
                "Form scripts and XFA data ({}).",
                plural(self.form_scripts, "item", "items")
            ));
        }
        lines
    }

    fn action(&mut self, kind: &str) {
        *self.actions.entry(kind.to_string()).or_insert(0) += 1;
    }
}

fn plural(n: u32, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Objects beyond which rewriting is refused (the format check's own cap is far lower).
pub const MAX_OBJECTS: usize = 2_000_000;

/// Makes the reviewers' copy of `pdf`. Never panics; deterministic for the same input.
pub fn sanitize(pdf: &[u8]) -> Result<Sanitized, SanitizeError> {
    match catch_unwind(AssertUnwindSafe(|| sanitize_inner(pdf))) {
        Ok(result) => result,
        Err(_) => Err(SanitizeError::Unreadable(
            "the PDF structure is damaged".into(),
        )),
    }
}

fn sanitize_inner(pdf: &[u8]) -> Result<Sanitized, SanitizeError> {
    let mut doc = Document::load_mem(pdf).map_err(|e| SanitizeError::Unreadable(e.to_string()))?;
    // lopdf decrypts files opened with the empty user password and drops the encryption
    // dictionary; one that is still there needs a password we do not have.
    if doc.trailer.get(b"Encrypt").is_ok() && doc.is_encrypted() {
        return Err(SanitizeError::Encrypted);
    }
    if doc.objects.len() > MAX_OBJECTS {
        return Err(SanitizeError::TooComplex(doc.objects.len()));
    }
    let mut removed = Removed::default();
    let root = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|_| SanitizeError::Unreadable("the PDF has no document catalog".into()))?;
    removed.info_fields = info_fields(&doc);
    doc.trailer = fresh_trailer(&doc.trailer);
    walk::clean_catalog(&mut doc, root, &mut removed);
    walk::clean_objects(&mut doc, &mut removed);
    walk::prune_unreachable(&mut doc);
    doc.reference_table.cross_reference_type = pdf_extract::xref::XrefType::CrossReferenceTable;
    let mut bytes = Vec::with_capacity(pdf.len());
    doc.save_to(&mut bytes)
        .map_err(|e| SanitizeError::Write(e.to_string()))?;
    Ok(Sanitized { bytes, removed })
}

/// The trailer of the copy: the catalog and the file identifier only. Info, Encrypt and the
/// pointers into the original file's revisions (Prev, XRefStm) go.
fn fresh_trailer(old: &Dictionary) -> Dictionary {
    let mut trailer = Dictionary::new();
    for key in [b"Root".as_slice(), b"ID".as_slice()] {
        if let Ok(value) = old.get(key) {
            trailer.set(key.to_vec(), value.clone());
        }
    }
    trailer
}

/// The names of the Info dictionary's non-empty entries, in file order.
fn info_fields(doc: &Document) -> Vec<String> {
    let Ok(info) = doc.trailer.get(b"Info") else {
        return Vec::new();
    };
    let dict = match info {
        Object::Reference(id) => doc.get_dictionary(*id).ok(),
        Object::Dictionary(d) => Some(d),
        _ => None,
    };
    let Some(dict) = dict else {
        return Vec::new();
    };
    dict.iter()
        .filter(|(_, value)| !matches!(value, Object::String(s, _) if s.is_empty()))
        .map(|(key, _)| String::from_utf8_lossy(key).into_owned())
        .collect()
}
