//! The chairs' list of committed assignments, one page at a time: filtered by paper number,
//! reviewer (part of the email address) and review state in the query itself, counted and
//! paged on the server, so the list costs the same at 80 or 30,000 assignments. Papers the
//! viewing chair wrote are left out by the caller's `hidden` ids (their reviewers are hidden
//! from that chair).

use diesel::prelude::*;

use super::AnyConnection;
use super::schema::{assignments, reviews, submissions};

/// Which committed assignments to list.
#[derive(Debug, Clone, Default)]
pub struct AssignmentFilter {
    pub paper: Option<i32>,
    /// Part of the reviewer's email address (case-insensitive).
    pub reviewer: Option<String>,
    pub state: Option<ReviewState>,
    /// Submissions whose reviewers the viewer may not see.
    pub hidden: Vec<String>,
    /// Only assignments on active (not withdrawn) submissions.
    pub active_only: bool,
}

/// The state of the review behind an assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewState {
    NotStarted,
    Draft,
    Submitted,
}

impl ReviewState {
    pub fn parse(raw: &str) -> Option<ReviewState> {
        match raw {
            "not_started" => Some(ReviewState::NotStarted),
            "draft" => Some(ReviewState::Draft),
            "submitted" => Some(ReviewState::Submitted),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ReviewState::NotStarted => "not_started",
            ReviewState::Draft => "draft",
            ReviewState::Submitted => "submitted",
        }
    }

    /// In people's words.
    pub fn label(self) -> &'static str {
        match self {
            ReviewState::NotStarted => "not started",
            ReviewState::Draft => "draft saved",
            ReviewState::Submitted => "submitted",
        }
    }
}

/// One listed assignment.
#[derive(Debug, Clone)]
pub struct ListedAssignment {
    pub number: i32,
    pub title: String,
    pub track: String,
    pub status: String,
    pub reviewer_email: String,
    pub assigned_at: chrono::NaiveDateTime,
    pub state: ReviewState,
    pub late: bool,
}

type Row = (
    i32,
    String,
    String,
    String,
    String,
    chrono::NaiveDateTime,
    Option<String>,
    Option<bool>,
);

macro_rules! filtered {
    ($f:expr) => {{
        let f: &AssignmentFilter = $f;
        let mut q = assignments::table
            .inner_join(submissions::table)
            .left_join(
                reviews::table.on(reviews::submission_id
                    .eq(assignments::submission_id)
                    .and(reviews::reviewer_email.eq(assignments::reviewer_email))),
            )
            .into_boxed();
        if let Some(n) = f.paper {
            q = q.filter(submissions::number.eq(n));
        }
        if let Some(r) = &f.reviewer {
            let pattern = format!("%{}%", r.to_lowercase().replace('%', "").replace('_', ""));
            q = q.filter(assignments::reviewer_email.like(pattern));
        }
        match f.state {
            Some(ReviewState::NotStarted) => q = q.filter(reviews::id.nullable().is_null()),
            Some(ReviewState::Draft) => {
                q = q.filter(
                    reviews::id
                        .nullable()
                        .is_not_null()
                        .and(reviews::state.nullable().ne(Some("submitted"))),
                )
            }
            Some(ReviewState::Submitted) => {
                q = q.filter(reviews::state.nullable().eq(Some("submitted")))
            }
            None => {}
        }
        if f.active_only {
            q = q.filter(submissions::status.eq("active"));
        }
        if !f.hidden.is_empty() {
            q = q.filter(diesel::dsl::not(
                assignments::submission_id.eq_any(f.hidden.clone()),
            ));
        }
        q
    }};
}

/// How many committed assignments match `filter`.
pub fn count(c: &mut AnyConnection, filter: &AssignmentFilter) -> QueryResult<i64> {
    filtered!(filter).count().get_result(c)
}

/// Committed reviewers per active submission (submission id, count); papers without any are
/// absent.
pub fn reviewers_per_active_paper(c: &mut AnyConnection) -> QueryResult<Vec<(String, i64)>> {
    assignments::table
        .inner_join(submissions::table)
        .filter(submissions::status.eq("active"))
        .group_by(assignments::submission_id)
        .select((assignments::submission_id, diesel::dsl::count_star()))
        .load(c)
}

/// One page of committed assignments matching `filter`, by paper number then reviewer.
pub fn page(
    c: &mut AnyConnection,
    filter: &AssignmentFilter,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<ListedAssignment>> {
    let rows: Vec<Row> = filtered!(filter)
        .order((submissions::number, assignments::reviewer_email))
        .offset(offset)
        .limit(limit)
        .select((
            submissions::number,
            submissions::title,
            submissions::track,
            submissions::status,
            assignments::reviewer_email,
            assignments::assigned_at,
            reviews::state.nullable(),
            reviews::late.nullable(),
        ))
        .load(c)?;
    Ok(rows
        .into_iter()
        .map(
            |(number, title, track, status, reviewer_email, assigned_at, state, late)| {
                ListedAssignment {
                    number,
                    title,
                    track,
                    status,
                    reviewer_email,
                    assigned_at,
                    state: match state.as_deref() {
                        None => ReviewState::NotStarted,
                        Some("submitted") => ReviewState::Submitted,
                        Some(_) => ReviewState::Draft,
                    },
                    late: late.unwrap_or(false),
                }
            },
        )
        .collect())
}
