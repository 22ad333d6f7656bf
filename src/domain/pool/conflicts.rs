//! Why a reviewer may not review a paper: authorship, a shared institution or email domain,
//! conflicts declared by authors or reviewers, "conflict" bids and conflicts chairs enter or
//! reviewers report; each with the reason chairs see.

use std::collections::HashMap;

use crate::assignment::affinity::Bid;
use crate::assignment::conflicts::{institutional_domain, normalise_affiliation};
use crate::assignment::parallel::{available_threads, ranges, run_parts};

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
        out.push((ConflictKind::Bid, BID_DETAIL.to_string()));
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

/// Below this many papers one thread computes every conflict (starting threads costs more).
const PAPERS_PER_THREAD: usize = 1000;

/// The pool's reviewers by each key a paper's authors or declarations can match.
#[derive(Default)]
struct ReviewerIndex<'a> {
    by_email: HashMap<&'a str, Vec<usize>>,
    by_aff: HashMap<String, Vec<usize>>,
    by_dom: HashMap<String, Vec<usize>>,
    by_name: HashMap<String, Vec<usize>>,
}

impl<'a> ReviewerIndex<'a> {
    fn new(reviewers: &'a [Prepared<'a, Reviewer>]) -> Self {
        let mut index = ReviewerIndex::default();
        for (i, r) in reviewers.iter().enumerate() {
            let facts = &r.facts.person;
            index
                .by_email
                .entry(facts.email.as_str())
                .or_default()
                .push(i);
            let Some(keys) = r.keys.first() else {
                continue;
            };
            if !keys.affiliation.is_empty() {
                index
                    .by_aff
                    .entry(keys.affiliation.clone())
                    .or_default()
                    .push(i);
            }
            if let Some(d) = &keys.domain {
                index.by_dom.entry(d.clone()).or_default().push(i);
            }
            index.by_name.entry(keys.name.clone()).or_default().push(i);
        }
        index
    }

    /// Pairs `(p, r)` of paper `p` with every reviewer one of its authors or declared lines
    /// may conflict with (a superset: [`conflicts_of_pair`] decides).
    fn candidates_of(
        &self,
        p: usize,
        paper: &Prepared<'_, PaperFacts>,
        out: &mut Vec<(usize, usize)>,
    ) {
        for ((a, _), keys) in paper.facts.authors.iter().zip(&paper.keys) {
            let hits = self
                .by_email
                .get(a.email.as_str())
                .into_iter()
                .chain(
                    self.by_aff
                        .get(&keys.affiliation)
                        .filter(|_| !keys.affiliation.is_empty()),
                )
                .chain(keys.domain.as_ref().and_then(|d| self.by_dom.get(d)));
            out.extend(hits.flatten().map(|&r| (p, r)));
        }
        for (_, parsed) in &paper.declared {
            let hits: Vec<&Vec<usize>> = match parsed {
                None => Vec::new(),
                Some(Declared::Email(e)) => self.by_email.get(e.as_str()).into_iter().collect(),
                Some(Declared::Domain(dom)) => institutional_domain(&format!("x@{dom}"))
                    .and_then(|k| self.by_dom.get(&k))
                    .into_iter()
                    .collect(),
                Some(Declared::Words { name, affiliation }) => self
                    .by_name
                    .get(name)
                    .into_iter()
                    .chain(self.by_aff.get(affiliation))
                    .collect(),
            };
            out.extend(hits.into_iter().flatten().map(|&r| (p, r)));
        }
    }
}

/// Every conflict between `papers` and `reviewers`, sorted by (paper, reviewer, kind).
/// Candidate pairs come from indexes (email, affiliation, domain, name), so the work grows
/// with the number of matches rather than papers × reviewers; each candidate pair is then
/// checked by [`pair_conflicts`], so both always agree. Large conferences are split into
/// contiguous ranges of papers (then of pairs) on as many threads as the machine has, joined
/// in order, so the result does not depend on the number of threads.
pub fn all_conflicts(
    papers: &[PaperFacts],
    reviewers: &[Reviewer],
    bids: &[(usize, usize, Bid)],
    entered: &[EnteredConflict],
) -> Vec<Conflict> {
    let threads = available_threads().min(papers.len() / PAPERS_PER_THREAD);
    all_conflicts_on(papers, reviewers, bids, entered, threads)
}

/// [`all_conflicts`]' answer with `bids`, from its answer without them: each "conflict" bid
/// adds one conflict of kind [`ConflictKind::Bid`] to its pair, and changes nothing else.
/// For a process that keeps the pool's conflicts and reads the bids again after each bid.
pub fn with_bid_conflicts(
    without_bids: &[Conflict],
    bids: &[(usize, usize, Bid)],
    papers: usize,
    reviewers: usize,
) -> Vec<Conflict> {
    // As `all_conflicts` reads them: the last bid on a pair counts.
    let bid_of: HashMap<(usize, usize), Bid> = bids.iter().map(|&(p, r, b)| ((p, r), b)).collect();
    let mut out = without_bids.to_vec();
    out.extend(
        bid_of
            .into_iter()
            .filter(|&((p, r), b)| b == Bid::Conflict && p < papers && r < reviewers)
            .map(|((paper, reviewer), _)| Conflict {
                paper,
                reviewer,
                kind: ConflictKind::Bid,
                detail: BID_DETAIL.to_string(),
            }),
    );
    // Two sorted runs: the stable sort merges them.
    out.sort();
    out
}

/// What a "conflict" bid's conflict says.
const BID_DETAIL: &str = "the reviewer bid \"conflict\"";

/// [`all_conflicts`] on `threads` threads.
pub(super) fn all_conflicts_on(
    papers: &[PaperFacts],
    reviewers: &[Reviewer],
    bids: &[(usize, usize, Bid)],
    entered: &[EnteredConflict],
    threads: usize,
) -> Vec<Conflict> {
    let prepared_papers: Vec<Prepared<'_, PaperFacts>> =
        run_parts(ranges(papers.len(), threads), |range| {
            papers[range].iter().map(prepare_paper).collect::<Vec<_>>()
        })
        .into_iter()
        .flatten()
        .collect();
    let prepared_reviewers: Vec<Prepared<'_, Reviewer>> =
        reviewers.iter().map(prepare_reviewer).collect();
    let index = ReviewerIndex::new(&prepared_reviewers);
    let mut pairs: Vec<(usize, usize)> = run_parts(ranges(papers.len(), threads), |range| {
        let mut pairs = Vec::new();
        for p in range {
            index.candidates_of(p, &prepared_papers[p], &mut pairs);
        }
        pairs
    })
    .concat();
    // Reviewers' declarations, against an index of the papers' authors.
    let mut author_index: HashMap<String, Vec<usize>> = HashMap::new();
    for (p, paper) in prepared_papers.iter().enumerate() {
        for ((a, _), keys) in paper.facts.authors.iter().zip(&paper.keys) {
            for key in [
                format!("e:{}", a.email),
                format!("n:{}", keys.name),
                format!("a:{}", keys.affiliation),
                format!("d:{}", keys.domain.as_deref().unwrap_or_default()),
            ] {
                author_index.entry(key).or_default().push(p);
            }
        }
    }
    for (r, reviewer) in prepared_reviewers.iter().enumerate() {
        for (_, parsed) in &reviewer.declared {
            let keys = match parsed {
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
                    pairs.push((p, r));
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
    pairs.retain(|&(p, r)| p < papers.len() && r < reviewers.len());
    pairs.sort_unstable();
    pairs.dedup();
    let out: Vec<Conflict> = run_parts(ranges(pairs.len(), threads), |range| {
        pairs[range]
            .iter()
            .flat_map(|&(p, r)| {
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
            .collect::<Vec<_>>()
    })
    .concat();
    // Pairs were taken in order and each pair's conflicts come sorted by kind.
    debug_assert!(out.is_sorted());
    out
}
