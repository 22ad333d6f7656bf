//! Residual flow network in compressed adjacency form, shared by the max-flow feasibility
//! check ([`crate::assignment::maxflow`]) and the min-cost solver
//! ([`crate::assignment::mincost`]). Edges are added as a list, then frozen into arrays.

/// One directed edge before freezing: `cap` units from `tail` to `head` at `cost` per unit.
#[derive(Debug, Clone, Copy)]
pub struct EdgeSpec {
    /// Tail node.
    pub tail: u32,
    /// Head node.
    pub head: u32,
    /// Capacity (upper bound); lower bounds are modelled by node supplies.
    pub cap: i32,
    /// Integer cost per unit (already scaled).
    pub cost: i64,
    /// Flow already on the edge (`0..=cap`).
    pub flow: i32,
}

/// Residual graph: every edge gives a forward arc and a reverse arc, grouped by tail.
#[derive(Debug, Clone)]
pub struct Graph {
    /// Number of nodes.
    pub n: usize,
    /// `start[v]..start[v + 1]` are the arcs leaving `v`.
    pub start: Vec<u32>,
    /// Head node of each arc.
    pub head: Vec<u32>,
    /// Position of the partner arc.
    pub rev: Vec<u32>,
    /// Residual capacity of each arc.
    pub rescap: Vec<i32>,
    /// Cost of each arc (reverse arcs carry the negated cost).
    pub cost: Vec<i64>,
    /// Position of the forward arc of edge `e`.
    pub edge_arc: Vec<u32>,
}

impl Graph {
    /// Freezes an edge list into a residual graph on `n` nodes.
    pub fn build(n: usize, edges: &[EdgeSpec]) -> Self {
        let mut start = vec![0u32; n + 1];
        for e in edges {
            start[e.tail as usize + 1] += 1;
            start[e.head as usize + 1] += 1;
        }
        for v in 0..n {
            start[v + 1] += start[v];
        }
        let m = edges.len() * 2;
        let mut fill: Vec<u32> = start[..n].to_vec();
        let mut head = vec![0u32; m];
        let mut rev = vec![0u32; m];
        let mut rescap = vec![0i32; m];
        let mut cost = vec![0i64; m];
        let mut edge_arc = Vec::with_capacity(edges.len());
        for e in edges {
            let a = fill[e.tail as usize];
            fill[e.tail as usize] += 1;
            let b = fill[e.head as usize];
            fill[e.head as usize] += 1;
            head[a as usize] = e.head;
            head[b as usize] = e.tail;
            rev[a as usize] = b;
            rev[b as usize] = a;
            rescap[a as usize] = e.cap - e.flow;
            rescap[b as usize] = e.flow;
            cost[a as usize] = e.cost;
            cost[b as usize] = -e.cost;
            edge_arc.push(a);
        }
        Self {
            n,
            start,
            head,
            rev,
            rescap,
            cost,
            edge_arc,
        }
    }

    /// Current flow on edge `e` (the residual capacity of its reverse arc).
    pub fn flow(&self, e: usize) -> i32 {
        self.rescap[self.rev[self.edge_arc[e] as usize] as usize]
    }

    /// Arc positions leaving node `v`.
    pub fn arcs(&self, v: usize) -> std::ops::Range<usize> {
        self.start[v] as usize..self.start[v + 1] as usize
    }

    /// Pushes `delta` units along arc `a`.
    #[inline]
    pub fn push(&mut self, a: usize, delta: i32) {
        self.rescap[a] -= delta;
        let r = self.rev[a] as usize;
        self.rescap[r] += delta;
    }
}
