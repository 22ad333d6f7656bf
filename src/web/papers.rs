//! What every submission page needs: loading a paper with its authors and documents, the
//! viewer's rights on it, the submission window, the format check and the view models.

use actix_web::web;
use chrono::{DateTime, Utc};

use super::AppState;
use super::error::AppError;
use super::extract::PageCtx;
pub use super::views::format_report::ReportView;
use crate::db::submissions::{AuthorRow, DocumentRow, SubmissionRow};
use crate::db::{self, DbError, submissions};
use crate::domain::conference::{ConferenceSettings, format_in_zone};
use crate::domain::pool::PaperFacts;
use crate::domain::submission::{Author, SubmissionStatus, Track};
use crate::format_check::{self, AuthorIdentity, Code, FormatReport, Mode, Rules};
use crate::policy::{self, PaperRights, SubmissionWindow};

/// A submission with everything its pages show, and the viewer's rights on it.
pub struct LoadedPaper {
    pub row: SubmissionRow,
    pub authors: Vec<AuthorRow>,
    pub documents: Vec<DocumentRow>,
    pub rights: PaperRights,
}

/// A paper's own rows (the paper, its authors, its documents), kept per paper in memory
/// (`AppState::paper_rows`) while the paper's version is unchanged.
#[derive(Debug)]
pub struct PaperRows {
    row: SubmissionRow,
    authors: Vec<AuthorRow>,
    documents: Vec<DocumentRow>,
}

/// How many papers' rows each process keeps in memory (a few KB each).
pub const KEPT_PAPERS: usize = 4096;

/// Loads paper `number` for the viewer, or answers 404 when they may not see it (the same
/// answer as for a number that does not exist). From memory when the request's path names
/// the paper and this process read it at the version the session's query returned;
/// otherwise one database call of three queries, kept for the next request.
pub async fn load_visible(ctx: &PageCtx, number: i32) -> Result<LoadedPaper, AppError> {
    policy::perm_signed_in(&ctx.actor)?;
    let stamp = ctx.paper_stamp(number);
    let kept = stamp
        .as_ref()
        .and_then(|stamp| ctx.state.paper_rows.get(stamp));
    let rows = match kept {
        Some(rows) => rows,
        None => {
            let rows = db::run(&ctx.state.pool, move |c| {
                let Some(row) = submissions::find_by_number(c, number)? else {
                    return Ok::<_, DbError>(None);
                };
                let authors = submissions::authors(c, &row.id)?;
                let documents = submissions::documents(c, &row.id)?;
                Ok(Some(std::sync::Arc::new(PaperRows {
                    row,
                    authors,
                    documents,
                })))
            })
            .await?
            .ok_or(AppError::NotFound)?;
            if let Some(stamp) = &stamp
                && stamp.key == rows.row.id
            {
                ctx.state.paper_rows.keep(stamp, rows.clone());
            }
            rows
        }
    };
    let (row, authors, documents) = (
        rows.row.clone(),
        rows.authors.clone(),
        rows.documents.clone(),
    );
    let withdrawn = row.status() == SubmissionStatus::Withdrawn;
    let rights = PaperRights::compute(
        &ctx.actor,
        authors.iter().map(|a| a.email.as_str()),
        withdrawn,
    );
    policy::perm_view_submission(&ctx.actor, rights)?;
    Ok(LoadedPaper {
        row,
        authors,
        documents,
        rights,
    })
}

/// The submission window for a paper (or for a new one when `row` is None).
pub fn window(
    settings: &ConferenceSettings,
    row: Option<&SubmissionRow>,
    now: DateTime<Utc>,
) -> SubmissionWindow {
    SubmissionWindow {
        opens_at: settings.dates.submissions_open,
        closes_at: settings.submissions_close_at(),
        unlocked_until: row.and_then(SubmissionRow::unlocked_until),
        now,
        tz: settings.tz(),
    }
}

/// A report shown under the rules of `track`.
pub fn report_for_track(
    r: &FormatReport,
    track: Track,
    settings: &ConferenceSettings,
) -> ReportView {
    ReportView::new(r, &rules_for(track, settings), track == Track::Published)
}

/// The format rules for a track: the paper track gets the full submission-mode check; the
/// published track only has to be a readable PDF (no page limit, no anonymity).
pub fn rules_for(track: Track, settings: &ConferenceSettings) -> Rules {
    let mut rules = Rules::default();
    match track {
        Track::Paper => {
            rules.page_limit = settings.page_limit;
            rules.mode = Mode::Submission;
            let chosen: Vec<Code> = settings
                .format_blocking
                .iter()
                .filter_map(|c| serde_json::from_value(serde_json::Value::String(c.clone())).ok())
                .collect();
            rules.blocking.retain(|code| code.is_reject());
            rules.blocking.extend(chosen);
        }
        Track::Published => {
            rules.page_limit = u32::MAX;
            rules.mode = Mode::Final;
            rules.blocking.retain(|code| code.is_reject());
        }
    }
    rules
}

/// Runs the format check off the async executor, in a bounded number of slots.
pub async fn check_pdf(
    state: &web::Data<AppState>,
    bytes: impl AsRef<[u8]> + Send + 'static,
    rules: Rules,
    authors: &[Author],
) -> Result<FormatReport, AppError> {
    let identities: Vec<AuthorIdentity> = authors
        .iter()
        .map(|a| AuthorIdentity {
            name: a.name.clone(),
            email: a.email.to_string(),
            affiliation: Some(a.affiliation.clone()),
        })
        .collect();
    let permit = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        state.format_slots.clone().acquire_owned(),
    )
    .await
    .map_err(|_| AppError::Unavailable)?
    .map_err(|_| AppError::Unavailable)?;
    let report = web::block(move || {
        let report = format_check::check(bytes.as_ref(), &rules, &identities);
        drop(permit);
        report
    })
    .await
    .map_err(|e| AppError::Unexpected(anyhow::anyhow!("format check task: {e}")))?;
    Ok(report)
}

/// Reads a stored document's bytes off the async executor.
pub async fn read_stored(
    storage: &crate::storage::Storage,
    doc: &DocumentRow,
) -> Result<Vec<u8>, AppError> {
    let storage = storage.clone();
    let sha = doc.sha256.clone();
    web::block(move || storage.read(&sha))
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("read task: {e}")))?
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("stored file {}: {e}", doc.id)))
}

/// One document version as listed on a page.
pub struct DocumentView {
    pub id: String,
    pub kind: String,
    pub uploaded: String,
    pub size_kb: i64,
    pub pages: String,
    pub verdict: String,
    pub report: Option<ReportView>,
}

impl DocumentView {
    /// `rules` are those the document is held to; `readable_only` for published work.
    pub fn new(
        d: &DocumentRow,
        settings: &ConferenceSettings,
        rules: &Rules,
        readable_only: bool,
    ) -> DocumentView {
        DocumentView {
            id: d.id.clone(),
            kind: d.kind.clone(),
            uploaded: format_in_zone(db::from_db(d.uploaded_at), settings.tz()),
            size_kb: (d.size_bytes + 1023) / 1024,
            pages: d.pages.map(|p| p.to_string()).unwrap_or_else(|| "–".into()),
            verdict: d
                .format_verdict
                .clone()
                .unwrap_or_else(|| "not checked".into()),
            report: d
                .format_report
                .as_deref()
                .and_then(|r| serde_json::from_str::<FormatReport>(r).ok())
                .map(|r| ReportView::new(&r, rules, readable_only)),
        }
    }
}

/// What a reviewer may see of a paper under double-blind review. It is built from the
/// submission row alone and has no author field at all, so no template or export that uses
/// it can show who wrote the paper.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BlindPaperView {
    pub number: i32,
    pub track: &'static str,
    pub title: String,
    pub abstract_text: String,
    pub keywords: Vec<String>,
}

impl BlindPaperView {
    pub fn new(row: &SubmissionRow) -> BlindPaperView {
        BlindPaperView {
            number: row.number,
            track: row.track().as_str(),
            title: row.title.clone(),
            abstract_text: row.abstract_text.clone(),
            keywords: row.keywords(),
        }
    }

    /// The same view of a paper as the reviewer pool holds it (no author field is read).
    pub fn of_paper(paper: &PaperFacts) -> BlindPaperView {
        BlindPaperView {
            number: paper.number,
            track: paper.track.as_str(),
            title: paper.title.clone(),
            abstract_text: paper.abstract_text.clone(),
            keywords: paper.keywords.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_blind_view_has_no_author_fields() {
        let now = chrono::Utc::now().naive_utc();
        let row = SubmissionRow {
            id: "x".into(),
            number: 7,
            track: "paper".into(),
            title: "T".into(),
            abstract_text: "A".into(),
            keywords: "[\"Neural ODEs\"]".into(),
            declared_conflicts: "[\"Ada Lovelace\"]".into(),
            status: "active".into(),
            version: 1,
            unlocked_until: None,
            creation_key: "k".into(),
            created_by: "user-id".into(),
            created_at: now,
            updated_at: now,
        };
        let json = serde_json::to_value(BlindPaperView::new(&row)).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            vec!["abstract_text", "keywords", "number", "title", "track"]
        );
        assert!(!json.to_string().contains("Ada") && !json.to_string().contains("user-id"));
    }
}
