//! Infeasibility explanations: the simple counting conditions (checked before any flow is
//! built) and a Hall-violating set read off the residual graph of a maximum flow.

use crate::assignment::graph::Graph;
use crate::assignment::maxflow::reachable;
use crate::assignment::network::{Layout, Prepared};
use crate::assignment::problem::Problem;

/// How many names to list before "and N more".
const LIST: usize = 8;

/// Counting conditions that any valid assignment must meet; empty when all hold.
pub fn counting_reasons(problem: &Problem, prep: &Prepared) -> Vec<String> {
    let mut reasons = Vec::new();
    let needed: u64 = prep.need.iter().map(|&x| u64::from(x)).sum();
    let fixed = prep.fixed_pairs.len();
    let fixed_note = |n: u64| {
        if fixed > 0 {
            format!(" ({n} more after the {fixed} fixed pairs)")
        } else {
            String::new()
        }
    };
    let capacity: u64 = (0..problem.reviewers.len())
        .map(|r| u64::from(prep.max_left[r].min(prep.reviewer_degree[r])))
        .sum();
    if needed > capacity {
        reasons.push(format!(
            "papers need {needed} reviews{} but reviewers can give at most {capacity} \
             (maximum loads, counting only their non-conflicted candidate papers)",
            fixed_note(needed)
        ));
    }
    let minimum: u64 = prep.min_left.iter().map(|&x| u64::from(x)).sum();
    if minimum > needed {
        reasons.push(format!(
            "reviewers' minimum loads need {minimum} reviews but papers take only {needed}"
        ));
    }
    let mut short_papers = Vec::new();
    for (p, paper) in problem.papers.iter().enumerate() {
        if prep.paper_degree[p] < prep.need[p] {
            short_papers.push(format!(
                "paper {} needs {} more reviews but has only {} non-conflicted candidate reviewers",
                paper.key, prep.need[p], prep.paper_degree[p]
            ));
        }
    }
    push_limited(&mut reasons, short_papers, "papers");
    let mut short_reviewers = Vec::new();
    for (r, reviewer) in problem.reviewers.iter().enumerate() {
        if prep.reviewer_degree[r] < prep.min_left[r] {
            short_reviewers.push(format!(
                "reviewer {} must review at least {} more papers but has only {} non-conflicted \
                 candidate papers",
                reviewer.key, prep.min_left[r], prep.reviewer_degree[r]
            ));
        }
    }
    push_limited(&mut reasons, short_reviewers, "reviewers");
    reasons
}

fn push_limited(reasons: &mut Vec<String>, mut items: Vec<String>, what: &str) {
    let extra = items.len().saturating_sub(LIST);
    items.truncate(LIST);
    reasons.extend(items);
    if extra > 0 {
        reasons.push(format!("… and {extra} more {what} like these"));
    }
}

fn names<'a>(keys: impl Iterator<Item = &'a str>) -> String {
    let all: Vec<&str> = keys.collect();
    let shown = all
        .iter()
        .take(LIST)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if all.len() > LIST {
        format!("{shown} and {} more", all.len() - LIST)
    } else {
        shown
    }
}

/// Explains why a maximum flow on the full candidate graph `g` falls short of `needed`.
pub fn flow_reasons(
    problem: &Problem,
    prep: &Prepared,
    layout: &Layout,
    g: &Graph,
    flow: i64,
    needed: i64,
) -> Vec<String> {
    let mut reasons = Vec::new();
    let seen = reachable(g, layout.source);
    // Papers still reachable from the source form a Hall-violating set when their candidate
    // reviewers cannot absorb their demand.
    let papers: Vec<usize> = (0..layout.papers).filter(|&p| seen[p]).collect();
    let mut in_nbr = vec![false; layout.reviewers];
    for c in &prep.cands {
        if seen[c.paper as usize] {
            in_nbr[c.reviewer as usize] = true;
        }
    }
    let nbrs: Vec<usize> = (0..layout.reviewers).filter(|&r| in_nbr[r]).collect();
    let demand: u64 = papers.iter().map(|&p| u64::from(prep.need[p])).sum();
    let capacity: u64 = nbrs.iter().map(|&r| u64::from(prep.max_left[r])).sum();
    if !papers.is_empty() && demand > capacity {
        reasons.push(format!(
            "papers {} ({} papers) need {demand} reviews together, but their only non-conflicted \
             candidate reviewers ({}; {} reviewers) can give at most {capacity}",
            names(papers.iter().map(|&p| problem.papers[p].key.as_str())),
            papers.len(),
            names(nbrs.iter().map(|&r| problem.reviewers[r].key.as_str())),
            nbrs.len()
        ));
    }
    // Reviewers whose minimum load is not met, against the papers they could take.
    let short: Vec<usize> = (0..layout.reviewers)
        .filter(|&r| {
            let e = layout.reviewer_min_edge(r);
            g.flow(e) < prep.min_left[r] as i32
        })
        .collect();
    if !short.is_empty() {
        let mut in_short = vec![false; layout.reviewers];
        for &r in &short {
            in_short[r] = true;
        }
        let mut pap = vec![false; layout.papers];
        for c in &prep.cands {
            if in_short[c.reviewer as usize] {
                pap[c.paper as usize] = true;
            }
        }
        let need_min: u64 = short.iter().map(|&r| u64::from(prep.min_left[r])).sum();
        let papers_take: u64 = (0..layout.papers)
            .filter(|&p| pap[p])
            .map(|p| u64::from(prep.need[p]))
            .sum();
        if need_min > papers_take {
            reasons.push(format!(
                "reviewers {} need {need_min} reviews together to reach their minimum loads, but \
                 their candidate papers take only {papers_take}",
                names(short.iter().map(|&r| problem.reviewers[r].key.as_str()))
            ));
        }
    }
    reasons.push(format!(
        "at most {flow} of the {needed} required reviews can be placed while respecting every \
         conflict and load bound"
    ));
    reasons
}
