//! Lean reads for the authors' own pages ("My submissions"): a bounded number of queries
//! whatever the number of papers, selecting only the columns those pages show (no format
//! report JSON, no abstracts). The chairs' lists live in `submissions` and `decisions`.

use diesel::prelude::*;

use super::AnyConnection;
use super::schema::{decisions, documents};
use crate::domain::decision::Decision;

/// What "My submissions" shows of a paper's newest PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatestPaperFacts {
    pub submission_id: String,
    pub pages: Option<i32>,
    pub format_verdict: Option<String>,
}

/// The newest document of `kind` of each of the submissions `ids`: its page count and
/// verdict (one query).
pub fn latest_document_facts(
    c: &mut AnyConnection,
    kind: &str,
    ids: &[String],
) -> QueryResult<Vec<LatestPaperFacts>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(String, Option<i32>, Option<String>)> = documents::table
        .filter(documents::kind.eq(kind))
        .filter(documents::submission_id.eq_any(ids))
        .order((documents::submission_id, documents::uploaded_at.desc()))
        .select((
            documents::submission_id,
            documents::pages,
            documents::format_verdict,
        ))
        .load(c)?;
    let mut latest: Vec<LatestPaperFacts> = Vec::new();
    for (submission_id, pages, format_verdict) in rows {
        if latest
            .last()
            .is_none_or(|l| l.submission_id != submission_id)
        {
            latest.push(LatestPaperFacts {
                submission_id,
                pages,
                format_verdict,
            });
        }
    }
    Ok(latest)
}

/// The released decisions (what the authors were told) of the submissions `ids`, by
/// submission id (one query).
pub fn released_decisions_of(
    c: &mut AnyConnection,
    ids: &[String],
) -> QueryResult<Vec<(String, Decision)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(String, Option<String>)> = decisions::table
        .filter(decisions::submission_id.eq_any(ids))
        .filter(decisions::released_decision.is_not_null())
        .select((decisions::submission_id, decisions::released_decision))
        .load(c)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, told)| Some((id, told.as_deref().and_then(Decision::parse)?)))
        .collect())
}
