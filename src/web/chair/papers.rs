//! The chairs' view of submissions: the sortable, filterable list, the CSV export, and the
//! actions on one paper (withdraw or reinstate, unlock for late fixes).

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::Duration;

use crate::db::submission_list::{self as list, ListFilter, ListSort, ListedSubmission};
use crate::db::submissions::AuthorRow;
use crate::db::{self, AnyConnection, DbError, audit, submissions as subs};
use crate::domain::conference::format_in_zone;
use crate::domain::submission::SubmissionStatus;
use crate::policy;
use crate::web::csv::{CHUNK, csv_safe, csv_stream};
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

impl ListQuery {
    /// The filters and order as the database applies them.
    fn filter(&self) -> ListFilter {
        let some = |v: &str| (!v.is_empty()).then(|| v.to_string());
        ListFilter {
            track: some(&self.track),
            status: some(&self.status),
            problems_only: self.format == "problems",
            keyword: self.keyword.trim().to_lowercase(),
            sort: ListSort::parse(&self.sort),
        }
    }
}

/// The authors of `rows`, grouped by paper in author order.
fn authors_by_paper(
    c: &mut AnyConnection,
    rows: &[ListedSubmission],
) -> Result<HashMap<String, Vec<AuthorRow>>, DbError> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut authors_of: HashMap<String, Vec<AuthorRow>> = HashMap::new();
    for author in list::authors_of(c, &ids)? {
        authors_of
            .entry(author.submission_id.clone())
            .or_default()
            .push(author);
    }
    Ok(authors_of)
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
    let filter = q.filter();
    let wanted = page_number(&q.page);
    let (total, listed, mut authors_of) = db::run(&ctx.state.pool, move |c| {
        let (total, listed) = list::page(c, &filter, wanted, PER_PAGE)?;
        let authors = authors_by_paper(c, &listed)?;
        Ok::<_, DbError>((total, listed, authors))
    })
    .await?;
    let paging = Paging::new(total, wanted, PER_PAGE, &q.base());
    let rows = listed
        .into_iter()
        .map(|l| Row {
            number: l.number,
            authors: authors_of
                .remove(&l.id)
                .unwrap_or_default()
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
            pages: l.paper_pages.map(|p| p.to_string()).unwrap_or_default(),
            verdict: l.paper_verdict.clone().unwrap_or_default(),
            flags: l.flags().join(", "),
            title: l.title,
            track: l.track,
            status: l.status,
        })
        .collect();
    render(&ListPage {
        layout: ctx.layout("All submissions"),
        total: paging.total,
        rows,
        paging,
        query: q,
        topics: ctx.settings.topics.clone(),
    })
}

/// Every listed paper with its authors' names, emails and affiliations, streamed a chunk
/// of rows at a time in the list's order and with its filters.
async fn csv_export(ctx: PageCtx, query: web::Query<ListQuery>) -> Result<HttpResponse, AppError> {
    policy::perm_manage_submissions(&ctx.actor)?;
    let filter = query.into_inner().filter();
    let pool = ctx.state.pool.clone();
    let ids = db::run(&pool, move |c| {
        Ok::<_, DbError>(list::ordered_ids(c, &filter)?)
    })
    .await?;
    let tz = ctx.settings.tz();
    Ok(csv_stream("submissions.csv", move |out| {
        out.row([
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
        ])?;
        for chunk in ids.chunks(CHUNK) {
            let mut c = pool.get()?;
            let rows = list::by_ids(&mut c, chunk)?;
            let mut authors_of = authors_by_paper(&mut c, &rows)?;
            drop(c);
            for l in rows {
                let authors = authors_of.remove(&l.id).unwrap_or_default();
                let main = authors
                    .iter()
                    .find(|a| a.is_main)
                    .map(|a| format!("{} <{}>", a.name, a.email))
                    .unwrap_or_default();
                let authors = authors
                    .iter()
                    .map(|a| format!("{} <{}> ({})", a.name, a.email, a.affiliation))
                    .collect::<Vec<_>>()
                    .join("; ");
                let record = [
                    l.number.to_string(),
                    l.title.clone(),
                    l.track.clone(),
                    l.status.clone(),
                    authors,
                    main,
                    l.paper_pages.map(|p| p.to_string()).unwrap_or_default(),
                    l.paper_verdict.clone().unwrap_or_default(),
                    l.flags().join(" "),
                    format_in_zone(db::from_db(l.created_at), tz),
                ];
                out.row(record.iter().map(|v| csv_safe(v)))?;
            }
            out.flush()?;
        }
        Ok(())
    }))
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
