//! cfp: a paper-submission and peer-review server.
//!
//! Layers, with data flowing one way (request -> handler -> policy -> query -> template):
//! `domain` (pure types and rules), `policy` (who may see and do what), `db` (SQLite and
//! PostgreSQL through one code path), `mail` (outbox and lettre transports), `jobs` (the
//! scheduler: reminders, delivery rounds, the storage sweep), `ops` (backup, restore, the
//! storage sweeper, health), `web` (actix handlers, one folder per audience), `startup`,
//! `cli` and `demo` (`cfp demo`). `docs/architecture.md` has the tree.

pub mod assignment;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod format_check;
pub mod jobs;
pub mod mail;
pub mod ops;
pub mod policy;
pub mod sanitize;
pub mod startup;
pub mod storage;
pub mod web;
