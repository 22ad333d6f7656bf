//! "My reviews" (the papers assigned to the viewer, with each review's state), an assigned
//! paper's PDF (the sanitised reviewers' copy), and reporting a conflict with an assigned paper. A paper that is
//! not assigned to the viewer answers 404, the same as one that does not exist.

use std::sync::Arc;

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, web};
use askama::Template;

use super::bids::bidding_window;
use crate::db::assignments::{self as asg};
use crate::db::reviewer_pages::{self, AssignedPaper};
use crate::db::submissions::{self as subs, SubmissionRow};
use crate::db::{self, DbError, audit, outbox, users};
use crate::domain::account::Email;
use crate::domain::conference::{format_in_zone, format_time_left};
use crate::domain::submission::SubmissionStatus;
use crate::mail::reviewing;
use crate::policy::{self, Member};
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, set_flash};
use crate::web::{Layout, render, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/reviews", web::get().to(my_reviews))
        .route("/reviews/{number}/paper.pdf", web::get().to(paper_pdf))
        .route(
            "/reviews/{number}/conflict",
            web::post().to(report_conflict),
        );
}

/// What "My reviews" reads: the viewer's assigned submissions, by number, with their review's
/// state, and whether the viewer is in the pool when that was read (`None` otherwise).
#[derive(Debug)]
pub struct MyReviewsRows {
    pool: Option<bool>,
    papers: Vec<AssignedPaper>,
}

/// The viewer's "My reviews" rows: from memory when this process read them at the viewer's
/// version the session's query returned; otherwise the assigned papers in one query, and
/// pool membership in a second only when the page needs it (for a viewer with nothing
/// assigned, who may see the page only as a member of the pool, or while bidding is open: the
/// page then links to bidding), kept for the next request.
async fn my_assignments(
    ctx: &PageCtx,
    email: &Email,
    bidding_open: bool,
) -> Result<Arc<MyReviewsRows>, AppError> {
    let stamp = ctx.viewer_stamp(email.as_str());
    let needs_pool = |rows: &MyReviewsRows| rows.papers.is_empty() || bidding_open;
    if let Some(kept) = stamp.as_ref().and_then(|s| ctx.state.my_reviews.get(s))
        && (kept.pool.is_some() || !needs_pool(&kept))
    {
        return Ok(kept);
    }
    let email = email.as_str().to_string();
    let rows = db::run(&ctx.state.pool, move |c| {
        let papers = reviewer_pages::assigned_with_reviews(c, &email)?;
        let pool = if papers.is_empty() || bidding_open {
            Some(reviewer_pages::in_pool(c, &email)?)
        } else {
            None
        };
        Ok::<_, DbError>(Arc::new(MyReviewsRows { pool, papers }))
    })
    .await?;
    if let Some(stamp) = &stamp {
        ctx.state.my_reviews.keep(stamp, rows.clone());
    }
    Ok(rows)
}

struct AssignedItem {
    number: i32,
    title: String,
    track: &'static str,
    withdrawn: bool,
    /// "not started", "draft" or "submitted".
    state: &'static str,
    late: bool,
}

#[derive(Template)]
#[template(path = "reviewer/list.html")]
struct ListPage {
    layout: Layout,
    papers: Vec<AssignedItem>,
    due: String,
    time_left: String,
    overdue: bool,
    reviewing_over: bool,
    bidding_open: bool,
    bidding_closes: String,
}

async fn my_reviews(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    let member = policy::perm_signed_in(&ctx.actor)?.clone();
    let window = bidding_window(&ctx);
    let mine = my_assignments(&ctx, &member.email, window.is_open()).await?;
    let (pool, rows) = (mine.pool.unwrap_or(false), &mine.papers);
    policy::perm_reviewer(&ctx.actor, pool || !rows.is_empty())?;
    let tz = ctx.settings.tz();
    let due = ctx.settings.dates.review_due;
    let released = ctx.released_at.is_some();
    render(&ListPage {
        layout: ctx.layout("My reviews"),
        papers: rows
            .iter()
            .map(|a| AssignedItem {
                number: a.row.number,
                title: a.row.title.clone(),
                track: a.row.track().as_str(),
                withdrawn: a.row.status() == SubmissionStatus::Withdrawn,
                state: match a.review_state.as_deref() {
                    None => "not started",
                    Some("submitted") => "submitted",
                    Some(_) => "draft",
                },
                late: a.late,
            })
            .collect(),
        due: format_in_zone(due, tz),
        time_left: format_time_left(ctx.now, due),
        overdue: ctx.now > due,
        // Decisions released: reviewing is over whatever the calendar says.
        reviewing_over: released,
        bidding_open: pool && window.is_open(),
        bidding_closes: format_in_zone(window.closes_at, tz),
    })
}

/// The assigned paper `number`, or 404 for anyone it is not assigned to.
async fn load_assigned(ctx: &PageCtx, number: i32) -> Result<(Member, SubmissionRow), AppError> {
    let member = policy::perm_signed_in(&ctx.actor)?.clone();
    let email = member.email.as_str().to_string();
    let row = db::run(&ctx.state.pool, move |c| {
        let Some(row) = subs::find_by_number(c, number)? else {
            return Ok::<_, DbError>(None);
        };
        Ok(asg::is_assigned(c, &row.id, &email)?.then_some(row))
    })
    .await?;
    policy::perm_view_assigned(&ctx.actor, row.is_some())?;
    let row = row.ok_or(AppError::NotFound)?;
    Ok((member, row))
}

async fn paper_pdf(ctx: PageCtx, path: web::Path<i32>) -> Result<HttpResponse, AppError> {
    let (_, row) = load_assigned(&ctx, path.into_inner()).await?;
    let id = row.id.clone();
    let doc = db::run(&ctx.state.pool, move |c| {
        Ok::<_, DbError>(
            subs::documents(c, &id)?
                .into_iter()
                .find(|d| d.kind == "paper"),
        )
    })
    .await?
    .ok_or(AppError::NotFound)?;
    // Reviewers get the sanitised copy (no identity in the metadata, no active content), as
    // a download rather than inline, under a sandboxing CSP should a browser show it anyway.
    let bytes = crate::web::reviewer_copy::reviewer_copy(&ctx.state, &doc.sha256).await?;
    // Named by number only: never a title, an author or an upload time.
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/pdf"))
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(format!(
                "submission-{}.pdf",
                row.number
            ))],
        })
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "sandbox; default-src 'none'; frame-ancestors 'none'",
        ))
        .body(bytes))
}

#[derive(serde::Deserialize)]
struct ConflictForm {
    #[serde(default)]
    reason: String,
}

async fn report_conflict(
    ctx: PageCtx,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<ConflictForm>,
) -> Result<HttpResponse, AppError> {
    let (member, row) = load_assigned(&ctx, path.into_inner()).await?;
    let reason = form.reason.trim().to_string();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::BadRequest(
            "Say in a few words (at most 500 characters) why you have a conflict with this paper."
                .into(),
        ));
    }
    let now = ctx.now;
    let mail = ctx.state.mail_context(&ctx.settings.short_name);
    let who = format!("{} <{}>", member.name, member.email.as_str());
    db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            if asg::unassign(c, &row.id, member.email.as_str())? == 0 {
                return Ok(());
            }
            asg::enter_conflict(
                c,
                &row.id,
                member.email.as_str(),
                "reviewer",
                &reason,
                &member.id,
                now,
            )?;
            audit::record(
                c,
                Some(&member.id),
                "assignment.conflict_reported",
                &format!("#{}", row.number),
                &format!("{who}: {reason}"),
                now,
            )?;
            for chair in users::chairs(c)? {
                let Ok(to) = Email::parse(&chair.email) else {
                    continue;
                };
                let m = reviewing::conflict_reported(&mail, &to, row.number, &who, &reason)?;
                outbox::enqueue(c, &m, now)?;
            }
            Ok::<_, AppError>(())
        })
    })
    .await?;
    set_flash(
        &ctx.session,
        "Thank you. The paper is no longer assigned to you and the chairs have been told.",
    );
    Ok(see_other("/reviews"))
}
