//! Throttling records kept in the database, so several app servers share one count: failed
//! sign-ins (per account and client address), the client addresses each account signed in
//! from, and the emails visitors triggered (per recipient and per client address). The
//! rules that read these counts are pure functions in `auth`.

use chrono::{DateTime, Utc};
use diesel::dsl::{count, max};
use diesel::prelude::*;

use super::schema::{login_failures, rate_events, signin_addresses};
use super::{AnyConnection, from_db, to_db};
pub use crate::auth::SigninCounts;
use crate::domain::ids::UserId;

/// Records a failed sign-in on `account` (the typed address, lower-cased) from `address`.
pub fn record_signin_failure(
    conn: &mut AnyConnection,
    account: &str,
    address: &str,
    at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::id.eq(uuid::Uuid::new_v4().to_string()),
            login_failures::throttle_key.eq("signin"),
            login_failures::failed_at.eq(to_db(at)),
            login_failures::account.eq(Some(account)),
            login_failures::address.eq(Some(address)),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Counts failures since `since`.
pub fn signin_counts(
    conn: &mut AnyConnection,
    account: &str,
    address: &str,
    since: DateTime<Utc>,
) -> QueryResult<SigninCounts> {
    let recent = || login_failures::table.filter(login_failures::failed_at.gt(to_db(since)));
    let (pair_failures, pair_last): (i64, Option<chrono::NaiveDateTime>) = recent()
        .filter(login_failures::account.eq(account))
        .filter(login_failures::address.eq(address))
        .select((diesel::dsl::count_star(), max(login_failures::failed_at)))
        .first(conn)?;
    let address_failures: i64 = recent()
        .filter(login_failures::address.eq(address))
        .count()
        .get_result(conn)?;
    let account_addresses: i64 = recent()
        .filter(login_failures::account.eq(account))
        .select(count(login_failures::address).aggregate_distinct())
        .first(conn)?;
    let small = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(SigninCounts {
        pair_failures: small(pair_failures),
        pair_last: pair_last.map(from_db),
        address_failures: small(address_failures),
        account_addresses: small(account_addresses),
    })
}

/// Forgets the failures of one (account, address) pair after a successful sign-in there.
pub fn clear_pair(conn: &mut AnyConnection, account: &str, address: &str) -> QueryResult<()> {
    diesel::delete(
        login_failures::table
            .filter(login_failures::account.eq(account))
            .filter(login_failures::address.eq(address)),
    )
    .execute(conn)
    .map(|_| ())
}

/// Forgets every failure on an account (after its password was reset by email).
pub fn clear_account(conn: &mut AnyConnection, account: &str) -> QueryResult<()> {
    diesel::delete(login_failures::table.filter(login_failures::account.eq(account)))
        .execute(conn)
        .map(|_| ())
}

/// Whether the account ever signed in from the address (hash from `auth::address_hash`).
pub fn is_known_address(
    conn: &mut AnyConnection,
    user: &UserId,
    address_hash: &str,
) -> QueryResult<bool> {
    let n: i64 = signin_addresses::table
        .filter(signin_addresses::user_id.eq(user.as_str()))
        .filter(signin_addresses::address_hash.eq(address_hash))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Remembers that the account signed in from the address.
pub fn remember_address(
    conn: &mut AnyConnection,
    user: &UserId,
    address_hash: &str,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let updated = diesel::update(
        signin_addresses::table
            .filter(signin_addresses::user_id.eq(user.as_str()))
            .filter(signin_addresses::address_hash.eq(address_hash)),
    )
    .set(signin_addresses::last_at.eq(to_db(now)))
    .execute(conn)?;
    if updated == 0 {
        // Two simultaneous first sign-ins from one address: the second insert finds the row
        // already there, which is the outcome wanted.
        // A savepoint keeps a failed insert from aborting a surrounding PostgreSQL transaction.
        let _ = conn.transaction(|c| {
            diesel::insert_into(signin_addresses::table)
                .values((
                    signin_addresses::user_id.eq(user.as_str()),
                    signin_addresses::address_hash.eq(address_hash),
                    signin_addresses::last_at.eq(to_db(now)),
                ))
                .execute(c)
        });
    }
    Ok(())
}

/// One limit on visitor-triggered emails: at most `limit` events in `bucket` since the
/// window start.
#[derive(Debug, Clone)]
pub struct EmailLimit {
    pub bucket: String,
    pub limit: u32,
}

impl EmailLimit {
    /// Emails to one recipient address.
    pub fn to_recipient(email: &str, limit: u32) -> EmailLimit {
        EmailLimit {
            bucket: format!("mail-to:{email}"),
            limit,
        }
    }

    /// Emails triggered from one client address.
    pub fn from_client(address: &str, limit: u32) -> EmailLimit {
        EmailLimit {
            bucket: format!("mail-from:{address}"),
            limit,
        }
    }
}

/// Takes one email from every limit when all of them still allow one, and says whether the
/// email may go. Run it in the transaction that queues the email.
pub fn take_email_allowance(
    conn: &mut AnyConnection,
    limits: &[EmailLimit],
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    for limit in limits {
        let used: i64 = rate_events::table
            .filter(rate_events::bucket.eq(&limit.bucket))
            .filter(rate_events::at.gt(to_db(since)))
            .count()
            .get_result(conn)?;
        if used >= i64::from(limit.limit) {
            return Ok(false);
        }
    }
    for limit in limits {
        diesel::insert_into(rate_events::table)
            .values((
                rate_events::id.eq(uuid::Uuid::new_v4().to_string()),
                rate_events::bucket.eq(&limit.bucket),
                rate_events::at.eq(to_db(now)),
            ))
            .execute(conn)?;
    }
    Ok(true)
}

/// Drops failure and email records older than any window.
pub fn prune(conn: &mut AnyConnection, before: DateTime<Utc>) -> QueryResult<usize> {
    let failures =
        diesel::delete(login_failures::table.filter(login_failures::failed_at.lt(to_db(before))))
            .execute(conn)?;
    let events = diesel::delete(rate_events::table.filter(rate_events::at.lt(to_db(before))))
        .execute(conn)?;
    Ok(failures + events)
}
