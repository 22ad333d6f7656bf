//! The author's pages, reached by any signed-in user for their own submissions (and by chairs,
//! who see every paper page): "My submissions", the submission form, a paper's page with its
//! versions, format report, downloads and withdrawal, and the camera-ready step of an accepted
//! paper. Policy decides per paper; the chairs' list and actions live in `chair::papers`.
//! Templates: `templates/author/`.

pub mod camera_ready;
pub mod create;
pub mod form;
pub mod response;
pub mod submissions;
pub mod update;
pub mod withdraw;

use actix_web::web;

/// Registers the author routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    submissions::routes(cfg);
    camera_ready::routes(cfg);
    response::routes(cfg);
}
