//! The storage sweeper: temporary files of interrupted uploads (older than an hour) and stored
//! files no document row references (after a grace period of an hour, so a file whose row is
//! still being committed is never touched). Run by the worker every hour and by
//! `cfp storage gc`.

use std::collections::HashSet;
use std::time::SystemTime;

use crate::db::{self, AnyConnection, DbError, DbPool};
use crate::storage::{ORPHAN_GRACE, Storage, TEMP_MAX_AGE};

/// What one sweep removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SweepReport {
    pub temp_files: usize,
    pub orphan_files: usize,
    pub bytes_freed: u64,
}

/// Rows are looked up this many hashes at a time.
const CHUNK: usize = 500;

/// Sweeps the store as of `now` (wall-clock time: file times are wall-clock times).
pub fn sweep(
    conn: &mut AnyConnection,
    storage: &Storage,
    now: SystemTime,
) -> anyhow::Result<SweepReport> {
    let before = |age| now.checked_sub(age).unwrap_or(SystemTime::UNIX_EPOCH);
    let (temp_files, temp_bytes) = storage.sweep_temp(before(TEMP_MAX_AGE))?;
    let mut report = SweepReport {
        temp_files,
        bytes_freed: temp_bytes,
        ..SweepReport::default()
    };
    let cutoff = before(ORPHAN_GRACE);
    let candidates = storage.files_older_than(cutoff)?;
    for chunk in candidates.chunks(CHUNK) {
        let referenced: HashSet<String> = db::submissions::referenced_files(conn, chunk)?
            .into_iter()
            .collect();
        for sha in chunk.iter().filter(|sha| !referenced.contains(*sha)) {
            // Checked again just before removal: an upload of the same content since the
            // listing renewed the file's time and keeps it.
            let freed = storage.remove_if_older(sha, cutoff)?;
            if freed > 0 {
                report.orphan_files += 1;
                report.bytes_freed += freed;
            }
        }
    }
    Ok(report)
}

/// `sweep` off the async executor, on a pooled connection.
pub async fn sweep_now(pool: &DbPool, storage: &Storage) -> anyhow::Result<SweepReport> {
    let storage = storage.clone();
    let report = db::run(pool, move |c| {
        sweep(c, &storage, SystemTime::now()).map_err(|e| SweepFailed(e.to_string()))
    })
    .await?;
    Ok(report)
}

/// A sweep's error carried through `db::run`.
#[derive(Debug, thiserror::Error)]
#[error("storage sweep failed: {0}")]
struct SweepFailed(String);

impl From<DbError> for SweepFailed {
    fn from(e: DbError) -> Self {
        SweepFailed(e.to_string())
    }
}
