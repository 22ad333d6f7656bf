//! Email: the messages cfp writes (`messages`, `reviewing`, the chairs' `letters`), the lettre
//! transports (`transport`) and one delivery round of the outbox (`delivery`); the timer that
//! runs the rounds is `crate::jobs`.
//!
//! Handlers never send mail directly: they queue a row with `db::outbox::enqueue` inside the
//! transaction of their action, and the worker delivers it, retrying with backoff.

pub mod account;
pub mod delivery;
pub mod discussion;
pub mod letters;
pub mod messages;
pub mod reviewing;
pub mod transport;
