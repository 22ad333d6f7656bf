//! `cfp backup DIR` and `cfp restore DIR`.
//!
//! A backup is a folder holding the database, the file store and the cookie secret, plus a
//! manifest (`cfp-backup.json`). It is taken while the server runs: on SQLite, `VACUUM INTO`
//! writes a consistent snapshot of the database (the write-ahead log included, which a plain
//! copy of `cfp.db` misses); on PostgreSQL, `pg_dump` does (run by cfp when it is installed,
//! otherwise printed). The database is copied FIRST and the files after it: files are stored
//! before their rows are committed and never removed while referenced, so every document the
//! copied database names is in the copied store.
//!
//! Restoring puts the three back into the configured data folder; it refuses to replace an
//! existing database or a different secret unless asked to (`--force`), and then keeps the
//! replaced ones beside the new ones.

use std::path::{Path, PathBuf};
use std::process::Command;

use diesel::connection::SimpleConnection;
use serde::{Deserialize, Serialize};

use crate::config::Settings;
use crate::db::{AnyConnection, DbTarget};

const MANIFEST: &str = "cfp-backup.json";
const SQLITE_FILE: &str = "cfp.db";
const PG_DUMP_FILE: &str = "cfp.pgdump";
const KEY_FILE: &str = "session.key";

/// What a backup folder holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// "sqlite" or "postgresql".
    pub backend: String,
    /// The database file in the folder, if one was written.
    pub database: Option<String>,
    pub files: usize,
    pub bytes: u64,
    pub session_key: bool,
    pub created_at: String,
    pub cfp_version: String,
}

/// The outcome of a backup, for the command line.
#[derive(Debug)]
pub struct BackupReport {
    pub manifest: Manifest,
    /// A command still to run (PostgreSQL without `pg_dump` on this machine).
    pub todo: Option<String>,
}

/// Takes a backup into `dest`, which must be missing or empty.
pub fn backup(
    config: &Settings,
    conn: &mut AnyConnection,
    dest: &Path,
) -> anyhow::Result<BackupReport> {
    if dest.exists() && std::fs::read_dir(dest)?.next().is_some() {
        anyhow::bail!(
            "{} is not empty: choose a new folder for the backup",
            dest.display()
        );
    }
    std::fs::create_dir_all(dest)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dest.display()))?;
    let dest = dest.canonicalize()?;
    let target = DbTarget::from_url(&config.database.url, &config.data_dir);
    let (backend, database, todo) = match &target {
        DbTarget::Sqlite(_) => {
            let file = dest.join(SQLITE_FILE);
            let path = file
                .to_str()
                .ok_or_else(|| anyhow::anyhow!("the backup path is not UTF-8"))?;
            conn.batch_execute(&format!("VACUUM INTO '{}'", path.replace('\'', "''")))
                .map_err(|e| anyhow::anyhow!("cannot copy the database: {e}"))?;
            sync_file(&file)?;
            ("sqlite", Some(SQLITE_FILE.to_string()), None)
        }
        DbTarget::Postgres(url) => {
            let file = dest.join(PG_DUMP_FILE);
            let args = [
                "--format=custom".to_string(),
                format!("--file={}", file.display()),
            ];
            match run_pg_tool("pg_dump", &args, url)? {
                None => ("postgresql", Some(PG_DUMP_FILE.to_string()), None),
                Some(command) => ("postgresql", None, Some(command)),
            }
        }
    };
    let (files, bytes) = copy_store(&config.data_dir.join("files"), &dest.join("files"))?;
    let key = config.data_dir.join(KEY_FILE);
    let session_key = key.is_file();
    if session_key {
        std::fs::copy(&key, dest.join(KEY_FILE))?;
    }
    let manifest = Manifest {
        backend: backend.into(),
        database,
        files,
        bytes,
        session_key,
        created_at: chrono::Utc::now().to_rfc3339(),
        cfp_version: env!("CARGO_PKG_VERSION").into(),
    };
    std::fs::write(dest.join(MANIFEST), serde_json::to_vec_pretty(&manifest)?)?;
    sync_file(&dest.join(MANIFEST))?;
    Ok(BackupReport { manifest, todo })
}

/// The outcome of a restore.
#[derive(Debug, Default)]
pub struct RestoreReport {
    pub files: usize,
    /// What the restore set aside (the replaced database or secret).
    pub kept: Vec<PathBuf>,
    pub todo: Option<String>,
}

/// Restores the backup in `src` into the configured data folder. The server must be stopped.
pub fn restore(config: &Settings, src: &Path, force: bool) -> anyhow::Result<RestoreReport> {
    let manifest: Manifest =
        serde_json::from_slice(&std::fs::read(src.join(MANIFEST)).map_err(|_| {
            anyhow::anyhow!("{} is not a cfp backup (no {MANIFEST})", src.display())
        })?)?;
    let target = DbTarget::from_url(&config.database.url, &config.data_dir);
    let suffix = format!(
        "before-restore-{}",
        chrono::Utc::now().format("%Y%m%dT%H%M%S")
    );
    let key_src = src.join(KEY_FILE);
    let key_dest = config.data_dir.join(KEY_FILE);
    let key_differs = manifest.session_key
        && key_dest.is_file()
        && std::fs::read(&key_src)? != std::fs::read(&key_dest)?;
    let mut report = RestoreReport::default();
    std::fs::create_dir_all(&config.data_dir)?;
    match (&target, manifest.backend.as_str()) {
        (DbTarget::Sqlite(db_path), "sqlite") => {
            let exists = db_path.exists();
            if (exists || key_differs) && !force {
                anyhow::bail!(
                    "{} already holds {}; stop the server and run again with --force to \
                     replace them (the current ones are kept with the suffix .{suffix})",
                    config.data_dir.display(),
                    if exists {
                        "a database"
                    } else {
                        "a different session.key"
                    }
                );
            }
            let backup_db = src.join(manifest.database.as_deref().unwrap_or(SQLITE_FILE));
            if exists {
                for ext in ["", "-wal", "-shm"] {
                    let from = PathBuf::from(format!("{}{ext}", db_path.display()));
                    if from.exists() {
                        let to = PathBuf::from(format!("{}.{suffix}{ext}", db_path.display()));
                        std::fs::rename(&from, &to)?;
                        report.kept.push(to);
                    }
                }
            }
            let partial = PathBuf::from(format!("{}.restoring", db_path.display()));
            std::fs::copy(&backup_db, &partial)?;
            sync_file(&partial)?;
            std::fs::rename(&partial, db_path)?;
        }
        (DbTarget::Postgres(url), "postgresql") => {
            if key_differs && !force {
                anyhow::bail!(
                    "{} holds a different session.key; run again with --force to replace it",
                    config.data_dir.display()
                );
            }
            report.todo = match &manifest.database {
                Some(dump) => {
                    let args = [
                        "--clean".to_string(),
                        "--if-exists".to_string(),
                        "--no-owner".to_string(),
                        src.join(dump).display().to_string(),
                    ];
                    run_pg_tool("pg_restore", &args, url)?
                }
                None => Some(
                    "the backup holds no database dump: restore the one taken with pg_dump \
                     (pg_restore --clean --if-exists --no-owner --dbname=URL FILE)"
                        .to_string(),
                ),
            };
        }
        (_, backend) => anyhow::bail!(
            "this backup is of a {backend} database but database.url names {}",
            target.describe()
        ),
    }
    report.files = copy_store(&src.join("files"), &config.data_dir.join("files"))?.0;
    if manifest.session_key {
        if key_differs {
            let kept = config.data_dir.join(format!("{KEY_FILE}.{suffix}"));
            std::fs::rename(&key_dest, &kept)?;
            report.kept.push(kept);
        }
        std::fs::copy(&key_src, &key_dest)?;
    }
    Ok(report)
}

/// Copies the stored files (not the temporary area) that `to` lacks; returns (files, bytes)
/// present in `from`.
fn copy_store(from: &Path, to: &Path) -> anyhow::Result<(usize, u64)> {
    let mut copied = (0, 0);
    let shards = match std::fs::read_dir(from) {
        Ok(shards) => shards,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(copied),
        Err(e) => return Err(e.into()),
    };
    for shard in shards {
        let shard = shard?;
        if shard.file_name() == "tmp" || !shard.file_type()?.is_dir() {
            continue;
        }
        let shard_to = to.join(shard.file_name());
        std::fs::create_dir_all(&shard_to)?;
        for entry in std::fs::read_dir(shard.path())? {
            let entry = entry?;
            let dest = shard_to.join(entry.file_name());
            let size = entry.metadata()?.len();
            if !dest.exists() {
                let partial = shard_to.join(format!(".{}.partial", entry.file_name().display()));
                std::fs::copy(entry.path(), &partial)?;
                sync_file(&partial)?;
                std::fs::rename(&partial, &dest)?;
            }
            copied.0 += 1;
            copied.1 += size;
        }
    }
    Ok(copied)
}

fn sync_file(path: &Path) -> std::io::Result<()> {
    std::fs::File::open(path)?.sync_all()
}

/// Runs `pg_dump` / `pg_restore` against `url` with the password passed through the
/// environment (never on the command line, where `ps` shows it). Returns the command to run
/// by hand when the tool is not installed.
fn run_pg_tool(tool: &str, args: &[String], url: &str) -> anyhow::Result<Option<String>> {
    let (url_without_password, password) = split_password(url);
    let mut command = Command::new(tool);
    command
        .args(args)
        .arg(format!("--dbname={url_without_password}"));
    if let Some(password) = &password {
        command.env("PGPASSWORD", password);
    }
    match command.status() {
        Ok(status) if status.success() => Ok(None),
        Ok(status) => anyhow::bail!("{tool} failed ({status})"),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Some(format!(
            "{tool} {} --dbname='{url_without_password}'{}",
            args.join(" "),
            if password.is_some() {
                " (with PGPASSWORD set to the database password)"
            } else {
                ""
            }
        ))),
        Err(e) => anyhow::bail!("cannot run {tool}: {e}"),
    }
}

/// `postgres://user:secret@host/db` → (`postgres://user@host/db`, Some("secret")), the
/// password percent-decoded.
fn split_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_string(), None);
    };
    let Some((userinfo, host)) = rest.rsplit_once('@') else {
        return (url.to_string(), None);
    };
    let Some((user, password)) = userinfo.split_once(':') else {
        return (url.to_string(), None);
    };
    (
        format!("{scheme}://{user}@{host}"),
        Some(percent_decode(password)),
    )
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_leave_the_url_for_the_environment() {
        assert_eq!(
            split_password("postgres://cfp:p%40ss@db:5432/cfp"),
            (
                "postgres://cfp@db:5432/cfp".to_string(),
                Some("p@ss".to_string())
            )
        );
        assert_eq!(
            split_password("postgres://postgres@127.0.0.1/cfp"),
            ("postgres://postgres@127.0.0.1/cfp".to_string(), None)
        );
    }

    #[test]
    fn a_backup_refuses_a_folder_that_is_not_empty() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x"), b"x").unwrap();
        let mut config = Settings::defaults().unwrap();
        config.data_dir = dir.path().join("data");
        let mut conn = AnyConnection::Sqlite(
            <diesel::SqliteConnection as diesel::Connection>::establish(":memory:").unwrap(),
        );
        let err = backup(&config, &mut conn, dir.path()).unwrap_err();
        assert!(err.to_string().contains("is not empty"), "{err}");
    }
}
