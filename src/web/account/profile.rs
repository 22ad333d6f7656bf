//! The signed-in person's account page: name and affiliation, a change of email address
//! (current password asked; confirmed by a link sent to the new address, the old address
//! told when it is asked for and when it is done), a change of password (current password
//! asked; every other browser signed out; the owner told by email), and a link to the list of
//! signed-in browsers (`sessions`). Template: `templates/account/account.html`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::Duration;

use super::register::{MessagePage, TokenQuery, link_expired};
use crate::auth;
use crate::db::{self, DbError, email_changes, outbox, sessions, users};
use crate::domain::account::{AFFILIATION_MAX, Email, NAME_MAX, Password};
use crate::domain::ids::UserId;
use crate::domain::{FieldErrors, bounded_text};
use crate::mail::account as account_mail;
use crate::policy;
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, set_flash};
use crate::web::{Layout, render, render_status, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/account", web::get().to(account_page))
        .route("/account/profile", web::post().to(save_profile))
        .route("/account/email", web::post().to(ask_email_change))
        .route("/account/email/confirm", web::get().to(confirm_email_form))
        .route(
            "/account/email/confirm",
            web::post().to(confirm_email_change),
        )
        .route("/account/password", web::post().to(change_password));
}

/// The page's forms as typed (values kept when one is refused).
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
struct AccountForm {
    name: String,
    affiliation: String,
    new_email: String,
    /// The current password, for an email or password change.
    current_password: String,
    password: String,
    password_confirm: String,
}

#[derive(Template)]
#[template(path = "account/account.html")]
struct AccountPage {
    layout: Layout,
    email: String,
    form: AccountForm,
    errors: FieldErrors,
    /// A change of address waiting for its link to be opened.
    pending: String,
}

async fn show(
    ctx: &PageCtx,
    status: StatusCode,
    form: Option<AccountForm>,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let member = policy::perm_signed_in(&ctx.actor)?.clone();
    let now = ctx.now;
    let id = member.id.clone();
    let (user, pending) = db::run(&ctx.state.pool, move |c| {
        Ok::<_, DbError>((users::find(c, &id)?, pending_change(c, &id, now)?))
    })
    .await?;
    let user = user.ok_or(AppError::NotFound)?;
    let mut form = form.unwrap_or_default();
    if form.name.is_empty() && form.affiliation.is_empty() {
        form.name = user.name.clone();
        form.affiliation = user.affiliation.clone();
    }
    // Passwords are never sent back.
    form.current_password.clear();
    form.password.clear();
    form.password_confirm.clear();
    render_status(
        status,
        &AccountPage {
            layout: ctx.layout("Your account"),
            email: user.email,
            form,
            errors,
            pending: pending.unwrap_or_default(),
        },
    )
}

fn pending_change(
    c: &mut db::AnyConnection,
    user: &UserId,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<String>, DbError> {
    use crate::db::schema::email_changes as ec;
    use diesel::prelude::*;
    Ok(ec::table
        .filter(ec::user_id.eq(user.as_str()))
        .filter(ec::used_at.is_null())
        .filter(ec::expires_at.gt(db::to_db(now)))
        .order(ec::created_at.desc())
        .select(ec::new_email)
        .first::<String>(c)
        .optional()?)
}

async fn account_page(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    show(&ctx, StatusCode::OK, None, FieldErrors::new()).await
}

async fn save_profile(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<AccountForm>,
) -> Result<HttpResponse, AppError> {
    let member = policy::perm_signed_in(&ctx.actor)?.clone();
    let mut errors = FieldErrors::new();
    let name = bounded_text(&mut errors, "name", "Name", &form.name, 1, NAME_MAX);
    let affiliation = bounded_text(
        &mut errors,
        "affiliation",
        "Affiliation",
        &form.affiliation,
        1,
        AFFILIATION_MAX,
    );
    if !errors.is_empty() {
        return show(&ctx, StatusCode::UNPROCESSABLE_ENTITY, Some(form), errors).await;
    }
    db::run(&ctx.state.pool, move |c| {
        Ok::<_, DbError>(email_changes::set_profile(
            c,
            &member.id,
            &name,
            &affiliation,
        )?)
    })
    .await?;
    set_flash(
        &ctx.session,
        "Saved. Your name and affiliation on submissions you already made are kept as they were typed there.",
    );
    Ok(see_other("/account"))
}

/// Checks the typed current password against the account's; false also when the account is
/// gone.
async fn current_password_ok(ctx: &PageCtx, id: &UserId, typed: &str) -> Result<bool, AppError> {
    let id = id.clone();
    let user = db::run(&ctx.state.pool, move |c| {
        Ok::<_, DbError>(users::find(c, &id)?)
    })
    .await?;
    let typed = typed.to_string();
    let ok =
        web::block(move || user.is_some_and(|u| auth::verify_password(&typed, &u.password_hash)))
            .await
            .map_err(|e| AppError::Unexpected(anyhow::anyhow!("password check: {e}")))?;
    Ok(ok)
}

async fn ask_email_change(
    req: actix_web::HttpRequest,
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<AccountForm>,
) -> Result<HttpResponse, AppError> {
    let member = policy::perm_signed_in(&ctx.actor)?.clone();
    let mut errors = FieldErrors::new();
    let new_email = Email::parse(&form.new_email)
        .map_err(|e| errors.add("new_email", e))
        .ok();
    if new_email.as_ref() == Some(&member.email) {
        errors.add("new_email", "That is already your address.");
    }
    if !current_password_ok(&ctx, &member.id, &form.current_password).await? {
        errors.add(
            "current_password",
            "That is not your current password: nothing was changed.",
        );
    }
    let Some(new_email) = new_email.filter(|_| errors.is_empty()) else {
        return show(&ctx, StatusCode::UNPROCESSABLE_ENTITY, Some(form), errors).await;
    };
    let now = ctx.now;
    let hours = ctx.state.config.security.confirm_link_hours;
    let mail = ctx.state.mail_context(&ctx.settings.short_name);
    let shown = new_email.clone();
    let old_email = member.email.clone();
    let security = ctx.state.config.security.clone();
    let client = super::visitor::client_address(&req, ctx.state.config.server.trust_forwarded_for);
    db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            // The same limits as every email a visitor can have sent to an address.
            let limits = super::visitor::visitor_email_limits(
                &security,
                "email-change",
                new_email.as_str(),
                &client,
            );
            if !crate::db::throttle::take_email_allowance(
                c,
                &limits,
                now - Duration::hours(1),
                now,
            )? {
                tracing::info!("email change link not sent: rate limit");
                return Ok::<_, AppError>(());
            }
            // An address that already names someone is not taken over; the page says the
            // same either way, so it does not reveal who has an account.
            if email_changes::address_in_use(c, new_email.as_str())? {
                tracing::info!("email change not offered: address in use");
                return Ok(());
            }
            let (token, hash) = auth::new_token();
            email_changes::insert(
                c,
                &hash,
                &member.id,
                new_email.as_str(),
                now + Duration::hours(i64::from(hours)),
                now,
            )?;
            outbox::enqueue(
                c,
                &account_mail::email_change_confirm(
                    &mail,
                    &new_email,
                    &member.name,
                    &token,
                    &hash,
                    hours,
                )?,
                now,
            )?;
            outbox::enqueue(
                c,
                &account_mail::email_change_notice(
                    &mail,
                    &member.email,
                    &member.name,
                    new_email.as_str(),
                    false,
                    &hash,
                )?,
                now,
            )?;
            Ok(())
        })
    })
    .await?;
    set_flash(
        &ctx.session,
        &format!(
            "Check {shown}: open the link we sent there within {hours} hours to make it your address. Until then you sign in with {}; we told that address too. (If {shown} already belongs to someone here, nothing is sent.)",
            old_email.as_str()
        ),
    );
    Ok(see_other("/account"))
}

#[derive(Template)]
#[template(path = "account/email_confirm.html")]
struct ConfirmPage {
    layout: Layout,
    token: String,
    new_email: String,
}

async fn confirm_email_form(
    ctx: PageCtx,
    query: web::Query<TokenQuery>,
) -> Result<HttpResponse, AppError> {
    let hash = auth::token_hash(&query.token);
    let now = ctx.now;
    let found = db::run(&ctx.state.pool, move |c| {
        Ok::<_, DbError>(email_changes::peek(c, &hash, now)?)
    })
    .await?;
    let Some((_, new_email)) = found else {
        return link_expired(&ctx, "email change", ("/account", "Your account"));
    };
    render(&ConfirmPage {
        layout: ctx.layout("Confirm your new email address"),
        token: query.token.clone(),
        new_email,
    })
}

#[derive(Debug, serde::Deserialize)]
struct ConfirmForm {
    #[serde(default)]
    token: String,
}

async fn confirm_email_change(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let hash = auth::token_hash(&form.token);
    let now = ctx.now;
    let mail = ctx.state.mail_context(&ctx.settings.short_name);
    enum Outcome {
        Expired,
        Taken,
        Done(String),
    }
    let outcome = db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            let Some((user_id, new_email)) = email_changes::consume(c, &hash, now)? else {
                return Ok::<_, AppError>(Outcome::Expired);
            };
            let id = UserId::from_db(user_id);
            let Some(user) = users::find(c, &id)? else {
                return Ok(Outcome::Expired);
            };
            if email_changes::address_in_use(c, &new_email)? {
                return Ok(Outcome::Taken);
            }
            email_changes::apply(c, &id, &user.email, &new_email)?;
            crate::db::audit::record(c, Some(&id), "account.email_changed", "account", "", now)?;
            if let Ok(old) = Email::parse(&user.email) {
                outbox::enqueue(
                    c,
                    &account_mail::email_change_notice(
                        &mail, &old, &user.name, &new_email, true, &hash,
                    )?,
                    now,
                )?;
            }
            Ok(Outcome::Done(new_email))
        })
    })
    .await?;
    match outcome {
        Outcome::Expired => link_expired(&ctx, "email change", ("/account", "Your account")),
        Outcome::Taken => render_status(
            StatusCode::CONFLICT,
            &MessagePage {
                layout: ctx.layout("Address not changed"),
                heading: "This address is already in use".into(),
                text: "Meanwhile this address came to name someone else here, so your account keeps its old address. Ask the chairs if you need the two merged.".into(),
                link: Some(("/account".into(), "Your account".into())),
            },
        ),
        Outcome::Done(new_email) => render(&MessagePage {
            layout: ctx.layout("Email address changed"),
            heading: "Your email address is changed".into(),
            text: format!(
                "From now on you sign in with {new_email}, and emails about your submissions and reviews go there."
            ),
            link: Some(("/account".into(), "Your account".into())),
        }),
    }
}

async fn change_password(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<AccountForm>,
) -> Result<HttpResponse, AppError> {
    let member = policy::perm_signed_in(&ctx.actor)?.clone();
    let mut errors = FieldErrors::new();
    if !current_password_ok(&ctx, &member.id, &form.current_password).await? {
        errors.add(
            "current_password_pw",
            "That is not your current password: nothing was changed.",
        );
    }
    let password = Password::parse(&form.password)
        .map_err(|e| errors.add("password", e))
        .ok();
    if password.is_some() && form.password != form.password_confirm {
        errors.add("password_confirm", "The two passwords differ.");
    }
    let Some(password) = password.filter(|_| errors.is_empty()) else {
        return show(&ctx, StatusCode::UNPROCESSABLE_ENTITY, Some(form), errors).await;
    };
    let hash = web::block(move || auth::hash_password(&password))
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("password hashing: {e}")))?
        .map_err(AppError::Unexpected)?;
    let now = ctx.now;
    let keep = ctx.session_id.clone().unwrap_or_default();
    let mail = ctx.state.mail_context(&ctx.settings.short_name);
    let ended = db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            users::set_password_hash(c, &member.id, &hash)?;
            let ended = sessions::delete_others_for_user(c, &member.id, &keep)?;
            crate::db::audit::record(
                c,
                Some(&member.id),
                "account.password_changed",
                "account",
                &format!("{ended} other sessions ended"),
                now,
            )?;
            let key = format!("{}:{}", member.id.as_str(), now.timestamp_millis());
            outbox::enqueue(
                c,
                &account_mail::password_changed(&mail, &member.email, &member.name, &key)?,
                now,
            )?;
            Ok::<_, AppError>(ended)
        })
    })
    .await?;
    set_flash(
        &ctx.session,
        &format!(
            "Your password is changed. {} signed out; this browser stays signed in.",
            match ended {
                0 => "No other browser was".to_string(),
                1 => "1 other browser was".to_string(),
                n => format!("{n} other browsers were"),
            }
        ),
    );
    Ok(see_other("/account"))
}
