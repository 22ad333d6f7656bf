//! The counts behind the chairs' dashboard (`domain::standing`): submissions, reviews,
//! decisions, letters, camera-ready versions, the program and failed emails, read in one
//! connection. Kept apart from the list pages' loaders so each can change on its own.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;

use super::schema::mail_outbox;
use super::{AnyConnection, assignments, decisions, outbox, reviews, submissions};
use crate::domain::standing::Standing;

/// Reads the counts; `needed` is (reviews per paper, reviews per published paper).
pub fn load(c: &mut AnyConnection, needed: (u32, u32)) -> QueryResult<Standing> {
    let papers = submissions::all(c)?;
    let active: Vec<_> = papers.iter().filter(|p| p.status == "active").collect();
    let assigned = reviews::assigned(c)?;
    let mut per_paper: HashMap<&str, usize> = HashMap::new();
    for a in &assigned {
        *per_paper.entry(a.submission_id.as_str()).or_default() += 1;
    }
    let short_of_reviewers = active
        .iter()
        .filter(|p| {
            let need = if p.track == "published" {
                needed.1
            } else {
                needed.0
            } as usize;
            per_paper.get(p.id.as_str()).copied().unwrap_or(0) < need
        })
        .count();
    let reviews_submitted = assigned.iter().filter(|a| a.is_submitted()).count();
    let reviews_draft = assigned
        .iter()
        .filter(|a| a.review.is_some() && !a.is_submitted())
        .count();
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
    let failed = outbox::counts_by_state(c)?
        .into_iter()
        .find(|(s, _)| s == outbox::state::FAILED)
        .map_or(0, |(_, n)| n);
    Ok(Standing {
        submitted: active.len(),
        withdrawn: papers.len() - active.len(),
        short_of_reviewers,
        assignments: assigned.len(),
        preview_open: assignments::current_preview(c)?.is_some(),
        reviews_submitted,
        reviews_draft,
        reviews_missing: assigned.len() - reviews_submitted,
        undecided,
        unreleased,
        released: decisions::released_at(c)?.is_some(),
        letters_sent: usize::try_from(letters_sent).unwrap_or(0),
        camera_ready_missing: accepted
            .iter()
            .filter(|id| !camera_ready.contains(**id))
            .count(),
        accepted: accepted.len(),
        program_saved: decisions::program(c)?.is_some(),
        failed_emails: usize::try_from(failed).unwrap_or(0),
    })
}
