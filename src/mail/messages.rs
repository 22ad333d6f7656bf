//! The text of every email, rendered from templates under `templates/email/`. Each builder
//! returns a `NewMail` with a dedupe key naming the event it belongs to.

use askama::Template;

use crate::db::outbox::NewMail;
use crate::domain::account::Email;

/// What every email needs to know about the site.
#[derive(Debug, Clone)]
pub struct MailContext {
    /// The conference's short name, used as a subject prefix.
    pub conference: String,
    /// The site's base URL without a trailing slash.
    pub base_url: String,
}

impl MailContext {
    pub(crate) fn subject(&self, text: &str) -> String {
        format!("[{}] {text}", self.conference)
    }
}

#[derive(Template)]
#[template(path = "email/confirm_email.txt")]
struct ConfirmEmail<'a> {
    name: &'a str,
    conference: &'a str,
    link: &'a str,
    hours: u32,
}

#[derive(Template)]
#[template(path = "email/reset_password.txt")]
struct ResetPassword<'a> {
    name: &'a str,
    conference: &'a str,
    link: &'a str,
    minutes: u32,
}

#[derive(Template)]
#[template(path = "email/already_registered.txt")]
struct AlreadyRegistered<'a> {
    name: &'a str,
    conference: &'a str,
    signin_link: &'a str,
    reset_link: &'a str,
}

pub(crate) fn render(t: &impl Template) -> anyhow::Result<String> {
    t.render()
        .map_err(|e| anyhow::anyhow!("email template: {e}"))
}

/// The link that confirms a new account's address.
pub fn confirm_email(
    ctx: &MailContext,
    to: &Email,
    name: &str,
    token: &str,
    token_hash: &str,
    hours: u32,
) -> anyhow::Result<NewMail> {
    let link = format!("{}/confirm?token={token}", ctx.base_url);
    let body = render(&ConfirmEmail {
        name,
        conference: &ctx.conference,
        link: &link,
        hours,
    })?;
    Ok(NewMail {
        dedupe_key: format!("confirm:{token_hash}"),
        recipient: to.clone(),
        subject: ctx.subject("Confirm your email address"),
        body_text: body,
    })
}

/// The link that sets a new password.
pub fn reset_password(
    ctx: &MailContext,
    to: &Email,
    name: &str,
    token: &str,
    token_hash: &str,
    minutes: u32,
) -> anyhow::Result<NewMail> {
    let link = format!("{}/reset/confirm?token={token}", ctx.base_url);
    let body = render(&ResetPassword {
        name,
        conference: &ctx.conference,
        link: &link,
        minutes,
    })?;
    Ok(NewMail {
        dedupe_key: format!("reset:{token_hash}"),
        recipient: to.clone(),
        subject: ctx.subject("Reset your password"),
        body_text: body,
    })
}

/// Someone tried to register an address that has an account. The page they saw is the same
/// as for a new address (it must not reveal who is registered); the owner learns of it here.
/// `period` groups attempts so at most one such email goes out per period.
pub fn already_registered(
    ctx: &MailContext,
    to: &Email,
    name: &str,
    period: i64,
) -> anyhow::Result<NewMail> {
    let signin_link = format!("{}/signin", ctx.base_url);
    let reset_link = format!("{}/reset", ctx.base_url);
    let body = render(&AlreadyRegistered {
        name,
        conference: &ctx.conference,
        signin_link: &signin_link,
        reset_link: &reset_link,
    })?;
    Ok(NewMail {
        dedupe_key: format!("already-registered:{}:{period}", to.as_str()),
        recipient: to.clone(),
        subject: ctx.subject("You already have an account"),
        body_text: body,
    })
}

/// What a submission email says about the paper.
#[derive(Debug, Clone)]
pub struct PaperMailFacts {
    pub submission_id: String,
    pub number: i32,
    pub title: String,
    pub track: String,
    /// The deadline, formatted in the conference time zone.
    pub deadline: String,
}

#[derive(Template)]
#[template(path = "email/submission_receipt.txt")]
struct SubmissionReceipt<'a> {
    name: &'a str,
    conference: &'a str,
    paper: &'a PaperMailFacts,
    link: &'a str,
}

#[derive(Template)]
#[template(path = "email/submission_updated.txt")]
struct SubmissionUpdated<'a> {
    name: &'a str,
    conference: &'a str,
    paper: &'a PaperMailFacts,
    link: &'a str,
    what: &'a str,
}

#[derive(Template)]
#[template(path = "email/submission_withdrawn.txt")]
struct SubmissionWithdrawn<'a> {
    name: &'a str,
    conference: &'a str,
    paper: &'a PaperMailFacts,
    by_chair: bool,
}

fn paper_link(ctx: &MailContext, paper: &PaperMailFacts) -> String {
    format!("{}/submissions/{}", ctx.base_url, paper.number)
}

/// The receipt every listed author gets when a paper is first submitted.
pub fn submission_receipt(
    ctx: &MailContext,
    to: &Email,
    name: &str,
    paper: &PaperMailFacts,
) -> anyhow::Result<NewMail> {
    let link = paper_link(ctx, paper);
    let body = render(&SubmissionReceipt {
        name,
        conference: &ctx.conference,
        paper,
        link: &link,
    })?;
    Ok(NewMail {
        dedupe_key: format!("receipt:{}:{}", paper.submission_id, to.as_str()),
        recipient: to.clone(),
        subject: ctx.subject(&format!("Submission #{} received", paper.number)),
        body_text: body,
    })
}

/// A short note after a change; `period` groups changes so at most one goes out per period.
pub fn submission_updated(
    ctx: &MailContext,
    to: &Email,
    name: &str,
    paper: &PaperMailFacts,
    what: &str,
    period: i64,
) -> anyhow::Result<NewMail> {
    let link = paper_link(ctx, paper);
    let body = render(&SubmissionUpdated {
        name,
        conference: &ctx.conference,
        paper,
        link: &link,
        what,
    })?;
    Ok(NewMail {
        dedupe_key: format!("updated:{}:{period}:{}", paper.submission_id, to.as_str()),
        recipient: to.clone(),
        subject: ctx.subject(&format!("Submission #{} updated", paper.number)),
        body_text: body,
    })
}

/// Confirms a withdrawal; `event` distinguishes repeated withdraw/reinstate cycles.
pub fn submission_withdrawn(
    ctx: &MailContext,
    to: &Email,
    name: &str,
    paper: &PaperMailFacts,
    by_chair: bool,
    event: i32,
) -> anyhow::Result<NewMail> {
    let body = render(&SubmissionWithdrawn {
        name,
        conference: &ctx.conference,
        paper,
        by_chair,
    })?;
    Ok(NewMail {
        dedupe_key: format!("withdrawn:{}:{event}:{}", paper.submission_id, to.as_str()),
        recipient: to.clone(),
        subject: ctx.subject(&format!("Submission #{} withdrawn", paper.number)),
        body_text: body,
    })
}
