//! Why a reviewer may not review a paper: authorship, a shared institution or email domain,
//! conflicts declared by authors or reviewers, "conflict" bids and conflicts chairs enter or
//! reviewers report; each with the reason chairs see.

use std::collections::{HashMap, HashSet};

use crate::assignment::affinity::Bid;
use crate::assignment::conflicts::{institutional_domain, normalise_affiliation};

use super::*;

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

/// A person's comparison keys, computed once per person rather than once per pair.
struct PersonKeys {
    name: String,
    affiliation: String,
    domain: Option<String>,
}

impl PersonKeys {
    fn of(person: &PersonFacts) -> PersonKeys {
        PersonKeys {
            name: normalise_name(&person.name),
            affiliation: normalise_affiliation(&person.affiliation),
            domain: institutional_domain(&person.email),
        }
    }
}

/// A declared-conflict line with what it names, parsed once.
type ParsedLine<'a> = (&'a str, Option<Declared>);

fn parse_lines(lines: &[String]) -> Vec<ParsedLine<'_>> {
    lines
        .iter()
        .map(|l| (l.as_str(), parse_declared(l)))
        .collect()
}

/// Whether a declared line names `person` (with `keys`, that person's keys).
fn declared_names(line: &Declared, person: &PersonFacts, keys: &PersonKeys) -> bool {
    match line {
        Declared::Email(e) => person.email == *e,
        Declared::Domain(d) => domain_matches(&person.email, d),
        Declared::Words { name, affiliation } => {
            (!name.is_empty() && keys.name == *name)
                || (!affiliation.is_empty() && keys.affiliation == *affiliation)
        }
    }
}

/// A paper or reviewer with its keys and parsed declarations, for [`conflicts_of_pair`].
struct Prepared<'a, T> {
    facts: &'a T,
    /// Keys of the paper's authors, in byline order (one entry, the reviewer's, for a reviewer).
    keys: Vec<PersonKeys>,
    declared: Vec<ParsedLine<'a>>,
}

fn prepare_paper(paper: &PaperFacts) -> Prepared<'_, PaperFacts> {
    Prepared {
        facts: paper,
        keys: paper
            .authors
            .iter()
            .map(|(a, _)| PersonKeys::of(a))
            .collect(),
        declared: parse_lines(&paper.declared_conflicts),
    }
}

fn prepare_reviewer(reviewer: &Reviewer) -> Prepared<'_, Reviewer> {
    Prepared {
        facts: reviewer,
        keys: vec![PersonKeys::of(&reviewer.person)],
        declared: parse_lines(&reviewer.declared_conflicts),
    }
}

/// Every conflict of one pair, computed directly (the reference for [`all_conflicts`]).
pub fn pair_conflicts(
    paper: &PaperFacts,
    reviewer: &Reviewer,
    bid: Option<Bid>,
    entered: Option<&EnteredConflict>,
) -> Vec<(ConflictKind, String)> {
    conflicts_of_pair(
        &prepare_paper(paper),
        &prepare_reviewer(reviewer),
        bid,
        entered,
    )
}

fn conflicts_of_pair(
    paper: &Prepared<'_, PaperFacts>,
    reviewer: &Prepared<'_, Reviewer>,
    bid: Option<Bid>,
    entered: Option<&EnteredConflict>,
) -> Vec<(ConflictKind, String)> {
    let mut out = Vec::new();
    let r = &reviewer.facts.person;
    let Some(r_keys) = reviewer.keys.first() else {
        return out;
    };
    let r_aff = &r_keys.affiliation;
    let r_dom = &r_keys.domain;
    for ((a, _), a_keys) in paper.facts.authors.iter().zip(&paper.keys) {
        if a.email == r.email {
            out.push((
                ConflictKind::Author,
                "the reviewer is an author".to_string(),
            ));
            continue;
        }
        if !r_aff.is_empty() && a_keys.affiliation == *r_aff {
            out.push((
                ConflictKind::Institution,
                format!(
                    "{} and author {} are both at {}",
                    r.name, a.name, a.affiliation
                ),
            ));
        }
        if r_dom.is_some() && a_keys.domain == *r_dom {
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
    for (line, parsed) in &paper.declared {
        if parsed
            .as_ref()
            .is_some_and(|d| declared_names(d, r, r_keys))
        {
            out.push((
                ConflictKind::DeclaredByAuthors,
                format!("the authors declared \"{line}\""),
            ));
        }
    }
    for (line, parsed) in &reviewer.declared {
        if let Some(d) = parsed
            && let Some(((a, _), _)) = paper
                .facts
                .authors
                .iter()
                .zip(&paper.keys)
                .find(|((a, _), k)| declared_names(d, a, k))
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
    let prepared_papers: Vec<Prepared<'_, PaperFacts>> = papers.iter().map(prepare_paper).collect();
    let prepared_reviewers: Vec<Prepared<'_, Reviewer>> =
        reviewers.iter().map(prepare_reviewer).collect();
    let mut pairs: Vec<(usize, usize)> = pairs.into_iter().collect();
    pairs.sort_unstable();
    let out: Vec<Conflict> = pairs
        .into_iter()
        .filter(|&(p, r)| p < papers.len() && r < reviewers.len())
        .flat_map(|(p, r)| {
            conflicts_of_pair(
                &prepared_papers[p],
                &prepared_reviewers[r],
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
    // Pairs were taken in order and each pair's conflicts come sorted by kind.
    debug_assert!(out.is_sorted());
    out
}
