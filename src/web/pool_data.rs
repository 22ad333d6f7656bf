//! Loads what the assignment needs from the database into the pure types of
//! [`crate::domain::pool`]: active papers, the reviewer pool, bids, entered conflicts and
//! the committed assignments, with maps from numbers and emails to indices, and what the
//! chairs' pool pages derive from them once (every conflict, per-reviewer counts).
//! [`PoolCache`] keeps one loaded copy per process while the pool's data version
//! ([`crate::db::data_version`]) is unchanged.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use crate::assignment::affinity::Bid;
use crate::assignment::text_index::TextIndex;
use crate::db::assignments::{self, AssignmentRow, ProfileRow};
use crate::db::submissions::SubmissionRow;
use crate::db::{AnyConnection, DbError, data_version, submissions};
use crate::domain::pool::{
    Conflict, EnteredConflict, PaperFacts, PersonFacts, ProfileFacts, Reviewer, all_conflicts,
    reviewer_pool, text_index,
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
    row_of_id: HashMap<String, usize>,
    paper_of_number: HashMap<i32, usize>,
    reviewer_of_email: HashMap<String, usize>,
    /// Derived on first use (eagerly by [`PoolCache`], off the async workers).
    conflicts: OnceLock<Vec<Conflict>>,
    conflict_labels: OnceLock<HashMap<(usize, usize), Vec<&'static str>>>,
    counts: OnceLock<ReviewerCounts>,
    /// The text index of the papers and the pool (the bidding page's order), built on first
    /// use: off the async workers, by the caller.
    text_index: OnceLock<TextIndex>,
}

/// Per pool member (by index): bids placed and committed assignments.
#[derive(Debug, Default)]
pub struct ReviewerCounts {
    pub bids: Vec<usize>,
    pub assigned: Vec<usize>,
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
        let row_of_id = all_rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        let paper_of_number = papers
            .iter()
            .enumerate()
            .map(|(i, p)| (p.number, i))
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
            row_of_id,
            paper_of_number,
            reviewer_of_email,
            conflicts: OnceLock::new(),
            conflict_labels: OnceLock::new(),
            counts: OnceLock::new(),
            text_index: OnceLock::new(),
        })
    }

    pub fn paper_by_number(&self, number: i32) -> Option<usize> {
        self.paper_of_number.get(&number).copied()
    }

    pub fn paper_by_id(&self, id: &str) -> Option<usize> {
        self.paper_of_id.get(id).copied()
    }

    pub fn reviewer_by_email(&self, email: &str) -> Option<usize> {
        self.reviewer_of_email.get(email).copied()
    }

    /// The text index of the papers and the pool, built once per load (a third of a second at
    /// 10,000 papers: call it off the async workers).
    pub fn text_index(&self) -> &TextIndex {
        self.text_index
            .get_or_init(|| text_index(&self.papers, &self.pool))
    }

    /// Every conflict between an active paper and a pool member, computed once per load.
    pub fn conflicts(&self) -> &[Conflict] {
        self.conflicts
            .get_or_init(|| all_conflicts(&self.papers, &self.pool, &self.bids, &self.entered))
    }

    /// The kinds of conflict of each conflicted (paper, reviewer) pair.
    pub fn conflict_labels(&self) -> &HashMap<(usize, usize), Vec<&'static str>> {
        self.conflict_labels.get_or_init(|| {
            let mut labels: HashMap<(usize, usize), Vec<&'static str>> = HashMap::new();
            for c in self.conflicts() {
                labels
                    .entry((c.paper, c.reviewer))
                    .or_default()
                    .push(c.kind.label());
            }
            labels
        })
    }

    /// Bids and committed assignments per pool member.
    pub fn reviewer_counts(&self) -> &ReviewerCounts {
        self.counts.get_or_init(|| {
            let mut counts = ReviewerCounts {
                bids: vec![0; self.pool.len()],
                assigned: vec![0; self.pool.len()],
            };
            for &(_, r, _) in &self.bids {
                counts.bids[r] += 1;
            }
            for &(_, r) in &self.committed {
                counts.assigned[r] += 1;
            }
            counts
        })
    }

    /// Computes what the pages derive, so that it happens on the blocking thread that
    /// loaded the data rather than in a request's async handler.
    fn derive_all(&self) {
        self.conflict_labels();
        self.reviewer_counts();
    }

    /// The number of a submission id, also for withdrawn papers.
    pub fn number_of(&self, id: &str) -> Option<i32> {
        self.row_by_id(id).map(|r| r.number)
    }

    /// Any submission (also a withdrawn one) by id.
    pub fn row_by_id(&self, id: &str) -> Option<&SubmissionRow> {
        self.row_of_id.get(id).map(|&i| &self.all_rows[i])
    }
}

/// The pool as of the last write: one [`PoolData`] per process, shared by every request
/// (`Arc`), loaded again when the pool's data version in the database differs from the one
/// it was loaded at. The version is read before the rows, so a copy is never labelled newer
/// than its data: a write that lands between the two makes the next request load again.
#[derive(Debug)]
pub struct PoolCache {
    cached: data_version::Versioned<PoolData>,
}

impl Default for PoolCache {
    fn default() -> PoolCache {
        PoolCache {
            cached: data_version::Versioned::new(data_version::POOL),
        }
    }
}

impl PoolCache {
    /// The current pool, from the cache when nothing changed since it was loaded.
    pub fn get(&self, c: &mut AnyConnection) -> QueryResult<Arc<PoolData>> {
        self.cached.get(c, |c| {
            let data = PoolData::load(c)?;
            data.derive_all();
            Ok(data)
        })
    }
}

/// The current pool through the application's cache, on the blocking pool.
pub async fn current_pool(
    state: &actix_web::web::Data<crate::web::AppState>,
) -> Result<Arc<PoolData>, DbError> {
    let state = state.clone();
    crate::db::run(&state.pool.clone(), move |c| {
        Ok::<_, DbError>(state.pool_cache.get(c)?)
    })
    .await
}
