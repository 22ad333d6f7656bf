//! A paper's discussion for the chairs: the authors' response, who of the reviewers has read
//! it and who revised their review after it, the comment thread with who wrote each comment
//! and every earlier text, posting as "Chair", and the meta-review (summary and
//! recommendation, optimistic locking). A chair with a conflict on the paper (its author, or
//! a conflict entered for them) sees nothing of it: `policy::perm_read_discussion`.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::submissions::{self as subs, SubmissionRow};
use crate::db::{self, DbError, discussion as disc, from_db};
use crate::domain::FieldErrors;
use crate::domain::conference::format_in_zone;
use crate::domain::decision::Decision;
use crate::domain::discussion::{
    CommentAudience, CommentText, MetaReview, MetaReviewForm, WriterRole,
};
use crate::domain::submission::SubmissionStatus;
use crate::policy::{self, Member, PaperRights, Seat};
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, set_flash};
use crate::web::views::discussion::{
    CommentForm, PaperDiscussion, RetryPage, ShownComment, ShownResponse, Viewer, shown_comments,
    shown_response,
};
use crate::web::{Layout, render_status, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/chair/papers/{number}/discussion", web::get().to(page))
        .route(
            "/chair/papers/{number}/comments",
            web::post().to(post_comment),
        )
        .route(
            "/chair/papers/{number}/comments/{id}",
            web::post().to(edit_comment),
        )
        .route(
            "/chair/papers/{number}/meta-review",
            web::post().to(save_meta_review),
        );
}

/// A paper with its discussion, for a chair without a conflict on it.
struct Loaded {
    member: Member,
    row: SubmissionRow,
    d: PaperDiscussion,
    names: HashMap<String, String>,
    seat: Seat,
}

async fn load(ctx: &PageCtx, number: i32) -> Result<Loaded, AppError> {
    let member = policy::perm_manage_conference(&ctx.actor)?.clone();
    let email = member.email.as_str().to_string();
    let (row, authors, entered) = db::run(&ctx.state.pool, move |c| {
        let Some(row) = subs::find_by_number(c, number)? else {
            return Ok::<_, DbError>(None);
        };
        let authors: Vec<String> = subs::authors(c, &row.id)?
            .into_iter()
            .map(|a| a.email)
            .collect();
        let entered = disc::conflict_entered(c, &row.id, &email)?;
        Ok(Some((row, authors, entered)))
    })
    .await?
    .ok_or(AppError::NotFound)?;
    let rights = PaperRights::compute(
        &ctx.actor,
        authors.iter().map(String::as_str),
        row.status() == SubmissionStatus::Withdrawn,
    );
    let seat = Seat::Chair {
        conflicted: policy::chair_conflicted(rights, entered),
    };
    // Refused before anything of the discussion is read (a chair's access does not depend
    // on the dates).
    let any_time = policy::DiscussionWindow::new(&ctx.settings, None, ctx.now);
    policy::perm_read_discussion(&ctx.actor, seat, &any_time)?;
    let id = row.id.clone();
    let (d, names) = db::run(&ctx.state.pool, move |c| {
        let d = PaperDiscussion::load(c, &id, true)?;
        let mut emails: Vec<String> = d.assigned.clone();
        emails.extend(d.comments.iter().map(|x| x.writer_email.clone()));
        let names = disc::names_of(c, &emails)?;
        Ok::<_, DbError>((d, names))
    })
    .await?;
    Ok(Loaded {
        member,
        row,
        d,
        names,
        seat,
    })
}

/// One assigned reviewer as the chairs see them here.
struct ReviewerLine {
    label: String,
    name: String,
    email: String,
    read_response: bool,
    revised: bool,
}

#[derive(Template)]
#[template(path = "chair/discussion.html")]
struct Page {
    layout: Layout,
    number: i32,
    title: String,
    reviewers: Vec<ReviewerLine>,
    response: Option<ShownResponse>,
    response_state: String,
    comments: Vec<ShownComment>,
    can_post: bool,
    post_reason: String,
    can_address_authors: bool,
    edit_minutes: u32,
    meta: MetaReviewForm,
    meta_errors: FieldErrors,
    meta_written: String,
    /// The stored meta-review that won over a stale save: (summary, recommendation).
    meta_stored: Option<(String, String)>,
    meta_note: String,
    recommendations: Vec<(&'static str, &'static str)>,
}

fn render_page(
    ctx: &PageCtx,
    l: &Loaded,
    status: StatusCode,
    meta: Option<MetaReviewForm>,
    meta_errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let w = l.d.window(&ctx.settings, ctx.now);
    let tz = w.tz;
    let style = ctx.settings.reviewer_labels;
    let withdrawn = l.row.status() == SubmissionStatus::Withdrawn;
    let post = policy::perm_post_comment(
        &ctx.actor,
        l.seat,
        withdrawn,
        CommentAudience::Reviewers,
        &w,
    );
    let reviewers =
        l.d.assigned
            .iter()
            .enumerate()
            .map(|(i, email)| ReviewerLine {
                label: style.label(i),
                name: l.names.get(email).cloned().unwrap_or_default(),
                email: email.clone(),
                read_response: l.d.acknowledged.contains(email),
                revised: l.d.revised_after_response.contains(email),
            })
            .collect();
    let response_state = match (&l.d.response, w.response) {
        (Some(r), _) if r.is_submitted() => String::new(),
        (Some(_), _) => {
            "The authors have a draft response; reviewers see it once it is submitted.".into()
        }
        (None, Some((opens, closes))) => format!(
            "No response yet. The authors may respond from {} to {}.",
            format_in_zone(opens, tz),
            format_in_zone(closes, tz)
        ),
        (None, None) => "The author response is not enabled (Discussion settings).".into(),
    };
    let meta_form = meta.unwrap_or_else(|| match &l.d.meta {
        Some(m) => MetaReviewForm {
            summary: m.summary.clone(),
            recommendation: m.recommendation.clone(),
            version: m.version.to_string(),
        },
        None => MetaReviewForm {
            version: "0".into(),
            ..MetaReviewForm::default()
        },
    });
    let meta_written =
        l.d.meta
            .as_ref()
            .map(|m| format!("Last saved {}.", format_in_zone(from_db(m.updated_at), tz)))
            .unwrap_or_default();
    let meta_stored =
        l.d.meta
            .as_ref()
            .filter(|_| meta_errors.get("version").is_some())
            .map(|m| {
                let rec = Decision::parse(&m.recommendation).map_or("", Decision::label);
                (m.summary.clone(), rec.to_string())
            });
    let meta_note = if ctx.settings.discussion.meta_review_to_authors {
        "The authors read the summary and recommendation with their decision, once decisions are released; never before."
    } else {
        "Only the chairs read it (the setting to show it to authors with their decision is off)."
    }
    .to_string();
    render_status(
        status,
        &Page {
            layout: ctx.layout(&format!("Discussion of #{}", l.row.number)),
            number: l.row.number,
            title: l.row.title.clone(),
            reviewers,
            response: shown_response(&l.d, tz),
            response_state,
            comments: shown_comments(
                &l.d,
                &Viewer {
                    seat: l.seat,
                    email: l.member.email.as_str(),
                    names: Some(&l.names),
                },
                &ctx.actor,
                &ctx.settings,
                &w,
            ),
            can_post: post.is_ok(),
            post_reason: post.err().map(|e| e.to_string()).unwrap_or_default(),
            can_address_authors: policy::can_address_authors(&w),
            edit_minutes: w.edit_minutes,
            meta: meta_form,
            meta_errors,
            meta_written,
            meta_stored,
            meta_note,
            recommendations: Decision::ALL
                .iter()
                .map(|d| (d.as_str(), d.label()))
                .collect(),
        },
    )
}

async fn page(ctx: PageCtx, path: web::Path<i32>) -> Result<HttpResponse, AppError> {
    let l = load(&ctx, path.into_inner()).await?;
    render_page(&ctx, &l, StatusCode::OK, None, FieldErrors::new())
}

fn page_url(number: i32) -> String {
    format!("/chair/papers/{number}/discussion")
}

async fn post_comment(
    ctx: PageCtx,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<CommentForm>,
) -> Result<HttpResponse, AppError> {
    let l = load(&ctx, path.into_inner()).await?;
    let w = l.d.window(&ctx.settings, ctx.now);
    let audience = CommentAudience::parse(&form.audience)
        .ok_or_else(|| AppError::BadRequest("Unknown audience.".into()))?;
    let withdrawn = l.row.status() == SubmissionStatus::Withdrawn;
    policy::perm_post_comment(&ctx.actor, l.seat, withdrawn, audience, &w)?;
    let text = match RetryPage::new_comment_text(
        ctx.layout("Comment not saved"),
        form.body,
        audience,
        &w,
        format!("/chair/papers/{}/comments", l.row.number),
        page_url(l.row.number),
    ) {
        Ok(t) => t,
        Err(retry) => return retry.respond(StatusCode::UNPROCESSABLE_ENTITY),
    };
    let (id, email, user, now, number) = (
        l.row.id.clone(),
        l.member.email.as_str().to_string(),
        l.member.id.clone(),
        ctx.now,
        l.row.number,
    );
    db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            disc::post_comment_recorded(
                c,
                &disc::NewComment {
                    submission_id: &id,
                    writer_email: &email,
                    writer_role: WriterRole::Chair.as_str(),
                    audience: audience.as_str(),
                    body: text.as_str(),
                },
                number,
                &user,
                "Chair",
                now,
            )?;
            Ok::<_, DbError>(())
        })
    })
    .await?;
    set_flash(&ctx.session, "Your comment is posted.");
    Ok(see_other(&page_url(l.row.number)))
}

async fn edit_comment(
    ctx: PageCtx,
    path: web::Path<(i32, String)>,
    CsrfForm(form): CsrfForm<CommentForm>,
) -> Result<HttpResponse, AppError> {
    let (number, comment_id) = path.into_inner();
    let l = load(&ctx, number).await?;
    let w = l.d.window(&ctx.settings, ctx.now);
    let comment =
        l.d.comments
            .iter()
            .find(|c| c.id == comment_id)
            .ok_or(AppError::NotFound)?;
    let mine = comment.writer_email == l.member.email.as_str()
        && comment.writer_role == WriterRole::Chair.as_str();
    policy::perm_edit_comment(&ctx.actor, l.seat, mine, comment.posted_at(), &w)?;
    let expected: i32 = form.version.trim().parse().unwrap_or(-1);
    let retry = |message: String, newer: Option<String>, version: i32| RetryPage {
        layout: ctx.layout("Comment not saved"),
        message,
        action: format!("/chair/papers/{number}/comments/{comment_id}"),
        back: page_url(number),
        body: form.body.clone(),
        audience: String::new(),
        can_address_authors: false,
        version: Some(version),
        newer,
    };
    let text = match CommentText::parse(&form.body) {
        Ok(t) => t,
        Err(errors) => {
            return retry(
                errors
                    .get("body")
                    .unwrap_or("Check the comment.")
                    .to_string(),
                None,
                expected,
            )
            .respond(StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let (id, now) = (comment_id.clone(), ctx.now);
    let saved = db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            let v = disc::edit_comment(c, &id, text.as_str(), expected, now)?;
            Ok::<_, DbError>((v, disc::find_comment(c, &id)?))
        })
    })
    .await?;
    match saved {
        (Some(_), _) => {
            set_flash(&ctx.session, "Your comment is updated; its earlier text is kept.");
            Ok(see_other(&page_url(number)))
        }
        (None, stored) => retry(
            "Your edit was NOT saved: this comment was changed after you opened it. The saved text is shown; your text is still in the form.".into(),
            stored.as_ref().map(|s| s.body.clone()),
            stored.as_ref().map_or(expected, |s| s.version),
        )
        .respond(StatusCode::CONFLICT),
    }
}

async fn save_meta_review(
    ctx: PageCtx,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<MetaReviewForm>,
) -> Result<HttpResponse, AppError> {
    let l = load(&ctx, path.into_inner()).await?;
    let conflicted = matches!(l.seat, Seat::Chair { conflicted: true });
    policy::perm_meta_review(&ctx.actor, conflicted)?;
    let meta = match MetaReview::try_from(&form) {
        Ok(m) => m,
        Err(errors) => {
            return render_page(
                &ctx,
                &l,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(form),
                errors,
            );
        }
    };
    let expected: i32 = form.version.trim().parse().unwrap_or(-1);
    let (id, user, now, number) = (l.row.id.clone(), l.member.id.clone(), ctx.now, l.row.number);
    let saved = db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            Ok::<_, DbError>(disc::save_meta_review_recorded(
                c, &id, number, &meta, expected, &user, now,
            )?)
        })
    })
    .await?;
    if saved.is_none() {
        let l = load(&ctx, number).await?;
        let mut errors = FieldErrors::new();
        errors.add(
            "version",
            "Your meta-review was NOT saved: another chair saved this meta-review after you opened the page. Their text is now stored; yours is still in the form. Merge what you need and save again.",
        );
        let mut kept = form;
        kept.version = l.d.meta.as_ref().map_or(0, |m| m.version).to_string();
        return render_page(&ctx, &l, StatusCode::CONFLICT, Some(kept), errors);
    }
    set_flash(&ctx.session, "Meta-review saved.");
    Ok(see_other(&page_url(number)))
}
