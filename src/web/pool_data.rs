//! Loads what the assignment needs from the database into the pure types of
//! [`crate::domain::pool`]: active papers, the reviewer pool, bids, entered conflicts and
//! the committed assignments, with maps from numbers and emails to indices.

use std::collections::HashMap;

use crate::assignment::affinity::Bid;
use crate::db::assignments::{self, AssignmentRow, ProfileRow};
use crate::db::submissions::SubmissionRow;
use crate::db::{AnyConnection, submissions};
use crate::domain::pool::{
    Conflict, EnteredConflict, PaperFacts, PersonFacts, ProfileFacts, Reviewer, all_conflicts,
    reviewer_pool,
};
use crate::domain::submission::SubmissionStatus;
use diesel::QueryResult;

/// The conference as the assignment sees it.
pub struct PoolData {
    /// Active submissions, by number.
    pub papers: Vec<PaperFacts>,
    /// The pool, by email.
    pub pool: Vec<Reviewer>,
    pub bids: Vec<(usize, usize, Bid)>,
    pub entered: Vec<EnteredConflict>,
    /// Committed assignments between active papers and pool members.
    pub committed: Vec<(usize, usize)>,
    /// Committed assignments on withdrawn papers or of people no longer in the pool.
    pub stale: Vec<AssignmentRow>,
    /// Every submission (also withdrawn ones), for numbers in stale rows.
    pub all_rows: Vec<SubmissionRow>,
    paper_of_id: HashMap<String, usize>,
    reviewer_of_email: HashMap<String, usize>,
}

pub fn parse_bid(raw: &str) -> Option<Bid> {
    serde_json::from_value(serde_json::Value::String(raw.to_string())).ok()
}

pub fn bid_name(bid: Bid) -> &'static str {
    match bid {
        Bid::Eager => "eager",
        Bid::Willing => "willing",
        Bid::NotWilling => "not_willing",
        Bid::Conflict => "conflict",
    }
}

pub fn profile_facts(p: &ProfileRow) -> ProfileFacts {
    ProfileFacts {
        person: PersonFacts {
            name: p.name.clone(),
            email: p.email.clone(),
            affiliation: p.affiliation.clone(),
        },
        volunteer: p.volunteer,
        active: p.active,
        keywords: p.keywords(),
        declared_conflicts: p.declared_conflicts(),
        min_load: p.min_load.and_then(|n| u32::try_from(n).ok()),
        max_load: p.max_load.and_then(|n| u32::try_from(n).ok()),
    }
}

impl PoolData {
    pub fn load(c: &mut AnyConnection) -> QueryResult<PoolData> {
        let all_rows = submissions::all(c)?;
        let authors = submissions::all_authors(c)?;
        let profiles = assignments::profiles(c)?;
        let bid_rows = assignments::all_bids(c)?;
        let entered_rows = assignments::entered_conflicts(c)?;
        let committed_rows = assignments::all_assignments(c)?;
        let mut by_paper: HashMap<&str, Vec<(PersonFacts, bool)>> = HashMap::new();
        for a in &authors {
            by_paper.entry(a.submission_id.as_str()).or_default().push((
                PersonFacts {
                    name: a.name.clone(),
                    email: a.email.clone(),
                    affiliation: a.affiliation.clone(),
                },
                a.is_main,
            ));
        }
        let papers: Vec<PaperFacts> = all_rows
            .iter()
            .filter(|r| r.status() == SubmissionStatus::Active)
            .map(|r| PaperFacts {
                id: r.id.clone(),
                number: r.number,
                track: r.track(),
                title: r.title.clone(),
                abstract_text: r.abstract_text.clone(),
                keywords: r.keywords(),
                authors: by_paper.remove(r.id.as_str()).unwrap_or_default(),
                declared_conflicts: r.declared_conflicts(),
            })
            .collect();
        let facts: Vec<ProfileFacts> = profiles.iter().map(profile_facts).collect();
        let pool = reviewer_pool(&papers, &facts);
        let paper_of_id: HashMap<String, usize> = papers
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        let reviewer_of_email: HashMap<String, usize> = pool
            .iter()
            .enumerate()
            .map(|(i, r)| (r.person.email.clone(), i))
            .collect();
        let pair =
            |id: &str, email: &str| Some((*paper_of_id.get(id)?, *reviewer_of_email.get(email)?));
        let bids = bid_rows
            .iter()
            .filter_map(|b| {
                let (p, r) = pair(&b.submission_id, &b.reviewer_email)?;
                Some((p, r, parse_bid(&b.bid)?))
            })
            .collect();
        let entered = entered_rows
            .iter()
            .filter_map(|e| {
                let (paper, reviewer) = pair(&e.submission_id, &e.reviewer_email)?;
                Some(EnteredConflict {
                    paper,
                    reviewer,
                    reported: e.source == "reviewer",
                    reason: e.reason.clone(),
                })
            })
            .collect();
        let mut committed = Vec::new();
        let mut stale = Vec::new();
        for a in committed_rows {
            match pair(&a.submission_id, &a.reviewer_email) {
                Some(p) if pool[p.1].active => committed.push(p),
                _ => stale.push(a),
            }
        }
        Ok(PoolData {
            papers,
            pool,
            bids,
            entered,
            committed,
            stale,
            all_rows,
            paper_of_id,
            reviewer_of_email,
        })
    }

    pub fn paper_by_number(&self, number: i32) -> Option<usize> {
        self.papers.iter().position(|p| p.number == number)
    }

    pub fn paper_by_id(&self, id: &str) -> Option<usize> {
        self.paper_of_id.get(id).copied()
    }

    pub fn reviewer_by_email(&self, email: &str) -> Option<usize> {
        self.reviewer_of_email.get(email).copied()
    }

    pub fn conflicts(&self) -> Vec<Conflict> {
        all_conflicts(&self.papers, &self.pool, &self.bids, &self.entered)
    }

    /// The number of a submission id, also for withdrawn papers.
    pub fn number_of(&self, id: &str) -> Option<i32> {
        self.all_rows.iter().find(|r| r.id == id).map(|r| r.number)
    }
}

/// Whether `email` is in the pool: the main author of an active submission (not dropped by
/// a chair) or an active volunteer. Two small queries, for the reviewer pages.
pub fn in_pool(c: &mut AnyConnection, email: &str) -> QueryResult<bool> {
    let profile = assignments::find_profile(c, email)?;
    if let Some(p) = &profile {
        if !p.active {
            return Ok(false);
        }
        if p.volunteer {
            return Ok(true);
        }
    }
    assignments::is_active_main_author(c, email)
}
