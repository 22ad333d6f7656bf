//! The signed-in person's sessions: the list of browsers signed in to the account, ending one
//! of them, and "sign out everywhere" (asked to confirm), which ends them all at once.

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::sessions::{self, SessionLimits};
use crate::db::{self, DbError};
use crate::domain::conference::format_in_zone;
use crate::policy;
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, set_flash, sign_out};
use crate::web::{Layout, render, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/account/sessions", web::get().to(sessions_page))
        .route("/account/sessions/end", web::post().to(end_one))
        .route("/account/sessions/end-all", web::post().to(end_all));
}

/// One session as listed: no token, no hash, no address.
struct SessionView {
    id: String,
    browser: String,
    created: String,
    last_seen: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "account/sessions.html")]
struct SessionsPage {
    layout: Layout,
    sessions: Vec<SessionView>,
    idle: String,
    lifetime: String,
}

fn duration_text(minutes: i64) -> String {
    match minutes {
        m if m % 1440 == 0 => format!("{} days", m / 1440),
        m if m % 60 == 0 => format!("{} hours", m / 60),
        m => format!("{m} minutes"),
    }
}

async fn sessions_page(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    let member = policy::perm_signed_in(&ctx.actor)?.clone();
    let limits = SessionLimits::from_settings(&ctx.state.config.security);
    let now = ctx.now;
    let rows = db::run(&ctx.state.pool, move |c| {
        Ok::<_, DbError>(sessions::list_for_user(c, &member.id, now, limits)?)
    })
    .await?;
    let tz = ctx.settings.tz();
    let sessions = rows
        .into_iter()
        .map(|s| SessionView {
            current: ctx.session_id.as_deref() == Some(s.id.as_str()),
            browser: s.user_agent.clone(),
            created: format_in_zone(s.created(), tz),
            last_seen: format_in_zone(s.last_seen(), tz),
            id: s.id,
        })
        .collect();
    render(&SessionsPage {
        layout: ctx.layout("Where you are signed in"),
        sessions,
        idle: duration_text(limits.idle.num_minutes()),
        lifetime: duration_text(limits.lifetime.num_minutes()),
    })
}

#[derive(serde::Deserialize)]
struct EndOneForm {
    #[serde(default)]
    session: String,
}

async fn end_one(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<EndOneForm>,
) -> Result<HttpResponse, AppError> {
    let member = policy::perm_signed_in(&ctx.actor)?.clone();
    let ended = db::run(&ctx.state.pool, move |c| {
        Ok::<_, DbError>(sessions::delete_one(c, &member.id, &form.session)?)
    })
    .await?;
    set_flash(
        &ctx.session,
        if ended > 0 {
            "That browser is signed out."
        } else {
            "That session had already ended."
        },
    );
    Ok(see_other("/account/sessions"))
}

#[derive(serde::Deserialize)]
struct EndAllForm {
    #[serde(default)]
    confirm: String,
}

async fn end_all(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<EndAllForm>,
) -> Result<HttpResponse, AppError> {
    let member = policy::perm_signed_in(&ctx.actor)?.clone();
    if form.confirm != "yes" {
        return Err(AppError::BadRequest(
            "Tick the box to confirm signing out on every device.".into(),
        ));
    }
    db::run(&ctx.state.pool, move |c| {
        Ok::<_, DbError>(sessions::delete_all_for_user(c, &member.id)?)
    })
    .await?;
    sign_out(&ctx.session);
    set_flash(&ctx.session, "You are signed out on every device.");
    Ok(see_other("/signin"))
}
