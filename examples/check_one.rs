//! CPU time of `format_check::check` per file, inside one process (what an upload pays in the
//! server: no process start, the glyph list already loaded).
//!
//! usage: cargo run --release --example check_one -- [--runs N] FILE...
//!
//! For each file: pages, and the process CPU time (user + system, all threads, from
//! /proc/self/stat, 10 ms ticks) of N checks divided by N (default 100, so the tick is 0.1 ms);
//! then the median over the files. A first untimed check loads what is loaded once.
fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut runs = 100u32;
    if let Some(i) = args.iter().position(|a| a == "--runs") {
        runs = args
            .get(i + 1)
            .and_then(|n| n.parse().ok())
            .unwrap_or(runs)
            .max(1);
        args.drain(i..(i + 2).min(args.len()));
    }
    let rules = cfp::format_check::Rules::default();
    let mut per_file = Vec::new();
    for path in &args {
        let Ok(bytes) = std::fs::read(path) else {
            eprintln!("cannot read {path}");
            continue;
        };
        let report = cfp::format_check::check(&bytes, &rules, &[]);
        let before = cpu_ms();
        for _ in 0..runs {
            std::hint::black_box(cfp::format_check::check(&bytes, &rules, &[]));
        }
        let per_check = (cpu_ms() - before) / f64::from(runs);
        per_file.push(per_check);
        println!(
            "{:>44}  pages {:>2}  cpu {:6.2} ms/check",
            path.rsplit('/').next().unwrap_or(path),
            report.total_pages.unwrap_or(0),
            per_check
        );
    }
    per_file.sort_by(f64::total_cmp);
    if let Some(median) = per_file.get(per_file.len() / 2) {
        println!(
            "{} files, {runs} checks each: median {median:.2} ms CPU per check",
            per_file.len()
        );
    }
}

/// CPU time of this process so far (all threads), in ms.
fn cpu_ms() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .map(|s| {
            let fields: Vec<&str> = s
                .rsplit(')')
                .next()
                .unwrap_or("")
                .split_whitespace()
                .collect();
            let utime: f64 = fields.get(11).and_then(|v| v.parse().ok()).unwrap_or(0.0);
            let stime: f64 = fields.get(12).and_then(|v| v.parse().ok()).unwrap_or(0.0);
            (utime + stime) * 10.0
        })
        .unwrap_or(0.0)
}
