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
    fn subject(&self, text: &str) -> String {
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

fn render(t: &impl Template) -> anyhow::Result<String> {
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
