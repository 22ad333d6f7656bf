//! The solver entry point: counting checks, feasibility by maximum flow, then exact
//! minimum-cost flow on a pruned candidate set, grown by pricing until the prices certify
//! optimality on the full set (column generation).

use crate::assignment::explain::{counting_reasons, flow_reasons};
use crate::assignment::graph::Graph;
use crate::assignment::maxflow::max_flow;
use crate::assignment::mincost::optimise;
use crate::assignment::network::{Layout, Prepared, prepare};
use crate::assignment::problem::{Infeasibility, Objective, Problem, Progress, Solution};

/// After pricing adds candidates, scaling restarts from the worst violation divided by this:
/// most violations are small, and restarting at the full violation repeats needless phases.
/// Any start is correct (refine works from any flow); this only affects speed.
const WARM_START_DIVISOR: i64 = 16;

/// Computes an optimal assignment for `objective`, or explains why none exists.
/// Deterministic: the same input gives the same pairs.
pub fn solve(
    problem: &Problem,
    objective: Objective,
    progress: &dyn Fn(Progress),
) -> Result<Solution, Infeasibility> {
    let prep = prepare(problem)?;
    let reasons = counting_reasons(problem, &prep);
    if !reasons.is_empty() {
        return Err(Infeasibility { reasons });
    }
    let layout = Layout::new(&prep);
    let all: Vec<u32> = (0..prep.cands.len() as u32).collect();
    let flows = match objective {
        Objective::Total => max_total(problem, &prep, &layout, &all, progress)?,
        Objective::Fair => {
            // Two starts, each improved by local search; the better (lowest paper sum first,
            // then total) wins, so `fair` never ends below `total` on the lowest paper sum.
            let floor = crate::assignment::fair::bottleneck(problem, &prep, &layout, progress)?;
            let above: Vec<u32> = all
                .iter()
                .copied()
                .filter(|&c| prep.cands[c as usize].w >= floor)
                .collect();
            let mut best: Option<((i64, i64), Vec<i32>)> = None;
            for allowed in [&above, &all] {
                let mut flows = max_total(problem, &prep, &layout, allowed, progress)?;
                crate::assignment::fair::raise_minimum(&prep, &mut flows, progress);
                let key = score(&prep, &flows);
                if best.as_ref().is_none_or(|b| key > b.0) {
                    best = Some((key, flows));
                }
            }
            best.map(|b| b.1).unwrap_or_default()
        }
    };
    Ok(solution(&prep, &flows))
}

/// Per-paper affinity sums (fixed pairs included) in integer units.
fn paper_sums(prep: &Prepared, cand_flow: &[i32]) -> Vec<i64> {
    let mut per_paper = vec![0i64; prep.need.len()];
    for (i, &(p, _)) in prep.fixed_pairs.iter().enumerate() {
        per_paper[p] += prep.fixed_w[i];
    }
    for (c, cand) in prep.cands.iter().enumerate() {
        if cand_flow[c] > 0 {
            per_paper[cand.paper as usize] += cand.w;
        }
    }
    per_paper
}

/// `(lowest paper sum, total)` in integer units.
fn score(prep: &Prepared, cand_flow: &[i32]) -> (i64, i64) {
    let sums = paper_sums(prep, cand_flow);
    (sums.iter().copied().min().unwrap_or(0), sums.iter().sum())
}

/// Result of a feasibility check on some candidate subset.
pub(crate) enum Feasible {
    /// A feasible flow: the graph holding it.
    Yes(Graph),
    /// Infeasible: the saturated graph and the flow value reached.
    No(Graph, i64),
}

/// Maximum flow on the candidates in `subset`, starting from zero flow.
pub(crate) fn feasible(prep: &Prepared, layout: &Layout, subset: &[u32]) -> Feasible {
    let base = vec![0i32; layout.base_edges()];
    let zero = vec![0i32; prep.cands.len()];
    feasible_from(prep, layout, subset, &base, &zero, 0)
}

/// Maximum flow on the candidates in `subset`, starting from a flow of value `value` that
/// puts `base_flow` on the base edges and `cand_flow` on the candidates (zero on those it
/// did not use). The maximum is the same from any start; starting from the flow a smaller
/// subset reached leaves only the last few augmenting paths to find.
fn feasible_from(
    prep: &Prepared,
    layout: &Layout,
    subset: &[u32],
    base_flow: &[i32],
    cand_flow: &[i32],
    value: i64,
) -> Feasible {
    let edges = layout.edges(prep, subset, base_flow, cand_flow);
    let mut g = Graph::build(layout.n, &edges);
    let needed: i64 = prep.need.iter().map(|&x| i64::from(x)).sum();
    let flow = value + max_flow(&mut g, layout.source, layout.sink);
    if flow == needed {
        Feasible::Yes(g)
    } else {
        Feasible::No(g, flow)
    }
}

/// The flow `g` (built on `subset`) carries: on the base edges, and per candidate (indexed
/// like `prep.cands`, zero outside `subset`).
fn flows_of(g: &Graph, prep: &Prepared, layout: &Layout, subset: &[u32]) -> (Vec<i32>, Vec<i32>) {
    let base_flow: Vec<i32> = (0..layout.base_edges()).map(|i| g.flow(i)).collect();
    let mut cand_flow = vec![0i32; prep.cands.len()];
    for (i, &c) in subset.iter().enumerate() {
        cand_flow[c as usize] = g.flow(layout.base_edges() + i);
    }
    (base_flow, cand_flow)
}

/// A feasible flow on the pruned candidates of `allowed` if there is one, else the maximum
/// flow on all of `allowed`, and the subset it is on. The second search starts from the flow
/// the pruned set reached: the maximum is the same as from zero, and only the last augmenting
/// paths are left to find (on the 10,000-paper demo with minimum loads that cannot all be
/// met, a third of the time of a search from zero).
pub(crate) fn pruned_then_all(
    prep: &Prepared,
    layout: &Layout,
    allowed: &[u32],
) -> (Vec<u32>, Feasible) {
    let subset = prune(prep, allowed);
    match feasible(prep, layout, &subset) {
        Feasible::No(g, value) => {
            let (base_flow, cand_flow) = flows_of(&g, prep, layout, &subset);
            let all = feasible_from(prep, layout, allowed, &base_flow, &cand_flow, value);
            (allowed.to_vec(), all)
        }
        yes => (subset, yes),
    }
}

/// The initial candidate set: each paper's best `4 k + 4` and each reviewer's best
/// `2 max + 2` candidates among `allowed` (ties by index). Pricing adds whatever else matters.
fn prune(prep: &Prepared, allowed: &[u32]) -> Vec<u32> {
    let nr = prep.min_left.len();
    let mut keep = vec![false; prep.cands.len()];
    let better = |a: &u32, b: &u32| {
        let (x, y) = (prep.cands[*a as usize], prep.cands[*b as usize]);
        y.w.cmp(&x.w).then(a.cmp(b))
    };
    let mut group = |ids: &mut [u32], m: usize| {
        if ids.len() > m && m > 0 {
            ids.select_nth_unstable_by(m - 1, better);
        }
        for &c in ids.iter().take(m) {
            keep[c as usize] = true;
        }
    };
    // `allowed` is sorted by paper, because candidates are.
    let mut start = 0;
    while start < allowed.len() {
        let p = prep.cands[allowed[start] as usize].paper;
        let mut end = start;
        while end < allowed.len() && prep.cands[allowed[end] as usize].paper == p {
            end += 1;
        }
        let mut ids = allowed[start..end].to_vec();
        group(&mut ids, 4 * prep.need[p as usize] as usize + 4);
        start = end;
    }
    let mut offsets = vec![0usize; nr + 1];
    for &c in allowed {
        offsets[prep.cands[c as usize].reviewer as usize + 1] += 1;
    }
    for r in 0..nr {
        offsets[r + 1] += offsets[r];
    }
    let mut by_reviewer = vec![0u32; allowed.len()];
    let mut fill = offsets.clone();
    for &c in allowed {
        let r = prep.cands[c as usize].reviewer as usize;
        by_reviewer[fill[r]] = c;
        fill[r] += 1;
    }
    for r in 0..nr {
        let ids = &mut by_reviewer[offsets[r]..offsets[r + 1]];
        group(ids, 2 * prep.max_left[r] as usize + 2);
    }
    allowed
        .iter()
        .copied()
        .filter(|&c| keep[c as usize])
        .collect()
}

/// Exact maximum total affinity over the candidates in `allowed`; returns the flow per
/// candidate (indexed like `prep.cands`).
pub(crate) fn max_total(
    problem: &Problem,
    prep: &Prepared,
    layout: &Layout,
    allowed: &[u32],
    progress: &dyn Fn(Progress),
) -> Result<Vec<i32>, Infeasibility> {
    let needed: i64 = prep.need.iter().map(|&x| i64::from(x)).sum();
    progress(Progress {
        stage: "feasibility",
        done: 0,
        total: 1,
    });
    let (mut subset, g) = pruned_then_all(prep, layout, allowed);
    let mut g = match g {
        Feasible::Yes(g) => g,
        Feasible::No(g, flow) => {
            return Err(Infeasibility {
                reasons: flow_reasons(problem, prep, layout, &g, flow, needed),
            });
        }
    };
    let mut in_subset = vec![false; prep.cands.len()];
    for &c in &subset {
        in_subset[c as usize] = true;
    }
    let mult = layout.cost_multiplier();
    let mut price = vec![0i64; layout.n];
    let max_w = allowed
        .iter()
        .map(|&c| prep.cands[c as usize].w)
        .max()
        .unwrap_or(0);
    let mut eps = (max_w * mult).max(1);
    let mut cand_flow = vec![0i32; prep.cands.len()];
    let mut base_flow = vec![0i32; layout.base_edges()];
    for round in 1u64.. {
        let ok = optimise(&mut g, &mut price, eps, &mut |done, total| {
            progress(Progress {
                stage: "optimising",
                done,
                total,
            })
        });
        if !ok {
            return Err(Infeasibility::one(
                "internal error: the optimiser lost feasibility",
            ));
        }
        for (i, f) in base_flow.iter_mut().enumerate() {
            *f = g.flow(i);
        }
        for (i, &c) in subset.iter().enumerate() {
            cand_flow[c as usize] = g.flow(layout.base_edges() + i);
        }
        // Pricing: a left-out candidate whose reduced cost breaks 1-optimality joins the set.
        let mut worst = 0i64;
        let mut added = 0u64;
        for &c in allowed {
            if in_subset[c as usize] {
                continue;
            }
            let cand = prep.cands[c as usize];
            let (p, r) = (cand.paper as usize, layout.papers + cand.reviewer as usize);
            let reduced = -cand.w * mult + price[p] - price[r];
            if reduced < -1 {
                worst = worst.max(-reduced);
                in_subset[c as usize] = true;
                subset.push(c);
                added += 1;
            }
        }
        progress(Progress {
            stage: "pricing",
            done: round,
            total: 0,
        });
        if added == 0 {
            break;
        }
        let edges = layout.edges(prep, &subset, &base_flow, &cand_flow);
        g = Graph::build(layout.n, &edges);
        eps = (worst / WARM_START_DIVISOR).max(1);
    }
    Ok(cand_flow)
}

fn solution(prep: &Prepared, cand_flow: &[i32]) -> Solution {
    let mut pairs = prep.fixed_pairs.clone();
    for (c, cand) in prep.cands.iter().enumerate() {
        if cand_flow[c] > 0 {
            pairs.push((cand.paper as usize, cand.reviewer as usize));
        }
    }
    pairs.sort_unstable();
    let (min, total) = score(prep, cand_flow);
    let scale = prep.scale as f64;
    Solution {
        pairs,
        total_affinity: total as f64 / scale,
        min_paper_affinity: min as f64 / scale,
    }
}
