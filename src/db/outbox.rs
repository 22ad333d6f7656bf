//! The mail outbox. An email is a row written in the same transaction as the action that
//! causes it; a unique `dedupe_key` per event makes queuing it twice a no-op. Workers claim
//! due rows atomically (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: an immediate
//! transaction, which serialises writers), so several processes never deliver one row twice.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use super::schema::mail_outbox::{self, dsl};
use super::{AnyConnection, to_db};
use crate::domain::account::Email;

/// Delivery states of a queued email.
pub mod state {
    pub const PENDING: &str = "pending";
    pub const SENDING: &str = "sending";
    pub const SENT: &str = "sent";
    pub const FAILED: &str = "failed";
}

/// An email to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMail {
    /// One key per event, e.g. "confirm:<token-hash>"; the same key is never sent twice.
    pub dedupe_key: String,
    pub recipient: Email,
    pub subject: String,
    pub body_text: String,
}

/// A queued email as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = mail_outbox)]
pub struct OutboxRow {
    pub id: String,
    pub dedupe_key: String,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub state: String,
    pub attempts: i32,
    pub next_attempt_at: chrono::NaiveDateTime,
    pub claimed_until: Option<chrono::NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: chrono::NaiveDateTime,
    pub sent_at: Option<chrono::NaiveDateTime>,
}

/// Queues an email; returns false when one with the same dedupe key exists already.
pub fn enqueue(conn: &mut AnyConnection, mail: &NewMail, now: DateTime<Utc>) -> QueryResult<bool> {
    let exists: i64 = dsl::mail_outbox
        .filter(dsl::dedupe_key.eq(&mail.dedupe_key))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    diesel::insert_into(dsl::mail_outbox)
        .values((
            dsl::id.eq(uuid::Uuid::new_v4().to_string()),
            dsl::dedupe_key.eq(&mail.dedupe_key),
            dsl::recipient.eq(mail.recipient.as_str()),
            dsl::subject.eq(&mail.subject),
            dsl::body_text.eq(&mail.body_text),
            dsl::state.eq(state::PENDING),
            dsl::attempts.eq(0),
            dsl::next_attempt_at.eq(to_db(now)),
            dsl::created_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Claims up to `limit` due rows for delivery by this worker until `now + lease`. Rows whose
/// lease ran out (a worker died mid-delivery) are due again.
pub fn claim_due(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
    lease: Duration,
    limit: i64,
) -> QueryResult<Vec<OutboxRow>> {
    let now_db = to_db(now);
    let lease_until = to_db(now + lease);
    match conn {
        AnyConnection::Postgresql(c) => c.transaction(|c| {
            let ids: Vec<String> = dsl::mail_outbox
                .filter(
                    (dsl::state
                        .eq(state::PENDING)
                        .and(dsl::next_attempt_at.le(now_db)))
                    .or(dsl::state
                        .eq(state::SENDING)
                        .and(dsl::claimed_until.lt(now_db))),
                )
                .order(dsl::created_at)
                .limit(limit)
                .select(dsl::id)
                .for_update()
                .skip_locked()
                .load(c)?;
            diesel::update(dsl::mail_outbox.filter(dsl::id.eq_any(&ids)))
                .set((
                    dsl::state.eq(state::SENDING),
                    dsl::claimed_until.eq(Some(lease_until)),
                    dsl::attempts.eq(dsl::attempts + 1),
                ))
                .execute(c)?;
            dsl::mail_outbox
                .filter(dsl::id.eq_any(&ids))
                .order(dsl::created_at)
                .select(OutboxRow::as_select())
                .load(c)
        }),
        AnyConnection::Sqlite(c) => c.immediate_transaction(|c| {
            let ids: Vec<String> = dsl::mail_outbox
                .filter(
                    (dsl::state
                        .eq(state::PENDING)
                        .and(dsl::next_attempt_at.le(now_db)))
                    .or(dsl::state
                        .eq(state::SENDING)
                        .and(dsl::claimed_until.lt(now_db))),
                )
                .order(dsl::created_at)
                .limit(limit)
                .select(dsl::id)
                .load(c)?;
            diesel::update(dsl::mail_outbox.filter(dsl::id.eq_any(&ids)))
                .set((
                    dsl::state.eq(state::SENDING),
                    dsl::claimed_until.eq(Some(lease_until)),
                    dsl::attempts.eq(dsl::attempts + 1),
                ))
                .execute(c)?;
            dsl::mail_outbox
                .filter(dsl::id.eq_any(&ids))
                .order(dsl::created_at)
                .select(OutboxRow::as_select())
                .load(c)
        }),
    }
}

pub fn mark_sent(conn: &mut AnyConnection, id: &str, now: DateTime<Utc>) -> QueryResult<()> {
    diesel::update(dsl::mail_outbox.find(id))
        .set((
            dsl::state.eq(state::SENT),
            dsl::sent_at.eq(Some(to_db(now))),
            dsl::claimed_until.eq(None::<chrono::NaiveDateTime>),
            dsl::last_error.eq(None::<String>),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Records a failed attempt: due again at `retry_at`, or failed for good when None.
pub fn mark_attempt_failed(
    conn: &mut AnyConnection,
    id: &str,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> QueryResult<()> {
    let error: String = error.chars().take(2000).collect();
    let target = dsl::mail_outbox.find(id);
    match retry_at {
        Some(at) => diesel::update(target)
            .set((
                dsl::state.eq(state::PENDING),
                dsl::next_attempt_at.eq(to_db(at)),
                dsl::claimed_until.eq(None::<chrono::NaiveDateTime>),
                dsl::last_error.eq(Some(error)),
            ))
            .execute(conn),
        None => diesel::update(target)
            .set((
                dsl::state.eq(state::FAILED),
                dsl::claimed_until.eq(None::<chrono::NaiveDateTime>),
                dsl::last_error.eq(Some(error)),
            ))
            .execute(conn),
    }
    .map(|_| ())
}

/// Number of emails in each state.
pub fn counts_by_state(conn: &mut AnyConnection) -> QueryResult<Vec<(String, i64)>> {
    dsl::mail_outbox
        .group_by(dsl::state)
        .select((dsl::state, diesel::dsl::count_star()))
        .order(dsl::state)
        .load(conn)
}

/// Emails that gave up, newest first, for the chairs' attention.
pub fn failed(conn: &mut AnyConnection, limit: i64) -> QueryResult<Vec<OutboxRow>> {
    dsl::mail_outbox
        .filter(dsl::state.eq(state::FAILED))
        .order(dsl::created_at.desc())
        .limit(limit)
        .select(OutboxRow::as_select())
        .load(conn)
}

/// Puts every failed email back in the queue (after fixing SMTP settings, say).
pub fn retry_failed(conn: &mut AnyConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::update(dsl::mail_outbox.filter(dsl::state.eq(state::FAILED)))
        .set((
            dsl::state.eq(state::PENDING),
            dsl::attempts.eq(0),
            dsl::next_attempt_at.eq(to_db(now)),
        ))
        .execute(conn)
}

pub fn find_by_dedupe_key(conn: &mut AnyConnection, key: &str) -> QueryResult<Option<OutboxRow>> {
    dsl::mail_outbox
        .filter(dsl::dedupe_key.eq(key))
        .select(OutboxRow::as_select())
        .first(conn)
        .optional()
}

/// Emails queued for one address, oldest first (used by the CLI and tests).
pub fn for_recipient(conn: &mut AnyConnection, recipient: &Email) -> QueryResult<Vec<OutboxRow>> {
    mail_outbox::table
        .filter(dsl::recipient.eq(recipient.as_str()))
        .order(dsl::created_at)
        .select(OutboxRow::as_select())
        .load(conn)
}

/// Emails whose dedupe key starts with one of `prefixes` (the letters of one kind), newest
/// first, for the chairs' per-recipient log.
pub fn with_key_prefixes(
    conn: &mut AnyConnection,
    prefixes: &[&str],
    limit: i64,
) -> QueryResult<Vec<OutboxRow>> {
    let mut query = mail_outbox::table.into_boxed();
    for (i, p) in prefixes.iter().enumerate() {
        let pattern = format!("{p}%");
        query = if i == 0 {
            query.filter(dsl::dedupe_key.like(pattern))
        } else {
            query.or_filter(dsl::dedupe_key.like(pattern))
        };
    }
    query
        .order(dsl::created_at.desc())
        .limit(limit)
        .select(OutboxRow::as_select())
        .load(conn)
}
