//! Times `check` over the given files: wall-clock best/median per file, and the CPU time of
//! 10 passes over all of them (load-independent pages/s). Debugging aid for docs/benchmarks.md.
fn main() {
    let files: Vec<(String, Vec<u8>)> = std::env::args()
        .skip(1)
        .map(|f| (f.clone(), std::fs::read(&f).unwrap_or_default()))
        .collect();
    let rules = cfp::format_check::Rules::default();
    let mut pages = 0u32;
    for (f, bytes) in &files {
        let mut t: Vec<f64> = (0..11)
            .map(|_| cfp::format_check::check(bytes, &rules, &[]).elapsed_ms)
            .collect();
        t.sort_by(f64::total_cmp);
        let r = cfp::format_check::check(bytes, &rules, &[]);
        pages += r.total_pages.unwrap_or(0);
        println!(
            "{:>40} pages {:>2} best {:5.1} ms median {:5.1} ms",
            f.rsplit('/').next().unwrap_or(""),
            r.total_pages.unwrap_or(0),
            t[0],
            t[5]
        );
    }
    let cpu = || {
        std::fs::read_to_string("/proc/thread-self/schedstat")
            .ok()
            .and_then(|s| {
                s.split_whitespace()
                    .next()
                    .and_then(|n| n.parse::<f64>().ok())
            })
            .unwrap_or(0.0)
            / 1e6
    };
    let _ = cpu;
    let start = std::time::Instant::now();
    let mut cpu_ms = 0.0;
    for _ in 0..10 {
        for (_, bytes) in &files {
            cpu_ms += cfp_cpu_ms(|| {
                cfp::format_check::check(bytes, &rules, &[]);
            });
        }
    }
    println!(
        "10 passes: wall {:.0} ms, cpu {:.0} ms, {} pages/pass => {:.0} pages/s cpu",
        start.elapsed().as_secs_f64() * 1000.0,
        cpu_ms,
        pages,
        10.0 * pages as f64 / (cpu_ms / 1000.0)
    );
}

/// CPU time of the closure in ms, from the per-process schedstat (includes the checking thread).
fn cfp_cpu_ms(f: impl FnOnce()) -> f64 {
    let read = || {
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
    };
    let a = read();
    f();
    read() - a
}
