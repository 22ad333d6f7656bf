//! A paper's discussion: comments with their edit history, the authors' response with its
//! submitted versions, reviewers' acknowledgements of the response, the chairs'
//! meta-review, and the digest-email bookkeeping. Rows only: who may see what is `policy`'s.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::{
    author_response_revisions, author_responses, discussion_comment_edits, discussion_comments,
    discussion_digests, meta_reviews, response_acknowledgements,
};
use super::{AnyConnection, from_db, to_db};

/// A stored comment.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = discussion_comments)]
pub struct CommentRow {
    pub id: String,
    pub submission_id: String,
    pub writer_email: String,
    pub writer_role: String,
    pub audience: String,
    pub body: String,
    pub version: i32,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

impl CommentRow {
    pub fn posted_at(&self) -> DateTime<Utc> {
        from_db(self.created_at)
    }

    pub fn was_edited(&self) -> bool {
        self.version > 1
    }
}

/// A new comment.
pub struct NewComment<'a> {
    pub submission_id: &'a str,
    pub writer_email: &'a str,
    pub writer_role: &'a str,
    pub audience: &'a str,
    pub body: &'a str,
}

/// Posts a comment and records it in the audit log under `label` (the writer's label, never a
/// reviewer's name: a chair who wrote the paper reads its history), for reviewers, chairs and
/// area chairs alike.
pub fn post_comment_recorded(
    c: &mut AnyConnection,
    new: &NewComment<'_>,
    number: i32,
    by: &crate::domain::ids::UserId,
    label: &str,
    now: DateTime<Utc>,
) -> QueryResult<String> {
    let id = insert_comment(c, new, now)?;
    super::audit::record(
        c,
        Some(by),
        "discussion.comment",
        &format!("#{number}"),
        label,
        now,
    )?;
    Ok(id)
}

/// Stores a new comment; returns its id. Comments never collide: each is its own row.
pub fn insert_comment(
    c: &mut AnyConnection,
    new: &NewComment<'_>,
    now: DateTime<Utc>,
) -> QueryResult<String> {
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(discussion_comments::table)
        .values((
            discussion_comments::id.eq(&id),
            discussion_comments::submission_id.eq(new.submission_id),
            discussion_comments::writer_email.eq(new.writer_email),
            discussion_comments::writer_role.eq(new.writer_role),
            discussion_comments::audience.eq(new.audience),
            discussion_comments::body.eq(new.body),
            discussion_comments::version.eq(1),
            discussion_comments::created_at.eq(to_db(now)),
            discussion_comments::updated_at.eq(to_db(now)),
        ))
        .execute(c)?;
    Ok(id)
}

/// A paper's comments, oldest first.
pub fn comments_of(c: &mut AnyConnection, submission_id: &str) -> QueryResult<Vec<CommentRow>> {
    discussion_comments::table
        .filter(discussion_comments::submission_id.eq(submission_id))
        .order((discussion_comments::created_at, discussion_comments::id))
        .select(CommentRow::as_select())
        .load(c)
}

/// Every comment, by paper and time (exports, the board, digests).
pub fn all_comments(c: &mut AnyConnection) -> QueryResult<Vec<CommentRow>> {
    discussion_comments::table
        .order((
            discussion_comments::submission_id,
            discussion_comments::created_at,
            discussion_comments::id,
        ))
        .select(CommentRow::as_select())
        .load(c)
}

/// Comments posted after `since`, oldest first (digests).
pub fn comments_since(c: &mut AnyConnection, since: DateTime<Utc>) -> QueryResult<Vec<CommentRow>> {
    discussion_comments::table
        .filter(discussion_comments::created_at.gt(to_db(since)))
        .order((discussion_comments::created_at, discussion_comments::id))
        .select(CommentRow::as_select())
        .load(c)
}

pub fn find_comment(c: &mut AnyConnection, id: &str) -> QueryResult<Option<CommentRow>> {
    discussion_comments::table
        .filter(discussion_comments::id.eq(id))
        .select(CommentRow::as_select())
        .first(c)
        .optional()
}

/// Replaces a comment's text if its version is still `expected`, keeping the old text in
/// its history. Returns the new version, or `None` when another edit came first.
pub fn edit_comment(
    c: &mut AnyConnection,
    id: &str,
    body: &str,
    expected: i32,
    now: DateTime<Utc>,
) -> QueryResult<Option<i32>> {
    let Some(old) = find_comment(c, id)? else {
        return Ok(None);
    };
    if old.version != expected {
        return Ok(None);
    }
    let updated = diesel::update(
        discussion_comments::table
            .filter(discussion_comments::id.eq(id))
            .filter(discussion_comments::version.eq(expected)),
    )
    .set((
        discussion_comments::body.eq(body),
        discussion_comments::version.eq(expected + 1),
        discussion_comments::updated_at.eq(to_db(now)),
    ))
    .execute(c)?;
    if updated == 0 {
        return Ok(None);
    }
    diesel::insert_into(discussion_comment_edits::table)
        .values((
            discussion_comment_edits::id.eq(uuid::Uuid::new_v4().to_string()),
            discussion_comment_edits::comment_id.eq(id),
            discussion_comment_edits::version.eq(old.version),
            discussion_comment_edits::body.eq(&old.body),
            discussion_comment_edits::replaced_at.eq(to_db(now)),
        ))
        .execute(c)?;
    Ok(Some(expected + 1))
}

/// The earlier texts of a comment, oldest first: (version, text, replaced at).
pub fn comment_history(
    c: &mut AnyConnection,
    comment_id: &str,
) -> QueryResult<Vec<(i32, String, chrono::NaiveDateTime)>> {
    discussion_comment_edits::table
        .filter(discussion_comment_edits::comment_id.eq(comment_id))
        .order(discussion_comment_edits::version)
        .select((
            discussion_comment_edits::version,
            discussion_comment_edits::body,
            discussion_comment_edits::replaced_at,
        ))
        .load(c)
}

/// The authors' response to a paper's reviews.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = author_responses)]
pub struct ResponseRow {
    pub id: String,
    pub submission_id: String,
    pub state: String,
    pub body: String,
    pub version: i32,
    pub submitted_at: Option<chrono::NaiveDateTime>,
    pub updated_by: String,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

impl ResponseRow {
    pub fn is_submitted(&self) -> bool {
        self.state == "submitted"
    }

    pub fn submitted_at(&self) -> Option<DateTime<Utc>> {
        self.submitted_at.map(from_db)
    }
}

pub fn response_of(c: &mut AnyConnection, submission_id: &str) -> QueryResult<Option<ResponseRow>> {
    author_responses::table
        .filter(author_responses::submission_id.eq(submission_id))
        .select(ResponseRow::as_select())
        .first(c)
        .optional()
}

pub fn all_responses(c: &mut AnyConnection) -> QueryResult<Vec<ResponseRow>> {
    author_responses::table
        .select(ResponseRow::as_select())
        .load(c)
}

/// What saving a response did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseSaved {
    /// Stored; the new version, and whether this was the first submission.
    Done { version: i32, first_submit: bool },
    /// Another save came first.
    Stale,
}

/// Saves the response if its stored version is still `expected` (0: none yet), the same
/// rules as reviews: a submitted response stays submitted, each submitted version is kept.
pub fn save_response(
    c: &mut AnyConnection,
    submission_id: &str,
    body: &str,
    submit: bool,
    expected: i32,
    by: &str,
    now: DateTime<Utc>,
) -> QueryResult<ResponseSaved> {
    let existing = response_of(c, submission_id)?;
    let (id, version, first_submit) = match &existing {
        None if expected == 0 => {
            let id = uuid::Uuid::new_v4().to_string();
            let inserted = c.transaction(|c| {
                diesel::insert_into(author_responses::table)
                    .values((
                        author_responses::id.eq(&id),
                        author_responses::submission_id.eq(submission_id),
                        author_responses::state.eq(if submit { "submitted" } else { "draft" }),
                        author_responses::body.eq(body),
                        author_responses::version.eq(1),
                        author_responses::submitted_at.eq(submit.then(|| to_db(now))),
                        author_responses::updated_by.eq(by),
                        author_responses::created_at.eq(to_db(now)),
                        author_responses::updated_at.eq(to_db(now)),
                    ))
                    .execute(c)
            });
            match inserted {
                Ok(_) => (id, 1, submit),
                Err(diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                )) => return Ok(ResponseSaved::Stale),
                Err(e) => return Err(e),
            }
        }
        Some(r) if r.version == expected => {
            let first_submit = submit && !r.is_submitted();
            let updated = diesel::update(
                author_responses::table
                    .filter(author_responses::id.eq(&r.id))
                    .filter(author_responses::version.eq(expected)),
            )
            .set((
                author_responses::state.eq(if submit || r.is_submitted() {
                    "submitted"
                } else {
                    "draft"
                }),
                author_responses::body.eq(body),
                author_responses::version.eq(expected + 1),
                author_responses::updated_by.eq(by),
                author_responses::updated_at.eq(to_db(now)),
            ))
            .execute(c)?;
            if updated == 0 {
                return Ok(ResponseSaved::Stale);
            }
            if first_submit {
                diesel::update(author_responses::table.filter(author_responses::id.eq(&r.id)))
                    .set(author_responses::submitted_at.eq(Some(to_db(now))))
                    .execute(c)?;
            }
            (r.id.clone(), expected + 1, first_submit)
        }
        _ => return Ok(ResponseSaved::Stale),
    };
    let submitted_now = submit || existing.as_ref().is_some_and(ResponseRow::is_submitted);
    if submitted_now {
        diesel::insert_into(author_response_revisions::table)
            .values((
                author_response_revisions::id.eq(uuid::Uuid::new_v4().to_string()),
                author_response_revisions::response_id.eq(&id),
                author_response_revisions::version.eq(version),
                author_response_revisions::body.eq(body),
                author_response_revisions::submitted_at.eq(to_db(now)),
            ))
            .execute(c)?;
    }
    Ok(ResponseSaved::Done {
        version,
        first_submit,
    })
}

/// How many submitted versions a response has.
pub fn response_revision_count(c: &mut AnyConnection, response_id: &str) -> QueryResult<i64> {
    author_response_revisions::table
        .filter(author_response_revisions::response_id.eq(response_id))
        .count()
        .get_result(c)
}

/// Records "I have read the response" (once; later ticks change nothing).
pub fn acknowledge(
    c: &mut AnyConnection,
    submission_id: &str,
    reviewer_email: &str,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let done = response_acknowledgements::table
        .filter(response_acknowledgements::submission_id.eq(submission_id))
        .filter(response_acknowledgements::reviewer_email.eq(reviewer_email))
        .count()
        .get_result::<i64>(c)?
        > 0;
    if done {
        return Ok(false);
    }
    let inserted = c.transaction(|c| {
        diesel::insert_into(response_acknowledgements::table)
            .values((
                response_acknowledgements::submission_id.eq(submission_id),
                response_acknowledgements::reviewer_email.eq(reviewer_email),
                response_acknowledgements::acknowledged_at.eq(to_db(now)),
            ))
            .execute(c)
    });
    match inserted {
        Ok(_) => Ok(true),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(false),
        Err(e) => Err(e),
    }
}

/// (paper id, reviewer email, when) of every acknowledgement.
pub fn all_acknowledgements(
    c: &mut AnyConnection,
) -> QueryResult<Vec<(String, String, chrono::NaiveDateTime)>> {
    response_acknowledgements::table
        .select((
            response_acknowledgements::submission_id,
            response_acknowledgements::reviewer_email,
            response_acknowledgements::acknowledged_at,
        ))
        .load(c)
}

/// Reviewer emails who acknowledged the response of one paper.
pub fn acknowledged_by(c: &mut AnyConnection, submission_id: &str) -> QueryResult<Vec<String>> {
    response_acknowledgements::table
        .filter(response_acknowledgements::submission_id.eq(submission_id))
        .select(response_acknowledgements::reviewer_email)
        .load(c)
}

/// A chair's meta-review of a paper.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = meta_reviews)]
pub struct MetaReviewRow {
    pub submission_id: String,
    pub summary: String,
    pub recommendation: String,
    pub version: i32,
    pub written_by: String,
    pub updated_at: chrono::NaiveDateTime,
}

pub fn meta_review_of(
    c: &mut AnyConnection,
    submission_id: &str,
) -> QueryResult<Option<MetaReviewRow>> {
    meta_reviews::table
        .filter(meta_reviews::submission_id.eq(submission_id))
        .select(MetaReviewRow::as_select())
        .first(c)
        .optional()
}

pub fn all_meta_reviews(c: &mut AnyConnection) -> QueryResult<Vec<MetaReviewRow>> {
    meta_reviews::table
        .select(MetaReviewRow::as_select())
        .load(c)
}

/// Saves a paper's meta-review under optimistic locking and records it in the audit log, for
/// chairs and area chairs alike: the new version, or `None` when someone saved since
/// `expected` (nothing written then).
pub fn save_meta_review_recorded(
    c: &mut AnyConnection,
    submission_id: &str,
    number: i32,
    meta: &crate::domain::discussion::MetaReview,
    expected: i32,
    by: &crate::domain::ids::UserId,
    now: DateTime<Utc>,
) -> QueryResult<Option<i32>> {
    let v = save_meta_review(
        c,
        submission_id,
        &meta.summary,
        meta.recommendation.as_str(),
        expected,
        by.as_str(),
        now,
    )?;
    if v.is_some() {
        super::audit::record(
            c,
            Some(by),
            "meta_review.save",
            &format!("#{number}"),
            meta.recommendation.label(),
            now,
        )?;
    }
    Ok(v)
}

/// Saves a meta-review if its version is still `expected` (0: none yet); the new version,
/// or `None` when another chair saved first.
pub fn save_meta_review(
    c: &mut AnyConnection,
    submission_id: &str,
    summary: &str,
    recommendation: &str,
    expected: i32,
    by: &str,
    now: DateTime<Utc>,
) -> QueryResult<Option<i32>> {
    if expected == 0 {
        let inserted = c.transaction(|c| {
            diesel::insert_into(meta_reviews::table)
                .values((
                    meta_reviews::submission_id.eq(submission_id),
                    meta_reviews::summary.eq(summary),
                    meta_reviews::recommendation.eq(recommendation),
                    meta_reviews::version.eq(1),
                    meta_reviews::written_by.eq(by),
                    meta_reviews::updated_at.eq(to_db(now)),
                ))
                .execute(c)
        });
        return match inserted {
            Ok(_) => Ok(Some(1)),
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => Ok(None),
            Err(e) => Err(e),
        };
    }
    let updated = diesel::update(
        meta_reviews::table
            .filter(meta_reviews::submission_id.eq(submission_id))
            .filter(meta_reviews::version.eq(expected)),
    )
    .set((
        meta_reviews::summary.eq(summary),
        meta_reviews::recommendation.eq(recommendation),
        meta_reviews::version.eq(expected + 1),
        meta_reviews::written_by.eq(by),
        meta_reviews::updated_at.eq(to_db(now)),
    ))
    .execute(c)?;
    Ok((updated == 1).then_some(expected + 1))
}

/// One person's digest bookkeeping.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = discussion_digests)]
pub struct DigestRow {
    pub email: String,
    pub last_sent_at: Option<chrono::NaiveDateTime>,
    pub seen_until: chrono::NaiveDateTime,
    pub unsubscribed: bool,
    pub unsubscribe_token: String,
}

pub fn all_digests(c: &mut AnyConnection) -> QueryResult<Vec<DigestRow>> {
    discussion_digests::table
        .select(DigestRow::as_select())
        .load(c)
}

pub fn digest_by_token(c: &mut AnyConnection, token: &str) -> QueryResult<Option<DigestRow>> {
    discussion_digests::table
        .filter(discussion_digests::unsubscribe_token.eq(token))
        .select(DigestRow::as_select())
        .first(c)
        .optional()
}

/// A person's digest row, created (told up to `seen_until`) if it is missing.
pub fn digest_for(
    c: &mut AnyConnection,
    email: &str,
    seen_until: DateTime<Utc>,
) -> QueryResult<DigestRow> {
    let found = discussion_digests::table
        .filter(discussion_digests::email.eq(email))
        .select(DigestRow::as_select())
        .first(c)
        .optional()?;
    if let Some(row) = found {
        return Ok(row);
    }
    // 244 random bits: an unsubscribe link nobody can guess.
    let token = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    let row = DigestRow {
        email: email.to_string(),
        last_sent_at: None,
        seen_until: to_db(seen_until),
        unsubscribed: false,
        unsubscribe_token: token,
    };
    diesel::insert_into(discussion_digests::table)
        .values((
            discussion_digests::email.eq(&row.email),
            discussion_digests::last_sent_at.eq(row.last_sent_at),
            discussion_digests::seen_until.eq(row.seen_until),
            discussion_digests::unsubscribed.eq(false),
            discussion_digests::unsubscribe_token.eq(&row.unsubscribe_token),
        ))
        .execute(c)?;
    Ok(row)
}

/// Records a digest sent at `now` covering comments up to `seen_until`.
pub fn mark_digest_sent(
    c: &mut AnyConnection,
    email: &str,
    now: DateTime<Utc>,
    seen_until: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::update(discussion_digests::table.filter(discussion_digests::email.eq(email)))
        .set((
            discussion_digests::last_sent_at.eq(Some(to_db(now))),
            discussion_digests::seen_until.eq(to_db(seen_until)),
        ))
        .execute(c)
}

/// Stops (or restarts) digest emails for the holder of `token`; false for an unknown token.
pub fn set_unsubscribed(
    c: &mut AnyConnection,
    token: &str,
    unsubscribed: bool,
) -> QueryResult<bool> {
    Ok(diesel::update(
        discussion_digests::table.filter(discussion_digests::unsubscribe_token.eq(token)),
    )
    .set(discussion_digests::unsubscribed.eq(unsubscribed))
    .execute(c)?
        == 1)
}

/// Emails of the reviewers of a paper who submitted a revision of their review after `since`
/// (the response's submission): "revised after the response".
pub fn reviewers_revised_since(
    c: &mut AnyConnection,
    submission_id: &str,
    since: DateTime<Utc>,
) -> QueryResult<Vec<String>> {
    use super::schema::{review_revisions, reviews};
    let mut emails: Vec<String> = review_revisions::table
        .inner_join(reviews::table)
        .filter(reviews::submission_id.eq(submission_id))
        .filter(review_revisions::submitted_at.gt(to_db(since)))
        .select(reviews::reviewer_email)
        .load(c)?;
    emails.sort();
    emails.dedup();
    Ok(emails)
}

/// Whether a conflict was entered between paper `submission_id` and `email` (a chair's own
/// conflict hides the paper's discussion from them).
pub fn conflict_entered(
    c: &mut AnyConnection,
    submission_id: &str,
    email: &str,
) -> QueryResult<bool> {
    use super::schema::entered_conflicts;
    Ok(entered_conflicts::table
        .filter(entered_conflicts::submission_id.eq(submission_id))
        .filter(entered_conflicts::reviewer_email.eq(email))
        .count()
        .get_result::<i64>(c)?
        > 0)
}

/// Names of the people with these emails (accounts first, then reviewer profiles).
pub fn names_of(
    c: &mut AnyConnection,
    emails: &[String],
) -> QueryResult<std::collections::HashMap<String, String>> {
    use super::schema::{reviewer_profiles, users};
    let mut names: std::collections::HashMap<String, String> = reviewer_profiles::table
        .filter(reviewer_profiles::email.eq_any(emails))
        .select((reviewer_profiles::email, reviewer_profiles::name))
        .load::<(String, String)>(c)?
        .into_iter()
        .collect();
    names.extend(
        users::table
            .filter(users::email.eq_any(emails))
            .select((users::email, users::name))
            .load::<(String, String)>(c)?,
    );
    Ok(names)
}

/// One paper's discussion at a glance, for the decisions board.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiscussionSummary {
    pub comments: usize,
    pub response_submitted: bool,
    pub acknowledgements: usize,
    /// The meta-review's recommendation ("poster", …).
    pub recommendation: Option<String>,
}

/// Every paper's discussion summary, by paper id.
pub fn summaries(
    c: &mut AnyConnection,
) -> QueryResult<std::collections::HashMap<String, DiscussionSummary>> {
    let mut out: std::collections::HashMap<String, DiscussionSummary> =
        std::collections::HashMap::new();
    let counts: Vec<String> = discussion_comments::table
        .select(discussion_comments::submission_id)
        .load(c)?;
    for id in counts {
        out.entry(id).or_default().comments += 1;
    }
    for r in all_responses(c)?
        .into_iter()
        .filter(ResponseRow::is_submitted)
    {
        out.entry(r.submission_id).or_default().response_submitted = true;
    }
    for (id, _, _) in all_acknowledgements(c)? {
        out.entry(id).or_default().acknowledgements += 1;
    }
    for m in all_meta_reviews(c)? {
        out.entry(m.submission_id).or_default().recommendation = Some(m.recommendation);
    }
    Ok(out)
}

/// Papers with a conflict entered for `email` (a chair's conflicts).
pub fn conflicted_papers(c: &mut AnyConnection, email: &str) -> QueryResult<Vec<String>> {
    use super::schema::entered_conflicts;
    entered_conflicts::table
        .filter(entered_conflicts::reviewer_email.eq(email))
        .select(entered_conflicts::submission_id)
        .load(c)
}

/// (paper id, area chair email) of every area-chair assignment.
pub fn all_area_chairs(c: &mut AnyConnection) -> QueryResult<Vec<(String, String)>> {
    use super::schema::area_chairs;
    area_chairs::table
        .order((area_chairs::email, area_chairs::submission_id))
        .select((area_chairs::submission_id, area_chairs::email))
        .load(c)
}

/// Whether `email` is an area chair of paper `submission_id`.
pub fn is_area_chair(c: &mut AnyConnection, submission_id: &str, email: &str) -> QueryResult<bool> {
    use super::schema::area_chairs;
    Ok(area_chairs::table
        .filter(area_chairs::submission_id.eq(submission_id))
        .filter(area_chairs::email.eq(email))
        .count()
        .get_result::<i64>(c)?
        > 0)
}

/// The papers (ids) `email` is area chair of.
pub fn area_chair_papers(c: &mut AnyConnection, email: &str) -> QueryResult<Vec<String>> {
    use super::schema::area_chairs;
    area_chairs::table
        .filter(area_chairs::email.eq(email))
        .select(area_chairs::submission_id)
        .load(c)
}

/// The area chairs of one paper.
pub fn area_chairs_of(c: &mut AnyConnection, submission_id: &str) -> QueryResult<Vec<String>> {
    use super::schema::area_chairs;
    area_chairs::table
        .filter(area_chairs::submission_id.eq(submission_id))
        .select(area_chairs::email)
        .load(c)
}

/// Replaces every area-chair assignment with `pairs` (paper id, email).
pub fn replace_area_chairs(
    c: &mut AnyConnection,
    pairs: &[(String, String)],
    by: &str,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    use super::schema::area_chairs;
    diesel::delete(area_chairs::table).execute(c)?;
    for (paper, email) in pairs {
        diesel::insert_into(area_chairs::table)
            .values((
                area_chairs::submission_id.eq(paper),
                area_chairs::email.eq(email),
                area_chairs::assigned_at.eq(to_db(now)),
                area_chairs::assigned_by.eq(by),
            ))
            .execute(c)?;
    }
    Ok(())
}
