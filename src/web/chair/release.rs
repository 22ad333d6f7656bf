//! Releasing decisions: the page that lists what will be sent (and what is still undecided)
//! with a preview of the letter for a real paper, the idempotent release that writes one
//! letter per author, and the letter's values. What authors see once released is
//! `web::views::released`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::decisions::{self as dec, DecisionRow};
use crate::db::submissions::SubmissionRow;
use crate::db::{self, AnyConnection, DbError, audit, outbox};
use crate::domain::account::Email;
use crate::domain::conference::{ConferenceSettings, format_in_zone};
use crate::domain::decision::Decision;
use crate::domain::review::ReviewFormSpec;
use crate::mail::letters::{self, LetterKind, LetterTemplate};
use crate::mail::messages::MailContext;
use crate::policy;
use crate::web::chair::board::{Board, load_board};
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, set_flash};
use crate::web::views::reviews::shown;
use crate::web::{Layout, render_status, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/chair/decisions/release", web::get().to(release_page))
        .route("/chair/decisions/release", web::post().to(release));
}

/// The template of `kind`: the chairs' version, or the built-in one.
pub fn letter_template(c: &mut AnyConnection, kind: LetterKind) -> Result<LetterTemplate, DbError> {
    Ok(match dec::template(c, kind_key(kind))? {
        Some(t) => LetterTemplate {
            subject: t.subject,
            body: t.body,
        },
        None => letters::default_template(kind),
    })
}

pub fn kind_key(kind: LetterKind) -> &'static str {
    match kind {
        LetterKind::Decision => "decision",
        LetterKind::CameraReadyReminder => "camera_ready_reminder",
        LetterKind::General => "general",
    }
}

/// The author view of a paper's submitted reviews, labelled, for letters and pages.
pub fn author_reviews(
    board: &Board,
    row: &SubmissionRow,
    settings: &ConferenceSettings,
) -> Vec<serde_json::Value> {
    let spec = ReviewFormSpec::neurips();
    board
        .assigned
        .iter()
        .filter(|a| a.submission_id == row.id)
        .enumerate()
        .filter_map(|(i, a)| {
            let r = a.review.as_ref().filter(|r| r.is_submitted())?;
            let s = shown(&spec, settings.reviewer_labels.label(i), r);
            let text = s
                .sections
                .iter()
                .map(|x| format!("{}:\n{}", x.label, x.text))
                .collect::<Vec<_>>()
                .join("\n\n");
            Some(serde_json::json!({
                "label": s.label,
                "overall": s.overall,
                "confidence": s.confidence,
                "text": text,
            }))
        })
        .collect()
}

/// The decision letter's values for one author of one paper.
pub fn letter_context(
    board: &Board,
    row: &SubmissionRow,
    decision: Decision,
    name: &str,
    settings: &ConferenceSettings,
    mail: &MailContext,
) -> serde_json::Value {
    serde_json::json!({
        "name": name,
        "conference": settings.short_name,
        "number": row.number,
        "title": row.title,
        "decision": if decision.is_accept() { "accepted" } else { "rejected" },
        "presentation": decision.presentation(),
        "accepted": decision.is_accept(),
        "reviews": author_reviews(board, row, settings),
        "camera_ready_due": format_in_zone(settings.dates.camera_ready_due, settings.tz()),
        "link": format!("{}/submissions/{}", mail.base_url, row.number),
    })
}

#[derive(Template)]
#[template(path = "chair/release.html")]
struct ReleasePage {
    layout: Layout,
    undecided: Vec<(i32, String)>,
    pending: Vec<(i32, String, String)>,
    preview_number: i32,
    preview_subject: String,
    preview_body: String,
    preview_error: String,
    released: String,
    errors: Vec<String>,
    /// Letters the release would send now.
    letters: usize,
    /// The chair pressed "Release…": ask for the second click.
    ask: bool,
    /// …having ticked "release anyway" with undecided papers.
    ask_undecided: bool,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct PreviewQuery {
    preview: Option<i32>,
}

async fn show_release(
    ctx: &PageCtx,
    status: StatusCode,
    preview: Option<i32>,
    errors: Vec<String>,
    ask: Option<bool>,
) -> Result<HttpResponse, AppError> {
    let (board, template) = db::run(&ctx.state.pool, |c| {
        Ok::<_, DbError>((load_board(c)?, letter_template(c, LetterKind::Decision)?))
    })
    .await?;
    let mail = ctx.state.mail_context(&ctx.settings.short_name);
    let pending: Vec<(i32, String, String)> = board
        .rows
        .iter()
        .filter_map(|r| {
            let d = board.decision(r)?;
            d.unreleased_change().then(|| {
                (
                    r.number,
                    r.title.clone(),
                    match d.released() {
                        Some(old) => format!(
                            "{} (was {}: a new letter)",
                            d.decision().map_or("", Decision::label),
                            old.label()
                        ),
                        None => d.decision().map_or("", Decision::label).to_string(),
                    },
                )
            })
        })
        .collect();
    let preview_row = preview
        .and_then(|n| board.rows.iter().find(|r| r.number == n))
        .or_else(|| {
            board
                .rows
                .iter()
                .find(|r| pending.iter().any(|p| p.0 == r.number))
        })
        .or_else(|| board.rows.iter().find(|r| board.decision(r).is_some()));
    let (mut preview_number, mut subject, mut body, mut preview_error) =
        (0, String::new(), String::new(), String::new());
    if let Some(r) = preview_row {
        preview_number = r.number;
        let decision = board
            .decision(r)
            .and_then(DecisionRow::decision)
            .unwrap_or(Decision::Poster);
        let name = board
            .authors
            .get(&r.id)
            .and_then(|a| a.iter().find(|x| x.is_main))
            .map(|a| a.name.clone())
            .unwrap_or_default();
        let context = letter_context(&board, r, decision, &name, &ctx.settings, &mail);
        match letters::render(LetterKind::Decision, &template, &context) {
            Ok((s, b)) => (subject, body) = (s, b),
            Err(e) => preview_error = e.to_string(),
        }
    }
    // Letters the release would send: one per author of each paper with a pending change.
    let letters: usize = board
        .rows
        .iter()
        .filter(|r| pending.iter().any(|p| p.0 == r.number))
        .map(|r| board.authors.get(&r.id).map_or(0, Vec::len))
        .sum();
    render_status(
        status,
        &ReleasePage {
            letters,
            ask: ask.is_some() && !pending.is_empty(),
            ask_undecided: ask.unwrap_or(false),
            layout: ctx.layout("Release decisions"),
            undecided: board
                .undecided()
                .iter()
                .map(|r| (r.number, r.title.clone()))
                .collect(),
            pending,
            preview_number,
            preview_subject: subject,
            preview_body: body,
            preview_error,
            released: board
                .released_at
                .map(|t| format_in_zone(t, ctx.settings.tz()))
                .unwrap_or_default(),
            errors,
        },
    )
}

async fn release_page(ctx: PageCtx, q: web::Query<PreviewQuery>) -> Result<HttpResponse, AppError> {
    policy::perm_manage_conference(&ctx.actor)?;
    show_release(
        &ctx,
        StatusCode::OK,
        q.into_inner().preview,
        Vec::new(),
        None,
    )
    .await
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct ReleaseForm {
    confirm_undecided: Option<String>,
    /// "yes" on the second click, after the page said how many letters go to whom.
    confirm: String,
}

/// Sends a letter to every author of every paper whose decision changed since its last
/// letter, in one transaction. Each paper's row is claimed with a conditional update, so a
/// second click or a second chair at the same moment finds nothing left and sends nothing.
async fn release(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<ReleaseForm>,
) -> Result<HttpResponse, AppError> {
    let chair = policy::perm_manage_conference(&ctx.actor)?.id.clone();
    let settings = ctx.settings.clone();
    let mail = ctx.state.mail_context(&settings.short_name);
    let now = ctx.now;
    let confirmed = form.confirm_undecided.is_some();
    if form.confirm != "yes" {
        return show_release(&ctx, StatusCode::OK, None, Vec::new(), Some(confirmed)).await;
    }
    let outcome = db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            dec::lock(c)?;
            let board = load_board(c)?;
            let undecided = board.undecided().len();
            if undecided > 0 && !confirmed {
                return Ok::<_, AppError>(Err(undecided));
            }
            let template = letter_template(c, LetterKind::Decision)?;
            let (mut papers, mut sent) = (0, 0);
            for r in &board.rows {
                let Some(decision) = board.decision(r).and_then(DecisionRow::decision) else {
                    continue;
                };
                let Some(round) = dec::mark_released(c, &r.id, now)? else {
                    continue;
                };
                papers += 1;
                for a in board.authors.get(&r.id).into_iter().flatten() {
                    let context = letter_context(&board, r, decision, &a.name, &settings, &mail);
                    let (subject, body) = letters::render(LetterKind::Decision, &template, &context)
                        .map_err(|e| {
                            AppError::BadRequest(format!(
                                "The decision letter for #{} could not be written: {e}. Nothing was sent; fix the template.",
                                r.number
                            ))
                        })?;
                    let Ok(to) = Email::parse(&a.email) else {
                        continue;
                    };
                    let letter = outbox::NewMail {
                        dedupe_key: format!("decision:{}:{round}:{}", r.id, a.email),
                        recipient: to,
                        subject,
                        body_text: body,
                    };
                    if outbox::enqueue(c, &letter, now)? {
                        sent += 1;
                    }
                }
                audit::record(
                    c,
                    Some(&chair),
                    "decision.release",
                    &format!("#{}", r.number),
                    &format!("{} (letter {round})", decision.as_str()),
                    now,
                )?;
            }
            if papers > 0 {
                dec::record_release(c, &chair, now)?;
            }
            Ok(Ok((papers, sent)))
        })
    })
    .await?;
    match outcome {
        Err(undecided) => {
            show_release(
                &ctx,
                StatusCode::CONFLICT,
                None,
                vec![format!(
                    "{undecided} papers have no decision yet (listed below); their authors get no letter now. Tick the box to release the others anyway."
                )],
                None,
            )
            .await
        }
        Ok((0, _)) => {
            set_flash(
                &ctx.session,
                "Nothing new to release: every decision's letter has been sent.",
            );
            Ok(see_other("/chair/decisions/release"))
        }
        Ok((papers, sent)) => {
            set_flash(
                &ctx.session,
                &format!("Released {papers} decisions; {sent} letters are on their way."),
            );
            Ok(see_other("/chair/decisions/release"))
        }
    }
}
