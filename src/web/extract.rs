//! Request extractors: the page context (who is asking, the conference settings, the CSRF
//! token, a one-time flash message) and `CsrfForm`, the only way handlers read a form, which
//! refuses any form without this session's CSRF token.
//!
//! Who is signed in is never stored in the cookie: it holds a random session token, looked up
//! (by its hash) in the `sessions` table on every request, so ending a session server-side
//! (sign-out, password reset, "sign out everywhere", expiry) takes effect at the next request,
//! and so does a change of the account's rights (a chair removed).

use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use futures_util::future::LocalBoxFuture;
use rand::RngCore;
use serde::de::DeserializeOwned;

use super::AppState;
use super::error::AppError;
use crate::auth;
use crate::auth::constant_time_eq;
use crate::db::data_version::{PaperStamp, Stamp};
use crate::db::sessions::{self, SessionLimits};
use crate::db::{self, DbError};
use crate::domain::conference::ConferenceSettings;
use crate::policy::Actor;

const SESSION_TOKEN_KEY: &str = "sid";
const CSRF_KEY: &str = "csrf";
const FLASH_KEY: &str = "flash";

/// Everything a page needs to know about the request, loaded in one database round trip.
pub struct PageCtx {
    pub actor: Actor,
    /// The public id of the signed-in session (to mark "this browser" in the session list).
    pub session_id: Option<String>,
    pub settings: ConferenceSettings,
    pub settings_version: i32,
    /// When decisions were released (read with the session: pages that follow the release
    /// need no query of their own).
    pub released_at: Option<DateTime<Utc>>,
    /// The version of the paper the path names (its `{number}`), read with the session, for
    /// pages kept per paper in memory (`db::data_version::Kept`).
    pub paper: Option<PaperStamp>,
    /// The signed-in person's version, read with the session, for their own lists kept in
    /// memory.
    pub viewer: Option<Stamp>,
    pub csrf: String,
    pub flash: Option<String>,
    pub now: DateTime<Utc>,
    pub session: Session,
    pub state: web::Data<AppState>,
}

impl PageCtx {
    /// The version of paper `number`, when the request's path names that paper.
    pub fn paper_stamp(&self, number: i32) -> Option<Stamp> {
        self.paper
            .as_ref()
            .filter(|paper| paper.number == number)
            .map(|paper| paper.stamp.clone())
    }

    /// The version of the signed-in person `email`.
    pub fn viewer_stamp(&self, email: &str) -> Option<Stamp> {
        self.viewer.clone().filter(|stamp| stamp.key == email)
    }
}

fn state_of(req: &HttpRequest) -> Result<web::Data<AppState>, AppError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("application state missing")))
}

/// The session's CSRF token, created on first use.
pub fn csrf_token(session: &Session) -> Result<String, AppError> {
    if let Ok(Some(token)) = session.get::<String>(CSRF_KEY) {
        return Ok(token);
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    session
        .insert(CSRF_KEY, &token)
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("session: {e}")))?;
    Ok(token)
}

/// Leaves a message for the next page the visitor sees.
pub fn set_flash(session: &Session, message: &str) {
    let _ = session.insert(FLASH_KEY, message);
}

/// Signs a person in: a fresh cookie (against fixation) holding the token of the session row
/// the caller created.
pub fn sign_in(session: &Session, token: &str) -> Result<(), AppError> {
    session.renew();
    session.remove(CSRF_KEY);
    session
        .insert(SESSION_TOKEN_KEY, token)
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("session: {e}")))
}

/// The hash of this browser's session token, if it holds one.
pub fn session_token_hash(session: &Session) -> Option<String> {
    session
        .get::<String>(SESSION_TOKEN_KEY)
        .ok()
        .flatten()
        .map(|token| auth::token_hash(&token))
}

/// Forgets everything the cookie held. The caller deletes the session row.
pub fn sign_out(session: &Session) {
    session.purge();
}

impl FromRequest for PageCtx {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<PageCtx, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = state_of(req);
        let session = req.get_session();
        let paper = req
            .match_info()
            .get("number")
            .and_then(|n| n.parse::<i32>().ok());
        Box::pin(async move {
            let state = state?;
            let token_hash = session_token_hash(&session);
            let lookup = token_hash.clone();
            let now = state.clock.now();
            let limits = SessionLimits::from_settings(&state.config.security);
            let cache = state.clone();
            let (facts, settings) = db::run(&state.pool, move |c| {
                let facts = sessions::lookup_for_request(c, lookup.as_deref(), paper, now, limits)?;
                let settings = cache
                    .settings_cache
                    .settings_at(c, facts.settings_version)?;
                Ok::<_, DbError>((facts, settings))
            })
            .await?;
            let (actor, session_id) = match facts.session {
                Some((row, user)) if user.is_confirmed() => {
                    (Actor::Member(user.to_member()), Some(row.id))
                }
                _ => {
                    if token_hash.is_some() {
                        session.remove(SESSION_TOKEN_KEY);
                    }
                    (Actor::Anonymous, None)
                }
            };
            let csrf = csrf_token(&session)?;
            let flash = session.remove_as::<String>(FLASH_KEY).and_then(Result::ok);
            Ok(PageCtx {
                actor,
                session_id,
                settings: ConferenceSettings::clone(&settings.1),
                settings_version: settings.0,
                released_at: facts.released_at,
                paper: facts.paper,
                viewer: facts.viewer,
                csrf,
                flash,
                now,
                session,
                state,
            })
        })
    }
}

/// A url-encoded form whose `csrf` field matched the session's token.
pub struct CsrfForm<T>(pub T);

#[derive(serde::Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

/// For forms that carry nothing but the CSRF token (sign out, buttons).
#[derive(Debug, serde::Deserialize)]
pub struct NoFields {}

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<CsrfForm<T>, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let bytes = body.await.map_err(|e| {
                if e.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::TooLarge
                } else {
                    AppError::BadRequest("The form could not be read.".into())
                }
            })?;
            let sent: CsrfField = serde_urlencoded::from_bytes(&bytes)
                .map_err(|_| AppError::BadRequest("The form could not be read.".into()))?;
            let expected = session
                .get::<String>(CSRF_KEY)
                .ok()
                .flatten()
                .unwrap_or_default();
            if expected.is_empty() || !constant_time_eq(expected.as_bytes(), sent.csrf.as_bytes()) {
                return Err(AppError::Forbidden(
                    "This form has expired or did not come from this site. Go back, reload the page and try again.".into(),
                ));
            }
            serde_urlencoded::from_bytes::<T>(&bytes)
                .map(CsrfForm)
                .map_err(|e| AppError::BadRequest(format!("The form could not be read: {e}.")))
        })
    }
}

/// Whether the session belongs to someone who signed in (not checked against the database:
/// for choosing between a shared cacheable page and a personal one).
pub fn has_signed_in_user(session: &Session) -> bool {
    session_token_hash(session).is_some()
}
