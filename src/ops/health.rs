//! What `/api/health` reports: whether the database answers and takes writes, the free space
//! and writability of the file store's disk, and the mail backlog. `ready` when all is well,
//! `degraded` when the site answers but something needs a person (uploads or email would
//! suffer), `down` when the database does not answer (the only case answered with 503, so a
//! load balancer keeps sending readers to a server whose disk is merely full).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::mail_outbox;
use crate::db::{self, DbError, DbPool, outbox};
use crate::storage::Storage;

/// Below this much free space the store's disk counts as low (uploads are up to 70 MiB).
pub const LOW_DISK_BYTES: u64 = 1 << 30;

/// An email due longer than this means the worker is stuck or SMTP is down.
pub const STALE_MAIL_SECS: i64 = 600;

#[derive(Debug, Clone, Serialize)]
pub struct Health {
    /// "ready", "degraded" or "down".
    pub status: &'static str,
    /// What makes it degraded or down, in words.
    pub problems: Vec<String>,
    pub database: DatabaseHealth,
    pub disk: DiskHealth,
    pub mail: MailHealth,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct DatabaseHealth {
    pub reachable: bool,
    pub writable: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct DiskHealth {
    pub free_bytes: Option<u64>,
    pub writable: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct MailHealth {
    /// Emails pending or being sent.
    pub backlog: i64,
    /// Seconds the longest-waiting due email has been due.
    pub oldest_due_secs: Option<i64>,
    pub failed: i64,
}

/// Looks at everything; never fails (a failure is a finding).
pub async fn check(pool: &DbPool, storage: &Storage, now: DateTime<Utc>) -> Health {
    let mut problems = Vec::new();
    let db_state = db::run(pool, move |c| database_state(c, now)).await;
    let (database, mail) = match db_state {
        Ok(found) => found,
        Err(e) => {
            problems.push(format!("the database does not answer: {e}"));
            Default::default()
        }
    };
    let storage = storage.clone();
    let disk = tokio::task::spawn_blocking(move || DiskHealth {
        free_bytes: storage.free_bytes(),
        writable: storage.probe_writable().is_ok(),
    })
    .await
    .unwrap_or_default();
    if database.reachable && !database.writable {
        problems.push("the database refuses writes".into());
    }
    if !disk.writable {
        problems.push("the file store cannot be written (disk full or read-only)".into());
    }
    if disk.free_bytes.is_some_and(|b| b < LOW_DISK_BYTES) {
        problems.push("less than 1 GiB free on the file store's disk".into());
    }
    if mail.oldest_due_secs.is_some_and(|s| s > STALE_MAIL_SECS) {
        problems.push("emails have waited more than 10 minutes to be sent".into());
    }
    let status = if !database.reachable {
        "down"
    } else if problems.is_empty() {
        "ready"
    } else {
        "degraded"
    };
    Health {
        status,
        problems,
        database,
        disk,
        mail,
    }
}

fn database_state(
    c: &mut db::AnyConnection,
    now: DateTime<Utc>,
) -> Result<(DatabaseHealth, MailHealth), DbError> {
    // A real write, rolled back: refused on a read-only database or a standby.
    let probe: Result<(), diesel::result::Error> = db::transaction(c, |c| {
        diesel::sql_query("UPDATE conference SET version = version").execute(c)?;
        Err(diesel::result::Error::RollbackTransaction)
    });
    let writable = matches!(probe, Err(diesel::result::Error::RollbackTransaction));
    let counts = outbox::counts_by_state(c)?;
    let count = |state: &str| {
        counts
            .iter()
            .filter(|(s, _)| s == state)
            .map(|(_, n)| *n)
            .sum::<i64>()
    };
    let oldest_due: Option<chrono::NaiveDateTime> = mail_outbox::table
        .filter(mail_outbox::state.eq(outbox::state::PENDING))
        .filter(mail_outbox::next_attempt_at.le(db::to_db(now)))
        .select(diesel::dsl::min(mail_outbox::next_attempt_at))
        .first(c)?;
    Ok((
        DatabaseHealth {
            reachable: true,
            writable,
        },
        MailHealth {
            backlog: count(outbox::state::PENDING) + count(outbox::state::SENDING),
            oldest_due_secs: oldest_due.map(|t| (now - db::from_db(t)).num_seconds()),
            failed: count(outbox::state::FAILED),
        },
    ))
}
