//! Resetting a forgotten password: the request (always answered "if it has an account", and
//! limited per address and per client address with the same answer) and the form behind the
//! emailed single-use link, which ends every session of the account.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::Duration;

use super::register::{MessagePage, TokenQuery, link_expired};
use crate::auth;
use crate::db::{self, DbError, outbox, sessions, throttle, tokens, users};
use crate::domain::FieldErrors;
use crate::domain::account::{Email, Password};
use crate::mail::messages;
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, sign_out};
use crate::web::{Layout, render, render_status, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/reset", web::get().to(reset_request_form))
        .route("/reset", web::post().to(reset_request))
        .route("/reset/confirm", web::get().to(reset_form))
        .route("/reset/confirm", web::post().to(reset));
}

#[derive(Template)]
#[template(path = "account/reset_request.html")]
struct ResetRequestPage {
    layout: Layout,
    email: String,
    error: Option<String>,
}

async fn reset_request_form(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    render(&ResetRequestPage {
        layout: ctx.layout("Reset your password"),
        email: String::new(),
        error: None,
    })
}

#[derive(Debug, serde::Deserialize)]
struct ResetRequestForm {
    #[serde(default)]
    email: String,
}

async fn reset_request(
    req: actix_web::HttpRequest,
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<ResetRequestForm>,
) -> Result<HttpResponse, AppError> {
    let email = match Email::parse(&form.email) {
        Ok(email) => email,
        Err(error) => {
            let email = form.email.chars().take(Email::MAX_LEN).collect();
            return render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ResetRequestPage {
                    layout: ctx.layout("Reset your password"),
                    email,
                    error: Some(error),
                },
            );
        }
    };
    let now = ctx.now;
    let mail = ctx.state.mail_context(&ctx.settings.short_name);
    let minutes = ctx.state.config.security.reset_link_minutes;
    let shown = email.clone();
    let security = ctx.state.config.security.clone();
    let client = super::visitor::client_address(&req, ctx.state.config.server.trust_forwarded_for);
    db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            let Some(user) = users::find_by_email(c, &email)? else {
                return Ok::<_, AppError>(());
            };
            // Beyond the limits nothing is sent and the page below says the same.
            let limits =
                super::visitor::visitor_email_limits(&security, "reset", email.as_str(), &client);
            if !throttle::take_email_allowance(c, &limits, now - Duration::hours(1), now)? {
                tracing::info!("password reset email not sent: rate limit");
                return Ok(());
            }
            let (token, hash) = auth::new_token();
            tokens::insert(
                c,
                &hash,
                &user.user_id(),
                tokens::TokenPurpose::ResetPassword,
                now + Duration::minutes(i64::from(minutes)),
                now,
            )?;
            outbox::enqueue(
                c,
                &messages::reset_password(&mail, &email, &user.name, &token, &hash, minutes)?,
                now,
            )?;
            Ok(())
        })
    })
    .await?;
    render(&MessagePage {
        layout: ctx.layout("Check your email"),
        heading: "Check your email".into(),
        text: format!(
            "If {shown} has an account, we have sent it a link to choose a new password."
        ),
        link: Some(("/signin".into(), "Back to sign in".into())),
    })
}

#[derive(Template)]
#[template(path = "account/reset_form.html")]
struct ResetPage {
    layout: Layout,
    token: String,
    errors: FieldErrors,
}

async fn reset_form(ctx: PageCtx, query: web::Query<TokenQuery>) -> Result<HttpResponse, AppError> {
    let hash = auth::token_hash(&query.token);
    let now = ctx.now;
    let valid = db::run(&ctx.state.pool, move |c| {
        Ok::<_, DbError>(tokens::peek(
            c,
            &hash,
            tokens::TokenPurpose::ResetPassword,
            now,
        )?)
    })
    .await?
    .is_some();
    if !valid {
        return link_expired(&ctx, "password reset", ("/reset", "Ask for a new link"));
    }
    render(&ResetPage {
        layout: ctx.layout("Choose a new password"),
        token: query.token.clone(),
        errors: FieldErrors::new(),
    })
}

#[derive(Debug, serde::Deserialize)]
struct ResetForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

async fn reset(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<ResetForm>,
) -> Result<HttpResponse, AppError> {
    let mut errors = FieldErrors::new();
    let password = Password::parse(&form.password)
        .map_err(|e| errors.add("password", e))
        .ok();
    if password.is_some() && form.password != form.password_confirm {
        errors.add("password_confirm", "The two passwords differ.");
    }
    let Some(password) = password.filter(|_| errors.is_empty()) else {
        return render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ResetPage {
                layout: ctx.layout("Choose a new password"),
                token: form.token,
                errors,
            },
        );
    };
    let new_hash = web::block(move || auth::hash_password(&password))
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("hashing task: {e}")))??;
    let hash = auth::token_hash(&form.token);
    let now = ctx.now;
    let done = db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            let Some(user) = tokens::consume(c, &hash, tokens::TokenPurpose::ResetPassword, now)?
            else {
                return Ok::<_, DbError>(false);
            };
            users::set_password_hash(c, &user, &new_hash)?;
            tokens::invalidate_all(c, &user, tokens::TokenPurpose::ResetPassword, now)?;
            // The link arrived by email, which proves the address.
            users::mark_confirmed(c, &user, now)?;
            let email = users::find(c, &user)?.map(|u| u.email).unwrap_or_default();
            throttle::clear_account(c, &email)?;
            // Whoever held a session (perhaps the reason for the reset) is signed out.
            sessions::delete_all_for_user(c, &user)?;
            Ok(true)
        })
    })
    .await?;
    if !done {
        return link_expired(&ctx, "password reset", ("/reset", "Ask for a new link"));
    }
    sign_out(&ctx.session);
    // The session was just purged, so a flash message would be lost: the sign-in page says
    // it from its address instead.
    Ok(see_other("/signin?changed=password"))
}
