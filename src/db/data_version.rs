//! Versions of data that processes keep derived copies of in memory (the reviewer pool and
//! its conflicts, [`crate::web::pool_data::PoolCache`]; the decisions board's ranking,
//! `web::chair::board`). A row of `data_versions` per kind is bumped by database triggers on
//! every table the copy is computed from, so no code path can forget to invalidate it, and
//! writes by other processes (the CLI, `cfp demo`, a second server on the same PostgreSQL
//! database) are seen as well. The triggers differ per backend (SQLite's
//! `CREATE TRIGGER … BEGIN … END`, PostgreSQL's plpgsql function) and are created here,
//! idempotently, right after the migrations; the table comes from a migration.
//!
//! What a version does not cover: tables outside its list in [`VERSIONS`]. A cache whose
//! inputs grow must add its tables there.

use std::sync::{Arc, RwLock};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use super::AnyConnection;
use super::schema::data_versions;

/// The version of everything `PoolData::load` reads.
pub const POOL: &str = "pool";

/// The tables the reviewer pool, its conflicts and the chairs' pool pages are computed from:
/// submissions (title, status, keywords, declared conflicts), their authors (names, emails,
/// affiliations, the main author), reviewer profiles (volunteers, pool membership, loads,
/// keywords, declared conflicts, names and affiliations), bids, entered and reported
/// conflicts, and committed assignments.
pub const POOL_TABLES: [&str; 6] = [
    "submissions",
    "submission_authors",
    "reviewer_profiles",
    "bids",
    "entered_conflicts",
    "assignments",
];

/// The version of what the decisions board and the review progress page rank
/// (`db::ranking`): active papers, their decisions, assignments and the reviews' states and
/// stored scores.
pub const RANKING: &str = "ranking";

/// The tables [`RANKING`] is computed from.
pub const RANKING_TABLES: [&str; 4] = ["submissions", "decisions", "assignments", "reviews"];

/// Every version with the tables whose writes bump it.
pub const VERSIONS: [(&str, &[&str]); 2] = [(POOL, &POOL_TABLES), (RANKING, &RANKING_TABLES)];

/// The current version of `name`, or `None` when its row is missing (then nothing may be
/// cached: the caller loads afresh every time).
pub fn current(c: &mut AnyConnection, name: &str) -> QueryResult<Option<i64>> {
    data_versions::table
        .find(name)
        .select(data_versions::version)
        .first(c)
        .optional()
}

/// Creates (or replaces) the triggers that bump each version on every insert, update and
/// delete of its tables. Safe to run at every start, also by two processes at once.
pub fn install(c: &mut AnyConnection) -> QueryResult<()> {
    match c {
        AnyConnection::Sqlite(_) => c.batch_execute(&sqlite_triggers()),
        AnyConnection::Postgresql(_) => c.batch_execute(&postgres_triggers()),
    }
}

/// One trigger per version, table and operation (SQLite has no multi-event or statement
/// triggers).
fn sqlite_triggers() -> String {
    let mut sql = String::new();
    for (version, tables) in VERSIONS {
        for table in tables {
            for (event, name) in [("INSERT", "ins"), ("UPDATE", "upd"), ("DELETE", "del")] {
                sql.push_str(&format!(
                    "CREATE TRIGGER IF NOT EXISTS {table}_{name}_{version}_version AFTER {event} \
                     ON {table} BEGIN UPDATE data_versions SET version = version + 1 \
                     WHERE name = '{version}'; END;\n"
                ));
            }
        }
    }
    sql
}

/// Per version, one deferred row trigger per table calling one function that bumps the
/// version once per transaction, at its commit, created under an advisory lock so that two
/// servers starting together do not race. Deferred to the commit so the version row is
/// locked only while the writing transaction commits (an upload rush's transactions would
/// otherwise queue behind each other's whole transaction, and a transaction that wrote a
/// tracked table and then waited for another row could deadlock with one holding that row);
/// once per transaction through a transaction-local setting, so a bulk insert bumps it once.
/// A transaction may bump several versions, in the order its writes came; each bump first
/// locks every version row in name order, so two committing transactions never hold one
/// version row each while waiting for the other's (a deadlock PostgreSQL would end by
/// failing one of them). TRUNCATE (which row triggers do not see) has a statement trigger of
/// its own.
fn postgres_triggers() -> String {
    let mut sql = String::from("BEGIN;\nSELECT pg_advisory_xact_lock(7306201);\n");
    for (version, tables) in VERSIONS {
        sql.push_str(&format!(
            "CREATE OR REPLACE FUNCTION bump_{version}_version() RETURNS trigger LANGUAGE plpgsql AS $$\n\
             BEGIN\n\
               IF current_setting('cfp.{version}_version_bumped', true) IS DISTINCT FROM txid_current()::text THEN\n\
                 PERFORM set_config('cfp.{version}_version_bumped', txid_current()::text, true);\n\
                 PERFORM 1 FROM data_versions ORDER BY name FOR UPDATE;\n\
                 UPDATE data_versions SET version = version + 1 WHERE name = '{version}';\n\
               END IF;\n\
               RETURN NULL;\n\
             END\n\
             $$;\n"
        ));
        for table in tables {
            sql.push_str(&format!(
                "DROP TRIGGER IF EXISTS {table}_{version}_version_at_commit ON {table};\n\
                 CREATE CONSTRAINT TRIGGER {table}_{version}_version_at_commit \
                 AFTER INSERT OR UPDATE OR DELETE ON {table} DEFERRABLE INITIALLY DEFERRED \
                 FOR EACH ROW EXECUTE FUNCTION bump_{version}_version();\n\
                 CREATE OR REPLACE TRIGGER {table}_{version}_version AFTER TRUNCATE ON {table} \
                 FOR EACH STATEMENT EXECUTE FUNCTION bump_{version}_version();\n"
            ));
        }
    }
    sql.push_str("COMMIT;\n");
    sql
}

/// One copy per process of something computed from the tables of version `name`, used while
/// that version is unchanged and computed again after any write to them. The version is read
/// before the rows, so a copy is never labelled newer than its data: a write that lands
/// between the two makes the next request compute again.
pub struct Versioned<T> {
    name: &'static str,
    current: RwLock<Option<(i64, Arc<T>)>>,
}

impl<T> Versioned<T> {
    pub const fn new(name: &'static str) -> Versioned<T> {
        Versioned {
            name,
            current: RwLock::new(None),
        }
    }

    /// The copy at the current version, from memory or from `load`.
    pub fn get<E: From<diesel::result::Error>>(
        &self,
        c: &mut AnyConnection,
        load: impl FnOnce(&mut AnyConnection) -> Result<T, E>,
    ) -> Result<Arc<T>, E> {
        let Some(version) = current(c, self.name)? else {
            return Ok(Arc::new(load(c)?));
        };
        if let Ok(guard) = self.current.read()
            && let Some((v, data)) = guard.as_ref()
            && *v == version
        {
            return Ok(data.clone());
        }
        let fresh = Arc::new(load(c)?);
        if let Ok(mut guard) = self.current.write()
            // Never replace a newer copy with an older one computed by a slower request.
            && guard.as_ref().is_none_or(|(v, _)| *v <= version)
        {
            *guard = Some((version, fresh.clone()));
        }
        Ok(fresh)
    }
}

impl<T> std::fmt::Debug for Versioned<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let version = self
            .current
            .read()
            .ok()
            .and_then(|g| g.as_ref().map(|(v, _)| *v));
        f.debug_struct("Versioned")
            .field("name", &self.name)
            .field("version", &version)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tracked_table_gets_a_trigger_per_write_on_sqlite() {
        let sql = sqlite_triggers();
        for (version, tables) in VERSIONS {
            for table in tables {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    let head = format!("AFTER {event} ON {table} BEGIN UPDATE data_versions");
                    let bump = format!("WHERE name = '{version}'; END;");
                    assert!(
                        sql.lines().any(|l| l.contains(&head) && l.contains(&bump)),
                        "{version} {table} {event}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_tracked_table_gets_a_trigger_on_postgresql() {
        let sql = postgres_triggers();
        for (version, tables) in VERSIONS {
            assert!(sql.contains(&format!("WHERE name = '{version}';")));
            assert!(sql.contains(&format!(
                "PERFORM 1 FROM data_versions ORDER BY name FOR UPDATE;\n\
                 UPDATE data_versions SET version = version + 1 WHERE name = '{version}';"
            )));
            for table in tables {
                assert!(sql.contains(&format!(
                    "AFTER INSERT OR UPDATE OR DELETE ON {table} DEFERRABLE INITIALLY DEFERRED \
                     FOR EACH ROW EXECUTE FUNCTION bump_{version}_version()"
                )));
                assert!(sql.contains(&format!(
                    "AFTER TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION \
                     bump_{version}_version()"
                )));
            }
        }
    }
}
