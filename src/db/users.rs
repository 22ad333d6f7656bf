//! Accounts.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::users;
use super::{AnyConnection, from_db, to_db};
use crate::domain::account::Email;
use crate::domain::ids::UserId;
use crate::policy::Member;

/// A stored account.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub affiliation: String,
    pub password_hash: String,
    pub email_confirmed_at: Option<chrono::NaiveDateTime>,
    pub is_chair: bool,
    pub created_at: chrono::NaiveDateTime,
}

impl UserRow {
    pub fn user_id(&self) -> UserId {
        UserId::from_db(self.id.clone())
    }

    pub fn is_confirmed(&self) -> bool {
        self.email_confirmed_at.is_some()
    }

    pub fn confirmed_at(&self) -> Option<DateTime<Utc>> {
        self.email_confirmed_at.map(from_db)
    }

    /// The signed-in view of this account used by `policy`.
    pub fn to_member(&self) -> Member {
        Member {
            id: self.user_id(),
            name: self.name.clone(),
            email: Email::from_db(self.email.clone()),
            is_chair: self.is_chair,
        }
    }
}

/// A new account to insert.
#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUserRow<'a> {
    pub id: &'a str,
    pub email: &'a str,
    pub name: &'a str,
    pub affiliation: &'a str,
    pub password_hash: &'a str,
    pub email_confirmed_at: Option<chrono::NaiveDateTime>,
    pub is_chair: bool,
    pub created_at: chrono::NaiveDateTime,
}

pub fn insert(conn: &mut AnyConnection, row: &NewUserRow<'_>) -> QueryResult<()> {
    diesel::insert_into(users::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn find(conn: &mut AnyConnection, id: &UserId) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id.as_str())
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_email(conn: &mut AnyConnection, email: &Email) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::email.eq(email.as_str()))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn mark_confirmed(conn: &mut AnyConnection, id: &UserId, at: DateTime<Utc>) -> QueryResult<()> {
    diesel::update(
        users::table
            .find(id.as_str())
            .filter(users::email_confirmed_at.is_null()),
    )
    .set(users::email_confirmed_at.eq(Some(to_db(at))))
    .execute(conn)
    .map(|_| ())
}

pub fn set_password_hash(conn: &mut AnyConnection, id: &UserId, hash: &str) -> QueryResult<()> {
    diesel::update(users::table.find(id.as_str()))
        .set(users::password_hash.eq(hash))
        .execute(conn)
        .map(|_| ())
}

/// Grants or removes the chair flag; returns false when no account has that email.
pub fn set_chair(conn: &mut AnyConnection, email: &Email, is_chair: bool) -> QueryResult<bool> {
    let changed = diesel::update(users::table.filter(users::email.eq(email.as_str())))
        .set(users::is_chair.eq(is_chair))
        .execute(conn)?;
    Ok(changed > 0)
}

pub fn chairs(conn: &mut AnyConnection) -> QueryResult<Vec<UserRow>> {
    users::table
        .filter(users::is_chair.eq(true))
        .order(users::email)
        .select(UserRow::as_select())
        .load(conn)
}

pub fn count(conn: &mut AnyConnection) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

/// (email, name) of every account, for names on chair pages (without the other columns).
pub fn names(conn: &mut AnyConnection) -> QueryResult<Vec<(String, String)>> {
    users::table.select((users::email, users::name)).load(conn)
}

/// Every account, by email (for names on chair pages).
pub fn all(conn: &mut AnyConnection) -> QueryResult<Vec<UserRow>> {
    users::table
        .order(users::email)
        .select(UserRow::as_select())
        .load(conn)
}

/// People's names by email, for greetings: the account's name, else the name in the
/// reviewer pool. Addresses without either are left out (the greeting then has no name).
pub fn names_by_email(
    conn: &mut AnyConnection,
    emails: &[String],
) -> QueryResult<std::collections::HashMap<String, String>> {
    use super::schema::reviewer_profiles;
    let mut out: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for chunk in emails.chunks(500) {
        let pool: Vec<(String, String)> = reviewer_profiles::table
            .filter(reviewer_profiles::email.eq_any(chunk))
            .select((reviewer_profiles::email, reviewer_profiles::name))
            .load(conn)?;
        out.extend(pool.into_iter().filter(|(_, n)| !n.trim().is_empty()));
        let accounts: Vec<(String, String)> = users::table
            .filter(users::email.eq_any(chunk))
            .select((users::email, users::name))
            .load(conn)?;
        out.extend(accounts.into_iter().filter(|(_, n)| !n.trim().is_empty()));
    }
    Ok(out)
}
