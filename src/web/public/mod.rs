//! Pages anyone may see without signing in: the call for papers with its dates, the static
//! files, the 404 page, and once released the accepted papers and the program (HTML, JSON,
//! CSV, iCalendar). Templates: `templates/public/`.

pub mod accepted;
pub mod home;
pub mod program;
pub mod published;
pub mod unsubscribe;

use actix_web::{Route, guard, web};

/// A route for GET that answers HEAD the same way (without the body): calendar clients and
/// link checkers ask with HEAD first.
pub fn get_or_head() -> Route {
    web::route().guard(guard::Any(guard::Get()).or(guard::Head()))
}

/// Registers the public routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    home::routes(cfg);
    accepted::routes(cfg);
    program::routes(cfg);
    unsubscribe::routes(cfg);
}
