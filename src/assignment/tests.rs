//! Solver tests: worked examples, infeasibility explanations, and property tests comparing
//! `total` with a brute-force optimum on small random problems.
#![allow(clippy::unwrap_used)]

use crate::assignment::generate::{GenSpec, generate};
use crate::assignment::io::{Constraints, read_problem, write_assignment};
use crate::assignment::*;
use proptest::prelude::*;

fn problem(papers: usize, reviewers: usize, k: u32, min: u32, max: u32) -> Problem {
    Problem {
        papers: (0..papers)
            .map(|p| PaperSpec {
                key: format!("p{p}"),
                reviews_needed: k,
            })
            .collect(),
        reviewers: (0..reviewers)
            .map(|r| ReviewerSpec {
                key: format!("r{r}"),
                min_load: min,
                max_load: max,
            })
            .collect(),
        ..Problem::default()
    }
}

fn cand(paper: usize, reviewer: usize, affinity: f64) -> Candidate {
    Candidate {
        paper,
        reviewer,
        affinity,
    }
}

fn no_progress(_: Progress) {}

/// Every constraint of `problem` holds for `pairs`; returns the total integer affinity (1e-4).
fn check(problem: &Problem, pairs: &[(usize, usize)]) -> i64 {
    let mut load = vec![0u32; problem.reviewers.len()];
    let mut got = vec![0u32; problem.papers.len()];
    let mut seen = std::collections::HashSet::new();
    let mut total = 0;
    for &(p, r) in pairs {
        assert!(seen.insert((p, r)), "duplicate pair {p},{r}");
        assert!(!problem.conflicts.contains(&(p, r)) || problem.fixed.contains(&(p, r)));
        let c = problem
            .candidates
            .iter()
            .find(|c| c.paper == p && c.reviewer == r);
        assert!(
            c.is_some() || problem.fixed.contains(&(p, r)),
            "non-candidate {p},{r}"
        );
        total += c.map_or(0, |c| (c.affinity * 1e4).round() as i64);
        load[r] += 1;
        got[p] += 1;
    }
    for f in &problem.fixed {
        assert!(pairs.contains(f), "fixed pair {f:?} dropped");
    }
    for (p, paper) in problem.papers.iter().enumerate() {
        assert_eq!(got[p], paper.reviews_needed, "paper {p}");
    }
    for (r, reviewer) in problem.reviewers.iter().enumerate() {
        assert!(
            reviewer.min_load <= load[r] && load[r] <= reviewer.max_load,
            "reviewer {r}"
        );
    }
    total
}

/// Best total (1e-4 units) by enumerating every choice of reviewers per paper; None if none.
fn brute_force(problem: &Problem) -> Option<i64> {
    fn go(problem: &Problem, p: usize, load: &mut Vec<u32>, sum: i64, best: &mut Option<i64>) {
        if p == problem.papers.len() {
            let ok = problem
                .reviewers
                .iter()
                .enumerate()
                .all(|(r, s)| load[r] >= s.min_load);
            if ok && best.is_none_or(|b| sum > b) {
                *best = Some(sum);
            }
            return;
        }
        let mut options: Vec<(usize, i64)> = problem
            .candidates
            .iter()
            .filter(|c| c.paper == p && !problem.conflicts.contains(&(p, c.reviewer)))
            .map(|c| (c.reviewer, (c.affinity * 1e4).round() as i64))
            .collect();
        options.sort_unstable();
        options.dedup_by_key(|o| o.0);
        let k = problem.papers[p].reviews_needed as usize;
        let mut pick = Vec::new();
        choose(problem, p, &options, 0, k, &mut pick, load, sum, best);
    }
    #[allow(clippy::too_many_arguments)]
    fn choose(
        problem: &Problem,
        p: usize,
        options: &[(usize, i64)],
        from: usize,
        left: usize,
        pick: &mut Vec<usize>,
        load: &mut Vec<u32>,
        sum: i64,
        best: &mut Option<i64>,
    ) {
        if left == 0 {
            return go(problem, p + 1, load, sum, best);
        }
        for i in from..options.len() {
            let (r, w) = options[i];
            if load[r] < problem.reviewers[r].max_load {
                load[r] += 1;
                pick.push(r);
                choose(
                    problem,
                    p,
                    options,
                    i + 1,
                    left - 1,
                    pick,
                    load,
                    sum + w,
                    best,
                );
                pick.pop();
                load[r] -= 1;
            }
        }
    }
    let mut best = None;
    go(
        problem,
        0,
        &mut vec![0; problem.reviewers.len()],
        0,
        &mut best,
    );
    best
}

#[test]
fn total_picks_the_best_reviewers() {
    let mut pb = problem(2, 3, 1, 0, 1);
    pb.candidates = vec![
        cand(0, 0, 0.9),
        cand(0, 1, 0.8),
        cand(1, 0, 0.85),
        cand(1, 2, 0.1),
    ];
    let s = solve(&pb, Objective::Total, &no_progress).unwrap();
    // 0.8 + 0.85 beats 0.9 + 0.1.
    assert_eq!(s.pairs, vec![(0, 1), (1, 0)]);
    assert!((s.total_affinity - 1.65).abs() < 1e-9);
    assert!((s.min_paper_affinity - 0.8).abs() < 1e-9);
}

#[test]
fn fair_raises_the_worst_paper() {
    let mut pb = problem(2, 3, 1, 0, 1);
    pb.candidates = vec![
        cand(0, 0, 0.9),
        cand(0, 1, 0.5),
        cand(1, 0, 0.5),
        cand(1, 2, 0.2),
    ];
    let total = solve(&pb, Objective::Total, &no_progress).unwrap();
    let fair = solve(&pb, Objective::Fair, &no_progress).unwrap();
    assert_eq!(total.pairs, vec![(0, 0), (1, 2)]);
    assert_eq!(fair.pairs, vec![(0, 1), (1, 0)]);
    assert!(fair.min_paper_affinity > total.min_paper_affinity);
}

#[test]
fn fixed_pairs_are_kept_and_count_toward_loads() {
    let mut pb = problem(2, 2, 1, 0, 1);
    pb.candidates = vec![
        cand(0, 0, 0.9),
        cand(0, 1, 0.1),
        cand(1, 0, 0.9),
        cand(1, 1, 0.1),
    ];
    pb.fixed = vec![(1, 0)];
    let s = solve(&pb, Objective::Total, &no_progress).unwrap();
    assert_eq!(s.pairs, vec![(0, 1), (1, 0)]);
}

#[test]
fn conflicts_are_never_assigned() {
    let mut pb = problem(1, 2, 1, 0, 1);
    pb.candidates = vec![cand(0, 0, 0.9), cand(0, 1, 0.1)];
    pb.conflicts = vec![(0, 0)];
    let s = solve(&pb, Objective::Total, &no_progress).unwrap();
    assert_eq!(s.pairs, vec![(0, 1)]);
}

fn reasons(pb: &Problem) -> String {
    solve(pb, Objective::Total, &no_progress)
        .unwrap_err()
        .to_string()
}

#[test]
fn too_little_reviewer_capacity_is_explained_with_numbers() {
    let mut pb = problem(4, 2, 3, 0, 5);
    for p in 0..4 {
        pb.candidates.extend([cand(p, 0, 0.5), cand(p, 1, 0.5)]);
    }
    let text = reasons(&pb);
    assert!(text.contains("need 12 reviews"), "{text}");
    assert!(text.contains("at most 8"), "{text}");
    assert!(
        text.contains("paper p0 needs 3 more reviews but has only 2"),
        "{text}"
    );
}

#[test]
fn minimum_loads_above_demand_are_explained() {
    let mut pb = problem(1, 3, 1, 1, 2);
    pb.candidates = vec![cand(0, 0, 0.5), cand(0, 1, 0.5), cand(0, 2, 0.5)];
    let text = reasons(&pb);
    assert!(
        text.contains("minimum loads need 3 reviews but papers take only 1"),
        "{text}"
    );
}

#[test]
fn hall_violation_names_the_papers_and_their_reviewers() {
    // p0 and p1 can only use r0 and r1 (one paper each); p2 could use anyone.
    let mut pb = problem(3, 4, 1, 0, 1);
    pb.candidates = vec![cand(0, 0, 0.5), cand(1, 0, 0.5)];
    pb.candidates.extend((0..4).map(|r| cand(2, r, 0.5)));
    let text = reasons(&pb);
    assert!(
        text.contains("papers p0, p1 (2 papers) need 2 reviews"),
        "{text}"
    );
    assert!(text.contains("can give at most 1"), "{text}");
}

#[test]
fn progress_is_reported() {
    let mut pb = problem(2, 2, 1, 0, 1);
    pb.candidates = vec![cand(0, 0, 0.9), cand(1, 1, 0.9)];
    let calls = std::cell::Cell::new(0);
    solve(&pb, Objective::Total, &|_| calls.set(calls.get() + 1)).unwrap();
    assert!(calls.get() > 0);
}

#[test]
fn generated_problem_round_trips_through_files() {
    let dir = std::env::temp_dir().join(format!("cfp-assign-test-{}", std::process::id()));
    let constraints = Constraints {
        reviews_per_paper: 3,
        min_papers_per_reviewer: 2,
        max_papers_per_reviewer: 4,
    };
    let spec = GenSpec {
        n: 30,
        seed: 5,
        sparse: 10,
        constraints,
    };
    let summary = generate(&dir, &spec).unwrap();
    let again = generate(&dir, &spec).unwrap();
    assert_eq!(summary, again);
    let pb = read_problem(&dir).unwrap();
    assert_eq!(pb.papers.len(), 30);
    assert_eq!(pb.candidates.len(), summary.candidates);
    let s = solve(&pb, Objective::Total, &no_progress).unwrap();
    check(&pb, &s.pairs);
    let out = dir.join("out.csv");
    write_assignment(&out, &pb, &s).unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("paper_id,reviewer_id\n"));
    assert_eq!(text.lines().count(), 91);
    let fair = solve(&pb, Objective::Fair, &no_progress).unwrap();
    check(&pb, &fair.pairs);
    assert!(
        fair.min_paper_affinity >= s.min_paper_affinity - 1e-9
            || fair.total_affinity <= s.total_affinity
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

fn small_problem() -> impl Strategy<Value = Problem> {
    (1usize..=4, 1usize..=5, 1u32..=2, 0u32..=2, 0u32..=2)
        .prop_flat_map(|(np, nr, k, min, spread)| {
            let pairs = np * nr;
            (
                Just((np, nr, k, min, spread)),
                proptest::collection::vec(proptest::option::weighted(0.7, 0u32..=10_000), pairs),
                proptest::collection::vec(proptest::bool::weighted(0.1), pairs),
                proptest::collection::vec(proptest::bool::weighted(0.1), pairs),
            )
        })
        .prop_map(|((np, nr, k, min, spread), aff, conflict, fixed)| {
            let mut pb = problem(np, nr, k, min, min + spread);
            for p in 0..np {
                for r in 0..nr {
                    let i = p * nr + r;
                    if let Some(a) = aff[i] {
                        pb.candidates.push(cand(p, r, f64::from(a) / 1e4));
                    }
                    if conflict[i] {
                        pb.conflicts.push((p, r));
                    }
                    if fixed[i] && aff[i].is_some() && !conflict[i] && p == 0 && pb.fixed.is_empty()
                    {
                        pb.fixed.push((p, r));
                    }
                }
            }
            pb
        })
}

proptest! {
    #[test]
    fn total_is_valid_and_matches_brute_force(pb in small_problem()) {
        let best = with_fixed_forced(&pb).and_then(|(rest, fixed_sum)| {
            brute_force(&rest).map(|b| b + fixed_sum)
        });
        match solve(&pb, Objective::Total, &no_progress) {
            Ok(s) => {
                let total = check(&pb, &s.pairs);
                prop_assert_eq!(Some(total), best);
                prop_assert!((s.total_affinity - total as f64 / 1e4).abs() < 1e-9);
            }
            Err(e) => {
                prop_assert!(best.is_none(), "solver says infeasible ({}) but {:?} exists", e, best);
                prop_assert!(!e.reasons.is_empty());
            }
        }
    }

    #[test]
    fn fair_is_valid_and_never_lowers_the_weakest_paper(pb in small_problem()) {
        let total = solve(&pb, Objective::Total, &no_progress);
        let fair = solve(&pb, Objective::Fair, &no_progress);
        prop_assert_eq!(total.is_ok(), fair.is_ok());
        if let (Ok(t), Ok(f)) = (total, fair) {
            check(&pb, &f.pairs);
            prop_assert!(f.min_paper_affinity >= t.min_paper_affinity - 1e-9);
            prop_assert!(f.total_affinity <= t.total_affinity + 1e-9);
        }
    }
}

/// The problem left once the fixed pairs are assigned, and their affinity (None: the fixed
/// pairs alone break a bound).
fn with_fixed_forced(pb: &Problem) -> Option<(Problem, i64)> {
    let mut rest = Problem {
        fixed: vec![],
        ..pb.clone()
    };
    let mut sum = 0;
    for &(p, r) in &pb.fixed {
        if let Some(c) = rest
            .candidates
            .iter()
            .find(|c| c.paper == p && c.reviewer == r)
        {
            sum += (c.affinity * 1e4).round() as i64;
        }
        rest.candidates
            .retain(|c| !(c.paper == p && c.reviewer == r));
        rest.papers[p].reviews_needed = rest.papers[p].reviews_needed.checked_sub(1)?;
        rest.reviewers[r].min_load = rest.reviewers[r].min_load.saturating_sub(1);
        rest.reviewers[r].max_load = rest.reviewers[r].max_load.checked_sub(1)?;
    }
    Some((rest, sum))
}

#[test]
fn quoted_ids_and_byte_order_marks_are_read() {
    let dir = std::env::temp_dir().join(format!("cfp-assign-quoted-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let affinity = "\u{feff}paper_id,reviewer_id,score\n\"p,1\",r1,0.5\n\"p,1\",r2,0.25\r\n";
    std::fs::write(dir.join("affinity.csv"), affinity).unwrap();
    std::fs::write(
        dir.join("conflicts.csv"),
        "paper_id,reviewer_id\n\"p,1\",r2\n",
    )
    .unwrap();
    let constraints =
        r#"{"reviews_per_paper":1,"min_papers_per_reviewer":0,"max_papers_per_reviewer":1}"#;
    std::fs::write(dir.join("constraints.json"), constraints).unwrap();
    let pb = read_problem(&dir).unwrap();
    assert_eq!(pb.papers[0].key, "p,1");
    assert_eq!(pb.conflicts, vec![(0, 1)]);
    let s = solve(&pb, Objective::Total, &no_progress).unwrap();
    let out = dir.join("out.csv");
    write_assignment(&out, &pb, &s).unwrap();
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "paper_id,reviewer_id\n\"p,1\",r1\n"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Problems dense enough that pruning leaves candidates out, with loads tight enough that the
/// pruned set is often short of a feasible flow: the affinity is mostly the reviewer's and
/// the paper's own (every paper ranks the same reviewers first and every reviewer the same
/// papers, so pruning leaves the least liked papers only the most liked reviewers).
fn pruned_problem() -> impl Strategy<Value = Problem> {
    (2usize..=12, 2usize..=40, 1u32..=3, 0u32..=1, 0u32..=1)
        .prop_flat_map(|(np, nr, k, min, spread)| {
            let pairs = np * nr;
            (
                Just((np, nr, k, min, spread)),
                proptest::collection::vec(0u32..=4_500, np + nr),
                proptest::collection::vec(proptest::option::weighted(0.9, 0u32..=1_000), pairs),
                proptest::collection::vec(proptest::bool::weighted(0.05), pairs),
            )
        })
        .prop_map(|((np, nr, k, min, spread), liked, aff, conflict)| {
            let mut pb = problem(np, nr, k, min, (min + spread).max(1));
            for p in 0..np {
                for r in 0..nr {
                    let i = p * nr + r;
                    if let Some(a) = aff[i] {
                        let affinity = f64::from(liked[p] + liked[np + r] + a) / 1e4;
                        pb.candidates.push(cand(p, r, affinity));
                    }
                    if conflict[i] {
                        pb.conflicts.push((p, r));
                    }
                }
            }
            pb
        })
}

proptest! {
    #[test]
    fn the_search_from_the_pruned_flow_finds_the_same_maximum_as_from_zero(
        pb in pruned_problem()
    ) {
        use crate::assignment::network::{Layout, prepare};
        use crate::assignment::solve::{Feasible, feasible, pruned_then_all};
        let Ok(prep) = prepare(&pb) else { return Ok(()) };
        let layout = Layout::new(&prep);
        let all: Vec<u32> = (0..prep.cands.len() as u32).collect();
        let value = |f: &Feasible| match f {
            Feasible::Yes(_) => None,
            Feasible::No(_, flow) => Some(*flow),
        };
        let (subset, warm) = pruned_then_all(&prep, &layout, &all);
        let cold = feasible(&prep, &layout, &all);
        prop_assert_eq!(value(&warm), value(&cold));
        if value(&warm).is_some() {
            prop_assert_eq!(subset, all);
        }
    }
}

#[test]
fn lowering_minimum_loads_to_the_fixed_pairs_never_raises_one() {
    let mut pb = problem(2, 3, 1, 2, 3);
    pb.reviewers[2].min_load = 0;
    pb.fixed = vec![(0, 1), (1, 1), (1, 2)];
    assert!(pb.lower_min_loads_to_fixed());
    let mins: Vec<u32> = pb.reviewers.iter().map(|r| r.min_load).collect();
    assert_eq!(mins, vec![0, 2, 0]);
    assert!(!pb.lower_min_loads_to_fixed(), "nothing left to lower");
}
