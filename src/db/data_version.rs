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
//!
//! Beside these whole-conference versions, each paper has its own (`paper_versions`, bumped
//! by triggers on [`PAPER_TABLES`]) and so has each person (`person_versions`,
//! [`PERSON_TABLES`]): a page about one paper (the reviewer's page) or one person's own list
//! ("My reviews") can be kept per paper or person ([`Kept`]) and stays valid while other
//! papers and people are written about. The versions of the paper a request's path names and
//! of the signed-in person are read with the session (`sessions::lookup_for_request`), so a
//! page served from memory costs no statement of its own.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use super::AnyConnection;
use super::schema::data_versions;

/// The version of everything `PoolData::load` reads except the bids ([`BIDS`]).
pub const POOL: &str = "pool";

/// The tables the reviewer pool, its conflicts and the chairs' pool pages are computed from,
/// bids apart: submissions (title, status, keywords, declared conflicts), their authors
/// (names, emails, affiliations, the main author), reviewer profiles (volunteers, pool
/// membership, loads, keywords, declared conflicts, names and affiliations), entered and
/// reported conflicts, and committed assignments.
pub const POOL_TABLES: [&str; 5] = [
    "submissions",
    "submission_authors",
    "reviewer_profiles",
    "entered_conflicts",
    "assignments",
];

/// The version of the bids: during bidding every bid changes them, and a process then reads
/// only the bids again, keeping the rest of its pool (`PoolCache`).
pub const BIDS: &str = "bids";

/// The tables [`BIDS`] is computed from.
pub const BIDS_TABLES: [&str; 1] = ["bids"];

/// The version of what the decisions board and the review progress page rank
/// (`db::ranking`): active papers, their decisions, assignments and the reviews' states and
/// stored scores.
pub const RANKING: &str = "ranking";

/// The tables [`RANKING`] is computed from.
pub const RANKING_TABLES: [&str; 4] = ["submissions", "decisions", "assignments", "reviews"];

/// Every version with the tables whose writes bump it.
pub const VERSIONS: [(&str, &[&str]); 3] = [
    (BIDS, &BIDS_TABLES),
    (POOL, &POOL_TABLES),
    (RANKING, &RANKING_TABLES),
];

/// Triggers of earlier versions of this list, dropped before the current ones are created:
/// bids bumped [`POOL`] until they had a version of their own.
const RETIRED_TRIGGERS: [(&str, &str); 1] = [("bids", "pool")];

/// The current version of `name`, or `None` when its row is missing (then nothing may be
/// cached: the caller loads afresh every time).
pub fn current(c: &mut AnyConnection, name: &str) -> QueryResult<Option<i64>> {
    data_versions::table
        .find(name)
        .select(data_versions::version)
        .first(c)
        .optional()
}

/// The current versions of `names`, in their order, in one query (`None` where a row is
/// missing).
pub fn current_of(c: &mut AnyConnection, names: &[&str]) -> QueryResult<Vec<Option<i64>>> {
    let rows: Vec<(String, i64)> = data_versions::table
        .filter(data_versions::name.eq_any(names))
        .select((data_versions::name, data_versions::version))
        .load(c)?;
    Ok(names
        .iter()
        .map(|n| rows.iter().find(|(name, _)| name == n).map(|(_, v)| *v))
        .collect())
}

/// The tables a paper's reviewer page is built from (the paper, its authors and files, its
/// assignments, reviews and their versions, the authors' response with its versions and
/// acknowledgements, the meta-review, the discussion), each with a query naming (as
/// `submission_id`) the paper of one of its rows (`{row}`: the trigger's `NEW` or `OLD`). A
/// page kept per paper may read only these tables.
pub const PAPER_TABLES: [(&str, &str); 11] = [
    ("submissions", "SELECT {row}.id AS submission_id"),
    (
        "submission_authors",
        "SELECT {row}.submission_id AS submission_id",
    ),
    ("documents", "SELECT {row}.submission_id AS submission_id"),
    ("assignments", "SELECT {row}.submission_id AS submission_id"),
    ("reviews", "SELECT {row}.submission_id AS submission_id"),
    (
        "review_revisions",
        "SELECT submission_id FROM reviews WHERE id = {row}.review_id",
    ),
    (
        "response_acknowledgements",
        "SELECT {row}.submission_id AS submission_id",
    ),
    (
        "author_responses",
        "SELECT {row}.submission_id AS submission_id",
    ),
    (
        "author_response_revisions",
        "SELECT submission_id FROM author_responses WHERE id = {row}.response_id",
    ),
    (
        "meta_reviews",
        "SELECT {row}.submission_id AS submission_id",
    ),
    (
        "discussion_comments",
        "SELECT {row}.submission_id AS submission_id",
    ),
];

/// The tables a person's own lists are built from ("My reviews": the papers assigned to them
/// with their own reviews' states, and whether they are in the pool; "My submissions": the
/// papers they wrote with their newest PDF's facts and released decisions), each with a query
/// naming (as `email`) the people whose lists a row of it appears in (`{row}`: the trigger's
/// `NEW` or `OLD`). A paper's own row appears in its authors' and its reviewers' lists. A
/// list kept per person may read only these tables.
pub const PERSON_TABLES: [(&str, &str); 7] = [
    ("reviewer_profiles", "SELECT {row}.email AS email"),
    ("submission_authors", "SELECT {row}.email AS email"),
    ("assignments", "SELECT {row}.reviewer_email AS email"),
    ("reviews", "SELECT {row}.reviewer_email AS email"),
    (
        "submissions",
        "SELECT email FROM submission_authors WHERE submission_id = {row}.id \
         UNION SELECT reviewer_email FROM assignments WHERE submission_id = {row}.id",
    ),
    (
        "submission_listing",
        "SELECT email FROM submission_authors WHERE submission_id = {row}.submission_id",
    ),
    (
        "decisions",
        "SELECT email FROM submission_authors WHERE submission_id = {row}.submission_id",
    ),
];

/// Versions kept per paper or per person: the table holding them, its key column, and per
/// tracked table the query naming the keys a written row touches.
struct Keyed {
    /// `paper` or `person`: in the triggers' and functions' names.
    name: &'static str,
    versions: &'static str,
    key: &'static str,
    tables: &'static [(&'static str, &'static str)],
    /// On PostgreSQL, bumped at the commit under the conference-wide version rows (people: a
    /// chair's bulk assignment names hundreds of them in no particular order) rather than at
    /// once (papers: a transaction then takes a paper's row when it writes the paper, before
    /// any conference-wide row at its commit, so a review save and a chair's bulk write take
    /// the two kinds of row in the same order).
    at_commit: bool,
}

const PAPERS: Keyed = Keyed {
    name: "paper",
    versions: "paper_versions",
    key: "submission_id",
    tables: &PAPER_TABLES,
    at_commit: false,
};

const PEOPLE: Keyed = Keyed {
    name: "person",
    versions: "person_versions",
    key: "email",
    tables: &PERSON_TABLES,
    at_commit: true,
};

/// Creates (or replaces) the triggers that bump each version on every insert, update and
/// delete of its tables. Safe to run at every start, also by two processes at once.
pub fn install(c: &mut AnyConnection) -> QueryResult<()> {
    match c {
        AnyConnection::Sqlite(_) => {
            c.batch_execute(&sqlite_triggers())?;
            for keyed in [PAPERS, PEOPLE] {
                c.batch_execute(&sqlite_keyed_triggers(&keyed))?;
            }
            Ok(())
        }
        AnyConnection::Postgresql(_) => {
            c.batch_execute(&postgres_triggers())?;
            for keyed in [PAPERS, PEOPLE] {
                c.batch_execute(&postgres_keyed_triggers(&keyed))?;
            }
            Ok(())
        }
    }
}

/// Per table and write, a trigger bumping the version of every key the written row names (on
/// an update, before and after), creating missing version rows; a row that names none, such
/// as a revision whose review is already gone, bumps nothing (its parent's own trigger did).
fn sqlite_keyed_triggers(k: &Keyed) -> String {
    let (name, versions, key) = (k.name, k.versions, k.key);
    let mut sql = String::new();
    for (table, keys) in k.tables {
        let new = keys.replace("{row}", "NEW");
        let old = keys.replace("{row}", "OLD");
        for (event, short, created, bumped) in [
            ("INSERT", "ins", Some(&new), new.clone()),
            ("UPDATE", "upd", Some(&new), format!("{new} UNION {old}")),
            ("DELETE", "del", None, old.clone()),
        ] {
            let create = created.map_or(String::new(), |set| {
                format!(
                    "INSERT OR IGNORE INTO {versions} ({key}, version) \
                     SELECT {key}, 0 FROM ({set}) WHERE {key} IS NOT NULL; "
                )
            });
            sql.push_str(&format!(
                "CREATE TRIGGER IF NOT EXISTS {table}_{short}_{name}_version AFTER {event} \
                 ON {table} BEGIN {create}UPDATE {versions} SET version = version + 1 \
                 WHERE {key} IN ({bumped}); END;\n"
            ));
        }
    }
    sql
}

/// Per table, a row trigger bumping the version of every key the written row names (on an
/// update, before and after), at once or, with `at_commit`, deferred to the commit (so it
/// sees the transaction's final rows: the authors of a paper inserted before them); and a
/// TRUNCATE trigger bumping every key. With `at_commit`, a transaction first locks the
/// conference-wide version rows in name order, as their own bumps do: its rows are then only
/// ever written by the one committing transaction holding those, which waits for nothing
/// else, so no two transactions can wait for each other's rows.
fn postgres_keyed_triggers(k: &Keyed) -> String {
    let (name, versions, key) = (k.name, k.versions, k.key);
    let mut sql = format!(
        "BEGIN;\n\
         SELECT pg_advisory_xact_lock(7306201);\n\
         CREATE OR REPLACE FUNCTION bump_every_{name}_version() RETURNS trigger \
         LANGUAGE plpgsql AS $$\n\
         BEGIN\n\
           UPDATE {versions} SET version = version + 1;\n\
           RETURN NULL;\n\
         END\n\
         $$;\n"
    );
    let lock = if k.at_commit {
        format!(
            "IF current_setting('cfp.{name}_rows_locked', true) IS DISTINCT FROM txid_current()::text THEN\n\
               PERFORM set_config('cfp.{name}_rows_locked', txid_current()::text, true);\n\
               PERFORM 1 FROM data_versions ORDER BY name FOR UPDATE;\n\
             END IF;\n"
        )
    } else {
        String::new()
    };
    let bump = |set: &str| {
        format!(
            "INSERT INTO {versions} ({key}, version)\n\
             SELECT DISTINCT {key}, 1 FROM ({set}) AS named WHERE {key} IS NOT NULL ORDER BY {key}\n\
             ON CONFLICT ({key}) DO UPDATE SET version = {versions}.version + 1;\n"
        )
    };
    for (table, keys) in k.tables {
        let (trigger, kind, timing) = if k.at_commit {
            (
                format!("{table}_{name}_version_at_commit"),
                "CONSTRAINT TRIGGER",
                " DEFERRABLE INITIALLY DEFERRED",
            )
        } else {
            (format!("{table}_{name}_version"), "TRIGGER", "")
        };
        sql.push_str(&format!(
            "CREATE OR REPLACE FUNCTION bump_{name}_versions_of_{table}() RETURNS trigger \
             LANGUAGE plpgsql AS $$\n\
             BEGIN\n\
               {lock}\
               IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN\n{bump_new}END IF;\n\
               IF TG_OP = 'DELETE' OR TG_OP = 'UPDATE' THEN\n{bump_old}END IF;\n\
               RETURN NULL;\n\
             END\n\
             $$;\n\
             DROP TRIGGER IF EXISTS {trigger} ON {table};\n\
             CREATE {kind} {trigger} AFTER INSERT OR UPDATE OR DELETE ON {table}{timing} \
             FOR EACH ROW EXECUTE FUNCTION bump_{name}_versions_of_{table}();\n\
             CREATE OR REPLACE TRIGGER {table}_{name}_versions_truncated AFTER TRUNCATE ON \
             {table} FOR EACH STATEMENT EXECUTE FUNCTION bump_every_{name}_version();\n",
            bump_new = bump(&keys.replace("{row}", "NEW")),
            bump_old = bump(&keys.replace("{row}", "OLD")),
        ));
    }
    sql.push_str("COMMIT;\n");
    sql
}

/// One trigger per version, table and operation (SQLite has no multi-event or statement
/// triggers).
fn sqlite_triggers() -> String {
    let mut sql = String::new();
    for (table, version) in RETIRED_TRIGGERS {
        for name in ["ins", "upd", "del"] {
            sql.push_str(&format!(
                "DROP TRIGGER IF EXISTS {table}_{name}_{version}_version;\n"
            ));
        }
    }
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
    for (table, version) in RETIRED_TRIGGERS {
        sql.push_str(&format!(
            "DROP TRIGGER IF EXISTS {table}_{version}_version_at_commit ON {table};\n\
             DROP TRIGGER IF EXISTS {table}_{version}_version ON {table};\n"
        ));
    }
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

/// The version of one paper (keyed by its submission id) or one person (keyed by email), as
/// read with the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub key: String,
    pub version: i64,
}

/// The version of the paper a request's path names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperStamp {
    pub number: i32,
    /// Keyed by the submission's id.
    pub stamp: Stamp,
}

/// Per paper (or per person), one copy per process of something computed from that paper's
/// rows in [`PAPER_TABLES`] (that person's in [`PERSON_TABLES`]), used while its version is
/// unchanged. Unlike [`Versioned`], the caller reads the version itself (with the session:
/// [`Stamp`]) and loads on a miss, since the load is an asynchronous database call of its
/// own. At most `capacity` copies are kept; a new one then replaces one picked by hash order,
/// which is as good as any choice for pages that are each read by a handful of people.
pub struct Kept<T> {
    capacity: usize,
    kept: RwLock<HashMap<String, (i64, Arc<T>)>>,
}

impl<T> Kept<T> {
    pub fn new(capacity: usize) -> Kept<T> {
        Kept {
            capacity,
            kept: RwLock::new(HashMap::new()),
        }
    }

    /// The copy kept for exactly this version.
    pub fn get(&self, stamp: &Stamp) -> Option<Arc<T>> {
        let kept = self.kept.read().ok()?;
        let (version, data) = kept.get(&stamp.key)?;
        (*version == stamp.version).then(|| data.clone())
    }

    /// Keeps `data`, loaded after `stamp` was read (so a copy is never labelled newer than its
    /// rows: a write landing between the two makes the next request load again), unless a
    /// newer version is kept already.
    pub fn keep(&self, stamp: &Stamp, data: Arc<T>) {
        let Ok(mut kept) = self.kept.write() else {
            return;
        };
        if let Some((version, _)) = kept.get(&stamp.key)
            && *version > stamp.version
        {
            return;
        }
        if kept.len() >= self.capacity
            && !kept.contains_key(&stamp.key)
            && let Some(evicted) = kept.keys().next().cloned()
        {
            kept.remove(&evicted);
        }
        if self.capacity > 0 {
            kept.insert(stamp.key.clone(), (stamp.version, data));
        }
    }
}

impl<T> std::fmt::Debug for Kept<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kept = self.kept.read().map_or(0, |k| k.len());
        f.debug_struct("Kept")
            .field("capacity", &self.capacity)
            .field("kept", &kept)
            .finish()
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

    #[test]
    fn every_paper_table_gets_a_trigger_per_write_on_both_backends() {
        let sqlite = sqlite_keyed_triggers(&PAPERS);
        let postgres = postgres_keyed_triggers(&PAPERS);
        for (table, _) in PAPER_TABLES {
            for (event, short) in [("INSERT", "ins"), ("UPDATE", "upd"), ("DELETE", "del")] {
                assert!(
                    sqlite.contains(&format!(
                        "CREATE TRIGGER IF NOT EXISTS {table}_{short}_paper_version AFTER \
                         {event} ON {table} BEGIN"
                    )),
                    "{table} {event}"
                );
            }
            // At once, not deferred.
            assert!(postgres.contains(&format!(
                "CREATE TRIGGER {table}_paper_version AFTER INSERT OR UPDATE OR DELETE ON {table} \
                 FOR EACH ROW EXECUTE FUNCTION bump_paper_versions_of_{table}()"
            )));
            assert!(postgres.contains(&format!(
                "AFTER TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION \
                 bump_every_paper_version()"
            )));
        }
        assert!(
            !postgres.contains("data_versions"),
            "papers take no conference-wide row"
        );
    }

    #[test]
    fn every_person_table_gets_a_trigger_per_write_on_both_backends() {
        let sqlite = sqlite_keyed_triggers(&PEOPLE);
        let postgres = postgres_keyed_triggers(&PEOPLE);
        for (table, _) in PERSON_TABLES {
            for (event, short) in [("INSERT", "ins"), ("UPDATE", "upd"), ("DELETE", "del")] {
                assert!(
                    sqlite.contains(&format!(
                        "CREATE TRIGGER IF NOT EXISTS {table}_{short}_person_version AFTER \
                         {event} ON {table} BEGIN"
                    )),
                    "{table} {event}"
                );
            }
            assert!(postgres.contains(&format!(
                "CREATE CONSTRAINT TRIGGER {table}_person_version_at_commit AFTER INSERT OR \
                 UPDATE OR DELETE ON {table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW \
                 EXECUTE FUNCTION bump_person_versions_of_{table}()"
            )));
        }
        // Every bump first takes the conference-wide rows, as their own bumps do.
        assert_eq!(
            postgres
                .matches("PERFORM 1 FROM data_versions ORDER BY name FOR UPDATE;")
                .count(),
            PERSON_TABLES.len()
        );
    }

    fn stamp(key: &str, version: i64) -> Stamp {
        Stamp {
            key: key.into(),
            version,
        }
    }

    #[test]
    fn a_copy_is_served_only_at_the_version_it_was_read_at() {
        let kept = Kept::new(8);
        kept.keep(&stamp("a", 3), Arc::new("three"));
        assert_eq!(kept.get(&stamp("a", 3)).as_deref(), Some(&"three"));
        assert!(kept.get(&stamp("a", 4)).is_none(), "a newer version");
        assert!(kept.get(&stamp("b", 3)).is_none(), "another paper");
        // A slower request that read an older version does not replace the newer copy.
        kept.keep(&stamp("a", 5), Arc::new("five"));
        kept.keep(&stamp("a", 4), Arc::new("four"));
        assert_eq!(kept.get(&stamp("a", 5)).as_deref(), Some(&"five"));
        assert!(kept.get(&stamp("a", 4)).is_none());
    }

    #[test]
    fn at_most_capacity_copies_are_kept() {
        let kept = Kept::new(3);
        for n in 0..10 {
            let key = n.to_string();
            kept.keep(&stamp(&key, 1), Arc::new(n));
            assert!(kept.kept.read().unwrap().len() <= 3);
            assert_eq!(
                kept.get(&stamp(&key, 1)).as_deref(),
                Some(&n),
                "the newest stays"
            );
        }
        let none = Kept::new(0);
        none.keep(&stamp("x", 1), Arc::new(1));
        assert!(none.get(&stamp("x", 1)).is_none());
    }
}
