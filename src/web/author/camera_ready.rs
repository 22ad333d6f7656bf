//! The camera-ready step of an accepted paper: its authors upload the final (not anonymous)
//! PDF, checked in final mode against the camera-ready page limit, and name the presenting
//! author and the author who claims the paper's conference ticket, until the camera-ready
//! deadline (or while a chair's unlock lasts). Also the camera-ready section of the paper
//! page. Not here: the reminders (`jobs::camera_ready_reminders`), the public PDF route
//! (`public::accepted`).

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::decisions::{self, CameraReadyRow};
use crate::db::submissions::{self as subs, AuthorRow};
use crate::db::{self, DbError, audit};
use crate::domain::FieldErrors;
use crate::domain::conference::{ConferenceSettings, format_in_zone};
use crate::domain::decision::Decision;
use crate::domain::submission::Track;
use crate::format_check::{Code, Mode, Rules};
use crate::policy::{self, CameraReadyWindow};
use crate::web::error::AppError;
use crate::web::extract::{PageCtx, set_flash};
use crate::web::paper_files::{AcceptedPdf, document_row, read_checked_form, store};
use crate::web::papers::{
    DocumentView, LoadedPaper, ReportView, check_pdf, load_visible, rules_for,
};
use crate::web::upload::{UploadedForm, describe_non_pdf, drain};
use crate::web::{Layout, render, render_status, see_other};

/// The kind of document row a camera-ready version is stored as.
pub const CAMERA_READY: &str = "camera_ready";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/submissions/{number}/camera-ready", web::get().to(form))
        .route("/submissions/{number}/camera-ready", web::post().to(save));
}

/// The format rules of a camera-ready version: the submission rules the chairs chose, in
/// final mode (author names expected, no anonymity rule) and with the camera-ready page
/// limit, which always blocks.
pub fn camera_ready_rules(settings: &ConferenceSettings) -> Rules {
    let mut rules = rules_for(Track::Paper, settings);
    rules.mode = Mode::Final;
    rules.page_limit = settings.camera_ready_page_limit;
    rules.blocking.retain(|code| *code != Code::Anonymity);
    if !rules.blocking.contains(&Code::PageLimit) {
        rules.blocking.push(Code::PageLimit);
    }
    rules
}

/// The camera-ready window of a paper.
fn window(ctx: &PageCtx, paper: &LoadedPaper) -> CameraReadyWindow {
    CameraReadyWindow {
        due: ctx.settings.dates.camera_ready_due,
        unlocked_until: paper.row.unlocked_until(),
        now: ctx.now,
        tz: ctx.settings.tz(),
    }
}

/// What the authors were told about a paper, and its camera-ready details.
struct Facts {
    released: Option<Decision>,
    details: Option<CameraReadyRow>,
}

impl Facts {
    fn accepted(&self) -> Option<Decision> {
        self.released.filter(|d| d.is_accept())
    }
}

async fn load_facts(ctx: &PageCtx, paper: &LoadedPaper) -> Result<Facts, AppError> {
    let id = paper.row.id.clone();
    Ok(db::run(&ctx.state.pool, move |c| {
        let released = decisions::find(c, &id)?.and_then(|d| d.released());
        let details = decisions::camera_ready_of(c, &id)?;
        Ok::<_, DbError>(Facts { released, details })
    })
    .await?)
}

fn author_name(authors: &[AuthorRow], position: Option<i32>) -> Option<String> {
    let position = position?;
    authors
        .iter()
        .find(|a| a.position == position)
        .map(|a| a.name.clone())
}

fn latest_camera_ready(paper: &LoadedPaper, settings: &ConferenceSettings) -> Option<DocumentView> {
    // Documents are loaded newest first.
    paper
        .documents
        .iter()
        .find(|d| d.kind == CAMERA_READY)
        .map(|d| DocumentView::new(d, settings, &camera_ready_rules(settings), false))
}

/// The camera-ready part of the paper page, for its authors and the chairs.
pub struct CameraReadySection {
    pub presentation: &'static str,
    pub due: String,
    pub current: Option<DocumentView>,
    pub presenter: String,
    pub ticket: String,
    pub can_upload: bool,
    pub locked_reason: String,
}

/// The section, when the paper's released decision is an acceptance (nothing otherwise:
/// before release the authors must not learn the decision from this page).
pub async fn paper_section(
    ctx: &PageCtx,
    paper: &LoadedPaper,
) -> Result<Option<CameraReadySection>, AppError> {
    // No decision is released before the conference's release (one transaction writes
    // both): nothing to load until then.
    if ctx.released_at.is_none() {
        return Ok(None);
    }
    let facts = load_facts(ctx, paper).await?;
    let Some(decision) = facts.accepted() else {
        return Ok(None);
    };
    let permission = policy::perm_camera_ready(&ctx.actor, paper.rights, true, &window(ctx, paper));
    let main = paper
        .authors
        .iter()
        .find(|a| a.is_main)
        .map(|a| a.name.clone())
        .unwrap_or_default();
    let details = facts.details.as_ref();
    Ok(Some(CameraReadySection {
        presentation: decision.presentation(),
        due: format_in_zone(ctx.settings.dates.camera_ready_due, ctx.settings.tz()),
        current: latest_camera_ready(paper, &ctx.settings),
        presenter: author_name(&paper.authors, details.map(|d| d.presenter_position))
            .unwrap_or_else(|| format!("not chosen yet (the main author, {main}, until then)")),
        ticket: author_name(&paper.authors, details.and_then(|d| d.ticket_position))
            .unwrap_or_else(|| "not claimed yet".into()),
        can_upload: permission.is_ok(),
        locked_reason: permission.err().map(|d| d.to_string()).unwrap_or_default(),
    }))
}

#[derive(Template)]
#[template(path = "author/camera_ready.html")]
struct FormPage {
    layout: Layout,
    number: i32,
    title: String,
    presentation: &'static str,
    due: String,
    unlocked_until: String,
    page_limit: u32,
    max_pdf_mb: u64,
    /// (position, name)
    authors: Vec<(i32, String)>,
    presenter: i32,
    /// -1: nobody yet.
    ticket: i32,
    current: Option<DocumentView>,
    errors: FieldErrors,
    report: Option<ReportView>,
}

fn form_page(
    ctx: &PageCtx,
    paper: &LoadedPaper,
    decision: Decision,
    choice: Choice,
    errors: FieldErrors,
    report: Option<ReportView>,
) -> FormPage {
    let tz = ctx.settings.tz();
    FormPage {
        layout: ctx.layout(&format!("Camera-ready version of #{}", paper.row.number)),
        number: paper.row.number,
        title: paper.row.title.clone(),
        presentation: decision.presentation(),
        due: format_in_zone(ctx.settings.dates.camera_ready_due, tz),
        unlocked_until: paper
            .row
            .unlocked_until()
            .filter(|u| *u >= ctx.now)
            .map(|u| format_in_zone(u, tz))
            .unwrap_or_default(),
        page_limit: ctx.settings.camera_ready_page_limit,
        max_pdf_mb: ctx.state.config.uploads.max_pdf_bytes / (1024 * 1024),
        authors: paper
            .authors
            .iter()
            .map(|a| (a.position, a.name.clone()))
            .collect(),
        presenter: choice.presenter,
        ticket: choice.ticket.unwrap_or(-1),
        current: latest_camera_ready(paper, &ctx.settings),
        errors,
        report,
    }
}

/// The presenting author and the ticket holder, as author positions.
#[derive(Debug, Clone, Copy)]
struct Choice {
    presenter: i32,
    ticket: Option<i32>,
}

impl Choice {
    /// What is stored, or the main author presenting and no ticket claimed.
    fn current(facts: &Facts, authors: &[AuthorRow]) -> Choice {
        match &facts.details {
            Some(d) => Choice {
                presenter: d.presenter_position,
                ticket: d.ticket_position,
            },
            None => Choice {
                presenter: authors
                    .iter()
                    .find(|a| a.is_main)
                    .or_else(|| authors.first())
                    .map(|a| a.position)
                    .unwrap_or(0),
                ticket: None,
            },
        }
    }

    /// Reads the choice from the form; both must name one of the paper's authors.
    fn parse(form: &UploadedForm, authors: &[AuthorRow], errors: &mut FieldErrors) -> Choice {
        let is_author = |p: &i32| authors.iter().any(|a| a.position == *p);
        let presenter = form
            .field("presenter")
            .and_then(|v| v.trim().parse::<i32>().ok())
            .filter(is_author);
        if presenter.is_none() {
            errors.add(
                "presenter",
                "Choose the presenting author among the paper's authors.",
            );
        }
        let raw_ticket = form.field("ticket").unwrap_or("").trim();
        let ticket = match raw_ticket {
            "" | "none" => None,
            raw => match raw.parse::<i32>().ok().filter(is_author) {
                Some(p) => Some(p),
                None => {
                    errors.add(
                        "ticket",
                        "The ticket goes to one of the paper's authors, or to nobody yet.",
                    );
                    None
                }
            },
        };
        Choice {
            presenter: presenter.unwrap_or(0),
            ticket,
        }
    }
}

/// Loads the paper and checks that the viewer may work on its camera-ready version.
async fn authorise(ctx: &PageCtx, number: i32) -> Result<(LoadedPaper, Facts, Decision), AppError> {
    let paper = load_visible(ctx, number).await?;
    let facts = load_facts(ctx, &paper).await?;
    let decision = facts.accepted();
    policy::perm_camera_ready(
        &ctx.actor,
        paper.rights,
        decision.is_some(),
        &window(ctx, &paper),
    )?;
    let decision = decision.ok_or(AppError::NotFound)?;
    Ok((paper, facts, decision))
}

async fn form(ctx: PageCtx, path: web::Path<i32>) -> Result<HttpResponse, AppError> {
    let (paper, facts, decision) = authorise(&ctx, path.into_inner()).await?;
    let choice = Choice::current(&facts, &paper.authors);
    render(&form_page(
        &ctx,
        &paper,
        decision,
        choice,
        FieldErrors::new(),
        None,
    ))
}

/// Checks an uploaded camera-ready PDF; on refusal the message goes into `errors` and the
/// report (if the file was a PDF) comes back for display.
async fn vet(
    ctx: &PageCtx,
    paper: &LoadedPaper,
    file: crate::storage::PendingFile,
    errors: &mut FieldErrors,
) -> Result<(Option<AcceptedPdf>, Option<ReportView>), AppError> {
    if let Some(what) = describe_non_pdf(file.head()) {
        errors.add(
            "paper",
            format!("The upload was refused: {what}. Upload the camera-ready version as a PDF. Nothing was saved."),
        );
        return Ok((None, None));
    }
    let (file, bytes) = crate::web::paper_files::read_pending(file).await?;
    let rules = camera_ready_rules(&ctx.settings);
    let blocking = rules.blocking.clone();
    let shown_rules = rules.clone();
    let authors: Vec<_> = paper.authors.iter().map(AuthorRow::to_author).collect();
    let report = check_pdf(&ctx.state, bytes, rules, &authors).await?;
    let shown = Some(ReportView::new(&report, &shown_rules, false));
    if report.blocks_upload(&blocking) {
        errors.add(
            "paper",
            "The PDF was refused: see the format report above the form. Nothing was saved.",
        );
        return Ok((None, shown));
    }
    Ok((Some(AcceptedPdf { file, report }), shown))
}

async fn save(
    ctx: PageCtx,
    path: web::Path<i32>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let member = policy::perm_signed_in(&ctx.actor)?.clone();
    let (paper, facts, decision) = match authorise(&ctx, path.into_inner()).await {
        Ok(found) => found,
        Err(refused) => {
            // Read the body first, so the browser shows why instead of a broken connection.
            let limits = &ctx.state.config.uploads;
            drain(payload, limits.max_pdf_bytes + 1024 * 1024).await;
            return Err(refused);
        }
    };
    let mut form = read_checked_form(&ctx, payload).await?;
    let mut errors = FieldErrors::new();
    let choice = Choice::parse(&form, &paper.authors, &mut errors);
    let has_version = latest_camera_ready(&paper, &ctx.settings).is_some();
    let (accepted, report) = match form.paper.take() {
        Some(file) => vet(&ctx, &paper, file, &mut errors).await?,
        None if form.empty_files.iter().any(|f| f == "paper") => {
            errors.add(
                "paper",
                "The upload was refused: the file is empty. Choose the PDF of your camera-ready version.",
            );
            (None, None)
        }
        None if !has_version => {
            errors.add("paper", "Choose the PDF of your camera-ready version.");
            (None, None)
        }
        None => (None, None),
    };
    if !errors.is_empty() {
        let page = form_page(&ctx, &paper, decision, choice, errors, report);
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let stored = match accepted {
        Some(pdf) => Some((store(&ctx, pdf.file).await?, pdf.report)),
        None => None,
    };
    let now = ctx.now;
    let row = paper.row.clone();
    let new_pdf = stored.is_some();
    let unchanged = facts.details.as_ref().is_some_and(|d| {
        d.presenter_position == choice.presenter && d.ticket_position == choice.ticket
    });
    let mut what = Vec::new();
    if stored.is_some() {
        what.push("new camera-ready PDF".to_string());
    }
    if !unchanged {
        let name = |p: Option<i32>| author_name(&paper.authors, p).unwrap_or("nobody".into());
        what.push(format!(
            "presenter {}, ticket {}",
            name(Some(choice.presenter)),
            name(choice.ticket)
        ));
    }
    db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            if let Some((file, report)) = &stored {
                let doc = document_row(
                    &row.id,
                    CAMERA_READY,
                    file.sha256.clone(),
                    file.size,
                    Some(report),
                    &member.id,
                    now,
                );
                subs::insert_document(c, &doc)?;
            }
            decisions::save_camera_ready(
                c,
                &row.id,
                choice.presenter,
                choice.ticket,
                &member.id,
                now,
            )?;
            if !what.is_empty() {
                let subject = format!("#{}", row.number);
                audit::record(
                    c,
                    Some(&member.id),
                    "camera_ready.save",
                    &subject,
                    &what.join("; "),
                    now,
                )?;
            }
            Ok::<_, DbError>(())
        })
    })
    .await?;
    set_flash(
        &ctx.session,
        if new_pdf {
            "Your camera-ready version is saved. Thank you!"
        } else {
            "Your camera-ready details are saved."
        },
    );
    Ok(see_other(&format!(
        "/submissions/{}#camera-ready",
        paper.row.number
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camera_ready_rules_are_final_mode_with_their_own_blocking_page_limit() {
        let mut settings = ConferenceSettings::dlde_defaults(chrono::Utc::now());
        settings.camera_ready_page_limit = 6;
        settings.format_blocking = vec!["anonymity".into(), "paper_size".into()];
        let rules = camera_ready_rules(&settings);
        assert_eq!(rules.mode, Mode::Final);
        assert_eq!(rules.page_limit, 6);
        assert!(rules.blocking.contains(&Code::PageLimit));
        assert!(rules.blocking.contains(&Code::PaperSize));
        assert!(!rules.blocking.contains(&Code::Anonymity));
        assert!(rules.blocking.contains(&Code::NotPdf));
    }
}
