//! What every public page of the outcome is built from: the released decisions, the stored
//! program and the settings, loaded in one round trip, the layout without a session, and the
//! cache headers. The HTML pages are the same for every signed-out visitor and cached as
//! such; a signed-in visitor gets the same content with their own navigation, never stored by
//! shared caches (`Vary: Cookie`, `private`).

use actix_session::SessionExt;
use actix_web::http::header::{self};
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{DateTime, Utc};

use crate::db::decisions::AcceptedPaper;
use crate::db::{self, DbError, conference, decisions};
use crate::domain::conference::{ConferenceSettings, format_in_zone};
use crate::domain::program::Program;
use crate::web::error::AppError;
use crate::web::extract::{PageCtx, has_signed_in_user};
use crate::web::{AppState, Layout};

/// How long browsers and proxies may keep a public page.
pub const PUBLIC_CACHE: &str = "public, max-age=300";

/// What every public page is built from, loaded in one round trip.
pub(super) struct PublicData {
    pub(super) settings: ConferenceSettings,
    /// When decisions were first released; nothing about decisions is shown before.
    pub(super) released_at: Option<DateTime<Utc>>,
    pub(super) papers: Vec<AcceptedPaper>,
    pub(super) program: Option<Program>,
}

impl PublicData {
    pub(super) fn release_date(&self) -> String {
        format_in_zone(self.settings.dates.decisions_release, self.settings.tz())
    }

    pub(super) fn layout(&self, title: &str) -> Layout {
        public_layout(title, &self.settings)
    }
}

/// The layout of a page that is the same for everyone: the conference's name, no user, no
/// CSRF token, no flash message.
pub fn public_layout(title: &str, settings: &ConferenceSettings) -> Layout {
    Layout {
        title: title.to_string(),
        site_name: settings.name.clone(),
        short_name: settings.short_name.clone(),
        user_name: None,
        is_chair: false,
        csrf: String::new(),
        flash: None,
    }
}

pub(super) async fn load_public(state: &web::Data<AppState>) -> Result<PublicData, AppError> {
    Ok(db::run(&state.pool, |c| {
        let settings = conference::load(c)?.settings;
        let released_at = decisions::released_at(c)?;
        let (papers, program) = if released_at.is_some() {
            (
                decisions::accepted_released(c)?,
                decisions::stored_program(c)?.map(|(p, _)| p),
            )
        } else {
            (Vec::new(), None)
        };
        Ok::<_, DbError>(PublicData {
            settings,
            released_at,
            papers,
            program,
        })
    })
    .await?)
}

pub(super) fn pdf_path(number: i32) -> String {
    format!("/accepted/{number}.pdf")
}

pub(super) fn cached(content_type: &str) -> actix_web::HttpResponseBuilder {
    let mut response = HttpResponse::Ok();
    response
        .insert_header((header::CONTENT_TYPE, content_type.to_string()))
        .insert_header((header::CACHE_CONTROL, PUBLIC_CACHE));
    response
}

/// How an HTML public page may be cached, and the layout it is shown in.
pub(super) struct Visitor {
    signed_in: Option<PageCtx>,
}

impl Visitor {
    /// Reads the session only when someone signed in; other visitors get no cookie here.
    pub(super) async fn of(req: &HttpRequest) -> Result<Visitor, AppError> {
        let signed_in = if has_signed_in_user(&req.get_session()) {
            Some(PageCtx::extract(req).await?)
        } else {
            None
        };
        Ok(Visitor { signed_in })
    }

    /// The signed-in visitor's own layout (navigation, name, sign-out), or the shared one.
    pub(super) fn layout(&self, title: &str, data: &PublicData) -> Layout {
        match &self.signed_in {
            Some(ctx) => ctx.layout(title),
            None => data.layout(title),
        }
    }

    /// Renders `page`: shared and cacheable for signed-out visitors, private otherwise.
    pub(super) fn render(&self, page: &impl Template) -> Result<HttpResponse, AppError> {
        let body = page
            .render()
            .map_err(|e| AppError::Unexpected(anyhow::anyhow!("template: {e}")))?;
        let mut response = if self.signed_in.is_some() {
            let mut r = HttpResponse::Ok();
            r.insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
                .insert_header((header::CACHE_CONTROL, "private, no-store"));
            r
        } else {
            cached("text/html; charset=utf-8")
        };
        Ok(response.insert_header((header::VARY, "Cookie")).body(body))
    }
}
