//! Tests of the demo paper PDFs.

use super::*;
use crate::demo::content::{DemoTrack, workshop};
use crate::demo::layout::{LEFT, WIDTH};

/// The strings shown by `Tj` operators, decoded from WinAnsi bytes back to text.
fn shown_text(pdf: &[u8]) -> String {
    let mut text = String::new();
    let mut i = 0;
    while let Some(start) = pdf[i..]
        .windows(4)
        .position(|w| w == b"Tm (")
        .map(|p| p + i + 4)
    {
        let mut j = start;
        let mut bytes = Vec::new();
        while j < pdf.len() && pdf[j] != b')' {
            if pdf[j] == b'\\' {
                j += 1;
            }
            bytes.push(pdf[j]);
            j += 1;
        }
        text.extend(bytes.iter().map(|&b| winansi_char(b)));
        text.push('\n');
        i = j;
    }
    text
}

fn winansi_char(byte: u8) -> char {
    match byte {
        0x96 => '–',
        0x97 => '—',
        0x92 => '’',
        _ => char::from(byte),
    }
}

/// Bytes as a string of the same length (Latin-1), so `str::contains` can search them fast.
fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && latin1(haystack).contains(&latin1(needle))
}

fn page_objects(pdf: &[u8]) -> usize {
    pdf.windows(12).filter(|w| w == b"/Type /Page ").count()
}

#[test]
fn pdf_is_framed_and_has_one_page_object_per_laid_out_page() {
    let w = workshop(11);
    for sub in w.submissions.iter().take(12) {
        let pdf = paper_pdf(sub, sub.track == DemoTrack::Paper);
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.ends_with(b"%%EOF\n"));
        let pages = lay_out(sub, sub.track == DemoTrack::Paper).pages.len();
        assert_eq!(page_objects(&pdf), pages);
        assert!(pages >= sub.content_pages as usize);
    }
}

fn assert_content_fills_requested_pages(seeds: std::ops::Range<u64>) {
    for seed in seeds {
        for sub in workshop(seed).submissions {
            for anonymous in [true, false] {
                let paper = lay_out(&sub, anonymous);
                let wanted = sub.content_pages as usize;
                assert_eq!(
                    paper.content_last_page, wanted,
                    "{} ({anonymous})",
                    sub.title
                );
                assert!((wanted..=wanted + 1).contains(&paper.references_page));
                assert!(paper.pages.len() <= wanted + 3);
            }
        }
    }
}

#[test]
fn main_content_fills_exactly_the_requested_pages() {
    assert_content_fills_requested_pages(0..2);
}

#[test]
#[ignore = "slow in debug builds; run with `cargo test --release -- --ignored`"]
fn main_content_fills_exactly_the_requested_pages_for_many_seeds() {
    assert_content_fills_requested_pages(2..60);
}

#[test]
fn text_stays_inside_the_text_block() {
    for sub in workshop(5).submissions.iter().take(20) {
        for page in lay_out(sub, false).pages {
            for mark in page.marks {
                if let Mark::Text {
                    font,
                    size,
                    x,
                    y,
                    word_spacing,
                    bytes,
                } = mark
                {
                    let spaces = bytes.iter().filter(|b| **b == b' ').count() as f32;
                    let width = afm::encoded_width(font, size, &bytes) + word_spacing * spaces;
                    assert!(
                        x >= LEFT - 0.01 && x + width <= LEFT + WIDTH + 0.05,
                        "{x} {width}"
                    );
                    assert!((40.0..=720.0).contains(&y));
                }
            }
        }
    }
}

#[test]
fn anonymous_pdf_never_names_the_authors() {
    for sub in workshop(2).submissions {
        let pdf = paper_pdf(&sub, true);
        let raw = latin1(&pdf);
        let text = shown_text(&pdf);
        assert!(text.contains("Anonymous Author(s)"));
        assert!(!raw.contains("/Author"));
        for author in &sub.authors {
            for secret in [&author.name, &author.email, &author.affiliation] {
                assert!(
                    !raw.contains(&latin1(secret.as_bytes())),
                    "{secret} in raw bytes"
                );
                assert!(
                    !raw.contains(&latin1(&afm::encode(secret))),
                    "{secret} encoded"
                );
                assert!(!text.contains(secret.as_str()), "{secret} in text");
            }
        }
    }
}

#[test]
fn named_pdf_shows_authors_and_the_paper_parts() {
    let sub = workshop(2).submissions.remove(0);
    let pdf = paper_pdf(&sub, false);
    let text = shown_text(&pdf);
    for author in &sub.authors {
        assert!(contains(&pdf, &afm::encode(&author.name)));
        assert!(text.contains(&author.email));
    }
    for part in ["Abstract", "Introduction", "References", "[1]"] {
        assert!(text.contains(part), "{part}");
    }
    assert!(!text.contains("Anonymous"));
}

#[test]
fn same_submission_gives_identical_bytes() {
    let sub = workshop(9).submissions.remove(3);
    assert_eq!(paper_pdf(&sub, true), paper_pdf(&sub, true));
}
