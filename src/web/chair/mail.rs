//! The chairs' group mail: a letter template sent to a group (all authors, authors of
//! accepted papers, reviewers with missing reviews, all reviewers), after a preview of who
//! gets it; a repeated post queues nothing twice, and each send is in the audit log.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::{self, DbError, audit, outbox, ranking};
use crate::domain::account::Email;
use crate::domain::decision::Decision;
use crate::mail::letters::{self, LetterKind, LetterTemplate};
use crate::policy;
use crate::web::chair::release::letter_template;
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, set_flash};
use crate::web::pool_data::PoolData;
use crate::web::{Layout, render_status, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/chair/mail", web::get().to(mail_page))
        .route("/chair/mail", web::post().to(mail_post));
}

/// Who a group message goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    AllAuthors,
    AcceptedAuthors,
    MissingReviews,
    Reviewers,
}

impl Group {
    const ALL: [(Group, &'static str, &'static str); 4] = [
        (
            Group::AllAuthors,
            "all_authors",
            "All authors of active submissions",
        ),
        (
            Group::AcceptedAuthors,
            "accepted_authors",
            "Authors of accepted papers (released)",
        ),
        (
            Group::MissingReviews,
            "missing_reviews",
            "Reviewers with missing reviews",
        ),
        (Group::Reviewers, "reviewers", "All reviewers"),
    ];

    fn parse(raw: &str) -> Result<Group, AppError> {
        Group::ALL
            .iter()
            .find(|g| g.1 == raw)
            .map(|g| g.0)
            .ok_or_else(|| AppError::BadRequest(format!("\"{raw}\" is not a group.")))
    }
}

/// (email, name) of everyone in `group`, by email. Each group reads only what it needs:
/// the authors' groups their names and the decisions, never the reviews or the pool.
async fn recipients(ctx: &PageCtx, group: Group) -> Result<Vec<(String, String)>, AppError> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    match group {
        Group::AllAuthors | Group::AcceptedAuthors => {
            let authors = db::run(&ctx.state.pool, |c| {
                Ok::<_, DbError>(ranking::authors_of_active(c)?)
            })
            .await?;
            for a in authors {
                let accepted = a
                    .released_decision
                    .as_deref()
                    .and_then(Decision::parse)
                    .is_some_and(Decision::is_accept);
                if group == Group::AcceptedAuthors && !accepted {
                    continue;
                }
                out.insert(a.email, a.name);
            }
        }
        Group::MissingReviews => {
            let (pool, assigned) = db::run(&ctx.state.pool, |c| {
                Ok::<_, DbError>((PoolData::load(c)?, ranking::assigned_scores(c)?))
            })
            .await?;
            for a in assigned.iter().filter(|a| !a.is_submitted()) {
                if out.contains_key(&a.reviewer_email) {
                    continue;
                }
                let name = pool
                    .reviewer_by_email(&a.reviewer_email)
                    .map(|r| pool.pool[r].person.name.clone())
                    .unwrap_or_default();
                out.insert(a.reviewer_email.clone(), name);
            }
        }
        Group::Reviewers => {
            let pool = db::run(&ctx.state.pool, |c| Ok::<_, DbError>(PoolData::load(c)?)).await?;
            for r in pool.pool.iter().filter(|r| r.active) {
                out.insert(r.person.email.clone(), r.person.name.clone());
            }
        }
    }
    Ok(out.into_iter().collect())
}

#[derive(Template)]
#[template(path = "chair/mail.html")]
struct MailPage {
    layout: Layout,
    groups: Vec<(&'static str, &'static str)>,
    group: String,
    subject: String,
    body: String,
    error: String,
    /// After "preview": who gets it, and the first letter.
    recipients: Vec<(String, String)>,
    preview_subject: String,
    preview_body: String,
    send_id: String,
    previewed: bool,
    /// Fingerprint of the previewed group, subject and text; a send must match it.
    previewed_text: String,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct MailForm {
    group: String,
    subject: String,
    body: String,
    action: String,
    send_id: String,
    /// How many people the preview named; the send is refused if the group has changed.
    confirm_count: String,
    previewed_text: String,
}

/// The line of the built-in general template that asks the chair to write something.
const WRITE_HERE: &str = "(Write your message here.)";

/// Why a message must not go out as it is: it still holds the built-in template's text.
fn unchanged_template(template: &LetterTemplate) -> Option<String> {
    let builtin = letters::default_template(LetterKind::General);
    let same = |a: &str, b: &str| a.split_whitespace().eq(b.split_whitespace());
    (template.body.contains(WRITE_HERE) || same(&template.body, &builtin.body)).then(|| {
        format!(
            "The text still holds the template's \"{WRITE_HERE}\": write your message in its place. Nothing was sent."
        )
    })
}

/// A fingerprint of what was previewed: the group, the subject and the text.
fn fingerprint(group: &str, template: &LetterTemplate) -> String {
    crate::auth::token_hash(&format!(
        "{group}\u{0}{}\u{0}{}",
        template.subject, template.body
    ))
}

async fn mail_page(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    policy::perm_manage_conference(&ctx.actor)?;
    let template = db::run(&ctx.state.pool, |c| letter_template(c, LetterKind::General)).await?;
    render_status(
        StatusCode::OK,
        &MailPage {
            layout: ctx.layout("Message to a group"),
            groups: Group::ALL.iter().map(|g| (g.1, g.2)).collect(),
            group: "all_authors".into(),
            subject: template.subject,
            body: template.body,
            error: String::new(),
            recipients: Vec::new(),
            preview_subject: String::new(),
            preview_body: String::new(),
            send_id: String::new(),
            previewed: false,
            previewed_text: String::new(),
        },
    )
}

fn general_context(ctx: &PageCtx, name: &str) -> serde_json::Value {
    serde_json::json!({
        "name": name,
        "conference": ctx.settings.short_name,
        "link": ctx.state.config.base_url(),
    })
}

async fn mail_post(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<MailForm>,
) -> Result<HttpResponse, AppError> {
    let chair = policy::perm_manage_conference(&ctx.actor)?.id.clone();
    let group = Group::parse(&form.group)?;
    let template = LetterTemplate {
        subject: form.subject.trim().to_string(),
        body: form.body.replace("\r\n", "\n"),
    };
    let list = recipients(&ctx, group).await?;
    let mut page = MailPage {
        layout: ctx.layout("Message to a group"),
        groups: Group::ALL.iter().map(|g| (g.1, g.2)).collect(),
        group: form.group.clone(),
        subject: template.subject.clone(),
        body: template.body.clone(),
        error: String::new(),
        recipients: Vec::new(),
        preview_subject: String::new(),
        preview_body: String::new(),
        send_id: String::new(),
        previewed: false,
        previewed_text: String::new(),
    };
    if let Err(e) = letters::validate(LetterKind::General, &template) {
        page.error = e.to_string();
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    if let Some(message) = unchanged_template(&template) {
        page.error = message;
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let fingerprint = fingerprint(&form.group, &template);
    // What the send must match; a mismatch shows a fresh preview instead of sending.
    let stale = if form.action != "send" {
        None
    } else if uuid::Uuid::parse_str(&form.send_id).is_err() {
        Some("Preview the message before sending it: nothing was sent.".to_string())
    } else if form.previewed_text != fingerprint {
        Some("The group, subject or text changed since the preview, so nothing was sent. Check the new preview below and send again.".to_string())
    } else if form.confirm_count.trim() != list.len().to_string() {
        Some(format!(
            "The group is now {} people, not {} as previewed, so nothing was sent. Check the new preview below and send again.",
            list.len(),
            form.confirm_count.trim()
        ))
    } else {
        None
    };
    if form.action != "send" || stale.is_some() {
        if let Some((_, name)) = list.first() {
            let (s, b) =
                letters::render(LetterKind::General, &template, &general_context(&ctx, name))
                    .unwrap_or_else(|e| (String::new(), e.to_string()));
            page.preview_subject = s;
            page.preview_body = b;
        }
        page.recipients = list;
        page.send_id = uuid::Uuid::new_v4().to_string();
        page.previewed = true;
        page.previewed_text = fingerprint;
        let status = if stale.is_some() {
            StatusCode::CONFLICT
        } else {
            StatusCode::OK
        };
        page.error = stale.unwrap_or_default();
        return render_status(status, &page);
    }
    let mut letters_out = Vec::new();
    for (email, name) in &list {
        let (subject, body) =
            letters::render(LetterKind::General, &template, &general_context(&ctx, name)).map_err(
                |e| AppError::BadRequest(format!("The message could not be written: {e}")),
            )?;
        let Ok(to) = Email::parse(email) else {
            continue;
        };
        letters_out.push(outbox::NewMail {
            dedupe_key: format!("groupmail:{}:{email}", form.send_id),
            recipient: to,
            subject,
            body_text: body,
        });
    }
    let now = ctx.now;
    let group_name = form.group.clone();
    let sent = db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            let mut sent = 0;
            for m in &letters_out {
                if outbox::enqueue(c, m, now)? {
                    sent += 1;
                }
            }
            audit::record(
                c,
                Some(&chair),
                "mail.group",
                &group_name,
                &format!("{sent} emails"),
                now,
            )?;
            Ok::<_, DbError>(sent)
        })
    })
    .await?;
    set_flash(
        &ctx.session,
        &if sent == 0 {
            "This message was already sent: nothing went out twice.".to_string()
        } else {
            format!("{sent} emails are on their way.")
        },
    );
    Ok(see_other("/chair/letters/log"))
}
