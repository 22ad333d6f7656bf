//! Lean reads for the authors' own pages ("My submissions"): a bounded number of queries
//! whatever the number of papers, selecting only the columns those pages show (no format
//! report JSON). The chairs' lists live in `submissions` and `decisions`.

use diesel::prelude::*;

use super::AnyConnection;
use super::schema::{decisions, submission_authors, submission_listing, submissions};
use crate::domain::account::Email;
use crate::domain::decision::Decision;

// The list joins the listing and the decisions and reads the authored ids in a subquery.
diesel::allow_tables_to_appear_in_same_query!(submission_listing, decisions);
diesel::allow_tables_to_appear_in_same_query!(submission_authors, decisions);
diesel::allow_tables_to_appear_in_same_query!(submission_authors, submission_listing);

/// One row of "My submissions".
#[derive(Debug, Clone)]
pub struct AuthoredPaper {
    pub number: i32,
    pub title: String,
    /// Stored names (`Track::parse`, `SubmissionStatus`).
    pub track: String,
    pub status: String,
    /// The newest paper PDF's page count and format verdict (kept in `submission_listing`
    /// whenever a document is stored).
    pub pages: Option<i32>,
    pub format_verdict: Option<String>,
    /// The decision as released to the authors; `None` before the release.
    pub released: Option<Decision>,
}

/// One row of [`authored_papers`]' query: the paper's number, title, track and status, its
/// newest PDF's pages and verdict, and the decision released to its authors.
type AuthoredRow = (
    i32,
    String,
    String,
    String,
    Option<i32>,
    Option<String>,
    Option<String>,
);

/// The submissions `email` is an author of, newest first, with their newest PDF's facts and
/// released decision: one query, whatever the number of papers, reading only the columns the
/// list shows (no abstract, keywords or timestamps to decode per row).
pub fn authored_papers(c: &mut AnyConnection, email: &Email) -> QueryResult<Vec<AuthoredPaper>> {
    let ids = submission_authors::table
        .filter(submission_authors::email.eq(email.as_str()))
        .select(submission_authors::submission_id);
    let rows: Vec<AuthoredRow> = submissions::table
        .left_join(submission_listing::table)
        .left_join(decisions::table)
        .filter(submissions::id.eq_any(ids))
        .order(submissions::number.desc())
        .select((
            submissions::number,
            submissions::title,
            submissions::track,
            submissions::status,
            submission_listing::paper_pages.nullable(),
            submission_listing::paper_verdict.nullable(),
            decisions::released_decision.nullable(),
        ))
        .load(c)?;
    Ok(rows
        .into_iter()
        .map(
            |(number, title, track, status, pages, verdict, told)| AuthoredPaper {
                number,
                title,
                track,
                status,
                pages,
                format_verdict: verdict,
                released: told.as_deref().and_then(Decision::parse),
            },
        )
        .collect())
}
