//! The home page (the call for papers with its dates), the static files and the 404 page.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::domain::conference::{format_in_zone, format_time_left};
use crate::web::error::{ApiError, AppError, error_page};
use crate::web::extract::PageCtx;
use crate::web::{Layout, markdown, render};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home))
        .route("/static/style.css", web::get().to(style_css))
        .route("/static/app.js", web::get().to(app_js));
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
}

async fn home(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    let s = &ctx.settings;
    let tz = s.tz();
    let dates = s
        .dates
        .in_order()
        .iter()
        .map(|d| DateView {
            label: d.label,
            local: format_in_zone(d.at, tz),
            iso: d.at.to_rfc3339(),
            passed: d.at <= ctx.now,
        })
        .collect();
    let next = s.next_date(ctx.now).map(|d| Countdown {
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
        submissions_open: ctx.now >= s.dates.submissions_open
            && ctx.now <= s.submissions_close_at(),
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
