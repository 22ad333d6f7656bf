//! Lean reads for the reviewers' own pages, in as few statements as the pages allow (each
//! statement costs PostgreSQL about as much CPU as a small page costs cfp): an assigned
//! paper's page reads the paper with its reviewers, PDF flag, response and meta-review in one
//! query and the reviews with their revision facts in another (and the page keeps them per
//! paper in memory, `web::reviewer::review`); "My reviews" reads the assigned papers with the
//! viewer's review state in one query, and pool membership in another only when the page
//! needs it.
//! Rows only: whether the viewer may see them is `policy`'s (and the callers check that the
//! viewer is among the paper's reviewers before using anything else read here).

use chrono::NaiveDateTime;
use diesel::dsl::{exists, max};
use diesel::prelude::*;

use super::AnyConnection;
use super::discussion::{MetaReviewRow, ResponseRow};
use super::reviews::ReviewRow;
use super::schema::{
    assignments, author_response_revisions, author_responses, documents, meta_reviews,
    response_acknowledgements, review_revisions, reviewer_profiles, reviews, submission_authors,
    submissions,
};
use super::submissions::SubmissionRow;

// The tables the paper query joins or reads in its subqueries; the pairs `schema.rs`
// declares already are left out (diesel refuses a pair declared twice).
diesel::allow_tables_to_appear_in_same_query!(
    response_acknowledgements,
    author_responses,
    meta_reviews,
    author_response_revisions
);
diesel::allow_tables_to_appear_in_same_query!(submissions, response_acknowledgements);
diesel::allow_tables_to_appear_in_same_query!(submissions, author_responses);
diesel::allow_tables_to_appear_in_same_query!(submissions, meta_reviews);
diesel::allow_tables_to_appear_in_same_query!(submissions, author_response_revisions);
diesel::allow_tables_to_appear_in_same_query!(assignments, response_acknowledgements);
diesel::allow_tables_to_appear_in_same_query!(assignments, author_responses);
diesel::allow_tables_to_appear_in_same_query!(assignments, meta_reviews);
diesel::allow_tables_to_appear_in_same_query!(assignments, author_response_revisions);
diesel::allow_tables_to_appear_in_same_query!(assignments, documents);
diesel::allow_tables_to_appear_in_same_query!(documents, response_acknowledgements);
diesel::allow_tables_to_appear_in_same_query!(documents, author_responses);
diesel::allow_tables_to_appear_in_same_query!(documents, meta_reviews);

/// A paper with everything its reviewers' page shows besides the reviews and the comments.
#[derive(Debug, Clone)]
pub struct ReviewedPaper {
    pub row: SubmissionRow,
    /// Whether a paper PDF was uploaded.
    pub has_pdf: bool,
    /// The assigned reviewers' emails in assignment order (their labels follow it).
    pub assigned: Vec<String>,
    /// The assigned reviewers who ticked "I have read the response".
    pub acknowledged: Vec<String>,
    pub response: Option<ResponseRow>,
    /// Submitted versions of the response.
    pub response_versions: i64,
    pub meta: Option<MetaReviewRow>,
}

/// One row of [`reviewed_paper`]'s query: the paper's facts repeat on every row, one row
/// per assigned reviewer.
type PaperRow = (
    SubmissionRow,
    bool,
    String,
    Option<String>,
    Option<ResponseRow>,
    Option<i64>,
    Option<MetaReviewRow>,
);

/// Paper `number` with its assigned reviewers, its PDF flag, the authors' response (with its
/// number of submitted versions), who of the reviewers acknowledged it, and the meta-review:
/// one query. `None` when there is no such paper or nobody is assigned to it (both mean 404
/// for a reviewer).
pub fn reviewed_paper(c: &mut AnyConnection, number: i32) -> QueryResult<Option<ReviewedPaper>> {
    let rows: Vec<PaperRow> = submissions::table
        .inner_join(assignments::table)
        .left_join(
            response_acknowledgements::table.on(response_acknowledgements::submission_id
                .eq(assignments::submission_id)
                .and(response_acknowledgements::reviewer_email.eq(assignments::reviewer_email))),
        )
        .left_join(author_responses::table.on(author_responses::submission_id.eq(submissions::id)))
        .left_join(meta_reviews::table.on(meta_reviews::submission_id.eq(submissions::id)))
        .filter(submissions::number.eq(number))
        .order((assignments::assigned_at, assignments::reviewer_email))
        .select((
            SubmissionRow::as_select(),
            exists(
                documents::table
                    .filter(documents::submission_id.eq(submissions::id))
                    .filter(documents::kind.eq("paper")),
            ),
            assignments::reviewer_email,
            response_acknowledgements::reviewer_email.nullable(),
            Option::<ResponseRow>::as_select(),
            author_response_revisions::table
                .filter(author_response_revisions::response_id.eq(author_responses::id))
                .count()
                .single_value(),
            Option::<MetaReviewRow>::as_select(),
        ))
        .load(c)?;
    let mut rows = rows.into_iter();
    let Some((row, has_pdf, first, first_ack, response, response_versions, meta)) = rows.next()
    else {
        return Ok(None);
    };
    let mut paper = ReviewedPaper {
        row,
        has_pdf,
        assigned: vec![first.clone()],
        acknowledged: first_ack.map(|_| first).into_iter().collect(),
        response,
        response_versions: response_versions.unwrap_or(0),
        meta,
    };
    for (_, _, email, ack, _, _, _) in rows {
        if ack.is_some() {
            paper.acknowledged.push(email.clone());
        }
        paper.assigned.push(email);
    }
    Ok(Some(paper))
}

/// A review with the facts of its submitted versions.
#[derive(Debug, Clone)]
pub struct ReviewWithRevisions {
    pub review: ReviewRow,
    /// How many versions were submitted.
    pub revisions: i64,
    /// When the newest version was submitted.
    pub last_submitted: Option<NaiveDateTime>,
}

/// Every review of paper `submission_id` with its submitted versions' count and newest time
/// (one query).
pub fn reviews_with_revisions(
    c: &mut AnyConnection,
    submission_id: &str,
) -> QueryResult<Vec<ReviewWithRevisions>> {
    let rows: Vec<(ReviewRow, Option<i64>, Option<NaiveDateTime>)> = reviews::table
        .filter(reviews::submission_id.eq(submission_id))
        .order(reviews::id)
        .select((
            ReviewRow::as_select(),
            review_revisions::table
                .filter(review_revisions::review_id.eq(reviews::id))
                .count()
                .single_value(),
            review_revisions::table
                .filter(review_revisions::review_id.eq(reviews::id))
                .select(max(review_revisions::submitted_at))
                .single_value(),
        ))
        .load(c)?;
    Ok(rows
        .into_iter()
        .map(|(review, revisions, last_submitted)| ReviewWithRevisions {
            review,
            revisions: revisions.unwrap_or(0),
            last_submitted,
        })
        .collect())
}

/// Whether `email` is in the reviewer pool: an active volunteer, or the main author of an
/// active submission whom no chair dropped (an inactive profile). One query.
pub fn in_pool(c: &mut AnyConnection, email: &str) -> QueryResult<bool> {
    let (active, volunteer, main_author): (Option<bool>, Option<bool>, bool) = diesel::select((
        reviewer_profiles::table
            .find(email)
            .select(reviewer_profiles::active)
            .single_value(),
        reviewer_profiles::table
            .find(email)
            .select(reviewer_profiles::volunteer)
            .single_value(),
        exists(
            submission_authors::table
                .inner_join(submissions::table)
                .filter(submission_authors::email.eq(email))
                .filter(submission_authors::is_main.eq(true))
                .filter(submissions::status.eq("active")),
        ),
    ))
    .get_result(c)?;
    Ok(match (active, volunteer) {
        (Some(false), _) => false,
        (Some(true), Some(true)) => true,
        _ => main_author,
    })
}

/// A paper assigned to the viewer with the state of the viewer's review of it.
#[derive(Debug, Clone)]
pub struct AssignedPaper {
    pub row: SubmissionRow,
    /// "draft" or "submitted"; `None` before the review was started.
    pub review_state: Option<String>,
    pub late: bool,
}

/// The papers assigned to reviewer `email`, by number, with their review's state (one query,
/// whatever the size of the conference).
pub fn assigned_with_reviews(
    c: &mut AnyConnection,
    email: &str,
) -> QueryResult<Vec<AssignedPaper>> {
    let rows: Vec<(SubmissionRow, Option<String>, Option<bool>)> = assignments::table
        .inner_join(submissions::table)
        .left_join(
            reviews::table.on(reviews::submission_id
                .eq(assignments::submission_id)
                .and(reviews::reviewer_email.eq(assignments::reviewer_email))),
        )
        .filter(assignments::reviewer_email.eq(email))
        .order(submissions::number)
        .select((
            SubmissionRow::as_select(),
            reviews::state.nullable(),
            reviews::late.nullable(),
        ))
        .load(c)?;
    Ok(rows
        .into_iter()
        .map(|(row, review_state, late)| AssignedPaper {
            row,
            review_state,
            late: late.unwrap_or(false),
        })
        .collect())
}
