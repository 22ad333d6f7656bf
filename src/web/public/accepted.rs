//! "Accepted papers": the public list (HTML, JSON, CSV) of papers accepted by their released
//! decision, and each one's camera-ready PDF (never a submission PDF).

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Serialize;

use super::get_or_head;
use super::published::{Visitor, cached, load_public, pdf_path};
use crate::web::csv::csv_safe;
use crate::web::error::AppError;
use crate::web::{AppState, Layout};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/accepted", get_or_head().to(accepted_page))
        .route("/accepted.json", get_or_head().to(accepted_json))
        .route("/accepted.csv", get_or_head().to(accepted_csv))
        .route("/accepted/{number}.pdf", web::get().to(camera_ready_pdf));
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

async fn accepted_page(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let visitor = Visitor::of(&req).await?;
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
    visitor.render(&AcceptedPage {
        layout: visitor.layout("Accepted papers", &data),
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
pub(super) async fn camera_ready_pdf(
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
