//! The probe's hostile PDFs, built with `pdf-writer`: author identity in Info and XMP, an open
//! action (URI beacon chained to JavaScript), document JavaScript, page actions, an embedded
//! file and a file-attachment annotation, an external and an internal link, bookmarks. The
//! copy is parsed back and searched; it must still pass the format check with the same pages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pdf_extract::{Document, Object};

use super::test_pdf::{Hostile, paper};
use super::{Removed, SanitizeError, sanitize};
use crate::format_check::{Rules, Verdict, check};

fn contains(haystack: &[u8], needle: &str) -> bool {
    let needle = needle.as_bytes();
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Every dictionary of the parsed copy (streams' dictionaries included).
fn dictionaries(doc: &Document) -> Vec<&pdf_extract::Dictionary> {
    fn visit<'a>(o: &'a Object, out: &mut Vec<&'a pdf_extract::Dictionary>) {
        match o {
            Object::Dictionary(d) => {
                out.push(d);
                d.iter().for_each(|(_, v)| visit(v, out));
            }
            Object::Stream(s) => {
                out.push(&s.dict);
                s.dict.iter().for_each(|(_, v)| visit(v, out));
            }
            Object::Array(items) => items.iter().for_each(|v| visit(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    doc.objects.values().for_each(|o| visit(o, &mut out));
    out
}

#[test]
fn the_probes_hostile_pdf_loses_identity_and_active_content() {
    let original = paper(Hostile::all());
    for needle in [
        "Zoe Mueller",
        "zoe.mueller",
        "tracker.example",
        "EmbeddedFile",
    ] {
        assert!(contains(&original, needle), "fixture lacks {needle}");
    }
    let copy = sanitize(&original).unwrap();
    for needle in [
        "Zoe",
        "zoe.mueller",
        "Mueller",
        "tracker.example",
        "app.alert",
        "/JavaScript",
        "/OpenAction",
        "/EmbeddedFile",
        "/Metadata",
        "xmpmeta",
    ] {
        assert!(!contains(&copy.bytes, needle), "copy still holds {needle}");
    }
    let doc = Document::load_mem(&copy.bytes).unwrap();
    assert!(doc.trailer.get(b"Info").is_err());
    for dict in dictionaries(&doc) {
        for key in [&b"OpenAction"[..], b"AA", b"JS", b"Metadata", b"EF", b"URI"] {
            assert!(
                !dict.has(key),
                "a dictionary still has /{}",
                String::from_utf8_lossy(key)
            );
        }
        if let Ok(s) = dict.get(b"S").and_then(Object::as_name) {
            assert_eq!(s, b"GoTo", "action {:?} kept", String::from_utf8_lossy(s));
        }
        assert_ne!(
            dict.get(b"Subtype").and_then(Object::as_name).ok(),
            Some(&b"FileAttachment"[..])
        );
    }
}

#[test]
fn the_summary_names_each_removal_for_the_author() {
    let copy = sanitize(&paper(Hostile::all())).unwrap();
    let r = &copy.removed;
    assert_eq!(
        r.info_fields,
        ["Author", "Creator", "Producer", "Subject", "Keywords"]
    );
    assert_eq!(r.xmp_streams, 2);
    // The open action (URI then JavaScript), the page's open action (JavaScript) and the
    // document-level script.
    assert_eq!(r.actions.get("URI"), Some(&1));
    assert_eq!(r.actions.get("JavaScript"), Some(&2));
    assert_eq!(r.actions.get("document JavaScript"), Some(&1));
    assert_eq!(r.embedded_files, 2, "{r:?}");
    assert_eq!(r.annotations.get("FileAttachment"), Some(&1));
    assert_eq!(r.external_links, 1);
    let text = r.describe().join("\n");
    assert!(
        text.contains("Author, Creator, Producer, Subject, Keywords"),
        "{text}"
    );
    assert!(text.contains("XMP metadata (2 streams)"), "{text}");
    assert!(text.contains("JavaScript ×2"), "{text}");
    assert!(text.contains("1 link to external addresses"), "{text}");
}

#[test]
fn links_stay_as_boxes_and_internal_links_and_bookmarks_keep_working() {
    let copy = sanitize(&paper(Hostile::all())).unwrap();
    let doc = Document::load_mem(&copy.bytes).unwrap();
    let first = *doc.get_pages().get(&1).unwrap();
    let annots = doc.get_page_annotations(first).unwrap();
    assert_eq!(annots.len(), 2, "the two links remain");
    let actions: Vec<Option<&[u8]>> = annots
        .iter()
        .map(|a| {
            a.get(b"A")
                .ok()
                .and_then(|a| a.as_dict().ok())
                .and_then(|a| a.get(b"S").and_then(Object::as_name).ok())
        })
        .collect();
    assert_eq!(actions, vec![None, Some(&b"GoTo"[..])]);
    let outline_items = dictionaries(&doc)
        .into_iter()
        .filter(|d| d.has(b"Title") && d.has(b"Parent"))
        .count();
    assert_eq!(outline_items, 2);
    assert!(
        dictionaries(&doc)
            .iter()
            .any(|d| d.has(b"Title") && d.has(b"Next")),
        "a bookmark's next sibling is not an action chain"
    );
}

#[test]
fn the_copy_passes_the_format_check_with_the_same_pages_and_text() {
    let original = paper(Hostile::all());
    let copy = sanitize(&original).unwrap();
    let before = check(&original, &Rules::default(), &[]);
    let after = check(&copy.bytes, &Rules::default(), &[]);
    assert_eq!(before.verdict, Verdict::Pass, "{before:?}");
    assert_eq!(after.verdict, Verdict::Pass, "{after:?}");
    assert_eq!(after.total_pages, Some(3));
    assert_eq!(after.content_pages, before.content_pages);
    assert_eq!(after.body_font_pt, before.body_font_pt);
    assert_eq!(after.text_block_pt, before.text_block_pt);
    let text_before = pdf_extract::extract_text_from_mem(&original).unwrap();
    let text_after = pdf_extract::extract_text_from_mem(&copy.bytes).unwrap();
    assert_eq!(text_before, text_after);
}

#[test]
fn a_clean_paper_reports_nothing_removed_and_copies_are_stable() {
    let clean = paper(Hostile::default());
    let copy = sanitize(&clean).unwrap();
    assert_eq!(copy.removed, Removed::default());
    assert!(copy.removed.is_empty());
    let again = sanitize(&copy.bytes).unwrap();
    assert!(again.removed.is_empty());
    assert_eq!(sanitize(&clean).unwrap().bytes, copy.bytes, "deterministic");
}

#[test]
fn each_hostile_part_alone_is_caught() {
    type Caught = fn(&Removed) -> bool;
    let parts: [(Hostile, Caught); 5] = [
        (
            Hostile {
                info: true,
                ..Hostile::default()
            },
            |r| !r.info_fields.is_empty(),
        ),
        (
            Hostile {
                xmp: true,
                ..Hostile::default()
            },
            |r| r.xmp_streams == 2,
        ),
        (
            Hostile {
                open_action: true,
                ..Hostile::default()
            },
            |r| r.actions.get("URI") == Some(&1),
        ),
        (
            Hostile {
                embedded_file: true,
                ..Hostile::default()
            },
            |r| r.embedded_files == 2,
        ),
        (
            Hostile {
                page_actions: true,
                ..Hostile::default()
            },
            |r| r.actions.get("JavaScript") == Some(&1),
        ),
    ];
    for (hostile, caught) in parts {
        let copy = sanitize(&paper(hostile)).unwrap();
        assert!(caught(&copy.removed), "{:?}", copy.removed);
        assert!(!contains(&copy.bytes, "Mueller"));
        assert!(!contains(&copy.bytes, "tracker.example"));
    }
}

#[test]
fn unreadable_input_is_refused_without_panicking() {
    assert!(matches!(
        sanitize(b"not a pdf"),
        Err(SanitizeError::Unreadable(_))
    ));
    let mut truncated = paper(Hostile::all());
    truncated.truncate(truncated.len() / 3);
    // Either repaired or refused; never a panic and never the original bytes.
    if let Ok(copy) = sanitize(&truncated) {
        assert!(!contains(&copy.bytes, "tracker.example"));
    }
}
