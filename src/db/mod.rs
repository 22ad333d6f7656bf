//! Database access: one connection type for SQLite and PostgreSQL, the pool, migrations, and
//! the query functions grouped by aggregate. Nothing here knows about the web layer.
//!
//! Both backends share one code path through diesel's `MultiConnection`: the same typed
//! queries compile for both; the few statements whose SQL must differ (claiming outbox rows
//! with `FOR UPDATE SKIP LOCKED`) match on the variant.

pub mod assignment_list;
pub mod assignments;
pub mod audit;
pub mod author_pages;
pub mod conference;
pub mod data_version;
pub mod decisions;
pub mod discussion;
pub mod email_changes;
pub mod outbox;
pub mod ranking;
pub mod reviewer_copies;
pub mod reviewer_pages;
pub mod reviews;
pub mod schema;
pub mod sessions;
pub mod standing;
pub mod submission_list;
pub mod submissions;
pub mod throttle;
pub mod tokens;
pub mod users;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::r2d2::{self, ManageConnection, Pool};
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, ConnectionError};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::clock::truncate_to_micros;

/// The migrations under `migrations/`, compiled into the binary.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// A connection to either backend.
#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

/// The pool every request and worker draws from.
pub type DbPool = Pool<Manager>;

/// Errors from reaching the database, as opposed to errors of one query.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("no database connection available: {0}")]
    Pool(#[from] r2d2::PoolError),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error("database task failed: {0}")]
    Task(String),
}

/// Which database a URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbTarget {
    Postgres(String),
    Sqlite(PathBuf),
}

impl DbTarget {
    /// `postgres://` / `postgresql://` URLs select PostgreSQL; `sqlite://PATH` (relative to
    /// the data directory) or a bare path selects SQLite.
    pub fn from_url(url: &str, data_dir: &Path) -> DbTarget {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return DbTarget::Postgres(url.to_string());
        }
        let path = Path::new(url.strip_prefix("sqlite://").unwrap_or(url));
        if path.is_absolute() {
            DbTarget::Sqlite(path.to_path_buf())
        } else {
            DbTarget::Sqlite(data_dir.join(path))
        }
    }

    /// A description for messages that never includes a password.
    pub fn describe(&self) -> String {
        match self {
            DbTarget::Postgres(url) => {
                let host = url
                    .rsplit_once('@')
                    .map(|(_, h)| h)
                    .unwrap_or_else(|| url.split("//").nth(1).unwrap_or(""));
                format!("PostgreSQL at {host}")
            }
            DbTarget::Sqlite(path) => format!("SQLite database {}", path.display()),
        }
    }
}

/// Opens connections for the pool, applying SQLite's pragmas to each new connection.
#[derive(Debug, Clone)]
pub struct Manager {
    target: DbTarget,
}

impl Manager {
    pub fn new(target: DbTarget) -> Manager {
        Manager { target }
    }
}

/// `synchronous = FULL`: every commit is on disk before it returns, so an acknowledged upload
/// survives power loss, not only a crash of the process (NORMAL in WAL mode may lose the last
/// commits on power loss). The cost is measured in `docs/benchmarks.md`. `busy_timeout` comes
/// first: the pool opens connections while the migrations hold the write lock, and
/// `journal_mode` run before it failed at once with "database is locked" (logged as an error
/// by the pool on every first start).
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
     PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;";

/// `jit = off`: PostgreSQL compiles a query to machine code when its estimated cost is high,
/// which takes tens of milliseconds per execution. cfp's queries are short, and on a table
/// whose statistics are missing or stale (a database just filled, before autovacuum analysed
/// it) a reader page's query was estimated so high that it was compiled on every request:
/// 13 requests/s instead of 2,000 (docs/benchmarks.md, "PostgreSQL statements per page").
const POSTGRES_SETTINGS: &str = "SET jit = off";

/// Opens a PostgreSQL connection; on the same machine without TLS unless the URL or
/// `PGSSLMODE` asks for it ([`postgres_url`]).
fn establish_postgres(url: &str) -> diesel::ConnectionResult<PgConnection> {
    let ssl_mode_chosen = std::env::var_os("PGSSLMODE").is_some();
    PgConnection::establish(&postgres_url(url, ssl_mode_chosen))
}

/// The URL to connect with: a server on this machine (`localhost`, `127.0.0.1`, `::1`, or a
/// Unix socket) gets `sslmode=disable` when neither the URL nor `PGSSLMODE` chose a mode.
/// libpq's default (`prefer`) encrypts loopback traffic when the server offers TLS, as
/// Debian's does: that protects nothing a local root could not read anyway, and in a profile
/// of an upload run the encryption alone was about 6% of PostgreSQL's CPU and 3% of cfp's
/// (docs/benchmarks.md, "The upload path (session 8)").
/// Remote servers keep libpq's default, and any explicit choice is kept.
pub fn postgres_url(url: &str, ssl_mode_chosen: bool) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let Some(rest) = url.split_once("://").map(|(_, r)| r) else {
        return Cow::Borrowed(url);
    };
    let (authority, query) = match rest.split_once('?') {
        Some((a, q)) => (a, Some(q)),
        None => (rest, None),
    };
    let authority = authority.split('/').next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(bracketed) = host_port.strip_prefix('[') {
        bracketed.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    let params: Vec<(&str, &str)> = query
        .unwrap_or("")
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .collect();
    let socket_host = params.iter().find(|(k, _)| *k == "host").map(|(_, v)| *v);
    let local = match socket_host {
        Some(h) => h.starts_with('/') || h.starts_with("%2F") || h.starts_with("%2f"),
        None => matches!(host, "" | "localhost" | "127.0.0.1" | "::1"),
    };
    if ssl_mode_chosen || !local || params.iter().any(|(k, _)| *k == "sslmode") {
        return Cow::Borrowed(url);
    }
    let joiner = match query {
        None => "?",
        Some("") => "",
        Some(_) => "&",
    };
    Cow::Owned(format!("{url}{joiner}sslmode=disable"))
}

impl ManageConnection for Manager {
    type Connection = AnyConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<AnyConnection, r2d2::Error> {
        match &self.target {
            DbTarget::Postgres(url) => {
                let mut conn = establish_postgres(url).map_err(r2d2::Error::ConnectionError)?;
                conn.batch_execute(POSTGRES_SETTINGS)
                    .map_err(r2d2::Error::QueryError)?;
                Ok(AnyConnection::Postgresql(conn))
            }
            DbTarget::Sqlite(path) => {
                let path = path.to_str().ok_or_else(|| {
                    r2d2::Error::ConnectionError(ConnectionError::BadConnection(
                        "database path is not UTF-8".into(),
                    ))
                })?;
                let mut conn =
                    SqliteConnection::establish(path).map_err(r2d2::Error::ConnectionError)?;
                conn.batch_execute(SQLITE_PRAGMAS)
                    .map_err(r2d2::Error::QueryError)?;
                Ok(AnyConnection::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    /// Checked when a connection goes back to the pool: one whose transaction manager saw
    /// a broken connection (or a transaction left open by a panic) is dropped there, since
    /// connections are not tested again when taken out (see `connect`).
    fn has_broken(&self, conn: &mut AnyConnection) -> bool {
        matches!(
            AnyConnection::transaction_manager_status_mut(conn),
            diesel::connection::TransactionManagerStatus::InError
        ) || AnyConnection::transaction_manager_status_mut(conn)
            .transaction_depth()
            .map_or(true, |depth| depth.is_some())
    }
}

/// Builds the pool and checks that the database answers, with a message a person can act on.
pub fn connect(target: DbTarget, size: u32, timeout: Duration) -> anyhow::Result<DbPool> {
    let description = target.describe();
    let manager = Manager::new(target);
    // Try one connection directly first: r2d2 would otherwise retry until the timeout and
    // then report only "timed out".
    if let Err(e) = manager.connect() {
        anyhow::bail!("cannot open the {description}: {e}");
    }
    Pool::builder()
        .max_size(size.max(1))
        // No `SELECT 1` each time a connection is taken out: that was one more round trip
        // per database call on PostgreSQL (several per page). Broken connections are
        // dropped when they come back (`has_broken`), and a request that meets a dead
        // one fails once with an error page.
        .test_on_check_out(false)
        .connection_timeout(timeout)
        .build(manager)
        .map_err(|e| anyhow::anyhow!("cannot open the {description}: {e}"))
}

/// One connection that never writes, for commands that only look (`cfp mail status`): works
/// on a read-only data folder or disk. An SQLite database is opened with `mode=ro`, or as
/// immutable when SQLite cannot create its shared-memory file there; no migration runs.
pub fn open_read_only(target: &DbTarget) -> anyhow::Result<AnyConnection> {
    let description = target.describe();
    match target {
        DbTarget::Postgres(url) => establish_postgres(url)
            .map(AnyConnection::Postgresql)
            .map_err(|e| anyhow::anyhow!("cannot open the {description}: {e}")),
        DbTarget::Sqlite(path) => {
            if !path.is_file() {
                anyhow::bail!("there is no {description}");
            }
            let path = path
                .to_str()
                .ok_or_else(|| anyhow::anyhow!("the database path is not UTF-8"))?;
            let mut last_error = String::new();
            for mode in ["mode=ro", "immutable=1"] {
                let uri = format!("file:{}?{mode}", uri_escape(path));
                match SqliteConnection::establish(&uri) {
                    Ok(mut conn) => {
                        match conn.batch_execute("SELECT count(*) FROM sqlite_master") {
                            Ok(()) => return Ok(AnyConnection::Sqlite(conn)),
                            Err(e) => last_error = e.to_string(),
                        }
                    }
                    Err(e) => last_error = e.to_string(),
                }
            }
            anyhow::bail!("cannot read the {description}: {last_error}")
        }
    }
}

/// Escapes the characters an SQLite URI path gives a meaning to.
fn uri_escape(path: &str) -> String {
    path.replace('%', "%25")
        .replace('?', "%3f")
        .replace('#', "%23")
}

/// Applies pending migrations; returns how many ran.
pub fn migrate(pool: &DbPool) -> anyhow::Result<usize> {
    let mut conn = pool.get()?;
    let applied = conn
        .run_pending_migrations(MIGRATIONS)
        .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
    let applied = applied.len();
    data_version::install(&mut conn)?;
    Ok(applied)
}

/// Runs blocking database work on tokio's blocking pool, so it never stalls the executor.
pub async fn run<T, E, F>(pool: &DbPool, f: F) -> Result<T, E>
where
    F: FnOnce(&mut AnyConnection) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: From<DbError> + Send + 'static,
{
    let pool = pool.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().map_err(DbError::from)?;
        f(&mut conn)
    })
    .await
    .map_err(|e| E::from(DbError::Task(e.to_string())))?
}

/// One writer at a time per process on SQLite.
static SQLITE_WRITER: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs `f` in a transaction; every write on SQLite goes through here (the mail worker's
/// included), so no request ever sees "database is locked".
///
/// On SQLite, write transactions of this process take turns (a mutex), and each begins with
/// `BEGIN IMMEDIATE`, taking the database's write lock before its first read. A deferred
/// transaction that reads and then writes fails at once with "database is locked" when any
/// other connection committed in between (the busy timeout does not apply to that case);
/// an immediate one waits for the lock instead (up to the busy timeout, which also covers
/// other processes, such as `cfp mail deliver` next to `cfp serve`). Called inside a
/// transaction, `f` runs in a savepoint of it. PostgreSQL transactions run concurrently.
pub fn transaction<T, E, F>(c: &mut AnyConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut AnyConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    let nested = in_transaction(c);
    match c {
        AnyConnection::Sqlite(_) if !nested => {
            let _turn = SQLITE_WRITER
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            immediate_transaction(c, f)
        }
        _ => c.transaction(f),
    }
}

/// Runs `f` in the caller's transaction when there is one (no savepoint: two round trips
/// fewer on PostgreSQL; an error in `f` then fails the caller's transaction), otherwise in a
/// new one ([`transaction`]). For statements that must be atomic together but need no
/// rollback of their own.
pub fn within_transaction<T, E, F>(c: &mut AnyConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut AnyConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    if in_transaction(c) {
        f(c)
    } else {
        transaction(c, f)
    }
}

/// Runs `f`, which makes exactly one statement that is atomic by itself, without a
/// transaction around it: one round trip on PostgreSQL instead of three. On SQLite it still
/// takes the writer turn of [`transaction`] (a lone writing statement takes the write lock as it
/// starts, so it waits under the busy timeout instead of failing); inside a transaction it
/// just runs there.
pub fn write_statement<T, E, F>(c: &mut AnyConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut AnyConnection) -> Result<T, E>,
{
    let alone_on_sqlite = matches!(c, AnyConnection::Sqlite(_)) && !in_transaction(c);
    let _turn = alone_on_sqlite.then(|| {
        SQLITE_WRITER
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    });
    f(c)
}

/// Whether `c` is inside a transaction.
fn in_transaction(c: &mut AnyConnection) -> bool {
    AnyConnection::transaction_manager_status_mut(c)
        .transaction_depth()
        .map(|depth| depth.is_some())
        .unwrap_or(false)
}

/// diesel's `immediate_transaction` for the multi-backend connection: `BEGIN IMMEDIATE` on
/// the SQLite connection inside, then commit or roll back through the shared transaction
/// manager (so savepoints taken by `f` nest correctly).
fn immediate_transaction<T, E, F>(c: &mut AnyConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut AnyConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    if let AnyConnection::Sqlite(inner) = c {
        AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
    } else {
        AnyConnection::begin_transaction(c)?;
    }
    match f(c) {
        Ok(value) => {
            AnyConnection::commit_transaction(c)?;
            Ok(value)
        }
        Err(e) => {
            AnyConnection::rollback_transaction(c)?;
            Err(e)
        }
    }
}

/// An instant as stored: UTC, microsecond precision.
pub fn to_db(t: DateTime<Utc>) -> NaiveDateTime {
    truncate_to_micros(t).naive_utc()
}

/// An instant as read back.
pub fn from_db(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::RunQueryDsl;

    #[test]
    fn a_server_on_this_machine_is_reached_without_tls_unless_asked() {
        let url = |u: &str| postgres_url(u, false).into_owned();
        for local in [
            "postgres://postgres@127.0.0.1:5432/cfp",
            "postgres://u:p@localhost/cfp",
            "postgresql://[::1]:5433/cfp",
            "postgres:///cfp",
        ] {
            assert_eq!(url(local), format!("{local}?sslmode=disable"));
        }
        assert_eq!(
            url("postgres://u@localhost/cfp?application_name=x"),
            "postgres://u@localhost/cfp?application_name=x&sslmode=disable"
        );
        assert_eq!(
            url("postgres:///cfp?host=/var/run/postgresql"),
            "postgres:///cfp?host=/var/run/postgresql&sslmode=disable"
        );
        // Remote servers, explicit modes and PGSSLMODE are left alone.
        for kept in [
            "postgres://u@db.example.org/cfp",
            "postgres://u@10.0.0.5:5432/cfp",
            "postgres://u@127.0.0.1/cfp?sslmode=require",
            "postgres://u@127.0.0.1/cfp?host=db.example.org",
            "postgres://u@127.0.0.1.example.org/cfp",
        ] {
            assert_eq!(url(kept), kept);
        }
        assert_eq!(
            postgres_url("postgres://u@127.0.0.1/cfp", true),
            "postgres://u@127.0.0.1/cfp"
        );
    }

    #[test]
    fn urls_select_the_backend() {
        let data = Path::new("/srv/cfp");
        assert_eq!(
            DbTarget::from_url("sqlite://cfp.db", data),
            DbTarget::Sqlite("/srv/cfp/cfp.db".into())
        );
        assert_eq!(
            DbTarget::from_url("/tmp/x.db", data),
            DbTarget::Sqlite("/tmp/x.db".into())
        );
        assert!(matches!(
            DbTarget::from_url("postgres://u@h/db", data),
            DbTarget::Postgres(_)
        ));
    }

    /// The failure of issue 16: a read-then-write transaction while another connection
    /// commits a write between its read and its write. Deferred, it failed at once with
    /// "database is locked"; immediate, the other writer waits for it.
    #[test]
    fn a_read_then_write_transaction_survives_a_concurrent_writer() {
        let dir = tempfile::tempdir().unwrap();
        let pool = connect(
            DbTarget::Sqlite(dir.path().join("t.db")),
            2,
            Duration::from_secs(5),
        )
        .unwrap();
        pool.get()
            .unwrap()
            .batch_execute("CREATE TABLE t (n INTEGER)")
            .unwrap();
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let other = pool.clone();
        let writer = std::thread::spawn(move || {
            rx.recv().unwrap();
            // A write outside the writer turn, like another process's.
            other
                .get()
                .unwrap()
                .batch_execute("INSERT INTO t VALUES (2)")
        });
        let mut c = pool.get().unwrap();
        let result: Result<(), diesel::result::Error> = transaction(&mut c, |c| {
            c.batch_execute("SELECT count(*) FROM t")?;
            tx.send(()).unwrap();
            std::thread::sleep(Duration::from_millis(300));
            c.batch_execute("INSERT INTO t VALUES (1)")
        });
        result.unwrap();
        writer.join().unwrap().unwrap();
    }

    #[test]
    fn a_transaction_inside_a_transaction_is_a_savepoint() {
        let dir = tempfile::tempdir().unwrap();
        let pool = connect(
            DbTarget::Sqlite(dir.path().join("t.db")),
            1,
            Duration::from_secs(5),
        )
        .unwrap();
        let mut c = pool.get().unwrap();
        c.batch_execute("CREATE TABLE t (n INTEGER)").unwrap();
        let outer: Result<(), diesel::result::Error> = transaction(&mut c, |c| {
            c.batch_execute("INSERT INTO t VALUES (1)")?;
            let inner: Result<(), diesel::result::Error> = transaction(c, |c| {
                c.batch_execute("INSERT INTO t VALUES (2)")?;
                Err(diesel::result::Error::RollbackTransaction)
            });
            assert!(inner.is_err());
            Ok(())
        });
        outer.unwrap();
        let n: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "(SELECT count(*) FROM t)",
        ))
        .get_result(&mut c)
        .unwrap();
        assert_eq!(n, 1);
    }

    #[test]
    fn descriptions_hide_passwords() {
        let t = DbTarget::from_url(
            "postgres://cfp:hunter2@db.internal:5432/cfp",
            Path::new("."),
        );
        assert_eq!(t.describe(), "PostgreSQL at db.internal:5432/cfp");
    }
}
