//! Submissions, their authors and their documents.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::{documents, submission_authors, submissions};
use super::{AnyConnection, from_db, to_db};
use crate::domain::account::Email;
use crate::domain::ids::UserId;
use crate::domain::submission::{Author, SubmissionDraft, SubmissionStatus, Track};

/// A stored submission.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = submissions)]
pub struct SubmissionRow {
    pub id: String,
    pub number: i32,
    pub track: String,
    pub title: String,
    pub abstract_text: String,
    pub keywords: String,
    pub declared_conflicts: String,
    pub status: String,
    pub version: i32,
    pub unlocked_until: Option<chrono::NaiveDateTime>,
    pub creation_key: String,
    pub created_by: String,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

impl SubmissionRow {
    pub fn track(&self) -> Track {
        Track::parse(&self.track).unwrap_or(Track::Paper)
    }

    pub fn status(&self) -> SubmissionStatus {
        SubmissionStatus::parse(&self.status)
    }

    pub fn keywords(&self) -> Vec<String> {
        serde_json::from_str(&self.keywords).unwrap_or_default()
    }

    pub fn declared_conflicts(&self) -> Vec<String> {
        serde_json::from_str(&self.declared_conflicts).unwrap_or_default()
    }

    pub fn unlocked_until(&self) -> Option<DateTime<Utc>> {
        self.unlocked_until.map(from_db)
    }

    /// The submission as a draft, with its authors.
    pub fn to_draft(&self, authors: &[AuthorRow]) -> SubmissionDraft {
        SubmissionDraft {
            track: self.track(),
            title: self.title.clone(),
            abstract_text: self.abstract_text.clone(),
            keywords: self.keywords(),
            authors: authors.iter().map(AuthorRow::to_author).collect(),
            declared_conflicts: self.declared_conflicts(),
        }
    }
}

/// One listed author.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = submission_authors)]
pub struct AuthorRow {
    pub submission_id: String,
    pub position: i32,
    pub name: String,
    pub email: String,
    pub affiliation: String,
    pub is_main: bool,
}

impl AuthorRow {
    pub fn to_author(&self) -> Author {
        Author {
            name: self.name.clone(),
            email: Email::from_db(self.email.clone()),
            affiliation: self.affiliation.clone(),
            is_main: self.is_main,
        }
    }
}

/// One uploaded file version.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = documents)]
pub struct DocumentRow {
    pub id: String,
    pub submission_id: String,
    pub kind: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub pages: Option<i32>,
    pub format_verdict: Option<String>,
    pub format_report: Option<String>,
    pub uploaded_at: chrono::NaiveDateTime,
    pub uploaded_by: String,
}

/// A document to record.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = documents)]
pub struct NewDocument {
    pub id: String,
    pub submission_id: String,
    pub kind: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub pages: Option<i32>,
    pub format_verdict: Option<String>,
    pub format_report: Option<String>,
    pub uploaded_at: chrono::NaiveDateTime,
    pub uploaded_by: String,
}

fn json(values: &[String]) -> String {
    serde_json::to_string(values).unwrap_or_else(|_| "[]".into())
}

/// The next public number. Call inside the creating transaction: on PostgreSQL it locks the
/// conference row so two simultaneous submissions cannot take the same number (SQLite's
/// writers already take turns, see `db::transaction`).
pub fn next_number(c: &mut AnyConnection) -> QueryResult<i32> {
    if let AnyConnection::Postgresql(pg) = c {
        super::schema::conference::table
            .select(super::schema::conference::id)
            .for_update()
            .load::<i32>(pg)?;
    }
    let max: Option<i32> = submissions::table
        .select(diesel::dsl::max(submissions::number))
        .first(c)?;
    Ok(max.unwrap_or(0) + 1)
}

/// Inserts a submission and its authors; returns its number.
pub fn insert(
    c: &mut AnyConnection,
    id: &str,
    draft: &SubmissionDraft,
    creation_key: &str,
    by: &UserId,
    now: DateTime<Utc>,
) -> QueryResult<i32> {
    insert_rows(c, id, draft, creation_key, by, now, None)
}

/// Inserts a submission with its authors and its first paper PDF (`paper.submission_id` is
/// `id`); returns its number. The list row is written once, with the paper's facts: one
/// statement fewer than [`insert`] then [`insert_document`].
pub fn insert_with_paper(
    c: &mut AnyConnection,
    id: &str,
    draft: &SubmissionDraft,
    creation_key: &str,
    by: &UserId,
    now: DateTime<Utc>,
    paper: &NewDocument,
) -> QueryResult<i32> {
    debug_assert!(paper.submission_id == id && paper.kind == "paper");
    let number = insert_rows(c, id, draft, creation_key, by, now, Some(paper))?;
    diesel::insert_into(documents::table)
        .values(paper)
        .execute(c)?;
    Ok(number)
}

fn insert_rows(
    c: &mut AnyConnection,
    id: &str,
    draft: &SubmissionDraft,
    creation_key: &str,
    by: &UserId,
    now: DateTime<Utc>,
    paper: Option<&NewDocument>,
) -> QueryResult<i32> {
    let number = next_number(c)?;
    diesel::insert_into(submissions::table)
        .values((
            submissions::id.eq(id),
            submissions::number.eq(number),
            submissions::track.eq(draft.track.as_str()),
            submissions::title.eq(&draft.title),
            submissions::abstract_text.eq(&draft.abstract_text),
            submissions::keywords.eq(json(&draft.keywords)),
            submissions::declared_conflicts.eq(json(&draft.declared_conflicts)),
            submissions::status.eq(SubmissionStatus::Active.as_str()),
            submissions::version.eq(1),
            submissions::creation_key.eq(creation_key),
            submissions::created_by.eq(by.as_str()),
            submissions::created_at.eq(to_db(now)),
            submissions::updated_at.eq(to_db(now)),
        ))
        .execute(c)?;
    // A new submission has no list row and no authors yet: nothing to update or delete first.
    super::submission_list::insert_row(c, id, &draft.title, paper.map(paper_facts))?;
    insert_authors(c, id, &draft.authors)?;
    Ok(number)
}

/// What the list shows of a paper PDF being stored.
fn paper_facts(doc: &NewDocument) -> super::submission_list::PaperFacts<'_> {
    super::submission_list::PaperFacts {
        pages: doc.pages,
        verdict: doc.format_verdict.as_deref(),
        report: doc.format_report.as_deref(),
    }
}

pub fn replace_authors(c: &mut AnyConnection, id: &str, authors: &[Author]) -> QueryResult<()> {
    diesel::delete(submission_authors::table.filter(submission_authors::submission_id.eq(id)))
        .execute(c)?;
    insert_authors(c, id, authors)
}

fn insert_authors(c: &mut AnyConnection, id: &str, authors: &[Author]) -> QueryResult<()> {
    // One multi-row insert: one round trip on PostgreSQL whatever the number of authors.
    let rows: Vec<_> = authors
        .iter()
        .enumerate()
        .map(|(i, a)| {
            (
                submission_authors::submission_id.eq(id),
                submission_authors::position.eq(i32::try_from(i).unwrap_or(i32::MAX)),
                submission_authors::name.eq(&a.name),
                submission_authors::email.eq(a.email.as_str()),
                submission_authors::affiliation.eq(&a.affiliation),
                submission_authors::is_main.eq(a.is_main),
            )
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    // Multi-row inserts compile for each backend's own connection only.
    let insert = diesel::insert_into(submission_authors::table).values(rows);
    match c {
        AnyConnection::Postgresql(pg) => insert.execute(pg)?,
        AnyConnection::Sqlite(lite) => insert.execute(lite)?,
    };
    Ok(())
}

/// Saves an edit if nobody saved since `expected_version`; false when stale.
pub fn update(
    c: &mut AnyConnection,
    id: &str,
    draft: &SubmissionDraft,
    expected_version: i32,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let changed = diesel::update(
        submissions::table
            .find(id)
            .filter(submissions::version.eq(expected_version)),
    )
    .set((
        submissions::track.eq(draft.track.as_str()),
        submissions::title.eq(&draft.title),
        submissions::abstract_text.eq(&draft.abstract_text),
        submissions::keywords.eq(json(&draft.keywords)),
        submissions::declared_conflicts.eq(json(&draft.declared_conflicts)),
        submissions::version.eq(expected_version + 1),
        submissions::updated_at.eq(to_db(now)),
    ))
    .execute(c)?;
    if changed == 1 {
        super::submission_list::store_title(c, id, &draft.title)?;
        replace_authors(c, id, &draft.authors)?;
    }
    Ok(changed == 1)
}

/// Bumps the version after a change that is not a form edit (a new PDF, say).
pub fn touch(c: &mut AnyConnection, id: &str, now: DateTime<Utc>) -> QueryResult<()> {
    diesel::update(submissions::table.find(id))
        .set((
            submissions::version.eq(submissions::version + 1),
            submissions::updated_at.eq(to_db(now)),
        ))
        .execute(c)
        .map(|_| ())
}

pub fn set_status(
    c: &mut AnyConnection,
    id: &str,
    status: SubmissionStatus,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(submissions::table.find(id))
        .set((
            submissions::status.eq(status.as_str()),
            submissions::version.eq(submissions::version + 1),
            submissions::updated_at.eq(to_db(now)),
        ))
        .execute(c)
        .map(|_| ())
}

pub fn set_unlocked_until(
    c: &mut AnyConnection,
    id: &str,
    until: Option<DateTime<Utc>>,
) -> QueryResult<()> {
    diesel::update(submissions::table.find(id))
        .set(submissions::unlocked_until.eq(until.map(to_db)))
        .execute(c)
        .map(|_| ())
}

pub fn find_by_number(c: &mut AnyConnection, number: i32) -> QueryResult<Option<SubmissionRow>> {
    submissions::table
        .filter(submissions::number.eq(number))
        .select(SubmissionRow::as_select())
        .first(c)
        .optional()
}

pub fn find_by_creation_key(
    c: &mut AnyConnection,
    key: &str,
) -> QueryResult<Option<SubmissionRow>> {
    submissions::table
        .filter(submissions::creation_key.eq(key))
        .select(SubmissionRow::as_select())
        .first(c)
        .optional()
}

pub fn authors(c: &mut AnyConnection, id: &str) -> QueryResult<Vec<AuthorRow>> {
    submission_authors::table
        .filter(submission_authors::submission_id.eq(id))
        .order(submission_authors::position)
        .select(AuthorRow::as_select())
        .load(c)
}

/// Authors of every submission, in paper and author order.
pub fn all_authors(c: &mut AnyConnection) -> QueryResult<Vec<AuthorRow>> {
    submission_authors::table
        .order((
            submission_authors::submission_id,
            submission_authors::position,
        ))
        .select(AuthorRow::as_select())
        .load(c)
}

/// Submissions listing `email` as an author, newest first.
pub fn for_author_email(c: &mut AnyConnection, email: &Email) -> QueryResult<Vec<SubmissionRow>> {
    let ids = submission_authors::table
        .filter(submission_authors::email.eq(email.as_str()))
        .select(submission_authors::submission_id);
    submissions::table
        .filter(submissions::id.eq_any(ids))
        .order(submissions::number.desc())
        .select(SubmissionRow::as_select())
        .load(c)
}

pub fn all(c: &mut AnyConnection) -> QueryResult<Vec<SubmissionRow>> {
    submissions::table
        .order(submissions::number)
        .select(SubmissionRow::as_select())
        .load(c)
}

/// Stores a document; a paper PDF also updates what the chairs' list shows of it.
pub fn insert_document(c: &mut AnyConnection, doc: &NewDocument) -> QueryResult<()> {
    diesel::insert_into(documents::table)
        .values(doc)
        .execute(c)?;
    if doc.kind == "paper" {
        // Uploaded now, it is the submission's newest paper: its list columns come from it.
        super::submission_list::store_paper_columns(c, &doc.submission_id, Some(paper_facts(doc)))?;
    }
    Ok(())
}

/// Every version of every kind, newest first.
pub fn documents(c: &mut AnyConnection, submission_id: &str) -> QueryResult<Vec<DocumentRow>> {
    documents::table
        .filter(documents::submission_id.eq(submission_id))
        .order(documents::uploaded_at.desc())
        .select(DocumentRow::as_select())
        .load(c)
}

/// The newest document of a kind for each submission.
pub fn latest_documents(c: &mut AnyConnection, kind: &str) -> QueryResult<Vec<DocumentRow>> {
    let all: Vec<DocumentRow> = documents::table
        .filter(documents::kind.eq(kind))
        .order((documents::submission_id, documents::uploaded_at.desc()))
        .select(DocumentRow::as_select())
        .load(c)?;
    Ok(newest_per_submission(all))
}

/// The latest document of `kind` of each of the submissions `ids` (an author's list).
pub fn latest_documents_of(
    c: &mut AnyConnection,
    kind: &str,
    ids: &[String],
) -> QueryResult<Vec<DocumentRow>> {
    let all: Vec<DocumentRow> = documents::table
        .filter(documents::kind.eq(kind))
        .filter(documents::submission_id.eq_any(ids))
        .order((documents::submission_id, documents::uploaded_at.desc()))
        .select(DocumentRow::as_select())
        .load(c)?;
    Ok(newest_per_submission(all))
}

/// The first document of each submission from rows ordered by submission, newest first.
fn newest_per_submission(all: Vec<DocumentRow>) -> Vec<DocumentRow> {
    let mut latest: Vec<DocumentRow> = Vec::new();
    for d in all {
        if latest
            .last()
            .is_none_or(|l| l.submission_id != d.submission_id)
        {
            latest.push(d);
        }
    }
    latest
}

pub fn find_document(c: &mut AnyConnection, id: &str) -> QueryResult<Option<DocumentRow>> {
    documents::table
        .find(id)
        .select(DocumentRow::as_select())
        .first(c)
        .optional()
}

/// Which of `hashes` some document row names (for the storage sweeper).
pub fn referenced_files(c: &mut AnyConnection, hashes: &[String]) -> QueryResult<Vec<String>> {
    documents::table
        .filter(documents::sha256.eq_any(hashes))
        .select(documents::sha256)
        .distinct()
        .load(c)
}
