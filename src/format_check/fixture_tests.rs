//! Runs the labelled fixture manifest (`../shared/fixtures/pdf/manifest.json` next to the crate)
//! and asserts verdict, violation codes and page counts of every file. `$CFP_FIXTURE_DIR` overrides the folder. Fails when
//! it is missing, unless `CFP_SKIP_FIXTURES=1`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use serde::Deserialize;

use crate::format_check::{AuthorIdentity, Rules, check};

#[derive(Deserialize)]
struct Entry {
    file: String,
    expected: String,
    violations: Vec<String>,
    #[serde(default)]
    authors: Vec<AuthorIdentity>,
    content_pages: Option<u32>,
    total_pages: Option<u32>,
}

/// Folder of the development fixtures: `$CFP_FIXTURE_DIR`, else
/// `$CARGO_MANIFEST_DIR/../shared/fixtures/pdf`.
pub(crate) fn fixture_dir() -> PathBuf {
    match std::env::var_os("CFP_FIXTURE_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/pdf"),
    }
}

#[test]
fn every_fixture_gets_its_labelled_verdict_codes_and_page_counts() {
    let dir = fixture_dir();
    let manifest = dir.join("manifest.json");
    if !manifest.exists() {
        if std::env::var("CFP_SKIP_FIXTURES").as_deref() == Ok("1") {
            eprintln!(
                "skipping: {} is missing and CFP_SKIP_FIXTURES=1",
                manifest.display()
            );
            return;
        }
        panic!(
            "fixture manifest {} is missing: put the shared fixtures next to the crate \
             (or set CFP_SKIP_FIXTURES=1 to skip this test)",
            manifest.display()
        );
    }
    let entries: Vec<Entry> =
        serde_json::from_str(&std::fs::read_to_string(&manifest).unwrap()).unwrap();
    assert!(!entries.is_empty(), "empty manifest");
    let mut failures = Vec::new();
    for e in &entries {
        let bytes = std::fs::read(dir.join(&e.file)).unwrap();
        let report = check(&bytes, &Rules::default(), &e.authors);
        let verdict = serde_json::to_value(report.verdict).unwrap();
        let mut codes: Vec<String> = report
            .codes()
            .iter()
            .map(|c| c.as_str().to_string())
            .collect();
        codes.sort();
        let mut want = e.violations.clone();
        want.sort();
        let mut problems = Vec::new();
        if verdict != e.expected.as_str() {
            problems.push(format!("verdict {verdict} (want {})", e.expected));
        }
        if e.expected != "pass" && codes != want {
            problems.push(format!("codes {codes:?} (want {want:?})"));
        }
        if report.content_pages != e.content_pages {
            problems.push(format!(
                "content_pages {:?} (want {:?})",
                report.content_pages, e.content_pages
            ));
        }
        if report.total_pages != e.total_pages {
            problems.push(format!(
                "total_pages {:?} (want {:?})",
                report.total_pages, e.total_pages
            ));
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {}\n    {:?}",
                e.file,
                problems.join(", "),
                report
                    .violations
                    .iter()
                    .map(|v| &v.message)
                    .collect::<Vec<_>>()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "fixture mismatches:\n{}",
        failures.join("\n")
    );
}
