//! The public pages of the workshop's outcome: "Accepted papers" (HTML, JSON, CSV and each
//! paper's camera-ready PDF) and the "Program" (HTML, JSON, iCalendar).
//!
//! They are the same for every visitor and cacheable: the handlers never touch the session
//! (no `PageCtx`, no CSRF token, no user name in the layout) and answer with
//! `Cache-Control: public, max-age=300`. Before the first release of decisions they show
//! nothing of the decisions; afterwards only what the authors were told (the released
//! decision), never a submission PDF. Not here: the chair's program editor (`chair_program`).

use std::collections::HashMap;

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::web::csv::csv_safe;
use crate::web::error::AppError;
use crate::web::{AppState, Layout};
use crate::db::decisions::AcceptedPaper;
use crate::db::{self, DbError, conference, decisions};
use crate::domain::conference::{ConferenceSettings, format_in_zone};
use crate::domain::program::{self, ItemKind, Program, ProgramPaper, Slot};

/// How long browsers and proxies may keep a public page.
pub const PUBLIC_CACHE: &str = "public, max-age=300";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/accepted", web::get().to(accepted_page))
        .route("/accepted.json", web::get().to(accepted_json))
        .route("/accepted.csv", web::get().to(accepted_csv))
        .route("/accepted/{number}.pdf", web::get().to(camera_ready_pdf))
        .route("/program", web::get().to(program_page))
        .route("/program.json", web::get().to(program_json))
        .route("/program.ics", web::get().to(program_ics));
}

/// What every public page is built from, loaded in one round trip.
struct PublicData {
    settings: ConferenceSettings,
    /// When decisions were first released; nothing about decisions is shown before.
    released_at: Option<DateTime<Utc>>,
    papers: Vec<AcceptedPaper>,
    program: Option<Program>,
}

impl PublicData {
    fn release_date(&self) -> String {
        format_in_zone(self.settings.dates.decisions_release, self.settings.tz())
    }

    fn layout(&self, title: &str) -> Layout {
        public_layout(title, &self.settings)
    }
}

/// The layout of a page that is the same for everyone: the conference's name, no user, no
/// CSRF token, no flash message.
pub fn public_layout(title: &str, settings: &ConferenceSettings) -> Layout {
    Layout {
        title: title.to_string(),
        site_name: settings.name.clone(),
        short_name: settings.short_name.clone(),
        user_name: None,
        is_chair: false,
        csrf: String::new(),
        flash: None,
    }
}

async fn load_public(state: &web::Data<AppState>) -> Result<PublicData, AppError> {
    Ok(db::run(&state.pool, |c| {
        let settings = conference::load(c)?.settings;
        let released_at = decisions::released_at(c)?;
        let (papers, program) = if released_at.is_some() {
            (
                decisions::accepted_released(c)?,
                decisions::stored_program(c)?.map(|(p, _)| p),
            )
        } else {
            (Vec::new(), None)
        };
        Ok::<_, DbError>(PublicData {
            settings,
            released_at,
            papers,
            program,
        })
    })
    .await?)
}

fn pdf_path(number: i32) -> String {
    format!("/accepted/{number}.pdf")
}

fn cached(content_type: &str) -> actix_web::HttpResponseBuilder {
    let mut response = HttpResponse::Ok();
    response
        .insert_header((header::CONTENT_TYPE, content_type.to_string()))
        .insert_header((header::CACHE_CONTROL, PUBLIC_CACHE));
    response
}

fn render_cached(page: &impl Template) -> Result<HttpResponse, AppError> {
    let body = page
        .render()
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("template: {e}")))?;
    Ok(cached("text/html; charset=utf-8").body(body))
}

/// One accepted paper on the page.
struct AcceptedView {
    number: i32,
    title: String,
    authors: Vec<(String, String)>,
    presentation: &'static str,
    pdf: Option<String>,
}

#[derive(Template)]
#[template(path = "public/accepted.html")]
struct AcceptedPage {
    layout: Layout,
    released: bool,
    release_date: String,
    papers: Vec<AcceptedView>,
}

async fn accepted_page(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let data = load_public(&state).await?;
    let papers = data
        .papers
        .iter()
        .map(|p| AcceptedView {
            number: p.number,
            title: p.title.clone(),
            authors: p.authors.clone(),
            presentation: p.decision.presentation(),
            pdf: p.camera_ready.as_ref().map(|_| pdf_path(p.number)),
        })
        .collect();
    render_cached(&AcceptedPage {
        layout: data.layout("Accepted papers"),
        released: data.released_at.is_some(),
        release_date: data.release_date(),
        papers,
    })
}

#[derive(Serialize)]
struct AuthorJson {
    name: String,
    affiliation: String,
}

#[derive(Serialize)]
struct AcceptedPaperJson {
    number: i32,
    title: String,
    authors: Vec<AuthorJson>,
    /// "talk", "spotlight" or "poster".
    presentation: &'static str,
    presentation_label: &'static str,
    camera_ready_pdf: Option<String>,
    archival: bool,
}

#[derive(Serialize)]
struct AcceptedJson {
    conference: String,
    released: bool,
    papers: Vec<AcceptedPaperJson>,
}

async fn accepted_json(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let data = load_public(&state).await?;
    let base = state.config.base_url();
    let papers = data
        .papers
        .iter()
        .map(|p| AcceptedPaperJson {
            number: p.number,
            title: p.title.clone(),
            authors: p
                .authors
                .iter()
                .map(|(name, affiliation)| AuthorJson {
                    name: name.clone(),
                    affiliation: affiliation.clone(),
                })
                .collect(),
            presentation: p.decision.as_str(),
            presentation_label: p.decision.presentation(),
            camera_ready_pdf: p
                .camera_ready
                .as_ref()
                .map(|_| format!("{base}{}", pdf_path(p.number))),
            archival: false,
        })
        .collect();
    let body = AcceptedJson {
        conference: data.settings.name.clone(),
        released: data.released_at.is_some(),
        papers,
    };
    Ok(cached("application/json").json(body))
}

async fn accepted_csv(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let data = load_public(&state).await?;
    let base = state.config.base_url();
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = [
        "number",
        "title",
        "authors",
        "affiliations",
        "presentation",
        "camera_ready_pdf",
        "archival",
    ];
    out.write_record(header)
        .map_err(|e| AppError::Unexpected(e.into()))?;
    for p in &data.papers {
        let affiliations: Vec<&str> = p.authors.iter().map(|(_, a)| a.as_str()).collect();
        let record = [
            p.number.to_string(),
            p.title.clone(),
            p.author_names(),
            affiliations.join("; "),
            p.decision.presentation().to_string(),
            p.camera_ready
                .as_ref()
                .map(|_| format!("{base}{}", pdf_path(p.number)))
                .unwrap_or_default(),
            "no".to_string(),
        ];
        out.write_record(record.iter().map(|v| csv_safe(v)))
            .map_err(|e| AppError::Unexpected(e.into()))?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("csv: {e}")))?;
    Ok(cached("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"accepted.csv\"",
        ))
        .body(bytes))
}

/// The latest camera-ready version of an accepted paper, once released; 404 for anything
/// else (never a submission PDF).
async fn camera_ready_pdf(
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let number = path.into_inner();
    let data = load_public(&state).await?;
    let doc = data
        .papers
        .iter()
        .find(|p| p.number == number)
        .and_then(|p| p.camera_ready.clone())
        .ok_or(AppError::NotFound)?;
    let bytes = crate::web::papers::read_stored(&state.storage, &doc).await?;
    let name = format!(
        "{}-{number}.pdf",
        data.settings
            .short_name
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_lowercase()
    );
    Ok(cached("application/pdf")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Inline,
            parameters: vec![DispositionParam::Filename(name)],
        })
        .body(bytes))
}

/// The program as the public sees it, with its schedule, when there is one to show.
struct Published {
    program: Program,
    slots: Vec<Slot>,
}

/// The chairs' program with each paper's current public facts; papers no longer accepted (by
/// released decision) are left out, and a contributed talk that lost its paper shows only its
/// kind. Times come from the stored program, which was checked when it was saved.
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
    let mut program = stored.clone();
    for item in &mut program.items {
        let had_papers = !item.papers.is_empty();
        item.papers = item
            .papers
            .iter()
            .filter_map(|p| accepted.get(&p.number).cloned())
            .collect();
        if item.kind == ItemKind::ContributedTalk && had_papers && item.papers.is_empty() {
            item.title.clear();
            item.speaker.clear();
        }
    }
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

async fn program_page(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
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
    render_cached(&ProgramPage {
        layout: data.layout("Program"),
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
