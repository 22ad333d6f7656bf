//! The author's pages: "My submissions", the paper page with its versions and format report,
//! withdrawal and authorised downloads. The form itself lives in `form`, file vetting
//! in `web::paper_files`. Chairs reach the same paper pages; their list and actions live in
//! `chair::papers`; what only chairs or only released authors see there is in `web::views`.

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, web};
use askama::Template;

use super::create::create;
use super::form::{edit_form, new_form};
use super::update::update;
use super::withdraw::{ask, withdraw};
use crate::db::{self, DbError, audit, author_pages};
use crate::domain::conference::format_in_zone;
use crate::domain::decision::Decision;
use crate::domain::submission::Track;
use crate::policy;
use crate::web::error::AppError;
use crate::web::extract::PageCtx;
use crate::web::papers::{DocumentView, load_visible, rules_for, window};
use crate::web::views::paper_reviews::{PaperReviewsView, paper_reviews};
use crate::web::views::released::{ReleasedView, released_view};
use crate::web::{Layout, render};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/submissions", web::get().to(my_submissions))
        .route("/submissions/new", web::get().to(new_form))
        .route("/submissions/new", web::post().to(create))
        .route("/submissions/{number}", web::get().to(show))
        .route("/submissions/{number}/edit", web::get().to(edit_form))
        .route("/submissions/{number}/edit", web::post().to(update))
        .route("/submissions/{number}/withdraw", web::get().to(ask))
        .route("/submissions/{number}/withdraw", web::post().to(withdraw))
        .route(
            "/submissions/{number}/documents/{document}",
            web::get().to(download),
        );
}

/// One row of "My submissions".
struct PaperListItem {
    number: i32,
    title: String,
    track: &'static str,
    status: String,
    pages: String,
    verdict: String,
    /// The released decision in the authors' words; empty before release.
    decision: &'static str,
}

/// A released decision as its authors read it.
fn told_authors(d: Decision) -> &'static str {
    match d {
        Decision::Reject => "not accepted",
        Decision::Poster => "accepted (poster)",
        Decision::Spotlight => "accepted (spotlight)",
        Decision::Talk => "accepted (contributed talk)",
    }
}

#[derive(Template)]
#[template(path = "author/list.html")]
struct ListPage {
    layout: Layout,
    papers: Vec<PaperListItem>,
    can_submit: bool,
    closes: String,
    /// Whether any decision was released (the list then has a decision column).
    released: bool,
}

async fn my_submissions(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    let member = policy::perm_signed_in(&ctx.actor)?.clone();
    let email = member.email.clone();
    // Decisions are released to authors only with the conference's release (one
    // transaction writes both), so before it none is shown.
    let any_released = ctx.released_at.is_some();
    // From memory when this process read them at the viewer's version the session's query
    // returned.
    let stamp = ctx.viewer_stamp(email.as_str());
    let rows = match stamp.as_ref().and_then(|s| ctx.state.my_submissions.get(s)) {
        Some(rows) => rows,
        None => {
            let rows = db::run(&ctx.state.pool, move |c| {
                Ok::<_, DbError>(std::sync::Arc::new(author_pages::authored_papers(
                    c, &email,
                )?))
            })
            .await?;
            if let Some(stamp) = &stamp {
                ctx.state.my_submissions.keep(stamp, rows.clone());
            }
            rows
        }
    };
    let papers: Vec<PaperListItem> = rows
        .iter()
        .map(|p| PaperListItem {
            number: p.number,
            title: p.title.clone(),
            track: Track::parse(&p.track).unwrap_or(Track::Paper).label(),
            status: p.status.clone(),
            pages: p.pages.map(|n| n.to_string()).unwrap_or_default(),
            verdict: p.format_verdict.clone().unwrap_or_default(),
            decision: p.released.filter(|_| any_released).map_or("", told_authors),
        })
        .collect();
    let released = papers.iter().any(|p| !p.decision.is_empty());
    let can_submit =
        policy::perm_create_submission(&ctx.actor, &window(&ctx.settings, None, ctx.now)).is_ok();
    let closes = format_in_zone(ctx.settings.submissions_close_at(), ctx.settings.tz());
    render(&ListPage {
        layout: ctx.layout("My submissions"),
        released,
        papers,
        can_submit,
        closes,
    })
}

/// The paper page for its authors and the chairs.
#[derive(Template)]
#[template(path = "author/show.html")]
struct ShowPage {
    layout: Layout,
    reviews: Option<PaperReviewsView>,
    released: Option<ReleasedView>,
    camera_ready: Option<crate::web::author::camera_ready::CameraReadySection>,
    number: i32,
    title: String,
    track: &'static str,
    status: String,
    abstract_text: String,
    keywords: Vec<String>,
    authors: Vec<(String, String, String, bool)>,
    conflicts: Vec<String>,
    papers: Vec<DocumentView>,
    supplements: Vec<DocumentView>,
    /// What the reviewers' copy of the current version lacks, one sentence each.
    reviewer_copy: Vec<String>,
    can_edit: bool,
    is_chair: bool,
    locked_reason: String,
    submitted: String,
    unlocked_until: String,
    /// "Respond to the reviews (until …)" for authors once the response phase began.
    response_link: String,
    /// The paper's audit trail, for chairs: (when, what, details).
    history: Vec<(String, String, String)>,
}

/// What was removed from the reviewers' copy of the current PDF (the copy is made here if no
/// reviewer asked for it yet), for the people who see the original.
async fn reviewer_copy_lines(
    ctx: &PageCtx,
    paper: &crate::web::papers::LoadedPaper,
) -> Result<Vec<String>, AppError> {
    let Some(current) = paper.documents.iter().find(|d| d.kind == "paper") else {
        return Ok(Vec::new());
    };
    let found =
        crate::web::reviewer_copy::removals(&ctx.state, vec![current.sha256.clone()]).await?;
    Ok(match found.into_iter().next() {
        Some((_, Ok(removed))) if removed.is_empty() => {
            vec!["nothing: the file carried no metadata, actions or attachments.".into()]
        }
        Some((_, Ok(removed))) => removed.describe(),
        Some((_, Err(error))) => vec![format!(
            "no copy could be made ({error}), so reviewers cannot open this version. Upload a new PDF or contact the chairs."
        )],
        None => Vec::new(),
    })
}

async fn show(ctx: PageCtx, path: web::Path<i32>) -> Result<HttpResponse, AppError> {
    let paper = load_visible(&ctx, path.into_inner()).await?;
    let w = window(&ctx.settings, Some(&paper.row), ctx.now);
    let permission = policy::perm_edit_submission(&ctx.actor, paper.rights, &w);
    let tz = ctx.settings.tz();
    let track = paper.row.track();
    let rules = rules_for(track, &ctx.settings);
    let readable_only = track == Track::Published;
    let docs = |kind: &str| {
        paper
            .documents
            .iter()
            .filter(|d| d.kind == kind)
            .map(|d| DocumentView::new(d, &ctx.settings, &rules, readable_only))
            .collect()
    };
    let is_chair = policy::can_manage_submissions(&ctx.actor);
    let history = if is_chair {
        let subject = format!("#{}", paper.row.number);
        let rows = db::run(&ctx.state.pool, move |c| {
            Ok::<_, DbError>(audit::for_subject(c, &subject)?)
        })
        .await?;
        // A chair who wrote the paper does not learn its reviewers from the log.
        rows.into_iter()
            .filter(|a| !(paper.rights.is_author && policy::audit_names_reviewers(&a.action)))
            .map(|a| {
                (
                    format_in_zone(db::from_db(a.at), tz),
                    crate::web::views::audit::describe(&a.action),
                    a.details,
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let reviewer_copy = reviewer_copy_lines(&ctx, &paper).await?;
    let reviews = paper_reviews(&ctx, &paper).await?;
    let released = released_view(&ctx, &paper).await?;
    let camera_ready = crate::web::author::camera_ready::paper_section(&ctx, &paper).await?;
    let response_link = super::response::link_text(&ctx, paper.rights);
    let page = ShowPage {
        response_link,
        layout: ctx.layout(&format!("#{} {}", paper.row.number, paper.row.title)),
        reviews,
        released,
        camera_ready,
        number: paper.row.number,
        title: paper.row.title.clone(),
        track: paper.row.track().label(),
        status: paper.row.status.clone(),
        abstract_text: paper.row.abstract_text.clone(),
        keywords: paper.row.keywords(),
        authors: paper
            .authors
            .iter()
            .map(|a| {
                (
                    a.name.clone(),
                    a.email.clone(),
                    a.affiliation.clone(),
                    a.is_main,
                )
            })
            .collect(),
        conflicts: paper.row.declared_conflicts(),
        papers: docs("paper"),
        supplements: docs("supplement"),
        reviewer_copy,
        can_edit: permission.is_ok(),
        is_chair,
        locked_reason: permission.err().map(|d| d.to_string()).unwrap_or_default(),
        submitted: format_in_zone(db::from_db(paper.row.created_at), tz),
        history,
        unlocked_until: paper
            .row
            .unlocked_until()
            .map(|u| format_in_zone(u, tz))
            .unwrap_or_default(),
    };
    render(&page)
}

async fn download(ctx: PageCtx, path: web::Path<(i32, String)>) -> Result<HttpResponse, AppError> {
    let (number, document) = path.into_inner();
    let paper = load_visible(&ctx, number).await?;
    policy::perm_download_submission(&ctx.actor, paper.rights)?;
    let doc = paper
        .documents
        .iter()
        .find(|d| d.id == document)
        .ok_or(AppError::NotFound)?;
    let bytes = crate::web::papers::read_stored(&ctx.state.storage, doc).await?;
    let is_pdf = bytes.starts_with(b"%PDF");
    let stamp = db::from_db(doc.uploaded_at).format("%Y%m%d-%H%M%S");
    // The name carries the number, kind and time only: never a title or an author.
    let name = format!(
        "submission-{number}-{}-{stamp}.{}",
        doc.kind,
        if is_pdf { "pdf" } else { "zip" }
    );
    Ok(HttpResponse::Ok()
        .insert_header((
            header::CONTENT_TYPE,
            if is_pdf {
                "application/pdf"
            } else {
                "application/zip"
            },
        ))
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(name)],
        })
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}
