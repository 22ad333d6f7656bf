//! Email: the messages cfp writes (`messages`), the lettre transports (`transport`) and the
//! background worker that delivers the outbox (`worker`).
//!
//! Handlers never send mail directly: they queue a row with `db::outbox::enqueue` inside the
//! transaction of their action, and the worker delivers it, retrying with backoff.

pub mod letters;
pub mod messages;
pub mod reviewing;
pub mod transport;
pub mod worker;
