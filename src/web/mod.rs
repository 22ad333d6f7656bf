//! The actix-web application: routes per role, extractors, errors and the page layout.
//! Each handler reads extract -> authorise (`policy`) -> query (`db`) -> render.

pub mod account;
pub mod assign_adjust;
pub mod assign_csv;
pub mod assign_view;
pub mod camera_ready;
pub mod chair;
pub mod chair_assign;
pub mod chair_papers;
pub mod chair_program;
pub mod chair_reviewers;
pub mod chair_reviews;
pub mod decisions;
pub mod error;
pub mod extract;
pub mod letters;
pub mod markdown;
pub mod paper_files;
pub mod papers;
pub mod pool_data;
pub mod public;
pub mod public_program;
pub mod release;
pub mod review_form;
pub mod reviewer;
pub mod submission_form;
pub mod submissions;
pub mod upload;

use std::sync::Arc;

use actix_web::http::header::ContentType;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::clock::Clock;
use crate::config::Settings;
use crate::db::DbPool;
use crate::mail::messages::MailContext;
use crate::policy::{self, Actor};
use crate::storage::Storage;
use error::AppError;
use extract::PageCtx;

/// Shared state of every worker.
#[derive(Debug)]
pub struct AppState {
    pub pool: DbPool,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<Settings>,
    pub storage: Storage,
    /// Bounds how many format checks run at once (the deadline rush).
    pub format_slots: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    pub fn mail_context(&self, short_name: &str) -> MailContext {
        MailContext {
            conference: short_name.to_string(),
            base_url: self.config.base_url().to_string(),
        }
    }
}

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

/// Registers every route.
pub fn routes(cfg: &mut web::ServiceConfig) {
    public::routes(cfg);
    account::routes(cfg);
    submissions::routes(cfg);
    chair::routes(cfg);
    chair_papers::routes(cfg);
    chair_assign::routes(cfg);
    chair_reviewers::routes(cfg);
    chair_reviews::routes(cfg);
    decisions::routes(cfg);
    letters::routes(cfg);
    reviewer::routes(cfg);
    review_form::routes(cfg);
    camera_ready::routes(cfg);
    public_program::routes(cfg);
    chair_program::routes(cfg);
}

/// Middleware body: renders error pages again inside the site's layout, with the visitor's
/// navigation, when the request's session and the database allow it (otherwise the minimal
/// page stays).
pub async fn with_site_layout(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    use actix_web::FromRequest;
    let response = next.call(req).await?.map_into_boxed_body();
    let Some(info) = response
        .response()
        .extensions()
        .get::<error::ErrorPageInfo>()
        .cloned()
    else {
        return Ok(response);
    };
    let (request, original) = response.into_parts();
    let Ok(ctx) = PageCtx::extract(&request).await else {
        return Ok(actix_web::dev::ServiceResponse::new(request, original));
    };
    let title = info.status.canonical_reason().unwrap_or("Error");
    let page = error::render_error_page(ctx.layout(title), &info);
    Ok(actix_web::dev::ServiceResponse::new(request, page))
}
