//! Reviewer profiles, bids, entered conflicts, committed assignments and assignment previews.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::{assignment_runs, assignments, bids, entered_conflicts, reviewer_profiles};
use super::{AnyConnection, to_db};
use crate::domain::ids::UserId;

/// A stored reviewer profile.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = reviewer_profiles)]
pub struct ProfileRow {
    pub email: String,
    pub name: String,
    pub affiliation: String,
    pub volunteer: bool,
    pub active: bool,
    pub keywords: String,
    pub declared_conflicts: String,
    pub min_load: Option<i32>,
    pub max_load: Option<i32>,
    pub updated_at: chrono::NaiveDateTime,
}

impl ProfileRow {
    pub fn keywords(&self) -> Vec<String> {
        serde_json::from_str(&self.keywords).unwrap_or_default()
    }

    pub fn declared_conflicts(&self) -> Vec<String> {
        serde_json::from_str(&self.declared_conflicts).unwrap_or_default()
    }
}

pub fn profiles(c: &mut AnyConnection) -> QueryResult<Vec<ProfileRow>> {
    reviewer_profiles::table
        .order(reviewer_profiles::email)
        .select(ProfileRow::as_select())
        .load(c)
}

pub fn find_profile(c: &mut AnyConnection, email: &str) -> QueryResult<Option<ProfileRow>> {
    reviewer_profiles::table
        .find(email)
        .select(ProfileRow::as_select())
        .first(c)
        .optional()
}

/// Inserts or replaces a profile.
pub fn save_profile(c: &mut AnyConnection, row: &ProfileRow) -> QueryResult<()> {
    let updated = diesel::update(reviewer_profiles::table.find(&row.email))
        .set(row)
        .execute(c)?;
    if updated == 0 {
        diesel::insert_into(reviewer_profiles::table)
            .values(row)
            .execute(c)?;
    }
    Ok(())
}

/// One reviewer's bid on one submission.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = bids)]
pub struct BidRow {
    pub submission_id: String,
    pub reviewer_email: String,
    pub bid: String,
    pub updated_at: chrono::NaiveDateTime,
}

pub fn all_bids(c: &mut AnyConnection) -> QueryResult<Vec<BidRow>> {
    bids::table.select(BidRow::as_select()).load(c)
}

/// Every bid as (submission id, reviewer email, bid), without its time: what the pool reads
/// again after each bid.
pub fn all_bid_choices(c: &mut AnyConnection) -> QueryResult<Vec<(String, String, String)>> {
    bids::table
        .select((bids::submission_id, bids::reviewer_email, bids::bid))
        .load(c)
}

pub fn bids_of(c: &mut AnyConnection, email: &str) -> QueryResult<Vec<BidRow>> {
    bids::table
        .filter(bids::reviewer_email.eq(email))
        .select(BidRow::as_select())
        .load(c)
}

/// Sets (or with `None` clears) one bid.
pub fn set_bid(
    c: &mut AnyConnection,
    submission_id: &str,
    email: &str,
    bid: Option<&str>,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let key = bids::table
        .filter(bids::submission_id.eq(submission_id))
        .filter(bids::reviewer_email.eq(email));
    match bid {
        None => diesel::delete(key).execute(c).map(|_| ()),
        Some(b) => {
            let updated = diesel::update(key)
                .set((bids::bid.eq(b), bids::updated_at.eq(to_db(now))))
                .execute(c)?;
            if updated == 0 {
                diesel::insert_into(bids::table)
                    .values((
                        bids::submission_id.eq(submission_id),
                        bids::reviewer_email.eq(email),
                        bids::bid.eq(b),
                        bids::updated_at.eq(to_db(now)),
                    ))
                    .execute(c)?;
            }
            Ok(())
        }
    }
}

/// A conflict entered by a chair or reported by a reviewer.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = entered_conflicts)]
pub struct EnteredRow {
    pub submission_id: String,
    pub reviewer_email: String,
    pub source: String,
    pub reason: String,
    pub created_by: String,
    pub created_at: chrono::NaiveDateTime,
}

pub fn entered_conflicts(c: &mut AnyConnection) -> QueryResult<Vec<EnteredRow>> {
    entered_conflicts::table
        .order(entered_conflicts::created_at)
        .select(EnteredRow::as_select())
        .load(c)
}

/// Records a conflict; a second one for the same pair keeps the first.
pub fn enter_conflict(
    c: &mut AnyConnection,
    submission_id: &str,
    email: &str,
    source: &str,
    reason: &str,
    by: &UserId,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let exists = entered_conflicts::table
        .filter(entered_conflicts::submission_id.eq(submission_id))
        .filter(entered_conflicts::reviewer_email.eq(email))
        .count()
        .get_result::<i64>(c)?
        > 0;
    if exists {
        return Ok(false);
    }
    diesel::insert_into(entered_conflicts::table)
        .values((
            entered_conflicts::submission_id.eq(submission_id),
            entered_conflicts::reviewer_email.eq(email),
            entered_conflicts::source.eq(source),
            entered_conflicts::reason.eq(reason),
            entered_conflicts::created_by.eq(by.as_str()),
            entered_conflicts::created_at.eq(to_db(now)),
        ))
        .execute(c)?;
    Ok(true)
}

pub fn remove_entered_conflict(
    c: &mut AnyConnection,
    submission_id: &str,
    email: &str,
) -> QueryResult<usize> {
    diesel::delete(
        entered_conflicts::table
            .filter(entered_conflicts::submission_id.eq(submission_id))
            .filter(entered_conflicts::reviewer_email.eq(email)),
    )
    .execute(c)
}

/// A committed assignment.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = assignments)]
pub struct AssignmentRow {
    pub submission_id: String,
    pub reviewer_email: String,
    pub assigned_at: chrono::NaiveDateTime,
    pub assigned_by: String,
}

pub fn all_assignments(c: &mut AnyConnection) -> QueryResult<Vec<AssignmentRow>> {
    assignments::table
        .order((assignments::submission_id, assignments::reviewer_email))
        .select(AssignmentRow::as_select())
        .load(c)
}

pub fn assignments_of(c: &mut AnyConnection, email: &str) -> QueryResult<Vec<AssignmentRow>> {
    assignments::table
        .filter(assignments::reviewer_email.eq(email))
        .select(AssignmentRow::as_select())
        .load(c)
}

pub fn is_assigned(c: &mut AnyConnection, submission_id: &str, email: &str) -> QueryResult<bool> {
    assignments::table
        .filter(assignments::submission_id.eq(submission_id))
        .filter(assignments::reviewer_email.eq(email))
        .count()
        .get_result::<i64>(c)
        .map(|n| n > 0)
}

pub fn assign(
    c: &mut AnyConnection,
    submission_id: &str,
    email: &str,
    by: &UserId,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(assignments::table)
        .values((
            assignments::submission_id.eq(submission_id),
            assignments::reviewer_email.eq(email),
            assignments::assigned_at.eq(to_db(now)),
            assignments::assigned_by.eq(by.as_str()),
        ))
        .execute(c)
        .map(|_| ())
}

pub fn unassign(c: &mut AnyConnection, submission_id: &str, email: &str) -> QueryResult<usize> {
    diesel::delete(
        assignments::table
            .filter(assignments::submission_id.eq(submission_id))
            .filter(assignments::reviewer_email.eq(email)),
    )
    .execute(c)
}

/// A stored assignment run (a preview the chair looks at, or one that was committed).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = assignment_runs)]
pub struct RunRow {
    pub id: String,
    pub state: String,
    pub params: String,
    pub pairs: String,
    pub created_by: String,
    pub created_at: chrono::NaiveDateTime,
    pub committed_at: Option<chrono::NaiveDateTime>,
}

/// Stores a new preview, discarding any earlier one.
pub fn insert_preview(
    c: &mut AnyConnection,
    id: &str,
    params: &str,
    pairs: &str,
    by: &UserId,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(assignment_runs::table.filter(assignment_runs::state.eq("preview")))
        .set(assignment_runs::state.eq("discarded"))
        .execute(c)?;
    diesel::insert_into(assignment_runs::table)
        .values((
            assignment_runs::id.eq(id),
            assignment_runs::state.eq("preview"),
            assignment_runs::params.eq(params),
            assignment_runs::pairs.eq(pairs),
            assignment_runs::created_by.eq(by.as_str()),
            assignment_runs::created_at.eq(to_db(now)),
        ))
        .execute(c)
        .map(|_| ())
}

/// The preview being looked at, if any.
pub fn current_preview(c: &mut AnyConnection) -> QueryResult<Option<RunRow>> {
    assignment_runs::table
        .filter(assignment_runs::state.eq("preview"))
        .order(assignment_runs::created_at.desc())
        .select(RunRow::as_select())
        .first(c)
        .optional()
}

pub fn find_run(c: &mut AnyConnection, id: &str) -> QueryResult<Option<RunRow>> {
    assignment_runs::table
        .find(id)
        .select(RunRow::as_select())
        .first(c)
        .optional()
}

/// Replaces a preview's pairs (a manual change); false when it is no longer a preview.
pub fn set_preview_pairs(c: &mut AnyConnection, id: &str, pairs: &str) -> QueryResult<bool> {
    diesel::update(
        assignment_runs::table
            .filter(assignment_runs::id.eq(id))
            .filter(assignment_runs::state.eq("preview")),
    )
    .set(assignment_runs::pairs.eq(pairs))
    .execute(c)
    .map(|n| n == 1)
}

/// Moves a preview to `state` ("committed" or "discarded"); false when it was not a preview
/// any more (another chair committed or discarded it first).
pub fn close_preview(
    c: &mut AnyConnection,
    id: &str,
    state: &str,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::update(
        assignment_runs::table
            .filter(assignment_runs::id.eq(id))
            .filter(assignment_runs::state.eq("preview")),
    )
    .set((
        assignment_runs::state.eq(state),
        assignment_runs::committed_at.eq(Some(to_db(now))),
    ))
    .execute(c)
    .map(|n| n == 1)
}

/// Whether `email` is the main author of an active submission.
pub fn is_active_main_author(c: &mut AnyConnection, email: &str) -> QueryResult<bool> {
    use super::schema::{submission_authors, submissions};
    submission_authors::table
        .inner_join(submissions::table)
        .filter(submission_authors::email.eq(email))
        .filter(submission_authors::is_main.eq(true))
        .filter(submissions::status.eq("active"))
        .count()
        .get_result::<i64>(c)
        .map(|n| n > 0)
}

/// The committed reviewers of one submission, in assignment order (which gives their
/// "Reviewer A/B/C" labels).
pub fn reviewers_of(c: &mut AnyConnection, submission_id: &str) -> QueryResult<Vec<String>> {
    assignments::table
        .filter(assignments::submission_id.eq(submission_id))
        .order((assignments::assigned_at, assignments::reviewer_email))
        .select(assignments::reviewer_email)
        .load(c)
}
