//! Minimum-cost flow by cost scaling (Goldberg's push-relabel "refine" with FIFO discharge and
//! global price updates).
//!
//! The caller supplies a graph that already carries a feasible flow (from
//! [`crate::assignment::maxflow`]) and costs multiplied by `n + 1`; this module only improves the
//! flow. Ending with `epsilon = 1` on costs scaled by `n + 1` means every residual cycle has
//! original cost `>= -n / (n + 1) > -1`, so, costs being integers, the flow is exactly optimal.

use crate::assignment::graph::Graph;
use std::collections::VecDeque;

/// Division factor between successive epsilon phases.
/// (8–16 measured best on the generated N = 1,000 and 10,000 problems.)
const ALPHA: i64 = 12;

/// Runs the scaling phases from `eps_start` down to 1, reusing and updating `price`.
/// `on_phase(done, total)` is called after each phase.
/// Returns `false` if a node ran out of residual arcs (only possible on an infeasible input).
pub fn optimise(
    g: &mut Graph,
    price: &mut [i64],
    eps_start: i64,
    on_phase: &mut dyn FnMut(u64, u64),
) -> bool {
    let mut phases = 1u64;
    let mut e = eps_start.max(1);
    while e > 1 {
        e = (e / ALPHA).max(1);
        phases += 1;
    }
    let mut eps = eps_start.max(1);
    let mut done = 0u64;
    let mut refiner = Refiner::new(g.n);
    loop {
        if !refiner.refine(g, price, eps) {
            return false;
        }
        done += 1;
        on_phase(done, phases);
        if eps == 1 {
            return true;
        }
        eps = (eps / ALPHA).max(1);
    }
}

struct Refiner {
    dist: Vec<i64>,
    done: Vec<bool>,
    buckets: Vec<Vec<u32>>,
    relabels: usize,
    excess: Vec<i64>,
    current: Vec<u32>,
    queued: Vec<bool>,
    queue: VecDeque<u32>,
}

impl Refiner {
    fn new(n: usize) -> Self {
        Self {
            dist: vec![0; n],
            done: vec![false; n],
            buckets: Vec::new(),
            relabels: 0,
            excess: vec![0; n],
            current: vec![0; n],
            queued: vec![false; n],
            queue: VecDeque::new(),
        }
    }

    /// Turns a feasible flow into an `eps`-optimal feasible flow.
    fn refine(&mut self, g: &mut Graph, price: &mut [i64], eps: i64) -> bool {
        self.excess.fill(0);
        // Saturate every arc with negative reduced cost: the pseudoflow becomes 0-optimal.
        for v in 0..g.n {
            let pv = price[v];
            for a in g.arcs(v) {
                let cap = g.rescap[a];
                if cap > 0 {
                    let w = g.head[a] as usize;
                    if g.cost[a] + pv - price[w] < 0 {
                        g.push(a, cap);
                        self.excess[v] -= i64::from(cap);
                        self.excess[w] += i64::from(cap);
                    }
                }
            }
        }
        self.current.copy_from_slice(&g.start[..g.n]);
        self.queue.clear();
        for v in 0..g.n {
            self.queued[v] = self.excess[v] > 0;
            if self.queued[v] {
                self.queue.push_back(v as u32);
            }
        }
        self.update_prices(g, price, eps);
        self.relabels = 0;
        while let Some(v) = self.queue.pop_front() {
            let v = v as usize;
            self.queued[v] = false;
            if self.relabels > 2 * g.n {
                self.relabels = 0;
                self.update_prices(g, price, eps);
                self.current.copy_from_slice(&g.start[..g.n]);
            }
            if !self.discharge(g, price, eps, v) {
                return false;
            }
        }
        true
    }

    /// Global price update: lowers each price by `eps` times its distance (in units of `eps`
    /// of reduced cost) to a node with a deficit, found by a backward bucket search (Dial's
    /// Dijkstra). Keeps `eps`-optimality and gives every active node an admissible path. The
    /// search may stop at any level `L`: nodes not finished by then are at distance `>= L` and
    /// are all lowered by `L`, which still keeps `eps`-optimality.
    fn update_prices(&mut self, g: &Graph, price: &mut [i64], eps: i64) {
        let mut active = self.excess.iter().filter(|&&e| e > 0).count();
        if active == 0 {
            return;
        }
        let cap = g.n;
        if self.buckets.len() <= cap {
            self.buckets.resize_with(cap + 1, Vec::new);
        }
        self.dist.fill(i64::MAX);
        self.done.fill(false);
        for v in 0..g.n {
            if self.excess[v] < 0 {
                self.dist[v] = 0;
                self.buckets[0].push(v as u32);
            }
        }
        let mut level = 0;
        'search: while level <= cap {
            while let Some(w) = self.buckets[level].pop() {
                let w = w as usize;
                if self.done[w] || self.dist[w] != level as i64 {
                    continue;
                }
                self.done[w] = true;
                if self.excess[w] > 0 {
                    active -= 1;
                    if active == 0 {
                        break 'search;
                    }
                }
                let d = level as i64;
                for b in g.arcs(w) {
                    let a = g.rev[b] as usize;
                    if g.rescap[a] == 0 {
                        continue;
                    }
                    let v = g.head[b] as usize;
                    if self.done[v] {
                        continue;
                    }
                    let rc = g.cost[a] + price[v] - price[w];
                    let nd = if rc < 0 {
                        d
                    } else {
                        d.saturating_add(rc / eps + 1)
                    };
                    if nd < self.dist[v] && nd <= cap as i64 {
                        self.dist[v] = nd;
                        self.buckets[nd as usize].push(v as u32);
                    }
                }
            }
            level += 1;
        }
        let level = level.min(cap) as i64;
        for bucket in &mut self.buckets {
            bucket.clear();
        }
        for (v, p) in price.iter_mut().enumerate() {
            let d = if self.done[v] { self.dist[v] } else { level };
            *p -= d * eps;
        }
    }

    fn discharge(&mut self, g: &mut Graph, price: &mut [i64], eps: i64, v: usize) -> bool {
        let end = g.start[v + 1];
        while self.excess[v] > 0 {
            let pv = price[v];
            let mut a = self.current[v];
            while a < end {
                let ai = a as usize;
                let cap = g.rescap[ai];
                if cap > 0 {
                    let w = g.head[ai] as usize;
                    if g.cost[ai] + pv - price[w] < 0 {
                        let delta = (i64::from(cap)).min(self.excess[v]);
                        // delta <= cap, so it fits in i32.
                        g.push(ai, delta as i32);
                        self.excess[v] -= delta;
                        self.excess[w] += delta;
                        if self.excess[w] > 0 && !self.queued[w] {
                            self.queued[w] = true;
                            self.queue.push_back(w as u32);
                        }
                        if self.excess[v] == 0 {
                            break;
                        }
                    }
                }
                a += 1;
            }
            self.current[v] = a;
            if self.excess[v] > 0 {
                // Relabel: lower the price just enough to make some residual arc admissible.
                let mut best = i64::MIN;
                let mut best_arc = end;
                for ai in g.arcs(v) {
                    if g.rescap[ai] > 0 {
                        let cand = price[g.head[ai] as usize] - g.cost[ai];
                        if cand > best {
                            best = cand;
                            best_arc = ai as u32;
                        }
                    }
                }
                if best == i64::MIN {
                    return false;
                }
                price[v] = best - eps;
                self.relabels += 1;
                self.current[v] = best_arc;
            }
        }
        true
    }
}
