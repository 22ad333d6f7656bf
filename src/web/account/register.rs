//! Registering an account and confirming its email address. The page says the same whether
//! or not the address is registered; its owner learns the rest by email.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::Duration;

use crate::auth;
use crate::db::{self, DbError, outbox, throttle, tokens, users};
use crate::domain::FieldErrors;
use crate::domain::account::{Email, NewAccount, RegistrationForm};
use crate::domain::ids::UserId;
use crate::mail::messages;
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, set_flash};
use crate::web::{Layout, render, render_status, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/register", web::get().to(register_form))
        .route("/register", web::post().to(register))
        .route("/confirm", web::get().to(confirm));
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
    req: actix_web::HttpRequest,
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
    let security = ctx.state.config.security.clone();
    let client = super::visitor::client_address(&req, ctx.state.config.server.trust_forwarded_for);
    db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            // Beyond the limits on visitor-triggered emails nothing is sent and the page says
            // the same; a new account can still get its link later by signing in.
            let limits = super::visitor::visitor_email_limits(
                &security,
                "register",
                account.email.as_str(),
                &client,
            );
            let may_send =
                throttle::take_email_allowance(c, &limits, now - Duration::hours(1), now)?;
            if let Some(existing) = users::find_by_email(c, &account.email)? {
                if !may_send {
                    return Ok(());
                }
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
            if !may_send {
                return Ok(());
            }
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
pub(super) fn queue_confirmation(
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
pub(super) struct TokenQuery {
    #[serde(default)]
    pub(super) token: String,
}

pub(super) fn link_expired(
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
