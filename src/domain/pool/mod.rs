//! The reviewer pool and the assignment problem, built from the conference's own data.
//!
//! Who reviews: the main author of every active submission, plus volunteers a chair adds.
//! Why a reviewer may not review a paper: authorship, a shared institution or email domain
//! (computed, see [`crate::assignment::conflicts`]), a conflict declared by the paper's
//! authors or by the reviewer, a "conflict" bid, a conflict entered by a chair or reported by
//! the reviewer on an assignment. Each conflict carries a reason for the chair; reviewers
//! never see these. Pure: the caller loads the rows and this module only computes.

use std::collections::HashMap;

use crate::domain::submission::Track;

mod conflicts;
mod problem;
pub use conflicts::*;
pub use problem::*;

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
    // A hash map while building (a B-tree of 10,000 emails made every lookup a chain of
    // string comparisons), sorted by email once at the end.
    let mut pool: HashMap<&str, Reviewer> = HashMap::new();
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
            if *is_main && !pool.contains_key(author.email.as_str()) {
                let profile = profile_of.get(author.email.as_str());
                pool.insert(
                    author.email.as_str(),
                    from_profile(author.clone(), ReviewerSource::MainAuthor, profile),
                );
            }
        }
    }
    for p in profiles.iter().filter(|p| p.volunteer) {
        pool.entry(p.person.email.as_str())
            .or_insert_with(|| from_profile(p.person.clone(), ReviewerSource::Volunteer, Some(&p)));
    }
    for (i, paper) in papers.iter().enumerate() {
        for (author, _) in &paper.authors {
            if let Some(r) = pool.get_mut(author.email.as_str()) {
                r.own_papers.push(i);
            }
        }
    }
    let mut pool: Vec<Reviewer> = pool.into_values().collect();
    pool.sort_unstable_by(|a, b| a.person.email.cmp(&b.person.email));
    pool
}

#[cfg(test)]
mod tests;
