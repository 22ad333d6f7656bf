//! The base layout every page renders inside (site name, navigation, CSRF token, flash
//! message) and the helpers that turn a template into a response.

use actix_web::HttpResponse;
use actix_web::http::header::ContentType;
use askama::Template;

use crate::policy::{self, Actor};
use crate::web::error::AppError;
use crate::web::extract::PageCtx;

/// What the base layout shows around every page.
#[derive(Debug, Clone)]
pub struct Layout {
    pub title: String,
    pub site_name: String,
    pub short_name: String,
    pub user_name: Option<String>,
    pub is_chair: bool,
    pub csrf: String,
    pub flash: Option<String>,
}

impl Layout {
    /// A layout without a session (error pages).
    pub fn minimal(title: &str) -> Layout {
        Layout {
            title: title.to_string(),
            site_name: "cfp".into(),
            short_name: "cfp".into(),
            user_name: None,
            is_chair: false,
            csrf: String::new(),
            flash: None,
        }
    }
}

impl PageCtx {
    pub fn layout(&self, title: &str) -> Layout {
        Layout {
            title: title.to_string(),
            site_name: self.settings.name.clone(),
            short_name: self.settings.short_name.clone(),
            user_name: self.actor.member().map(|m| m.name.clone()),
            is_chair: policy::can_manage_conference(&self.actor),
            csrf: self.csrf.clone(),
            flash: self.flash.clone(),
        }
    }

    pub fn is_signed_in(&self) -> bool {
        !matches!(self.actor, Actor::Anonymous)
    }
}

/// Renders a template as an HTML response.
pub fn render(template: &impl Template) -> Result<HttpResponse, AppError> {
    let body = template
        .render()
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("template: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type(ContentType::html())
        .body(body))
}

/// Renders a template with a status other than 200 (a form with errors, say).
pub fn render_status(
    status: actix_web::http::StatusCode,
    template: &impl Template,
) -> Result<HttpResponse, AppError> {
    let body = template
        .render()
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("template: {e}")))?;
    Ok(HttpResponse::build(status)
        .content_type(ContentType::html())
        .body(body))
}

/// 303 See Other, the answer to a successful POST.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, location))
        .finish()
}

/// Whether a page's own script asked (it sends `Accept: application/json`) for a small JSON
/// answer instead of the next page; forms posted without JavaScript get pages.
pub fn wants_json(req: &actix_web::HttpRequest) -> bool {
    req.headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}
