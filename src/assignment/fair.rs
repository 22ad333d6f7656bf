//! The first stage of the `fair` objective: the largest affinity floor `b` such that a valid
//! assignment exists using only candidates with affinity `>= b` (a bottleneck assignment,
//! found exactly by binary search over the distinct affinities with a maximum-flow test).
//! Every paper's affinity sum is then at least `reviews_needed * b` for its new reviews.

use crate::assignment::explain::flow_reasons;
use crate::assignment::network::{Layout, Prepared};
use crate::assignment::problem::{Infeasibility, Problem, Progress};
use crate::assignment::solve::{Feasible, feasible};

/// Largest feasible affinity floor, in integer units of the prepared problem.
pub(crate) fn bottleneck(
    problem: &Problem,
    prep: &Prepared,
    layout: &Layout,
    progress: &dyn Fn(Progress),
) -> Result<i64, Infeasibility> {
    let mut values: Vec<i64> = prep.cands.iter().map(|c| c.w).collect();
    values.sort_unstable();
    values.dedup();
    let all: Vec<u32> = (0..prep.cands.len() as u32).collect();
    if let Feasible::No(g, flow) = feasible(prep, layout, &all) {
        let needed: i64 = prep.need.iter().map(|&x| i64::from(x)).sum();
        return Err(Infeasibility {
            reasons: flow_reasons(problem, prep, layout, &g, flow, needed),
        });
    }
    // Invariant: values[lo] is feasible, values[hi] (if in range) is not.
    let (mut lo, mut hi) = (0usize, values.len());
    let steps = (values.len().max(2) as f64).log2().ceil() as u64;
    let mut done = 0;
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        let floor = values[mid];
        let subset: Vec<u32> = all
            .iter()
            .copied()
            .filter(|&c| prep.cands[c as usize].w >= floor)
            .collect();
        match feasible(prep, layout, &subset) {
            Feasible::Yes(_) => lo = mid,
            Feasible::No(..) => hi = mid,
        }
        done += 1;
        progress(Progress {
            stage: "fair floor",
            done,
            total: steps,
        });
    }
    Ok(values.get(lo).copied().unwrap_or(0))
}

/// A local-search move: `(gain, remove from p, add to p, optional (remove from q, add to q))`.
type Move = (i64, usize, usize, Option<(usize, usize)>);

/// Second stage of `fair`: local search that raises the lowest paper sum. Repeatedly takes the
/// paper with the lowest sum and applies its best improving move: replace one of its reviewers
/// by a better candidate with spare load, or swap reviewers with another paper that stays
/// strictly above the old minimum. Fixed pairs never move; every bound stays satisfied. Each
/// move raises the sorted vector of paper sums lexicographically, so the search terminates.
pub(crate) fn raise_minimum(prep: &Prepared, cand_flow: &mut [i32], progress: &dyn Fn(Progress)) {
    let np = prep.need.len();
    let nr = prep.min_left.len();
    let mut paper_start = vec![0usize; np + 1];
    for c in &prep.cands {
        paper_start[c.paper as usize + 1] += 1;
    }
    for p in 0..np {
        paper_start[p + 1] += paper_start[p];
    }
    let find = |p: usize, r: u32| -> Option<usize> {
        let range = paper_start[p]..paper_start[p + 1];
        prep.cands[range.clone()]
            .binary_search_by_key(&r, |c| c.reviewer)
            .ok()
            .map(|i| range.start + i)
    };
    let mut sum = vec![0i64; np];
    for (i, &(p, _)) in prep.fixed_pairs.iter().enumerate() {
        sum[p] += prep.fixed_w[i];
    }
    let mut load = vec![0u32; nr];
    let mut by_reviewer: Vec<Vec<usize>> = vec![Vec::new(); nr];
    for (c, cand) in prep.cands.iter().enumerate() {
        if cand_flow[c] > 0 {
            sum[cand.paper as usize] += cand.w;
            load[cand.reviewer as usize] += 1;
            by_reviewer[cand.reviewer as usize].push(c);
        }
    }
    let limit = 20 * np as u64 + 100;
    for step in 0..limit {
        let Some(p) = (0..np).min_by_key(|&p| (sum[p], p)) else {
            return;
        };
        let mut best: Option<Move> = None;
        for c in paper_start[p]..paper_start[p + 1] {
            if cand_flow[c] == 0 {
                continue;
            }
            let r = prep.cands[c].reviewer;
            for c2 in paper_start[p]..paper_start[p + 1] {
                let gain = prep.cands[c2].w - prep.cands[c].w;
                if cand_flow[c2] > 0 || gain <= 0 || best.is_some_and(|b| b.0 >= gain) {
                    continue;
                }
                let r2 = prep.cands[c2].reviewer as usize;
                if load[r2] < prep.max_left[r2] && load[r as usize] > prep.min_left[r as usize] {
                    best = Some((gain, c, c2, None));
                    continue;
                }
                for &d in &by_reviewer[r2] {
                    let q = prep.cands[d].paper as usize;
                    if q == p {
                        continue;
                    }
                    if let Some(e) = find(q, r) {
                        let q_after = sum[q] - prep.cands[d].w + prep.cands[e].w;
                        if cand_flow[e] == 0 && q_after > sum[p] {
                            best = Some((gain, c, c2, Some((d, e))));
                            break;
                        }
                    }
                }
            }
        }
        let Some((_, c, c2, swap)) = best else {
            return;
        };
        let mut moves = vec![(c, c2)];
        moves.extend(swap);
        for (out, inn) in moves {
            let (o, i) = (prep.cands[out], prep.cands[inn]);
            cand_flow[out] = 0;
            cand_flow[inn] = 1;
            sum[o.paper as usize] += i.w - o.w;
            load[o.reviewer as usize] -= 1;
            load[i.reviewer as usize] += 1;
            by_reviewer[o.reviewer as usize].retain(|&x| x != out);
            by_reviewer[i.reviewer as usize].push(inn);
        }
        if step % 1024 == 0 {
            progress(Progress {
                stage: "fair local search",
                done: step,
                total: limit,
            });
        }
    }
}
