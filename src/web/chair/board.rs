//! The decisions board: every active paper with its decision, assigned reviews and score
//! statistics, loaded inside a connection so that the release can use it in its transaction.
//! The decisions page, the release and the letters read it.

use std::collections::HashMap;

use crate::db::decisions::{self as dec, DecisionRow};
use crate::db::ranking::{self, AssignedScore, RankedPaper};
use crate::db::reviews::{self, AssignedReview};
use crate::db::submission_list;
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
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let scores = score_papers(
        &ids,
        assigned.iter().filter_map(|a| {
            let r = a.review.as_ref().filter(|r| r.is_submitted())?;
            let s = parse_scores(&r.content);
            Some((
                a.submission_id.as_str(),
                a.reviewer_email.as_str(),
                s.overall,
                s.confidence,
            ))
        }),
    );
    Ok(Board {
        released_at: dec::released_at(c)?,
        rows,
        authors,
        decisions,
        assigned,
        scores,
    })
}

/// Score statistics of the papers `ids` from submitted reviews (paper id, reviewer, overall,
/// confidence) in the board's order; reviews without both scores do not count.
pub(super) fn score_papers<'a>(
    ids: &[&str],
    reviews: impl Iterator<Item = (&'a str, &'a str, Option<u8>, Option<u8>)>,
) -> Vec<PaperScores> {
    let paper_index: HashMap<&str, usize> =
        ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut reviewer_index: HashMap<&str, usize> = HashMap::new();
    let mut inputs = Vec::new();
    for (paper_id, email, overall, confidence) in reviews {
        let (Some(overall), Some(confidence), Some(&paper)) =
            (overall, confidence, paper_index.get(paper_id))
        else {
            continue;
        };
        let next = reviewer_index.len();
        let reviewer = *reviewer_index.entry(email).or_insert(next);
        inputs.push(ScoreInput {
            paper,
            reviewer,
            overall,
            confidence,
        });
    }
    summarise(&inputs, ids.len(), reviewer_index.len())
        .map(|s| s.papers)
        .unwrap_or_else(|_| vec![empty_scores(); ids.len()])
}

/// What the decisions board ranks, filters and counts: every active paper with its current
/// decision and score statistics, from stored score columns (no review texts, no authors).
pub struct Ranking {
    pub papers: Vec<RankedPaper>,
    pub scores: Vec<PaperScores>,
    pub assigned: Vec<AssignedScore>,
}

/// The ranking through the application's cache: computed again only after a write to its
/// tables (`db::data_version::RANKING`), on the blocking pool.
pub async fn current_ranking(
    state: &actix_web::web::Data<crate::web::AppState>,
) -> Result<std::sync::Arc<Ranking>, DbError> {
    let cached = state.clone();
    crate::db::run(&state.pool, move |c| {
        cached.ranking_cache.get(c, load_ranking)
    })
    .await
}

/// Loads the ranking; the same statistics as [`load_board`] computes from the reviews' JSON.
pub fn load_ranking(c: &mut AnyConnection) -> Result<Ranking, DbError> {
    let papers = ranking::active_papers(c)?;
    let assigned = ranking::assigned_scores(c)?;
    let ids: Vec<&str> = papers.iter().map(|p| p.id.as_str()).collect();
    let scores = score_papers(
        &ids,
        assigned.iter().filter(|a| a.is_submitted()).map(|a| {
            (
                a.submission_id.as_str(),
                a.reviewer_email.as_str(),
                a.overall,
                a.confidence,
            )
        }),
    );
    Ok(Ranking {
        papers,
        scores,
        assigned,
    })
}

impl Ranking {
    /// Active papers holding `kind` now.
    pub(super) fn count(&self, kind: Decision) -> usize {
        self.papers
            .iter()
            .filter(|p| p.decision.as_deref().and_then(Decision::parse) == Some(kind))
            .count()
    }

    pub(super) fn undecided(&self) -> usize {
        self.papers.iter().filter(|p| p.decision.is_none()).count()
    }
}

/// The rows of the papers a board page or an export chunk shows.
pub struct Details {
    pub titles: HashMap<String, String>,
    pub authors: HashMap<String, Vec<AuthorRow>>,
    pub decisions: HashMap<String, DecisionRow>,
    pub released_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Loads the titles, authors and decisions of the papers `ids`.
pub fn shown_details(c: &mut AnyConnection, ids: &[String]) -> Result<Details, DbError> {
    let titles = submission_list::by_ids(c, ids)?
        .into_iter()
        .map(|r| (r.id, r.title))
        .collect();
    let mut authors: HashMap<String, Vec<AuthorRow>> = HashMap::new();
    for a in submission_list::authors_of(c, ids)? {
        authors.entry(a.submission_id.clone()).or_default().push(a);
    }
    let decisions = dec::of_ids(c, ids)?
        .into_iter()
        .map(|d| (d.submission_id.clone(), d))
        .collect();
    Ok(Details {
        titles,
        authors,
        decisions,
        released_at: dec::released_at(c)?,
    })
}

impl Details {
    /// Whether the viewer may not see this paper's scores or decide it (a chair's own paper).
    pub(super) fn hidden_from(&self, id: &str, actor: &policy::Actor) -> bool {
        let emails = self.authors.get(id).into_iter().flatten();
        !policy::can_see_reviewers(actor, emails.map(|a| a.email.as_str()))
    }
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
