//! The audit log: who changed what, when. Written in the transaction of the change.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::audit_log;
use super::{AnyConnection, to_db};
use crate::domain::ids::UserId;

pub fn record(
    conn: &mut AnyConnection,
    actor: Option<&UserId>,
    action: &str,
    subject: &str,
    details: &str,
    at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::id.eq(uuid::Uuid::new_v4().to_string()),
            audit_log::at.eq(to_db(at)),
            audit_log::actor_id.eq(actor.map(UserId::as_str)),
            audit_log::action.eq(action),
            audit_log::subject.eq(subject),
            audit_log::details.eq(details),
        ))
        .execute(conn)
        .map(|_| ())
}

/// One audit entry for display.
#[derive(Debug, Clone, Queryable)]
pub struct AuditRow {
    pub at: chrono::NaiveDateTime,
    pub actor_id: Option<String>,
    pub action: String,
    pub subject: String,
    pub details: String,
}

pub fn recent(conn: &mut AnyConnection, limit: i64) -> QueryResult<Vec<AuditRow>> {
    audit_log::table
        .order(audit_log::at.desc())
        .limit(limit)
        .select((
            audit_log::at,
            audit_log::actor_id,
            audit_log::action,
            audit_log::subject,
            audit_log::details,
        ))
        .load(conn)
}

/// The entries about one subject (e.g. "#17"), oldest first.
pub fn for_subject(conn: &mut AnyConnection, subject: &str) -> QueryResult<Vec<AuditRow>> {
    audit_log::table
        .filter(audit_log::subject.eq(subject))
        .order(audit_log::at)
        .select((
            audit_log::at,
            audit_log::actor_id,
            audit_log::action,
            audit_log::subject,
            audit_log::details,
        ))
        .load(conn)
}
