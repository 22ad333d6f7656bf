//! Account pages, reached by anyone (signed out or in): register, confirm the email address,
//! sign in and out, reset a forgotten password. Templates: `templates/account/`.

pub mod signin;

use actix_web::web;

/// Registers the account routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    signin::routes(cfg);
}
