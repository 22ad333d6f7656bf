//! Decisions, their release, letter templates, camera-ready details and the program.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::{
    camera_ready, decision_release, decisions, letter_templates, program, submissions,
};
use super::{AnyConnection, from_db, to_db};
use crate::domain::decision::Decision;
use crate::domain::ids::UserId;

/// A stored decision.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = decisions)]
pub struct DecisionRow {
    pub submission_id: String,
    pub decision: String,
    pub decided_by: String,
    pub decided_at: chrono::NaiveDateTime,
    pub released_decision: Option<String>,
    pub released_at: Option<chrono::NaiveDateTime>,
    pub letter_round: i32,
}

impl DecisionRow {
    pub fn decision(&self) -> Option<Decision> {
        Decision::parse(&self.decision)
    }

    /// What the authors were told, if anything.
    pub fn released(&self) -> Option<Decision> {
        self.released_decision.as_deref().and_then(Decision::parse)
    }

    /// Changed since the last letter (or never sent).
    pub fn unreleased_change(&self) -> bool {
        self.released_decision.as_deref() != Some(self.decision.as_str())
    }
}

pub fn all(c: &mut AnyConnection) -> QueryResult<Vec<DecisionRow>> {
    decisions::table.select(DecisionRow::as_select()).load(c)
}

/// The decisions of the submissions `ids` (undecided ones have none).
pub fn of_ids(c: &mut AnyConnection, ids: &[String]) -> QueryResult<Vec<DecisionRow>> {
    decisions::table
        .filter(decisions::submission_id.eq_any(ids))
        .select(DecisionRow::as_select())
        .load(c)
}

pub fn find(c: &mut AnyConnection, submission_id: &str) -> QueryResult<Option<DecisionRow>> {
    decisions::table
        .find(submission_id)
        .select(DecisionRow::as_select())
        .first(c)
        .optional()
}

/// Serialises decision changes on PostgreSQL (slot limits are checked under this lock);
/// SQLite's write transactions take turns anyway.
pub fn lock(c: &mut AnyConnection) -> QueryResult<()> {
    if let AnyConnection::Postgresql(pg) = c {
        super::schema::conference::table
            .select(super::schema::conference::id)
            .for_update()
            .load::<i32>(pg)?;
    }
    Ok(())
}

/// Sets (or with `None` clears) a paper's decision.
pub fn set(
    c: &mut AnyConnection,
    submission_id: &str,
    decision: Option<Decision>,
    by: &UserId,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let Some(d) = decision else {
        diesel::delete(decisions::table.find(submission_id)).execute(c)?;
        return Ok(());
    };
    let updated = diesel::update(decisions::table.find(submission_id))
        .set((
            decisions::decision.eq(d.as_str()),
            decisions::decided_by.eq(by.as_str()),
            decisions::decided_at.eq(to_db(now)),
        ))
        .execute(c)?;
    if updated == 0 {
        diesel::insert_into(decisions::table)
            .values((
                decisions::submission_id.eq(submission_id),
                decisions::decision.eq(d.as_str()),
                decisions::decided_by.eq(by.as_str()),
                decisions::decided_at.eq(to_db(now)),
                decisions::letter_round.eq(0),
            ))
            .execute(c)?;
    }
    Ok(())
}

/// Marks a paper's current decision as released, if it has changed since the last letter;
/// returns the new letter round, or `None` when there was nothing to release (already done,
/// e.g. by another chair a moment ago). The conditional update makes release idempotent.
pub fn mark_released(
    c: &mut AnyConnection,
    submission_id: &str,
    now: DateTime<Utc>,
) -> QueryResult<Option<i32>> {
    let Some(row) = find(c, submission_id)? else {
        return Ok(None);
    };
    if !row.unreleased_change() {
        return Ok(None);
    }
    let updated = diesel::update(
        decisions::table
            .filter(decisions::submission_id.eq(submission_id))
            .filter(decisions::letter_round.eq(row.letter_round))
            .filter(decisions::decision.eq(&row.decision)),
    )
    .set((
        decisions::released_decision.eq(Some(&row.decision)),
        decisions::released_at.eq(Some(to_db(now))),
        decisions::letter_round.eq(row.letter_round + 1),
    ))
    .execute(c)?;
    Ok((updated == 1).then_some(row.letter_round + 1))
}

/// When decisions were first released.
pub fn released_at(c: &mut AnyConnection) -> QueryResult<Option<DateTime<Utc>>> {
    decision_release::table
        .select(decision_release::released_at)
        .first::<chrono::NaiveDateTime>(c)
        .optional()
        .map(|t| t.map(from_db))
}

pub fn record_release(c: &mut AnyConnection, by: &UserId, now: DateTime<Utc>) -> QueryResult<()> {
    if released_at(c)?.is_none() {
        diesel::insert_into(decision_release::table)
            .values((
                decision_release::id.eq(1),
                decision_release::released_at.eq(to_db(now)),
                decision_release::released_by.eq(by.as_str()),
            ))
            .execute(c)?;
    }
    Ok(())
}

/// A chair-edited letter template.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = letter_templates)]
pub struct TemplateRow {
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub updated_by: String,
    pub updated_at: chrono::NaiveDateTime,
}

pub fn template(c: &mut AnyConnection, kind: &str) -> QueryResult<Option<TemplateRow>> {
    letter_templates::table
        .find(kind)
        .select(TemplateRow::as_select())
        .first(c)
        .optional()
}

pub fn save_template(
    c: &mut AnyConnection,
    kind: &str,
    subject: &str,
    body: &str,
    by: &UserId,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let updated = diesel::update(letter_templates::table.find(kind))
        .set((
            letter_templates::subject.eq(subject),
            letter_templates::body.eq(body),
            letter_templates::updated_by.eq(by.as_str()),
            letter_templates::updated_at.eq(to_db(now)),
        ))
        .execute(c)?;
    if updated == 0 {
        diesel::insert_into(letter_templates::table)
            .values((
                letter_templates::kind.eq(kind),
                letter_templates::subject.eq(subject),
                letter_templates::body.eq(body),
                letter_templates::updated_by.eq(by.as_str()),
                letter_templates::updated_at.eq(to_db(now)),
            ))
            .execute(c)?;
    }
    Ok(())
}

/// An accepted paper's presenting author and ticket holder.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = camera_ready)]
pub struct CameraReadyRow {
    pub submission_id: String,
    pub presenter_position: i32,
    pub ticket_position: Option<i32>,
    pub updated_by: String,
    pub updated_at: chrono::NaiveDateTime,
}

pub fn camera_ready_all(c: &mut AnyConnection) -> QueryResult<Vec<CameraReadyRow>> {
    camera_ready::table
        .select(CameraReadyRow::as_select())
        .load(c)
}

pub fn camera_ready_of(
    c: &mut AnyConnection,
    submission_id: &str,
) -> QueryResult<Option<CameraReadyRow>> {
    camera_ready::table
        .find(submission_id)
        .select(CameraReadyRow::as_select())
        .first(c)
        .optional()
}

pub fn save_camera_ready(
    c: &mut AnyConnection,
    submission_id: &str,
    presenter: i32,
    ticket: Option<i32>,
    by: &UserId,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let updated = diesel::update(camera_ready::table.find(submission_id))
        .set((
            camera_ready::presenter_position.eq(presenter),
            camera_ready::ticket_position.eq(ticket),
            camera_ready::updated_by.eq(by.as_str()),
            camera_ready::updated_at.eq(to_db(now)),
        ))
        .execute(c)?;
    if updated == 0 {
        diesel::insert_into(camera_ready::table)
            .values((
                camera_ready::submission_id.eq(submission_id),
                camera_ready::presenter_position.eq(presenter),
                camera_ready::ticket_position.eq(ticket),
                camera_ready::updated_by.eq(by.as_str()),
                camera_ready::updated_at.eq(to_db(now)),
            ))
            .execute(c)?;
    }
    Ok(())
}

/// The stored program JSON and its version.
pub fn program(c: &mut AnyConnection) -> QueryResult<Option<(String, i32)>> {
    program::table
        .select((program::data, program::version))
        .first(c)
        .optional()
}

/// Saves the program if its version is still `expected` (0: none yet); false otherwise.
pub fn save_program(
    c: &mut AnyConnection,
    data: &str,
    expected: i32,
    by: &UserId,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    if expected == 0 {
        if program(c)?.is_some() {
            return Ok(false);
        }
        diesel::insert_into(program::table)
            .values((
                program::id.eq(1),
                program::data.eq(data),
                program::version.eq(1),
                program::updated_by.eq(by.as_str()),
                program::updated_at.eq(to_db(now)),
            ))
            .execute(c)?;
        return Ok(true);
    }
    diesel::update(
        program::table
            .filter(program::id.eq(1))
            .filter(program::version.eq(expected)),
    )
    .set((
        program::data.eq(data),
        program::version.eq(expected + 1),
        program::updated_by.eq(by.as_str()),
        program::updated_at.eq(to_db(now)),
    ))
    .execute(c)
    .map(|n| n == 1)
}

/// A paper whose released decision is an acceptance, with what the public pages, the program
/// editor and the camera-ready reminders need (no email addresses: public pages use it).
#[derive(Debug, Clone)]
pub struct AcceptedPaper {
    pub submission_id: String,
    pub number: i32,
    pub title: String,
    /// (name, affiliation), in the paper's order.
    pub authors: Vec<(String, String)>,
    pub decision: Decision,
    /// The presenting author named with the camera-ready version, else the main author.
    pub presenter: String,
    /// The newest camera-ready version.
    pub camera_ready: Option<super::submissions::DocumentRow>,
}

impl AcceptedPaper {
    pub fn author_names(&self) -> String {
        let names: Vec<&str> = self.authors.iter().map(|(n, _)| n.as_str()).collect();
        names.join(", ")
    }

    /// The paper as the program lists it.
    pub fn program_paper(&self) -> crate::domain::program::ProgramPaper {
        crate::domain::program::ProgramPaper {
            number: self.number,
            title: self.title.clone(),
            authors: self.author_names(),
            presenter: self.presenter.clone(),
        }
    }
}

/// Every paper accepted by its released decision (what the authors were told), by number;
/// withdrawn papers are left out.
pub fn accepted_released(c: &mut AnyConnection) -> QueryResult<Vec<AcceptedPaper>> {
    use super::submissions as subs;
    use std::collections::HashMap;
    let released: HashMap<String, Decision> = all(c)?
        .into_iter()
        .filter_map(|d| {
            let decision = d.released().filter(|r| r.is_accept())?;
            Some((d.submission_id, decision))
        })
        .collect();
    if released.is_empty() {
        return Ok(Vec::new());
    }
    // Only the accepted papers' rows, a chunk of ids per query, grouped in maps (a scan of
    // every author per paper made this quadratic at 10,000 papers).
    let ids: Vec<String> = released.keys().cloned().collect();
    let mut rows = Vec::new();
    let mut authors: HashMap<String, Vec<subs::AuthorRow>> = HashMap::new();
    let mut documents: HashMap<String, subs::DocumentRow> = HashMap::new();
    for chunk in ids.chunks(500) {
        rows.extend(
            submissions::table
                .filter(submissions::id.eq_any(chunk))
                .select(subs::SubmissionRow::as_select())
                .load(c)?,
        );
        for a in super::submission_list::authors_of(c, chunk)? {
            authors.entry(a.submission_id.clone()).or_default().push(a);
        }
        documents.extend(
            subs::latest_documents_of(c, "camera_ready", chunk)?
                .into_iter()
                .map(|d| (d.submission_id.clone(), d)),
        );
    }
    let presenters: HashMap<String, i32> = camera_ready_all(c)?
        .into_iter()
        .map(|r| (r.submission_id, r.presenter_position))
        .collect();
    let mut papers: Vec<AcceptedPaper> = rows
        .into_iter()
        .filter(|row| row.status() != crate::domain::submission::SubmissionStatus::Withdrawn)
        .filter_map(|row| {
            let decision = *released.get(&row.id)?;
            let mine: Vec<&subs::AuthorRow> = authors
                .get(&row.id)
                .map(|a| a.iter().collect())
                .unwrap_or_default();
            let chosen = presenters.get(&row.id);
            let presenter = mine
                .iter()
                .find(|a| Some(&a.position) == chosen)
                .or_else(|| mine.iter().find(|a| a.is_main))
                .or_else(|| mine.first())
                .map(|a| a.name.clone())
                .unwrap_or_default();
            Some(AcceptedPaper {
                camera_ready: documents.remove(&row.id),
                number: row.number,
                title: row.title,
                authors: mine
                    .iter()
                    .map(|a| (a.name.clone(), a.affiliation.clone()))
                    .collect(),
                decision,
                presenter,
                submission_id: row.id,
            })
        })
        .collect();
    papers.sort_by_key(|p| p.number);
    Ok(papers)
}

/// The stored program, decoded, and its version.
pub fn stored_program(
    c: &mut AnyConnection,
) -> QueryResult<Option<(crate::domain::program::Program, i32)>> {
    let Some((json, version)) = program(c)? else {
        return Ok(None);
    };
    let decoded = serde_json::from_str(&json)
        .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?;
    Ok(Some((decoded, version)))
}
