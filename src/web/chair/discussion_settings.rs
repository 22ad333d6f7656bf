//! The chairs' settings for the discussion and the author response (window, word limit,
//! scores shown to authors, comments to authors, editing time, meta-review to authors,
//! digests): their own page, saved into the conference settings under the same optimistic
//! locking as the main settings form, which keeps them as they are.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::{self, DbError, audit, conference};
use crate::domain::FieldErrors;
use crate::domain::conference::{ConferenceSettings, format_in_zone};
use crate::domain::discussion::DiscussionSettingsForm;
use crate::policy;
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, set_flash};
use crate::web::{Layout, render_status, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/chair/discussion/settings", web::get().to(form_page))
        .route("/chair/discussion/settings", web::post().to(save));
}

#[derive(Template)]
#[template(path = "chair/discussion_settings.html")]
struct Page {
    layout: Layout,
    form: DiscussionSettingsForm,
    errors: FieldErrors,
    review_due: String,
    decisions_release: String,
}

fn show(
    ctx: &PageCtx,
    settings: &ConferenceSettings,
    status: StatusCode,
    form: DiscussionSettingsForm,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let tz = settings.tz();
    render_status(
        status,
        &Page {
            layout: ctx.layout("Discussion and author response"),
            form,
            errors,
            review_due: format_in_zone(settings.dates.review_due, tz),
            decisions_release: format_in_zone(settings.dates.decisions_release, tz),
        },
    )
}

async fn form_page(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    policy::perm_manage_conference(&ctx.actor)?;
    let form = DiscussionSettingsForm::from_settings(
        &ctx.settings.discussion,
        ctx.settings.tz(),
        ctx.settings_version,
    );
    show(
        &ctx,
        &ctx.settings,
        StatusCode::OK,
        form,
        FieldErrors::new(),
    )
}

async fn save(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<DiscussionSettingsForm>,
) -> Result<HttpResponse, AppError> {
    let chair = policy::perm_manage_conference(&ctx.actor)?.id.clone();
    let s = &ctx.settings;
    let discussion = match form.parse(s.tz(), s.dates.review_due, s.dates.decisions_release) {
        Ok(d) => d,
        Err(errors) => {
            return show(&ctx, s, StatusCode::UNPROCESSABLE_ENTITY, form, errors);
        }
    };
    let Ok(expected) = form.version.trim().parse::<i32>() else {
        return Err(AppError::BadRequest(
            "The settings form is missing its version; reload the page.".into(),
        ));
    };
    let settings = ConferenceSettings {
        discussion,
        ..s.clone()
    };
    let now = ctx.now;
    let saved = db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            let Some(v) = conference::save(c, &settings, expected, now)? else {
                return Ok::<_, DbError>(None);
            };
            audit::record(
                c,
                Some(&chair),
                "settings.update",
                "conference",
                "changed: discussion",
                now,
            )?;
            Ok(Some(v))
        })
    })
    .await?;
    if saved.is_none() {
        let fresh = db::run(&ctx.state.pool, |c| Ok::<_, DbError>(conference::load(c)?)).await?;
        let mut errors = FieldErrors::new();
        errors.add(
            "version",
            "Another chair changed the settings since you opened this page. The stored values are shown below; make your changes again.",
        );
        let form = DiscussionSettingsForm::from_settings(
            &fresh.settings.discussion,
            fresh.settings.tz(),
            fresh.version,
        );
        return show(&ctx, &fresh.settings, StatusCode::CONFLICT, form, errors);
    }
    set_flash(&ctx.session, "Discussion settings saved.");
    Ok(see_other("/chair/discussion/settings"))
}
