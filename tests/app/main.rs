//! Black-box tests: a real cfp server on a random port per test, with a fresh database
//! (SQLite in a temp dir, or a fresh PostgreSQL database when CFP_TEST_DATABASE_URL is set).

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod account_page;
mod accounts;
mod area_chairs;
mod assignment;
mod author_pages;
mod camera_ready;
mod chair;
mod chair_lists;
mod cli;
mod dashboard;
mod decisions;
mod discussion;
mod flows;
mod flows_chair;
mod flows_small;
mod format_budget;
mod helpers;
mod mail;
mod paper_versions;
mod pool_cache;
mod program;
mod public;
mod reliability;
mod reviewer_pages;
mod reviews;
mod security;
mod security_papers;
mod smtp;
mod submissions;
