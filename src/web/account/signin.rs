//! Signing in (throttled per account and per client address, the same answer for an unknown
//! address and a wrong password) and signing out. Registering and resetting a password live
//! beside this file.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::Duration;

use super::register::queue_confirmation;
use super::return_to::local_path;
use crate::auth;
use crate::db::{self, throttle, tokens, users};
use crate::domain::account::Email;
use crate::domain::ids::UserId;
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, NoFields, PageCtx, set_flash, sign_in, sign_out};
use crate::web::{Layout, render, render_status, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/signin", web::get().to(signin_form))
        .route("/signin", web::post().to(signin))
        .route("/signout", web::post().to(signout));
}

#[derive(Debug, Default, serde::Deserialize)]
struct SigninForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    /// The page to return to (see `return_to`).
    #[serde(default)]
    next: String,
}

#[derive(Debug, Default, serde::Deserialize)]
struct SigninQuery {
    #[serde(default)]
    next: String,
    /// "password" after a password reset, to say it worked.
    #[serde(default)]
    changed: String,
}

#[derive(Template)]
#[template(path = "account/signin.html")]
struct SigninPage {
    layout: Layout,
    email: String,
    error: Option<String>,
    /// A confirmation to show above the form (after a password reset).
    notice: &'static str,
    /// A local path to go to after signing in; empty for the home page.
    next: String,
}

async fn signin_form(
    ctx: PageCtx,
    query: web::Query<SigninQuery>,
) -> Result<HttpResponse, AppError> {
    let next = local_path(&query.next).unwrap_or_default();
    if ctx.is_signed_in() {
        return Ok(see_other(if next.is_empty() { "/" } else { &next }));
    }
    render(&SigninPage {
        layout: ctx.layout("Sign in"),
        email: String::new(),
        error: None,
        notice: if query.changed == "password" {
            "Your password has been changed. Sign in with the new one."
        } else {
            ""
        },
        next,
    })
}

/// The outcome of checking credentials.
enum SigninOutcome {
    SignedIn(UserId),
    Unconfirmed,
    Wrong,
    Throttled,
}

async fn signin(
    req: HttpRequest,
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<SigninForm>,
) -> Result<HttpResponse, AppError> {
    let email_raw: String = form.email.trim().chars().take(Email::MAX_LEN).collect();
    let next = local_path(&form.next).unwrap_or_default();
    let refuse = |ctx: &PageCtx, status, error: String| {
        render_status(
            status,
            &SigninPage {
                layout: ctx.layout("Sign in"),
                email: email_raw.clone(),
                error: Some(error),
                notice: "",
                next: next.clone(),
            },
        )
    };
    let Ok(email) = Email::parse(&form.email) else {
        return refuse(
            &ctx,
            StatusCode::UNAUTHORIZED,
            "The email address or password is incorrect.".into(),
        );
    };
    let security = ctx.state.config.security.clone();
    let now = ctx.now;
    let window_start = now - Duration::minutes(i64::from(security.throttle_window_minutes));
    let account_key = format!("account:{}", email.as_str());
    let address_key = format!(
        "address:{}",
        client_address(&req, ctx.state.config.server.trust_forwarded_for)
    );
    let mail = ctx.state.mail_context(&ctx.settings.short_name);
    let password = form.password;
    let outcome = db::run(&ctx.state.pool, move |c| {
        let throttled = throttle::failures_since(c, &account_key, window_start)?
            >= i64::from(security.max_failed_signins_per_account)
            || throttle::failures_since(c, &address_key, window_start)?
                >= i64::from(security.max_failed_signins_per_address);
        if throttled {
            return Ok::<_, AppError>(SigninOutcome::Throttled);
        }
        let user = users::find_by_email(c, &email)?;
        let matches = match &user {
            Some(u) => auth::verify_password(&password, &u.password_hash),
            None => {
                auth::verify_against_dummy(&password);
                false
            }
        };
        match user {
            Some(u) if matches && u.is_confirmed() => {
                throttle::clear(c, &account_key)?;
                Ok(SigninOutcome::SignedIn(u.user_id()))
            }
            Some(u) if matches => {
                // Resend at most one confirmation link per ten minutes.
                if !tokens::created_since(
                    c,
                    &u.user_id(),
                    tokens::TokenPurpose::ConfirmEmail,
                    now - Duration::minutes(10),
                )? {
                    db::transaction(c, |c| {
                        queue_confirmation(
                            c,
                            &mail,
                            &u.user_id(),
                            &email,
                            &u.name,
                            security.confirm_link_hours,
                            now,
                        )
                    })?;
                }
                Ok(SigninOutcome::Unconfirmed)
            }
            _ => {
                throttle::record_failure(c, &account_key, now)?;
                throttle::record_failure(c, &address_key, now)?;
                Ok(SigninOutcome::Wrong)
            }
        }
    })
    .await?;
    match outcome {
        SigninOutcome::SignedIn(id) => {
            sign_in(&ctx.session, &id)?;
            set_flash(&ctx.session, "You are signed in.");
            Ok(see_other(if next.is_empty() { "/" } else { &next }))
        }
        SigninOutcome::Unconfirmed => refuse(
            &ctx,
            StatusCode::FORBIDDEN,
            "Please confirm your email address first: we have sent you a new confirmation link."
                .into(),
        ),
        SigninOutcome::Wrong => refuse(
            &ctx,
            StatusCode::UNAUTHORIZED,
            "The email address or password is incorrect.".into(),
        ),
        SigninOutcome::Throttled => refuse(
            &ctx,
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "Too many failed sign-in attempts. Wait {} minutes and try again, or reset your password.",
                ctx.state.config.security.throttle_window_minutes
            ),
        ),
    }
}

/// The client's address for throttling: the TCP peer, or the proxy's forwarded address when
/// the deployment says a trusted proxy sets it.
fn client_address(req: &HttpRequest, trust_forwarded_for: bool) -> String {
    if trust_forwarded_for && let Some(ip) = req.connection_info().realip_remote_addr() {
        return ip.to_string();
    }
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default()
}

async fn signout(ctx: PageCtx, _form: CsrfForm<NoFields>) -> Result<HttpResponse, AppError> {
    sign_out(&ctx.session);
    Ok(see_other("/"))
}
