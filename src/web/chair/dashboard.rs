//! Chair pages: the dashboard (mail queue, failed emails, audit log) and the conference
//! settings. Every handler starts by asking `policy` whether the actor is a chair.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, NoFields, PageCtx, set_flash};
use crate::web::{Layout, render, render_status, see_other};
use crate::db::{self, DbError, audit, conference, outbox};
use crate::domain::FieldErrors;
use crate::domain::conference::{ConferenceSettings, SettingsForm, format_in_zone};
use crate::policy;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/chair", web::get().to(dashboard))
        .route("/chair/mail/retry", web::post().to(retry_failed_mail))
        .route("/chair/settings", web::get().to(settings_form))
        .route("/chair/settings", web::post().to(save_settings));
}

struct FailedMail {
    recipient: String,
    subject: String,
    attempts: i32,
    error: String,
}

struct AuditEntry {
    at: String,
    action: String,
    subject: String,
    details: String,
}

#[derive(Template)]
#[template(path = "chair/dashboard.html")]
struct DashboardPage {
    layout: Layout,
    mail_counts: Vec<(String, i64)>,
    failed: Vec<FailedMail>,
    audit: Vec<AuditEntry>,
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
    let page = DashboardPage {
        layout: ctx.layout("Chair dashboard"),
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
                action: a.action,
                subject: a.subject,
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

#[derive(Template)]
#[template(path = "chair/settings.html")]
struct SettingsPage {
    layout: Layout,
    form: SettingsForm,
    errors: FieldErrors,
    stale: bool,
}

async fn settings_form(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    policy::perm_manage_conference(&ctx.actor)?;
    let form = SettingsForm::from_settings(&ctx.settings, ctx.settings_version);
    render(&SettingsPage {
        layout: ctx.layout("Conference settings"),
        form,
        errors: FieldErrors::new(),
        stale: false,
    })
}

async fn save_settings(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<SettingsForm>,
) -> Result<HttpResponse, AppError> {
    let chair = policy::perm_manage_conference(&ctx.actor)?.id.clone();
    let settings = match ConferenceSettings::try_from(&form) {
        Ok(s) => s,
        Err(errors) => {
            return render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &SettingsPage {
                    layout: ctx.layout("Conference settings"),
                    form,
                    errors,
                    stale: false,
                },
            );
        }
    };
    let Ok(expected_version) = form.version.trim().parse::<i32>() else {
        return Err(AppError::BadRequest(
            "The settings form is missing its version; reload the page.".into(),
        ));
    };
    let now = ctx.now;
    let previous = ctx.settings.clone();
    let saved = db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            let Some(version) = conference::save(c, &settings, expected_version, now)? else {
                return Ok::<_, DbError>(None);
            };
            let details = describe_changes(&previous, &settings);
            audit::record(
                c,
                Some(&chair),
                "settings.update",
                "conference",
                &details,
                now,
            )?;
            Ok(Some(version))
        })
    })
    .await?;
    if saved.is_none() {
        // Someone saved in between: show their values, keep nothing of ours silently.
        let mut errors = FieldErrors::new();
        errors.add("version", "Another chair changed the settings since you opened this page. Their values are shown below; make your changes again.");
        let fresh = db::run(&ctx.state.pool, |c| Ok::<_, DbError>(conference::load(c)?)).await?;
        let form = SettingsForm::from_settings(&fresh.settings, fresh.version);
        return render_status(
            StatusCode::CONFLICT,
            &SettingsPage {
                layout: ctx.layout("Conference settings"),
                form,
                errors,
                stale: true,
            },
        );
    }
    set_flash(&ctx.session, "Settings saved.");
    Ok(see_other("/chair/settings"))
}

/// A short list of the fields that changed, for the audit log.
fn describe_changes(before: &ConferenceSettings, after: &ConferenceSettings) -> String {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(before), serde_json::to_value(after))
    else {
        return "settings changed".into();
    };
    let changed: Vec<&str> = b
        .iter()
        .filter(|(k, v)| a.get(*k) != Some(*v))
        .map(|(k, _)| k.as_str())
        .collect();
    if changed.is_empty() {
        "no change".into()
    } else {
        format!("changed: {}", changed.join(", "))
    }
}
