//! Failed sign-in records, kept in the database so several app servers share one count.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::login_failures;
use super::{AnyConnection, to_db};

pub fn record_failure(conn: &mut AnyConnection, key: &str, at: DateTime<Utc>) -> QueryResult<()> {
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::id.eq(uuid::Uuid::new_v4().to_string()),
            login_failures::throttle_key.eq(key),
            login_failures::failed_at.eq(to_db(at)),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn failures_since(
    conn: &mut AnyConnection,
    key: &str,
    since: DateTime<Utc>,
) -> QueryResult<i64> {
    login_failures::table
        .filter(login_failures::throttle_key.eq(key))
        .filter(login_failures::failed_at.gt(to_db(since)))
        .count()
        .get_result(conn)
}

/// Forgets an account's failures after a successful sign-in.
pub fn clear(conn: &mut AnyConnection, key: &str) -> QueryResult<()> {
    diesel::delete(login_failures::table.filter(login_failures::throttle_key.eq(key)))
        .execute(conn)
        .map(|_| ())
}

/// Drops records older than any throttling window.
pub fn prune(conn: &mut AnyConnection, before: DateTime<Utc>) -> QueryResult<usize> {
    diesel::delete(login_failures::table.filter(login_failures::failed_at.lt(to_db(before))))
        .execute(conn)
}
