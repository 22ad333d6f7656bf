//! Server-side sessions: one row per signed-in browser, found by the SHA-256 of the random
//! token its cookie holds. A session ends when its row goes: at sign-out, when the account's
//! password is reset, on "sign out everywhere", after the idle timeout or the absolute
//! lifetime (checked at every lookup, rows removed by [`sweep`]).

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use super::data_version::{PaperStamp, Stamp};
use super::schema::{
    conference, decision_release, paper_versions, person_versions, sessions, submissions, users,
};
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

/// What every request reads before its page: the signed-in session with its account, the
/// settings' version and when decisions were released (many pages follow the release).
#[derive(Debug, Clone)]
pub struct RequestFacts {
    pub session: Option<(SessionRow, UserRow)>,
    pub settings_version: i32,
    pub released_at: Option<DateTime<Utc>>,
    /// The version of the paper the request's path names, for a signed-in session (`None`
    /// for no such paper, or one whose version row is missing: then nothing is cached).
    pub paper: Option<PaperStamp>,
    /// The signed-in person's version, keyed by their email (`None` without a version row).
    pub viewer: Option<Stamp>,
}

/// One row of the signed-in request's query.
type SessionFacts = (
    SessionRow,
    UserRow,
    i32,
    Option<chrono::NaiveDateTime>,
    Option<String>,
    Option<i64>,
    Option<i64>,
);

/// [`lookup`], the conference settings' version, the release time, the version of paper
/// number `paper` (the one the request's path names, if any) and the signed-in person's
/// version in one query (one round trip on PostgreSQL for a request, signed in or not, unless
/// the session's last-seen time is due for its update or the session expired).
pub fn lookup_for_request(
    conn: &mut AnyConnection,
    token_hash: Option<&str>,
    paper: Option<i32>,
    now: DateTime<Utc>,
    limits: SessionLimits,
) -> QueryResult<RequestFacts> {
    let found = match token_hash {
        Some(token_hash) => sessions::table
            .inner_join(users::table)
            .inner_join(conference::table.on(conference::id.eq(super::conference::ROW_ID)))
            .left_join(decision_release::table.on(decision_release::id.eq(RELEASE_ROW_ID)))
            // `number = NULL` matches nothing: without a paper in the path, no row joins.
            .left_join(submissions::table.on(submissions::number.nullable().eq(paper)))
            .left_join(paper_versions::table.on(paper_versions::submission_id.eq(submissions::id)))
            .left_join(person_versions::table.on(person_versions::email.eq(users::email)))
            .filter(sessions::token_hash.eq(token_hash))
            .select((
                SessionRow::as_select(),
                UserRow::as_select(),
                conference::version,
                decision_release::released_at.nullable(),
                paper_versions::submission_id.nullable(),
                paper_versions::version.nullable(),
                person_versions::version.nullable(),
            ))
            .first::<SessionFacts>(conn)
            .optional()?,
        None => None,
    };
    let Some((session, user, settings_version, released_at, paper_id, paper_version, viewer)) =
        found
    else {
        let (settings_version, released_at) = conference::table
            .left_join(decision_release::table.on(decision_release::id.eq(RELEASE_ROW_ID)))
            .filter(conference::id.eq(super::conference::ROW_ID))
            .select((
                conference::version,
                decision_release::released_at.nullable(),
            ))
            .first::<(i32, Option<chrono::NaiveDateTime>)>(conn)?;
        return Ok(RequestFacts {
            session: None,
            settings_version,
            released_at: released_at.map(from_db),
            paper: None,
            viewer: None,
        });
    };
    let mut facts = RequestFacts {
        session: None,
        settings_version,
        released_at: released_at.map(from_db),
        paper: paper
            .zip(paper_id)
            .zip(paper_version)
            .map(|((number, key), version)| PaperStamp {
                number,
                stamp: Stamp { key, version },
            }),
        viewer: viewer.map(|version| Stamp {
            key: user.email.clone(),
            version,
        }),
    };
    if !session.is_live(now, limits) {
        diesel::delete(sessions::table.find(&session.id)).execute(conn)?;
        return Ok(facts);
    }
    if now - from_db(session.last_seen_at) >= Duration::seconds(TOUCH_EVERY_SECS) {
        diesel::update(sessions::table.find(&session.id))
            .set(sessions::last_seen_at.eq(to_db(now)))
            .execute(conn)?;
    }
    facts.session = Some((session, user));
    Ok(facts)
}

/// The id of the one `decision_release` row (present once decisions were released).
const RELEASE_ROW_ID: i32 = 1;

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
