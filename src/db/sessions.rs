//! Server-side sessions: one row per signed-in browser, found by the SHA-256 of the random
//! token its cookie holds. A session ends when its row goes: at sign-out, when the account's
//! password is reset, on "sign out everywhere", after the idle timeout or the absolute
//! lifetime (checked at every lookup, rows removed by [`sweep`]).

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use super::schema::{conference, sessions, users};
use super::users::UserRow;
use super::{AnyConnection, from_db, to_db};
use crate::domain::ids::UserId;

/// How long sessions live (from `security.session_idle_minutes` / `session_lifetime_hours`).
#[derive(Debug, Clone, Copy)]
pub struct SessionLimits {
    pub idle: Duration,
    pub lifetime: Duration,
}

impl SessionLimits {
    pub fn from_settings(security: &crate::config::SecuritySettings) -> SessionLimits {
        SessionLimits {
            idle: Duration::minutes(i64::from(security.session_idle_minutes.max(1))),
            lifetime: Duration::hours(i64::from(security.session_lifetime_hours.max(1))),
        }
    }
}

/// Last-seen times are written at most this often per session, not on every request.
const TOUCH_EVERY_SECS: i64 = 60;

/// A stored session, without its token (which is never stored).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: String,
    pub token_hash: String,
    pub user_id: String,
    pub created_at: chrono::NaiveDateTime,
    pub last_seen_at: chrono::NaiveDateTime,
    pub user_agent: String,
}

impl SessionRow {
    fn is_live(&self, now: DateTime<Utc>, limits: SessionLimits) -> bool {
        from_db(self.last_seen_at) + limits.idle > now
            && from_db(self.created_at) + limits.lifetime > now
    }

    pub fn created(&self) -> DateTime<Utc> {
        from_db(self.created_at)
    }

    pub fn last_seen(&self) -> DateTime<Utc> {
        from_db(self.last_seen_at)
    }
}

/// Starts a session for `user`; `token_hash` is the hash of the token the cookie will hold.
pub fn create(
    conn: &mut AnyConnection,
    token_hash: &str,
    user: &UserId,
    user_agent: &str,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let summary: String = user_agent.chars().take(100).collect();
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(uuid::Uuid::new_v4().to_string()),
            sessions::token_hash.eq(token_hash),
            sessions::user_id.eq(user.as_str()),
            sessions::created_at.eq(to_db(now)),
            sessions::last_seen_at.eq(to_db(now)),
            sessions::user_agent.eq(summary),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The live session with this token hash and its account, refreshing its last-seen time. An
/// expired session is deleted and yields `None`.
pub fn lookup(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: DateTime<Utc>,
    limits: SessionLimits,
) -> QueryResult<Option<(SessionRow, UserRow)>> {
    let found = sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(token_hash))
        .select((SessionRow::as_select(), UserRow::as_select()))
        .first::<(SessionRow, UserRow)>(conn)
        .optional()?;
    let Some((session, user)) = found else {
        return Ok(None);
    };
    if !session.is_live(now, limits) {
        diesel::delete(sessions::table.find(&session.id)).execute(conn)?;
        return Ok(None);
    }
    if now - from_db(session.last_seen_at) >= Duration::seconds(TOUCH_EVERY_SECS) {
        diesel::update(sessions::table.find(&session.id))
            .set(sessions::last_seen_at.eq(to_db(now)))
            .execute(conn)?;
    }
    Ok(Some((session, user)))
}

/// [`lookup`] and the conference settings' version in one query (one round trip on
/// PostgreSQL for a signed-in visitor's request); without a token, only the version.
pub fn lookup_with_settings_version(
    conn: &mut AnyConnection,
    token_hash: Option<&str>,
    now: DateTime<Utc>,
    limits: SessionLimits,
) -> QueryResult<(Option<(SessionRow, UserRow)>, i32)> {
    let Some(token_hash) = token_hash else {
        return Ok((None, super::conference::version(conn)?));
    };
    let found = sessions::table
        .inner_join(users::table)
        .inner_join(conference::table.on(conference::id.eq(1)))
        .filter(sessions::token_hash.eq(token_hash))
        .select((
            SessionRow::as_select(),
            UserRow::as_select(),
            conference::version,
        ))
        .first::<(SessionRow, UserRow, i32)>(conn)
        .optional()?;
    let Some((session, user, version)) = found else {
        return Ok((None, super::conference::version(conn)?));
    };
    if !session.is_live(now, limits) {
        diesel::delete(sessions::table.find(&session.id)).execute(conn)?;
        return Ok((None, version));
    }
    if now - from_db(session.last_seen_at) >= Duration::seconds(TOUCH_EVERY_SECS) {
        diesel::update(sessions::table.find(&session.id))
            .set(sessions::last_seen_at.eq(to_db(now)))
            .execute(conn)?;
    }
    Ok((Some((session, user)), version))
}

/// Ends the session with this token hash (sign-out).
pub fn delete_by_token_hash(conn: &mut AnyConnection, token_hash: &str) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::token_hash.eq(token_hash))).execute(conn)
}

/// Ends one of the account's sessions by its public id (from the account page).
pub fn delete_one(conn: &mut AnyConnection, user: &UserId, id: &str) -> QueryResult<usize> {
    diesel::delete(
        sessions::table
            .filter(sessions::user_id.eq(user.as_str()))
            .filter(sessions::id.eq(id)),
    )
    .execute(conn)
}

/// Ends every session of the account (password reset, "sign out everywhere").
pub fn delete_all_for_user(conn: &mut AnyConnection, user: &UserId) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user.as_str()))).execute(conn)
}

/// Ends every session of the account but `keep` (a password change from the account page).
pub fn delete_others_for_user(
    conn: &mut AnyConnection,
    user: &UserId,
    keep: &str,
) -> QueryResult<usize> {
    diesel::delete(
        sessions::table
            .filter(sessions::user_id.eq(user.as_str()))
            .filter(sessions::id.ne(keep)),
    )
    .execute(conn)
}

/// The account's live sessions, most recently used first.
pub fn list_for_user(
    conn: &mut AnyConnection,
    user: &UserId,
    now: DateTime<Utc>,
    limits: SessionLimits,
) -> QueryResult<Vec<SessionRow>> {
    let rows = sessions::table
        .filter(sessions::user_id.eq(user.as_str()))
        .order((sessions::last_seen_at.desc(), sessions::id))
        .select(SessionRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|s| s.is_live(now, limits))
        .collect())
}

/// Deletes every session past its idle timeout or lifetime; returns how many.
pub fn sweep(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
    limits: SessionLimits,
) -> QueryResult<usize> {
    diesel::delete(
        sessions::table.filter(
            sessions::last_seen_at
                .le(to_db(now - limits.idle))
                .or(sessions::created_at.le(to_db(now - limits.lifetime))),
        ),
    )
    .execute(conn)
}
