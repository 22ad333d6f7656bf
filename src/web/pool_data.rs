//! Loads what the assignment needs from the database into the pure types of
//! [`crate::domain::pool`]: active papers, the reviewer pool, bids, entered conflicts and
//! the committed assignments, with maps from numbers and emails to indices, and what the
//! chairs' pool pages derive from them once (every conflict, per-reviewer counts).
//! [`PoolCache`] keeps one loaded copy per process while the pool's data version
//! ([`crate::db::data_version`]) is unchanged; when only the bids changed (bidding), it reads
//! the bids again and keeps the rest ([`PoolBase`]).

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use crate::assignment::affinity::Bid;
use crate::assignment::text_index::TextIndex;
use crate::db::assignments::{self, AssignmentRow, ProfileRow};
use crate::db::submissions::SubmissionRow;
use crate::db::{AnyConnection, DbError, data_version, submissions};
use crate::domain::pool::{
    Conflict, EnteredConflict, PaperFacts, PersonFacts, ProfileFacts, Reviewer, all_conflicts,
    reviewer_pool, text_index, with_bid_conflicts,
};
use crate::domain::submission::SubmissionStatus;
use diesel::QueryResult;

/// The conference as the assignment sees it: the pool without its bids ([`PoolBase`], shared
/// between loads while only bids change; its fields read through `Deref`), the bids, and
/// what depends on both.
pub struct PoolData {
    base: Arc<PoolBase>,
    pub bids: Vec<(usize, usize, Bid)>,
    /// Derived on first use (eagerly by [`PoolCache`], off the async workers).
    /// Sorted by paper, reviewer and kind, as [`all_conflicts`] gives them; `None` when no
    /// bid is a "conflict" bid: then they are the base's conflicts, shared, not copied.
    conflicts: OnceLock<Option<Vec<Conflict>>>,
    counts: OnceLock<ReviewerCounts>,
}

/// Everything [`PoolData`] holds but the bids: what [`data_version::POOL`] versions.
pub struct PoolBase {
    /// Active submissions, by number.
    pub papers: Vec<PaperFacts>,
    /// The pool, by email.
    pub pool: Vec<Reviewer>,
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
    /// Every conflict but those of "conflict" bids, on first use.
    conflicts_without_bids: OnceLock<Vec<Conflict>>,
    /// The text index of the papers and the pool (the bidding page's order), built on first
    /// use: off the async workers, by the caller.
    text_index: OnceLock<TextIndex>,
}

impl std::ops::Deref for PoolData {
    type Target = PoolBase;

    fn deref(&self) -> &PoolBase {
        &self.base
    }
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
    /// The whole pool, bids included.
    pub fn load(c: &mut AnyConnection) -> QueryResult<PoolData> {
        let base = Arc::new(PoolBase::load(c)?);
        PoolData::with_bids(base, c)
    }

    /// `base` with the bids as they are now.
    pub fn with_bids(base: Arc<PoolBase>, c: &mut AnyConnection) -> QueryResult<PoolData> {
        let bids = assignments::all_bid_choices(c)?
            .iter()
            .filter_map(|(id, email, bid)| {
                let (p, r) = base.pair(id, email)?;
                Some((p, r, parse_bid(bid)?))
            })
            .collect();
        Ok(PoolData {
            base,
            bids,
            conflicts: OnceLock::new(),
            counts: OnceLock::new(),
        })
    }

    /// Whether `self` and `other` share their pool apart from the bids (for tests of the
    /// cache).
    pub fn shares_base_with(&self, other: &PoolData) -> bool {
        Arc::ptr_eq(&self.base, &other.base)
    }

    /// Every conflict between an active paper and a pool member, computed once per load
    /// (the conflicts without bids once per load of the [`PoolBase`]).
    pub fn conflicts(&self) -> &[Conflict] {
        let without_bids = self.base.conflicts_without_bids();
        self.conflicts
            .get_or_init(|| {
                self.bids.iter().any(|b| b.2 == Bid::Conflict).then(|| {
                    with_bid_conflicts(without_bids, &self.bids, self.papers.len(), self.pool.len())
                })
            })
            .as_deref()
            .unwrap_or(without_bids)
    }

    /// The kinds of conflict of a (paper, reviewer) pair, in the conflicts' order (empty when
    /// none): a binary search of the sorted conflicts.
    pub fn conflict_labels(&self, paper: usize, reviewer: usize) -> Vec<&'static str> {
        let conflicts = self.conflicts();
        let start = conflicts.partition_point(|c| (c.paper, c.reviewer) < (paper, reviewer));
        conflicts[start..]
            .iter()
            .take_while(|c| (c.paper, c.reviewer) == (paper, reviewer))
            .map(|c| c.kind.label())
            .collect()
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
        self.conflicts();
        self.reviewer_counts();
    }
}

impl PoolBase {
    pub fn load(c: &mut AnyConnection) -> QueryResult<PoolBase> {
        let all_rows = submissions::all(c)?;
        let authors = submissions::all_authors(c)?;
        let profiles = assignments::profiles(c)?;
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
        let mut base = PoolBase {
            papers,
            pool,
            entered: Vec::new(),
            committed: Vec::new(),
            stale: Vec::new(),
            all_rows,
            paper_of_id,
            row_of_id,
            paper_of_number,
            reviewer_of_email,
            conflicts_without_bids: OnceLock::new(),
            text_index: OnceLock::new(),
        };
        base.entered = entered_rows
            .iter()
            .filter_map(|e| {
                let (paper, reviewer) = base.pair(&e.submission_id, &e.reviewer_email)?;
                Some(EnteredConflict {
                    paper,
                    reviewer,
                    reported: e.source == "reviewer",
                    reason: e.reason.clone(),
                })
            })
            .collect();
        for a in committed_rows {
            match base.pair(&a.submission_id, &a.reviewer_email) {
                Some(p) if base.pool[p.1].active => base.committed.push(p),
                _ => base.stale.push(a),
            }
        }
        Ok(base)
    }

    /// The (paper, reviewer) indices of an active paper's id and a pool member's email.
    fn pair(&self, id: &str, email: &str) -> Option<(usize, usize)> {
        Some((
            *self.paper_of_id.get(id)?,
            *self.reviewer_of_email.get(email)?,
        ))
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

    /// Every conflict but those of "conflict" bids, computed once per load.
    fn conflicts_without_bids(&self) -> &[Conflict] {
        self.conflicts_without_bids
            .get_or_init(|| all_conflicts(&self.papers, &self.pool, &[], &self.entered))
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
/// it was loaded at, and only its bids read again when only the bids' version differs (each
/// bid during bidding). The versions are read before the rows, so a copy is never labelled
/// newer than its data: a write that lands between the two makes the next request load again.
#[derive(Default)]
pub struct PoolCache {
    /// (pool version, bids version, the copy).
    cached: RwLock<Option<(i64, i64, Arc<PoolData>)>>,
}

impl std::fmt::Debug for PoolCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let versions = self
            .cached
            .read()
            .ok()
            .and_then(|g| g.as_ref().map(|(p, b, _)| (*p, *b)));
        f.debug_struct("PoolCache")
            .field("versions", &versions)
            .finish()
    }
}

impl PoolCache {
    /// The current pool, from the cache when nothing changed since it was loaded.
    pub fn get(&self, c: &mut AnyConnection) -> QueryResult<Arc<PoolData>> {
        let versions = data_version::current_of(c, &[data_version::POOL, data_version::BIDS])?;
        let (Some(pool_version), Some(bids_version)) = (versions[0], versions[1]) else {
            let data = PoolData::load(c)?;
            data.derive_all();
            return Ok(Arc::new(data));
        };
        let kept = self
            .cached
            .read()
            .ok()
            .and_then(|g| g.as_ref().map(|(p, b, data)| (*p, *b, data.clone())));
        let data = match kept {
            Some((p, b, data)) if p == pool_version && b == bids_version => return Ok(data),
            // Only bids changed: the rest of the pool, its conflicts and text index stay.
            Some((p, _, data)) if p == pool_version => PoolData::with_bids(data.base.clone(), c)?,
            _ => PoolData::load(c)?,
        };
        data.derive_all();
        let fresh = Arc::new(data);
        if let Ok(mut guard) = self.cached.write()
            // Never replace a newer copy with an older one computed by a slower request.
            && guard
                .as_ref()
                .is_none_or(|(p, b, _)| *p <= pool_version && *b <= bids_version)
        {
            *guard = Some((pool_version, bids_version, fresh.clone()));
        }
        Ok(fresh)
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
