//! Writing a review: the assigned paper's page with the review form (double-blind: built from
//! `BlindPaperView`), saving drafts (also automatically, as JSON), submitting and revising with
//! optimistic locking, the deadline rules, and — once the reviewer has submitted — the other
//! submitted reviews, labelled "Reviewer A/B/C" without identities or confidential comments.

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::discussion::{self, CommentRow, ResponseRow};
use crate::db::reviewer_pages::{self, ReviewWithRevisions, ReviewedPaper};
use crate::db::reviews::{self, ReviewRow, ReviewWrite};
use crate::db::submissions::SubmissionRow;
use crate::db::{self, DbError, audit};
use crate::domain::FieldErrors;
use crate::domain::conference::{format_in_zone, format_time_left};
use crate::domain::review::{
    self, FormKind, Mode, ReviewFields, ReviewFormSpec, fields_from_content,
};
use crate::domain::submission::{SubmissionStatus, Track};
use crate::policy::{self, Member, ReviewWindow};
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, set_flash};
use crate::web::papers::BlindPaperView;
use crate::web::views::discussion::PaperDiscussion;
use crate::web::views::reviews::{ShownReview, parse_content, shown};
use crate::web::{Layout, render_status, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/reviews/{number}", web::get().to(page))
        .route("/reviews/{number}", web::post().to(save))
        .route("/reviews/{number}/autosave", web::post().to(autosave));
}

pub fn form_kind(track: Track) -> FormKind {
    match track {
        Track::Paper => FormKind::Full,
        Track::Published => FormKind::Light,
    }
}

/// An assigned paper with the viewer's review and the other reviews, labelled.
struct Loaded {
    member: Member,
    row: SubmissionRow,
    review: Option<ReviewRow>,
    my_label: String,
    /// (label, review) of the other assigned reviewers' reviews.
    others: Vec<(String, ReviewRow)>,
    has_pdf: bool,
    /// Until when a submitted review may be revised because the authors responded.
    revise_after_response: Option<chrono::DateTime<chrono::Utc>>,
    /// Submitted versions of the viewer's review (read with the rest: one round trip).
    revisions: i64,
    /// Loaded with the rest for showing the page; `None` for saves (loaded if shown).
    discussion: Option<PaperDiscussion>,
}

/// Everything a paper's reviewer page reads from the database, kept per paper in memory
/// (`AppState::reviewer_pages`) while the paper's version is unchanged.
#[derive(Debug)]
pub struct ReviewerPageRows {
    paper: ReviewedPaper,
    reviews: Vec<ReviewWithRevisions>,
    comments: Vec<CommentRow>,
}

/// How many papers' reviewer pages each process keeps in memory (tens of KB each with their
/// reviews, so some tens of MB at most; reviewers mostly come back to the few papers they
/// are writing about).
pub const KEPT_PAPER_PAGES: usize = 2048;

/// The paper `number` if it is assigned to the viewer; 404 otherwise, as for no paper. For
/// showing the page (`with_discussion`): from memory when this process read the paper at the
/// version the session's query returned (no statement of its own), otherwise one database
/// call of three queries (the paper with its reviewers, PDF flag, response and meta-review;
/// the reviews with their revision facts; the comments), kept for the next request. Saves
/// and autosaves always read afresh and leave the discussion out.
async fn load(ctx: &PageCtx, number: i32, with_discussion: bool) -> Result<Loaded, AppError> {
    let member = policy::perm_signed_in(&ctx.actor)?.clone();
    // Read with the session (`PageCtx`).
    let released_at = ctx.released_at;
    let stamp = ctx.paper_stamp(number).filter(|_| with_discussion);
    let kept = stamp
        .as_ref()
        .and_then(|stamp| ctx.state.reviewer_pages.get(stamp));
    let rows = match kept {
        Some(rows) => Some(rows),
        None => {
            let rows = db::run(&ctx.state.pool, move |c| {
                let Some(paper) = reviewer_pages::reviewed_paper(c, number)? else {
                    return Ok::<_, DbError>(None);
                };
                let reviews = reviewer_pages::reviews_with_revisions(c, &paper.row.id)?;
                let comments = if with_discussion {
                    discussion::comments_of(c, &paper.row.id)?
                } else {
                    Vec::new()
                };
                Ok(Some(Arc::new(ReviewerPageRows {
                    paper,
                    reviews,
                    comments,
                })))
            })
            .await?;
            if let (Some(stamp), Some(rows)) = (&stamp, &rows)
                && stamp.key == rows.paper.row.id
            {
                ctx.state.reviewer_pages.keep(stamp, rows.clone());
            }
            rows
        }
    };
    // Rows read for (or by) anyone: the viewer sees them only if assigned to the paper.
    let rows = rows.filter(|rows| {
        rows.paper
            .assigned
            .iter()
            .any(|e| *e == member.email.as_str())
    });
    policy::perm_view_assigned(&ctx.actor, rows.is_some())?;
    let rows = rows.ok_or(AppError::NotFound)?;
    let (paper, all_reviews) = (rows.paper.clone(), rows.reviews.clone());
    let me = member.email.as_str();
    let revisions = all_reviews
        .iter()
        .find(|r| r.review.reviewer_email == me)
        .map_or(0, |r| r.revisions);
    let responded = paper
        .response
        .as_ref()
        .is_some_and(ResponseRow::is_submitted);
    let discussion = with_discussion.then(|| {
        PaperDiscussion::of_reviewer_page(&paper, &all_reviews, rows.comments.clone(), released_at)
    });
    let ReviewedPaper {
        row,
        has_pdf,
        assigned,
        ..
    } = paper;
    let revise_after_response = policy::revise_after_response_until(
        responded,
        &policy::DiscussionWindow::new(&ctx.settings, released_at, ctx.now),
    );
    let style = ctx.settings.reviewer_labels;
    let label_of: HashMap<&str, String> = assigned
        .iter()
        .enumerate()
        .map(|(i, e)| (e.as_str(), style.label(i)))
        .collect();
    let mut review = None;
    let mut others = Vec::new();
    for r in all_reviews.into_iter().map(|r| r.review) {
        if r.reviewer_email == me {
            review = Some(r);
        } else if let Some(label) = label_of.get(r.reviewer_email.as_str()) {
            others.push((label.clone(), r));
        }
    }
    others.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Loaded {
        my_label: label_of.get(me).cloned().unwrap_or_default(),
        member,
        row,
        review,
        others,
        has_pdf,
        revise_after_response,
        revisions,
        discussion,
    })
}

fn window(ctx: &PageCtx, l: &Loaded) -> ReviewWindow {
    let review = l.review.as_ref();
    ReviewWindow {
        due: ctx.settings.dates.review_due,
        // A chair's reopening, or the time after the authors' response.
        reopened_until: review
            .and_then(ReviewRow::reopened_until)
            .max(l.revise_after_response.filter(|_| review.is_some())),
        now: ctx.now,
        tz: ctx.settings.tz(),
    }
}

#[derive(Template)]
#[template(path = "reviewer/paper.html")]
struct Page {
    layout: Layout,
    paper: BlindPaperView,
    has_pdf: bool,
    withdrawn: bool,
    due: String,
    time_left: String,
    overdue: bool,
    spec: ReviewFormSpec,
    kind: FormKind,
    fields: ReviewFields,
    errors: FieldErrors,
    /// "not started", "draft" or "submitted".
    state: &'static str,
    late: bool,
    version: i32,
    can_write: bool,
    locked_reason: String,
    my_label: String,
    others: Vec<ShownReview>,
    /// The stored newer version after a refused stale save.
    newer: Option<ShownReview>,
    revisions: i64,
    discussion: super::discussion::Section,
}

impl Page {
    fn is_full(&self) -> bool {
        self.kind == FormKind::Full
    }

    fn text_fields(&self) -> Vec<&review::TextSpec> {
        self.spec.texts_for(self.kind).collect()
    }

    fn chairs_only(&self, t: &review::TextSpec) -> bool {
        t.audience == review::Audience::Chairs
    }
}

fn state_of(review: Option<&ReviewRow>) -> &'static str {
    match review {
        None => "not started",
        Some(r) if r.is_submitted() => "submitted",
        Some(_) => "draft",
    }
}

async fn show(
    ctx: &PageCtx,
    l: &Loaded,
    status: StatusCode,
    fields: Option<ReviewFields>,
    errors: FieldErrors,
    newer: Option<ShownReview>,
) -> Result<HttpResponse, AppError> {
    let spec = ReviewFormSpec::neurips();
    let kind = form_kind(l.row.track());
    let win = window(ctx, l);
    let withdrawn = l.row.status() == SubmissionStatus::Withdrawn;
    let submitted = l.review.as_ref().is_some_and(ReviewRow::is_submitted);
    let can = policy::perm_write_review(&ctx.actor, true, withdrawn, submitted, &win);
    let revisions = l.revisions;
    let others = if submitted {
        l.others
            .iter()
            .filter(|(_, r)| r.is_submitted())
            .map(|(label, r)| shown(&spec, label.clone(), r))
            .collect()
    } else {
        Vec::new()
    };
    let due = ctx.settings.dates.review_due;
    let discussion = match &l.discussion {
        Some(d) => super::discussion::Section::new(ctx, &l.row, &l.member, submitted, d),
        None => super::discussion::Section::load(ctx, &l.row, &l.member, submitted).await?,
    };
    render_status(
        status,
        &Page {
            layout: ctx.layout(&format!("#{} {}", l.row.number, l.row.title)),
            paper: BlindPaperView::new(&l.row),
            has_pdf: l.has_pdf,
            withdrawn,
            due: format_in_zone(due, win.tz),
            time_left: format_time_left(ctx.now, due),
            overdue: ctx.now > due,
            fields: fields.unwrap_or_else(|| {
                l.review
                    .as_ref()
                    .map(|r| fields_from_content(&parse_content(&r.content)))
                    .unwrap_or_default()
            }),
            spec,
            kind,
            errors,
            state: state_of(l.review.as_ref()),
            late: l.review.as_ref().is_some_and(|r| r.late),
            version: l.review.as_ref().map_or(0, |r| r.version),
            can_write: can.is_ok(),
            locked_reason: can.err().map(|d| d.to_string()).unwrap_or_default(),
            my_label: l.my_label.clone(),
            others,
            newer,
            revisions,
            discussion,
        },
    )
}

async fn page(ctx: PageCtx, path: web::Path<i32>) -> Result<HttpResponse, AppError> {
    let l = load(&ctx, path.into_inner(), true).await?;
    show(&ctx, &l, StatusCode::OK, None, FieldErrors::new(), None).await
}

/// What a save did.
enum Saved {
    Done(i32),
    /// Another tab or device saved first: the stored review.
    Stale(Box<ReviewRow>),
    Invalid(FieldErrors),
}

/// Validates and stores the form; shared by the page's buttons and the autosave.
async fn store(
    ctx: &PageCtx,
    l: &Loaded,
    fields: &ReviewFields,
    submit: bool,
    expected: i32,
) -> Result<Saved, AppError> {
    let kind = form_kind(l.row.track());
    let win = window(ctx, l);
    let withdrawn = l.row.status() == SubmissionStatus::Withdrawn;
    let submitted = l.review.as_ref().is_some_and(ReviewRow::is_submitted);
    policy::perm_write_review(&ctx.actor, true, withdrawn, submitted, &win)?;
    let mode = if submit || submitted {
        Mode::Submit
    } else {
        Mode::Draft
    };
    let content = match review::parse(&ReviewFormSpec::neurips(), kind, fields, mode) {
        Ok(c) => c,
        Err(e) => return Ok(Saved::Invalid(e)),
    };
    let json = serde_json::to_string(&content).map_err(|e| AppError::Unexpected(e.into()))?;
    let submission_id = l.row.id.clone();
    let number = l.row.number;
    let email = l.member.email.as_str().to_string();
    let user = l.member.id.clone();
    let now = ctx.now;
    let late = win.is_late();
    let kind_name = if kind == FormKind::Full {
        "full"
    } else {
        "light"
    };
    let first_submit = submit && !submitted;
    let outcome = db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            let w = ReviewWrite {
                submission_id: &submission_id,
                email: &email,
                form_kind: kind_name,
                content: &json,
                submit: submit || submitted,
                late,
            };
            match reviews::save(c, &w, expected, now)? {
                Some(v) => {
                    if submit {
                        audit::record(
                            c,
                            Some(&user),
                            if first_submit {
                                "review.submit"
                            } else {
                                "review.revise"
                            },
                            &format!("#{number}"),
                            &format!("{email}{}", if late { " (late)" } else { "" }),
                            now,
                        )?;
                    }
                    Ok::<_, DbError>(Ok(v))
                }
                None => Ok(Err(reviews::find(c, &submission_id, &email)?)),
            }
        })
    })
    .await?;
    Ok(match outcome {
        Ok(v) => Saved::Done(v),
        Err(Some(newer)) => Saved::Stale(Box::new(newer)),
        Err(None) => Saved::Invalid({
            let mut e = FieldErrors::new();
            e.add("version", "This review changed meanwhile; reload the page.");
            e
        }),
    })
}

fn split_form(pairs: Vec<(String, String)>) -> (ReviewFields, String, i32) {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(name, _)| name == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let action = get("action");
    let version = get("version").trim().parse().unwrap_or(-1);
    let fields = ReviewFields::from_pairs(
        &pairs
            .into_iter()
            .filter(|(k, _)| !matches!(k.as_str(), "csrf" | "action" | "version"))
            .collect::<Vec<_>>(),
    );
    (fields, action, version)
}

async fn save(
    ctx: PageCtx,
    path: web::Path<i32>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let l = load(&ctx, path.into_inner(), false).await?;
    let (fields, action, version) = split_form(pairs);
    let submit = match action.as_str() {
        "submit" => true,
        "draft" => false,
        _ => return Err(AppError::BadRequest("Unknown action.".into())),
    };
    match store(&ctx, &l, &fields, submit, version).await? {
        Saved::Done(_) => {
            set_flash(
                &ctx.session,
                if submit {
                    "Your review is submitted. Thank you!"
                } else {
                    "Draft saved. It is not submitted yet."
                },
            );
            Ok(see_other(&format!("/reviews/{}", l.row.number)))
        }
        Saved::Invalid(errors) => {
            show(
                &ctx,
                &l,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(fields),
                errors,
                None,
            )
            .await
        }
        Saved::Stale(newer) => {
            let spec = ReviewFormSpec::neurips();
            let shown_newer = shown(&spec, "The saved version".into(), &newer);
            let l = Loaded {
                review: Some(*newer),
                ..l
            };
            let mut errors = FieldErrors::new();
            errors.add(
                "version",
                "Your text was NOT saved: another tab or device saved this review after you opened it. The saved version is shown below; your text is still in the form. Merge what you need, then save again.",
            );
            show(
                &ctx,
                &l,
                StatusCode::CONFLICT,
                Some(fields),
                errors,
                Some(shown_newer),
            )
            .await
        }
    }
}

/// The automatic draft save: JSON in both directions' spirit (a form in, JSON out).
async fn autosave(
    ctx: PageCtx,
    path: web::Path<i32>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let l = load(&ctx, path.into_inner(), false).await?;
    if l.review.as_ref().is_some_and(ReviewRow::is_submitted) {
        return Ok(HttpResponse::Conflict().json(serde_json::json!({
            "saved": false,
            "error": "This review is submitted: use the button to save changes.",
        })));
    }
    let (fields, _, version) = split_form(pairs);
    Ok(match store(&ctx, &l, &fields, false, version).await? {
        Saved::Done(v) => HttpResponse::Ok().json(serde_json::json!({
            "saved": true,
            "version": v,
        })),
        Saved::Invalid(errors) => HttpResponse::UnprocessableEntity().json(serde_json::json!({
            "saved": false,
            "error": "Not saved: some fields are invalid.",
            "fields": errors,
        })),
        Saved::Stale(newer) => HttpResponse::Conflict().json(serde_json::json!({
            "saved": false,
            "version": newer.version,
            "error": "Not saved: another tab or device saved this review. Your text is kept here; reload to see the other version.",
        })),
    })
}
