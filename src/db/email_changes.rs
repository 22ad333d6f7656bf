//! Pending changes of a person's email address, and applying one: the address is the key that
//! links a person to their authorships, reviewer profile, bids, conflicts, assignments and
//! reviews, so all of them change together with the account, in the caller's transaction.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::{
    assignments, bids, email_changes, entered_conflicts, reviewer_profiles, reviews,
    submission_authors, users,
};
use super::{AnyConnection, to_db};
use crate::domain::ids::UserId;

/// Records a requested change; earlier pending requests of the same person stop working.
pub fn insert(
    c: &mut AnyConnection,
    token_hash: &str,
    user: &UserId,
    new_email: &str,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(
        email_changes::table
            .filter(email_changes::user_id.eq(user.as_str()))
            .filter(email_changes::used_at.is_null()),
    )
    .set(email_changes::used_at.eq(Some(to_db(now))))
    .execute(c)?;
    diesel::insert_into(email_changes::table)
        .values((
            email_changes::token_hash.eq(token_hash),
            email_changes::user_id.eq(user.as_str()),
            email_changes::new_email.eq(new_email),
            email_changes::expires_at.eq(to_db(expires_at)),
            email_changes::used_at.eq(None::<chrono::NaiveDateTime>),
            email_changes::created_at.eq(to_db(now)),
        ))
        .execute(c)
        .map(|_| ())
}

/// The (account, new address) of a still-valid request, without using it up.
pub fn peek(
    c: &mut AnyConnection,
    token_hash: &str,
    now: DateTime<Utc>,
) -> QueryResult<Option<(String, String)>> {
    email_changes::table
        .filter(email_changes::token_hash.eq(token_hash))
        .filter(email_changes::used_at.is_null())
        .filter(email_changes::expires_at.gt(to_db(now)))
        .select((email_changes::user_id, email_changes::new_email))
        .first(c)
        .optional()
}

/// Uses up a valid request; `None` when it was used, replaced or expired.
pub fn consume(
    c: &mut AnyConnection,
    token_hash: &str,
    now: DateTime<Utc>,
) -> QueryResult<Option<(String, String)>> {
    let found = peek(c, token_hash, now)?;
    if found.is_some() {
        let n = diesel::update(
            email_changes::table
                .filter(email_changes::token_hash.eq(token_hash))
                .filter(email_changes::used_at.is_null()),
        )
        .set(email_changes::used_at.eq(Some(to_db(now))))
        .execute(c)?;
        if n == 0 {
            return Ok(None);
        }
    }
    Ok(found)
}

/// Whether `email` already names someone: an account, a reviewer profile, an assignment, a
/// bid or a review (moving another person's rows onto it would merge two people).
pub fn address_in_use(c: &mut AnyConnection, email: &str) -> QueryResult<bool> {
    let n: i64 = users::table
        .filter(users::email.eq(email))
        .count()
        .get_result(c)?;
    let p: i64 = reviewer_profiles::table
        .filter(reviewer_profiles::email.eq(email))
        .count()
        .get_result(c)?;
    let a: i64 = assignments::table
        .filter(assignments::reviewer_email.eq(email))
        .count()
        .get_result(c)?;
    let b: i64 = bids::table
        .filter(bids::reviewer_email.eq(email))
        .count()
        .get_result(c)?;
    let r: i64 = reviews::table
        .filter(reviews::reviewer_email.eq(email))
        .count()
        .get_result(c)?;
    Ok(n + p + a + b + r > 0)
}

/// Moves everything linked to `old` onto `new` (run inside a transaction).
pub fn apply(c: &mut AnyConnection, user: &UserId, old: &str, new: &str) -> QueryResult<()> {
    diesel::update(users::table.find(user.as_str()))
        .set(users::email.eq(new))
        .execute(c)?;
    diesel::update(submission_authors::table.filter(submission_authors::email.eq(old)))
        .set(submission_authors::email.eq(new))
        .execute(c)?;
    diesel::update(reviewer_profiles::table.filter(reviewer_profiles::email.eq(old)))
        .set(reviewer_profiles::email.eq(new))
        .execute(c)?;
    diesel::update(bids::table.filter(bids::reviewer_email.eq(old)))
        .set(bids::reviewer_email.eq(new))
        .execute(c)?;
    diesel::update(entered_conflicts::table.filter(entered_conflicts::reviewer_email.eq(old)))
        .set(entered_conflicts::reviewer_email.eq(new))
        .execute(c)?;
    diesel::update(assignments::table.filter(assignments::reviewer_email.eq(old)))
        .set(assignments::reviewer_email.eq(new))
        .execute(c)?;
    diesel::update(reviews::table.filter(reviews::reviewer_email.eq(old)))
        .set(reviews::reviewer_email.eq(new))
        .execute(c)?;
    Ok(())
}

/// Saves a person's name and affiliation.
pub fn set_profile(
    c: &mut AnyConnection,
    user: &UserId,
    name: &str,
    affiliation: &str,
) -> QueryResult<()> {
    diesel::update(users::table.find(user.as_str()))
        .set((users::name.eq(name), users::affiliation.eq(affiliation)))
        .execute(c)
        .map(|_| ())
}
