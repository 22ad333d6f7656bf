//! The chairs' two review exports, streamed: every review with reviewer identities and
//! confidential comments (a chair's own papers keep scores only), and the author view
//! without them. The progress page and reminders are in `reviews`.

use std::collections::HashMap;

use actix_web::HttpResponse;

use crate::domain::review::{FormKind, ReviewFormSpec};
use crate::policy;
use crate::web::csv::{CHUNK, csv_attachment, csv_safe, csv_stream};
use crate::web::error::AppError;
use crate::web::extract::PageCtx;
use crate::web::views::paper_reviews::load;
use crate::web::views::reviews::parse_content;

fn csv_error(e: impl std::fmt::Display) -> AppError {
    AppError::Unexpected(anyhow::anyhow!("csv: {e}"))
}

const TEXT_KEYS: [&str; 4] = ["summary", "strengths_weaknesses", "questions", "comment"];

/// Every review (drafts too) with reviewer identities and confidential comments; rows of a
/// paper the chair wrote keep scores only. Streamed out 500 rows at a time, but read whole:
/// reading the reviews a chunk of papers at a time by index cost twice the CPU on SQLite
/// (random page reads of the reviews' texts instead of one pass).
pub(super) async fn export_all(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    policy::perm_manage_conference(&ctx.actor)?;
    let data = load(&ctx).await?;
    let own = data.own(&ctx);
    Ok(csv_stream("reviews.csv", move |out| {
        let mut header = vec![
            "paper_number",
            "paper_title",
            "track",
            "reviewer_email",
            "reviewer_name",
            "state",
            "late",
            "overall",
            "confidence",
            "talk_recommendation",
        ];
        header.extend(TEXT_KEYS);
        header.push("confidential");
        out.row(&header)?;
        let started = data.assigned.iter().filter(|a| a.review.is_some());
        for (i, a) in started.enumerate() {
            let Some(r) = &a.review else { continue };
            let c = parse_content(&r.content);
            let hide = own.contains(&a.submission_id);
            let shown = |v: String| if hide { String::new() } else { v };
            let mut row = vec![
                a.number.to_string(),
                a.title.clone(),
                a.track.clone(),
                shown(a.reviewer_email.clone()),
                shown(data.name(&a.reviewer_email)),
                a.state().to_string(),
                r.late.to_string(),
                c.overall.map(|v| v.to_string()).unwrap_or_default(),
                c.confidence.map(|v| v.to_string()).unwrap_or_default(),
                c.talk_recommendation.to_string(),
            ];
            for k in TEXT_KEYS {
                row.push(shown(c.texts.get(k).cloned().unwrap_or_default()));
            }
            row.push(shown(
                c.texts.get("confidential").cloned().unwrap_or_default(),
            ));
            out.row(row.iter().map(|v| csv_safe(v)))?;
            if (i + 1) % CHUNK == 0 {
                out.flush()?;
            }
        }
        Ok(())
    }))
}

/// Submitted reviews as authors will see them: labels instead of reviewers, no confidential
/// comments, no talk recommendations.
pub(super) async fn export_author_view(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    policy::perm_manage_conference(&ctx.actor)?;
    let data = load(&ctx).await?;
    let spec = ReviewFormSpec::neurips();
    let style = ctx.settings.reviewer_labels;
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "paper_number",
        "paper_title",
        "reviewer",
        "overall",
        "confidence",
    ];
    header.extend(TEXT_KEYS);
    out.write_record(&header).map_err(csv_error)?;
    let mut index: HashMap<&str, usize> = HashMap::new();
    for a in &data.assigned {
        let i = index.entry(a.submission_id.as_str()).or_insert(0);
        let label = style.label(*i);
        *i += 1;
        let Some(r) = a.review.as_ref().filter(|r| r.is_submitted()) else {
            continue;
        };
        let kind = if r.form_kind == "light" {
            FormKind::Light
        } else {
            FormKind::Full
        };
        let c = parse_content(&r.content).author_view(&spec, kind);
        let mut row = vec![
            a.number.to_string(),
            a.title.clone(),
            label,
            c.overall.map(|v| v.to_string()).unwrap_or_default(),
            c.confidence.map(|v| v.to_string()).unwrap_or_default(),
        ];
        for k in TEXT_KEYS {
            row.push(c.texts.get(k).cloned().unwrap_or_default());
        }
        out.write_record(row.iter().map(|v| csv_safe(v)))
            .map_err(csv_error)?;
    }
    let bytes = out.into_inner().map_err(csv_error)?;
    Ok(csv_attachment(bytes, "reviews-author-view.csv"))
}
