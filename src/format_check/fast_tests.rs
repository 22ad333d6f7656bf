//! The fast interpreter (`fast`) must extract exactly what pdf-extract extracts: every glyph's
//! position, size, orientation and text, bit for bit, on every development fixture and on the
//! synthetic papers (fixtures are skipped with a message when their folder is absent).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use crate::format_check::extract::{Budget, Extracted, extract_with};
use crate::format_check::fixture_tests::fixture_dir;
use crate::format_check::rules::Limits;

type Fingerprint = Vec<(u64, u64, String, Vec<(u32, u32, u32, u32, bool, u32, u16)>)>;

fn fingerprint(extracted: &Extracted) -> Fingerprint {
    extracted
        .pages
        .iter()
        .map(|p| {
            let glyphs = p
                .glyphs
                .iter()
                .map(|g| {
                    let bits = (g.x.to_bits(), g.y.to_bits(), g.x_end.to_bits());
                    (
                        bits.0,
                        bits.1,
                        bits.2,
                        g.size.to_bits(),
                        g.upright,
                        g.start,
                        g.len,
                    )
                })
                .collect();
            (
                p.width.to_bits(),
                p.height.to_bits(),
                p.text.clone(),
                glyphs,
            )
        })
        .collect()
}

fn both(bytes: &[u8]) -> (Option<Fingerprint>, Option<Fingerprint>) {
    let limits = Limits::default();
    let run = |fast: bool| {
        let budget = Budget::new(Instant::now(), 60_000);
        extract_with(bytes, &limits, budget, fast)
            .ok()
            .map(|e| fingerprint(&e))
    };
    (run(true), run(false))
}

#[test]
fn fast_interpreter_matches_pdf_extract_on_fixtures_and_synthetic_papers() {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    match std::fs::read_dir(fixture_dir()) {
        Ok(entries) => {
            for entry in entries.filter_map(Result::ok) {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "pdf") {
                    files.push((path.display().to_string(), std::fs::read(&path).unwrap()));
                }
            }
        }
        Err(_) => eprintln!(
            "fast_tests: {} missing; synthetic papers only",
            fixture_dir().display()
        ),
    }
    for pages in 1..4 {
        let bytes = crate::format_check::synthetic::paper(pages, pages == 2).build();
        files.push((format!("synthetic {pages}"), bytes));
    }
    let mut compared = 0;
    for (name, bytes) in &files {
        let (fast, slow) = both(bytes);
        assert_eq!(fast.is_some(), slow.is_some(), "{name}: outcome differs");
        if let (Some(fast), Some(slow)) = (fast, slow) {
            assert!(fast == slow, "{name}: extracted glyphs differ");
            compared += 1;
        }
    }
    assert!(compared > 0);
}
