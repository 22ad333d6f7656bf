//! Account pages, reached by anyone (signed out or in): register, confirm the email address,
//! sign in and out, reset a forgotten password, see and end one's sessions, and (signed in)
//! one's account page: name, affiliation, email address and password (`profile`). No answer reveals whether an address is
//! registered: the pages say the same either way and the owner learns the rest by email.
//! Templates: `templates/account/`.

pub mod profile;
pub mod register;
pub mod reset;
pub mod return_to;
pub mod sessions;
pub mod signin;
pub mod visitor;

use actix_web::web;

/// Registers the account routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    register::routes(cfg);
    signin::routes(cfg);
    reset::routes(cfg);
    sessions::routes(cfg);
    profile::routes(cfg);
}
