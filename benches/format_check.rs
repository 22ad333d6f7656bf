//! Criterion bench of `format_check::check` over the committed real-world corpus
//! (`tests/fixtures/papers/`, made by `scripts/corpus/`; `$CFP_BENCH_CORPUS` names another
//! folder): one benchmark per file plus the whole set in one pass (pages/s).

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use cfp::format_check::{AuthorIdentity, Rules, check};

fn fixture_dir() -> PathBuf {
    match std::env::var_os("CFP_BENCH_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/papers"),
    }
}

fn load() -> Vec<(String, Vec<u8>, u64)> {
    let dir = fixture_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        // The compression bombs measure the budgets, not the speed of reading papers.
        .filter(|p| !p.to_string_lossy().contains("bomb"))
        .collect();
    files.sort();
    files
        .into_iter()
        .filter_map(|path| {
            let bytes = std::fs::read(&path).ok()?;
            let name = path.file_name()?.to_string_lossy().into_owned();
            let pages = u64::from(
                check(&bytes, &Rules::default(), &[])
                    .total_pages
                    .unwrap_or(0),
            );
            Some((name, bytes, pages))
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let files = load();
    if files.is_empty() {
        eprintln!(
            "format_check bench: no PDFs in {}; nothing to measure",
            fixture_dir().display()
        );
        return;
    }
    let rules = Rules::default();
    let authors = vec![AuthorIdentity {
        name: "Grace Kim".into(),
        email: "gracekim@stanford.edu".into(),
        affiliation: None,
    }];
    let mut per_file = c.benchmark_group("format_check/file");
    per_file
        .sample_size(20)
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2));
    for (name, bytes, _) in &files {
        per_file.bench_function(name.as_str(), |b| {
            b.iter(|| check(black_box(bytes), &rules, &authors))
        });
    }
    per_file.finish();

    let total_pages: u64 = files.iter().map(|(_, _, p)| *p).sum();
    let mut all = c.benchmark_group("format_check/all_corpus");
    all.sample_size(10)
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(5));
    all.throughput(Throughput::Elements(total_pages));
    all.bench_function("pages", |b| {
        b.iter(|| {
            for (_, bytes, _) in &files {
                black_box(check(black_box(bytes), &rules, &authors));
            }
        })
    });
    all.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
