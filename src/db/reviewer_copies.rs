//! The cache of reviewers' copies: for each stored PDF version (by its SHA-256), the key of
//! its sanitised copy in the file store and what was removed, or why no copy could be made.
//! A copy is made once per version; rows are never updated.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::reviewer_copies;
use super::{AnyConnection, to_db};

/// A cached copy (or the reason there is none).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = reviewer_copies)]
pub struct ReviewerCopyRow {
    pub source_sha256: String,
    pub copy_sha256: Option<String>,
    /// `sanitize::Removed` as JSON.
    pub removed: String,
    pub error: Option<String>,
    pub created_at: chrono::NaiveDateTime,
}

pub fn find(conn: &mut AnyConnection, source_sha256: &str) -> QueryResult<Option<ReviewerCopyRow>> {
    reviewer_copies::table
        .find(source_sha256)
        .select(ReviewerCopyRow::as_select())
        .first(conn)
        .optional()
}

/// The copies of several versions at once (an author's report lists every version).
pub fn find_many(
    conn: &mut AnyConnection,
    source_sha256s: &[String],
) -> QueryResult<Vec<ReviewerCopyRow>> {
    reviewer_copies::table
        .filter(reviewer_copies::source_sha256.eq_any(source_sha256s))
        .select(ReviewerCopyRow::as_select())
        .load(conn)
}

/// Records a made copy (or its failure). When another request recorded the same version
/// first, that record stands and is returned.
pub fn record(
    conn: &mut AnyConnection,
    source_sha256: &str,
    copy_sha256: Option<&str>,
    removed_json: &str,
    error: Option<&str>,
    now: DateTime<Utc>,
) -> QueryResult<ReviewerCopyRow> {
    let _ = conn.transaction(|c| {
        diesel::insert_into(reviewer_copies::table)
            .values((
                reviewer_copies::source_sha256.eq(source_sha256),
                reviewer_copies::copy_sha256.eq(copy_sha256),
                reviewer_copies::removed.eq(removed_json),
                reviewer_copies::error.eq(error),
                reviewer_copies::created_at.eq(to_db(now)),
            ))
            .execute(c)
    });
    reviewer_copies::table
        .find(source_sha256)
        .select(ReviewerCopyRow::as_select())
        .first(conn)
}
