//! Synthetic problems in the `cfp assign --problem DIR` format, for benchmarks and tests.
//!
//! N papers and N reviewers; reviewer i wrote paper i (a conflict) and about 1% more random
//! conflicts are added (`N * N / 100` draws up to N = 1,000, `10 * N` beyond). Each paper is a
//! Dirichlet(0.3) mixture over 20 topics; each reviewer's expertise is `0.7 ×` their own
//! paper's mixture `+ 0.3 ×` a fresh one. Affinity is the cosine similarity, written with 4
//! decimals. Dense problems list every non-conflicted pair; `sparse = K` keeps the union of each
//! paper's K best reviewers and each reviewer's K best papers. Seeded and deterministic (own
//! xoshiro256** generator), so a seed always yields the same files.

use crate::assignment::io::Constraints;
use std::io::Write;
use std::path::Path;

const TOPICS: usize = 20;
const CONCENTRATION: f64 = 0.3;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenSpec {
    /// Papers and reviewers.
    pub n: usize,
    /// PRNG seed.
    pub seed: u64,
    /// Keep each side's K best pairs (0 = dense).
    pub sparse: usize,
    /// Constraints written to `constraints.json`.
    pub constraints: Constraints,
}

/// Counts of what was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct GenSummary {
    /// Papers.
    pub papers: usize,
    /// Reviewers.
    pub reviewers: usize,
    /// Candidate pairs written to `affinity.csv`.
    pub candidates: usize,
    /// Conflicts written to `conflicts.csv`.
    pub conflicts: usize,
}

/// xoshiro256** seeded through splitmix64.
pub struct Rng([u64; 4]);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        Self([next(), next(), next(), next()])
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.0;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in `[0, 1)`.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    fn normal(&mut self) -> f64 {
        let u = 1.0 - self.uniform();
        let v = self.uniform();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    /// Gamma(shape, 1) by Marsaglia and Tsang (with the `U^(1/a)` boost for shape < 1).
    fn gamma(&mut self, shape: f64) -> f64 {
        if shape < 1.0 {
            let u = 1.0 - self.uniform();
            return self.gamma(shape + 1.0) * u.powf(1.0 / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = (1.0 + c * x).powi(3);
            if v <= 0.0 {
                continue;
            }
            let u = 1.0 - self.uniform();
            if u.ln() < 0.5 * x * x + d - d * v + d * v.ln() {
                return d * v;
            }
        }
    }

    fn dirichlet(&mut self) -> [f64; TOPICS] {
        let mut x = [0.0; TOPICS];
        for v in &mut x {
            *v = self.gamma(CONCENTRATION);
        }
        let sum: f64 = x.iter().sum::<f64>().max(f64::MIN_POSITIVE);
        x.map(|v| v / sum)
    }
}

fn normalised(mut v: [f64; TOPICS]) -> [f32; TOPICS] {
    let norm = v
        .iter()
        .map(|x| x * x)
        .sum::<f64>()
        .sqrt()
        .max(f64::MIN_POSITIVE);
    for x in &mut v {
        *x /= norm;
    }
    v.map(|x| x as f32)
}

fn dot(a: &[f32; TOPICS], b: &[f32; TOPICS]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Indices of the `k` largest values of `row` (all when `k >= row.len()`).
fn top_k(row: &[f32], k: usize, scratch: &mut Vec<u32>) -> Vec<u32> {
    scratch.clear();
    scratch.extend(0..row.len() as u32);
    if k < row.len() && k > 0 {
        scratch.select_nth_unstable_by(k - 1, |&a, &b| {
            row[b as usize].total_cmp(&row[a as usize]).then(a.cmp(&b))
        });
        scratch.truncate(k);
    }
    scratch.clone()
}

/// Writes `affinity.csv`, `conflicts.csv` and `constraints.json` into `dir`.
pub fn generate(dir: &Path, spec: &GenSpec) -> std::io::Result<GenSummary> {
    let n = spec.n;
    let mut rng = Rng::new(spec.seed);
    let papers: Vec<[f64; TOPICS]> = (0..n).map(|_| rng.dirichlet()).collect();
    let reviewers: Vec<[f32; TOPICS]> = papers
        .iter()
        .map(|p| {
            let q = rng.dirichlet();
            normalised(std::array::from_fn(|t| 0.7 * p[t] + 0.3 * q[t]))
        })
        .collect();
    let papers: Vec<[f32; TOPICS]> = papers.into_iter().map(normalised).collect();
    let mut conflicts: Vec<(u32, u32)> = (0..n as u32).map(|i| (i, i)).collect();
    let extra = if n <= 1000 {
        (n * n / 100).max(1)
    } else {
        n * 10
    };
    for _ in 0..extra {
        conflicts.push((rng.below(n) as u32, rng.below(n) as u32));
    }
    conflicts.sort_unstable();
    conflicts.dedup();
    std::fs::create_dir_all(dir)?;
    let mut out = std::io::BufWriter::new(std::fs::File::create(dir.join("conflicts.csv"))?);
    out.write_all(b"paper_id,reviewer_id\n")?;
    for &(p, r) in &conflicts {
        writeln!(out, "p{p},r{r}")?;
    }
    out.flush()?;
    let mut row = vec![0f32; n];
    let mut scratch = Vec::new();
    // Each reviewer's best papers, as (paper, reviewer) pairs sorted by paper.
    let mut by_reviewer: Vec<(u32, u32)> = Vec::new();
    if spec.sparse > 0 {
        for (r, rv) in reviewers.iter().enumerate() {
            for (p, pv) in papers.iter().enumerate() {
                row[p] = dot(rv, pv);
            }
            for p in top_k(&row, spec.sparse, &mut scratch) {
                by_reviewer.push((p, r as u32));
            }
        }
        by_reviewer.sort_unstable();
    }
    let mut out = std::io::BufWriter::new(std::fs::File::create(dir.join("affinity.csv"))?);
    out.write_all(b"paper_id,reviewer_id,score\n")?;
    let mut candidates = 0;
    let (mut ci, mut bi) = (0usize, 0usize);
    let mut keep = vec![false; n];
    for (p, pv) in papers.iter().enumerate() {
        for (r, rv) in reviewers.iter().enumerate() {
            row[r] = dot(pv, rv);
        }
        if spec.sparse > 0 {
            keep.fill(false);
            for r in top_k(&row, spec.sparse, &mut scratch) {
                keep[r as usize] = true;
            }
            while bi < by_reviewer.len() && by_reviewer[bi].0 as usize == p {
                keep[by_reviewer[bi].1 as usize] = true;
                bi += 1;
            }
        }
        for (r, &score) in row.iter().enumerate() {
            while ci < conflicts.len()
                && (conflicts[ci].0 as usize, conflicts[ci].1 as usize) < (p, r)
            {
                ci += 1;
            }
            let conflicted = ci < conflicts.len() && conflicts[ci] == (p as u32, r as u32);
            if conflicted || (spec.sparse > 0 && !keep[r]) {
                continue;
            }
            writeln!(out, "p{p},r{r},{score:.4}")?;
            candidates += 1;
        }
    }
    out.flush()?;
    let json = serde_json::to_string(&spec.constraints).map_err(std::io::Error::other)?;
    std::fs::write(dir.join("constraints.json"), json)?;
    Ok(GenSummary {
        papers: n,
        reviewers: n,
        candidates,
        conflicts: conflicts.len(),
    })
}
