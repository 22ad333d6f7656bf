//! Labelled corpora: every file of the committed real-world corpus (`tests/fixtures/papers/`,
//! made by `scripts/corpus/`) must get its labelled verdict, codes and page counts. A further
//! corpus in the same manifest format is checked when `CFP_EXTRA_PDF_CORPUS=DIR` is set; when it
//! is not, the test says so on stderr and passes (it is optional, never a reason to fail).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};

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

/// The committed corpus.
pub(crate) fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/papers")
}

/// The committed corpus' PDFs (for the fuzz test's seeds).
pub(crate) fn corpus_files() -> Vec<Vec<u8>> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    names.sort();
    names.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

/// Checks every entry of `dir/manifest.json`; returns (entries, mismatches). With `strict`,
/// codes are compared for passing files too (their warnings count).
fn run_manifest(dir: &Path, strict: bool) -> (usize, Vec<String>) {
    let manifest = dir.join("manifest.json");
    let text = std::fs::read_to_string(&manifest)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", manifest.display()));
    let entries: Vec<Entry> = serde_json::from_str(&text).unwrap();
    let mut failures = Vec::new();
    for e in &entries {
        let bytes = std::fs::read(dir.join(&e.file)).unwrap();
        let report = check(&bytes, &Rules::default(), &e.authors);
        let verdict = serde_json::to_value(report.verdict).unwrap();
        let codes: Vec<String> = report
            .codes()
            .iter()
            .map(|c| c.as_str().to_string())
            .collect();
        let mut codes = codes;
        codes.sort();
        let mut want = e.violations.clone();
        want.sort();
        want.dedup();
        let mut problems = Vec::new();
        if verdict != e.expected.as_str() {
            problems.push(format!("verdict {verdict} (want {})", e.expected));
        }
        if (strict || e.expected != "pass") && codes != want {
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
            let messages: Vec<&String> = report.violations.iter().map(|v| &v.message).collect();
            failures.push(format!(
                "{}: {}\n    {messages:?}",
                e.file,
                problems.join(", ")
            ));
        }
    }
    (entries.len(), failures)
}

#[test]
fn every_committed_real_world_paper_gets_its_labelled_verdict_codes_and_pages() {
    let (count, failures) = run_manifest(&corpus_dir(), true);
    assert!(count >= 40, "the committed corpus has only {count} files");
    assert!(
        failures.is_empty(),
        "{} of {count} corpus files mismatch:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn an_extra_corpus_is_checked_when_cfp_extra_pdf_corpus_names_one() {
    let Some(dir) = std::env::var_os("CFP_EXTRA_PDF_CORPUS") else {
        // Straight to stderr, past the test harness' capture: a skip must be visible.
        let _ = writeln!(
            std::io::stderr().lock(),
            "format_check: extra PDF corpus skipped (set CFP_EXTRA_PDF_CORPUS=DIR to check \
             DIR/manifest.json)"
        );
        return;
    };
    let dir = PathBuf::from(dir);
    let (count, failures) = run_manifest(&dir, false);
    assert!(count > 0, "{} lists no files", dir.display());
    assert!(
        failures.is_empty(),
        "{} of {count} files of {} mismatch:\n{}",
        failures.len(),
        dir.display(),
        failures.join("\n")
    );
}
