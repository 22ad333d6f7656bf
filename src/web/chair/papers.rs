//! The chairs' view of submissions: the sortable, filterable list, the CSV export, and the
//! actions on one paper (withdraw or reinstate, unlock for late fixes).

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::Duration;

use crate::db::submissions::{AuthorRow, DocumentRow, ListedSubmission};
use crate::db::{self, DbError, audit, submissions as subs};
use crate::domain::conference::format_in_zone;
use crate::domain::submission::SubmissionStatus;
use crate::policy;
use crate::web::csv::{csv_attachment, csv_safe};
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, set_flash};
use crate::web::paper_status::set_status;
use crate::web::papers::load_visible;
use crate::web::views::paging::{PER_PAGE, Paging, page_number};
use crate::web::{Layout, render, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/chair/submissions", web::get().to(list))
        .route("/chair/submissions.csv", web::get().to(csv_export))
        .route(
            "/chair/submissions/{number}/status",
            web::post().to(change_status),
        )
        .route("/chair/submissions/{number}/unlock", web::post().to(unlock));
}

/// Filters and sort order from the query string.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub track: String,
    pub status: String,
    /// "problems" keeps papers whose format check failed or warned.
    pub format: String,
    pub keyword: String,
    pub sort: String,
    /// 1-based page of the list (100 rows each).
    pub page: String,
}

impl ListQuery {
    /// The list's path with its filters and sort order, without the page.
    fn base(&self) -> String {
        let query = serde_urlencoded::to_string([
            ("track", &self.track),
            ("status", &self.status),
            ("format", &self.format),
            ("keyword", &self.keyword),
            ("sort", &self.sort),
        ])
        .unwrap_or_default();
        format!("/chair/submissions?{query}")
    }
}

/// One paper with what the list and the CSV show.
struct Listed {
    row: ListedSubmission,
    authors: Vec<AuthorRow>,
    paper: Option<DocumentRow>,
}

impl Listed {
    fn verdict(&self) -> &str {
        self.paper
            .as_ref()
            .and_then(|d| d.format_verdict.as_deref())
            .unwrap_or("")
    }

    fn flags(&self) -> Vec<String> {
        let Some(report) = self.paper.as_ref().and_then(|d| d.format_report.as_deref()) else {
            return Vec::new();
        };
        let Ok(value) = serde_json::from_str::<serde_json::Value>(report) else {
            return Vec::new();
        };
        let mut codes: Vec<String> = value["violations"]
            .as_array()
            .map(|v| {
                v.iter()
                    .filter_map(|x| x["code"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        codes.dedup();
        codes
    }

    fn pages(&self) -> Option<i32> {
        self.paper.as_ref().and_then(|d| d.pages)
    }
}

async fn load_all(ctx: &PageCtx, q: &ListQuery) -> Result<Vec<Listed>, AppError> {
    let (rows, authors, papers) = db::run(&ctx.state.pool, |c| {
        Ok::<_, DbError>((
            subs::all_listed(c)?,
            subs::all_authors(c)?,
            subs::latest_documents(c, "paper")?,
        ))
    })
    .await?;
    let keyword = q.keyword.trim().to_lowercase();
    // Grouped once, so the list is linear in the number of papers (a scan per row made it
    // quadratic: seconds per view at 10,000 papers).
    let mut authors_of: HashMap<String, Vec<AuthorRow>> = HashMap::new();
    for author in authors {
        authors_of
            .entry(author.submission_id.clone())
            .or_default()
            .push(author);
    }
    let mut paper_of: HashMap<String, DocumentRow> = HashMap::new();
    for document in papers {
        paper_of
            .entry(document.submission_id.clone())
            .or_insert(document);
    }
    let mut listed: Vec<Listed> = rows
        .into_iter()
        .map(|row| Listed {
            authors: authors_of.remove(&row.id).unwrap_or_default(),
            paper: paper_of.remove(&row.id),
            row,
        })
        .filter(|l| q.track.is_empty() || l.row.track == q.track)
        .filter(|l| q.status.is_empty() || l.row.status == q.status)
        .filter(|l| q.format != "problems" || !l.flags().is_empty())
        .filter(|l| {
            keyword.is_empty()
                || l.row
                    .keywords()
                    .iter()
                    .any(|k| k.to_lowercase().contains(&keyword))
        })
        .collect();
    match q.sort.as_str() {
        "title" => listed.sort_by_key(|l| l.row.title.to_lowercase()),
        "track" => listed.sort_by(|a, b| {
            a.row
                .track
                .cmp(&b.row.track)
                .then(a.row.number.cmp(&b.row.number))
        }),
        "status" => listed.sort_by(|a, b| {
            a.row
                .status
                .cmp(&b.row.status)
                .then(a.row.number.cmp(&b.row.number))
        }),
        "pages" => listed.sort_by_key(|l| std::cmp::Reverse(l.pages())),
        "format" => listed.sort_by(|a, b| {
            b.flags()
                .len()
                .cmp(&a.flags().len())
                .then(a.row.number.cmp(&b.row.number))
        }),
        "submitted" => listed.sort_by_key(|l| l.row.created_at),
        _ => listed.sort_by_key(|l| l.row.number),
    }
    Ok(listed)
}

struct Row {
    number: i32,
    title: String,
    track: String,
    status: String,
    authors: String,
    pages: String,
    verdict: String,
    flags: String,
}

#[derive(Template)]
#[template(path = "chair/submissions.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<Row>,
    query: ListQuery,
    topics: Vec<String>,
    total: usize,
    paging: Paging,
}

async fn list(ctx: PageCtx, query: web::Query<ListQuery>) -> Result<HttpResponse, AppError> {
    policy::perm_manage_submissions(&ctx.actor)?;
    let q = query.into_inner();
    let listed = load_all(&ctx, &q).await?;
    let paging = Paging::new(listed.len(), page_number(&q.page), PER_PAGE, &q.base());
    let rows = listed[paging.range()]
        .iter()
        .map(|l| Row {
            number: l.row.number,
            title: l.row.title.clone(),
            track: l.row.track.clone(),
            status: l.row.status.clone(),
            authors: l
                .authors
                .iter()
                .map(|a| {
                    if a.is_main {
                        format!("{}*", a.name)
                    } else {
                        a.name.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(", "),
            pages: l.pages().map(|p| p.to_string()).unwrap_or_default(),
            verdict: l.verdict().to_string(),
            flags: l.flags().join(", "),
        })
        .collect();
    render(&ListPage {
        layout: ctx.layout("All submissions"),
        total: listed.len(),
        rows,
        paging,
        query: q,
        topics: ctx.settings.topics.clone(),
    })
}

async fn csv_export(ctx: PageCtx, query: web::Query<ListQuery>) -> Result<HttpResponse, AppError> {
    policy::perm_manage_submissions(&ctx.actor)?;
    let listed = load_all(&ctx, &query.into_inner()).await?;
    let tz = ctx.settings.tz();
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = [
        "number",
        "title",
        "track",
        "status",
        "authors",
        "main_author",
        "pages",
        "format_verdict",
        "format_flags",
        "submitted_at",
    ];
    out.write_record(header)
        .map_err(|e| AppError::Unexpected(e.into()))?;
    for l in &listed {
        let authors = l
            .authors
            .iter()
            .map(|a| format!("{} <{}> ({})", a.name, a.email, a.affiliation))
            .collect::<Vec<_>>()
            .join("; ");
        let main = l
            .authors
            .iter()
            .find(|a| a.is_main)
            .map(|a| format!("{} <{}>", a.name, a.email))
            .unwrap_or_default();
        let record = [
            l.row.number.to_string(),
            l.row.title.clone(),
            l.row.track.clone(),
            l.row.status.clone(),
            authors,
            main,
            l.pages().map(|p| p.to_string()).unwrap_or_default(),
            l.verdict().to_string(),
            l.flags().join(" "),
            format_in_zone(db::from_db(l.row.created_at), tz),
        ];
        out.write_record(record.iter().map(|v| csv_safe(v)))
            .map_err(|e| AppError::Unexpected(e.into()))?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("csv: {e}")))?;
    Ok(csv_attachment(bytes, "submissions.csv"))
}

#[derive(serde::Deserialize)]
struct StatusForm {
    status: String,
    /// "yes" once the chair has seen what withdrawing does.
    #[serde(default)]
    confirm: String,
}

#[derive(Template)]
#[template(path = "chair/withdraw_confirm.html")]
struct WithdrawConfirm {
    layout: Layout,
    number: i32,
    title: String,
    authors: Vec<String>,
    reviewers: usize,
}

async fn change_status(
    ctx: PageCtx,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<StatusForm>,
) -> Result<HttpResponse, AppError> {
    let chair = policy::perm_manage_submissions(&ctx.actor)?.id.clone();
    let paper = load_visible(&ctx, path.into_inner()).await?;
    let status = match form.status.as_str() {
        "withdrawn" => SubmissionStatus::Withdrawn,
        "active" => SubmissionStatus::Active,
        _ => return Err(AppError::BadRequest("Unknown status.".into())),
    };
    if status == SubmissionStatus::Withdrawn
        && paper.row.status() != status
        && form.confirm != "yes"
    {
        let id = paper.row.id.clone();
        let reviewers = db::run(&ctx.state.pool, move |c| {
            Ok::<_, DbError>(crate::db::assignments::reviewers_of(c, &id)?.len())
        })
        .await?;
        return render(&WithdrawConfirm {
            layout: ctx.layout(&format!("Withdraw #{}?", paper.row.number)),
            number: paper.row.number,
            title: paper.row.title.clone(),
            authors: paper
                .authors
                .iter()
                .map(|a| format!("{} <{}>", a.name, a.email))
                .collect(),
            reviewers,
        });
    }
    if paper.row.status() != status {
        set_status(&ctx, &paper, &chair, status, true).await?;
    }
    set_flash(
        &ctx.session,
        &format!(
            "Submission #{} is now {}.",
            paper.row.number,
            status.as_str()
        ),
    );
    Ok(see_other(&format!("/submissions/{}", paper.row.number)))
}

#[derive(serde::Deserialize)]
struct UnlockForm {
    minutes: String,
}

async fn unlock(
    ctx: PageCtx,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<UnlockForm>,
) -> Result<HttpResponse, AppError> {
    let chair = policy::perm_manage_submissions(&ctx.actor)?.id.clone();
    let paper = load_visible(&ctx, path.into_inner()).await?;
    let minutes: i64 = match form.minutes.trim().parse() {
        Ok(m) if (0..=7 * 24 * 60).contains(&m) => m,
        _ => {
            return Err(AppError::BadRequest(
                "Minutes must be a whole number from 0 to 10080.".into(),
            ));
        }
    };
    let now = ctx.now;
    let until = (minutes > 0).then(|| now + Duration::minutes(minutes));
    let row = paper.row.clone();
    let tz = ctx.settings.tz();
    db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            subs::set_unlocked_until(c, &row.id, until)?;
            let details = match until {
                Some(u) => format!("unlocked until {}", format_in_zone(u, tz)),
                None => "locked".to_string(),
            };
            audit::record(
                c,
                Some(&chair),
                "submission.unlock",
                &format!("#{}", row.number),
                &details,
                now,
            )?;
            Ok::<_, DbError>(())
        })
    })
    .await?;
    set_flash(
        &ctx.session,
        if minutes > 0 {
            "The authors can change this submission until the unlock ends."
        } else {
            "The submission is locked."
        },
    );
    Ok(see_other(&format!("/submissions/{}", paper.row.number)))
}
