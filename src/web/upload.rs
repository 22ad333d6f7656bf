//! Reading multipart submission forms: text fields into memory (bounded), files into a
//! pending file of the content-addressed store (hashed as the bytes arrive; in memory up to
//! `storage::MEMORY_MAX`, streamed to its temporary area beyond) with their size limits
//! enforced as the bytes arrive, so a 2 GiB body is refused after the limit, not buffered.

use actix_multipart::Multipart;
use futures_util::StreamExt;

use super::error::AppError;
use crate::storage::{PendingFile, Storage, UploadError};

/// Per-field and total limits for the text part of a form.
const TEXT_FIELD_MAX: usize = 64 * 1024;
const TEXT_TOTAL_MAX: usize = 512 * 1024;

/// A received multipart form.
pub struct UploadedForm {
    pub fields: Vec<(String, String)>,
    pub paper: Option<PendingFile>,
    pub supplement: Option<PendingFile>,
    /// File fields that arrived with a file name but no bytes.
    pub empty_files: Vec<String>,
}

impl UploadedForm {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Too large (413), the disk full (507, chairs told), or unexpected.
fn too_large(e: UploadError) -> AppError {
    AppError::from(e)
}

/// Bytes of a file gathered before they are written to disk.
const WRITE_BLOCK: usize = 1024 * 1024;

/// Appends a block to a pending file on the blocking thread pool (it goes to disk).
async fn write_block(mut pending: PendingFile, block: Vec<u8>) -> Result<PendingFile, AppError> {
    actix_web::web::block(move || pending.write(&block).map(|()| pending))
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("upload task: {e}")))?
        .map_err(too_large)
}

/// Reads the whole form; files named `paper` and `supplement` go to temporary files.
pub async fn read_form(
    mut payload: Multipart,
    storage: &Storage,
    pdf_limit: u64,
    supplement_limit: u64,
) -> Result<UploadedForm, AppError> {
    let unreadable =
        || AppError::BadRequest("The form could not be read; please try again.".into());
    let mut form = UploadedForm {
        fields: Vec::new(),
        paper: None,
        supplement: None,
        empty_files: Vec::new(),
    };
    let mut text_total = 0usize;
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|_| unreadable())?;
        let name = field.name().unwrap_or("").to_string();
        let is_file = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .is_some();
        if is_file && (name == "paper" || name == "supplement") {
            let limit = if name == "paper" {
                pdf_limit
            } else {
                supplement_limit
            };
            let mut pending = storage.begin(limit).map_err(too_large)?;
            // Chunks go straight into the pending file while it stays in memory (no I/O);
            // beyond that they are gathered and written off the async executor in blocks.
            let mut buffer: Vec<u8> = Vec::new();
            let mut received = 0u64;
            while let Some(chunk) = field.next().await {
                let chunk = chunk.map_err(|_| unreadable())?;
                received += chunk.len() as u64;
                if received > limit {
                    return Err(AppError::TooLarge);
                }
                if buffer.is_empty() && pending.write_is_in_memory(chunk.len()) {
                    pending.write(&chunk).map_err(too_large)?;
                    continue;
                }
                buffer.extend_from_slice(&chunk);
                if buffer.len() >= WRITE_BLOCK {
                    pending = write_block(pending, std::mem::take(&mut buffer)).await?;
                }
            }
            if !buffer.is_empty() {
                pending = write_block(pending, buffer).await?;
            }
            // Browsers send an empty part with an empty name when no file was chosen.
            let named = field
                .content_disposition()
                .and_then(|cd| cd.get_filename())
                .is_some_and(|n| !n.is_empty());
            if pending.size() == 0 && named {
                form.empty_files.push(name.clone());
            }
            if pending.size() > 0 {
                if name == "paper" {
                    form.paper = Some(pending)
                } else {
                    form.supplement = Some(pending)
                }
            }
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| unreadable())?;
            bytes.extend_from_slice(&chunk);
            text_total += chunk.len();
            if bytes.len() > TEXT_FIELD_MAX || text_total > TEXT_TOTAL_MAX {
                return Err(AppError::TooLarge);
            }
        }
        let value = String::from_utf8(bytes).map_err(|_| {
            AppError::BadRequest("The form contains text that is not valid UTF-8.".into())
        })?;
        form.fields.push((name, value));
    }
    Ok(form)
}

/// Reads and discards a refused form's body (up to `max` bytes), so the browser receives the
/// explanation instead of a broken connection. Bodies beyond `max` are cut off.
pub async fn drain(mut payload: Multipart, max: u64) {
    let mut seen = 0u64;
    while let Some(Ok(mut field)) = payload.next().await {
        while let Some(Ok(chunk)) = field.next().await {
            seen += chunk.len() as u64;
            if seen > max {
                return;
            }
        }
    }
}

/// What kind of file the bytes are, in words an author understands, when it is not a PDF.
pub fn describe_non_pdf(head: &[u8]) -> Option<&'static str> {
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    let head = &head[start.min(head.len())..];
    if head.starts_with(b"%PDF-") {
        return None;
    }
    Some(if head.is_empty() {
        "the file is empty"
    } else if head.starts_with(b"\x89PNG") {
        "this file is a PNG image, not a PDF"
    } else if head.starts_with(b"\xff\xd8\xff") {
        "this file is a JPEG image, not a PDF"
    } else if head.starts_with(b"PK\x03\x04") {
        "this file is a ZIP archive (or a Word/OpenDocument file), not a PDF"
    } else if head.starts_with(b"%!PS") {
        "this file is PostScript, not a PDF"
    } else if head.starts_with(b"{\\rtf") {
        "this file is an RTF document, not a PDF"
    } else if head.to_ascii_lowercase().starts_with(b"<!doctype html")
        || head.to_ascii_lowercase().starts_with(b"<html")
    {
        "this file is a web page, not a PDF"
    } else {
        "this file is not a PDF"
    })
}

#[cfg(test)]
mod tests {
    use super::describe_non_pdf;

    #[test]
    fn files_are_named_by_their_magic_bytes() {
        assert_eq!(describe_non_pdf(b"%PDF-1.5\n"), None);
        assert_eq!(
            describe_non_pdf(b"\x89PNG\r\n"),
            Some("this file is a PNG image, not a PDF")
        );
        assert_eq!(describe_non_pdf(b""), Some("the file is empty"));
        assert_eq!(describe_non_pdf(b"hello"), Some("this file is not a PDF"));
    }
}
