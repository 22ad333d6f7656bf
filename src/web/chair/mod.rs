//! The chairs' pages, reached only by configured chairs (every handler asks `policy` first):
//! the dashboard and settings, all submissions, reviewer pool, conflicts and assignment
//! (`assignment/`), review progress and exports, decisions, their release and letters, group
//! mail, and the program editor. A chair with a conflict on a paper sees neither its reviewers
//! nor its reviews. Templates: `templates/chair/`.

pub mod area_chairs;
pub mod assignment;
pub mod board;
pub mod dashboard;
pub mod decide;
pub mod decide_bulk;
pub mod decisions;
pub mod discussion_export;
pub mod discussion_settings;
pub mod letters;
pub mod mail;
pub mod meta_review;
pub mod next_step;
pub mod paper_reviewers;
pub mod papers;
pub mod program;
pub mod release;
pub mod reviews;
pub mod reviews_export;
pub mod settings;

use actix_web::web;

/// Registers the chair routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    dashboard::routes(cfg);
    settings::routes(cfg);
    discussion_settings::routes(cfg);
    discussion_export::routes(cfg);
    papers::routes(cfg);
    paper_reviewers::routes(cfg);
    assignment::routes(cfg);
    area_chairs::routes(cfg);
    reviews::routes(cfg);
    decisions::routes(cfg);
    decide::routes(cfg);
    decide_bulk::routes(cfg);
    release::routes(cfg);
    letters::routes(cfg);
    mail::routes(cfg);
    meta_review::routes(cfg);
    program::routes(cfg);
}
