//! The counts behind the chairs' dashboard (`domain::standing`): submissions, reviews,
//! decisions, letters, camera-ready versions, the program and failed emails, read in one
//! connection. Kept apart from the list pages' loaders so each can change on its own.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;

use super::assignment_list::{self, AssignmentFilter, ReviewState};
use super::schema::mail_outbox;
use super::{AnyConnection, assignments, decisions, outbox, submissions};
use crate::domain::standing::Standing;

/// Reads the counts; `needed` is (reviews per paper, reviews per published paper).
pub fn load(c: &mut AnyConnection, needed: (u32, u32)) -> QueryResult<Standing> {
    let papers = submissions::all(c)?;
    let active: Vec<_> = papers.iter().filter(|p| p.status == "active").collect();
    // Counts in the database: the reviews' texts are never loaded here.
    let per_paper: HashMap<String, i64> = assignment_list::reviewers_per_active_paper(c)?
        .into_iter()
        .collect();
    let short_of_reviewers = active
        .iter()
        .filter(|p| {
            let need = if p.track == "published" {
                needed.1
            } else {
                needed.0
            };
            per_paper.get(&p.id).copied().unwrap_or(0) < i64::from(need)
        })
        .count();
    let count = |c: &mut AnyConnection, state: Option<ReviewState>| -> QueryResult<usize> {
        let filter = AssignmentFilter {
            state,
            active_only: true,
            ..AssignmentFilter::default()
        };
        Ok(usize::try_from(assignment_list::count(c, &filter)?).unwrap_or(0))
    };
    let assigned = count(c, None)?;
    let reviews_submitted = count(c, Some(ReviewState::Submitted))?;
    let reviews_draft = count(c, Some(ReviewState::Draft))?;
    let decided: HashMap<String, decisions::DecisionRow> = decisions::all(c)?
        .into_iter()
        .map(|d| (d.submission_id.clone(), d))
        .collect();
    let mut undecided = 0;
    let mut unreleased = 0;
    let mut accepted: HashSet<&str> = HashSet::new();
    for p in &active {
        match decided.get(&p.id) {
            None => undecided += 1,
            Some(d) => {
                if d.decision().is_none() {
                    undecided += 1;
                } else if d.unreleased_change() {
                    unreleased += 1;
                }
                if d.released().is_some_and(|x| x.is_accept()) {
                    accepted.insert(p.id.as_str());
                }
            }
        }
    }
    let camera_ready: HashSet<String> = decisions::camera_ready_all(c)?
        .into_iter()
        .map(|r| r.submission_id)
        .collect();
    let letters_sent: i64 = mail_outbox::table
        .filter(mail_outbox::dedupe_key.like("decision:%"))
        .count()
        .get_result(c)?;
    let letters_delivered: i64 = mail_outbox::table
        .filter(mail_outbox::dedupe_key.like("decision:%"))
        .filter(mail_outbox::state.eq(outbox::state::SENT))
        .count()
        .get_result(c)?;
    let failed = outbox::counts_by_state(c)?
        .into_iter()
        .find(|(s, _)| s == outbox::state::FAILED)
        .map_or(0, |(_, n)| n);
    Ok(Standing {
        submitted: active.len(),
        withdrawn: papers.len() - active.len(),
        short_of_reviewers,
        assignments: assigned,
        preview_open: assignments::current_preview(c)?.is_some(),
        reviews_submitted,
        reviews_draft,
        reviews_missing: assigned.saturating_sub(reviews_submitted),
        undecided,
        unreleased,
        released: decisions::released_at(c)?.is_some(),
        letters_sent: usize::try_from(letters_sent).unwrap_or(0),
        letters_delivered: usize::try_from(letters_delivered).unwrap_or(0),
        camera_ready_missing: accepted
            .iter()
            .filter(|id| !camera_ready.contains(**id))
            .count(),
        accepted: accepted.len(),
        program_saved: decisions::program(c)?.is_some(),
        failed_emails: usize::try_from(failed).unwrap_or(0),
    })
}
