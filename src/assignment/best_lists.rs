//! The running "best k" lists of the one-pass search (`top_k`): each paper's best reviewers
//! and each reviewer's best papers, offered in index order, kept behind a bar that few scores
//! pass, with ties going to the lower index. Nothing here knows about texts or terms.

/// One paper's `k` best reviewers, offered in index order: a buffer of up to `2k` cut back to
/// the best `k` when full, whose k-th score is then the bar (a later reviewer that only ties
/// it loses on index).
pub(crate) struct Best {
    k: usize,
    kept: Vec<(f64, u32)>,
    bar: f64,
}

impl Best {
    pub(crate) fn new(k: usize) -> Best {
        Best {
            k,
            kept: Vec::with_capacity(2 * k),
            bar: 0.0,
        }
    }

    pub(crate) fn clear(&mut self) {
        self.kept.clear();
        self.bar = if self.k == 0 { f64::INFINITY } else { 0.0 };
    }

    /// Offers the reviewers `first..first + scores.len()`, with their scores.
    pub(crate) fn offer_block(&mut self, first: usize, scores: &[f64]) {
        for (i, &score) in scores.iter().enumerate() {
            if score > self.bar {
                self.keep(score, (first + i) as u32);
            }
        }
    }

    fn keep(&mut self, score: f64, x: u32) {
        self.kept.push((score, x));
        if self.kept.len() >= 2 * self.k {
            self.bar = keep_best(&mut self.kept, self.k);
            self.kept.truncate(self.k);
        }
    }

    /// The best `k`, best first.
    pub(crate) fn finish(&mut self) -> &[(f64, u32)] {
        cut(&mut self.kept, self.k);
        &self.kept
    }
}

/// Each reviewer's `k` best papers so far. Papers arrive in index order, so a paper that only
/// ties the k-th best loses to it (ties go to the lower index) and need not be kept: a buffer
/// of up to `2k` per reviewer is cut back to the best `k` when full, and the k-th score is
/// the bar later papers must beat. The buffers are one flat array (reviewer `r`'s is
/// `kept[r * 2k..]`, `len[r]` long): a keep costs one cache miss, not two.
pub(crate) struct BestPerReviewer {
    k: usize,
    kept: Vec<(f64, u32)>,
    len: Vec<usize>,
    bar: Vec<f64>,
}

impl BestPerReviewer {
    pub(crate) fn new(reviewers: usize, k: usize) -> BestPerReviewer {
        BestPerReviewer {
            k,
            kept: vec![(0.0, 0); reviewers * 2 * k],
            len: vec![0; reviewers],
            // Only positive scores are kept; none at all when `k` is 0.
            bar: vec![if k == 0 { f64::INFINITY } else { 0.0 }; reviewers],
        }
    }

    /// Offers paper `p` to the reviewers `first..first + scores.len()`, with their scores.
    pub(crate) fn offer_block(&mut self, first: usize, scores: &[f64], p: u32) {
        let bars = &self.bar[first..first + scores.len()];
        let mut passed = None;
        for (i, (&score, &bar)) in scores.iter().zip(bars).enumerate() {
            if score > bar {
                passed = Some(i);
                break;
            }
        }
        // Most blocks have no score above its bar; the rest are taken one by one.
        let Some(from) = passed else {
            return;
        };
        for (i, &score) in scores.iter().enumerate().skip(from) {
            let r = first + i;
            if score > self.bar[r] {
                self.keep(r, p, score);
            }
        }
    }

    fn keep(&mut self, r: usize, p: u32, score: f64) {
        let size = 2 * self.k;
        let buffer = &mut self.kept[r * size..(r + 1) * size];
        buffer[self.len[r]] = (score, p);
        self.len[r] += 1;
        if self.len[r] == size {
            self.bar[r] = keep_best(buffer, self.k);
            self.len[r] = self.k;
        }
    }

    /// Each reviewer's papers, best first.
    pub(crate) fn into_lists(self) -> impl Iterator<Item = Vec<(f64, u32)>> {
        let (k, size) = (self.k, 2 * self.k);
        let kept = self.kept;
        self.len.into_iter().enumerate().map(move |(r, len)| {
            let mut list = kept[r * size..r * size + len].to_vec();
            cut(&mut list, k);
            list
        })
    }
}

/// The best-first order of kept scores: higher score, then lower index.
fn best_first(a: &(f64, u32), b: &(f64, u32)) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
}

/// Keeps the `k` best of `kept` (higher score, then lower index), sorted best first.
pub(crate) fn cut(kept: &mut Vec<(f64, u32)>, k: usize) {
    cut_slice(kept, k);
    kept.truncate(k);
}

/// Moves the `k` best of `kept` to its front, sorted best first.
fn cut_slice(kept: &mut [(f64, u32)], k: usize) {
    if kept.len() > k && k > 0 {
        kept.select_nth_unstable_by(k - 1, best_first);
    }
    let k = k.min(kept.len());
    kept[..k].sort_unstable_by(best_first);
}

/// Moves the `k` best of a full buffer (more than `k`, `k` > 0) to its front, in no order,
/// and returns the k-th best score: the bar while the buffer fills again. Only the final cut
/// needs them sorted, and the order is total (ties by index), so the `k` kept are the same.
fn keep_best(kept: &mut [(f64, u32)], k: usize) -> f64 {
    kept.select_nth_unstable_by(k - 1, best_first).1.0
}
