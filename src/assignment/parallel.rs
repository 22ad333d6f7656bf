//! Splitting a loop over `0..n` into contiguous ranges run on scoped threads, with the parts'
//! results returned in range order, so that a caller which merges them in that order gets the
//! same result whatever the number of threads or their timing.

use std::ops::Range;

/// Threads worth using on this machine (at least 1).
pub(crate) fn available_threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// `0..n` cut into at most `parts` contiguous, non-empty ranges of nearly equal length, in order
/// (one empty range when `n` is 0).
pub(crate) fn ranges(n: usize, parts: usize) -> Vec<Range<usize>> {
    let parts = parts.clamp(1, n.max(1));
    (0..parts)
        .map(|i| n * i / parts..n * (i + 1) / parts)
        .collect()
}

/// `f` over each of `ranges`, the first on the calling thread and the others on scoped threads;
/// results in the order of `ranges`. A panic in a part is passed on to the caller.
pub(crate) fn run_parts<T: Send>(
    ranges: Vec<Range<usize>>,
    f: impl Fn(Range<usize>) -> T + Sync,
) -> Vec<T> {
    let mut ranges = ranges.into_iter();
    let Some(first) = ranges.next() else {
        return Vec::new();
    };
    let f = &f;
    std::thread::scope(|scope| {
        let others: Vec<_> = ranges.map(|r| scope.spawn(move || f(r))).collect();
        let mut results = vec![f(first)];
        for handle in others {
            results.push(
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        results
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_everything_once_in_order() {
        for n in [0, 1, 2, 7, 100, 101] {
            for parts in [0, 1, 2, 3, 8, 200] {
                let rs = ranges(n, parts);
                assert!(!rs.is_empty() && rs.len() <= parts.max(1));
                assert_eq!(rs[0].start, 0);
                assert_eq!(rs[rs.len() - 1].end, n);
                assert!(rs.windows(2).all(|w| w[0].end == w[1].start));
                assert!(n == 0 || rs.iter().all(|r| !r.is_empty()));
            }
        }
    }

    #[test]
    fn parts_come_back_in_range_order() {
        let sums = run_parts(ranges(1000, 3), |r| r.sum::<usize>());
        assert_eq!(sums.len(), 3);
        assert_eq!(sums.iter().sum::<usize>(), 999 * 1000 / 2);
        assert_eq!(sums[0], (0..333).sum::<usize>());
    }
}
