//! The chairs' decisions: every paper with its score statistics (mean, range, spread,
//! confidence-weighted and calibrated scores), talk recommendations and its main author's
//! review obligations, sortable and filterable; setting a decision within the slot limits;
//! releasing them with one letter per author (idempotent); CSV and JSON exports.

use std::collections::HashMap;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use askama::Template;

use super::chair_papers::csv_safe;
use super::error::AppError;
use super::extract::{CsrfForm, PageCtx, set_flash};
use super::papers::load_visible;
use super::review_form::{parse_content, shown};
use super::{Layout, render_status, see_other};
use crate::db::decisions::{self as dec, DecisionRow};
use crate::db::reviews::{self, AssignedReview};
use crate::db::submissions::{self as subs, AuthorRow, SubmissionRow};
use crate::db::{self, AnyConnection, DbError, audit, outbox};
use crate::domain::account::Email;
use crate::domain::conference::{ConferenceSettings, format_in_zone};
use crate::domain::decision::{Decision, check_slots};
use crate::domain::review::ReviewFormSpec;
use crate::domain::scores::{PaperScores, ScoreInput, SortKey, rank, summarise};
use crate::mail::letters::{self, LetterKind, LetterTemplate};
use crate::mail::messages::MailContext;
use crate::policy;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/chair/decisions", web::get().to(page))
        .route("/chair/decisions/set", web::post().to(set_decision))
        .route("/chair/decisions/release", web::get().to(release_page))
        .route("/chair/decisions/release", web::post().to(release))
        .route("/chair/decisions.csv", web::get().to(export_csv))
        .route("/chair/decisions.json", web::get().to(export_json));
}

/// Every active paper with what deciding it needs.
pub struct Board {
    pub rows: Vec<SubmissionRow>,
    pub authors: HashMap<String, Vec<AuthorRow>>,
    pub decisions: HashMap<String, DecisionRow>,
    pub assigned: Vec<AssignedReview>,
    pub scores: Vec<PaperScores>,
    pub released_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Loads the board (inside a connection, so release can use it in its transaction).
pub fn load_board(c: &mut AnyConnection) -> Result<Board, DbError> {
    let rows: Vec<SubmissionRow> = subs::all(c)?
        .into_iter()
        .filter(|r| r.status == "active")
        .collect();
    let mut authors: HashMap<String, Vec<AuthorRow>> = HashMap::new();
    for a in subs::all_authors(c)? {
        authors.entry(a.submission_id.clone()).or_default().push(a);
    }
    let decisions = dec::all(c)?
        .into_iter()
        .map(|d| (d.submission_id.clone(), d))
        .collect();
    let assigned = reviews::assigned(c)?;
    let paper_index: HashMap<&str, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let mut reviewer_index: HashMap<&str, usize> = HashMap::new();
    let mut inputs = Vec::new();
    for a in &assigned {
        let Some(r) = a.review.as_ref().filter(|r| r.is_submitted()) else {
            continue;
        };
        let content = parse_content(&r.content);
        let (Some(overall), Some(confidence), Some(&paper)) = (
            content.overall,
            content.confidence,
            paper_index.get(a.submission_id.as_str()),
        ) else {
            continue;
        };
        let next = reviewer_index.len();
        let reviewer = *reviewer_index
            .entry(a.reviewer_email.as_str())
            .or_insert(next);
        inputs.push(ScoreInput {
            paper,
            reviewer,
            overall,
            confidence,
        });
    }
    let scores = summarise(&inputs, rows.len(), reviewer_index.len())
        .map(|s| s.papers)
        .unwrap_or_else(|_| vec![empty_scores(); rows.len()]);
    Ok(Board {
        released_at: dec::released_at(c)?,
        rows,
        authors,
        decisions,
        assigned,
        scores,
    })
}

fn empty_scores() -> PaperScores {
    PaperScores {
        reviews: 0,
        mean: None,
        min: None,
        max: None,
        std_dev: None,
        confidence_weighted_mean: None,
        calibrated: None,
    }
}

impl Board {
    fn decision(&self, row: &SubmissionRow) -> Option<&DecisionRow> {
        self.decisions.get(&row.id)
    }

    fn is_author(&self, row: &SubmissionRow, email: &str) -> bool {
        self.authors
            .get(&row.id)
            .is_some_and(|a| a.iter().any(|x| x.email == email))
    }

    /// Numbers of the other papers holding `kind` now.
    fn holders(&self, kind: Decision, except: &str) -> Vec<i32> {
        self.rows
            .iter()
            .filter(|r| r.id != except)
            .filter(|r| self.decision(r).and_then(DecisionRow::decision) == Some(kind))
            .map(|r| r.number)
            .collect()
    }

    fn undecided(&self) -> Vec<&SubmissionRow> {
        self.rows
            .iter()
            .filter(|r| self.decision(r).is_none())
            .collect()
    }
}

fn fmt(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.2}")).unwrap_or_else(|| "–".into())
}

struct BoardRow {
    number: i32,
    title: String,
    track: String,
    reviews: String,
    mean: String,
    range: String,
    std_dev: String,
    weighted: String,
    calibrated: String,
    talk_votes: usize,
    obligations: String,
    decision: String,
    released: String,
    changed: bool,
    own: bool,
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
struct BoardQuery {
    sort: String,
    track: String,
    decision: String,
}

#[derive(Template)]
#[template(path = "chair/decisions.html")]
struct BoardPage {
    layout: Layout,
    rows: Vec<BoardRow>,
    query: BoardQuery,
    errors: Vec<String>,
    /// (number, current, wanted) of a change after release waiting for confirmation.
    confirm: Option<(i32, String, String)>,
    counts: Vec<(&'static str, usize, String)>,
    undecided: usize,
    released: String,
    decisions_release: String,
}

fn sort_key(raw: &str) -> SortKey {
    match raw {
        "mean" => SortKey::Mean,
        "weighted" => SortKey::ConfidenceWeighted,
        "min" => SortKey::Min,
        "max" => SortKey::Max,
        "spread" => SortKey::StdDev,
        "reviews" => SortKey::Reviews,
        _ => SortKey::Calibrated,
    }
}

async fn show(
    ctx: &PageCtx,
    status: StatusCode,
    q: BoardQuery,
    errors: Vec<String>,
    confirm: Option<(i32, String, String)>,
) -> Result<HttpResponse, AppError> {
    let board = db::run(&ctx.state.pool, load_board).await?;
    let me = ctx
        .actor
        .member()
        .map(|m| m.email.as_str().to_string())
        .unwrap_or_default();
    let mut talk_votes: HashMap<&str, usize> = HashMap::new();
    let mut obligations: HashMap<&str, (usize, usize)> = HashMap::new();
    for a in &board.assigned {
        let o = obligations.entry(a.reviewer_email.as_str()).or_default();
        o.1 += 1;
        if let Some(r) = a.review.as_ref().filter(|r| r.is_submitted()) {
            o.0 += 1;
            if parse_content(&r.content).talk_recommendation {
                *talk_votes.entry(a.submission_id.as_str()).or_default() += 1;
            }
        }
    }
    let order = if q.sort == "number" {
        (0..board.rows.len()).collect()
    } else {
        rank(&board.scores, sort_key(&q.sort))
    };
    let rows: Vec<BoardRow> = order
        .into_iter()
        .filter_map(|i| {
            let r = &board.rows[i];
            let s = &board.scores[i];
            let d = board.decision(r);
            let current = d.and_then(DecisionRow::decision);
            if !q.track.is_empty() && r.track != q.track {
                return None;
            }
            match q.decision.as_str() {
                "" => {}
                "undecided" if current.is_none() => {}
                other if current.map(Decision::as_str) == Some(other) => {}
                _ => return None,
            }
            let own = board.is_author(r, &me);
            let main = board
                .authors
                .get(&r.id)
                .and_then(|a| a.iter().find(|x| x.is_main));
            let obligations = main
                .map(|m| {
                    let (done, of) = obligations.get(m.email.as_str()).copied().unwrap_or((0, 0));
                    format!("{done}/{of}")
                })
                .unwrap_or_default();
            let hide = |v: String| if own { "hidden".to_string() } else { v };
            Some(BoardRow {
                number: r.number,
                title: r.title.clone(),
                track: r.track.clone(),
                reviews: s.reviews.to_string(),
                mean: hide(fmt(s.mean)),
                range: hide(match (s.min, s.max) {
                    (Some(a), Some(b)) => format!("{a}–{b}"),
                    _ => "–".into(),
                }),
                std_dev: hide(fmt(s.std_dev)),
                weighted: hide(fmt(s.confidence_weighted_mean)),
                calibrated: hide(fmt(s.calibrated)),
                talk_votes: if own {
                    0
                } else {
                    talk_votes.get(r.id.as_str()).copied().unwrap_or(0)
                },
                obligations,
                decision: current.map(Decision::as_str).unwrap_or("").to_string(),
                released: d
                    .and_then(DecisionRow::released)
                    .map(Decision::label)
                    .unwrap_or("")
                    .to_string(),
                changed: d.is_some_and(|d| d.released_decision.is_some() && d.unreleased_change()),
                own,
            })
        })
        .collect();
    let count = |k: Decision| board.holders(k, "").len();
    let s = &ctx.settings;
    render_status(
        status,
        &BoardPage {
            layout: ctx.layout("Decisions"),
            rows,
            query: q,
            errors,
            confirm,
            counts: vec![
                (
                    "contributed talks",
                    count(Decision::Talk),
                    s.talk_slots.to_string(),
                ),
                (
                    "spotlights",
                    count(Decision::Spotlight),
                    s.spotlight_slots.to_string(),
                ),
                ("posters", count(Decision::Poster), String::new()),
                ("rejected", count(Decision::Reject), String::new()),
            ],
            undecided: board.undecided().len(),
            released: board
                .released_at
                .map(|t| format_in_zone(t, s.tz()))
                .unwrap_or_default(),
            decisions_release: format_in_zone(s.dates.decisions_release, s.tz()),
        },
    )
}

async fn page(ctx: PageCtx, q: web::Query<BoardQuery>) -> Result<HttpResponse, AppError> {
    policy::perm_manage_conference(&ctx.actor)?;
    show(&ctx, StatusCode::OK, q.into_inner(), Vec::new(), None).await
}

#[derive(Debug, serde::Deserialize)]
struct SetForm {
    number: i32,
    decision: String,
    #[serde(default)]
    confirm: Option<String>,
}

async fn set_decision(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<SetForm>,
) -> Result<HttpResponse, AppError> {
    let chair = policy::perm_manage_conference(&ctx.actor)?.id.clone();
    let paper = load_visible(&ctx, form.number).await?;
    policy::perm_decide(&ctx.actor, paper.rights)?;
    if paper.row.status() != crate::domain::submission::SubmissionStatus::Active {
        return Err(AppError::BadRequest(format!(
            "#{} is withdrawn: reinstate it before deciding it.",
            form.number
        )));
    }
    let wanted = match form.decision.as_str() {
        "" => None,
        raw => Some(Decision::parse(raw).ok_or_else(|| {
            AppError::BadRequest(format!(
                "\"{raw}\" is not a decision: reject, poster, spotlight or talk."
            ))
        })?),
    };
    let id = paper.row.id.clone();
    let number = paper.row.number;
    let now = ctx.now;
    let (talks, spots) = (ctx.settings.talk_slots, ctx.settings.spotlight_slots);
    let confirmed = form.confirm.is_some();
    enum Outcome {
        Done(String),
        Full(String),
        NeedsConfirm(String),
        Unchanged,
    }
    let outcome = db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            dec::lock(c)?;
            let board = load_board(c)?;
            let current = board.decisions.get(&id);
            let before = current.and_then(DecisionRow::decision);
            if before == wanted {
                return Ok::<_, AppError>(Outcome::Unchanged);
            }
            if let Some(told) = current.and_then(DecisionRow::released) {
                if wanted.is_none() {
                    return Ok(Outcome::Full(format!(
                        "#{number}'s decision was released (the authors were told: {}); it can be changed, not withdrawn.",
                        told.label()
                    )));
                }
                if !confirmed {
                    return Ok(Outcome::NeedsConfirm(told.label().to_string()));
                }
            }
            if let Some(w) = wanted
                && let Err(full) = check_slots(w, &board.holders(w, &id), talks, spots)
            {
                return Ok(Outcome::Full(full.to_string()));
            }
            dec::set(c, &id, wanted, &chair, now)?;
            let from = before.map_or("undecided", Decision::as_str);
            let to = wanted.map_or("undecided", Decision::as_str);
            audit::record(
                c,
                Some(&chair),
                "decision.set",
                &format!("#{number}"),
                &format!("from {from} to {to}"),
                now,
            )?;
            Ok(Outcome::Done(to.to_string()))
        })
    })
    .await?;
    let back = BoardQuery::default();
    match outcome {
        Outcome::Done(to) => {
            set_flash(&ctx.session, &format!("#{number}: {to}."));
            Ok(see_other(&format!("/chair/decisions#paper-{number}")))
        }
        Outcome::Unchanged => Ok(see_other(&format!("/chair/decisions#paper-{number}"))),
        Outcome::Full(message) => show(&ctx, StatusCode::CONFLICT, back, vec![message], None).await,
        Outcome::NeedsConfirm(told) => {
            show(
                &ctx,
                StatusCode::CONFLICT,
                back,
                Vec::new(),
                Some((number, told, form.decision.clone())),
            )
            .await
        }
    }
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
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct PreviewQuery {
    preview: Option<i32>,
}

async fn show_release(
    ctx: &PageCtx,
    status: StatusCode,
    preview: Option<i32>,
    errors: Vec<String>,
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
    render_status(
        status,
        &ReleasePage {
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
    show_release(&ctx, StatusCode::OK, q.into_inner().preview, Vec::new()).await
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct ReleaseForm {
    confirm_undecided: Option<String>,
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

#[derive(serde::Serialize)]
struct ExportRow {
    number: i32,
    title: String,
    track: String,
    authors: String,
    decision: String,
    released_decision: String,
    reviews: usize,
    mean: Option<f64>,
    min: Option<u8>,
    max: Option<u8>,
    std_dev: Option<f64>,
    confidence_weighted_mean: Option<f64>,
    calibrated: Option<f64>,
}

async fn export_rows(ctx: &PageCtx) -> Result<Vec<ExportRow>, AppError> {
    policy::perm_manage_conference(&ctx.actor)?;
    let board = db::run(&ctx.state.pool, load_board).await?;
    let me = ctx
        .actor
        .member()
        .map(|m| m.email.as_str().to_string())
        .unwrap_or_default();
    Ok(board
        .rows
        .iter()
        .zip(&board.scores)
        .map(|(r, s)| {
            let own = board.is_author(r, &me);
            let d = board.decision(r);
            ExportRow {
                number: r.number,
                title: r.title.clone(),
                track: r.track.clone(),
                authors: board
                    .authors
                    .get(&r.id)
                    .map(|a| {
                        a.iter()
                            .map(|x| x.name.clone())
                            .collect::<Vec<_>>()
                            .join("; ")
                    })
                    .unwrap_or_default(),
                decision: d.map(|d| d.decision.clone()).unwrap_or_default(),
                released_decision: d
                    .and_then(|d| d.released_decision.clone())
                    .unwrap_or_default(),
                reviews: s.reviews,
                mean: s.mean.filter(|_| !own),
                min: s.min.filter(|_| !own),
                max: s.max.filter(|_| !own),
                std_dev: s.std_dev.filter(|_| !own),
                confidence_weighted_mean: s.confidence_weighted_mean.filter(|_| !own),
                calibrated: s.calibrated.filter(|_| !own),
            }
        })
        .collect())
}

async fn export_json(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    let rows = export_rows(&ctx).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .json(rows))
}

async fn export_csv(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    let rows = export_rows(&ctx).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| AppError::Unexpected(e.into());
    out.write_record([
        "number",
        "title",
        "track",
        "authors",
        "decision",
        "released_decision",
        "reviews",
        "mean",
        "min",
        "max",
        "std_dev",
        "confidence_weighted_mean",
        "calibrated",
    ])
    .map_err(err)?;
    let opt = |v: Option<f64>| v.map(|x| format!("{x:.3}")).unwrap_or_default();
    for r in &rows {
        out.write_record([
            r.number.to_string(),
            csv_safe(&r.title),
            r.track.clone(),
            csv_safe(&r.authors),
            r.decision.clone(),
            r.released_decision.clone(),
            r.reviews.to_string(),
            opt(r.mean),
            r.min.map(|v| v.to_string()).unwrap_or_default(),
            r.max.map(|v| v.to_string()).unwrap_or_default(),
            opt(r.std_dev),
            opt(r.confidence_weighted_mean),
            opt(r.calibrated),
        ])
        .map_err(err)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("csv: {e}")))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"decisions.csv\"",
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

/// What the authors see once their paper's decision is released.
pub struct ReleasedView {
    pub decision: String,
    pub presentation: String,
    pub accepted: bool,
    pub reviews: Vec<super::review_form::ShownReview>,
}

/// The released decision and the reviews in author view (labels, no reviewer identity, no
/// confidential comment) for an author of `paper`; `None` for anyone else or before release.
pub async fn released_view(
    ctx: &PageCtx,
    paper: &super::papers::LoadedPaper,
) -> Result<Option<ReleasedView>, AppError> {
    if !paper.rights.is_author {
        return Ok(None);
    }
    let id = paper.row.id.clone();
    let (decision, mut assigned, all) = db::run(&ctx.state.pool, move |c| {
        let assigned: Vec<(chrono::NaiveDateTime, String)> =
            crate::db::assignments::all_assignments(c)?
                .into_iter()
                .filter(|a| a.submission_id == id)
                .map(|a| (a.assigned_at, a.reviewer_email))
                .collect();
        Ok::<_, DbError>((
            dec::find(c, &id)?,
            assigned,
            reviews::for_submission(c, &id)?,
        ))
    })
    .await?;
    let Some(told) = decision.as_ref().and_then(DecisionRow::released) else {
        return Ok(None);
    };
    policy::perm_view_released(&ctx.actor, paper.rights, true)?;
    assigned.sort();
    let spec = ReviewFormSpec::neurips();
    let reviews = assigned
        .iter()
        .enumerate()
        .filter_map(|(i, (_, email))| {
            let r = all
                .iter()
                .find(|r| r.reviewer_email == *email && r.is_submitted())?;
            Some(shown(&spec, ctx.settings.reviewer_labels.label(i), r))
        })
        .collect();
    Ok(Some(ReleasedView {
        decision: if told.is_accept() {
            "Accepted"
        } else {
            "Not accepted"
        }
        .to_string(),
        presentation: told.presentation().to_string(),
        accepted: told.is_accept(),
        reviews,
    }))
}
