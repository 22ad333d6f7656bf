//! Versions of data that processes keep derived copies of in memory (the reviewer pool and
//! its conflicts, [`crate::web::pool_data::PoolCache`]). A row of `data_versions` per kind is
//! bumped by database triggers on every table the copy is computed from, so no code path can
//! forget to invalidate it, and writes by other processes (the CLI, `cfp demo`, a second
//! server on the same PostgreSQL database) are seen as well. The triggers differ per backend
//! (SQLite's `CREATE TRIGGER … BEGIN … END`, PostgreSQL's plpgsql function) and are created
//! here, idempotently, right after the migrations; the table comes from a migration.
//!
//! What the version does not cover: tables outside [`POOL_TABLES`]. A cache whose inputs grow
//! must add its tables there.

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

/// The current version of `name`, or `None` when its row is missing (then nothing may be
/// cached: the caller loads afresh every time).
pub fn current(c: &mut AnyConnection, name: &str) -> QueryResult<Option<i64>> {
    data_versions::table
        .find(name)
        .select(data_versions::version)
        .first(c)
        .optional()
}

/// Creates (or replaces) the triggers that bump the pool's version on every insert, update
/// and delete of [`POOL_TABLES`]. Safe to run at every start, also by two processes at once.
pub fn install(c: &mut AnyConnection) -> QueryResult<()> {
    match c {
        AnyConnection::Sqlite(_) => c.batch_execute(&sqlite_triggers()),
        AnyConnection::Postgresql(_) => c.batch_execute(&postgres_triggers()),
    }
}

/// One trigger per table and operation (SQLite has no multi-event or statement triggers).
fn sqlite_triggers() -> String {
    let mut sql = String::new();
    for table in POOL_TABLES {
        for (event, name) in [("INSERT", "ins"), ("UPDATE", "upd"), ("DELETE", "del")] {
            sql.push_str(&format!(
                "CREATE TRIGGER IF NOT EXISTS {table}_{name}_pool_version AFTER {event} ON {table} \
                 BEGIN UPDATE data_versions SET version = version + 1 WHERE name = '{POOL}'; END;\n"
            ));
        }
    }
    sql
}

/// One deferred row trigger per table calling one function that bumps the version once per
/// transaction, at its commit, created under an advisory lock so that two servers starting
/// together do not race. Deferred to the commit so the version row is locked only while the
/// writing transaction commits (an upload rush's transactions would otherwise queue behind
/// each other's whole transaction, and a transaction that wrote a pool table and then waited
/// for another row could deadlock with one holding that row); once per transaction through a
/// transaction-local setting, so a bulk insert bumps it once. TRUNCATE (which row triggers do
/// not see) has a statement trigger of its own.
fn postgres_triggers() -> String {
    let mut sql = format!(
        "BEGIN;\nSELECT pg_advisory_xact_lock(7306201);\n\
         CREATE OR REPLACE FUNCTION bump_pool_version() RETURNS trigger LANGUAGE plpgsql AS $$\n\
         BEGIN\n\
           IF current_setting('cfp.pool_version_bumped', true) IS DISTINCT FROM txid_current()::text THEN\n\
             PERFORM set_config('cfp.pool_version_bumped', txid_current()::text, true);\n\
             UPDATE data_versions SET version = version + 1 WHERE name = '{POOL}';\n\
           END IF;\n\
           RETURN NULL;\n\
         END\n\
         $$;\n"
    );
    for table in POOL_TABLES {
        sql.push_str(&format!(
            "DROP TRIGGER IF EXISTS {table}_pool_version_at_commit ON {table};\n\
             CREATE CONSTRAINT TRIGGER {table}_pool_version_at_commit \
             AFTER INSERT OR UPDATE OR DELETE ON {table} DEFERRABLE INITIALLY DEFERRED \
             FOR EACH ROW EXECUTE FUNCTION bump_pool_version();\n\
             CREATE OR REPLACE TRIGGER {table}_pool_version AFTER TRUNCATE ON {table} \
             FOR EACH STATEMENT EXECUTE FUNCTION bump_pool_version();\n"
        ));
    }
    sql.push_str("COMMIT;\n");
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pool_table_gets_a_trigger_per_write_on_sqlite() {
        let sql = sqlite_triggers();
        for table in POOL_TABLES {
            for event in ["INSERT", "UPDATE", "DELETE"] {
                assert!(
                    sql.contains(&format!("AFTER {event} ON {table} ")),
                    "{table} {event}"
                );
            }
        }
    }

    #[test]
    fn every_pool_table_gets_a_trigger_on_postgresql() {
        let sql = postgres_triggers();
        for table in POOL_TABLES {
            assert!(sql.contains(&format!(
                "AFTER INSERT OR UPDATE OR DELETE ON {table} DEFERRABLE INITIALLY DEFERRED "
            )));
            assert!(sql.contains(&format!("AFTER TRUNCATE ON {table} ")));
        }
    }
}
