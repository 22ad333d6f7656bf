//! The chairs' dashboard: where the conference stands and the next step (`next_step`), the mail queue, failed emails (with a retry), a warning when this
//! server could not store an upload for lack of space, and the audit log.
//! Every handler starts by asking `policy` whether the actor is a chair.

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::{self, DbError, audit, outbox};
use crate::domain::conference::format_in_zone;
use crate::policy;
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, NoFields, PageCtx, set_flash};
use crate::web::{Layout, render, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/chair", web::get().to(dashboard))
        .route("/chair/mail/retry", web::post().to(retry_failed_mail));
}

struct FailedMail {
    recipient: String,
    subject: String,
    attempts: i32,
    error: String,
}

struct AuditEntry {
    at: String,
    /// What happened, in words (`views::audit`).
    action: String,
    /// The paper's number when the entry is about one paper.
    paper: String,
    details: String,
}

#[derive(Template)]
#[template(path = "chair/dashboard.html")]
struct DashboardPage {
    layout: Layout,
    /// Where the conference stands and the next step (`next_step`).
    standing: super::next_step::StandingView,
    mail_counts: Vec<(String, i64)>,
    failed: Vec<FailedMail>,
    audit: Vec<AuditEntry>,
    /// When this server last failed to store for lack of space, and why.
    storage_alert: Option<StorageAlertView>,
}

struct StorageAlertView {
    at: String,
    error: String,
}

async fn dashboard(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    let chair = policy::perm_manage_conference(&ctx.actor)?.email.clone();
    let (counts, failed, recent, own) = db::run(&ctx.state.pool, move |c| {
        Ok::<_, DbError>((
            outbox::counts_by_state(c)?,
            outbox::failed(c, 50)?,
            audit::recent(c, 30)?,
            crate::db::submissions::for_author_email(c, &chair)?,
        ))
    })
    .await?;
    // A chair does not learn from the log who reviews their own papers.
    let own: Vec<String> = own.iter().map(|r| format!("#{}", r.number)).collect();
    let recent = recent
        .into_iter()
        .filter(|a| !(own.contains(&a.subject) && policy::audit_names_reviewers(&a.action)));
    let tz = ctx.settings.tz();
    let storage_alert = crate::storage::last_failure().map(|a| StorageAlertView {
        at: format_in_zone(a.at, tz),
        error: a.error,
    });
    let standing = super::next_step::standing_view(&ctx).await?;
    let page = DashboardPage {
        standing,
        layout: ctx.layout("Chair dashboard"),
        storage_alert,
        mail_counts: counts,
        failed: failed
            .into_iter()
            .map(|r| FailedMail {
                recipient: r.recipient,
                subject: r.subject,
                attempts: r.attempts,
                error: r.last_error.unwrap_or_default(),
            })
            .collect(),
        audit: recent
            .into_iter()
            .map(|a| AuditEntry {
                at: format_in_zone(db::from_db(a.at), tz),
                action: crate::web::views::audit::describe(&a.action),
                paper: a
                    .subject
                    .strip_prefix('#')
                    .filter(|n| n.parse::<i32>().is_ok())
                    .unwrap_or_default()
                    .to_string(),
                details: a.details,
            })
            .collect(),
    };
    render(&page)
}

async fn retry_failed_mail(
    ctx: PageCtx,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let chair = policy::perm_manage_conference(&ctx.actor)?.id.clone();
    let now = ctx.now;
    let n = db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            let n = outbox::retry_failed(c, now)?;
            audit::record(
                c,
                Some(&chair),
                "mail.retry_failed",
                "mail_outbox",
                &format!("{n} emails queued again"),
                now,
            )?;
            Ok::<_, DbError>(n)
        })
    })
    .await?;
    set_flash(
        &ctx.session,
        &format!("{n} failed emails are queued for delivery again."),
    );
    Ok(see_other("/chair"))
}
