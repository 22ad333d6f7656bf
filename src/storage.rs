//! The content-addressed file store: every uploaded file lives under
//! `DATA_DIR/files/ab/abcdef…` named by its SHA-256. The hash and size are computed as the
//! bytes arrive. A file up to [`MEMORY_MAX`] (a paper, as a rule) is kept in memory, so the
//! format check reads it from there and it is written to disk once, when accepted, or never,
//! when refused or already stored; a larger one streams into a temporary file in the same file
//! system. Either way it is renamed into place only when complete, so an interrupted upload
//! never leaves a partial file under a real name. Paths are never shown to users; downloads
//! go through authorised routes.
//!
//! Durability: a stored file and the folder entries naming it are flushed to disk (fsync)
//! before `commit` returns, so the database row written next never points at a file a power
//! loss could take away. The sweeper (`sweep_temp`, `orphans`) removes what interrupted
//! uploads leave: temporary files, and stored files no row references (after a grace period
//! that outlasts any upload's transaction; `ops::gc` asks the database).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};

/// How many leading bytes a pending file keeps in memory.
const HEAD_BYTES: usize = 1024;

/// Files up to this size are received in memory; larger ones spill into a temporary file.
/// Bounds the memory of one upload in progress (the format check holds the whole paper in
/// memory anyway, but only one per check slot).
pub const MEMORY_MAX: usize = 4 * 1024 * 1024;

/// What all uploads in progress together may hold in memory. Beyond it a new chunk spills its
/// file to disk like a large one, so a crowd of slow uploads (a deadline rush, or someone
/// opening many connections) cannot grow the server's memory past this bound.
pub const MEMORY_TOTAL_MAX: usize = 256 * 1024 * 1024;

/// Bytes held in memory by uploads in progress, in this process.
static IN_MEMORY: AtomicUsize = AtomicUsize::new(0);

/// One pending file's share of [`IN_MEMORY`], given back when the file is committed,
/// spilled or dropped.
#[derive(Debug, Default)]
struct MemoryClaim(usize);

impl MemoryClaim {
    /// Claims `more` bytes unless that would pass [`MEMORY_TOTAL_MAX`].
    fn grow(&mut self, more: usize) -> bool {
        let claimed = try_claim(&IN_MEMORY, more, MEMORY_TOTAL_MAX);
        if claimed {
            self.0 += more;
        }
        claimed
    }

    fn release(&mut self) {
        IN_MEMORY.fetch_sub(std::mem::take(&mut self.0), Ordering::Relaxed);
    }
}

/// Adds `more` to `counter` unless the sum would pass `max` (then leaves it as it was).
fn try_claim(counter: &AtomicUsize, more: usize, max: usize) -> bool {
    counter
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |now| {
            now.checked_add(more).filter(|&sum| sum <= max)
        })
        .is_ok()
}

impl Drop for MemoryClaim {
    fn drop(&mut self) {
        self.release();
    }
}

/// The store's root folder.
#[derive(Debug, Clone)]
pub struct Storage {
    root: PathBuf,
}

/// The last time this process failed to store for lack of space (or a read-only disk), for
/// the chairs' dashboard. Per process: each server reports its own.
static LAST_FAILURE: std::sync::Mutex<Option<StorageAlert>> = std::sync::Mutex::new(None);

/// Remembers `e` for the chairs' dashboard when it means the disk is full or read-only;
/// returns whether it did.
pub fn note_failure(e: &std::io::Error) -> bool {
    note_failure_text(is_storage_exhausted(e), &e.to_string())
}

/// The same for a database error, which reaches us as text ("database or disk is full",
/// PostgreSQL's "No space left on device").
pub fn note_database_failure(message: &str) -> bool {
    let full = [
        "database or disk is full",
        "No space left on device",
        "readonly database",
    ]
    .iter()
    .any(|m| message.contains(m));
    note_failure_text(full, message)
}

fn note_failure_text(exhausted: bool, error: &str) -> bool {
    if exhausted {
        tracing::error!(%error, "storage is full or read-only");
        *LAST_FAILURE
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(StorageAlert {
            at: chrono::Utc::now(),
            error: error.to_string(),
        });
    }
    exhausted
}

/// The last failure for lack of space since this server started, if any.
pub fn last_failure() -> Option<StorageAlert> {
    LAST_FAILURE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone()
}

/// A failure to store for lack of space or a read-only disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageAlert {
    pub at: chrono::DateTime<chrono::Utc>,
    pub error: String,
}

/// A file being received.
pub struct PendingFile {
    body: Body,
    /// The bytes this file holds in memory, counted against [`MEMORY_TOTAL_MAX`].
    claim: MemoryClaim,
    /// Where a file larger than [`MEMORY_MAX`] spills.
    tmp_dir: PathBuf,
    /// The first bytes, for signature checks without reading the file back.
    head: Vec<u8>,
    hasher: Sha256,
    size: u64,
    limit: u64,
}

/// Where a pending file's bytes are.
enum Body {
    Memory(Vec<u8>),
    /// Handed out by [`PendingFile::content`] (to the format check) and kept for the store.
    Shared(FileBytes),
    Disk(tempfile::NamedTempFile),
}

/// A received file's bytes, shared without copying between the format check and the store.
#[derive(Debug, Clone)]
pub struct FileBytes(std::sync::Arc<Vec<u8>>);

impl AsRef<[u8]> for FileBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// Why a chunk was refused.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the file is larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("could not store the file: {0}")]
    Io(#[from] std::io::Error),
}

/// A file in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub sha256: String,
    pub size: u64,
}

impl Storage {
    pub fn new(data_dir: &Path) -> Storage {
        Storage {
            root: data_dir.join("files"),
        }
    }

    /// Bytes available to cfp on the store's file system.
    pub fn free_bytes(&self) -> Option<u64> {
        let at = if self.root.exists() {
            self.root.as_path()
        } else {
            self.root.parent()?
        };
        free_bytes(at)
    }

    /// Writes, flushes and removes a small file: fails when the disk is full or read-only.
    pub fn probe_writable(&self) -> std::io::Result<()> {
        let tmp = self.root.join("tmp");
        std::fs::create_dir_all(&tmp)?;
        let mut probe = tempfile::NamedTempFile::new_in(tmp)?;
        probe.write_all(&[0u8; 4096])?;
        probe.as_file().sync_all()?;
        probe.close()
    }

    /// Starts receiving a file of at most `limit` bytes (in memory: nothing touches the
    /// disk until the file grows past [`MEMORY_MAX`] or is committed).
    pub fn begin(&self, limit: u64) -> Result<PendingFile, UploadError> {
        Ok(PendingFile {
            body: Body::Memory(Vec::new()),
            claim: MemoryClaim::default(),
            tmp_dir: self.root.join("tmp"),
            head: Vec::new(),
            hasher: Sha256::new(),
            size: 0,
            limit,
        })
    }

    fn path_of(&self, sha256: &str) -> Option<PathBuf> {
        let valid = sha256.len() == 64
            && sha256
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
        valid.then(|| self.root.join(&sha256[..2]).join(sha256))
    }

    /// Moves a complete upload into place; a file with the same content may exist already
    /// (then a file received in memory is not written at all).
    pub fn commit(&self, pending: PendingFile) -> Result<StoredFile, UploadError> {
        let PendingFile {
            body,
            tmp_dir,
            hasher,
            size,
            ..
        } = pending;
        let sha256 = hex::encode(hasher.finalize());
        let path = self
            .path_of(&sha256)
            .ok_or_else(|| std::io::Error::other("bad hash"))?;
        let dir = path
            .parent()
            .ok_or_else(|| std::io::Error::other("bad path"))?;
        if path.exists() {
            // The same content is stored already: mark it as just used, so the sweeper's
            // grace period protects it until this upload's row is committed.
            std::fs::File::options()
                .write(true)
                .open(&path)?
                .set_modified(SystemTime::now())?;
        } else {
            let mut file = match body {
                Body::Disk(file) => file,
                Body::Memory(bytes) => temp_file_with(&tmp_dir, &bytes)?,
                Body::Shared(bytes) => temp_file_with(&tmp_dir, bytes.as_ref())?,
            };
            file.flush()?;
            file.as_file().sync_all()?;
            if !dir.exists() {
                std::fs::create_dir_all(dir)?;
                sync_dir(&self.root)?;
            }
            file.persist(&path).map_err(|e| UploadError::Io(e.error))?;
        }
        sync_dir(dir)?;
        Ok(StoredFile { sha256, size })
    }

    /// The store's root folder (`DATA_DIR/files`).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Removes temporary files last written before `cutoff` (uploads interrupted by a crash;
    /// a live upload writes its file at least every megabyte). Returns (files, bytes).
    pub fn sweep_temp(&self, cutoff: SystemTime) -> std::io::Result<(usize, u64)> {
        let mut removed = (0, 0);
        let entries = match std::fs::read_dir(self.root.join("tmp")) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(removed),
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            let meta = entry.metadata()?;
            if meta.is_file() && meta.modified()? < cutoff {
                match std::fs::remove_file(entry.path()) {
                    Ok(()) => {
                        removed.0 += 1;
                        removed.1 += meta.len();
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(removed)
    }

    /// Stored files last written (or reused) before `cutoff`: candidates for removal when no
    /// row references them.
    pub fn files_older_than(&self, cutoff: SystemTime) -> std::io::Result<Vec<String>> {
        let mut found = Vec::new();
        let shards = match std::fs::read_dir(&self.root) {
            Ok(shards) => shards,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(found),
            Err(e) => return Err(e),
        };
        for shard in shards {
            let shard = shard?;
            let name = shard.file_name();
            if name == "tmp" || !shard.file_type()?.is_dir() {
                continue;
            }
            for entry in std::fs::read_dir(shard.path())? {
                let entry = entry?;
                let Some(sha) = entry.file_name().to_str().map(str::to_string) else {
                    continue;
                };
                if self.path_of(&sha).is_some() && entry.metadata()?.modified()? < cutoff {
                    found.push(sha);
                }
            }
        }
        found.sort();
        Ok(found)
    }

    /// Removes a stored file if it was still last written before `cutoff` (an upload of the
    /// same content since then keeps it). Returns the bytes freed.
    pub fn remove_if_older(&self, sha256: &str, cutoff: SystemTime) -> std::io::Result<u64> {
        let Some(path) = self.path_of(sha256) else {
            return Ok(0);
        };
        let meta = match std::fs::metadata(&path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e),
        };
        if meta.modified()? >= cutoff {
            return Ok(0);
        }
        std::fs::remove_file(&path)?;
        Ok(meta.len())
    }

    /// Reads a stored file.
    pub fn read(&self, sha256: &str) -> std::io::Result<Vec<u8>> {
        let path = self
            .path_of(sha256)
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "bad hash"))?;
        std::fs::read(path)
    }
}

/// Temporary files older than this are leftovers of interrupted uploads.
pub const TEMP_MAX_AGE: Duration = Duration::from_secs(3600);

/// A stored file no row references is removed only after this long, far beyond the time
/// between storing a file and committing its row.
pub const ORPHAN_GRACE: Duration = Duration::from_secs(3600);

/// A new temporary file in `tmp_dir` holding `bytes`.
fn temp_file_with(tmp_dir: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    std::fs::create_dir_all(tmp_dir)?;
    let mut file = tempfile::NamedTempFile::new_in(tmp_dir)?;
    file.write_all(bytes)?;
    Ok(file)
}

/// Flushes a folder's entries to disk, so a rename or new file in it survives power loss.
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

#[cfg(unix)]
fn free_bytes(path: &Path) -> Option<u64> {
    let stat = rustix::fs::statvfs(path).ok()?;
    Some(stat.f_bavail.saturating_mul(stat.f_frsize))
}

#[cfg(not(unix))]
fn free_bytes(_path: &Path) -> Option<u64> {
    None
}

/// True when an error means the disk is full or cannot be written (as opposed to a bug).
pub fn is_storage_exhausted(e: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        e.kind(),
        ErrorKind::StorageFull | ErrorKind::ReadOnlyFilesystem | ErrorKind::QuotaExceeded
    )
}

impl PendingFile {
    /// Appends a chunk, refusing to grow past the limit. Touches the disk only once the file
    /// is larger than [`MEMORY_MAX`] (see [`PendingFile::write_is_in_memory`]).
    pub fn write(&mut self, chunk: &[u8]) -> Result<(), UploadError> {
        self.size += chunk.len() as u64;
        if self.size > self.limit {
            return Err(UploadError::TooLarge { limit: self.limit });
        }
        if self.head.len() < HEAD_BYTES {
            let take = (HEAD_BYTES - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        self.hasher.update(chunk);
        match &mut self.body {
            Body::Memory(bytes)
                if bytes.len() + chunk.len() <= MEMORY_MAX && self.claim.grow(chunk.len()) =>
            {
                bytes.extend_from_slice(chunk);
            }
            Body::Memory(bytes) => {
                let mut file = temp_file_with(&self.tmp_dir, bytes)?;
                file.write_all(chunk)?;
                self.body = Body::Disk(file);
                self.claim.release();
            }
            Body::Disk(file) => file.write_all(chunk)?,
            Body::Shared(_) => {
                return Err(UploadError::Io(std::io::Error::other(
                    "a file was written to after it was read",
                )));
            }
        }
        Ok(())
    }

    /// Whether writing `more` bytes next stays in memory (no disk I/O, so no need to leave
    /// the async executor for it).
    pub fn write_is_in_memory(&self, more: usize) -> bool {
        matches!(&self.body, Body::Memory(bytes) if bytes.len() + more <= MEMORY_MAX)
            && IN_MEMORY.load(Ordering::Relaxed) + more <= MEMORY_TOTAL_MAX
    }

    /// The first bytes received (at most 1 KiB).
    pub fn head(&self) -> &[u8] {
        &self.head
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// Whether the file spilled to disk (larger than [`MEMORY_MAX`]): reading it is I/O.
    pub fn is_on_disk(&self) -> bool {
        matches!(self.body, Body::Disk(_))
    }

    /// The whole content, for the format check: shared with the store when received in
    /// memory, read back only when it spilled to disk (a file larger than [`MEMORY_MAX`]).
    pub fn content(&mut self) -> std::io::Result<FileBytes> {
        let shared = match &mut self.body {
            Body::Memory(bytes) => FileBytes(std::sync::Arc::new(std::mem::take(bytes))),
            Body::Shared(bytes) => return Ok(bytes.clone()),
            Body::Disk(file) => {
                file.flush()?;
                return Ok(FileBytes(std::sync::Arc::new(std::fs::read(file.path())?)));
            }
        };
        self.body = Body::Shared(shared.clone());
        Ok(shared)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_committed_file_is_found_by_its_hash() {
        let dir = tempfile::tempdir().unwrap();
        let store = Storage::new(dir.path());
        let mut f = store.begin(100).unwrap();
        f.write(b"%PDF-1.7 hello").unwrap();
        let stored = store.commit(f).unwrap();
        assert_eq!(stored.size, 14);
        assert_eq!(store.read(&stored.sha256).unwrap(), b"%PDF-1.7 hello");
        assert!(
            std::fs::read_dir(dir.path().join("files/tmp"))
                .unwrap()
                .next()
                .is_none()
        );
    }

    #[test]
    fn an_over_limit_upload_is_refused_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Storage::new(dir.path());
        let mut f = store.begin(10).unwrap();
        assert!(matches!(
            f.write(&[0u8; 11]),
            Err(UploadError::TooLarge { limit: 10 })
        ));
        drop(f);
        assert_eq!(files_in(&dir.path().join("files")), 0);
    }

    #[test]
    fn uploads_together_never_claim_more_memory_than_the_total() {
        let counter = AtomicUsize::new(0);
        assert!(try_claim(&counter, 60, 100));
        assert!(try_claim(&counter, 40, 100));
        assert!(!try_claim(&counter, 1, 100));
        assert_eq!(counter.load(Ordering::Relaxed), 100);
        counter.fetch_sub(50, Ordering::Relaxed);
        assert!(!try_claim(&counter, 51, 100));
        assert!(try_claim(&counter, 50, 100));
    }

    /// Files under `dir`, recursively (0 when it does not exist).
    fn files_in(dir: &Path) -> usize {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return 0;
        };
        entries
            .map(|e| e.unwrap().path())
            .map(|p| if p.is_dir() { files_in(&p) } else { 1 })
            .sum()
    }

    #[test]
    fn a_small_upload_touches_the_disk_only_when_committed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Storage::new(dir.path());
        let mut f = store.begin(1 << 20).unwrap();
        f.write(b"%PDF-1.7 ").unwrap();
        f.write(b"small paper").unwrap();
        assert!(!f.is_on_disk());
        assert_eq!(files_in(&dir.path().join("files")), 0);
        // Read for the check, then stored: the same bytes, written once.
        assert_eq!(f.content().unwrap().as_ref(), b"%PDF-1.7 small paper");
        let stored = store.commit(f).unwrap();
        assert_eq!(stored.size, 20);
        assert_eq!(store.read(&stored.sha256).unwrap(), b"%PDF-1.7 small paper");
        assert_eq!(files_in(&dir.path().join("files")), 1);
    }

    #[test]
    fn a_refused_small_upload_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = Storage::new(dir.path());
        let mut f = store.begin(1 << 20).unwrap();
        f.write(b"%PDF-1.7 refused by the check").unwrap();
        let _ = f.content().unwrap();
        drop(f);
        assert_eq!(files_in(&dir.path().join("files")), 0);
    }

    #[test]
    fn a_large_upload_spills_to_disk_with_the_same_hash_and_content() {
        let dir = tempfile::tempdir().unwrap();
        let store = Storage::new(dir.path());
        let block: Vec<u8> = (0..=255u8).cycle().take(1 << 20).collect();
        let mut expected = Vec::new();
        let mut f = store.begin(u64::MAX).unwrap();
        for _ in 0..(MEMORY_MAX / block.len() + 1) {
            f.write(&block).unwrap();
            expected.extend_from_slice(&block);
        }
        assert!(f.is_on_disk());
        assert_eq!(f.content().unwrap().as_ref(), expected.as_slice());
        let stored = store.commit(f).unwrap();
        assert_eq!(stored.sha256, hex::encode(Sha256::digest(&expected)));
        assert_eq!(store.read(&stored.sha256).unwrap(), expected);
        assert_eq!(files_in(&dir.path().join("files/tmp")), 0);
    }

    #[test]
    fn storing_content_already_stored_writes_nothing_new() {
        let dir = tempfile::tempdir().unwrap();
        let store = Storage::new(dir.path());
        for _ in 0..2 {
            let mut f = store.begin(100).unwrap();
            f.write(b"%PDF-1.7 twice").unwrap();
            store.commit(f).unwrap();
        }
        assert_eq!(files_in(&dir.path().join("files")), 1);
    }

    #[test]
    fn hashes_that_are_not_hashes_never_reach_the_file_system() {
        let dir = tempfile::tempdir().unwrap();
        let store = Storage::new(dir.path());
        assert!(store.read("../../etc/passwd").is_err());
    }
}
