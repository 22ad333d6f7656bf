//! The decisions board: every active paper with its decision, assigned reviews and score
//! statistics, loaded inside a connection so that the release can use it in its transaction.
//! The decisions page, the release and the letters read it.

use std::collections::HashMap;

use crate::db::decisions::{self as dec, DecisionRow};
use crate::db::reviews::{self, AssignedReview};
use crate::db::submissions::{self as subs, AuthorRow, SubmissionRow};
use crate::db::{AnyConnection, DbError};
use crate::domain::decision::Decision;
use crate::domain::scores::{PaperScores, ScoreInput, summarise};
use crate::policy;
use crate::web::views::reviews::parse_scores;

/// Every active paper with what deciding it needs.
pub struct Board {
    pub rows: Vec<SubmissionRow>,
    pub authors: HashMap<String, Vec<AuthorRow>>,
    pub decisions: HashMap<String, DecisionRow>,
    pub assigned: Vec<AssignedReview>,
    pub scores: Vec<PaperScores>,
    pub released_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Loads the board (inside a connection, so release can use it in its transaction).
pub fn load_board(c: &mut AnyConnection) -> Result<Board, DbError> {
    let rows: Vec<SubmissionRow> = subs::all(c)?
        .into_iter()
        .filter(|r| r.status == "active")
        .collect();
    let mut authors: HashMap<String, Vec<AuthorRow>> = HashMap::new();
    for a in subs::all_authors(c)? {
        authors.entry(a.submission_id.clone()).or_default().push(a);
    }
    let decisions = dec::all(c)?
        .into_iter()
        .map(|d| (d.submission_id.clone(), d))
        .collect();
    let assigned = reviews::assigned(c)?;
    let paper_index: HashMap<&str, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let mut reviewer_index: HashMap<&str, usize> = HashMap::new();
    let mut inputs = Vec::new();
    for a in &assigned {
        let Some(r) = a.review.as_ref().filter(|r| r.is_submitted()) else {
            continue;
        };
        let content = parse_scores(&r.content);
        let (Some(overall), Some(confidence), Some(&paper)) = (
            content.overall,
            content.confidence,
            paper_index.get(a.submission_id.as_str()),
        ) else {
            continue;
        };
        let next = reviewer_index.len();
        let reviewer = *reviewer_index
            .entry(a.reviewer_email.as_str())
            .or_insert(next);
        inputs.push(ScoreInput {
            paper,
            reviewer,
            overall,
            confidence,
        });
    }
    let scores = summarise(&inputs, rows.len(), reviewer_index.len())
        .map(|s| s.papers)
        .unwrap_or_else(|_| vec![empty_scores(); rows.len()]);
    Ok(Board {
        released_at: dec::released_at(c)?,
        rows,
        authors,
        decisions,
        assigned,
        scores,
    })
}

fn empty_scores() -> PaperScores {
    PaperScores {
        reviews: 0,
        mean: None,
        min: None,
        max: None,
        std_dev: None,
        confidence_weighted_mean: None,
        calibrated: None,
    }
}

impl Board {
    pub(super) fn decision(&self, row: &SubmissionRow) -> Option<&DecisionRow> {
        self.decisions.get(&row.id)
    }

    /// Whether the viewer may not see this paper's scores or decide it (a chair's own paper).
    pub(super) fn hidden_from(&self, row: &SubmissionRow, actor: &policy::Actor) -> bool {
        let emails = self.authors.get(&row.id).into_iter().flatten();
        !policy::can_see_reviewers(actor, emails.map(|a| a.email.as_str()))
    }

    /// Numbers of the other papers holding `kind` now.
    pub(super) fn holders(&self, kind: Decision, except: &str) -> Vec<i32> {
        self.rows
            .iter()
            .filter(|r| r.id != except)
            .filter(|r| self.decision(r).and_then(DecisionRow::decision) == Some(kind))
            .map(|r| r.number)
            .collect()
    }

    pub(super) fn undecided(&self) -> Vec<&SubmissionRow> {
        self.rows
            .iter()
            .filter(|r| self.decision(r).is_none())
            .collect()
    }
}
