//! The counts behind the chairs' dashboard (`domain::standing`): submissions, reviews,
//! decisions, letters, camera-ready versions, the program and failed emails, read in one
//! connection. Papers, assignments and review states come from the ranking the decisions
//! board keeps per process (`db::ranking`, cached by its data version), so the dashboard
//! does not join every assignment with its review again on each view.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;

use super::ranking::{AssignedScore, RankedPaper};
use super::schema::{mail_outbox, submissions};
use super::{AnyConnection, assignments, decisions, outbox};
use crate::domain::standing::Standing;

/// Reads the counts; `needed` is (reviews per paper, reviews per published paper); `active`
/// and `assigned` are the ranking's active papers and their committed assignments with
/// their reviews' states ([`super::ranking::active_papers`], [`super::ranking::assigned_scores`]).
pub fn load(
    c: &mut AnyConnection,
    needed: (u32, u32),
    active: &[RankedPaper],
    assigned: &[AssignedScore],
) -> QueryResult<Standing> {
    let withdrawn: i64 = submissions::table
        .filter(submissions::status.ne("active"))
        .count()
        .get_result(c)?;
    let mut per_paper: HashMap<&str, u32> = HashMap::new();
    for a in assigned {
        *per_paper.entry(a.submission_id.as_str()).or_default() += 1;
    }
    let short_of_reviewers = active
        .iter()
        .filter(|p| {
            let need = if p.track == "published" {
                needed.1
            } else {
                needed.0
            };
            per_paper.get(p.id.as_str()).copied().unwrap_or(0) < need
        })
        .count();
    let reviews_submitted = assigned
        .iter()
        .filter(|a| a.submitted == Some(true))
        .count();
    let reviews_draft = assigned
        .iter()
        .filter(|a| a.submitted == Some(false))
        .count();
    let decided: HashMap<String, decisions::DecisionRow> = decisions::all(c)?
        .into_iter()
        .map(|d| (d.submission_id.clone(), d))
        .collect();
    let mut undecided = 0;
    let mut unreleased = 0;
    let mut accepted: HashSet<&str> = HashSet::new();
    for p in active {
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
        withdrawn: usize::try_from(withdrawn).unwrap_or(0),
        short_of_reviewers,
        assignments: assigned.len(),
        preview_open: assignments::current_preview(c)?.is_some(),
        reviews_submitted,
        reviews_draft,
        reviews_missing: assigned.len().saturating_sub(reviews_submitted),
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
