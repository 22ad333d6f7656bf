//! The committed assignments as a list a chair can page through and filter (by paper number,
//! reviewer address and review state); the filtering and paging happen in the query
//! (`db::assignment_list`). Papers the viewing chair wrote are left out: their reviewers are
//! hidden from that chair. Reached only by chairs.

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::assignment_list::{self as list, AssignmentFilter, ReviewState};
use crate::db::{self, DbError};
use crate::domain::conference::format_in_zone;
use crate::policy;
use crate::web::error::AppError;
use crate::web::extract::PageCtx;
use crate::web::{Layout, render};

/// Rows per page.
pub const PAGE_SIZE: i64 = 50;

/// The filters as typed in the query string.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub paper: String,
    pub reviewer: String,
    pub state: String,
    pub page: String,
}

impl ListQuery {
    /// The query string for another page with the same filters.
    fn link(&self, page: i64) -> String {
        let query = serde_urlencoded::to_string([
            ("paper", self.paper.trim()),
            ("reviewer", self.reviewer.trim()),
            ("state", self.state.trim()),
            ("page", &page.to_string()),
        ])
        .unwrap_or_default();
        format!("/chair/assignment/committed?{query}")
    }
}

pub(super) struct Row {
    pub(super) number: i32,
    pub(super) title: String,
    pub(super) withdrawn: bool,
    pub(super) published: bool,
    pub(super) reviewer: String,
    pub(super) email: String,
    pub(super) assigned: String,
    pub(super) state: &'static str,
    pub(super) late: bool,
}

/// The first `limit` committed assignments the chair may see, for the assignment page.
pub(super) async fn first_rows(ctx: &PageCtx, limit: i64) -> Result<Vec<Row>, AppError> {
    let chair = policy::perm_manage_conference(&ctx.actor)?.email.clone();
    let (rows, names) = db::run(&ctx.state.pool, move |c| {
        let hidden: Vec<String> = crate::db::submissions::for_author_email(c, &chair)?
            .into_iter()
            .map(|s| s.id)
            .collect();
        let filter = AssignmentFilter {
            hidden,
            ..AssignmentFilter::default()
        };
        let rows = list::page(c, &filter, 0, limit)?;
        let emails: Vec<String> = rows.iter().map(|r| r.reviewer_email.clone()).collect();
        let names = crate::db::users::names_by_email(c, &emails)?;
        Ok::<_, DbError>((rows, names))
    })
    .await?;
    Ok(to_rows(rows, &names, ctx))
}

fn to_rows(
    rows: Vec<list::ListedAssignment>,
    names: &std::collections::HashMap<String, String>,
    ctx: &PageCtx,
) -> Vec<Row> {
    let tz = ctx.settings.tz();
    rows.into_iter()
        .map(|r| Row {
            number: r.number,
            title: r.title,
            withdrawn: r.status != "active",
            published: r.track == "published",
            reviewer: names.get(&r.reviewer_email).cloned().unwrap_or_default(),
            email: r.reviewer_email,
            assigned: format_in_zone(db::from_db(r.assigned_at), tz),
            state: r.state.label(),
            late: r.late,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "chair/assignment_committed.html")]
struct Page {
    layout: Layout,
    query: ListQuery,
    rows: Vec<Row>,
    total: i64,
    page: i64,
    pages: i64,
    first: i64,
    prev: Option<String>,
    next: Option<String>,
    hidden_own: usize,
    errors: Vec<String>,
    states: Vec<(&'static str, &'static str)>,
}

pub(super) async fn committed(
    ctx: PageCtx,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let chair = policy::perm_manage_conference(&ctx.actor)?.email.clone();
    let query = query.into_inner();
    let mut errors = Vec::new();
    let paper = match query.paper.trim().trim_start_matches('#') {
        "" => None,
        n => match n.parse::<i32>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(format!("“{}” is not a paper number.", query.paper.trim()));
                None
            }
        },
    };
    let state = match query.state.trim() {
        "" => None,
        s => {
            let parsed = ReviewState::parse(s);
            if parsed.is_none() {
                errors.push("Choose a review state from the list.".into());
            }
            parsed
        }
    };
    let reviewer = Some(query.reviewer.trim().to_string()).filter(|r| !r.is_empty());
    let page: i64 = query.page.trim().parse().unwrap_or(1).max(1);
    let (rows, total, names, hidden_own) = db::run(&ctx.state.pool, move |c| {
        let own: Vec<String> = crate::db::submissions::for_author_email(c, &chair)?
            .into_iter()
            .map(|s| s.id)
            .collect();
        let hidden_own = own.len();
        let filter = AssignmentFilter {
            paper,
            reviewer,
            state,
            hidden: own,
            active_only: false,
        };
        let total = list::count(c, &filter)?;
        let rows = list::page(c, &filter, (page - 1) * PAGE_SIZE, PAGE_SIZE)?;
        let emails: Vec<String> = rows.iter().map(|r| r.reviewer_email.clone()).collect();
        let names = crate::db::users::names_by_email(c, &emails)?;
        Ok::<_, DbError>((rows, total, names, hidden_own))
    })
    .await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let rows = to_rows(rows, &names, &ctx);
    render(&Page {
        layout: ctx.layout("Committed assignments"),
        prev: (page > 1).then(|| query.link(page - 1)),
        next: (page < pages).then(|| query.link(page + 1)),
        first: (page - 1) * PAGE_SIZE + 1,
        query,
        rows,
        total,
        page,
        pages,
        hidden_own,
        errors,
        states: [
            ReviewState::NotStarted,
            ReviewState::Draft,
            ReviewState::Submitted,
        ]
        .into_iter()
        .map(|s| (s.code(), s.label()))
        .collect(),
    })
}
