//! Tests of the reviewer pool, conflicts and the assignment problem built from them.

use super::*;
use crate::assignment::Objective;
use crate::assignment::affinity::Bid;

fn person(name: &str, email: &str, affiliation: &str) -> PersonFacts {
    PersonFacts {
        name: name.into(),
        email: email.into(),
        affiliation: affiliation.into(),
    }
}

fn paper(number: i32, track: Track, authors: Vec<(PersonFacts, bool)>) -> PaperFacts {
    PaperFacts {
        id: format!("id-{number}"),
        number,
        track,
        title: format!("Neural ODE paper {number}"),
        abstract_text: "We study neural ordinary differential equations.".into(),
        keywords: vec!["Neural ODEs".into()],
        authors,
        declared_conflicts: Vec::new(),
    }
}

fn volunteer(name: &str, email: &str, affiliation: &str) -> ProfileFacts {
    ProfileFacts {
        person: person(name, email, affiliation),
        volunteer: true,
        active: true,
        keywords: vec!["neural operators".into()],
        declared_conflicts: Vec::new(),
        min_load: None,
        max_load: None,
    }
}

fn workshop() -> (Vec<PaperFacts>, Vec<ProfileFacts>) {
    let ada = person("Ada Lovelace", "ada@cs.ox.ac.uk", "University of Oxford");
    let bob = person("Bob Stone", "bob@gmail.com", "ETH Zürich");
    let cy = person("Cy Young", "cy@mit.edu", "MIT");
    let di = person("Di Ng", "di@eng.ox.ac.uk", "Oxford Robotics");
    let papers = vec![
        paper(
            1,
            Track::Paper,
            vec![(ada.clone(), true), (bob.clone(), false)],
        ),
        paper(2, Track::Paper, vec![(cy.clone(), true)]),
        paper(
            3,
            Track::Published,
            vec![(di.clone(), true), (ada.clone(), false)],
        ),
    ];
    let profiles = vec![
        volunteer("Eve Tran", "eve@ethz.ch", "ETH Zurich"),
        volunteer("Fay Wu", "fay@example.org", "Example Lab"),
    ];
    (papers, profiles)
}

fn kinds(conflicts: &[Conflict], pool: &[Reviewer], p: usize, email: &str) -> Vec<ConflictKind> {
    conflicts
        .iter()
        .filter(|c| c.paper == p && pool[c.reviewer].person.email == email)
        .map(|c| c.kind)
        .collect()
}

#[test]
fn the_pool_is_main_authors_and_volunteers_once_each() {
    let (papers, profiles) = workshop();
    let pool = reviewer_pool(&papers, &profiles);
    let emails: Vec<&str> = pool.iter().map(|r| r.person.email.as_str()).collect();
    assert_eq!(
        emails,
        vec![
            "ada@cs.ox.ac.uk",
            "cy@mit.edu",
            "di@eng.ox.ac.uk",
            "eve@ethz.ch",
            "fay@example.org"
        ]
    );
    let ada = &pool[0];
    assert_eq!(ada.source, ReviewerSource::MainAuthor);
    assert_eq!(
        ada.own_papers,
        vec![0, 2],
        "expertise includes co-authored papers"
    );
    assert_eq!(pool[3].source, ReviewerSource::Volunteer);
}

#[test]
fn a_main_author_profile_supplies_preferences_and_can_drop_them() {
    let (papers, mut profiles) = workshop();
    profiles.push(ProfileFacts {
        person: person("Cy Young", "cy@mit.edu", "MIT"),
        volunteer: false,
        active: false,
        keywords: vec!["control".into()],
        declared_conflicts: vec![],
        min_load: Some(1),
        max_load: Some(2),
    });
    let pool = reviewer_pool(&papers, &profiles);
    let cy = pool
        .iter()
        .find(|r| r.person.email == "cy@mit.edu")
        .unwrap();
    assert!(!cy.active);
    assert_eq!((cy.min_load, cy.max_load), (Some(1), Some(2)));
    assert_eq!(cy.source, ReviewerSource::MainAuthor);
}

#[test]
fn computed_conflicts_carry_their_reasons() {
    let (papers, profiles) = workshop();
    let pool = reviewer_pool(&papers, &profiles);
    let c = all_conflicts(&papers, &pool, &[], &[]);
    assert_eq!(
        kinds(&c, &pool, 0, "ada@cs.ox.ac.uk"),
        vec![ConflictKind::Author]
    );
    // Di shares Ada's registrable domain ox.ac.uk; "Oxford Robotics" is another institution.
    assert_eq!(
        kinds(&c, &pool, 0, "di@eng.ox.ac.uk"),
        vec![ConflictKind::EmailDomain]
    );
    // Eve is at ETH Zurich like Bob (whose gmail says nothing).
    assert_eq!(
        kinds(&c, &pool, 0, "eve@ethz.ch"),
        vec![ConflictKind::Institution]
    );
    let detail = &c
        .iter()
        .find(|x| x.kind == ConflictKind::Institution)
        .unwrap()
        .detail;
    assert!(detail.contains("Bob Stone"), "{detail}");
    assert!(kinds(&c, &pool, 1, "fay@example.org").is_empty());
}

#[test]
fn declared_lines_match_people_domains_and_institutions() {
    let (mut papers, mut profiles) = workshop();
    papers[1].declared_conflicts =
        vec!["Fay  WU".into(), "ethz.ch".into(), "di@eng.ox.ac.uk".into()];
    profiles[1].declared_conflicts = vec!["University of Oxford".into()];
    let pool = reviewer_pool(&papers, &profiles);
    let c = all_conflicts(&papers, &pool, &[], &[]);
    assert_eq!(
        kinds(&c, &pool, 1, "fay@example.org"),
        vec![ConflictKind::DeclaredByAuthors]
    );
    assert_eq!(
        kinds(&c, &pool, 1, "eve@ethz.ch"),
        vec![ConflictKind::DeclaredByAuthors]
    );
    assert_eq!(
        kinds(&c, &pool, 1, "di@eng.ox.ac.uk"),
        vec![ConflictKind::DeclaredByAuthors]
    );
    // Fay declared Oxford, where Ada (author of papers 1 and 3) works.
    assert_eq!(
        kinds(&c, &pool, 0, "fay@example.org"),
        vec![ConflictKind::DeclaredByReviewer]
    );
    assert_eq!(
        kinds(&c, &pool, 2, "fay@example.org"),
        vec![ConflictKind::DeclaredByReviewer]
    );
}

#[test]
fn bids_and_entered_conflicts_are_conflicts() {
    let (papers, profiles) = workshop();
    let pool = reviewer_pool(&papers, &profiles);
    let fay = pool
        .iter()
        .position(|r| r.person.email == "fay@example.org")
        .unwrap();
    let entered = [EnteredConflict {
        paper: 2,
        reviewer: fay,
        reported: true,
        reason: "my former student".into(),
    }];
    let c = all_conflicts(&papers, &pool, &[(1, fay, Bid::Conflict)], &entered);
    assert_eq!(
        kinds(&c, &pool, 1, "fay@example.org"),
        vec![ConflictKind::Bid]
    );
    assert_eq!(
        kinds(&c, &pool, 2, "fay@example.org"),
        vec![ConflictKind::Reported]
    );
}

/// Conflicts computed without bids, then the bids' added, equal those computed with them:
/// what a process keeping its pool while the bids change relies on.
#[test]
fn bid_conflicts_added_later_equal_those_computed_with_the_bids() {
    let (mut papers, mut profiles) = workshop();
    papers[0].declared_conflicts = vec!["mit.edu".into()];
    profiles[0].declared_conflicts = vec!["ox.ac.uk".into()];
    let pool = reviewer_pool(&papers, &profiles);
    let entered = [EnteredConflict {
        paper: 1,
        reviewer: 2,
        reported: false,
        reason: "chair".into(),
    }];
    let without = all_conflicts(&papers, &pool, &[], &entered);
    let n = pool.len();
    let bid_sets: Vec<Vec<(usize, usize, Bid)>> = vec![
        vec![],
        vec![(2, n - 1, Bid::Conflict), (0, 1, Bid::Eager)],
        // On pairs that conflict already (an author, a chair's entry), twice on one pair
        // (the last counts), and out of range (ignored).
        (0..papers.len())
            .flat_map(|p| (0..n).map(move |r| (p, r, Bid::Conflict)))
            .chain([
                (1, 2, Bid::Willing),
                (9, 0, Bid::Conflict),
                (0, 99, Bid::Conflict),
            ])
            .collect(),
    ];
    for bids in bid_sets {
        assert_eq!(
            with_bid_conflicts(&without, &bids, papers.len(), n),
            all_conflicts(&papers, &pool, &bids, &entered),
            "{bids:?}"
        );
    }
}

/// The indexed computation finds exactly what checking every pair finds, on any number of
/// threads.
#[test]
fn indexed_conflicts_equal_the_pairwise_reference() {
    let (mut papers, mut profiles) = workshop();
    papers[0].declared_conflicts = vec!["mit.edu".into(), "Example Lab".into()];
    profiles[0].declared_conflicts = vec!["cy@mit.edu".into(), "ox.ac.uk".into()];
    let pool = reviewer_pool(&papers, &profiles);
    let bids = [(2, 4, Bid::Conflict), (0, 1, Bid::Eager)];
    let indexed = all_conflicts(&papers, &pool, &bids, &[]);
    let mut reference = Vec::new();
    for (p, paper) in papers.iter().enumerate() {
        for (r, reviewer) in pool.iter().enumerate() {
            let bid = bids.iter().find(|b| b.0 == p && b.1 == r).map(|b| b.2);
            for (kind, detail) in pair_conflicts(paper, reviewer, bid, None) {
                reference.push(Conflict {
                    paper: p,
                    reviewer: r,
                    kind,
                    detail,
                });
            }
        }
    }
    reference.sort();
    assert_eq!(indexed, reference);
    assert!(indexed.len() >= 8, "{indexed:?}");
    for threads in 1..=4 {
        let split = super::conflicts::all_conflicts_on(&papers, &pool, &bids, &[], threads);
        assert_eq!(split, reference, "{threads} threads");
    }
}

fn params() -> RunParams {
    RunParams {
        objective: Objective::Total,
        reviews_per_paper: 2,
        reviews_per_published_paper: 1,
        min_load: 0,
        max_load: 3,
    }
}

#[test]
fn the_problem_excludes_conflicts_and_inactive_reviewers_and_keeps_fixed_pairs() {
    let (papers, mut profiles) = workshop();
    profiles[0].active = false;
    let pool = reviewer_pool(&papers, &profiles);
    let conflicts = all_conflicts(&papers, &pool, &[], &[]);
    let cy = pool
        .iter()
        .position(|r| r.person.email == "cy@mit.edu")
        .unwrap();
    let built = build_problem(&papers, &pool, &conflicts, &[], &[(0, cy)], &params());
    let pb = &built.problem;
    assert_eq!(pb.reviewers.len(), 4, "Eve is inactive");
    assert_eq!(
        pb.papers
            .iter()
            .map(|p| p.reviews_needed)
            .collect::<Vec<_>>(),
        vec![2, 2, 1]
    );
    for c in &pb.candidates {
        let reviewer = built.reviewers[c.reviewer];
        assert!(
            !conflicts
                .iter()
                .any(|x| x.paper == c.paper && x.reviewer == reviewer),
            "conflicted candidate {c:?}"
        );
    }
    let slot = built.reviewers.iter().position(|&r| r == cy).unwrap();
    assert_eq!(pb.fixed, vec![(0, slot)]);
    let solution = crate::assignment::solve(pb, Objective::Total, &|_| {}).unwrap();
    assert!(solution.pairs.contains(&(0, slot)));
    assert_eq!(solution.pairs.len(), 5);
}

#[test]
fn fixed_pairs_that_became_conflicts_are_dropped() {
    let (papers, profiles) = workshop();
    let pool = reviewer_pool(&papers, &profiles);
    let conflicts = all_conflicts(&papers, &pool, &[], &[]);
    let built = build_problem(&papers, &pool, &conflicts, &[], &[(0, 0)], &params());
    assert!(built.problem.fixed.is_empty(), "Ada wrote paper 1");
}
