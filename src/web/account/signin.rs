//! Signing in (the same answer for an unknown address and a wrong password) and signing out.
//! Throttling never lets a stranger lock the owner out (`auth::signin_gate`): delays grow per
//! (account, client address), and many addresses failing on one account hold back only
//! addresses that account never signed in from. Signing in creates a server-side session;
//! signing out deletes it. Registering and resetting a password live beside this file.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::Duration;

use super::register::queue_confirmation;
use super::return_to::local_path;
use super::visitor::{client_address, visitor_email_limits};
use crate::auth;
use crate::auth::SigninGate;
use crate::db::{self, sessions, throttle, tokens, users};
use crate::domain::account::Email;
use crate::web::error::AppError;
use crate::web::extract::{
    CsrfForm, NoFields, PageCtx, session_token_hash, set_flash, sign_in, sign_out,
};
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
    /// The session token for the cookie.
    SignedIn(String),
    Unconfirmed,
    Wrong,
    Throttled(u32),
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
    let address = client_address(&req, ctx.state.config.server.trust_forwarded_for);
    let user_agent = auth::user_agent_summary(
        req.headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or(""),
    );
    let mail = ctx.state.mail_context(&ctx.settings.short_name);
    let password = form.password;
    let limits = sessions::SessionLimits::from_settings(&security);
    let outcome = db::run(&ctx.state.pool, move |c| {
        let account = email.as_str();
        let user = users::find_by_email(c, &email)?;
        let known = match &user {
            Some(u) => {
                throttle::is_known_address(c, &u.user_id(), &auth::address_hash(&u.id, &address))?
            }
            None => false,
        };
        let counts = throttle::signin_counts(c, account, &address, window_start)?;
        if let SigninGate::Wait(secs) = auth::signin_gate(&counts, known, &security, now) {
            return Ok::<_, AppError>(SigninOutcome::Throttled(secs));
        }
        let matches = match &user {
            Some(u) => auth::verify_password(&password, &u.password_hash),
            None => {
                auth::verify_against_dummy(&password);
                false
            }
        };
        match user {
            Some(u) if matches && u.is_confirmed() => {
                let (token, hash) = auth::new_session_token();
                db::transaction(c, |c| {
                    throttle::clear_pair(c, account, &address)?;
                    sessions::create(c, &hash, &u.user_id(), &user_agent, now)?;
                    throttle::remember_address(
                        c,
                        &u.user_id(),
                        &auth::address_hash(&u.id, &address),
                        now,
                    )
                })?;
                // Expired sessions of anyone go here: signing in is frequent enough to keep
                // the table small and rare enough to cost nothing.
                sessions::sweep(c, now, limits)?;
                Ok(SigninOutcome::SignedIn(token))
            }
            Some(u) if matches => {
                // Resend at most one confirmation link per ten minutes, within the hourly
                // limits on emails a visitor can trigger.
                if !tokens::created_since(
                    c,
                    &u.user_id(),
                    tokens::TokenPurpose::ConfirmEmail,
                    now - Duration::minutes(10),
                )? {
                    db::transaction(c, |c| {
                        if throttle::take_email_allowance(
                            c,
                            &visitor_email_limits(&security, "confirm", account, &address),
                            now - Duration::hours(1),
                            now,
                        )? {
                            queue_confirmation(
                                c,
                                &mail,
                                &u.user_id(),
                                &email,
                                &u.name,
                                security.confirm_link_hours,
                                now,
                            )?;
                        }
                        Ok::<_, AppError>(())
                    })?;
                }
                Ok(SigninOutcome::Unconfirmed)
            }
            _ => {
                throttle::record_signin_failure(c, account, &address, now)?;
                Ok(SigninOutcome::Wrong)
            }
        }
    })
    .await?;
    match outcome {
        SigninOutcome::SignedIn(token) => {
            sign_in(&ctx.session, &token)?;
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
        SigninOutcome::Throttled(secs) => refuse(
            &ctx,
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "Too many failed sign-in attempts. Wait {} and try again, or reset your password.",
                wait_text(secs)
            ),
        ),
    }
}

/// "40 seconds", "3 minutes".
fn wait_text(secs: u32) -> String {
    match secs {
        0..=1 => "a second".into(),
        2..=90 => format!("{secs} seconds"),
        _ => format!("{} minutes", secs.div_ceil(60)),
    }
}

async fn signout(ctx: PageCtx, _form: CsrfForm<NoFields>) -> Result<HttpResponse, AppError> {
    if let Some(hash) = session_token_hash(&ctx.session) {
        db::run(&ctx.state.pool, move |c| {
            sessions::delete_by_token_hash(c, &hash).map_err(crate::db::DbError::from)
        })
        .await?;
    }
    sign_out(&ctx.session);
    Ok(see_other("/"))
}
