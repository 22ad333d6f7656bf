//! The home page (the call for papers with its dates, following the conference's phase: after
//! the release of decisions it counts down to the camera-ready, not to bidding), the static
//! files and the 404 page.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::domain::conference::{format_in_zone, format_time_left};
use crate::web::error::{ApiError, AppError, error_page};
use crate::web::extract::PageCtx;
use crate::web::{Layout, markdown, render};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", super::get_or_head().to(home))
        .route("/static/style.css", super::get_or_head().to(style_css))
        .route("/static/app.js", super::get_or_head().to(app_js))
        .route("/static/favicon.svg", super::get_or_head().to(favicon))
        .route("/favicon.ico", super::get_or_head().to(favicon));
}

/// One important date as shown on the home page.
struct DateView {
    label: &'static str,
    local: String,
    iso: String,
    passed: bool,
}

struct Countdown {
    label: &'static str,
    left: String,
    iso: String,
}

#[derive(Template)]
#[template(path = "public/home.html")]
struct HomePage {
    layout: Layout,
    call_html: String,
    dates: Vec<DateView>,
    next: Option<Countdown>,
    time_zone: String,
    submissions_open: bool,
    /// When decisions were released; empty before.
    released: String,
}

/// Dates that belong to the steps before decisions: once decisions are released they are
/// over, whatever the calendar says (chairs often release before the planned date).
const BEFORE_RELEASE: [&str; 5] = [
    "submissions_open",
    "submission_deadline",
    "bidding_deadline",
    "review_due",
    "decisions_release",
];

async fn home(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    // Read with the session (`PageCtx`): the page needs no query of its own.
    let released_at = ctx.released_at;
    let s = &ctx.settings;
    let tz = s.tz();
    let over = |field: &str| released_at.is_some() && BEFORE_RELEASE.contains(&field);
    let all = s.dates.in_order();
    let dates = all
        .iter()
        .map(|d| DateView {
            label: d.label,
            local: format_in_zone(d.at, tz),
            iso: d.at.to_rfc3339(),
            passed: d.at <= ctx.now || over(d.field),
        })
        .collect();
    let next = all
        .iter()
        .find(|d| d.at > ctx.now && !over(d.field))
        .map(|d| Countdown {
            label: d.label,
            left: format_time_left(ctx.now, d.at),
            iso: d.at.to_rfc3339(),
        });
    let page = HomePage {
        layout: ctx.layout("Call for papers"),
        call_html: markdown::render(&s.call_text),
        dates,
        next,
        time_zone: s.time_zone.clone(),
        submissions_open: released_at.is_none()
            && ctx.now >= s.dates.submissions_open
            && ctx.now <= s.submissions_close_at(),
        released: released_at
            .map(|at| format_in_zone(at, tz))
            .unwrap_or_default(),
    };
    render(&page)
}

fn static_file(body: &'static str, content_type: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(body)
}

async fn style_css() -> HttpResponse {
    static_file(
        include_str!("../../../static/style.css"),
        "text/css; charset=utf-8",
    )
}

async fn app_js() -> HttpResponse {
    static_file(
        include_str!("../../../static/app.js"),
        "text/javascript; charset=utf-8",
    )
}

/// The site's icon (browsers also ask for `/favicon.ico` on their own).
async fn favicon() -> HttpResponse {
    static_file(include_str!("../../../static/favicon.svg"), "image/svg+xml")
}

/// Unknown routes: an HTML 404 page, or the JSON error shape under `/api/`.
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    if req.path().starts_with("/api/") {
        return actix_web::ResponseError::error_response(&ApiError(AppError::NotFound));
    }
    error_page(
        actix_web::http::StatusCode::NOT_FOUND,
        AppError::NotFound.to_string(),
    )
}
