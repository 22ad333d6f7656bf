//! The rewriting itself: the catalog's document-level entries first, then every object still
//! reachable from the trailer, each visited once, with dangerous entries taken out *before*
//! its references are followed, so what was cut off is never visited, counted or kept.

use std::collections::{HashSet, VecDeque};

use pdf_extract::{Dictionary, Document, Object, ObjectId};

use super::Removed;

/// Action types kept: a jump within the same document.
const SAFE_ACTION: &[u8] = b"GoTo";

/// Action types that are never kept (the full list of PDF 2.0 action types but GoTo).
const ACTION_TYPES: &[&[u8]] = &[
    b"GoToR",
    b"GoToE",
    b"GoToDp",
    b"Launch",
    b"Thread",
    b"URI",
    b"Sound",
    b"Movie",
    b"Hide",
    b"Named",
    b"SubmitForm",
    b"ResetForm",
    b"ImportData",
    b"SetOCGState",
    b"Rendition",
    b"Trans",
    b"GoTo3DView",
    b"JavaScript",
    b"RichMediaExecute",
];

/// Annotation subtypes removed from pages: they carry files or play media.
const ACTIVE_ANNOTATIONS: &[&[u8]] = &[
    b"FileAttachment",
    b"Sound",
    b"Movie",
    b"Screen",
    b"RichMedia",
    b"3D",
];

/// Keys of an active annotation that hold its payload.
const ANNOTATION_PAYLOAD: &[&[u8]] = &[
    b"FS",
    b"Sound",
    b"Movie",
    b"RichMediaContent",
    b"RichMediaSettings",
    b"3DD",
    b"3DA",
    b"3DV",
];

/// Deeper nesting than this inside one object is cut off (parsers of hostile files recurse).
const MAX_DEPTH: usize = 64;

/// Counting state: objects already counted, so a stream shared by many pages counts once.
struct Cleaner<'a> {
    removed: &'a mut Removed,
    counted: HashSet<ObjectId>,
}

impl Cleaner<'_> {
    fn first_time(&mut self, value: &Object) -> bool {
        match value {
            Object::Reference(id) => self.counted.insert(*id),
            _ => true,
        }
    }
}

/// Document-level entries of the catalog and its names dictionary.
pub(super) fn clean_catalog(doc: &mut Document, root: ObjectId, removed: &mut Removed) {
    let names_ref = {
        let Some(catalog) = doc.objects.get(&root).and_then(|o| o.as_dict().ok()) else {
            return;
        };
        match catalog.get(b"Names") {
            Ok(Object::Reference(id)) => Some(*id),
            _ => None,
        }
    };
    if let Some(id) = names_ref
        && let Some(mut names) = doc.objects.remove(&id)
    {
        if let Ok(dict) = names.as_dict_mut() {
            clean_names(dict, doc, removed);
        }
        doc.objects.insert(id, names);
    }
    let Some(mut catalog) = doc.objects.remove(&root) else {
        return;
    };
    if let Ok(dict) = catalog.as_dict_mut() {
        if let Some(action) = dict.remove(b"OpenAction") {
            match resolve(doc, &action) {
                // An array is a destination: "open at page N", which is harmless.
                Some(Object::Array(_)) => {
                    dict.set("OpenAction", action);
                }
                _ => {
                    if is_safe_action(doc, &action) {
                        dict.set("OpenAction", action);
                    } else {
                        record_chain(doc, &action, removed, 0);
                    }
                }
            }
        }
        if let Ok(Object::Dictionary(names)) = dict.get_mut(b"Names") {
            clean_names(names, doc, removed);
        }
        for key in [b"URI".as_slice(), b"Collection".as_slice()] {
            dict.remove(key);
        }
    }
    doc.objects.insert(root, catalog);
}

fn clean_names(names: &mut Dictionary, doc: &Document, removed: &mut Removed) {
    if let Some(tree) = names.remove(b"JavaScript") {
        let n = count_tree_entries(doc, &tree, 0).max(1);
        *removed
            .actions
            .entry("document JavaScript".into())
            .or_insert(0) += n;
    }
    if let Some(tree) = names.remove(b"EmbeddedFiles") {
        removed.embedded_files += count_tree_entries(doc, &tree, 0).max(1);
    }
    if names.remove(b"AlternatePresentations").is_some() {
        removed.action("alternate presentation");
    }
}

/// Leaf entries of a name tree (pairs in `/Names` arrays), bounded in depth.
fn count_tree_entries(doc: &Document, node: &Object, depth: usize) -> u32 {
    if depth > MAX_DEPTH {
        return 0;
    }
    let Some(Object::Dictionary(dict)) = resolve(doc, node) else {
        return 0;
    };
    let own = match dict.get(b"Names").ok().and_then(|n| resolve(doc, n)) {
        Some(Object::Array(items)) => u32::try_from(items.len() / 2).unwrap_or(u32::MAX),
        _ => 0,
    };
    let kids = match dict.get(b"Kids").ok().and_then(|k| resolve(doc, k)) {
        Some(Object::Array(kids)) => kids
            .iter()
            .map(|kid| count_tree_entries(doc, kid, depth + 1))
            .sum(),
        _ => 0,
    };
    own.saturating_add(kids)
}

/// Visits every object reachable from the trailer once, cleaning it before following its
/// references.
pub(super) fn clean_objects(doc: &mut Document, removed: &mut Removed) {
    let mut cleaner = Cleaner {
        removed,
        counted: HashSet::new(),
    };
    let mut seen: HashSet<ObjectId> = HashSet::new();
    let mut queue: VecDeque<ObjectId> = VecDeque::new();
    let mut trailer_refs = Vec::new();
    collect_refs(
        &Object::Dictionary(doc.trailer.clone()),
        &mut trailer_refs,
        0,
    );
    for id in trailer_refs {
        if seen.insert(id) {
            queue.push_back(id);
        }
    }
    while let Some(id) = queue.pop_front() {
        let Some(mut object) = doc.objects.remove(&id) else {
            continue;
        };
        clean_value(&mut object, doc, &mut cleaner, 0);
        let mut refs = Vec::new();
        collect_refs(&object, &mut refs, 0);
        doc.objects.insert(id, object);
        for next in refs {
            if seen.insert(next) {
                queue.push_back(next);
            }
        }
    }
}

/// Drops every object the cleaned trailer no longer reaches (old actions, XMP, files).
pub(super) fn prune_unreachable(doc: &mut Document) {
    let mut seen: HashSet<ObjectId> = HashSet::new();
    let mut stack = Vec::new();
    collect_refs(&Object::Dictionary(doc.trailer.clone()), &mut stack, 0);
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        if let Some(object) = doc.objects.get(&id) {
            collect_refs(object, &mut stack, 0);
        }
    }
    doc.objects.retain(|id, _| seen.contains(id));
}

fn collect_refs(object: &Object, out: &mut Vec<ObjectId>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match object {
        Object::Reference(id) => out.push(*id),
        Object::Array(items) => items.iter().for_each(|i| collect_refs(i, out, depth + 1)),
        Object::Dictionary(dict) => dict
            .iter()
            .for_each(|(_, v)| collect_refs(v, out, depth + 1)),
        Object::Stream(stream) => stream
            .dict
            .iter()
            .for_each(|(_, v)| collect_refs(v, out, depth + 1)),
        _ => {}
    }
}

fn clean_value(object: &mut Object, doc: &Document, cleaner: &mut Cleaner<'_>, depth: usize) {
    if depth > MAX_DEPTH {
        *object = Object::Null;
        return;
    }
    match object {
        Object::Array(items) => {
            for item in items.iter_mut() {
                clean_value(item, doc, cleaner, depth + 1);
            }
        }
        Object::Dictionary(dict) => clean_dict(dict, doc, cleaner, depth),
        Object::Stream(stream) => clean_dict(&mut stream.dict, doc, cleaner, depth),
        _ => {}
    }
}

fn clean_dict(dict: &mut Dictionary, doc: &Document, cleaner: &mut Cleaner<'_>, depth: usize) {
    // An action dictionary reached some other way than the keys below (a structure element's
    // object reference, say) is emptied rather than followed.
    if is_action_dict(dict) && !is_safe_action_dict(dict) {
        *dict = Dictionary::new();
        return;
    }
    // Outline items also have /Next (their next sibling): only an action's is a chain.
    if is_action_dict(dict)
        && let Some(next) = dict.remove(b"Next")
    {
        record_chain(doc, &next, cleaner.removed, 0);
    }
    if let Some(aa) = dict.remove(b"AA") {
        if let Some(Object::Dictionary(triggers)) = resolve(doc, &aa) {
            for (_, action) in triggers.iter() {
                record_chain(doc, action, cleaner.removed, 0);
            }
        } else {
            cleaner.removed.action("additional actions");
        }
    }
    if let Some(action) = dict.remove(b"A") {
        let is_link = dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Link");
        if is_safe_action(doc, &action) {
            dict.set("A", action);
        } else if is_link && action_type(doc, &action) == Some(b"URI".to_vec()) {
            cleaner.removed.external_links += 1;
            // The rest of a chain after the URI still counts as removed actions.
            if let Some(Object::Dictionary(a)) = resolve(doc, &action)
                && let Ok(next) = a.get(b"Next")
            {
                record_chain(doc, next, cleaner.removed, 0);
            }
        } else {
            record_chain(doc, &action, cleaner.removed, 0);
        }
    }
    if let Some(meta) = dict.remove(b"Metadata")
        && cleaner.first_time(&meta)
    {
        cleaner.removed.xmp_streams += 1;
    }
    if let Some(info) = dict.remove(b"PieceInfo")
        && cleaner.first_time(&info)
    {
        cleaner.removed.private_data += 1;
    }
    for key in [b"AF".as_slice(), b"EF".as_slice(), b"RF".as_slice()] {
        if let Some(files) = dict.remove(key)
            && cleaner.first_time(&files)
        {
            cleaner.removed.embedded_files += match resolve(doc, &files) {
                Some(Object::Array(items)) => u32::try_from(items.len()).unwrap_or(u32::MAX),
                _ => 1,
            };
        }
    }
    if dict.remove(b"XFA").is_some() {
        cleaner.removed.form_scripts += 1;
    }
    if active_annotation(dict).is_some() {
        // Reached outside a page's /Annots (from the structure tree): keep an inert shell.
        for key in ANNOTATION_PAYLOAD {
            dict.remove(key);
        }
        dict.set("Rect", Object::Array(vec![Object::Integer(0); 4]));
    }
    if dict.has(b"Annots") {
        filter_annotations(dict, doc, cleaner);
    }
    for (_, value) in dict.iter_mut() {
        clean_value(value, doc, cleaner, depth + 1);
    }
}

/// Takes file-attachment and multimedia annotations out of a page's /Annots (made direct).
fn filter_annotations(page: &mut Dictionary, doc: &Document, cleaner: &mut Cleaner<'_>) {
    let Some(annots) = page.get(b"Annots").ok().and_then(|a| resolve(doc, a)) else {
        return;
    };
    let Object::Array(items) = annots else {
        return;
    };
    let mut kept = Vec::with_capacity(items.len());
    for item in items {
        let subtype = match resolve(doc, item) {
            Some(Object::Dictionary(d)) => active_annotation(d),
            _ => None,
        };
        match subtype {
            Some(kind) => {
                if cleaner.first_time(item) {
                    *cleaner.removed.annotations.entry(kind.clone()).or_insert(0) += 1;
                    if kind == "FileAttachment" {
                        cleaner.removed.embedded_files += 1;
                    }
                }
            }
            None => kept.push(item.clone()),
        }
    }
    page.set("Annots", Object::Array(kept));
}

fn active_annotation(dict: &Dictionary) -> Option<String> {
    let subtype = dict.get(b"Subtype").and_then(Object::as_name).ok()?;
    ACTIVE_ANNOTATIONS
        .contains(&subtype)
        .then(|| String::from_utf8_lossy(subtype).into_owned())
}

/// Follows a reference (one level is all PDF allows for these entries).
fn resolve<'a>(doc: &'a Document, value: &'a Object) -> Option<&'a Object> {
    match value {
        Object::Reference(id) => doc.objects.get(id),
        other => Some(other),
    }
}

fn action_type(doc: &Document, action: &Object) -> Option<Vec<u8>> {
    match resolve(doc, action)? {
        Object::Dictionary(d) => d
            .get(b"S")
            .and_then(Object::as_name)
            .ok()
            .map(<[u8]>::to_vec),
        _ => None,
    }
}

fn is_action_dict(dict: &Dictionary) -> bool {
    if dict.has(b"JS") {
        return true;
    }
    // Structure elements also have /S (their role) and always /K or /P; actions have neither.
    let looks_structural = dict.has(b"K") || dict.has(b"P") || dict.has_type(b"StructElem");
    match dict.get(b"S").and_then(Object::as_name) {
        Ok(s) => !looks_structural && (ACTION_TYPES.contains(&s) || dict.has_type(b"Action")),
        Err(_) => false,
    }
}

fn is_safe_action_dict(dict: &Dictionary) -> bool {
    dict.get(b"S").and_then(Object::as_name).ok() == Some(SAFE_ACTION)
        && !dict.has(b"Next")
        && !dict.has(b"JS")
}

/// A go-to within the document with nothing chained after it.
fn is_safe_action(doc: &Document, action: &Object) -> bool {
    matches!(resolve(doc, action), Some(Object::Dictionary(d)) if is_safe_action_dict(d))
}

/// Records every action of a chain (`/Next` may be one action or an array of them).
fn record_chain(doc: &Document, action: &Object, removed: &mut Removed, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match resolve(doc, action) {
        Some(Object::Dictionary(d)) => {
            let kind = d
                .get(b"S")
                .and_then(Object::as_name)
                .map(|s| String::from_utf8_lossy(s).into_owned())
                .unwrap_or_else(|_| "unknown action".into());
            removed.action(&kind);
            if let Ok(next) = d.get(b"Next") {
                record_chain(doc, next, removed, depth + 1);
            }
        }
        Some(Object::Array(items)) => {
            for item in items {
                record_chain(doc, item, removed, depth + 1);
            }
        }
        _ => {}
    }
}
