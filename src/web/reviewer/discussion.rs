//! The discussion on an assigned paper's page, for its reviewers: the authors' response with
//! "I have read the response", the comment thread (everyone labelled as in the reviews,
//! "Reviewer B" or "Chair", never by name), posting a comment, editing one's own for a short
//! while (optimistic locking, earlier text kept). Who may do what when is
//! `policy::perm_*_comment`; any other paper answers 404 as in `review`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use crate::db::submissions::{self as subs, SubmissionRow};
use crate::db::{self, DbError, assignments as asg, discussion as disc, reviews};
use crate::domain::conference::format_in_zone;
use crate::domain::discussion::{CommentAudience, CommentText, WriterRole};
use crate::domain::submission::SubmissionStatus;
use crate::policy::{self, Member, Seat};
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, NoFields, PageCtx, set_flash};
use crate::web::see_other;
use crate::web::views::discussion::{
    CommentForm, PaperDiscussion, RetryPage, ShownComment, ShownResponse, Viewer, revised_labels,
    shown_comments, shown_response,
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/reviews/{number}/comments", web::post().to(post_comment))
        .route(
            "/reviews/{number}/comments/{id}",
            web::post().to(edit_comment),
        )
        .route("/reviews/{number}/acknowledge", web::post().to(acknowledge));
}

/// The discussion part of a reviewer's paper page.
pub struct Section {
    pub number: i32,
    /// Whether the viewer reads the discussion yet; otherwise `reason` says when they will.
    pub readable: bool,
    pub reason: String,
    pub response: Option<ShownResponse>,
    /// When no response is in: whether and until when the authors may still respond.
    pub response_note: String,
    pub acknowledged: bool,
    pub can_acknowledge: bool,
    /// Labels of reviewers who revised their review after the response.
    pub revised: Vec<String>,
    pub comments: Vec<ShownComment>,
    pub can_post: bool,
    pub post_reason: String,
    pub can_address_authors: bool,
    pub edit_minutes: u32,
    /// "You may revise your submitted review until …" after the response.
    pub revise_note: String,
}

impl Section {
    /// The section of paper `row` for `member`, whose own review is `submitted` or not.
    pub async fn load(
        ctx: &PageCtx,
        row: &SubmissionRow,
        member: &Member,
        submitted: bool,
    ) -> Result<Section, AppError> {
        let id = row.id.clone();
        let d = db::run(&ctx.state.pool, move |c| {
            PaperDiscussion::load(c, &id, false)
        })
        .await?;
        Ok(build(ctx, row, member, submitted, &d))
    }

    /// The same from the discussion loaded with the rest of the page.
    pub fn new(
        ctx: &PageCtx,
        row: &SubmissionRow,
        member: &Member,
        submitted: bool,
        d: &PaperDiscussion,
    ) -> Section {
        build(ctx, row, member, submitted, d)
    }
}

fn build(
    ctx: &PageCtx,
    row: &SubmissionRow,
    member: &Member,
    submitted: bool,
    d: &PaperDiscussion,
) -> Section {
    let w = d.window(&ctx.settings, ctx.now);
    let seat = Seat::Reviewer {
        review_submitted: submitted,
    };
    let read = policy::perm_read_discussion(&ctx.actor, seat, &w);
    let withdrawn = row.status() == SubmissionStatus::Withdrawn;
    let post =
        policy::perm_post_comment(&ctx.actor, seat, withdrawn, CommentAudience::Reviewers, &w);
    let me = member.email.as_str();
    let readable = read.is_ok();
    let response = if readable {
        shown_response(d, w.tz)
    } else {
        None
    };
    let response_note = match (response.is_some(), w.response) {
        (true, _) => String::new(),
        (false, Some((opens, closes))) if ctx.now <= closes => format!(
            "The authors may respond to the reviews from {} to {}; you will get an email when they do.",
            format_in_zone(opens, w.tz),
            format_in_zone(closes, w.tz)
        ),
        (false, Some(_)) => "The authors did not submit a response.".into(),
        (false, None) => String::new(),
    };
    let revise_note = policy::revise_after_response_until(d.submitted_response().is_some(), &w)
        .filter(|_| submitted)
        .map(|until| {
            format!(
                "Since the authors responded, you may revise your submitted review until {}; the change is shown as made after the response.",
                format_in_zone(until, w.tz)
            )
        })
        .unwrap_or_default();
    Section {
        number: row.number,
        readable,
        reason: read.err().map(|e| e.to_string()).unwrap_or_default(),
        acknowledged: d.acknowledged.iter().any(|e| e == me),
        can_acknowledge: policy::perm_acknowledge_response(
            &ctx.actor,
            seat,
            d.submitted_response().is_some(),
            &w,
        )
        .is_ok(),
        response,
        response_note,
        revised: if readable {
            revised_labels(d, ctx.settings.reviewer_labels)
        } else {
            Vec::new()
        },
        comments: if readable {
            shown_comments(
                d,
                &Viewer {
                    seat,
                    email: me,
                    names: None,
                },
                &ctx.actor,
                &ctx.settings,
                &w,
            )
        } else {
            Vec::new()
        },
        can_post: post.is_ok(),
        post_reason: if readable {
            post.err().map(|e| e.to_string()).unwrap_or_default()
        } else {
            String::new()
        },
        can_address_authors: policy::can_address_authors(&w),
        edit_minutes: w.edit_minutes,
        revise_note,
    }
}

/// An assigned paper with its discussion, for the viewer; 404 for any other paper.
struct Loaded {
    member: Member,
    row: SubmissionRow,
    submitted: bool,
    d: PaperDiscussion,
}

async fn load(ctx: &PageCtx, number: i32) -> Result<Loaded, AppError> {
    let member = policy::perm_signed_in(&ctx.actor)?.clone();
    let email = member.email.as_str().to_string();
    let found = db::run(&ctx.state.pool, move |c| {
        let Some(row) = subs::find_by_number(c, number)? else {
            return Ok::<_, DbError>(None);
        };
        if !asg::is_assigned(c, &row.id, &email)? {
            return Ok(None);
        }
        let submitted = reviews::find(c, &row.id, &email)?.is_some_and(|r| r.is_submitted());
        let d = PaperDiscussion::load(c, &row.id, false)?;
        Ok(Some((row, submitted, d)))
    })
    .await?;
    policy::perm_view_assigned(&ctx.actor, found.is_some())?;
    let (row, submitted, d) = found.ok_or(AppError::NotFound)?;
    Ok(Loaded {
        member,
        row,
        submitted,
        d,
    })
}

impl Loaded {
    fn seat(&self) -> Seat {
        Seat::Reviewer {
            review_submitted: self.submitted,
        }
    }

    fn page(&self) -> String {
        format!("/reviews/{}#discussion", self.row.number)
    }
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
    policy::perm_post_comment(&ctx.actor, l.seat(), withdrawn, audience, &w)?;
    let text = match RetryPage::new_comment_text(
        ctx.layout("Comment not saved"),
        form.body,
        audience,
        &w,
        format!("/reviews/{}/comments", l.row.number),
        l.page(),
    ) {
        Ok(t) => t,
        Err(retry) => return retry.respond(StatusCode::UNPROCESSABLE_ENTITY),
    };
    let label =
        l.d.label_of(l.member.email.as_str(), ctx.settings.reviewer_labels)
            .unwrap_or_default();
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
                    writer_role: WriterRole::Reviewer.as_str(),
                    audience: audience.as_str(),
                    body: text.as_str(),
                },
                number,
                &user,
                &label,
                now,
            )?;
            Ok::<_, DbError>(())
        })
    })
    .await?;
    set_flash(&ctx.session, "Your comment is posted.");
    Ok(see_other(&l.page()))
}

async fn edit_comment(
    ctx: PageCtx,
    path: web::Path<(i32, String)>,
    CsrfForm(form): CsrfForm<CommentForm>,
) -> Result<HttpResponse, AppError> {
    let (number, comment_id) = path.into_inner();
    let l = load(&ctx, number).await?;
    let w = l.d.window(&ctx.settings, ctx.now);
    let me = l.member.email.as_str();
    let comment =
        l.d.comments
            .iter()
            .find(|c| c.id == comment_id)
            .ok_or(AppError::NotFound)?;
    let mine = comment.writer_email == me && comment.writer_role == WriterRole::Reviewer.as_str();
    policy::perm_edit_comment(&ctx.actor, l.seat(), mine, comment.posted_at(), &w)?;
    let expected: i32 = form.version.trim().parse().unwrap_or(-1);
    let retry = |message: String, newer: Option<String>, version: i32| RetryPage {
        layout: ctx.layout("Comment not saved"),
        message,
        action: format!("/reviews/{number}/comments/{comment_id}"),
        back: l.page(),
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
            Ok(see_other(&l.page()))
        }
        (None, stored) => retry(
            "Your edit was NOT saved: this comment was changed (in another tab or device) after you opened it. The saved text is shown; your text is still in the form.".into(),
            stored.as_ref().map(|s| s.body.clone()),
            stored.as_ref().map_or(expected, |s| s.version),
        )
        .respond(StatusCode::CONFLICT),
    }
}

async fn acknowledge(
    ctx: PageCtx,
    path: web::Path<i32>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let l = load(&ctx, path.into_inner()).await?;
    let w = l.d.window(&ctx.settings, ctx.now);
    policy::perm_acknowledge_response(
        &ctx.actor,
        l.seat(),
        l.d.submitted_response().is_some(),
        &w,
    )?;
    let (id, email, now) = (
        l.row.id.clone(),
        l.member.email.as_str().to_string(),
        ctx.now,
    );
    db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            Ok::<_, DbError>(disc::acknowledge(c, &id, &email, now)?)
        })
    })
    .await?;
    set_flash(
        &ctx.session,
        "Marked: you have read the authors' response. The chairs see it.",
    );
    Ok(see_other(&l.page()))
}
