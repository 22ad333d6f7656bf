//! The public "Program" (HTML, JSON, iCalendar); "Accepted papers" are in `accepted`, what
//! both are built from in `published`.
//!
//! The JSON and the calendar are the same for every visitor and cacheable
//! (`Cache-Control: public, max-age=300`); the HTML page too for signed-out visitors, while a
//! signed-in visitor sees their own navigation (see `published::Visitor`). Before the first release of decisions they show
//! nothing of the decisions; afterwards only what the authors were told (the released
//! decision), never a submission PDF. Not here: the chair's program editor (`chair::program`).

use std::collections::HashMap;

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Serialize;

use super::get_or_head;
use super::published::{PublicData, Visitor, cached, load_public, pdf_path};
use crate::domain::program::{self, ItemKind, Program, ProgramPaper, Slot};
use crate::domain::program_current;
use crate::web::error::AppError;
use crate::web::{AppState, Layout};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/program", get_or_head().to(program_page))
        .route("/program.json", get_or_head().to(program_json))
        .route("/program.ics", get_or_head().to(program_ics));
}

/// The program as the public sees it, with its schedule, when there is one to show.
struct Published {
    program: Program,
    slots: Vec<Slot>,
}

/// The chairs' program with each paper's current public facts (`program_current`): papers no
/// longer accepted are left out, a contributed talk that lost its paper shows only its kind,
/// and a talk's speaker follows its paper's presenter. Times come from the stored program, which was checked when it was saved.
fn published(data: &PublicData) -> Option<Published> {
    let stored = data.program.as_ref()?;
    let slots = match program::schedule(stored, data.settings.tz()) {
        Ok(slots) => slots,
        Err(e) => {
            tracing::warn!(error = %e, "the stored program no longer schedules");
            return None;
        }
    };
    let accepted: HashMap<i32, ProgramPaper> = data
        .papers
        .iter()
        .map(|p| (p.number, p.program_paper()))
        .collect();
    let program = program_current::with_current_papers(stored, &accepted);
    Some(Published { program, slots })
}

/// One paper within a program item.
struct PaperView {
    number: i32,
    title: String,
    authors: String,
    presenter: String,
    pdf: Option<String>,
}

struct SlotView {
    index: usize,
    start: String,
    end: String,
    minutes: u32,
    kind: &'static str,
    kind_label: &'static str,
    title: String,
    speaker: String,
    papers: Vec<PaperView>,
}

#[derive(Template)]
#[template(path = "public/program.html")]
struct ProgramPage {
    layout: Layout,
    released: bool,
    release_date: String,
    day: String,
    time_zone: String,
    slots: Vec<SlotView>,
}

fn has_pdf(data: &PublicData, number: i32) -> bool {
    data.papers
        .iter()
        .any(|p| p.number == number && p.camera_ready.is_some())
}

async fn program_page(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let visitor = Visitor::of(&req).await?;
    let data = load_public(&state).await?;
    let shown = published(&data);
    let slots = shown
        .as_ref()
        .map(|s| {
            s.slots
                .iter()
                .filter_map(|slot| {
                    let item = s.program.items.get(slot.item)?;
                    Some(SlotView {
                        index: slot.item,
                        start: slot.local_start.clone(),
                        end: slot.local_end.clone(),
                        minutes: item.minutes,
                        kind: crate::domain::program_text::keyword(item.kind),
                        kind_label: item.kind.label(),
                        title: item.display_title().to_string(),
                        speaker: item.speaker.clone(),
                        papers: item
                            .papers
                            .iter()
                            .map(|p| PaperView {
                                number: p.number,
                                title: p.title.clone(),
                                authors: p.authors.clone(),
                                presenter: p.presenter.clone(),
                                pdf: has_pdf(&data, p.number).then(|| pdf_path(p.number)),
                            })
                            .collect(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let day = shown
        .as_ref()
        .map(|s| s.program.start.format("%A %-d %B %Y").to_string())
        .unwrap_or_default();
    visitor.render(&ProgramPage {
        layout: visitor.layout("Program", &data),
        released: data.released_at.is_some(),
        release_date: data.release_date(),
        day,
        time_zone: data.settings.time_zone.clone(),
        slots,
    })
}

#[derive(Serialize)]
struct ProgramPaperJson {
    number: i32,
    title: String,
    authors: String,
    presenter: String,
    camera_ready_pdf: Option<String>,
}

#[derive(Serialize)]
struct ProgramItemJson {
    id: String,
    kind: ItemKind,
    title: String,
    speaker: String,
    minutes: u32,
    starts: String,
    ends: String,
    local_start: String,
    local_end: String,
    papers: Vec<ProgramPaperJson>,
}

#[derive(Serialize)]
struct ProgramJson {
    conference: String,
    time_zone: String,
    published: bool,
    /// The workshop's date in the conference time zone, e.g. "2027-12-14".
    date: Option<String>,
    items: Vec<ProgramItemJson>,
}

async fn program_json(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let data = load_public(&state).await?;
    let base = state.config.base_url();
    let shown = published(&data);
    let items = shown
        .as_ref()
        .map(|s| {
            s.slots
                .iter()
                .filter_map(|slot| {
                    let item = s.program.items.get(slot.item)?;
                    Some(ProgramItemJson {
                        id: format!("item-{}", slot.item),
                        kind: item.kind,
                        title: item.display_title().to_string(),
                        speaker: item.speaker.clone(),
                        minutes: item.minutes,
                        starts: slot.starts.to_rfc3339(),
                        ends: slot.ends.to_rfc3339(),
                        local_start: slot.local_start.clone(),
                        local_end: slot.local_end.clone(),
                        papers: item
                            .papers
                            .iter()
                            .map(|p| ProgramPaperJson {
                                number: p.number,
                                title: p.title.clone(),
                                authors: p.authors.clone(),
                                presenter: p.presenter.clone(),
                                camera_ready_pdf: has_pdf(&data, p.number)
                                    .then(|| format!("{base}{}", pdf_path(p.number))),
                            })
                            .collect(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let body = ProgramJson {
        conference: data.settings.name.clone(),
        time_zone: data.settings.time_zone.clone(),
        published: shown.is_some(),
        date: shown.as_ref().map(|s| s.program.start.date().to_string()),
        items,
    };
    Ok(cached("application/json").json(body))
}

/// The program as an iCalendar file; an empty calendar until there is a program to show.
async fn program_ics(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let data = load_public(&state).await?;
    let now = state.clock.now();
    let base = state.config.base_url();
    let conference = data.settings.name.clone();
    let text = match published(&data) {
        Some(s) => program::to_ics(&s.program, &s.slots, &conference, base, now),
        None => {
            let empty = Program {
                start: now.naive_utc(),
                items: Vec::new(),
            };
            program::to_ics(&empty, &[], &conference, base, now)
        }
    };
    Ok(cached("text/calendar; charset=utf-8")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename("program.ics".into())],
        })
        .body(text))
}
