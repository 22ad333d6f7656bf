//! CSV plumbing shared by every export (chairs' lists, reviews, decisions, the program, the
//! public accepted papers): a download response no cache keeps, and cells a spreadsheet will
//! not run as formulas. What each export contains lives with its page.

use actix_web::HttpResponse;
use actix_web::http::header;

/// A CSV file download that no cache keeps (chair exports name people).
pub fn csv_attachment(bytes: Vec<u8>, name: &str) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes)
}

/// A CSV cell that a spreadsheet will not run as a formula.
pub fn csv_safe(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}
