//! The second speed-up: run the whole document through pdf-extract as ONE page.
//!
//! pdf-extract empties its font cache at every page and so re-parses every font's ToUnicode
//! CMap on every page (about 70% of its time on pdfTeX papers). When font resource names mean the
//! same font everywhere in the document (pdfTeX always names fonts document-wide), we wrap each
//! page's content in a form XObject and draw all forms on the first page, page *i* shifted down
//! by `i × PAGE_STRIDE`. The collector maps each character back to its page by that shift.
//! If names are not consistent, or the merged run fails, extraction goes page by page instead.

use std::collections::BTreeMap;

use pdf_extract::{Dictionary, Document, Object, ObjectId, Stream};

use crate::format_check::extract::deref;

/// Vertical distance between consecutive pages in the merged drawing, in points.
pub(crate) const PAGE_STRIDE: f64 = 1_000_000.0;

/// A media box: (llx, lly, urx, ury).
pub(crate) type Rect = (f64, f64, f64, f64);

/// Rewrites the first page to draw every page; returns each page's media box and the first
/// page's id and original dictionary (to undo), or `None` when merging would be unsafe.
pub(crate) fn merge_pages(
    doc: &mut Document,
    pages: &BTreeMap<u32, ObjectId>,
) -> Option<(Vec<Rect>, ObjectId, Dictionary)> {
    if pages.len() < 2 || !resource_names_consistent(doc) {
        return None;
    }
    // pdf-extract starts every form XObject with a fresh graphics state, so a form cannot be
    // shifted by the caller: splice the pages' content streams themselves, each in q ... Q.
    let mut drawing: Vec<u8> = Vec::new();
    let mut boxes = Vec::with_capacity(pages.len());
    let mut union: BTreeMap<Vec<u8>, Dictionary> = BTreeMap::new();
    for (index, &page_id) in pages.values().enumerate() {
        let page = doc.get_dictionary(page_id).ok()?;
        let media = inherited(doc, page, b"MediaBox").and_then(rect)?;
        if let Some(resources) = inherited(doc, page, b"Resources").and_then(|r| r.as_dict().ok()) {
            for (category, entries) in resources.iter() {
                let Some(entries) = deref(doc, entries).and_then(|e| e.as_dict().ok()) else {
                    continue;
                };
                let merged = union.entry(category.clone()).or_default();
                for (name, value) in entries.iter() {
                    merged.set(name.clone(), value.clone());
                }
            }
        }
        let content = doc.get_page_content(page_id).ok()?;
        drawing.extend_from_slice(
            format!("q 1 0 0 1 0 {} cm\n", -(index as f64) * PAGE_STRIDE).as_bytes(),
        );
        drawing.extend_from_slice(&content);
        drawing.extend_from_slice(b"\nQ\n");
        boxes.push(media);
    }
    let mut resources = Dictionary::new();
    for (category, entries) in union {
        resources.set(category, Object::Dictionary(entries));
    }
    let first_id = *pages.values().next()?;
    let contents_id = doc.add_object(Object::Stream(Stream::new(Dictionary::new(), drawing)));
    let first = doc.get_object_mut(first_id).ok()?.as_dict_mut().ok()?;
    let original = first.clone();
    first.set("Contents", Object::Reference(contents_id));
    first.set("Resources", Object::Dictionary(resources));
    Some((boxes, first_id, original))
}

/// Whether every named resource (fonts, XObjects, graphics states, ...) refers to the same object
/// wherever the name is used, so that one merged resource dictionary serves all pages.
fn resource_names_consistent(doc: &Document) -> bool {
    let mut seen: BTreeMap<(Vec<u8>, Vec<u8>), Object> = BTreeMap::new();
    for object in doc.objects.values() {
        let dict = match object {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &s.dict,
            _ => continue,
        };
        let Some(resources) = dict
            .get(b"Resources")
            .ok()
            .and_then(|r| deref(doc, r))
            .and_then(|r| r.as_dict().ok())
        else {
            continue;
        };
        for (category, entries) in resources.iter() {
            let Some(entries) = deref(doc, entries).and_then(|e| e.as_dict().ok()) else {
                continue;
            };
            for (name, value) in entries.iter() {
                let key = (category.clone(), name.clone());
                if *seen.entry(key).or_insert_with(|| value.clone()) != *value {
                    return false;
                }
            }
        }
    }
    true
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
    Some((
        num(&items[0])?,
        num(&items[1])?,
        num(&items[2])?,
        num(&items[3])?,
    ))
}
