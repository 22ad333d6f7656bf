//! The discussion in the chairs' lists and exports: the decisions board's columns (comments,
//! response read, meta-review recommendation) and the CSV and JSON exports of every comment
//! (with its writer, for chairs), response and meta-review. Papers a chair has a conflict with
//! (their own, or a conflict entered for them) are left out for that chair, as everywhere.

use std::collections::{HashMap, HashSet};

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::Serialize;

use crate::db::discussion::{self as disc, DiscussionSummary};
use crate::db::{self, DbError, from_db, ranking, submission_list};
use crate::domain::decision::Decision;
use crate::domain::discussion::{CommentAudience, WriterRole, word_count};
use crate::policy;
use crate::web::csv::{csv_attachment, csv_safe};
use crate::web::error::AppError;
use crate::web::extract::PageCtx;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/chair/discussion.csv", web::get().to(export_csv))
        .route("/chair/discussion.json", web::get().to(export_json));
}

/// Every paper's discussion summary and the papers hidden from the viewing chair.
pub struct DiscussionBoard {
    summaries: HashMap<String, DiscussionSummary>,
    conflicted: HashSet<String>,
    response_enabled: bool,
}

/// One board row's discussion cells.
#[derive(Debug, Clone, Default)]
pub struct BoardDiscussion {
    pub comments: String,
    pub response: String,
    pub meta: String,
}

/// Loads the board's discussion columns for the viewer.
pub async fn board_discussion(ctx: &PageCtx) -> Result<DiscussionBoard, AppError> {
    let email = ctx
        .actor
        .member()
        .map(|m| m.email.as_str().to_string())
        .unwrap_or_default();
    let (summaries, conflicted) = db::run(&ctx.state.pool, move |c| {
        Ok::<_, DbError>((disc::summaries(c)?, disc::conflicted_papers(c, &email)?))
    })
    .await?;
    Ok(DiscussionBoard {
        summaries,
        conflicted: conflicted.into_iter().collect(),
        response_enabled: ctx.settings.discussion.response_enabled,
    })
}

impl DiscussionBoard {
    /// The cells of paper `id`; dashes when the viewer may not see its discussion.
    /// `reviewers`: how many are assigned to the paper.
    pub fn row(&self, id: &str, own: bool, reviewers: usize) -> BoardDiscussion {
        if own || self.conflicted.contains(id) {
            return BoardDiscussion {
                comments: "–".into(),
                response: String::new(),
                meta: "–".into(),
            };
        }
        let s = self.summaries.get(id).cloned().unwrap_or_default();
        BoardDiscussion {
            comments: s.comments.to_string(),
            response: if s.response_submitted {
                format!("response read by {} of {reviewers}", s.acknowledgements)
            } else if self.response_enabled {
                "no response".into()
            } else {
                String::new()
            },
            // Short, to keep the decision column in view: "talk", "spotlight", …
            meta: s
                .recommendation
                .as_deref()
                .and_then(Decision::parse)
                .map_or("–", short_label)
                .to_string(),
        }
    }
}

/// A recommendation in a few words, for the board's narrow column.
fn short_label(d: Decision) -> &'static str {
    match d {
        Decision::Reject => "reject",
        Decision::Poster => "poster",
        Decision::Spotlight => "spotlight",
        Decision::Talk => "talk",
    }
}

#[derive(Serialize)]
struct ExportComment {
    label: String,
    writer_email: String,
    writer_name: String,
    /// "reviewer" or "chair".
    role: String,
    /// "reviewers" or "authors".
    audience: String,
    posted_at: String,
    edited: bool,
    text: String,
}

#[derive(Serialize)]
struct ExportResponse {
    /// "draft" or "submitted".
    state: String,
    submitted_at: Option<String>,
    words: usize,
    text: String,
    acknowledged_by: Vec<String>,
}

#[derive(Serialize)]
struct ExportMeta {
    recommendation: String,
    summary: String,
    updated_at: String,
}

#[derive(Serialize)]
struct ExportPaper {
    number: i32,
    title: String,
    comments: Vec<ExportComment>,
    response: Option<ExportResponse>,
    meta_review: Option<ExportMeta>,
}

async fn export_rows(ctx: &PageCtx) -> Result<Vec<ExportPaper>, AppError> {
    let member = policy::perm_manage_conference(&ctx.actor)?.clone();
    let email = member.email.as_str().to_string();
    let style = ctx.settings.reviewer_labels;
    let rows = db::run(&ctx.state.pool, move |c| {
        let comments = disc::all_comments(c)?;
        let responses: HashMap<String, disc::ResponseRow> = disc::all_responses(c)?
            .into_iter()
            .map(|r| (r.submission_id.clone(), r))
            .collect();
        let mut acks: HashMap<String, Vec<String>> = HashMap::new();
        for (id, reviewer, _) in disc::all_acknowledgements(c)? {
            acks.entry(id).or_default().push(reviewer);
        }
        let metas: HashMap<String, disc::MetaReviewRow> = disc::all_meta_reviews(c)?
            .into_iter()
            .map(|m| (m.submission_id.clone(), m))
            .collect();
        // Only papers with something to export are read (not every submission).
        let mut ids: Vec<String> = comments
            .iter()
            .map(|x| x.submission_id.clone())
            .chain(responses.keys().cloned())
            .chain(metas.keys().cloned())
            .collect();
        ids.sort();
        ids.dedup();
        let mut papers = Vec::new();
        let mut authors: HashMap<String, Vec<String>> = HashMap::new();
        let mut assigned: HashMap<String, Vec<(chrono::NaiveDateTime, String)>> = HashMap::new();
        for chunk in ids.chunks(500) {
            papers.extend(submission_list::by_ids(c, chunk)?);
            for a in submission_list::authors_of(c, chunk)? {
                authors.entry(a.submission_id).or_default().push(a.email);
            }
            for (id, at, email) in ranking::assignments_of(c, chunk)? {
                assigned.entry(id).or_default().push((at, email));
            }
        }
        for list in assigned.values_mut() {
            list.sort();
        }
        let conflicted: HashSet<String> = disc::conflicted_papers(c, &email)?.into_iter().collect();
        let mut emails: Vec<String> = comments.iter().map(|x| x.writer_email.clone()).collect();
        emails.sort();
        emails.dedup();
        let names = disc::names_of(c, &emails)?;
        Ok::<_, DbError>((
            papers, authors, conflicted, assigned, comments, responses, acks, metas, names,
        ))
    })
    .await?;
    let (papers, authors, conflicted, assigned, comments, responses, mut acks, mut metas, names) =
        rows;
    let mut out = Vec::new();
    for p in papers {
        let emails = authors.get(&p.id).cloned().unwrap_or_default();
        let own = !policy::can_see_reviewers(&ctx.actor, emails.iter().map(String::as_str));
        if own || conflicted.contains(&p.id) {
            continue;
        }
        let order = assigned.get(&p.id).cloned().unwrap_or_default();
        let label = |writer: &str, role: WriterRole| match role {
            WriterRole::Chair | WriterRole::AreaChair => role.desk_label().to_string(),
            WriterRole::Reviewer => order
                .iter()
                .position(|(_, e)| e == writer)
                .map(|i| style.label(i))
                .unwrap_or_else(|| "A former reviewer".into()),
        };
        let paper_comments: Vec<ExportComment> = comments
            .iter()
            .filter(|x| x.submission_id == p.id)
            .filter_map(|x| {
                let role = WriterRole::parse(&x.writer_role)?;
                let audience = CommentAudience::parse(&x.audience)?;
                Some(ExportComment {
                    label: label(&x.writer_email, role),
                    writer_email: x.writer_email.clone(),
                    writer_name: names.get(&x.writer_email).cloned().unwrap_or_default(),
                    role: role.as_str().into(),
                    audience: audience.as_str().into(),
                    posted_at: x.posted_at().to_rfc3339(),
                    edited: x.was_edited(),
                    text: x.body.clone(),
                })
            })
            .collect();
        let response = responses.get(&p.id).map(|r| ExportResponse {
            state: r.state.clone(),
            submitted_at: r.submitted_at().map(|t| t.to_rfc3339()),
            words: word_count(&r.body),
            text: r.body.clone(),
            acknowledged_by: acks.remove(&p.id).unwrap_or_default(),
        });
        let meta_review = metas.remove(&p.id).map(|m| ExportMeta {
            recommendation: m.recommendation,
            summary: m.summary,
            updated_at: from_db(m.updated_at).to_rfc3339(),
        });
        if paper_comments.is_empty() && response.is_none() && meta_review.is_none() {
            continue;
        }
        out.push(ExportPaper {
            number: p.number,
            title: p.title,
            comments: paper_comments,
            response,
            meta_review,
        });
    }
    out.sort_by_key(|p| p.number);
    Ok(out)
}

async fn export_json(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    let rows = export_rows(&ctx).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .json(rows))
}

/// One line per comment, response and meta-review.
async fn export_csv(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    let rows = export_rows(&ctx).await?;
    let err = |e: csv::Error| AppError::Unexpected(e.into());
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "number",
        "title",
        "kind",
        "label",
        "writer_email",
        "writer_name",
        "audience",
        "at",
        "edited",
        "text",
    ])
    .map_err(err)?;
    for p in &rows {
        let number = p.number.to_string();
        for x in &p.comments {
            out.write_record(
                [
                    number.as_str(),
                    &p.title,
                    "comment",
                    &x.label,
                    &x.writer_email,
                    &x.writer_name,
                    &x.audience,
                    &x.posted_at,
                    if x.edited { "true" } else { "false" },
                    &x.text,
                ]
                .map(csv_safe),
            )
            .map_err(err)?;
        }
        if let Some(r) = &p.response {
            let kind = if r.state == "submitted" {
                "response"
            } else {
                "response_draft"
            };
            let read = format!("read by: {}", r.acknowledged_by.join("; "));
            out.write_record(
                [
                    number.as_str(),
                    &p.title,
                    kind,
                    "Authors",
                    "",
                    &read,
                    "reviewers",
                    r.submitted_at.as_deref().unwrap_or(""),
                    "false",
                    &r.text,
                ]
                .map(csv_safe),
            )
            .map_err(err)?;
        }
        if let Some(m) = &p.meta_review {
            out.write_record(
                [
                    number.as_str(),
                    &p.title,
                    "meta_review",
                    &m.recommendation,
                    "",
                    "",
                    "chairs",
                    &m.updated_at,
                    "false",
                    &m.summary,
                ]
                .map(csv_safe),
            )
            .map_err(err)?;
        }
    }
    let bytes = out
        .into_inner()
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("csv: {e}")))?;
    Ok(csv_attachment(bytes, "discussion.csv"))
}
