//! Pages anyone may see without signing in: the call for papers with its dates, the static
//! files, the 404 page, and once released the accepted papers and the program (HTML, JSON,
//! CSV, iCalendar). Templates: `templates/public/`.

pub mod accepted;
pub mod home;
pub mod program;
pub mod published;

use actix_web::web;

/// Registers the public routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    home::routes(cfg);
    accepted::routes(cfg);
    program::routes(cfg);
}
