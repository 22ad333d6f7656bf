//! Guard against self-referencing form XObjects. pdf-extract follows `Do` recursively without a
//! depth limit, so a form that (directly or through others) draws itself would overflow the stack,
//! which no `catch_unwind` can catch. We build the form-to-form graph up front and refuse cycles
//! and absurd nesting depths.

use std::collections::{BTreeMap, BTreeSet};

use pdf_extract::{Dictionary, Document, Object, ObjectId};

use crate::format_check::extract::deref;

/// Deepest form-inside-form nesting we let pdf-extract follow.
const MAX_FORM_DEPTH: usize = 32;

/// Whether any form XObject can reach itself through `Do`, or forms nest absurdly deep.
pub(crate) fn has_xobject_cycle(doc: &Document) -> bool {
    let mut edges: BTreeMap<ObjectId, BTreeSet<ObjectId>> = BTreeMap::new();
    for (&owner_id, object) in &doc.objects {
        let dict = match object {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &s.dict,
            _ => continue,
        };
        let Some(xobjects) = xobject_dict(doc, dict) else {
            continue;
        };
        let forms: Vec<ObjectId> = xobjects
            .iter()
            .filter_map(|(_, v)| v.as_reference().ok())
            .filter(|id| is_form(doc, *id))
            .collect();
        if is_form(doc, owner_id) {
            edges.entry(owner_id).or_default().extend(forms.iter());
        }
        // A form without its own resources draws with its parent's names, so it can reach
        // every sibling, itself included.
        for &form in &forms {
            if !has_own_resources(doc, form) {
                edges.entry(form).or_default().extend(forms.iter());
            }
        }
    }
    reaches_cycle_or_depth(&edges)
}

fn xobject_dict<'a>(doc: &'a Document, dict: &'a Dictionary) -> Option<&'a Dictionary> {
    let resources = deref(doc, dict.get(b"Resources").ok()?)?.as_dict().ok()?;
    deref(doc, resources.get(b"XObject").ok()?)?.as_dict().ok()
}

fn is_form(doc: &Document, id: ObjectId) -> bool {
    match doc.objects.get(&id) {
        Some(Object::Stream(s)) => {
            matches!(s.dict.get(b"Subtype"), Ok(Object::Name(n)) if n == b"Form")
        }
        _ => false,
    }
}

fn has_own_resources(doc: &Document, id: ObjectId) -> bool {
    match doc.objects.get(&id) {
        Some(Object::Stream(s)) => s.dict.get(b"Resources").is_ok(),
        _ => false,
    }
}

/// Iterative depth-first search (no recursion: the graph comes from untrusted input).
fn reaches_cycle_or_depth(edges: &BTreeMap<ObjectId, BTreeSet<ObjectId>>) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Active,
        Done,
    }
    let mut marks: BTreeMap<ObjectId, Mark> = BTreeMap::new();
    for &root in edges.keys() {
        if marks.contains_key(&root) {
            continue;
        }
        let mut stack: Vec<(ObjectId, Vec<ObjectId>)> = Vec::new();
        marks.insert(root, Mark::Active);
        stack.push((root, children(edges, root)));
        while let Some((node, pending)) = stack.last_mut() {
            let node = *node;
            match pending.pop() {
                Some(child) => match marks.get(&child) {
                    Some(Mark::Active) => return true,
                    Some(Mark::Done) => {}
                    None => {
                        if stack.len() >= MAX_FORM_DEPTH {
                            return true;
                        }
                        marks.insert(child, Mark::Active);
                        stack.push((child, children(edges, child)));
                    }
                },
                None => {
                    marks.insert(node, Mark::Done);
                    stack.pop();
                }
            }
        }
    }
    false
}

fn children(edges: &BTreeMap<ObjectId, BTreeSet<ObjectId>>, node: ObjectId) -> Vec<ObjectId> {
    edges
        .get(&node)
        .map(|s| s.iter().copied().collect())
        .unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn graph(pairs: &[(u32, u32)]) -> BTreeMap<ObjectId, BTreeSet<ObjectId>> {
        let mut g: BTreeMap<ObjectId, BTreeSet<ObjectId>> = BTreeMap::new();
        for &(a, b) in pairs {
            g.entry((a, 0)).or_default().insert((b, 0));
        }
        g
    }

    #[test]
    fn cycles_are_found_and_dags_pass() {
        assert!(reaches_cycle_or_depth(&graph(&[(1, 1)])));
        assert!(reaches_cycle_or_depth(&graph(&[(1, 2), (2, 3), (3, 1)])));
        assert!(!reaches_cycle_or_depth(&graph(&[(1, 2), (1, 3), (2, 3)])));
    }

    #[test]
    fn deep_chains_count_as_too_complex() {
        let chain: Vec<(u32, u32)> = (0..100).map(|i| (i, i + 1)).collect();
        assert!(reaches_cycle_or_depth(&graph(&chain)));
    }
}
