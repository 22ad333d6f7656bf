//! The mail outbox. An email is a row written in the same transaction as the action that
//! causes it; a unique `dedupe_key` per event makes queuing it twice a no-op. Workers claim
//! due rows one at a time with a short lease and their instance id, in one statement each
//! (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: the writer turn of `db::write_statement`), so
//! several processes never deliver one row twice, and a restarted or stopping server hands its
//! claims back at once.

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
    /// The instance id of the server holding the claim while the email is `sending`.
    pub claimed_by: Option<String>,
}

/// Queues an email; returns false when one with the same dedupe key exists already.
pub fn enqueue(conn: &mut AnyConnection, mail: &NewMail, now: DateTime<Utc>) -> QueryResult<bool> {
    Ok(enqueue_all(conn, std::slice::from_ref(mail), now)? == 1)
}

/// Queues emails in one statement whatever their number; returns how many were queued. A key
/// already queued (the insert skips it: `ON CONFLICT DO NOTHING` on the unique key), or
/// repeated in `mails`, is queued once. Inside the caller's transaction it runs in it; on its
/// own it is one statement, atomic by itself (the writer turn on SQLite).
pub fn enqueue_all(
    conn: &mut AnyConnection,
    mails: &[NewMail],
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    let now = to_db(now);
    let mut seen = std::collections::HashSet::new();
    let rows: Vec<_> = mails
        .iter()
        .filter(|m| seen.insert(m.dedupe_key.as_str()))
        .map(|m| {
            (
                dsl::id.eq(uuid::Uuid::new_v4().to_string()),
                dsl::dedupe_key.eq(&m.dedupe_key),
                dsl::recipient.eq(m.recipient.as_str()),
                dsl::subject.eq(&m.subject),
                dsl::body_text.eq(&m.body_text),
                dsl::state.eq(state::PENDING),
                dsl::attempts.eq(0),
                dsl::next_attempt_at.eq(now),
                dsl::created_at.eq(now),
            )
        })
        .collect();
    if rows.is_empty() {
        return Ok(0);
    }
    super::write_statement(conn, |c| {
        // Multi-row inserts compile for each backend's own connection, not through the
        // multi-backend one.
        let insert = diesel::insert_into(dsl::mail_outbox)
            .values(rows)
            .on_conflict_do_nothing();
        match c {
            AnyConnection::Postgresql(pg) => insert.execute(pg),
            AnyConnection::Sqlite(lite) => insert.execute(lite),
        }
    })
}

diesel::define_sql_function! {
    /// SQL's `COALESCE` of two nullable texts: the first that is not null.
    fn coalesce(first: diesel::sql_types::Nullable<diesel::sql_types::Text>, second: diesel::sql_types::Nullable<diesel::sql_types::Text>) -> diesel::sql_types::Nullable<diesel::sql_types::Text>;
}

/// Claims the next due email for delivery by `instance` until `now + lease`, counting the
/// attempt: first an email whose lease ran out (its worker died mid-delivery), else the
/// pending email due the longest (`next_attempt_at`: a new email is due when queued, a retry
/// when its back-off ends). Claims are per email and short (the lease outlasts one SMTP
/// exchange under its timeout), so a slow server never lets another worker take an email
/// still being sent.
///
/// Each choice is one probe of the `(state, next_attempt_at)` index, whatever the length of
/// the queue: a backlog of thousands of receipts during a deadline rush costs each claim no
/// more than an empty queue (choosing by `created_at` sorted every due row on each claim).
///
/// PostgreSQL skips rows other servers hold (`FOR UPDATE SKIP LOCKED` in the statement's
/// subqueries); on SQLite the claim takes the writer turn like every other write
/// (`db::write_statement`), and the one statement is atomic by itself.
pub fn claim_next(
    conn: &mut AnyConnection,
    instance: &str,
    now: DateTime<Utc>,
    lease: Duration,
) -> QueryResult<Option<OutboxRow>> {
    let now_db = to_db(now);
    let lease_until = to_db(now + lease);
    // The row to claim, chosen in subqueries of the same table under another name.
    let due_row = diesel::alias!(mail_outbox as due_row);
    let lapsed = due_row
        .filter(due_row.field(dsl::state).eq(state::SENDING))
        .filter(due_row.field(dsl::claimed_until).lt(now_db))
        .order(due_row.field(dsl::claimed_until))
        .select(due_row.field(dsl::id));
    let pending = due_row
        .filter(due_row.field(dsl::state).eq(state::PENDING))
        .filter(due_row.field(dsl::next_attempt_at).le(now_db))
        .order(due_row.field(dsl::next_attempt_at))
        .select(due_row.field(dsl::id));
    let claim = (
        dsl::state.eq(state::SENDING),
        dsl::claimed_until.eq(Some(lease_until)),
        dsl::claimed_by.eq(Some(instance)),
        dsl::attempts.eq(dsl::attempts + 1),
    );
    // One statement: the due row is chosen, claimed and returned at once.
    super::write_statement(conn, |c| match c {
        AnyConnection::Postgresql(pg) => {
            diesel::update(dsl::mail_outbox.filter(dsl::id.nullable().eq(coalesce(
                lapsed.for_update().skip_locked().single_value(),
                pending.for_update().skip_locked().single_value(),
            ))))
            .set(claim)
            .returning(OutboxRow::as_returning())
            .get_result(pg)
            .optional()
        }
        AnyConnection::Sqlite(lite) => diesel::update(
            dsl::mail_outbox.filter(
                dsl::id
                    .nullable()
                    .eq(coalesce(lapsed.single_value(), pending.single_value())),
            ),
        )
        .set(claim)
        .returning(OutboxRow::as_returning())
        .get_result(lite)
        .optional(),
    })
}

/// Puts every email `instance` holds in `sending` back in the queue, due at once: at start
/// (claims of a previous run that crashed) and on a graceful stop. Returns how many.
pub fn release_claims(
    conn: &mut AnyConnection,
    instance: &str,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    super::transaction(conn, |c| {
        diesel::update(
            dsl::mail_outbox
                .filter(dsl::state.eq(state::SENDING))
                .filter(dsl::claimed_by.eq(instance)),
        )
        .set((
            dsl::state.eq(state::PENDING),
            dsl::next_attempt_at.eq(to_db(now)),
            dsl::claimed_until.eq(None::<chrono::NaiveDateTime>),
            dsl::claimed_by.eq(None::<String>),
        ))
        .execute(c)
    })
}

pub fn mark_sent(conn: &mut AnyConnection, id: &str, now: DateTime<Utc>) -> QueryResult<()> {
    super::write_statement(conn, |c| {
        diesel::update(dsl::mail_outbox.find(id))
            .set((
                dsl::state.eq(state::SENT),
                dsl::sent_at.eq(Some(to_db(now))),
                dsl::claimed_until.eq(None::<chrono::NaiveDateTime>),
                dsl::claimed_by.eq(None::<String>),
                dsl::last_error.eq(None::<String>),
            ))
            .execute(c)
            .map(|_| ())
    })
}

/// Records a failed attempt: due again at `retry_at`, or failed for good when None.
pub fn mark_attempt_failed(
    conn: &mut AnyConnection,
    id: &str,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> QueryResult<()> {
    let error: String = error.chars().take(2000).collect();
    let (next_state, next_attempt) = match retry_at {
        Some(at) => (state::PENDING, Some(to_db(at))),
        None => (state::FAILED, None),
    };
    super::transaction(conn, |c| {
        diesel::update(dsl::mail_outbox.find(id))
            .set((
                dsl::state.eq(next_state),
                dsl::claimed_until.eq(None::<chrono::NaiveDateTime>),
                dsl::claimed_by.eq(None::<String>),
                dsl::last_error.eq(Some(&error)),
            ))
            .execute(c)?;
        if let Some(at) = next_attempt {
            diesel::update(dsl::mail_outbox.find(id))
                .set(dsl::next_attempt_at.eq(at))
                .execute(c)?;
        }
        Ok(())
    })
}

/// Emails waiting to be sent (pending or being sent), for the health report.
pub fn backlog(conn: &mut AnyConnection) -> QueryResult<i64> {
    dsl::mail_outbox
        .filter(dsl::state.eq_any([state::PENDING, state::SENDING]))
        .count()
        .get_result(conn)
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
    super::transaction(conn, |c| {
        diesel::update(dsl::mail_outbox.filter(dsl::state.eq(state::FAILED)))
            .set((
                dsl::state.eq(state::PENDING),
                dsl::attempts.eq(0),
                dsl::next_attempt_at.eq(to_db(now)),
            ))
            .execute(c)
    })
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
