//! Emails about one's own account: confirming a new address (sent to the new address), telling
//! the old address that a change was asked for and when it is done, and telling the owner
//! that the password changed.

use askama::Template;

use super::messages::{MailContext, render};
use crate::db::outbox::NewMail;
use crate::domain::account::Email;

#[derive(Template)]
#[template(path = "email/email_change_confirm.txt")]
struct ConfirmChange<'a> {
    name: &'a str,
    conference: &'a str,
    new_email: &'a str,
    link: &'a str,
    hours: u32,
}

/// The link, sent to the new address, that makes it the account's address.
pub fn email_change_confirm(
    ctx: &MailContext,
    to: &Email,
    name: &str,
    token: &str,
    token_hash: &str,
    hours: u32,
) -> anyhow::Result<NewMail> {
    let link = format!("{}/account/email/confirm?token={token}", ctx.base_url);
    let body = render(&ConfirmChange {
        name,
        conference: &ctx.conference,
        new_email: to.as_str(),
        link: &link,
        hours,
    })?;
    Ok(NewMail {
        dedupe_key: format!("email-change:{token_hash}"),
        recipient: to.clone(),
        subject: ctx.subject("Confirm your new email address"),
        body_text: body,
    })
}

#[derive(Template)]
#[template(path = "email/email_change_notice.txt")]
struct ChangeNotice<'a> {
    name: &'a str,
    conference: &'a str,
    new_email: &'a str,
    done: bool,
    link: &'a str,
}

/// Tells the old address that a change to `new_email` was asked for (`done` false) or made.
pub fn email_change_notice(
    ctx: &MailContext,
    to: &Email,
    name: &str,
    new_email: &str,
    done: bool,
    key: &str,
) -> anyhow::Result<NewMail> {
    let link = format!("{}/reset", ctx.base_url);
    let body = render(&ChangeNotice {
        name,
        conference: &ctx.conference,
        new_email,
        done,
        link: &link,
    })?;
    Ok(NewMail {
        dedupe_key: format!(
            "email-change-notice:{}:{key}",
            if done { "done" } else { "asked" }
        ),
        recipient: to.clone(),
        subject: ctx.subject(if done {
            "Your email address was changed"
        } else {
            "A change of your email address was requested"
        }),
        body_text: body,
    })
}

#[derive(Template)]
#[template(path = "email/password_changed.txt")]
struct PasswordChanged<'a> {
    name: &'a str,
    conference: &'a str,
    link: &'a str,
}

/// Tells the owner that the account's password was changed from the account page.
pub fn password_changed(
    ctx: &MailContext,
    to: &Email,
    name: &str,
    key: &str,
) -> anyhow::Result<NewMail> {
    let link = format!("{}/reset", ctx.base_url);
    let body = render(&PasswordChanged {
        name,
        conference: &ctx.conference,
        link: &link,
    })?;
    Ok(NewMail {
        dedupe_key: format!("password-changed:{key}"),
        recipient: to.clone(),
        subject: ctx.subject("Your password was changed"),
        body_text: body,
    })
}
