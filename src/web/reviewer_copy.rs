//! Reviewers' copies of stored PDFs: made once per version with `sanitize` (no identity in
//! the metadata, no actions, no embedded files), kept in the file store and recorded in
//! `reviewer_copies`. Anyone without author rights on a paper gets this copy, never the
//! original; a version that cannot be rewritten is not served to them at all.

use std::collections::HashMap;
use std::sync::RwLock;

use actix_web::web;

use crate::db::reviewer_copies::{self, ReviewerCopyRow};
use crate::db::{self, DbError};
use crate::sanitize::{self, Removed};
use crate::web::AppState;
use crate::web::error::AppError;

/// The reviewers' copy of the stored file `source_sha256`, made now if it is the first request.
pub async fn reviewer_copy(state: &AppState, source_sha256: &str) -> Result<Vec<u8>, AppError> {
    let row = copy_row(state, source_sha256).await?;
    let Some(copy) = row.copy_sha256 else {
        return Err(AppError::Conflict(
            "The reviewers' copy of this PDF could not be prepared, so it is not shown. Please tell the chairs."
                .into(),
        ));
    };
    let storage = state.storage.clone();
    web::block(move || storage.read(&copy))
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("read task: {e}")))?
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("reviewer copy: {e}")))
}

/// What was removed from the reviewers' copy of each of these files (made where missing).
pub async fn removals(
    state: &AppState,
    source_sha256s: Vec<String>,
) -> Result<Vec<(String, Result<Removed, String>)>, AppError> {
    let mut out = Vec::new();
    for sha in source_sha256s {
        let row = copy_row(state, &sha).await?;
        let summary = match row.error {
            Some(error) => Err(error),
            None => Ok(serde_json::from_str(&row.removed).unwrap_or_default()),
        };
        out.push((sha, summary));
    }
    Ok(out)
}

/// The `reviewer_copies` rows this process has read, by source SHA-256. A row is written
/// once per version and never updated nor deleted, so a row once read stays true and the
/// pages that show it (the author's paper page, every reviewer download) need no statement
/// for it. Bounded: when full it starts again empty.
#[derive(Debug, Default)]
pub struct KnownCopies(RwLock<HashMap<String, ReviewerCopyRow>>);

/// How many rows [`KnownCopies`] holds at most (a few hundred bytes each).
const KNOWN_COPIES: usize = 16_384;

impl KnownCopies {
    fn get(&self, source_sha256: &str) -> Option<ReviewerCopyRow> {
        self.0.read().ok()?.get(source_sha256).cloned()
    }

    fn keep(&self, row: &ReviewerCopyRow) {
        if let Ok(mut known) = self.0.write() {
            if known.len() >= KNOWN_COPIES {
                known.clear();
            }
            known.insert(row.source_sha256.clone(), row.clone());
        }
    }
}

/// The cache row for a file, making the copy first when there is none.
async fn copy_row(state: &AppState, source_sha256: &str) -> Result<ReviewerCopyRow, AppError> {
    if let Some(row) = state.known_copies.get(source_sha256) {
        return Ok(row);
    }
    let row = read_or_make_copy(state, source_sha256).await?;
    state.known_copies.keep(&row);
    Ok(row)
}

/// The stored row for a file, making the copy first when there is none.
async fn read_or_make_copy(
    state: &AppState,
    source_sha256: &str,
) -> Result<ReviewerCopyRow, AppError> {
    let sha = source_sha256.to_string();
    if let Some(row) = db::run(&state.pool, move |c| {
        Ok::<_, DbError>(reviewer_copies::find(c, &sha)?)
    })
    .await?
    {
        return Ok(row);
    }
    let storage = state.storage.clone();
    let sha = source_sha256.to_string();
    let limit = state.config.uploads.max_pdf_bytes.saturating_mul(4);
    let made = web::block(
        move || -> Result<(Option<String>, String, Option<String>), std::io::Error> {
            let original = storage.read(&sha)?;
            match sanitize::sanitize(&original) {
                Ok(copy) => {
                    let mut pending = storage
                        .begin(limit)
                        .map_err(|e| std::io::Error::other(e.to_string()))?;
                    pending
                        .write(&copy.bytes)
                        .map_err(|e| std::io::Error::other(e.to_string()))?;
                    let stored = storage
                        .commit(pending)
                        .map_err(|e| std::io::Error::other(e.to_string()))?;
                    let removed = serde_json::to_string(&copy.removed).unwrap_or_default();
                    Ok((Some(stored.sha256), removed, None))
                }
                Err(e) => {
                    tracing::warn!(error = %e, "reviewer copy could not be made");
                    Ok((None, "{}".to_string(), Some(e.to_string())))
                }
            }
        },
    )
    .await
    .map_err(|e| AppError::Unexpected(anyhow::anyhow!("sanitize task: {e}")))?
    .map_err(|e| AppError::Unexpected(anyhow::anyhow!("reviewer copy: {e}")))?;
    let (copy, removed, error) = made;
    let sha = source_sha256.to_string();
    let now = state.clock.now();
    Ok(db::run(&state.pool, move |c| {
        Ok::<_, DbError>(reviewer_copies::record(
            c,
            &sha,
            copy.as_deref(),
            &removed,
            error.as_deref(),
            now,
        )?)
    })
    .await?)
}
