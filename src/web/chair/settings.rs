//! The conference settings page: the form (`domain::conference::SettingsForm`) with per-field
//! errors, saved under optimistic locking with an audit entry naming what changed.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::{self, DbError, audit, conference};
use crate::domain::FieldErrors;
use crate::domain::conference::{ConferenceSettings, SettingsForm};
use crate::policy;
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, set_flash};
use crate::web::{Layout, render, render_status, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/chair/settings", web::get().to(settings_form))
        .route("/chair/settings", web::post().to(save_settings));
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
        // The discussion settings have their own page: this form keeps them as stored.
        Ok(s) => ConferenceSettings {
            discussion: ctx.settings.discussion.clone(),
            ..s
        },
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
