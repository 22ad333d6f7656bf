//! A read-only map keyed by (paper, reviewer) for the lookups of building a problem (is this
//! pair conflicted? what did this reviewer bid?): each paper's entries sorted by reviewer in
//! one array, so a lookup is a binary search in the few entries of one paper instead of
//! hashing a pair, and building it is one sort.

/// Values by (paper, reviewer) for papers `0..papers`.
pub(crate) struct PairMap<V> {
    /// Paper `p`'s entries are `start[p]..start[p + 1]`.
    start: Vec<usize>,
    reviewer: Vec<usize>,
    value: Vec<V>,
}

impl<V: Copy> PairMap<V> {
    /// The map of `entries`; of the same pair given twice the later wins (as when collecting
    /// into a hash map), and papers from `papers` on are left out.
    pub(crate) fn new(papers: usize, entries: impl IntoIterator<Item = (usize, usize, V)>) -> Self {
        let mut all: Vec<(usize, usize, V)> = entries
            .into_iter()
            .filter(|&(p, _, _)| p < papers)
            .collect();
        // Stable: equal pairs stay in the order given, and the last of each run is kept.
        all.sort_by_key(|&(p, r, _)| (p, r));
        let mut start = vec![0usize; papers + 1];
        let mut reviewer = Vec::with_capacity(all.len());
        let mut value = Vec::with_capacity(all.len());
        for (i, &(p, r, v)) in all.iter().enumerate() {
            if all
                .get(i + 1)
                .is_some_and(|next| (next.0, next.1) == (p, r))
            {
                continue;
            }
            start[p + 1] += 1;
            reviewer.push(r);
            value.push(v);
        }
        for p in 0..papers {
            start[p + 1] += start[p];
        }
        PairMap {
            start,
            reviewer,
            value,
        }
    }

    /// The value of `(paper, reviewer)`, if any.
    pub(crate) fn get(&self, paper: usize, reviewer: usize) -> Option<V> {
        let (from, to) = (*self.start.get(paper)?, *self.start.get(paper + 1)?);
        let i = self.reviewer[from..to].binary_search(&reviewer).ok()?;
        Some(self.value[from + i])
    }

    /// Whether `(paper, reviewer)` has a value.
    pub(crate) fn contains(&self, paper: usize, reviewer: usize) -> bool {
        self.get(paper, reviewer).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn lookups_agree_with_a_hash_map_the_later_duplicate_winning() {
        let mut state = 7u64;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            ((state >> 33) % n) as usize
        };
        let entries: Vec<(usize, usize, usize)> =
            (0..500).map(|i| (next(12), next(9), i)).collect();
        let map = PairMap::new(10, entries.iter().copied());
        let reference: HashMap<(usize, usize), usize> = entries
            .iter()
            .filter(|e| e.0 < 10)
            .map(|&(p, r, v)| ((p, r), v))
            .collect();
        for p in 0..13 {
            for r in 0..10 {
                assert_eq!(map.get(p, r), reference.get(&(p, r)).copied(), "({p}, {r})");
                assert_eq!(map.contains(p, r), reference.contains_key(&(p, r)));
            }
        }
    }

    #[test]
    fn an_empty_map_has_nothing() {
        let map: PairMap<()> = PairMap::new(0, []);
        assert!(!map.contains(0, 0));
    }
}
