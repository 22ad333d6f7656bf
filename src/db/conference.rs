//! The one conference row: settings as JSON plus a version for optimistic locking.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::conference;
use super::{AnyConnection, to_db};
use crate::domain::conference::ConferenceSettings;

const ROW_ID: i32 = 1;

/// Settings and the version they were read at.
#[derive(Debug, Clone)]
pub struct StoredSettings {
    pub settings: ConferenceSettings,
    pub version: i32,
}

fn decode(json: &str) -> QueryResult<ConferenceSettings> {
    serde_json::from_str(json).map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))
}

fn encode(settings: &ConferenceSettings) -> QueryResult<String> {
    serde_json::to_string(settings)
        .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))
}

pub fn load(conn: &mut AnyConnection) -> QueryResult<StoredSettings> {
    let (json, version) = conference::table
        .find(ROW_ID)
        .select((conference::settings, conference::version))
        .first::<(String, i32)>(conn)?;
    Ok(StoredSettings {
        settings: decode(&json)?,
        version,
    })
}

/// Writes first-start settings unless some exist; returns true when it wrote them.
pub fn ensure(
    conn: &mut AnyConnection,
    defaults: &ConferenceSettings,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let exists: i64 = conference::table.count().get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    diesel::insert_into(conference::table)
        .values((
            conference::id.eq(ROW_ID),
            conference::settings.eq(encode(defaults)?),
            conference::version.eq(1),
            conference::updated_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Saves settings if nobody saved since `expected_version` was read; returns the new
/// version, or None when the stored settings changed in between.
pub fn save(
    conn: &mut AnyConnection,
    settings: &ConferenceSettings,
    expected_version: i32,
    now: DateTime<Utc>,
) -> QueryResult<Option<i32>> {
    let changed = diesel::update(
        conference::table
            .find(ROW_ID)
            .filter(conference::version.eq(expected_version)),
    )
    .set((
        conference::settings.eq(encode(settings)?),
        conference::version.eq(expected_version + 1),
        conference::updated_at.eq(to_db(now)),
    ))
    .execute(conn)?;
    Ok((changed == 1).then_some(expected_version + 1))
}
