//! The chairs' program editor: the day in the line format of `domain::program_text` in a text
//! area, checked (every bad line named, papers must be accepted by their released decision,
//! then `program::schedule`'s rules), stored as JSON under optimistic locking and
//! audit-logged; a reset to the default day built from the released decisions; a CSV export.
//! The public pages that show the result live in `web::public` (`program`, `accepted`).

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;

use crate::db::decisions::{self, AcceptedPaper};
use crate::db::{self, DbError, audit};
use crate::domain::conference::ConferenceSettings;
use crate::domain::decision::Decision;
use crate::domain::ids::UserId;
use crate::domain::program::{self, Program, ProgramPaper, Slot};
use crate::domain::program_text::{self, KINDS, LineError};
use crate::policy;
use crate::web::csv::{csv_safe, csv_stream};
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, set_flash};
use crate::web::{Layout, render_status, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/chair/program", web::get().to(editor))
        .route("/chair/program", web::post().to(save))
        .route("/chair/program/reset", web::post().to(reset))
        .route("/chair/program.csv", web::get().to(csv_export));
}

/// The workshop's date in the conference time zone.
fn workshop_date(settings: &ConferenceSettings) -> NaiveDate {
    settings
        .dates
        .workshop_day
        .with_timezone(&settings.tz())
        .date_naive()
}

/// The default day from the released decisions: the talks, the spotlights, and every
/// accepted paper in the poster sessions, each with its presenter.
fn default_from(papers: &[AcceptedPaper], settings: &ConferenceSettings) -> Program {
    let of = |kind: Decision| -> Vec<ProgramPaper> {
        papers
            .iter()
            .filter(|p| p.decision == kind)
            .map(AcceptedPaper::program_paper)
            .collect()
    };
    let posters = papers.iter().map(AcceptedPaper::program_paper).collect();
    program::default_program(
        workshop_date(settings),
        of(Decision::Talk),
        of(Decision::Spotlight),
        posters,
    )
}

/// The accepted papers and the stored program with its version (0: none stored yet).
struct Loaded {
    papers: Vec<AcceptedPaper>,
    stored: Option<(Program, i32)>,
}

impl Loaded {
    fn version(&self) -> i32 {
        self.stored.as_ref().map(|(_, v)| *v).unwrap_or(0)
    }

    /// The stored program with each paper's current facts (a presenter chosen since the
    /// program was saved shows here too), or the default day when none is stored.
    fn program(&self, settings: &ConferenceSettings) -> Program {
        match &self.stored {
            Some((p, _)) => {
                crate::domain::program_current::with_current_papers(p, &self.by_number())
            }
            None => default_from(&self.papers, settings),
        }
    }

    fn by_number(&self) -> HashMap<i32, ProgramPaper> {
        self.papers
            .iter()
            .map(|p| (p.number, p.program_paper()))
            .collect()
    }
}

async fn load(ctx: &PageCtx) -> Result<Loaded, AppError> {
    Ok(db::run(&ctx.state.pool, |c| {
        Ok::<_, DbError>(Loaded {
            papers: decisions::accepted_released(c)?,
            stored: decisions::stored_program(c)?,
        })
    })
    .await?)
}

/// One line of the preview table.
struct PreviewRow {
    start: String,
    end: String,
    kind: &'static str,
    title: String,
    speaker: String,
    papers: String,
}

#[derive(Template)]
#[template(path = "chair/program.html")]
struct EditorPage {
    layout: Layout,
    text: String,
    version: i32,
    stored: bool,
    day: String,
    time_zone: String,
    errors: Vec<String>,
    /// The chair's own text after a stale save, to copy from.
    unsaved: String,
    preview: Vec<PreviewRow>,
    /// (number, title, presentation, presenter)
    accepted: Vec<(i32, String, &'static str, String)>,
    kinds: Vec<(&'static str, &'static str)>,
}

fn preview(program: &Program, slots: &[Slot]) -> Vec<PreviewRow> {
    slots
        .iter()
        .filter_map(|slot| {
            let item = program.items.get(slot.item)?;
            Some(PreviewRow {
                start: slot.local_start.clone(),
                end: slot.local_end.clone(),
                kind: program_text::keyword(item.kind),
                title: item.display_title().to_string(),
                speaker: item.speaker.clone(),
                papers: item
                    .papers
                    .iter()
                    .map(|p| format!("#{}", p.number))
                    .collect::<Vec<_>>()
                    .join(" "),
            })
        })
        .collect()
}

/// The editor showing `program` (and its schedule, or why it has none).
fn editor_page(ctx: &PageCtx, loaded: &Loaded, program: &Program) -> EditorPage {
    let (rows, errors) = match program::schedule(program, ctx.settings.tz()) {
        Ok(slots) => (preview(program, &slots), Vec::new()),
        Err(e) => (Vec::new(), vec![e.to_string()]),
    };
    EditorPage {
        layout: ctx.layout("Program"),
        text: program_text::to_text(program),
        version: loaded.version(),
        stored: loaded.stored.is_some(),
        day: program.start.format("%A %-d %B %Y").to_string(),
        time_zone: ctx.settings.time_zone.clone(),
        errors,
        unsaved: String::new(),
        preview: rows,
        accepted: loaded
            .papers
            .iter()
            .map(|p| {
                (
                    p.number,
                    p.title.clone(),
                    p.decision.presentation(),
                    p.presenter.clone(),
                )
            })
            .collect(),
        kinds: KINDS
            .iter()
            .map(|(word, kind)| (*word, kind.label()))
            .collect(),
    }
}

async fn editor(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    policy::perm_manage_conference(&ctx.actor)?;
    let loaded = load(&ctx).await?;
    let program = loaded.program(&ctx.settings);
    render_status(StatusCode::OK, &editor_page(&ctx, &loaded, &program))
}

#[derive(serde::Deserialize)]
struct ProgramForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    version: String,
}

/// Parses, resolves and schedules the chair's text; every problem with its line.
fn check_text(
    text: &str,
    settings: &ConferenceSettings,
    accepted: &HashMap<i32, ProgramPaper>,
) -> Result<Program, Vec<LineError>> {
    let parsed = program_text::parse(text)?;
    let resolved = program_text::resolve(parsed, workshop_date(settings), accepted)?;
    match program::schedule(&resolved.program, settings.tz()) {
        Ok(_) => Ok(resolved.program),
        Err(e) => Err(vec![resolved.locate(&e)]),
    }
}

/// The answer to a save made from an older version: the newer program, and the chair's text
/// to copy from.
fn stale(ctx: &PageCtx, loaded: &Loaded, unsaved: String) -> Result<HttpResponse, AppError> {
    let mut page = editor_page(ctx, loaded, &loaded.program(&ctx.settings));
    page.errors.insert(
        0,
        "Another chair changed the program since you opened it, so nothing was saved. The newer program is shown in the editor; your text is below it, to copy what you need and save again.".into(),
    );
    page.unsaved = unsaved;
    render_status(StatusCode::CONFLICT, &page)
}

/// Stores `program` if the stored version is still `expected`, with its audit entry; false
/// when another save came first.
async fn store(
    ctx: &PageCtx,
    program: &Program,
    expected: i32,
    by: &UserId,
    action: &'static str,
) -> Result<bool, AppError> {
    let json = serde_json::to_string(program)
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("program json: {e}")))?;
    let details = format!(
        "{} items from {}",
        program.items.len(),
        program.start.format("%Y-%m-%d %H:%M")
    );
    let (now, by) = (ctx.now, by.clone());
    Ok(db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            if !decisions::save_program(c, &json, expected, &by, now)? {
                return Ok::<_, DbError>(false);
            }
            audit::record(c, Some(&by), action, "program", &details, now)?;
            Ok(true)
        })
    })
    .await?)
}

async fn save(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<ProgramForm>,
) -> Result<HttpResponse, AppError> {
    let chair = policy::perm_manage_conference(&ctx.actor)?.id.clone();
    let loaded = load(&ctx).await?;
    let expected: i32 = form.version.trim().parse().unwrap_or(-1);
    if expected != loaded.version() {
        return stale(&ctx, &loaded, form.text);
    }
    let program = match check_text(&form.text, &ctx.settings, &loaded.by_number()) {
        Ok(program) => program,
        Err(errors) => {
            let mut page = editor_page(&ctx, &loaded, &loaded.program(&ctx.settings));
            page.text = form.text;
            page.preview.clear();
            page.errors =
                std::iter::once("Nothing was saved: please correct these lines.".to_string())
                    .chain(errors.iter().map(ToString::to_string))
                    .collect();
            return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    if !store(&ctx, &program, expected, &chair, "program.save").await? {
        let loaded = load(&ctx).await?;
        return stale(&ctx, &loaded, form.text);
    }
    set_flash(&ctx.session, "The program is saved and public.");
    Ok(see_other("/chair/program"))
}

#[derive(serde::Deserialize)]
struct ResetForm {
    #[serde(default)]
    version: String,
}

async fn reset(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<ResetForm>,
) -> Result<HttpResponse, AppError> {
    let chair = policy::perm_manage_conference(&ctx.actor)?.id.clone();
    let loaded = load(&ctx).await?;
    let expected: i32 = form.version.trim().parse().unwrap_or(-1);
    let program = default_from(&loaded.papers, &ctx.settings);
    if expected != loaded.version()
        || !store(&ctx, &program, expected, &chair, "program.reset").await?
    {
        let loaded = load(&ctx).await?;
        return stale(&ctx, &loaded, String::new());
    }
    set_flash(
        &ctx.session,
        "The program is reset to the default day built from the released decisions.",
    );
    Ok(see_other("/chair/program"))
}

/// The program item by item, one line per paper, streamed.
async fn csv_export(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    policy::perm_manage_conference(&ctx.actor)?;
    let loaded = load(&ctx).await?;
    let program = loaded.program(&ctx.settings);
    let slots = program::schedule(&program, ctx.settings.tz()).unwrap_or_default();
    Ok(csv_stream("program.csv", move |out| {
        out.row([
            "item",
            "start",
            "end",
            "minutes",
            "kind",
            "title",
            "speaker",
            "paper",
            "paper_title",
            "authors",
            "presenter",
        ])?;
        for (index, item) in program.items.iter().enumerate() {
            let slot = slots.iter().find(|s| s.item == index);
            let head = [
                (index + 1).to_string(),
                slot.map(|s| s.local_start.clone()).unwrap_or_default(),
                slot.map(|s| s.local_end.clone()).unwrap_or_default(),
                item.minutes.to_string(),
                program_text::keyword(item.kind).to_string(),
                item.display_title().to_string(),
                item.speaker.clone(),
            ];
            let papers: Vec<[String; 4]> = if item.papers.is_empty() {
                vec![Default::default()]
            } else {
                item.papers
                    .iter()
                    .map(|p| {
                        [
                            format!("#{}", p.number),
                            p.title.clone(),
                            p.authors.clone(),
                            p.presenter.clone(),
                        ]
                    })
                    .collect()
            };
            for paper in papers {
                out.row(head.iter().chain(paper.iter()).map(|v| csv_safe(v)))?;
            }
            out.flush()?;
        }
        Ok(())
    }))
}
