//! The public JSON API: `/api/conference` (the conference's public facts) and `/api/health`
//! (for load balancers). Anyone may call it, signed in or not; it answers errors in the one
//! JSON shape of `ApiError`, and so does every unknown `/api/` path (`public::home::not_found`).

use actix_web::{HttpResponse, web};
use serde::Serialize;

use crate::db::{self, DbError, conference};
use crate::web::AppState;
use crate::web::error::ApiError;

/// Registers the API's routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/conference", web::get().to(api_conference))
        .route("/api/health", web::get().to(api_health));
}

#[derive(Serialize)]
struct PublicDate {
    name: &'static str,
    label: &'static str,
    at: String,
}

#[derive(Serialize)]
struct PublicConference {
    name: String,
    short_name: String,
    time_zone: String,
    dates: Vec<PublicDate>,
}

/// The public facts of the conference as JSON.
async fn api_conference(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let stored = db::run(&state.pool, |c| Ok::<_, DbError>(conference::load(c)?)).await?;
    let s = stored.settings;
    let dates = s
        .dates
        .in_order()
        .iter()
        .map(|d| PublicDate {
            name: d.field,
            label: d.label,
            at: d.at.to_rfc3339(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(PublicConference {
        name: s.name,
        short_name: s.short_name,
        time_zone: s.time_zone,
        dates,
    }))
}

/// For load balancers and monitoring: `ready` or `degraded` (200) with what was found
/// (database writability, free disk, mail backlog), `down` (503) when the database does not
/// answer. See `ops::health`.
async fn api_health(state: web::Data<AppState>) -> HttpResponse {
    let health = crate::ops::health::check(&state.pool, &state.storage, state.clock.now()).await;
    let status = if health.status == "down" {
        actix_web::http::StatusCode::SERVICE_UNAVAILABLE
    } else {
        actix_web::http::StatusCode::OK
    };
    HttpResponse::build(status).json(health)
}
