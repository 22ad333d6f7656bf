//! Property test: mutated fixture PDFs (truncated, bytes flipped, pieces spliced in) never make
//! `check` panic, and it always answers within its time budget (plus slack for the
//! non-interruptible object parse). Seeds are the committed real-world corpus and a synthetic
//! paper. `PROPTEST_CASES` sets the number of cases (default 48).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use proptest::prelude::*;

use crate::format_check::fixture_tests::corpus_files;
use crate::format_check::{Rules, check};

fn fixtures() -> Vec<Vec<u8>> {
    let mut files = corpus_files();
    files.push(crate::format_check::synthetic::paper(2, false).build());
    files
}

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(f64),
    Flip { at: f64, count: usize, value: u8 },
    Splice { from: f64, to: f64, len: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (0.0..1.0f64).prop_map(Mutation::Truncate),
        (0.0..1.0f64, 1..64usize, any::<u8>()).prop_map(|(at, count, value)| Mutation::Flip {
            at,
            count,
            value
        }),
        (0.0..1.0f64, 0.0..1.0f64, 1..4096usize).prop_map(|(from, to, len)| Mutation::Splice {
            from,
            to,
            len
        }),
    ]
}

fn apply(bytes: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for m in mutations {
        let n = out.len().max(1);
        match *m {
            Mutation::Truncate(f) => out.truncate((f * n as f64) as usize),
            Mutation::Flip { at, count, value } => {
                let start = (at * n as f64) as usize;
                for i in start..(start + count).min(out.len()) {
                    out[i] ^= value | 1;
                }
            }
            Mutation::Splice { from, to, len } => {
                let src = (from * n as f64) as usize;
                let piece: Vec<u8> = out.iter().skip(src).take(len).copied().collect();
                let dst = ((to * n as f64) as usize).min(out.len());
                out.splice(dst..dst, piece);
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(48),
        failure_persistence: None,
        .. ProptestConfig::default()
    })]

    #[test]
    fn mutated_pdfs_never_panic_and_finish_within_budget(
        pick in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let files = fixtures();
        let original = &files[pick.index(files.len())];
        let bytes = apply(original, &mutations);
        let mut rules = Rules::default();
        rules.limits.time_budget_ms = 2_000;
        let start = Instant::now();
        let report = check(&bytes, &rules, &[]);
        let elapsed = start.elapsed().as_millis();
        prop_assert!(elapsed < 4_000, "took {elapsed} ms");
        prop_assert!(!report.violations.is_empty() || report.total_pages.is_some());
    }
}
