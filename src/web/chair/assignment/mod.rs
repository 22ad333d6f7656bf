//! The chairs' reviewer-assignment pages: the reviewer pool (`reviewers`) and conflicts
//! (`conflicts`), running
//! the engine into a stored preview (`run`, `preview`), what the preview shows (`view`), manual
//! adjustments (`adjust`), the preview's papers page by page (`proposed`) and the CSV export
//! and import (`csv`); committing mails each reviewer
//! whose list changed. Reached only by chairs. Template: `templates/chair/assignment.html`,
//! `reviewers.html`, `conflicts.html`.

pub mod adjust;
pub mod committed;
pub mod conflicts;
pub mod csv;
pub mod job;
pub mod loads;
pub mod preview;
pub mod proposed;
pub mod reviewers;
pub mod run;
pub mod view;

use actix_web::web;

/// Registers the assignment routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/chair/assignment", web::get().to(run::page))
        .route("/chair/assignment/run", web::post().to(run::run))
        .route("/chair/assignment/add", web::post().to(adjust::add))
        .route("/chair/assignment/remove", web::post().to(adjust::remove))
        .route("/chair/assignment/commit", web::post().to(run::commit))
        .route("/chair/assignment/discard", web::post().to(run::discard))
        .route(
            "/chair/assignment/committed",
            web::get().to(committed::committed),
        )
        .route("/chair/assignment/cancel", web::post().to(run::cancel))
        .route(
            "/chair/assignment/proposed",
            web::get().to(proposed::proposed),
        )
        .route("/chair/assignment.csv", web::get().to(csv::export))
        .route("/chair/assignment/import", web::post().to(csv::import));
    reviewers::routes(cfg);
    conflicts::routes(cfg);
}
