//! Unsubscribing from the discussion digests through the link in each digest: no sign-in
//! needed (the link holds an unguessable token), a page that says what will happen, a button
//! that does it (a link alone never changes anything: mail scanners open links), and a way back.

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::{self, DbError, discussion as disc};
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx};
use crate::web::{Layout, render};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/discussion/unsubscribe/{token}", web::get().to(ask))
        .route("/discussion/unsubscribe/{token}", web::post().to(set));
}

#[derive(Template)]
#[template(path = "public/unsubscribe.html")]
struct Page {
    layout: Layout,
    token: String,
    unsubscribed: bool,
    conference: String,
}

async fn page(ctx: &PageCtx, token: String) -> Result<HttpResponse, AppError> {
    let lookup = token.clone();
    let row = db::run(&ctx.state.pool, move |c| {
        Ok::<_, DbError>(disc::digest_by_token(c, &lookup)?)
    })
    .await?
    .ok_or(AppError::NotFound)?;
    render(&Page {
        layout: ctx.layout("Discussion emails"),
        token,
        unsubscribed: row.unsubscribed,
        conference: ctx.settings.short_name.clone(),
    })
}

async fn ask(ctx: PageCtx, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    page(&ctx, path.into_inner()).await
}

#[derive(serde::Deserialize)]
struct Choice {
    /// "off" stops the digests, "on" starts them again.
    digests: String,
}

async fn set(
    ctx: PageCtx,
    path: web::Path<String>,
    CsrfForm(choice): CsrfForm<Choice>,
) -> Result<HttpResponse, AppError> {
    let token = path.into_inner();
    let off = match choice.digests.as_str() {
        "off" => true,
        "on" => false,
        _ => return Err(AppError::BadRequest("Unknown choice.".into())),
    };
    let lookup = token.clone();
    let found = db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            Ok::<_, DbError>(disc::set_unsubscribed(c, &lookup, off)?)
        })
    })
    .await?;
    if !found {
        return Err(AppError::NotFound);
    }
    page(&ctx, token).await
}
