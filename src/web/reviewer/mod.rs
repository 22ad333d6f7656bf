//! The reviewer's pages, reached by signed-in members of the reviewer pool for the papers
//! assigned to them (any other paper answers 404): "My reviews", an assigned paper's page
//! with the review form, its PDF, reporting a conflict, bidding and the reviewer profile.
//! Everything here is double-blind: built from `BlindPaperView`, never an author's name.
//! Templates: `templates/reviewer/`.

pub mod assigned;
pub mod bids;
pub mod discussion;
pub mod profile;
pub mod review;

use actix_web::web;

/// Registers the reviewer routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    assigned::routes(cfg);
    bids::routes(cfg);
    discussion::routes(cfg);
    profile::routes(cfg);
    review::routes(cfg);
}
