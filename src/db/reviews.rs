//! Reviews and their submitted revisions.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::{review_revisions, reviews};
use super::{AnyConnection, from_db, to_db};

/// A stored review.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = reviews)]
pub struct ReviewRow {
    pub id: String,
    pub submission_id: String,
    pub reviewer_email: String,
    pub form_kind: String,
    pub state: String,
    pub content: String,
    pub version: i32,
    pub submitted_at: Option<chrono::NaiveDateTime>,
    pub late: bool,
    pub reopened_until: Option<chrono::NaiveDateTime>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

impl ReviewRow {
    pub fn is_submitted(&self) -> bool {
        self.state == "submitted"
    }

    pub fn reopened_until(&self) -> Option<DateTime<Utc>> {
        self.reopened_until.map(from_db)
    }
}

pub fn find(
    c: &mut AnyConnection,
    submission_id: &str,
    email: &str,
) -> QueryResult<Option<ReviewRow>> {
    reviews::table
        .filter(reviews::submission_id.eq(submission_id))
        .filter(reviews::reviewer_email.eq(email))
        .select(ReviewRow::as_select())
        .first(c)
        .optional()
}

pub fn for_submission(c: &mut AnyConnection, submission_id: &str) -> QueryResult<Vec<ReviewRow>> {
    reviews::table
        .filter(reviews::submission_id.eq(submission_id))
        .select(ReviewRow::as_select())
        .load(c)
}

/// Every review of the submissions `ids`.
pub fn of_submissions(c: &mut AnyConnection, ids: &[String]) -> QueryResult<Vec<ReviewRow>> {
    reviews::table
        .filter(reviews::submission_id.eq_any(ids))
        .select(ReviewRow::as_select())
        .load(c)
}

pub fn all(c: &mut AnyConnection) -> QueryResult<Vec<ReviewRow>> {
    reviews::table.select(ReviewRow::as_select()).load(c)
}

/// The scores of a review's JSON content, stored beside it in columns so that the pages
/// ranking thousands of papers never parse review texts. Read as
/// `web::views::reviews::parse_scores` reads them: unreadable content has no scores.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct StoredScores {
    pub overall: Option<u8>,
    pub confidence: Option<u8>,
    pub talk_recommendation: bool,
}

impl StoredScores {
    pub fn of(content: &str) -> StoredScores {
        serde_json::from_str(content).unwrap_or_default()
    }
}

/// Writes the score columns of review `id` from its content.
fn store_scores(c: &mut AnyConnection, id: &str, content: &str) -> QueryResult<()> {
    let s = StoredScores::of(content);
    diesel::update(reviews::table.filter(reviews::id.eq(id)))
        .set((
            reviews::overall.eq(s.overall.map(i32::from)),
            reviews::confidence.eq(s.confidence.map(i32::from)),
            reviews::talk_recommendation.eq(s.talk_recommendation),
            reviews::scores_stored.eq(true),
        ))
        .execute(c)
        .map(|_| ())
}

/// Fills the score columns of reviews saved before they existed; returns how many.
/// Idempotent, and one query finding nothing once done.
pub fn backfill_scores(c: &mut AnyConnection) -> QueryResult<usize> {
    let mut done = 0;
    loop {
        let chunk: Vec<(String, String)> = reviews::table
            .filter(reviews::scores_stored.eq(false))
            .order(reviews::id)
            .limit(500)
            .select((reviews::id, reviews::content))
            .load(c)?;
        if chunk.is_empty() {
            return Ok(done);
        }
        c.transaction(|c| {
            for (id, content) in &chunk {
                store_scores(c, id, content)?;
            }
            Ok::<_, diesel::result::Error>(())
        })?;
        done += chunk.len();
    }
}

/// What a save writes.
pub struct ReviewWrite<'a> {
    pub submission_id: &'a str,
    pub email: &'a str,
    pub form_kind: &'a str,
    pub content: &'a str,
    pub submit: bool,
    pub late: bool,
}

/// Saves a review if its stored version is still `expected` (0: no review yet). Returns the
/// new version, or `None` when another save came first (the caller shows the newer text).
pub fn save(
    c: &mut AnyConnection,
    w: &ReviewWrite<'_>,
    expected: i32,
    now: DateTime<Utc>,
) -> QueryResult<Option<i32>> {
    let existing = find(c, w.submission_id, w.email)?;
    let (id, version) = match &existing {
        None if expected == 0 => {
            let id = uuid::Uuid::new_v4().to_string();
            // In a savepoint: when another tab's first save wins the race for the unique
            // (paper, reviewer) key, this one is refused as stale and the transaction goes on.
            let inserted = c.transaction(|c| {
                diesel::insert_into(reviews::table)
                    .values((
                        reviews::id.eq(&id),
                        reviews::submission_id.eq(w.submission_id),
                        reviews::reviewer_email.eq(w.email),
                        reviews::form_kind.eq(w.form_kind),
                        reviews::state.eq(if w.submit { "submitted" } else { "draft" }),
                        reviews::content.eq(w.content),
                        reviews::version.eq(1),
                        reviews::submitted_at.eq(w.submit.then(|| to_db(now))),
                        reviews::late.eq(w.submit && w.late),
                        reviews::created_at.eq(to_db(now)),
                        reviews::updated_at.eq(to_db(now)),
                    ))
                    .execute(c)
            });
            match inserted {
                Ok(_) => (id, 1),
                Err(diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                )) => return Ok(None),
                Err(e) => return Err(e),
            }
        }
        Some(r) if r.version == expected => {
            let first_submit = w.submit && !r.is_submitted();
            let updated = diesel::update(
                reviews::table
                    .filter(reviews::id.eq(&r.id))
                    .filter(reviews::version.eq(expected)),
            )
            .set((
                reviews::state.eq(if w.submit || r.is_submitted() {
                    "submitted"
                } else {
                    "draft"
                }),
                reviews::content.eq(w.content),
                reviews::version.eq(expected + 1),
                reviews::updated_at.eq(to_db(now)),
            ))
            .execute(c)?;
            if updated == 0 {
                return Ok(None);
            }
            if first_submit {
                diesel::update(reviews::table.filter(reviews::id.eq(&r.id)))
                    .set((
                        reviews::submitted_at.eq(Some(to_db(now))),
                        reviews::late.eq(w.late),
                    ))
                    .execute(c)?;
            }
            (r.id.clone(), expected + 1)
        }
        _ => return Ok(None),
    };
    store_scores(c, &id, w.content)?;
    if w.submit {
        diesel::insert_into(review_revisions::table)
            .values((
                review_revisions::id.eq(uuid::Uuid::new_v4().to_string()),
                review_revisions::review_id.eq(&id),
                review_revisions::version.eq(version),
                review_revisions::content.eq(w.content),
                review_revisions::submitted_at.eq(to_db(now)),
            ))
            .execute(c)?;
    }
    Ok(Some(version))
}

/// Lets the reviewer edit a submitted review after the due date until `until` (None: lock).
pub fn set_reopened(
    c: &mut AnyConnection,
    id: &str,
    until: Option<DateTime<Utc>>,
) -> QueryResult<usize> {
    diesel::update(reviews::table.filter(reviews::id.eq(id)))
        .set(reviews::reopened_until.eq(until.map(to_db)))
        .execute(c)
}

/// Where one assignment stands.
#[derive(Debug, Clone)]
pub struct AssignedReview {
    pub submission_id: String,
    pub number: i32,
    pub title: String,
    pub track: String,
    pub reviewer_email: String,
    pub assigned_at: chrono::NaiveDateTime,
    /// The review, if one was started.
    pub review: Option<ReviewRow>,
}

impl AssignedReview {
    pub fn is_submitted(&self) -> bool {
        self.review.as_ref().is_some_and(ReviewRow::is_submitted)
    }

    /// "not started", "draft" or "submitted".
    pub fn state(&self) -> &'static str {
        match &self.review {
            None => "not started",
            Some(r) if r.is_submitted() => "submitted",
            Some(_) => "draft",
        }
    }
}

/// Every committed assignment on an active submission with its review, by paper number and
/// assignment order. Reviews of pairs that are no longer assigned do not count anywhere.
pub fn assigned(c: &mut AnyConnection) -> QueryResult<Vec<AssignedReview>> {
    use super::schema::{assignments, submissions};
    // Pairs and reviews both sorted by (paper id, reviewer) here (bytewise: a database's
    // collation may order text differently), so each pair finds its review in one merge
    // pass, with no map keyed by cloned strings.
    let mut pairs: Vec<(String, String, chrono::NaiveDateTime, i32, String, String)> =
        assignments::table
            .inner_join(submissions::table)
            .filter(submissions::status.eq("active"))
            .select((
                assignments::submission_id,
                assignments::reviewer_email,
                assignments::assigned_at,
                submissions::number,
                submissions::title,
                submissions::track,
            ))
            .load(c)?;
    pairs.sort_unstable_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let mut stored: Vec<ReviewRow> = reviews::table.select(ReviewRow::as_select()).load(c)?;
    stored.sort_unstable_by(|a, b| {
        (&a.submission_id, &a.reviewer_email).cmp(&(&b.submission_id, &b.reviewer_email))
    });
    let mut stored = stored.into_iter().peekable();
    let mut out: Vec<AssignedReview> = Vec::with_capacity(pairs.len());
    for (submission_id, reviewer_email, assigned_at, number, title, track) in pairs {
        let key = (submission_id.as_str(), reviewer_email.as_str());
        while stored
            .peek()
            .is_some_and(|r| (r.submission_id.as_str(), r.reviewer_email.as_str()) < key)
        {
            stored.next();
        }
        let review =
            stored.next_if(|r| (r.submission_id.as_str(), r.reviewer_email.as_str()) == key);
        out.push(AssignedReview {
            submission_id,
            number,
            title,
            track,
            reviewer_email,
            assigned_at,
            review,
        });
    }
    out.sort_by(|a, b| {
        (a.number, a.assigned_at, &a.reviewer_email).cmp(&(
            b.number,
            b.assigned_at,
            &b.reviewer_email,
        ))
    });
    Ok(out)
}
