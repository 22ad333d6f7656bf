//! The few columns the decisions board and the review progress page compute over every
//! paper: active papers with their current decision, and every assignment on an active
//! paper with its review's state and stored scores (never the review texts). The pages then
//! load the full rows of the 100 papers or reviewers they show.

use diesel::prelude::*;

use super::AnyConnection;
use super::schema::{assignments, decisions, reviews, submissions};

/// An active paper as the board filters and counts it.
#[derive(Debug, Clone)]
pub struct RankedPaper {
    pub id: String,
    pub number: i32,
    pub track: String,
    /// The current (maybe unreleased) decision, as stored.
    pub decision: Option<String>,
}

/// Every active paper by number with its current decision.
pub fn active_papers(c: &mut AnyConnection) -> QueryResult<Vec<RankedPaper>> {
    let rows: Vec<(String, i32, String, Option<String>)> = submissions::table
        .left_join(decisions::table)
        .filter(submissions::status.eq("active"))
        .order(submissions::number)
        .select((
            submissions::id,
            submissions::number,
            submissions::track,
            decisions::decision.nullable(),
        ))
        .load(c)?;
    Ok(rows
        .into_iter()
        .map(|(id, number, track, decision)| RankedPaper {
            id,
            number,
            track,
            decision,
        })
        .collect())
}

/// One committed assignment on an active paper with its review's scores.
#[derive(Debug, Clone)]
pub struct AssignedScore {
    pub submission_id: String,
    pub number: i32,
    pub reviewer_email: String,
    pub assigned_at: chrono::NaiveDateTime,
    /// None: not started; Some(false): draft; Some(true): submitted.
    pub submitted: Option<bool>,
    pub overall: Option<u8>,
    pub confidence: Option<u8>,
    pub talk_recommendation: bool,
}

impl AssignedScore {
    pub fn is_submitted(&self) -> bool {
        self.submitted == Some(true)
    }
}

type ScoreRow = (
    String,
    i32,
    String,
    chrono::NaiveDateTime,
    Option<String>,
    Option<i32>,
    Option<i32>,
    Option<bool>,
);

/// Every committed assignment on an active paper with its review's state and scores, in the
/// order `db::reviews::assigned` gives (paper number, assignment time, reviewer; compared
/// bytewise here, whatever the database's collation).
pub fn assigned_scores(c: &mut AnyConnection) -> QueryResult<Vec<AssignedScore>> {
    let rows: Vec<ScoreRow> = assignments::table
        .inner_join(submissions::table)
        .left_join(
            reviews::table.on(reviews::submission_id
                .eq(assignments::submission_id)
                .and(reviews::reviewer_email.eq(assignments::reviewer_email))),
        )
        .filter(submissions::status.eq("active"))
        .select((
            assignments::submission_id,
            submissions::number,
            assignments::reviewer_email,
            assignments::assigned_at,
            reviews::state.nullable(),
            reviews::overall.nullable(),
            reviews::confidence.nullable(),
            reviews::talk_recommendation.nullable(),
        ))
        .load(c)?;
    let score = |v: Option<i32>| v.and_then(|v| u8::try_from(v).ok());
    let mut out: Vec<AssignedScore> = rows
        .into_iter()
        .map(
            |(submission_id, number, reviewer_email, assigned_at, state, o, conf, talk)| {
                AssignedScore {
                    submission_id,
                    number,
                    reviewer_email,
                    assigned_at,
                    submitted: state.map(|s| s == "submitted"),
                    overall: score(o),
                    confidence: score(conf),
                    talk_recommendation: talk.unwrap_or(false),
                }
            },
        )
        .collect();
    out.sort_by(|a, b| {
        (a.number, a.assigned_at, &a.reviewer_email).cmp(&(
            b.number,
            b.assigned_at,
            &b.reviewer_email,
        ))
    });
    Ok(out)
}

/// People's names as the chairs' review pages show them: the account's name, else the
/// reviewer pool's, else the name under which they are listed as an author (the last such
/// listing by paper id and position).
pub fn names_of(
    c: &mut AnyConnection,
    emails: &[String],
) -> QueryResult<std::collections::HashMap<String, String>> {
    use super::schema::{reviewer_profiles, submission_authors, users};
    let mut names = std::collections::HashMap::new();
    for chunk in emails.chunks(500) {
        // Sorted here: with an ORDER BY, SQLite walks the whole table in key order.
        let mut authors: Vec<(String, i32, String, String)> = submission_authors::table
            .filter(submission_authors::email.eq_any(chunk))
            .select((
                submission_authors::submission_id,
                submission_authors::position,
                submission_authors::email,
                submission_authors::name,
            ))
            .load(c)?;
        authors.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        let authors = authors.into_iter().map(|(_, _, email, name)| (email, name));
        names.extend(authors);
        names.extend(
            reviewer_profiles::table
                .filter(reviewer_profiles::email.eq_any(chunk))
                .select((reviewer_profiles::email, reviewer_profiles::name))
                .load::<(String, String)>(c)?,
        );
        names.extend(
            users::table
                .filter(users::email.eq_any(chunk))
                .select((users::email, users::name))
                .load::<(String, String)>(c)?,
        );
    }
    Ok(names)
}

/// "#n" of the active papers each of `emails` is main author of, in paper id order.
pub fn main_author_of(
    c: &mut AnyConnection,
    emails: &[String],
) -> QueryResult<std::collections::HashMap<String, Vec<String>>> {
    use super::schema::submission_authors;
    let mut rows: Vec<(String, String, i32)> = submission_authors::table
        .inner_join(submissions::table)
        .filter(submission_authors::email.eq_any(emails))
        .filter(submission_authors::is_main.eq(true))
        .filter(submissions::status.eq("active"))
        .select((
            submission_authors::email,
            submission_authors::submission_id,
            submissions::number,
        ))
        .load(c)?;
    rows.sort_by(|a, b| a.1.cmp(&b.1));
    let mut out: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
    for (email, _, number) in rows {
        out.entry(email).or_default().push(format!("#{number}"));
    }
    Ok(out)
}

/// Ids of the submissions listing `email` as an author.
pub fn papers_of_author(c: &mut AnyConnection, email: &str) -> QueryResult<Vec<String>> {
    use super::schema::submission_authors;
    submission_authors::table
        .filter(submission_authors::email.eq(email))
        .select(submission_authors::submission_id)
        .distinct()
        .load(c)
}

/// (paper id, assigned at, reviewer) of every committed assignment of the papers `ids`.
pub fn assignments_of(
    c: &mut AnyConnection,
    ids: &[String],
) -> QueryResult<Vec<(String, chrono::NaiveDateTime, String)>> {
    assignments::table
        .filter(assignments::submission_id.eq_any(ids))
        .select((
            assignments::submission_id,
            assignments::assigned_at,
            assignments::reviewer_email,
        ))
        .load(c)
}

/// An author of an active paper with the paper's released decision.
#[derive(Debug, Clone)]
pub struct ActiveAuthor {
    pub email: String,
    pub name: String,
    pub released_decision: Option<String>,
}

/// The authors of every active paper, by paper number and author position.
pub fn authors_of_active(c: &mut AnyConnection) -> QueryResult<Vec<ActiveAuthor>> {
    use super::schema::submission_authors;
    let released: std::collections::HashMap<String, String> = decisions::table
        .filter(decisions::released_decision.is_not_null())
        .select((decisions::submission_id, decisions::released_decision))
        .load::<(String, Option<String>)>(c)?
        .into_iter()
        .filter_map(|(id, d)| Some((id, d?)))
        .collect();
    let rows: Vec<(String, String, String)> = submission_authors::table
        .inner_join(submissions::table)
        .filter(submissions::status.eq("active"))
        .order((submissions::number, submission_authors::position))
        .select((
            submission_authors::submission_id,
            submission_authors::email,
            submission_authors::name,
        ))
        .load(c)?;
    Ok(rows
        .into_iter()
        .map(|(id, email, name)| ActiveAuthor {
            email,
            name,
            released_decision: released.get(&id).cloned(),
        })
        .collect())
}
