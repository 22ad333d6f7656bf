//! The author response: during the window the chair set, a paper's authors read the reviews
//! so far (labels only, nothing confidential; scores only if the chair shows them) and the
//! comments addressed to them, and write one response per paper: drafts (also saved
//! automatically), submit, edit until the deadline, with the same version rules as reviews.
//! The first submission emails the paper's reviewers (through the outbox, in the same
//! transaction). Anyone but the paper's authors is told the page does not exist.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::reviews::ReviewRow;
use crate::db::{self, DbError, audit, discussion as disc, outbox, reviews};
use crate::domain::FieldErrors;
use crate::domain::account::Email;
use crate::domain::conference::{format_in_zone, format_time_left};
use crate::domain::discussion::{ResponseMode, ResponseText, word_count};
use crate::domain::review::ReviewFormSpec;
use crate::mail::discussion::response_arrived;
use crate::policy::{self, DiscussionWindow, Seat};
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, set_flash};
use crate::web::papers::{LoadedPaper, load_visible};
use crate::web::views::discussion::{PaperDiscussion, ShownComment, Viewer, shown_comments};
use crate::web::views::reviews::{ShownReview, shown};
use crate::web::{Layout, render_status, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/submissions/{number}/response", web::get().to(page))
        .route("/submissions/{number}/response", web::post().to(save))
        .route(
            "/submissions/{number}/response/autosave",
            web::post().to(autosave),
        );
}

/// A paper of the viewer's with its reviews and discussion, once the response phase began.
struct Loaded {
    paper: LoadedPaper,
    reviews: Vec<ReviewRow>,
    d: PaperDiscussion,
    w: DiscussionWindow,
}

async fn load(ctx: &PageCtx, number: i32) -> Result<Loaded, AppError> {
    let paper = load_visible(ctx, number).await?;
    let id = paper.row.id.clone();
    let (reviews, d) = db::run(&ctx.state.pool, move |c| {
        Ok::<_, DbError>((
            reviews::for_submission(c, &id)?,
            PaperDiscussion::load(c, &id, false)?,
        ))
    })
    .await?;
    let w = d.window(&ctx.settings, ctx.now);
    policy::perm_view_response(&ctx.actor, paper.rights, &w)?;
    Ok(Loaded {
        paper,
        reviews,
        d,
        w,
    })
}

#[derive(Template)]
#[template(path = "author/response.html")]
struct Page {
    layout: Layout,
    number: i32,
    title: String,
    closes: String,
    time_left: String,
    can_write: bool,
    locked_reason: String,
    shows_scores: bool,
    reviews: Vec<ShownReview>,
    comments: Vec<ShownComment>,
    /// "not started", "draft" or "submitted".
    state: &'static str,
    body: String,
    version: i32,
    word_limit: u32,
    words: usize,
    errors: FieldErrors,
    /// The stored text after a refused stale save.
    newer: Option<String>,
}

fn state_of(l: &Loaded) -> &'static str {
    match &l.d.response {
        None => "not started",
        Some(r) if r.is_submitted() => "submitted",
        Some(_) => "draft",
    }
}

fn show(
    ctx: &PageCtx,
    l: &Loaded,
    status: StatusCode,
    body: Option<String>,
    errors: FieldErrors,
    newer: Option<String>,
) -> Result<HttpResponse, AppError> {
    let spec = ReviewFormSpec::neurips();
    let shows_scores = ctx.settings.discussion.response_shows_scores;
    // The reviews so far in author view, labelled in assignment order as on every page.
    let reviews =
        l.d.assigned
            .iter()
            .enumerate()
            .filter_map(|(i, email)| {
                let r = l
                    .reviews
                    .iter()
                    .find(|r| r.reviewer_email == *email && r.is_submitted())?;
                let mut s = shown(&spec, ctx.settings.reviewer_labels.label(i), r);
                if !shows_scores {
                    s.overall.clear();
                    s.confidence.clear();
                }
                Some(s)
            })
            .collect();
    let can = policy::perm_write_response(&ctx.actor, l.paper.rights, &l.w);
    let closes = l.w.response.map(|(_, c)| c).unwrap_or(ctx.now);
    let body = body.unwrap_or_else(|| {
        l.d.response
            .as_ref()
            .map(|r| r.body.clone())
            .unwrap_or_default()
    });
    let email = ctx
        .actor
        .member()
        .map(|m| m.email.as_str().to_string())
        .unwrap_or_default();
    render_status(
        status,
        &Page {
            layout: ctx.layout(&format!("Response for #{}", l.paper.row.number)),
            number: l.paper.row.number,
            title: l.paper.row.title.clone(),
            closes: format_in_zone(closes, l.w.tz),
            time_left: format_time_left(ctx.now, closes),
            can_write: can.is_ok(),
            locked_reason: can.err().map(|e| e.to_string()).unwrap_or_default(),
            shows_scores,
            reviews,
            comments: shown_comments(
                &l.d,
                &Viewer {
                    seat: Seat::Author,
                    email: &email,
                    names: None,
                },
                &ctx.actor,
                &ctx.settings,
                &l.w,
            ),
            state: state_of(l),
            words: word_count(&body),
            body,
            version: l.d.response.as_ref().map_or(0, |r| r.version),
            word_limit: ctx.settings.discussion.response_word_limit,
            errors,
            newer,
        },
    )
}

async fn page(ctx: PageCtx, path: web::Path<i32>) -> Result<HttpResponse, AppError> {
    let l = load(&ctx, path.into_inner()).await?;
    show(&ctx, &l, StatusCode::OK, None, FieldErrors::new(), None)
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct ResponseForm {
    body: String,
    version: String,
    action: String,
}

/// What a save did.
enum Saved {
    Done(i32),
    Stale(Option<disc::ResponseRow>),
    Invalid(FieldErrors),
}

async fn store(
    ctx: &PageCtx,
    l: &Loaded,
    form: &ResponseForm,
    submit: bool,
) -> Result<Saved, AppError> {
    let member = policy::perm_write_response(&ctx.actor, l.paper.rights, &l.w)?.clone();
    let already = l.d.response.as_ref().is_some_and(|r| r.is_submitted());
    let mode = if submit || already {
        ResponseMode::Submit
    } else {
        ResponseMode::Draft
    };
    let text = match ResponseText::parse(
        &form.body,
        ctx.settings.discussion.response_word_limit,
        mode,
    ) {
        Ok(t) => t,
        Err(e) => return Ok(Saved::Invalid(e)),
    };
    let expected: i32 = form.version.trim().parse().unwrap_or(-1);
    let mail = ctx.state.mail_context(&ctx.settings.short_name);
    let (id, number, title, now) = (
        l.paper.row.id.clone(),
        l.paper.row.number,
        l.paper.row.title.clone(),
        ctx.now,
    );
    let reviewers = l.d.assigned.clone();
    let user = member.id.clone();
    let outcome = db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            let saved =
                disc::save_response(c, &id, text.as_str(), submit, expected, user.as_str(), now)?;
            match saved {
                disc::ResponseSaved::Done {
                    version,
                    first_submit,
                } => {
                    if first_submit {
                        for email in &reviewers {
                            let Ok(to) = Email::parse(email) else {
                                continue;
                            };
                            let m = response_arrived(&mail, &to, &id, number, &title)?;
                            outbox::enqueue(c, &m, now)?;
                        }
                    }
                    if submit {
                        audit::record(
                            c,
                            Some(&user),
                            if first_submit {
                                "response.submit"
                            } else {
                                "response.revise"
                            },
                            &format!("#{number}"),
                            &format!("{} words", word_count(text.as_str())),
                            now,
                        )?;
                    }
                    Ok::<_, AppError>(Ok(version))
                }
                disc::ResponseSaved::Stale => Ok(Err(disc::response_of(c, &id)?)),
            }
        })
    })
    .await?;
    Ok(match outcome {
        Ok(v) => Saved::Done(v),
        Err(stored) => Saved::Stale(stored),
    })
}

async fn save(
    ctx: PageCtx,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<ResponseForm>,
) -> Result<HttpResponse, AppError> {
    let l = load(&ctx, path.into_inner()).await?;
    let submit = match form.action.as_str() {
        "submit" => true,
        "draft" => false,
        _ => return Err(AppError::BadRequest("Unknown action.".into())),
    };
    match store(&ctx, &l, &form, submit).await? {
        Saved::Done(_) => {
            set_flash(
                &ctx.session,
                if submit || l.d.response.as_ref().is_some_and(|r| r.is_submitted()) {
                    "Your response is submitted: the reviewers are told and can read it. You can still change it until the deadline."
                } else {
                    "Draft saved. It is not submitted yet: reviewers do not see it."
                },
            );
            Ok(see_other(&format!(
                "/submissions/{}/response",
                l.paper.row.number
            )))
        }
        Saved::Invalid(errors) => show(
            &ctx,
            &l,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(form.body),
            errors,
            None,
        ),
        Saved::Stale(stored) => {
            let mut errors = FieldErrors::new();
            errors.add(
                "version",
                "Your text was NOT saved: a co-author (or another tab) saved this response after you opened it. The saved version is shown; your text is still in the form. Merge what you need, then save again.",
            );
            let l = Loaded {
                d: PaperDiscussion {
                    response: stored.clone(),
                    ..l.d
                },
                ..l
            };
            show(
                &ctx,
                &l,
                StatusCode::CONFLICT,
                Some(form.body),
                errors,
                stored.map(|s| s.body),
            )
        }
    }
}

/// The automatic draft save: a form in, JSON out.
async fn autosave(
    ctx: PageCtx,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<ResponseForm>,
) -> Result<HttpResponse, AppError> {
    let l = load(&ctx, path.into_inner()).await?;
    if l.d.response.as_ref().is_some_and(|r| r.is_submitted()) {
        return Ok(HttpResponse::Conflict().json(serde_json::json!({
            "saved": false,
            "error": "This response is submitted: use the button to save changes.",
        })));
    }
    Ok(match store(&ctx, &l, &form, false).await? {
        Saved::Done(v) => HttpResponse::Ok().json(serde_json::json!({
            "saved": true,
            "version": v,
        })),
        Saved::Invalid(errors) => HttpResponse::UnprocessableEntity().json(serde_json::json!({
            "saved": false,
            "error": "Not saved: the response is too long.",
            "fields": errors,
        })),
        Saved::Stale(stored) => HttpResponse::Conflict().json(serde_json::json!({
            "saved": false,
            "version": stored.map(|s| s.version),
            "error": "Not saved: a co-author or another tab saved this response. Your text is kept here; reload to see the other version.",
        })),
    })
}

/// The link text to the response page for the paper page, or empty when the viewer is no
/// author of it or the response phase has not begun.
pub fn link_text(ctx: &PageCtx, rights: policy::PaperRights) -> String {
    let w = DiscussionWindow::new(&ctx.settings, None, ctx.now);
    if policy::perm_view_response(&ctx.actor, rights, &w).is_err() {
        return String::new();
    }
    match w.response {
        Some((_, closes)) if ctx.now <= closes => format!(
            "Respond to the reviews (until {})",
            format_in_zone(closes, w.tz)
        ),
        _ => "Your response to the reviews".into(),
    }
}
