//! The open preview's papers with their proposed reviewers, 100 per page
//! (`/chair/assignment/proposed?page=N`); the assignment page shows the first page with the
//! statistics. Template: `templates/chair/assignment_proposed.html`.

use actix_web::{HttpResponse, web};
use askama::Template;

use super::preview::load;
use super::view::{PreviewView, preview_page};
use crate::policy;
use crate::web::error::AppError;
use crate::web::extract::PageCtx;
use crate::web::views::paging::page_number;
use crate::web::{Layout, render, see_other};

#[derive(Template)]
#[template(path = "chair/assignment_proposed.html")]
struct ProposedPage {
    layout: Layout,
    p: PreviewView,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct PageQuery {
    page: String,
}

/// One page of the open preview's papers; without a preview, back to the assignment page.
pub(super) async fn proposed(
    ctx: PageCtx,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    policy::perm_manage_conference(&ctx.actor)?;
    let (data, preview) = load(&ctx).await?;
    let Some(preview) = preview else {
        return Ok(see_other("/chair/assignment"));
    };
    let p = preview_page(&data, &preview, &ctx.actor, page_number(&query.page));
    render(&ProposedPage {
        layout: ctx.layout("Proposed reviewers"),
        p,
    })
}
