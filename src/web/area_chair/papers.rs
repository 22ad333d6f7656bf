//! An area chair's list of papers and a paper's page: reviews with their reviewers (names,
//! confidential comments), the response and who read it, the comment thread with writers,
//! posting as "Area chair", reminding the reviewers who have not submitted (once a day each)
//! and the meta-review (same optimistic locking as the chairs'). Rules:
//! `policy::perm_area_chair` and the discussion predicates with `Seat::AreaChair`.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::reviews::{self, ReviewRow};
use crate::db::submissions::{self as subs, SubmissionRow};
use crate::db::{self, DbError, audit, discussion as disc, outbox};
use crate::domain::FieldErrors;
use crate::domain::account::Email;
use crate::domain::conference::format_in_zone;
use crate::domain::decision::Decision;
use crate::domain::discussion::{CommentAudience, MetaReview, MetaReviewForm, WriterRole};
use crate::domain::review::ReviewFormSpec;
use crate::domain::submission::SubmissionStatus;
use crate::mail::reviewing::{ListedPaper, reminder};
use crate::policy::{self, Member, Seat};
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, NoFields, PageCtx, set_flash};
use crate::web::views::discussion::{
    CommentForm, PaperDiscussion, RetryPage, ShownComment, ShownResponse, Viewer, shown_comments,
    shown_response,
};
use crate::web::views::reviews::{ShownReview, parse_content, shown};
use crate::web::{Layout, render, render_status, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/area-chair", web::get().to(list))
        .route("/area-chair/papers/{number}", web::get().to(page))
        .route(
            "/area-chair/papers/{number}/comments",
            web::post().to(post_comment),
        )
        .route(
            "/area-chair/papers/{number}/meta-review",
            web::post().to(save_meta_review),
        )
        .route("/area-chair/papers/{number}/remind", web::post().to(remind));
}

struct ListRow {
    number: i32,
    title: String,
    reviews: String,
    comments: usize,
    response: &'static str,
    meta: String,
}

#[derive(Template)]
#[template(path = "area_chair/list.html")]
struct ListPage {
    layout: Layout,
    papers: Vec<ListRow>,
}

async fn list(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    let member = policy::perm_signed_in(&ctx.actor)?.clone();
    let email = member.email.as_str().to_string();
    let (rows, assigned, summaries) = db::run(&ctx.state.pool, move |c| {
        let mine: Vec<String> = disc::area_chair_papers(c, &email)?;
        let rows: Vec<SubmissionRow> = subs::all(c)?
            .into_iter()
            .filter(|r| mine.contains(&r.id))
            .collect();
        Ok::<_, DbError>((rows, reviews::assigned(c)?, disc::summaries(c)?))
    })
    .await?;
    if rows.is_empty() {
        return Err(AppError::Forbidden(
            "This page is for area chairs: the chairs have not put you in charge of any paper."
                .into(),
        ));
    }
    let papers = rows
        .iter()
        .map(|r| {
            let mine: Vec<_> = assigned
                .iter()
                .filter(|a| a.submission_id == r.id)
                .collect();
            let s = summaries.get(&r.id).cloned().unwrap_or_default();
            ListRow {
                number: r.number,
                title: r.title.clone(),
                reviews: format!(
                    "{} of {}",
                    mine.iter().filter(|a| a.is_submitted()).count(),
                    mine.len()
                ),
                comments: s.comments,
                response: if s.response_submitted { "yes" } else { "no" },
                meta: s
                    .recommendation
                    .as_deref()
                    .and_then(Decision::parse)
                    .map_or("–", Decision::label)
                    .to_string(),
            }
        })
        .collect();
    render(&ListPage {
        layout: ctx.layout("Area chair"),
        papers,
    })
}

/// A paper the viewer is area chair of, with everything its page shows.
struct Loaded {
    member: Member,
    row: SubmissionRow,
    reviews: Vec<ReviewRow>,
    d: PaperDiscussion,
    names: HashMap<String, String>,
}

async fn load(ctx: &PageCtx, number: i32) -> Result<Loaded, AppError> {
    let member = policy::perm_signed_in(&ctx.actor)?.clone();
    let email = member.email.as_str().to_string();
    let found = db::run(&ctx.state.pool, move |c| {
        let Some(row) = subs::find_by_number(c, number)? else {
            return Ok::<_, DbError>(None);
        };
        if !disc::is_area_chair(c, &row.id, &email)? {
            return Ok(None);
        }
        let author = subs::authors(c, &row.id)?.iter().any(|a| a.email == email);
        let conflicted = author || disc::conflict_entered(c, &row.id, &email)?;
        Ok(Some((row, conflicted)))
    })
    .await?;
    let assigned = found.is_some();
    let conflicted = found.as_ref().is_some_and(|f| f.1);
    policy::perm_area_chair(&ctx.actor, assigned, conflicted)?;
    let (row, _) = found.ok_or(AppError::NotFound)?;
    let id = row.id.clone();
    let (reviews, d, names) = db::run(&ctx.state.pool, move |c| {
        let d = PaperDiscussion::load(c, &id, true)?;
        let mut emails = d.assigned.clone();
        emails.extend(d.comments.iter().map(|x| x.writer_email.clone()));
        let names = disc::names_of(c, &emails)?;
        Ok::<_, DbError>((reviews::for_submission(c, &id)?, d, names))
    })
    .await?;
    Ok(Loaded {
        member,
        row,
        reviews,
        d,
        names,
    })
}

const SEAT: Seat = Seat::AreaChair { conflicted: false };

/// One review with its reviewer, for the area chair.
struct AcReview {
    label: String,
    who: String,
    state: &'static str,
    shown: Option<ShownReview>,
    confidential: String,
    read_response: bool,
    revised: bool,
}

#[derive(Template)]
#[template(path = "area_chair/paper.html")]
struct Page {
    layout: Layout,
    number: i32,
    title: String,
    abstract_text: String,
    reviews: Vec<AcReview>,
    missing: usize,
    response: Option<ShownResponse>,
    comments: Vec<ShownComment>,
    can_post: bool,
    post_reason: String,
    can_address_authors: bool,
    meta: MetaReviewForm,
    meta_errors: FieldErrors,
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
    let spec = ReviewFormSpec::neurips();
    let style = ctx.settings.reviewer_labels;
    let reviews: Vec<AcReview> =
        l.d.assigned
            .iter()
            .enumerate()
            .map(|(i, email)| {
                let review = l.reviews.iter().find(|r| r.reviewer_email == *email);
                let label = style.label(i);
                AcReview {
                    who: format!(
                        "{} <{email}>",
                        l.names.get(email).cloned().unwrap_or_default()
                    ),
                    state: match review {
                        None => "not started",
                        Some(r) if r.is_submitted() => "submitted",
                        Some(_) => "draft",
                    },
                    shown: review
                        .filter(|r| r.is_submitted())
                        .map(|r| shown(&spec, label.clone(), r)),
                    confidential: review
                        .filter(|r| r.is_submitted())
                        .and_then(|r| parse_content(&r.content).texts.get("confidential").cloned())
                        .unwrap_or_default(),
                    read_response: l.d.acknowledged.contains(email),
                    revised: l.d.revised_after_response.contains(email),
                    label,
                }
            })
            .collect();
    let missing = reviews.iter().filter(|r| r.state != "submitted").count();
    let withdrawn = l.row.status() == SubmissionStatus::Withdrawn;
    let post =
        policy::perm_post_comment(&ctx.actor, SEAT, withdrawn, CommentAudience::Reviewers, &w);
    let meta = meta.unwrap_or_else(|| match &l.d.meta {
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
    render_status(
        status,
        &Page {
            layout: ctx.layout(&format!("#{} as area chair", l.row.number)),
            number: l.row.number,
            title: l.row.title.clone(),
            abstract_text: l.row.abstract_text.clone(),
            reviews,
            missing,
            response: shown_response(&l.d, w.tz),
            comments: shown_comments(
                &l.d,
                &Viewer {
                    seat: SEAT,
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
            meta,
            meta_errors,
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
    format!("/area-chair/papers/{number}")
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
    policy::perm_post_comment(&ctx.actor, SEAT, withdrawn, audience, &w)?;
    let text = match RetryPage::new_comment_text(
        ctx.layout("Comment not saved"),
        form.body,
        audience,
        &w,
        format!("/area-chair/papers/{}/comments", l.row.number),
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
                    writer_role: WriterRole::AreaChair.as_str(),
                    audience: audience.as_str(),
                    body: text.as_str(),
                },
                number,
                &user,
                "Area chair",
                now,
            )?;
            Ok::<_, DbError>(())
        })
    })
    .await?;
    set_flash(&ctx.session, "Your comment is posted.");
    Ok(see_other(&page_url(number)))
}

async fn save_meta_review(
    ctx: PageCtx,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<MetaReviewForm>,
) -> Result<HttpResponse, AppError> {
    let l = load(&ctx, path.into_inner()).await?;
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
            "Your meta-review was NOT saved: a chair saved this meta-review after you opened the page. Their text is now stored; yours is still in the form.",
        );
        let mut kept = form;
        kept.version = l.d.meta.as_ref().map_or(0, |m| m.version).to_string();
        return render_page(&ctx, &l, StatusCode::CONFLICT, Some(kept), errors);
    }
    set_flash(
        &ctx.session,
        "Meta-review saved. The chairs decide the paper.",
    );
    Ok(see_other(&page_url(number)))
}

/// Reminds the paper's reviewers who have not submitted (each at most once a day).
async fn remind(
    ctx: PageCtx,
    path: web::Path<i32>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let l = load(&ctx, path.into_inner()).await?;
    let late: Vec<String> =
        l.d.assigned
            .iter()
            .filter(|e| {
                !l.reviews
                    .iter()
                    .any(|r| r.reviewer_email == **e && r.is_submitted())
            })
            .cloned()
            .collect();
    let mail = ctx.state.mail_context(&ctx.settings.short_name);
    let due = format_in_zone(ctx.settings.dates.review_due, ctx.settings.tz());
    let (id, number, title, user, now) = (
        l.row.id.clone(),
        l.row.number,
        l.row.title.clone(),
        l.member.id.clone(),
        ctx.now,
    );
    let day = now.format("%Y-%m-%d").to_string();
    let sent = db::run(&ctx.state.pool, move |c| {
        let names = db::users::names_by_email(c, &late)?;
        db::transaction(c, |c| {
            let mut sent = 0;
            for email in &late {
                let Ok(to) = Email::parse(email) else {
                    continue;
                };
                let papers = [ListedPaper {
                    number,
                    title: title.clone(),
                }];
                let key = format!("area-chair-reminder:{id}:{email}:{day}");
                let name = names.get(email).map_or("", String::as_str);
                let m = reminder(&mail, &to, name, &papers, &due, &key)?;
                if outbox::enqueue(c, &m, now)? {
                    sent += 1;
                }
            }
            audit::record(
                c,
                Some(&user),
                "review.remind",
                &format!("#{number}"),
                &format!("{sent} reminders by an area chair"),
                now,
            )?;
            Ok::<_, AppError>(sent)
        })
    })
    .await?;
    set_flash(
        &ctx.session,
        &match sent {
            0 => "No reminder was sent: every review is submitted, or its reviewer was reminded today.".to_string(),
            1 => "1 reminder queued.".to_string(),
            n => format!("{n} reminders queued."),
        },
    );
    Ok(see_other(&page_url(number)))
}
