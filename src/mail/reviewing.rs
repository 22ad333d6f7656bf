//! Emails of the reviewing phase: assignments, reported conflicts, assignments withdrawn for a
//! conflict a chair entered, volunteer invitations.
//! Nothing sent to a reviewer names a paper's authors: papers appear by number and title.

use askama::Template;

use super::messages::{MailContext, render};
use crate::db::outbox::NewMail;
use crate::domain::account::Email;

/// A paper as a reviewer's email lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedPaper {
    pub number: i32,
    pub title: String,
}

#[derive(Template)]
#[template(path = "email/assignment.txt")]
struct Assignment<'a> {
    name: &'a str,
    conference: &'a str,
    papers: &'a [ListedPaper],
    added: &'a [ListedPaper],
    removed: &'a [ListedPaper],
    due: &'a str,
    link: &'a str,
}

/// A reviewer's assignment after a commit: every paper they now review, what was added and
/// removed, and the due date. `run` names the commit, so each commit mails each reviewer once.
#[allow(clippy::too_many_arguments)]
pub fn assignment(
    ctx: &MailContext,
    to: &Email,
    name: &str,
    papers: &[ListedPaper],
    added: &[ListedPaper],
    removed: &[ListedPaper],
    due: &str,
    run: &str,
) -> anyhow::Result<NewMail> {
    let link = format!("{}/reviews", ctx.base_url);
    let body = render(&Assignment {
        name,
        conference: &ctx.conference,
        papers,
        added,
        removed,
        due,
        link: &link,
    })?;
    let subject = if papers.is_empty() {
        "Your review assignment was withdrawn".to_string()
    } else if added.len() == papers.len() {
        format!("Your review assignment: {} papers", papers.len())
    } else {
        "Your review assignment has changed".to_string()
    };
    Ok(NewMail {
        dedupe_key: format!("assignment:{run}:{}", to.as_str()),
        recipient: to.clone(),
        subject: ctx.subject(&subject),
        body_text: body,
    })
}

#[derive(Template)]
#[template(path = "email/conflict_reported.txt")]
struct ConflictReported<'a> {
    conference: &'a str,
    number: i32,
    reviewer: &'a str,
    reason: &'a str,
    link: &'a str,
}

/// Tells a chair that a reviewer reported a conflict (and the assignment was removed).
pub fn conflict_reported(
    ctx: &MailContext,
    to: &Email,
    number: i32,
    reviewer: &str,
    reason: &str,
) -> anyhow::Result<NewMail> {
    let link = format!("{}/chair/assignment", ctx.base_url);
    let body = render(&ConflictReported {
        conference: &ctx.conference,
        number,
        reviewer,
        reason,
        link: &link,
    })?;
    Ok(NewMail {
        dedupe_key: format!("conflict-reported:{number}:{reviewer}:{}", to.as_str()),
        recipient: to.clone(),
        subject: ctx.subject(&format!("Conflict reported on #{number}")),
        body_text: body,
    })
}

#[derive(Template)]
#[template(path = "email/assignment_withdrawn.txt")]
struct AssignmentWithdrawn<'a> {
    name: &'a str,
    conference: &'a str,
    number: i32,
    link: &'a str,
}

/// Tells a reviewer that a chair recorded a conflict with one of their papers, which is no
/// longer assigned to them. Names the paper by number only.
pub fn assignment_withdrawn(
    ctx: &MailContext,
    to: &Email,
    name: &str,
    number: i32,
) -> anyhow::Result<NewMail> {
    let link = format!("{}/reviews", ctx.base_url);
    let body = render(&AssignmentWithdrawn {
        name,
        conference: &ctx.conference,
        number,
        link: &link,
    })?;
    Ok(NewMail {
        dedupe_key: format!("assignment-withdrawn:{number}:{}", to.as_str()),
        recipient: to.clone(),
        subject: ctx.subject(&format!("#{number} is no longer assigned to you")),
        body_text: body,
    })
}

#[derive(Template)]
#[template(path = "email/volunteer_invited.txt")]
struct VolunteerInvited<'a> {
    name: &'a str,
    conference: &'a str,
    register: &'a str,
    profile: &'a str,
}

/// Welcomes a volunteer reviewer a chair added.
pub fn volunteer_invited(ctx: &MailContext, to: &Email, name: &str) -> anyhow::Result<NewMail> {
    let register = format!("{}/register", ctx.base_url);
    let profile = format!("{}/reviewer/profile", ctx.base_url);
    let body = render(&VolunteerInvited {
        name,
        conference: &ctx.conference,
        register: &register,
        profile: &profile,
    })?;
    Ok(NewMail {
        dedupe_key: format!("volunteer:{}", to.as_str()),
        recipient: to.clone(),
        subject: ctx.subject("You are a reviewer"),
        body_text: body,
    })
}

#[derive(Template)]
#[template(path = "email/review_reminder.txt")]
struct Reminder<'a> {
    conference: &'a str,
    /// The reviewer's name, empty when unknown.
    name: &'a str,
    papers: &'a [ListedPaper],
    due: &'a str,
    link: &'a str,
}

/// A reminder of unsubmitted reviews; `key` is its dedupe key (one per reminder and person).
pub fn reminder(
    ctx: &MailContext,
    to: &Email,
    name: &str,
    papers: &[ListedPaper],
    due: &str,
    key: &str,
) -> anyhow::Result<NewMail> {
    let link = format!("{}/reviews", ctx.base_url);
    let body = render(&Reminder {
        conference: &ctx.conference,
        name: name.trim(),
        papers,
        due,
        link: &link,
    })?;
    Ok(NewMail {
        dedupe_key: key.to_string(),
        recipient: to.clone(),
        subject: ctx.subject(&format!(
            "Reminder: {} review{} due {due}",
            papers.len(),
            if papers.len() == 1 { "" } else { "s" }
        )),
        body_text: body,
    })
}
