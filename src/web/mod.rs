//! The actix-web application, one folder per audience: `public/` (anyone), `api/` (the public
//! JSON API), `account/` (signing up and in), `author/` (one's own submissions), `reviewer/`
//! (assigned papers, bids, reviews) and `chair/` (everything else; `chair/assignment/` for the
//! assignment pages). Each folder's `mod.rs` registers its routes; [`routes`] reads by role.
//! Shared plumbing sits here at the top: `extract` (page context, CSRF-checked forms), `error`,
//! `layout` (the base layout and rendering), `upload` and `paper_files` (multipart uploads),
//! `csv`, `markdown`, `pool_data` (the assignment's data), `papers` (a paper loaded with the
//! viewer's rights and its view models), `paper_status` (withdraw, reinstate) and `views`
//! (view models two audiences render).
//!
//! Each handler reads extract -> authorise (`policy`) -> query (`db`) -> render.

pub mod account;
pub mod api;
pub mod area_chair;
pub mod author;
pub mod chair;
pub mod csv;
pub mod error;
pub mod extract;
pub mod layout;
pub mod markdown;
pub mod paper_files;
pub mod paper_status;
pub mod papers;
pub mod pool_data;
pub mod public;
pub mod reviewer;
pub mod reviewer_copy;
pub mod upload;
pub mod views;

use std::sync::Arc;

use actix_web::web;

use crate::clock::Clock;
use crate::config::Settings;
use crate::db::DbPool;
use crate::mail::messages::MailContext;
use crate::storage::Storage;
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
    /// The conference settings, decoded again only when their version changes.
    pub settings_cache: crate::db::conference::SettingsCache,
    /// The chairs' "compute a preview" running in the background (large conferences).
    pub assignment_jobs: chair::assignment::job::AssignmentJobs,
    /// The reviewer pool and its conflicts, recomputed only when their data version changes.
    pub pool_cache: pool_data::PoolCache,
    /// What the decisions board and the review progress page rank, recomputed only when its
    /// data version changes.
    pub ranking_cache: crate::db::data_version::Versioned<chair::board::Ranking>,
    /// The rows of each paper's reviewer page, read again only when the paper's version
    /// changes.
    pub reviewer_pages: crate::db::data_version::Kept<reviewer::review::ReviewerPageRows>,
    /// Each paper's own rows (`papers::load_visible`), read again only when the paper's
    /// version changes.
    pub paper_rows: crate::db::data_version::Kept<papers::PaperRows>,
    /// Each reviewer's "My reviews" rows, read again only when their version changes.
    pub my_reviews: crate::db::data_version::Kept<reviewer::assigned::MyReviewsRows>,
    /// Each author's "My submissions" rows, read again only when their version changes.
    pub my_submissions: crate::db::data_version::Kept<Vec<crate::db::author_pages::AuthoredPaper>>,
    /// The reviewers' copies' rows already read (they never change).
    pub known_copies: reviewer_copy::KnownCopies,
}

/// How many people's own lists ("My reviews", "My submissions") each process keeps in memory
/// (a few KB per paper listed: each paper's row carries its abstract).
pub const KEPT_PEOPLE: usize = 4096;

impl AppState {
    pub fn mail_context(&self, short_name: &str) -> MailContext {
        MailContext {
            conference: short_name.to_string(),
            base_url: self.config.base_url().to_string(),
        }
    }
}

pub use layout::{Layout, render, render_status, see_other};

/// Registers every route.
pub fn routes(cfg: &mut web::ServiceConfig) {
    public::routes(cfg);
    api::routes(cfg);
    account::routes(cfg);
    author::routes(cfg);
    reviewer::routes(cfg);
    area_chair::routes(cfg);
    chair::routes(cfg);
}

/// Middleware body: renders error pages again inside the site's layout, with the visitor's
/// navigation, when the request's session and the database allow it (otherwise the minimal
/// page stays).
pub async fn with_site_layout(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    use actix_web::FromRequest;
    let mut response = next.call(req).await?.map_into_boxed_body();
    if response
        .response()
        .extensions()
        .get::<error::SignInRedirect>()
        .is_some()
    {
        return_after_sign_in(&mut response);
        return Ok(response);
    }
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
    let page = error::render_error_page(ctx.layout(info.title), &info);
    Ok(actix_web::dev::ServiceResponse::new(request, page))
}

/// Points a sign-in redirect at `/signin?next=…` for the page a signed-out visitor opened
/// (pages only: a form posted without a session has nothing to return to).
fn return_after_sign_in(response: &mut actix_web::dev::ServiceResponse<actix_web::body::BoxBody>) {
    use actix_web::http::{Method, header};
    let request = response.request();
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return;
    }
    let asked = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let location = account::return_to::signin_location(&asked);
    if let Ok(value) = header::HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
}
