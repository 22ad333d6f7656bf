//! Chair-editable letters: the templates (decision letter, camera-ready reminder, general
//! message) with their placeholders, a preview with a real paper, a test send to oneself and
//! the per-recipient log. Sending a template to a group is `mail`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::decisions::{self as dec, DecisionRow};
use crate::db::{self, DbError, audit, outbox};
use crate::domain::conference::format_in_zone;
use crate::domain::decision::Decision;
use crate::mail::letters::{self, LetterKind, LetterTemplate, Part, Placeholder};
use crate::policy;
use crate::web::chair::board::{Board, load_board};
use crate::web::chair::release::{kind_key, letter_context, letter_template};
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, set_flash};
use crate::web::{Layout, render_status, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/chair/letters", web::get().to(page))
        .route("/chair/letters", web::post().to(save))
        .route("/chair/letters/test", web::post().to(test_send))
        .route("/chair/letters/log", web::get().to(log));
}

fn parse_kind(raw: &str) -> Result<LetterKind, AppError> {
    match raw {
        "" | "decision" => Ok(LetterKind::Decision),
        "camera_ready_reminder" => Ok(LetterKind::CameraReadyReminder),
        "general" => Ok(LetterKind::General),
        other => Err(AppError::BadRequest(format!(
            "\"{other}\" is not a letter (decision, camera_ready_reminder or general)."
        ))),
    }
}

/// The values a letter of `kind` is previewed with: a real decided paper when there is one
/// (its main author as the reader), otherwise the built-in example.
fn preview_context(
    ctx: &PageCtx,
    board: &Board,
    kind: LetterKind,
    number: Option<i32>,
) -> (String, serde_json::Value) {
    let mail = ctx.state.mail_context(&ctx.settings.short_name);
    let row = number
        .and_then(|n| board.rows.iter().find(|r| r.number == n))
        .or_else(|| {
            board
                .rows
                .iter()
                .find(|r| board.decisions.contains_key(&r.id))
        });
    let Some(row) = row else {
        // The built-in example, with this workshop's own name and link.
        let mut example = letters::example_context(kind);
        if let Some(fields) = example.as_object_mut() {
            for p in placeholder_help(ctx, kind) {
                if matches!(p.name, "conference" | "link" | "camera_ready_due") {
                    fields.insert(p.name.into(), p.example.into());
                }
            }
        }
        return ("the built-in example".into(), example);
    };
    let main = board
        .authors
        .get(&row.id)
        .and_then(|a| a.iter().find(|x| x.is_main))
        .map(|a| a.name.clone())
        .unwrap_or_default();
    let decision = board
        .decisions
        .get(&row.id)
        .and_then(DecisionRow::decision)
        .unwrap_or(Decision::Poster);
    let mut context = letter_context(board, row, decision, &main, &ctx.settings, &mail);
    if let Some(fields) = context.as_object_mut() {
        fields.retain(|k, _| kind.placeholders().iter().any(|p| p.name == k));
    }
    (format!("#{} for its main author", row.number), context)
}

#[derive(Template)]
#[template(path = "chair/letters.html")]
struct LettersPage {
    layout: Layout,
    kind: &'static str,
    kinds: Vec<(&'static str, &'static str)>,
    subject: String,
    body: String,
    placeholders: Vec<PlaceholderView>,
    review_fields: &'static [Placeholder],
    subject_error: String,
    body_error: String,
    preview_of: String,
    preview_subject: String,
    preview_body: String,
    customised: bool,
}

/// A placeholder as the help lists it, with an example from this workshop where it has one.
struct PlaceholderView {
    name: &'static str,
    description: &'static str,
    example: String,
}

fn placeholder_help(ctx: &PageCtx, kind: LetterKind) -> Vec<PlaceholderView> {
    let s = &ctx.settings;
    kind.placeholders()
        .iter()
        .map(|p| PlaceholderView {
            name: p.name,
            description: p.description,
            example: match p.name {
                "conference" => s.short_name.clone(),
                "camera_ready_due" => format_in_zone(s.dates.camera_ready_due, s.tz()),
                "link" => format!("{}/submissions/17", ctx.state.config.base_url()),
                _ => p.example.to_string(),
            },
        })
        .collect()
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct LettersQuery {
    kind: String,
    number: Option<i32>,
}

async fn show(
    ctx: &PageCtx,
    status: StatusCode,
    kind: LetterKind,
    draft: Option<LetterTemplate>,
    error: Option<letters::TemplateError>,
    number: Option<i32>,
) -> Result<HttpResponse, AppError> {
    let (board, stored, customised) = db::run(&ctx.state.pool, move |c| {
        Ok::<_, DbError>((
            load_board(c)?,
            letter_template(c, kind)?,
            dec::template(c, kind_key(kind))?.is_some(),
        ))
    })
    .await?;
    let template = draft.unwrap_or(stored);
    let (preview_of, context) = preview_context(ctx, &board, kind, number);
    let (preview_subject, preview_body) = if error.is_none() {
        letters::render(kind, &template, &context)
            .unwrap_or_else(|e| (String::new(), e.to_string()))
    } else {
        (String::new(), String::new())
    };
    let (mut subject_error, mut body_error) = (String::new(), String::new());
    if let Some(e) = error {
        match e.part() {
            Part::Subject => subject_error = e.to_string(),
            Part::Body => body_error = e.to_string(),
        }
    }
    render_status(
        status,
        &LettersPage {
            layout: ctx.layout("Letters"),
            kind: kind_key(kind),
            kinds: vec![
                ("decision", "Decision letter"),
                ("camera_ready_reminder", "Camera-ready reminder"),
                ("general", "General message"),
            ],
            subject: template.subject,
            body: template.body,
            placeholders: placeholder_help(ctx, kind),
            review_fields: letters::REVIEW_FIELDS,
            subject_error,
            body_error,
            preview_of,
            preview_subject,
            preview_body,
            customised,
        },
    )
}

pub(super) async fn page(
    ctx: PageCtx,
    q: web::Query<LettersQuery>,
) -> Result<HttpResponse, AppError> {
    policy::perm_manage_conference(&ctx.actor)?;
    let q = q.into_inner();
    show(
        &ctx,
        StatusCode::OK,
        parse_kind(&q.kind)?,
        None,
        None,
        q.number,
    )
    .await
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct TemplateForm {
    kind: String,
    subject: String,
    body: String,
    /// "save", "preview" or "reset".
    action: String,
}

async fn save(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<TemplateForm>,
) -> Result<HttpResponse, AppError> {
    let chair = policy::perm_manage_conference(&ctx.actor)?.id.clone();
    let kind = parse_kind(&form.kind)?;
    let template = if form.action == "reset" {
        letters::default_template(kind)
    } else {
        LetterTemplate {
            subject: form.subject.trim().to_string(),
            body: form.body.replace("\r\n", "\n"),
        }
    };
    if let Err(e) = letters::validate(kind, &template) {
        return show(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            kind,
            Some(template),
            Some(e),
            None,
        )
        .await;
    }
    if form.action == "preview" {
        return show(&ctx, StatusCode::OK, kind, Some(template), None, None).await;
    }
    let now = ctx.now;
    let key = kind_key(kind);
    db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            dec::save_template(c, key, &template.subject, &template.body, &chair, now)?;
            audit::record(c, Some(&chair), "letter.save", key, "", now)?;
            Ok::<_, DbError>(())
        })
    })
    .await?;
    set_flash(&ctx.session, "The letter is saved; it is used from now on.");
    Ok(see_other(&format!("/chair/letters?kind={key}")))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct KindForm {
    kind: String,
}

/// Sends the current template, filled in for the preview paper, to the chair.
async fn test_send(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<KindForm>,
) -> Result<HttpResponse, AppError> {
    let member = policy::perm_manage_conference(&ctx.actor)?.clone();
    let kind = parse_kind(&form.kind)?;
    let (board, template) = db::run(&ctx.state.pool, move |c| {
        Ok::<_, DbError>((load_board(c)?, letter_template(c, kind)?))
    })
    .await?;
    let (_, context) = preview_context(&ctx, &board, kind, None);
    let (subject, body) = letters::render(kind, &template, &context)
        .map_err(|e| AppError::BadRequest(format!("The letter could not be written: {e}")))?;
    let mail = outbox::NewMail {
        dedupe_key: format!("letter-test:{}", uuid::Uuid::new_v4()),
        recipient: member.email.clone(),
        subject: format!("[test] {subject}"),
        body_text: body,
    };
    let now = ctx.now;
    db::run(&ctx.state.pool, move |c| {
        Ok::<_, DbError>(outbox::enqueue(c, &mail, now)?)
    })
    .await?;
    set_flash(
        &ctx.session,
        &format!("A test letter is on its way to {}.", member.email.as_str()),
    );
    Ok(see_other(&format!(
        "/chair/letters?kind={}",
        kind_key(kind)
    )))
}

#[derive(Template)]
#[template(path = "chair/letters_log.html")]
struct LogPage {
    layout: Layout,
    /// (created, recipient, subject, state, sent)
    rows: Vec<(String, String, String, String, String)>,
}

async fn log(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    policy::perm_manage_conference(&ctx.actor)?;
    let rows = db::run(&ctx.state.pool, |c| {
        Ok::<_, DbError>(outbox::with_key_prefixes(
            c,
            &["decision:", "groupmail:", "camera-ready", "letter-test:"],
            2000,
        )?)
    })
    .await?;
    let tz = ctx.settings.tz();
    render_status(
        StatusCode::OK,
        &LogPage {
            layout: ctx.layout("Letters sent"),
            rows: rows
                .into_iter()
                .map(|r| {
                    (
                        format_in_zone(db::from_db(r.created_at), tz),
                        r.recipient,
                        r.subject,
                        r.state,
                        r.sent_at
                            .map(|t| format_in_zone(db::from_db(t), tz))
                            .unwrap_or_default(),
                    )
                })
                .collect(),
        },
    )
}
