//! The content-addressed file store: every uploaded file lives under
//! `DATA_DIR/files/ab/abcdef…` named by its SHA-256. Uploads stream into a temporary file in
//! the same file system while the hash and size are computed, and are renamed into place only
//! when complete, so an interrupted upload never leaves a partial file under a real name.
//! Paths are never shown to users; downloads go through authorised routes.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// How many leading bytes a pending file keeps in memory.
const HEAD_BYTES: usize = 1024;

/// The store's root folder.
#[derive(Debug, Clone)]
pub struct Storage {
    root: PathBuf,
}

/// A file being received.
pub struct PendingFile {
    file: tempfile::NamedTempFile,
    /// The first bytes, for signature checks without reading the file back.
    head: Vec<u8>,
    hasher: Sha256,
    size: u64,
    limit: u64,
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

    /// Starts receiving a file of at most `limit` bytes.
    pub fn begin(&self, limit: u64) -> Result<PendingFile, UploadError> {
        let tmp = self.root.join("tmp");
        std::fs::create_dir_all(&tmp)?;
        Ok(PendingFile {
            file: tempfile::NamedTempFile::new_in(tmp)?,
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

    /// Moves a complete upload into place; a file with the same content may exist already.
    pub fn commit(&self, pending: PendingFile) -> Result<StoredFile, UploadError> {
        let PendingFile {
            mut file,
            hasher,
            size,
            ..
        } = pending;
        file.flush()?;
        file.as_file().sync_all()?;
        let sha256 = hex::encode(hasher.finalize());
        let path = self
            .path_of(&sha256)
            .ok_or_else(|| std::io::Error::other("bad hash"))?;
        if !path.exists() {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            file.persist(&path).map_err(|e| UploadError::Io(e.error))?;
        }
        Ok(StoredFile { sha256, size })
    }

    /// Reads a stored file.
    pub fn read(&self, sha256: &str) -> std::io::Result<Vec<u8>> {
        let path = self
            .path_of(sha256)
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "bad hash"))?;
        std::fs::read(path)
    }
}

impl PendingFile {
    /// Appends a chunk, refusing to grow past the limit.
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
        self.file.write_all(chunk)?;
        Ok(())
    }

    /// The first bytes received (at most 1 KiB).
    pub fn head(&self) -> &[u8] {
        &self.head
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// The first bytes received (for magic-number checks) and the whole content.
    pub fn read_all(&mut self) -> std::io::Result<Vec<u8>> {
        self.file.flush()?;
        std::fs::read(self.file.path())
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
        assert!(
            std::fs::read_dir(dir.path().join("files/tmp"))
                .unwrap()
                .next()
                .is_none()
        );
    }

    #[test]
    fn hashes_that_are_not_hashes_never_reach_the_file_system() {
        let dir = tempfile::tempdir().unwrap();
        let store = Storage::new(dir.path());
        assert!(store.read("../../etc/passwd").is_err());
    }
}
