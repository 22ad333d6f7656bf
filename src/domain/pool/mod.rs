//! The reviewer pool and the assignment problem, built from the conference's own data.
//!
//! Who reviews: the main author of every active submission, plus volunteers a chair adds.
//! Why a reviewer may not review a paper: authorship, a shared institution or email domain
//! (computed, see [`crate::assignment::conflicts`]), a conflict declared by the paper's
//! authors or by the reviewer, a "conflict" bid, a conflict entered by a chair or reported by
//! the reviewer on an assignment. Each conflict carries a reason for the chair; reviewers
//! never see these. Pure: the caller loads the rows and this module only computes.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::assignment::affinity::{Bid, PaperText, ReviewerText, TextIndex, with_bid};
use crate::assignment::conflicts::{institutional_domain, normalise_affiliation};
use crate::assignment::{Candidate, Objective, PaperSpec, Problem, ReviewerSpec};
use crate::domain::submission::Track;

/// An author or reviewer, as conflicts see them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonFacts {
    pub name: String,
    /// Lower-cased.
    pub email: String,
    pub affiliation: String,
}

/// An active submission, as the assignment sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperFacts {
    pub id: String,
    pub number: i32,
    pub track: Track,
    pub title: String,
    pub abstract_text: String,
    pub keywords: Vec<String>,
    /// In order; the main author is flagged.
    pub authors: Vec<(PersonFacts, bool)>,
    /// Lines the authors declared: institutions, email domains, people.
    pub declared_conflicts: Vec<String>,
}

/// A stored reviewer profile (a volunteer, or a main author's preferences).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileFacts {
    pub person: PersonFacts,
    pub volunteer: bool,
    pub active: bool,
    pub keywords: Vec<String>,
    pub declared_conflicts: Vec<String>,
    pub min_load: Option<u32>,
    pub max_load: Option<u32>,
}

/// Why someone is in the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewerSource {
    MainAuthor,
    Volunteer,
}

/// One member of the reviewer pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reviewer {
    pub person: PersonFacts,
    pub source: ReviewerSource,
    /// False when a chair took the reviewer out of the pool.
    pub active: bool,
    pub keywords: Vec<String>,
    pub declared_conflicts: Vec<String>,
    pub min_load: Option<u32>,
    pub max_load: Option<u32>,
    /// Indices (into the papers) of the submissions the reviewer wrote.
    pub own_papers: Vec<usize>,
}

/// The pool: main authors of `papers` and volunteers from `profiles`, sorted by email.
/// A main author's profile row, if any, supplies keywords, declared conflicts, loads and
/// whether they are still active.
pub fn reviewer_pool(papers: &[PaperFacts], profiles: &[ProfileFacts]) -> Vec<Reviewer> {
    let profile_of: HashMap<&str, &ProfileFacts> = profiles
        .iter()
        .map(|p| (p.person.email.as_str(), p))
        .collect();
    let mut pool: BTreeMap<String, Reviewer> = BTreeMap::new();
    let from_profile = |person: PersonFacts, source, p: Option<&&ProfileFacts>| Reviewer {
        person,
        source,
        active: p.is_none_or(|p| p.active),
        keywords: p.map(|p| p.keywords.clone()).unwrap_or_default(),
        declared_conflicts: p.map(|p| p.declared_conflicts.clone()).unwrap_or_default(),
        min_load: p.and_then(|p| p.min_load),
        max_load: p.and_then(|p| p.max_load),
        own_papers: Vec::new(),
    };
    for paper in papers {
        for (author, is_main) in &paper.authors {
            if *is_main && !pool.contains_key(&author.email) {
                let profile = profile_of.get(author.email.as_str());
                pool.insert(
                    author.email.clone(),
                    from_profile(author.clone(), ReviewerSource::MainAuthor, profile),
                );
            }
        }
    }
    for p in profiles.iter().filter(|p| p.volunteer) {
        pool.entry(p.person.email.clone())
            .or_insert_with(|| from_profile(p.person.clone(), ReviewerSource::Volunteer, Some(&p)));
    }
    for (i, paper) in papers.iter().enumerate() {
        for (author, _) in &paper.authors {
            if let Some(r) = pool.get_mut(&author.email) {
                r.own_papers.push(i);
            }
        }
    }
    pool.into_values().collect()
}

/// Where a conflict comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ConflictKind {
    /// The reviewer is an author of the paper. Never overridden.
    Author,
    Institution,
    EmailDomain,
    /// A line the paper's authors declared.
    DeclaredByAuthors,
    /// A line in the reviewer's profile.
    DeclaredByReviewer,
    /// A "conflict" bid.
    Bid,
    /// Entered by a chair.
    Chair,
    /// Reported by the reviewer on an assignment.
    Reported,
}

impl ConflictKind {
    pub fn label(self) -> &'static str {
        match self {
            ConflictKind::Author => "author of the paper",
            ConflictKind::Institution => "same institution",
            ConflictKind::EmailDomain => "same email domain",
            ConflictKind::DeclaredByAuthors => "declared by the authors",
            ConflictKind::DeclaredByReviewer => "declared by the reviewer",
            ConflictKind::Bid => "conflict bid",
            ConflictKind::Chair => "entered by a chair",
            ConflictKind::Reported => "reported by the reviewer",
        }
    }
}

/// One reason a reviewer may not review a paper.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Conflict {
    pub paper: usize,
    pub reviewer: usize,
    pub kind: ConflictKind,
    /// For the chair: what matched (may name an author; never shown to reviewers).
    pub detail: String,
}

/// A conflict stored by a chair or reported by a reviewer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnteredConflict {
    pub paper: usize,
    pub reviewer: usize,
    /// True when the reviewer reported it, false when a chair entered it.
    pub reported: bool,
    pub reason: String,
}

/// A person's name folded for comparison: lower case, letters and digits, single spaces.
pub fn normalise_name(name: &str) -> String {
    name.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a declared-conflict line names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Declared {
    Email(String),
    /// A domain such as "example.edu": matches that domain and its subdomains.
    Domain(String),
    /// A person or an institution (compared by normalised name and normalised affiliation).
    Words {
        name: String,
        affiliation: String,
    },
}

fn parse_declared(line: &str) -> Option<Declared> {
    let line = line.trim().trim_start_matches('@').to_lowercase();
    if line.is_empty() {
        return None;
    }
    if line.contains('@') {
        return Some(Declared::Email(line));
    }
    if !line.contains(char::is_whitespace) && line.contains('.') && !line.ends_with('.') {
        return Some(Declared::Domain(line));
    }
    Some(Declared::Words {
        name: normalise_name(&line),
        affiliation: normalise_affiliation(&line),
    })
}

fn email_domain(email: &str) -> &str {
    email.rsplit_once('@').map_or("", |(_, d)| d)
}

fn domain_matches(email: &str, domain: &str) -> bool {
    let d = email_domain(email);
    d == domain
        || d.strip_suffix(domain)
            .is_some_and(|rest| rest.ends_with('.'))
}

/// Whether a declared line names `person`.
fn declared_names(line: &Declared, person: &PersonFacts) -> bool {
    match line {
        Declared::Email(e) => person.email == *e,
        Declared::Domain(d) => domain_matches(&person.email, d),
        Declared::Words { name, affiliation } => {
            (!name.is_empty() && normalise_name(&person.name) == *name)
                || (!affiliation.is_empty()
                    && normalise_affiliation(&person.affiliation) == *affiliation)
        }
    }
}

/// Every conflict of one pair, computed directly (the reference for [`all_conflicts`]).
pub fn pair_conflicts(
    paper: &PaperFacts,
    reviewer: &Reviewer,
    bid: Option<Bid>,
    entered: Option<&EnteredConflict>,
) -> Vec<(ConflictKind, String)> {
    let mut out = Vec::new();
    let r = &reviewer.person;
    let r_aff = normalise_affiliation(&r.affiliation);
    let r_dom = institutional_domain(&r.email);
    for (a, _) in &paper.authors {
        if a.email == r.email {
            out.push((
                ConflictKind::Author,
                "the reviewer is an author".to_string(),
            ));
            continue;
        }
        if !r_aff.is_empty() && normalise_affiliation(&a.affiliation) == r_aff {
            out.push((
                ConflictKind::Institution,
                format!(
                    "{} and author {} are both at {}",
                    r.name, a.name, a.affiliation
                ),
            ));
        }
        if r_dom.is_some() && institutional_domain(&a.email) == r_dom {
            out.push((
                ConflictKind::EmailDomain,
                format!(
                    "{} and author {} both use {}",
                    r.name,
                    a.name,
                    r_dom.as_deref().unwrap_or("")
                ),
            ));
        }
    }
    for line in &paper.declared_conflicts {
        if parse_declared(line).is_some_and(|d| declared_names(&d, r)) {
            out.push((
                ConflictKind::DeclaredByAuthors,
                format!("the authors declared \"{line}\""),
            ));
        }
    }
    for line in &reviewer.declared_conflicts {
        if let Some(d) = parse_declared(line)
            && let Some((a, _)) = paper.authors.iter().find(|(a, _)| declared_names(&d, a))
        {
            out.push((
                ConflictKind::DeclaredByReviewer,
                format!("the reviewer declared \"{line}\" (author {})", a.name),
            ));
        }
    }
    if bid == Some(Bid::Conflict) {
        out.push((
            ConflictKind::Bid,
            "the reviewer bid \"conflict\"".to_string(),
        ));
    }
    if let Some(e) = entered {
        let kind = if e.reported {
            ConflictKind::Reported
        } else {
            ConflictKind::Chair
        };
        out.push((kind, e.reason.clone()));
    }
    out.sort();
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

/// Every conflict between `papers` and `reviewers`, sorted by (paper, reviewer, kind).
/// Candidate pairs come from indexes (email, affiliation, domain, name), so the work grows
/// with the number of matches rather than papers × reviewers; each candidate pair is then
/// checked by [`pair_conflicts`], so both always agree.
pub fn all_conflicts(
    papers: &[PaperFacts],
    reviewers: &[Reviewer],
    bids: &[(usize, usize, Bid)],
    entered: &[EnteredConflict],
) -> Vec<Conflict> {
    let mut by_email: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_aff: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_dom: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, r) in reviewers.iter().enumerate() {
        by_email.entry(r.person.email.as_str()).or_default().push(i);
        let aff = normalise_affiliation(&r.person.affiliation);
        if !aff.is_empty() {
            by_aff.entry(aff).or_default().push(i);
        }
        if let Some(d) = institutional_domain(&r.person.email) {
            by_dom.entry(d).or_default().push(i);
        }
        by_name
            .entry(normalise_name(&r.person.name))
            .or_default()
            .push(i);
    }
    let mut pairs: HashSet<(usize, usize)> = HashSet::new();
    let add_declared = |p: usize, d: &Declared, pairs: &mut HashSet<(usize, usize)>| match d {
        Declared::Email(e) => {
            for &r in by_email.get(e.as_str()).into_iter().flatten() {
                pairs.insert((p, r));
            }
        }
        Declared::Domain(dom) => {
            let registrable = institutional_domain(&format!("x@{dom}"));
            for &r in registrable
                .and_then(|k| by_dom.get(&k))
                .into_iter()
                .flatten()
            {
                pairs.insert((p, r));
            }
        }
        Declared::Words { name, affiliation } => {
            for &r in by_name.get(name).into_iter().flatten() {
                pairs.insert((p, r));
            }
            for &r in by_aff.get(affiliation).into_iter().flatten() {
                pairs.insert((p, r));
            }
        }
    };
    for (p, paper) in papers.iter().enumerate() {
        for (a, _) in &paper.authors {
            let aff = normalise_affiliation(&a.affiliation);
            let dom = institutional_domain(&a.email);
            let hits = by_email
                .get(a.email.as_str())
                .into_iter()
                .chain(by_aff.get(&aff).filter(|_| !aff.is_empty()))
                .chain(dom.as_ref().and_then(|d| by_dom.get(d)));
            for &r in hits.flatten() {
                pairs.insert((p, r));
            }
        }
        for line in &paper.declared_conflicts {
            if let Some(d) = parse_declared(line) {
                add_declared(p, &d, &mut pairs);
            }
        }
    }
    // Reviewers' declarations, against an index of the papers' authors.
    let mut author_index: HashMap<String, Vec<usize>> = HashMap::new();
    for (p, paper) in papers.iter().enumerate() {
        for (a, _) in &paper.authors {
            for key in [
                format!("e:{}", a.email),
                format!("n:{}", normalise_name(&a.name)),
                format!("a:{}", normalise_affiliation(&a.affiliation)),
                format!("d:{}", institutional_domain(&a.email).unwrap_or_default()),
            ] {
                author_index.entry(key).or_default().push(p);
            }
        }
    }
    for (r, reviewer) in reviewers.iter().enumerate() {
        for line in &reviewer.declared_conflicts {
            let keys = match parse_declared(line) {
                Some(Declared::Email(e)) => vec![format!("e:{e}")],
                Some(Declared::Domain(d)) => vec![format!(
                    "d:{}",
                    institutional_domain(&format!("x@{d}")).unwrap_or_default()
                )],
                Some(Declared::Words { name, affiliation }) => {
                    vec![format!("n:{name}"), format!("a:{affiliation}")]
                }
                None => Vec::new(),
            };
            for key in keys.iter().filter(|k| k.len() > 2) {
                for &p in author_index.get(key).into_iter().flatten() {
                    pairs.insert((p, r));
                }
            }
        }
    }
    let bid_of: HashMap<(usize, usize), Bid> = bids.iter().map(|&(p, r, b)| ((p, r), b)).collect();
    let entered_of: HashMap<(usize, usize), &EnteredConflict> =
        entered.iter().map(|e| ((e.paper, e.reviewer), e)).collect();
    pairs.extend(
        bid_of
            .iter()
            .filter(|(_, b)| **b == Bid::Conflict)
            .map(|(k, _)| *k),
    );
    pairs.extend(entered_of.keys().copied());
    let mut out: Vec<Conflict> = pairs
        .into_iter()
        .filter(|&(p, r)| p < papers.len() && r < reviewers.len())
        .flat_map(|(p, r)| {
            pair_conflicts(
                &papers[p],
                &reviewers[r],
                bid_of.get(&(p, r)).copied(),
                entered_of.get(&(p, r)).copied(),
            )
            .into_iter()
            .map(move |(kind, detail)| Conflict {
                paper: p,
                reviewer: r,
                kind,
                detail,
            })
        })
        .collect();
    out.sort();
    out
}

/// What the chair chose for a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RunParams {
    pub objective: Objective,
    pub reviews_per_paper: u32,
    pub reviews_per_published_paper: u32,
    pub min_load: u32,
    pub max_load: u32,
}

/// Up to this many papers × reviewers every pair is a candidate; above it each paper's best
/// reviewers by text, each reviewer's best papers, and every eager or willing bid are.
pub const ALL_PAIRS_LIMIT: usize = 2_000_000;
/// Reviewers per paper kept as candidates on large conferences.
pub const TOP_K: usize = 100;
/// Papers per reviewer kept too, so every reviewer has candidates.
pub const TOP_K_PER_REVIEWER: usize = 30;

/// The solver's input, with the maps back to papers and reviewers.
#[derive(Debug, Clone)]
pub struct BuiltProblem {
    pub problem: Problem,
    /// Problem paper index -> index into the papers given.
    pub papers: Vec<usize>,
    /// Problem reviewer index -> index into the pool given.
    pub reviewers: Vec<usize>,
    /// Bids in problem indices, for the statistics.
    pub bids: Vec<(usize, usize, Bid)>,
}

/// The text a paper is matched on.
pub fn paper_text(p: &PaperFacts) -> PaperText {
    PaperText {
        title: p.title.clone(),
        abstract_text: p.abstract_text.clone(),
        keywords: p.keywords.clone(),
        body: String::new(),
    }
}

/// A reviewer's expertise: their own papers' titles, abstracts and keywords, and their
/// profile keywords.
pub fn reviewer_text(r: &Reviewer, papers: &[PaperFacts]) -> ReviewerText {
    ReviewerText {
        papers: r
            .own_papers
            .iter()
            .filter_map(|&i| papers.get(i))
            .map(|p| {
                format!(
                    "{}\n{}\n{}",
                    p.title,
                    p.abstract_text,
                    p.keywords.join(", ")
                )
            })
            .collect(),
        keywords: r.keywords.clone(),
    }
}

/// The text index over all papers and the pool.
pub fn text_index(papers: &[PaperFacts], reviewers: &[Reviewer]) -> TextIndex {
    let pt: Vec<PaperText> = papers.iter().map(paper_text).collect();
    let rt: Vec<ReviewerText> = reviewers.iter().map(|r| reviewer_text(r, papers)).collect();
    TextIndex::new(&pt, &rt)
}

/// The assignment problem: every paper needs its track's number of reviews; active
/// reviewers take between their loads; conflicted pairs are excluded; `fixed` pairs (already
/// committed) stay unless they are now conflicted or involve an inactive reviewer.
pub fn build_problem(
    papers: &[PaperFacts],
    reviewers: &[Reviewer],
    conflicts: &[Conflict],
    bids: &[(usize, usize, Bid)],
    fixed: &[(usize, usize)],
    params: &RunParams,
) -> BuiltProblem {
    let active: Vec<usize> = (0..reviewers.len())
        .filter(|&r| reviewers[r].active)
        .collect();
    let mut reviewer_slot = vec![usize::MAX; reviewers.len()];
    for (slot, &r) in active.iter().enumerate() {
        reviewer_slot[r] = slot;
    }
    let conflicted: HashSet<(usize, usize)> =
        conflicts.iter().map(|c| (c.paper, c.reviewer)).collect();
    let index = text_index(papers, reviewers);
    let bid_of: HashMap<(usize, usize), Bid> = bids.iter().map(|&(p, r, b)| ((p, r), b)).collect();
    let mut affinity: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    let mut consider = |p: usize, r: usize, text: f64| {
        if reviewer_slot[r] == usize::MAX || conflicted.contains(&(p, r)) {
            return;
        }
        if let Some(a) = with_bid(text, bid_of.get(&(p, r)).copied()) {
            affinity.insert((p, reviewer_slot[r]), a);
        }
    };
    if papers.len().saturating_mul(active.len()) <= ALL_PAIRS_LIMIT {
        let mut scores = Vec::new();
        for p in 0..papers.len() {
            index.paper_scores(p, &mut scores);
            for &r in &active {
                consider(p, r, scores[r]);
            }
        }
    } else {
        for (p, r, s) in index.top_k(TOP_K) {
            consider(p, r, s);
        }
        for (p, r, s) in index.top_k_per_reviewer(TOP_K_PER_REVIEWER) {
            consider(p, r, s);
        }
        for &(p, r, b) in bids {
            if matches!(b, Bid::Eager | Bid::Willing) && p < papers.len() {
                consider(p, r, index.similarity(p, r));
            }
        }
    }
    let mut kept_fixed = Vec::new();
    for &(p, r) in fixed {
        if p >= papers.len() || r >= reviewers.len() || reviewer_slot[r] == usize::MAX {
            continue;
        }
        if conflicted.contains(&(p, r)) {
            continue;
        }
        let slot = reviewer_slot[r];
        affinity.entry((p, slot)).or_insert_with(|| {
            with_bid(index.similarity(p, r), bid_of.get(&(p, r)).copied()).unwrap_or(0.0)
        });
        kept_fixed.push((p, slot));
    }
    let problem = Problem {
        papers: papers
            .iter()
            .map(|p| PaperSpec {
                key: p.number.to_string(),
                reviews_needed: match p.track {
                    Track::Paper => params.reviews_per_paper,
                    Track::Published => params.reviews_per_published_paper,
                },
            })
            .collect(),
        reviewers: active
            .iter()
            .map(|&r| {
                let rev = &reviewers[r];
                let max_load = rev.max_load.unwrap_or(params.max_load);
                ReviewerSpec {
                    key: rev.person.email.clone(),
                    min_load: rev.min_load.unwrap_or(params.min_load).min(max_load),
                    max_load,
                }
            })
            .collect(),
        candidates: affinity
            .into_iter()
            .map(|((paper, reviewer), affinity)| Candidate {
                paper,
                reviewer,
                affinity,
            })
            .collect(),
        conflicts: conflicts
            .iter()
            .filter(|c| reviewer_slot[c.reviewer] != usize::MAX)
            .map(|c| (c.paper, reviewer_slot[c.reviewer]))
            .collect(),
        fixed: kept_fixed,
    };
    BuiltProblem {
        problem,
        papers: (0..papers.len()).collect(),
        bids: bids
            .iter()
            .filter(|&&(_, r, _)| reviewer_slot[r] != usize::MAX)
            .map(|&(p, r, b)| (p, reviewer_slot[r], b))
            .collect(),
        reviewers: active,
    }
}

#[cfg(test)]
#[path = "pool_tests.rs"]
mod tests;
