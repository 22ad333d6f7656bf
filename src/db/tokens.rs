//! Single-use, expiring email tokens (confirmation and password reset). Only the token's
//! SHA-256 is stored, so a leaked database does not hand out working links.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::email_tokens;
use super::{AnyConnection, to_db};
use crate::domain::ids::UserId;

/// What a token may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    ConfirmEmail,
    ResetPassword,
}

impl TokenPurpose {
    fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::ConfirmEmail => "confirm",
            TokenPurpose::ResetPassword => "reset",
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = email_tokens)]
struct NewTokenRow<'a> {
    token_hash: &'a str,
    user_id: &'a str,
    purpose: &'a str,
    expires_at: chrono::NaiveDateTime,
    used_at: Option<chrono::NaiveDateTime>,
    created_at: chrono::NaiveDateTime,
}

pub fn insert(
    conn: &mut AnyConnection,
    token_hash: &str,
    user: &UserId,
    purpose: TokenPurpose,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let row = NewTokenRow {
        token_hash,
        user_id: user.as_str(),
        purpose: purpose.as_str(),
        expires_at: to_db(expires_at),
        used_at: None,
        created_at: to_db(now),
    };
    diesel::insert_into(email_tokens::table)
        .values(&row)
        .execute(conn)
        .map(|_| ())
}

/// The account a still-valid token belongs to, without using the token up.
pub fn peek(
    conn: &mut AnyConnection,
    token_hash: &str,
    purpose: TokenPurpose,
    now: DateTime<Utc>,
) -> QueryResult<Option<UserId>> {
    email_tokens::table
        .filter(email_tokens::token_hash.eq(token_hash))
        .filter(email_tokens::purpose.eq(purpose.as_str()))
        .filter(email_tokens::used_at.is_null())
        .filter(email_tokens::expires_at.gt(to_db(now)))
        .select(email_tokens::user_id)
        .first::<String>(conn)
        .optional()
        .map(|id| id.map(UserId::from_db))
}

/// Uses a token up. The single conditional UPDATE makes this atomic: of two simultaneous
/// uses, exactly one succeeds.
pub fn consume(
    conn: &mut AnyConnection,
    token_hash: &str,
    purpose: TokenPurpose,
    now: DateTime<Utc>,
) -> QueryResult<Option<UserId>> {
    let user = peek(conn, token_hash, purpose, now)?;
    let changed = diesel::update(
        email_tokens::table
            .filter(email_tokens::token_hash.eq(token_hash))
            .filter(email_tokens::used_at.is_null())
            .filter(email_tokens::expires_at.gt(to_db(now))),
    )
    .set(email_tokens::used_at.eq(Some(to_db(now))))
    .execute(conn)?;
    Ok(if changed == 1 { user } else { None })
}

/// Uses up every outstanding token of one purpose (after a password change, say).
pub fn invalidate_all(
    conn: &mut AnyConnection,
    user: &UserId,
    purpose: TokenPurpose,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(
        email_tokens::table
            .filter(email_tokens::user_id.eq(user.as_str()))
            .filter(email_tokens::purpose.eq(purpose.as_str()))
            .filter(email_tokens::used_at.is_null()),
    )
    .set(email_tokens::used_at.eq(Some(to_db(now))))
    .execute(conn)
    .map(|_| ())
}

/// Whether a token of this purpose was issued to the account since `since`.
pub fn created_since(
    conn: &mut AnyConnection,
    user: &UserId,
    purpose: TokenPurpose,
    since: DateTime<Utc>,
) -> QueryResult<bool> {
    let n: i64 = email_tokens::table
        .filter(email_tokens::user_id.eq(user.as_str()))
        .filter(email_tokens::purpose.eq(purpose.as_str()))
        .filter(email_tokens::created_at.gt(to_db(since)))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}
