//! Emails of the discussion: reviewers told that the authors responded, and the hourly
//! digest of new comments. Neither names an author or a reviewer: papers appear by number
//! and title, writers by their label ("Reviewer B", "Chair").

use askama::Template;

use super::messages::{MailContext, render};
use crate::db::outbox::NewMail;
use crate::domain::account::Email;

#[derive(Template)]
#[template(path = "email/response_arrived.txt")]
struct ResponseArrived<'a> {
    conference: &'a str,
    number: i32,
    title: &'a str,
    link: &'a str,
}

/// Tells a reviewer of paper `number` that its authors submitted their response (once per
/// paper and reviewer).
pub fn response_arrived(
    ctx: &MailContext,
    to: &Email,
    submission_id: &str,
    number: i32,
    title: &str,
) -> anyhow::Result<NewMail> {
    let link = format!("{}/reviews/{number}#response", ctx.base_url);
    let body = render(&ResponseArrived {
        conference: &ctx.conference,
        number,
        title,
        link: &link,
    })?;
    Ok(NewMail {
        dedupe_key: format!("response:{submission_id}:{}", to.as_str()),
        recipient: to.clone(),
        subject: ctx.subject(&format!(
            "The authors of #{number} responded to the reviews"
        )),
        body_text: body,
    })
}

/// One paper in a digest: how many new comments, from whom (labels), and where to read them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestPaper {
    pub number: i32,
    pub title: String,
    pub comments: usize,
    /// "Reviewer B, Chair".
    pub writers: String,
    pub link: String,
}

#[derive(Template)]
#[template(path = "email/discussion_digest.txt")]
struct Digest<'a> {
    conference: &'a str,
    papers: &'a [DigestPaper],
    unsubscribe: &'a str,
}

/// The digest of new comments for one person; `key` names the hour it belongs to.
pub fn digest(
    ctx: &MailContext,
    to: &Email,
    papers: &[DigestPaper],
    unsubscribe_token: &str,
    key: &str,
) -> anyhow::Result<NewMail> {
    let unsubscribe = format!(
        "{}/discussion/unsubscribe/{unsubscribe_token}",
        ctx.base_url
    );
    let body = render(&Digest {
        conference: &ctx.conference,
        papers,
        unsubscribe: &unsubscribe,
    })?;
    let total: usize = papers.iter().map(|p| p.comments).sum();
    Ok(NewMail {
        dedupe_key: key.to_string(),
        recipient: to.clone(),
        subject: ctx.subject(&format!(
            "{total} new comment{} in the discussion",
            if total == 1 { "" } else { "s" }
        )),
        body_text: body,
    })
}

#[derive(Template)]
#[template(path = "email/area_chair.txt")]
struct AreaChair<'a> {
    conference: &'a str,
    papers: &'a [super::reviewing::ListedPaper],
    link: &'a str,
}

/// Tells someone which papers they are now area chair of; `round` names the save.
pub fn area_chair(
    ctx: &MailContext,
    to: &Email,
    papers: &[super::reviewing::ListedPaper],
    round: &str,
) -> anyhow::Result<NewMail> {
    let link = format!("{}/area-chair", ctx.base_url);
    let body = render(&AreaChair {
        conference: &ctx.conference,
        papers,
        link: &link,
    })?;
    Ok(NewMail {
        dedupe_key: format!("area-chair:{round}:{}", to.as_str()),
        recipient: to.clone(),
        subject: ctx.subject(&format!(
            "You are area chair of {} paper{}",
            papers.len(),
            if papers.len() == 1 { "" } else { "s" }
        )),
        body_text: body,
    })
}
