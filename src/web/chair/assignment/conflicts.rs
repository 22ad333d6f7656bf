//! The chairs' conflicts page: every conflict with its reason (computed, declared, bid or
//! entered), and the chairs' own entries and removals; chairs see every conflict but their own
//! papers' reviewers stay hidden from them. A conflict entered on an assigned pair asks to
//! confirm, then removes the assignment at once (the review kept for the chairs, the reviewer
//! emailed, the paper one review short until a replacement is assigned).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::assignments::{self as asg};
use crate::db::{self, DbError, audit, outbox, reviews, users};
use crate::domain::account::Email;
use crate::domain::pool::{Conflict, ConflictKind};
use crate::mail::reviewing;
use crate::policy;
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, set_flash};
use crate::web::pool_data::current_pool;
use crate::web::{Layout, render_status, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/chair/conflicts", web::get().to(conflicts))
        .route("/chair/conflicts", web::post().to(add_conflict))
        .route("/chair/conflicts/remove", web::post().to(remove_conflict));
}

struct ConflictRow {
    number: i32,
    title: String,
    reviewer: String,
    email: String,
    kind: &'static str,
    detail: String,
    removable: bool,
}

#[derive(Template)]
#[template(path = "chair/conflicts.html")]
struct ConflictsPage {
    layout: Layout,
    rows: Vec<ConflictRow>,
    total: usize,
    query: String,
    errors: Vec<String>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct ConflictQuery {
    q: String,
}

/// Conflicts shown at once; the filter narrows larger lists.
const SHOWN: usize = 500;

async fn show_conflicts(
    ctx: &PageCtx,
    status: StatusCode,
    query: String,
    errors: Vec<String>,
) -> Result<HttpResponse, AppError> {
    let data = current_pool(&ctx.state).await?;
    let q = query.trim().trim_start_matches('#').to_lowercase();
    // Rows are made only for the conflicts shown; the rest are counted.
    let wanted = |c: &Conflict| {
        let paper = &data.papers[c.paper];
        let reviewer = &data.pool[c.reviewer].person;
        q.is_empty()
            || paper.number.to_string() == q
            || reviewer.email.contains(&q)
            || reviewer.name.to_lowercase().contains(&q)
    };
    let mut total = 0;
    let mut rows = Vec::new();
    for c in data.conflicts().iter().filter(|c| wanted(c)) {
        total += 1;
        if rows.len() >= SHOWN {
            continue;
        }
        let paper = &data.papers[c.paper];
        let reviewer = &data.pool[c.reviewer].person;
        rows.push(ConflictRow {
            number: paper.number,
            title: paper.title.clone(),
            reviewer: reviewer.name.clone(),
            email: reviewer.email.clone(),
            kind: c.kind.label(),
            detail: c.detail.clone(),
            removable: matches!(c.kind, ConflictKind::Chair | ConflictKind::Reported),
        });
    }
    render_status(
        status,
        &ConflictsPage {
            layout: ctx.layout("Conflicts"),
            rows,
            total,
            query,
            errors,
        },
    )
}

async fn conflicts(
    ctx: PageCtx,
    query: web::Query<ConflictQuery>,
) -> Result<HttpResponse, AppError> {
    policy::perm_manage_conference(&ctx.actor)?;
    show_conflicts(&ctx, StatusCode::OK, query.into_inner().q, Vec::new()).await
}

#[derive(Debug, serde::Deserialize)]
struct ConflictForm {
    number: String,
    email: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    confirm: String,
}

#[derive(Template)]
#[template(path = "chair/conflict_confirm.html")]
struct ConfirmPage {
    layout: Layout,
    number: i32,
    email: String,
    reason: String,
    has_review: bool,
    review_state: String,
}

async fn add_conflict(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<ConflictForm>,
) -> Result<HttpResponse, AppError> {
    let chair = policy::perm_manage_conference(&ctx.actor)?.id.clone();
    let data = current_pool(&ctx.state).await?;
    let number: Option<i32> = form.number.trim().trim_start_matches('#').parse().ok();
    let email = form.email.trim().to_lowercase();
    let reason = form.reason.trim().to_string();
    let mut errors = Vec::new();
    let paper = number.and_then(|n| data.paper_by_number(n));
    if paper.is_none() {
        errors.push(format!(
            "There is no active submission #{}.",
            form.number.trim()
        ));
    }
    if data.reviewer_by_email(&email).is_none() {
        errors.push(format!("{email} is not in the reviewer pool."));
    }
    if reason.is_empty() || reason.chars().count() > 500 {
        errors.push("Give a reason (at most 500 characters).".into());
    }
    let Some(p) = paper.filter(|_| errors.is_empty()) else {
        return show_conflicts(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            String::new(),
            errors,
        )
        .await;
    };
    let id = data.papers[p].id.clone();
    let number = data.papers[p].number;
    let now = ctx.now;
    if form.confirm != "yes" {
        let (pair, assigned_email) = (id.clone(), email.clone());
        let (assigned, review) = db::run(&ctx.state.pool, move |c| {
            Ok::<_, DbError>((
                asg::is_assigned(c, &pair, &assigned_email)?,
                reviews::find(c, &pair, &assigned_email)?,
            ))
        })
        .await?;
        if assigned {
            return render_status(
                StatusCode::OK,
                &ConfirmPage {
                    layout: ctx.layout("Remove an assignment for a conflict?"),
                    number,
                    email,
                    reason,
                    has_review: review.is_some(),
                    review_state: review.map(|r| r.state).unwrap_or_default(),
                },
            );
        }
    }
    let mail = ctx.state.mail_context(&ctx.settings.short_name);
    let (added, unassigned) = db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            let added = asg::enter_conflict(c, &id, &email, "chair", &reason, &chair, now)?;
            if added {
                audit::record(
                    c,
                    Some(&chair),
                    "conflict.add",
                    &format!("#{number}"),
                    &format!("{email}: {reason}"),
                    now,
                )?;
            }
            // The review row (draft or submitted) stays: chairs still see it.
            let unassigned = asg::unassign(c, &id, &email)? > 0;
            if unassigned {
                audit::record(
                    c,
                    Some(&chair),
                    "assignment.removed_for_conflict",
                    &format!("#{number}"),
                    &email,
                    now,
                )?;
                if let Ok(to) = Email::parse(&email) {
                    let name = users::find_by_email(c, &to)?
                        .map(|u| u.name)
                        .unwrap_or_default();
                    let m = reviewing::assignment_withdrawn(&mail, &to, &name, number)?;
                    outbox::enqueue(c, &m, now)?;
                }
            }
            Ok::<_, AppError>((added, unassigned))
        })
    })
    .await?;
    let message = match (added, unassigned) {
        (_, true) => format!(
            "The conflict is recorded and #{number} is no longer assigned to that reviewer, who has been told. The paper now needs a replacement reviewer: re-run the assignment (it keeps every other committed review)."
        ),
        (true, false) => "The conflict is recorded.".to_string(),
        (false, false) => "A conflict for this pair was already entered.".to_string(),
    };
    set_flash(&ctx.session, &message);
    Ok(see_other("/chair/conflicts"))
}

async fn remove_conflict(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<ConflictForm>,
) -> Result<HttpResponse, AppError> {
    let chair = policy::perm_manage_conference(&ctx.actor)?.id.clone();
    let data = current_pool(&ctx.state).await?;
    let number: i32 = form.number.trim().parse().unwrap_or(-1);
    let p = data
        .paper_by_number(number)
        .ok_or_else(|| AppError::BadRequest(format!("There is no active submission #{number}.")))?;
    let id = data.papers[p].id.clone();
    let email = form.email.trim().to_lowercase();
    let now = ctx.now;
    let removed = db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            let n = asg::remove_entered_conflict(c, &id, &email)?;
            if n > 0 {
                audit::record(
                    c,
                    Some(&chair),
                    "conflict.remove",
                    &format!("#{number}"),
                    &email,
                    now,
                )?;
            }
            Ok::<_, DbError>(n > 0)
        })
    })
    .await?;
    set_flash(
        &ctx.session,
        if removed {
            "The entered conflict was removed (computed conflicts stay)."
        } else {
            "There was no entered conflict for this pair."
        },
    );
    Ok(see_other("/chair/conflicts"))
}
