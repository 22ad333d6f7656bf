//! The one conference row: settings as JSON plus a version for optimistic locking.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::conference;
use super::{AnyConnection, to_db};
use crate::domain::conference::ConferenceSettings;

/// The id of the one conference row.
pub(super) const ROW_ID: i32 = 1;

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

/// The stored settings' version alone (one small row, no JSON).
pub fn version(conn: &mut AnyConnection) -> QueryResult<i32> {
    conference::table
        .find(ROW_ID)
        .select(conference::version)
        .first(conn)
}

/// The settings as last decoded by this process, kept while their version is unchanged:
/// every request reads the version (in the same query as its session,
/// `sessions::lookup_for_request`) and decodes the JSON only after a save. Per
/// application, so servers sharing a PostgreSQL database each notice the others' saves
/// by the version.
#[derive(Debug, Default)]
pub struct SettingsCache {
    current: std::sync::RwLock<Option<(i32, std::sync::Arc<ConferenceSettings>)>>,
}

impl SettingsCache {
    /// The settings at `version`, from the cache or (after a change) from the database.
    pub fn settings_at(
        &self,
        conn: &mut AnyConnection,
        version: i32,
    ) -> QueryResult<(i32, std::sync::Arc<ConferenceSettings>)> {
        if let Ok(guard) = self.current.read()
            && let Some((v, s)) = guard.as_ref()
            && *v == version
        {
            return Ok((*v, s.clone()));
        }
        let stored = load(conn)?;
        let fresh = (stored.version, std::sync::Arc::new(stored.settings));
        if let Ok(mut guard) = self.current.write() {
            // Never replace newer settings with older ones read by a slower request.
            if guard.as_ref().is_none_or(|(v, _)| *v <= fresh.0) {
                *guard = Some(fresh.clone());
            }
        }
        Ok(fresh)
    }
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
