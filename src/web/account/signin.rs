//! Accounts: register, confirm the email address, sign in and out, reset a forgotten
//! password. No answer reveals whether an address is registered: the pages say the same
//! either way and the address's owner learns the rest by email.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::Duration;

use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, NoFields, PageCtx, set_flash, sign_in, sign_out};
use crate::web::{Layout, render, render_status, see_other};
use crate::auth;
use crate::db::{self, DbError, outbox, throttle, tokens, users};
use crate::domain::FieldErrors;
use crate::domain::account::{Email, NewAccount, Password, RegistrationForm};
use crate::domain::ids::UserId;
use crate::mail::messages;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/register", web::get().to(register_form))
        .route("/register", web::post().to(register))
        .route("/confirm", web::get().to(confirm))
        .route("/signin", web::get().to(signin_form))
        .route("/signin", web::post().to(signin))
        .route("/signout", web::post().to(signout))
        .route("/reset", web::get().to(reset_request_form))
        .route("/reset", web::post().to(reset_request))
        .route("/reset/confirm", web::get().to(reset_form))
        .route("/reset/confirm", web::post().to(reset));
}

/// A page with a heading, a paragraph and an optional link onwards.
#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub layout: Layout,
    pub heading: String,
    pub text: String,
    pub link: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "account/register.html")]
struct RegisterPage {
    layout: Layout,
    form: RegistrationForm,
    errors: FieldErrors,
}

async fn register_form(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    render(&RegisterPage {
        layout: ctx.layout("Create an account"),
        form: RegistrationForm::default(),
        errors: FieldErrors::new(),
    })
}

async fn register(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<RegistrationForm>,
) -> Result<HttpResponse, AppError> {
    let account = match NewAccount::try_from(&form) {
        Ok(account) => account,
        Err(errors) => {
            let form = RegistrationForm {
                password: String::new(),
                password_confirm: String::new(),
                ..form
            };
            return render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &RegisterPage {
                    layout: ctx.layout("Create an account"),
                    form,
                    errors,
                },
            );
        }
    };
    let hash = web::block(move || auth::hash_password(&account.password).map(|h| (account, h)))
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("hashing task: {e}")))??;
    let (account, password_hash) = hash;
    let now = ctx.now;
    let mail = ctx.state.mail_context(&ctx.settings.short_name);
    let hours = ctx.state.config.security.confirm_link_hours;
    let email = account.email.clone();
    db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            if let Some(existing) = users::find_by_email(c, &account.email)? {
                let period = now.timestamp() / 3600;
                let message =
                    messages::already_registered(&mail, &account.email, &existing.name, period)?;
                outbox::enqueue(c, &message, now)?;
                return Ok(());
            }
            let id = UserId::generate();
            users::insert(
                c,
                &users::NewUserRow {
                    id: id.as_str(),
                    email: account.email.as_str(),
                    name: &account.name,
                    affiliation: &account.affiliation,
                    password_hash: &password_hash,
                    email_confirmed_at: None,
                    is_chair: false,
                    created_at: db::to_db(now),
                },
            )?;
            queue_confirmation(c, &mail, &id, &account.email, &account.name, hours, now)
        })
    })
    .await?;
    tracing::info!("registration accepted");
    render(&MessagePage {
        layout: ctx.layout("Check your email"),
        heading: "Check your email".into(),
        text: format!(
            "We sent a link to {email}. Open it to confirm your address, then sign in. \
             If nothing arrives within a few minutes, look in your spam folder."
        ),
        link: Some(("/signin".into(), "Go to sign in".into())),
    })
}

/// Creates a confirmation token and queues its email, in the caller's transaction.
fn queue_confirmation(
    c: &mut db::AnyConnection,
    mail: &messages::MailContext,
    user: &UserId,
    email: &Email,
    name: &str,
    hours: u32,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    let (token, hash) = auth::new_token();
    tokens::insert(
        c,
        &hash,
        user,
        tokens::TokenPurpose::ConfirmEmail,
        now + Duration::hours(i64::from(hours)),
        now,
    )?;
    outbox::enqueue(
        c,
        &messages::confirm_email(mail, email, name, &token, &hash, hours)?,
        now,
    )?;
    Ok(())
}

#[derive(serde::Deserialize)]
struct TokenQuery {
    #[serde(default)]
    token: String,
}

fn link_expired(
    ctx: &PageCtx,
    what: &str,
    onwards: (&str, &str),
) -> Result<HttpResponse, AppError> {
    render_status(
        StatusCode::BAD_REQUEST,
        &MessagePage {
            layout: ctx.layout("Link expired"),
            heading: "This link no longer works".into(),
            text: format!(
                "The {what} link has expired or was already used. Links work once and for a limited time."
            ),
            link: Some((onwards.0.into(), onwards.1.into())),
        },
    )
}

async fn confirm(ctx: PageCtx, query: web::Query<TokenQuery>) -> Result<HttpResponse, AppError> {
    let hash = auth::token_hash(&query.token);
    let now = ctx.now;
    let confirmed = db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            let Some(user) = tokens::consume(c, &hash, tokens::TokenPurpose::ConfirmEmail, now)?
            else {
                return Ok::<_, DbError>(false);
            };
            users::mark_confirmed(c, &user, now)?;
            Ok(true)
        })
    })
    .await?;
    if !confirmed {
        return link_expired(
            &ctx,
            "confirmation",
            ("/signin", "Sign in to get a new link"),
        );
    }
    set_flash(
        &ctx.session,
        "Your email address is confirmed. You can sign in now.",
    );
    Ok(see_other("/signin"))
}

#[derive(Debug, Default, serde::Deserialize)]
struct SigninForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

#[derive(Template)]
#[template(path = "account/signin.html")]
struct SigninPage {
    layout: Layout,
    email: String,
    error: Option<String>,
}

async fn signin_form(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    if ctx.is_signed_in() {
        return Ok(see_other("/"));
    }
    render(&SigninPage {
        layout: ctx.layout("Sign in"),
        email: String::new(),
        error: None,
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
    let refuse = |ctx: &PageCtx, status, error: String| {
        render_status(
            status,
            &SigninPage {
                layout: ctx.layout("Sign in"),
                email: email_raw.clone(),
                error: Some(error),
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
            Ok(see_other("/"))
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
    db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            let Some(user) = users::find_by_email(c, &email)? else {
                return Ok::<_, AppError>(());
            };
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
            throttle::clear(c, &format!("account:{email}"))?;
            Ok(true)
        })
    })
    .await?;
    if !done {
        return link_expired(&ctx, "password reset", ("/reset", "Ask for a new link"));
    }
    sign_out(&ctx.session);
    set_flash(
        &ctx.session,
        "Your password has been changed. Sign in with the new one.",
    );
    Ok(see_other("/signin"))
}
