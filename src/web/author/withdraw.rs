//! Withdrawing one's own submission, in two explicit steps: the paper page links to a page
//! that says what will happen (not reviewed, every author emailed, only chairs can undo) and
//! asks; only its "Yes, withdraw" button (a form carrying `confirm=withdraw`) withdraws. A
//! post without that confirmation changes nothing and shows the question again. The chairs'
//! withdraw and reinstate live in `chair::papers`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::domain::submission::SubmissionStatus;
use crate::policy;
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, set_flash};
use crate::web::paper_status::set_status;
use crate::web::papers::{LoadedPaper, load_visible, window};
use crate::web::{Layout, render_status, see_other};

/// The value of `confirm` that the confirmation page's button sends.
const CONFIRMED: &str = "withdraw";

#[derive(Template)]
#[template(path = "author/withdraw.html")]
struct ConfirmPage {
    layout: Layout,
    number: i32,
    title: String,
    /// "Name <email>" of every author, who are all emailed.
    authors: Vec<String>,
    error: String,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct WithdrawForm {
    confirm: String,
}

/// The paper, if the viewer may withdraw it now (its author, before the deadline).
async fn withdrawable(ctx: &PageCtx, number: i32) -> Result<LoadedPaper, AppError> {
    let paper = load_visible(ctx, number).await?;
    policy::perm_edit_submission(
        &ctx.actor,
        paper.rights,
        &window(&ctx.settings, Some(&paper.row), ctx.now),
    )?;
    Ok(paper)
}

fn confirm_page(
    ctx: &PageCtx,
    paper: &LoadedPaper,
    status: StatusCode,
    error: &str,
) -> Result<HttpResponse, AppError> {
    render_status(
        status,
        &ConfirmPage {
            layout: ctx.layout(&format!("Withdraw #{}?", paper.row.number)),
            number: paper.row.number,
            title: paper.row.title.clone(),
            authors: paper
                .authors
                .iter()
                .map(|a| format!("{} <{}>", a.name, a.email))
                .collect(),
            error: error.to_string(),
        },
    )
}

/// GET: what withdrawing means, and the button that does it.
pub(super) async fn ask(ctx: PageCtx, path: web::Path<i32>) -> Result<HttpResponse, AppError> {
    let paper = withdrawable(&ctx, path.into_inner()).await?;
    confirm_page(&ctx, &paper, StatusCode::OK, "")
}

/// POST: withdraws only with the confirmation page's `confirm=withdraw`.
pub(super) async fn withdraw(
    ctx: PageCtx,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<WithdrawForm>,
) -> Result<HttpResponse, AppError> {
    let member = policy::perm_signed_in(&ctx.actor)?.clone();
    let paper = withdrawable(&ctx, path.into_inner()).await?;
    if form.confirm != CONFIRMED {
        return confirm_page(
            &ctx,
            &paper,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Nothing was withdrawn: confirm with the button below.",
        );
    }
    if paper.row.status() != SubmissionStatus::Withdrawn {
        set_status(&ctx, &paper, &member.id, SubmissionStatus::Withdrawn, false).await?;
    }
    set_flash(
        &ctx.session,
        &format!(
            "Submission #{} is withdrawn. Every author was emailed; only the chairs can reinstate it.",
            paper.row.number
        ),
    );
    Ok(see_other(&format!("/submissions/{}", paper.row.number)))
}
