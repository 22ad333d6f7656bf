//! One error type for every handler, with one `ResponseError` implementation: HTML routes get
//! an error page in the site's layout, `/api/` routes (through `ApiError`) one JSON shape.
//! Unexpected errors are logged with their cause chain and shown as an opaque 500.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentType};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use crate::db::DbError;
use crate::domain::FieldErrors;
use crate::policy::Denied;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("This page does not exist.")]
    NotFound,
    #[error("Please sign in first.")]
    SignInRequired,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("Some fields need attention: {0}")]
    Validation(FieldErrors),
    #[error("{0}")]
    Conflict(String),
    #[error("The request is too large.")]
    TooLarge,
    #[error("{0}")]
    TooManyRequests(String),
    #[error("The service is busy; please try again in a moment.")]
    Unavailable,
    /// The disk is full or read-only (507): nothing was stored, and chairs are told.
    #[error("The server's storage is full; your paper was not stored, try again in a few minutes.")]
    StorageFull,
    #[error("Something went wrong on our side.")]
    Unexpected(#[source] anyhow::Error),
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        AppError::Unexpected(e)
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => AppError::NotFound,
            diesel::result::Error::DatabaseError(_, ref info)
                if crate::storage::note_database_failure(info.message()) =>
            {
                AppError::StorageFull
            }
            other => AppError::Unexpected(other.into()),
        }
    }
}

impl From<crate::storage::UploadError> for AppError {
    fn from(e: crate::storage::UploadError) -> Self {
        match e {
            crate::storage::UploadError::TooLarge { .. } => AppError::TooLarge,
            crate::storage::UploadError::Io(io) if crate::storage::note_failure(&io) => {
                AppError::StorageFull
            }
            crate::storage::UploadError::Io(io) => AppError::Unexpected(io.into()),
        }
    }
}

impl From<DbError> for AppError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Query(q) => q.into(),
            DbError::Pool(p) => {
                tracing::error!(error = %p, "database pool exhausted or unreachable");
                AppError::Unavailable
            }
            DbError::Task(t) => AppError::Unexpected(anyhow::anyhow!(t)),
        }
    }
}

impl From<Denied> for AppError {
    fn from(d: Denied) -> Self {
        match d {
            Denied::SignInRequired => AppError::SignInRequired,
            Denied::NotFound => AppError::NotFound,
            other => AppError::Forbidden(other.to_string()),
        }
    }
}

impl AppError {
    fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::SignInRequired => "sign_in_required",
            AppError::Forbidden(_) => "forbidden",
            AppError::BadRequest(_) => "bad_request",
            AppError::Validation(_) => "validation",
            AppError::Conflict(_) => "conflict",
            AppError::TooLarge => "too_large",
            AppError::TooManyRequests(_) => "too_many_requests",
            AppError::Unavailable => "unavailable",
            AppError::StorageFull => "storage_full",
            AppError::Unexpected(_) => "internal",
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::SignInRequired => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::StorageFull => StatusCode::INSUFFICIENT_STORAGE,
            AppError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn log(&self) {
        if let AppError::Unexpected(e) = self {
            tracing::error!(error = ?e, "unexpected error");
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: super::Layout,
    status: u16,
    message: String,
}

/// What an error page says; attached to the response so `with_site_layout` can render the
/// page again inside the full layout (site name, the visitor's navigation).
#[derive(Debug, Clone)]
pub struct ErrorPageInfo {
    pub status: StatusCode,
    pub message: String,
}

/// Renders the error page within `layout`.
pub fn render_error_page(layout: super::Layout, info: &ErrorPageInfo) -> HttpResponse {
    let page = ErrorPage {
        layout,
        status: info.status.as_u16(),
        message: info.message.clone(),
    };
    let body = page
        .render()
        .unwrap_or_else(|_| format!("{} {}", info.status.as_u16(), info.message));
    HttpResponse::build(info.status)
        .content_type(ContentType::html())
        .body(body)
}

/// The HTML error page, in a minimal layout until `with_site_layout` replaces it.
pub fn error_page(status: StatusCode, message: String) -> HttpResponse {
    let info = ErrorPageInfo { status, message };
    let title = status.canonical_reason().unwrap_or("Error");
    let mut response = render_error_page(super::Layout::minimal(title), &info);
    response.extensions_mut().insert(info);
    response
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::SignInRequired => StatusCode::SEE_OTHER,
            other => other.status(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        self.log();
        match self {
            AppError::SignInRequired => HttpResponse::SeeOther()
                .insert_header((header::LOCATION, "/signin"))
                .finish(),
            other => error_page(other.status(), other.to_string()),
        }
    }
}

/// The same errors for `/api/` routes, answered as
/// `{"error": {"code": "...", "message": "...", "fields": {...}}}`.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct ApiError(#[from] pub AppError);

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        ApiError(e.into())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.0.status()
    }

    fn error_response(&self) -> HttpResponse {
        self.0.log();
        let fields = match &self.0 {
            AppError::Validation(f) => serde_json::to_value(f).unwrap_or(serde_json::Value::Null),
            _ => serde_json::Value::Null,
        };
        HttpResponse::build(self.0.status()).json(serde_json::json!({
            "error": { "code": self.0.code(), "message": self.0.to_string(), "fields": fields }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::UploadError;

    #[test]
    fn a_full_disk_is_answered_507_with_advice_and_remembered_for_the_chairs() {
        let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        let e = AppError::from(UploadError::Io(full));
        assert_eq!(e.status(), StatusCode::INSUFFICIENT_STORAGE);
        assert_eq!(
            e.to_string(),
            "The server's storage is full; your paper was not stored, try again in a few minutes."
        );
        assert!(crate::storage::last_failure().is_some());
        let other = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert_eq!(
            AppError::from(UploadError::Io(other)).status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }

    #[test]
    fn a_database_on_a_full_disk_is_answered_507() {
        let e = AppError::from(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::Unknown,
            Box::new(String::from("database or disk is full")),
        ));
        assert_eq!(e.status(), StatusCode::INSUFFICIENT_STORAGE);
    }
}
