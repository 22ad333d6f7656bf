//! The lazy reader against lopdf: on every file of the committed corpus that it opens, every
//! object lopdf loads is read lazily to the same value (stream data included, except images,
//! which the reader leaves empty), and the pages and their contents are the same.

use std::time::Instant;

use pdf_extract::{Document, Object};

use super::*;
use crate::format_check::extract::Budget;
use crate::format_check::fixture_tests::corpus_files;

fn decoder() -> Decoder {
    Decoder::new(
        64 << 20,
        256 << 20,
        1 << 30,
        Budget::new(Instant::now(), 60_000),
    )
}

/// `object` without what lopdf adds or drops on its own (a stream's `/Length` is rewritten by
/// lopdf to the data's length; images are emptied by the reader).
fn comparable(object: &Object) -> Object {
    match object {
        Object::Stream(s) => {
            let mut dict = s.dict.clone();
            dict.remove(b"Length");
            let image = matches!(dict.get(b"Subtype"), Ok(Object::Name(n)) if n == b"Image");
            let content = if image {
                dict.remove(b"Filter");
                dict.remove(b"DecodeParms");
                Vec::new()
            } else {
                s.content.clone()
            };
            Object::Stream(pdf_extract::Stream {
                dict,
                content,
                allows_compression: true,
                start_position: None,
            })
        }
        other => other.clone(),
    }
}

#[test]
fn every_object_of_the_corpus_reads_as_lopdf_reads_it() {
    let mut opened = 0;
    for bytes in corpus_files() {
        let decoder = decoder();
        let Ok(lazy) = Lazy::open(&bytes, 500_000, 64 << 20, &decoder) else {
            continue;
        };
        let Ok(loaded) = Document::load_mem(&bytes) else {
            panic!("lopdf cannot load a file the lazy reader opened");
        };
        opened += 1;
        let lazy = Doc::Lazy(Box::new(lazy));
        for (&id, object) in &loaded.objects {
            if matches!(object.as_stream(), Ok(s) if s.dict.has_type(b"ObjStm") || s.dict.has_type(b"XRef"))
            {
                continue;
            }
            let mine = lazy
                .get_object(id)
                .unwrap_or_else(|| panic!("object {id:?} is missing"));
            assert!(
                comparable(mine) == comparable(object),
                "object {id:?} differs: {mine:?} / {object:?}"
            );
        }
        let loaded = Doc::Loaded(Box::new(loaded), false);
        let pages = lazy.pages();
        assert!(!pages.is_empty());
        assert_eq!(pages, loaded.pages());
        for page in pages {
            assert_eq!(lazy.page_contents(page), loaded.page_contents(page));
        }
        assert_eq!(
            lazy.trailer().get(b"Root").ok(),
            loaded.trailer().get(b"Root").ok()
        );
    }
    assert!(
        opened >= 40,
        "the lazy reader opened only {opened} corpus files"
    );
}

#[test]
fn encrypted_and_damaged_files_are_left_to_lopdf() {
    let decoder = decoder();
    let files = corpus_files();
    let encrypted = files
        .iter()
        .find(|f| memchr::memmem::find(f, b"/Encrypt").is_some())
        .expect("the corpus has an encrypted file");
    assert_eq!(
        Lazy::open(encrypted, 500_000, 64 << 20, &decoder).err(),
        Some(OpenError::NotMine)
    );
    let mut cut = files[0].clone();
    cut.truncate(cut.len() / 2);
    cut.extend_from_slice(b"\nstartxref\n999999999\n%%EOF\n");
    assert_eq!(
        Lazy::open(&cut, 500_000, 64 << 20, &decoder).err(),
        Some(OpenError::NotMine)
    );
}

#[test]
fn a_file_listing_too_many_objects_is_refused_before_reading_them() {
    let decoder = decoder();
    let paper = crate::format_check::synthetic::paper(1, false).build();
    assert!(matches!(
        Lazy::open(&paper, 3, 64 << 20, &decoder).err(),
        Some(OpenError::TooManyObjects(_))
    ));
}

#[test]
fn object_streams_beyond_the_budget_are_left_unread_and_counted_as_cut() {
    let files = corpus_files();
    let decoder = decoder();
    let packed = files
        .iter()
        .find(|f| {
            memchr::memmem::find(f, b"/ObjStm").is_some()
                && Lazy::open(f, 500_000, 64 << 20, &decoder).is_ok()
        })
        .expect("the corpus has files with object streams");
    let lazy = Lazy::open(packed, 500_000, 16, &decoder).unwrap();
    let doc = Doc::Lazy(Box::new(lazy));
    assert!(
        doc.pages().is_empty(),
        "the page tree sits in an object stream"
    );
    let Doc::Lazy(lazy) = doc else { unreachable!() };
    assert_eq!(lazy.packed_use(), (0, true));
}
