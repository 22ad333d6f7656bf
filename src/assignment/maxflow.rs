//! Dinic's maximum flow, used to decide feasibility before optimising and to find the set of
//! nodes still reachable from the source, from which infeasibility is explained.

use crate::assignment::graph::Graph;
use std::collections::VecDeque;

/// Augments the flow from `s` to `t` until it is maximum; returns the amount added.
pub fn max_flow(g: &mut Graph, s: usize, t: usize) -> i64 {
    let mut total = 0i64;
    let mut level = vec![-1i32; g.n];
    let mut current = vec![0u32; g.n];
    let mut queue = VecDeque::new();
    // Stack of arcs along the current path (iterative DFS: paths can be long).
    let mut path: Vec<usize> = Vec::new();
    loop {
        bfs_levels(g, s, &mut level, &mut queue);
        if level[t] < 0 {
            return total;
        }
        current.copy_from_slice(&g.start[..g.n]);
        loop {
            let pushed = blocking_path(g, s, t, &level, &mut current, &mut path);
            if pushed == 0 {
                break;
            }
            total += i64::from(pushed);
        }
    }
}

fn bfs_levels(g: &Graph, s: usize, level: &mut [i32], queue: &mut VecDeque<usize>) {
    level.fill(-1);
    level[s] = 0;
    queue.clear();
    queue.push_back(s);
    while let Some(v) = queue.pop_front() {
        for a in g.arcs(v) {
            let w = g.head[a] as usize;
            if g.rescap[a] > 0 && level[w] < 0 {
                level[w] = level[v] + 1;
                queue.push_back(w);
            }
        }
    }
}

/// Finds one augmenting path in the level graph and pushes its bottleneck; 0 when blocked.
fn blocking_path(
    g: &mut Graph,
    s: usize,
    t: usize,
    level: &[i32],
    current: &mut [u32],
    path: &mut Vec<usize>,
) -> i32 {
    path.clear();
    let mut v = s;
    loop {
        if v == t {
            let delta = path.iter().map(|&a| g.rescap[a]).min().unwrap_or(0);
            for &a in path.iter() {
                g.push(a, delta);
            }
            return delta;
        }
        let end = g.start[v + 1];
        let mut advanced = false;
        while current[v] < end {
            let a = current[v] as usize;
            let w = g.head[a] as usize;
            if g.rescap[a] > 0 && level[w] == level[v] + 1 {
                path.push(a);
                v = w;
                advanced = true;
                break;
            }
            current[v] += 1;
        }
        if !advanced {
            // Dead end: retreat and skip the arc that led here.
            match path.pop() {
                None => return 0,
                Some(a) => {
                    v = g.head[g.rev[a] as usize] as usize;
                    current[v] += 1;
                }
            }
        }
    }
}

/// Nodes reachable from `s` through arcs with residual capacity.
pub fn reachable(g: &Graph, s: usize) -> Vec<bool> {
    let mut seen = vec![false; g.n];
    let mut stack = vec![s];
    seen[s] = true;
    while let Some(v) = stack.pop() {
        for a in g.arcs(v) {
            let w = g.head[a] as usize;
            if g.rescap[a] > 0 && !seen[w] {
                seen[w] = true;
                stack.push(w);
            }
        }
    }
    seen
}
