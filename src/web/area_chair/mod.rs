//! The area chairs' pages, reached by people a chair put in charge of some papers, for those
//! papers only (any other answers 404, and a paper they have a conflict with is refused):
//! their list, and a paper's page with its reviews and reviewers, the authors' response, the
//! discussion (posting as "Area chair"), reminders to late reviewers and the meta-review.
//! Area chairs never decide. Templates: `templates/area_chair/`.

pub mod papers;

use actix_web::web;

/// Registers the area-chair routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    papers::routes(cfg);
}
