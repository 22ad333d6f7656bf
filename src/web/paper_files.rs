//! Vetting and storing uploaded files of a submission form: the CSRF check of multipart
//! forms, the PDF signature and format check, the supplement's type, moving accepted files
//! into the store off the async executor, and the document rows that record them.

use actix_multipart::Multipart;
use actix_web::web;
use chrono::{DateTime, Utc};

use super::error::AppError;
use super::extract::PageCtx;
use super::papers::{check_pdf, rules_for};
use super::upload::{UploadedForm, describe_non_pdf, read_form};
use crate::auth::constant_time_eq;
use crate::db::submissions::NewDocument;
use crate::db::{self};
use crate::domain::FieldErrors;
use crate::domain::conference::{ConferenceSettings, format_in_zone};
use crate::domain::ids::UserId;
use crate::domain::submission::SubmissionDraft;
use crate::format_check::FormatReport;
use crate::mail::messages::PaperMailFacts;
use crate::storage::{FileBytes, PendingFile};

/// Reads a submission form within the upload limits, refusing it without this session's
/// CSRF token.
pub(super) async fn read_checked_form(
    ctx: &PageCtx,
    payload: Multipart,
) -> Result<UploadedForm, AppError> {
    let limits = &ctx.state.config.uploads;
    let form = read_form(
        payload,
        &ctx.state.storage,
        limits.max_pdf_bytes,
        limits.max_supplement_bytes,
    )
    .await?;
    check_csrf(ctx, &form)?;
    Ok(form)
}

/// Refuses a multipart form whose CSRF field does not match the session.
pub(super) fn check_csrf(ctx: &PageCtx, form: &UploadedForm) -> Result<(), AppError> {
    let sent = form.field("csrf").unwrap_or("");
    if sent.is_empty() || !constant_time_eq(sent.as_bytes(), ctx.csrf.as_bytes()) {
        return Err(AppError::Forbidden(
            "This form has expired or did not come from this site. Go back, reload the page and try again.".into(),
        ));
    }
    Ok(())
}

/// An uploaded file's bytes, keeping the file to store later: shared from memory (no copy,
/// no disk), or read off the async executor when a large file spilled to disk.
pub(super) async fn read_pending(
    mut file: PendingFile,
) -> Result<(PendingFile, FileBytes), AppError> {
    if !file.is_on_disk() {
        let bytes = file.content().map_err(|e| AppError::Unexpected(e.into()))?;
        return Ok((file, bytes));
    }
    web::block(move || {
        let mut file = file;
        file.content().map(|bytes| (file, bytes))
    })
    .await
    .map_err(|e| AppError::Unexpected(anyhow::anyhow!("read task: {e}")))?
    .map_err(|e| AppError::Unexpected(e.into()))
}

/// A checked and accepted PDF, ready to be moved into the store.
pub(super) struct AcceptedPdf {
    pub(super) file: PendingFile,
    pub(super) report: FormatReport,
}

/// Checks an uploaded paper: a PDF, and no blocking format violation. On refusal, the
/// message goes into `errors` beside the file field and the report is returned for display.
pub(super) async fn vet_paper(
    ctx: &PageCtx,
    file: PendingFile,
    draft: &SubmissionDraft,
    errors: &mut FieldErrors,
) -> Result<(Option<AcceptedPdf>, Option<FormatReport>), AppError> {
    if let Some(what) = describe_non_pdf(file.head()) {
        errors.add(
            "paper",
            format!("The upload was refused: {what}. Upload your paper as a PDF."),
        );
        return Ok((None, None));
    }
    let (file, bytes) = read_pending(file).await?;
    let rules = rules_for(draft.track, &ctx.settings);
    let blocking = rules.blocking.clone();
    let report = check_pdf(&ctx.state, bytes, rules, &draft.authors).await?;
    if report.blocks_upload(&blocking) {
        errors.add(
            "paper",
            "The PDF was refused: see the format report above the form. Nothing was saved.",
        );
        return Ok((None, Some(report)));
    }
    Ok((
        Some(AcceptedPdf {
            file,
            report: report.clone(),
        }),
        Some(report),
    ))
}

/// Moves an accepted upload into the content-addressed store, off the async executor.
pub(super) async fn store(
    ctx: &PageCtx,
    file: PendingFile,
) -> Result<crate::storage::StoredFile, AppError> {
    let storage = ctx.state.storage.clone();
    web::block(move || storage.commit(file))
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("store task: {e}")))?
        .map_err(AppError::from)
}

pub(super) fn vet_supplement(
    file: &PendingFile,
    errors: &mut FieldErrors,
) -> Result<bool, AppError> {
    let head = file.head();
    if head.starts_with(b"%PDF-") || head.starts_with(b"PK\x03\x04") {
        return Ok(true);
    }
    errors.add(
        "supplement",
        "The supplementary file must be a PDF or a ZIP archive.",
    );
    Ok(false)
}

pub(super) fn paper_facts(
    row_id: &str,
    number: i32,
    draft: &SubmissionDraft,
    settings: &ConferenceSettings,
) -> PaperMailFacts {
    PaperMailFacts {
        submission_id: row_id.to_string(),
        number,
        title: draft.title.clone(),
        track: draft.track.label().to_string(),
        deadline: format_in_zone(settings.dates.submission_deadline, settings.tz()),
    }
}

pub(crate) fn document_row(
    submission_id: &str,
    kind: &str,
    sha256: String,
    size: u64,
    report: Option<&FormatReport>,
    by: &UserId,
    now: DateTime<Utc>,
) -> NewDocument {
    NewDocument {
        id: uuid::Uuid::new_v4().to_string(),
        submission_id: submission_id.to_string(),
        kind: kind.to_string(),
        sha256,
        size_bytes: i64::try_from(size).unwrap_or(i64::MAX),
        pages: report
            .and_then(|r| r.total_pages)
            .and_then(|p| i32::try_from(p).ok()),
        format_verdict: report.map(|r| verdict_name(r.verdict).to_string()),
        format_report: report.and_then(|r| serde_json::to_string(r).ok()),
        uploaded_at: db::to_db(now),
        uploaded_by: by.to_string(),
    }
}

/// The stored name of a verdict.
pub fn verdict_name(v: crate::format_check::Verdict) -> &'static str {
    match v {
        crate::format_check::Verdict::Pass => "pass",
        crate::format_check::Verdict::Fail => "fail",
        crate::format_check::Verdict::Reject => "reject",
    }
}
