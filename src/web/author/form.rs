//! The submission form page, for a new paper or an edit, re-rendered with the author's values
//! and per-field errors; saving it is `create` (new) and `update` (edit).

use actix_multipart::Multipart;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::submissions::SubmissionRow;
use crate::db::{self, DbError, users};
use crate::domain::FieldErrors;
use crate::domain::conference::format_in_zone;
use crate::domain::ids::UserId;
use crate::domain::submission::{SubmissionFields, Track};
use crate::policy;
use crate::web::error::AppError;
use crate::web::extract::PageCtx;
use crate::web::papers::{ReportView, load_visible, window};
use crate::web::upload::drain;
use crate::web::{Layout, render};

/// The submission form, for a new paper or an edit.
#[derive(Template)]
#[template(path = "author/form.html")]
pub(super) struct FormPage {
    pub(super) layout: Layout,
    pub(super) action: String,
    pub(super) editing: bool,
    pub(super) fields: SubmissionFields,
    pub(super) rows: usize,
    pub(super) errors: FieldErrors,
    pub(super) topics: Vec<String>,
    pub(super) tracks: Vec<(&'static str, &'static str, bool)>,
    pub(super) creation_key: String,
    pub(super) version: i32,
    pub(super) report: Option<ReportView>,
    pub(super) page_limit: u32,
    pub(super) word_limit: u32,
    pub(super) closes: String,
    pub(super) max_pdf_mb: u64,
    pub(super) changed: Vec<String>,
    /// After an edit conflict: (field, saved value) of each field that differs.
    pub(super) theirs: Vec<(String, String)>,
}

impl FormPage {
    fn author_value(&self, i: &usize, part: &str) -> String {
        let a = self.fields.authors.get(*i);
        match (a, part) {
            (Some(a), "name") => a.name.clone(),
            (Some(a), "email") => a.email.clone(),
            (Some(a), "affiliation") => a.affiliation.clone(),
            _ => String::new(),
        }
    }

    fn author_error(&self, i: &usize, part: &str) -> Option<String> {
        self.errors
            .get(&format!("author_{i}_{part}"))
            .map(str::to_string)
    }

    fn is_main(&self, i: &usize) -> bool {
        self.fields.main.trim() == i.to_string()
    }

    fn topic_checked(&self, topic: &str) -> bool {
        self.fields.topics.iter().any(|t| t == topic)
    }
}

#[derive(serde::Deserialize)]
pub(super) struct RowsQuery {
    rows: Option<usize>,
}

pub(super) fn form_page(
    ctx: &PageCtx,
    editing: Option<(&SubmissionRow, i32)>,
    fields: SubmissionFields,
    errors: FieldErrors,
    rows: usize,
) -> FormPage {
    let s = &ctx.settings;
    let rows = rows
        .max(fields.authors.len() + 2)
        .clamp(4, crate::domain::submission::MAX_AUTHORS);
    let tracks = Track::ALL
        .iter()
        .map(|t| (t.as_str(), t.label(), t.is_open(s)))
        .collect();
    let (action, title, version) = match editing {
        Some((row, version)) => (
            format!("/submissions/{}/edit", row.number),
            format!("Edit submission #{}", row.number),
            version,
        ),
        None => (
            "/submissions/new".to_string(),
            "New submission".to_string(),
            0,
        ),
    };
    FormPage {
        layout: ctx.layout(&title),
        action,
        editing: editing.is_some(),
        fields,
        rows,
        errors,
        topics: s.topics.clone(),
        tracks,
        creation_key: crate::auth::new_token().0,
        version,
        report: None,
        page_limit: s.page_limit,
        word_limit: s.abstract_word_limit,
        closes: format_in_zone(s.submissions_close_at(), s.tz()),
        max_pdf_mb: ctx.state.config.uploads.max_pdf_bytes / (1024 * 1024),
        changed: Vec::new(),
        theirs: Vec::new(),
    }
}

pub(super) async fn new_form(
    ctx: PageCtx,
    query: web::Query<RowsQuery>,
) -> Result<HttpResponse, AppError> {
    policy::perm_create_submission(&ctx.actor, &window(&ctx.settings, None, ctx.now))?;
    let member = policy::perm_signed_in(&ctx.actor)?.clone();
    let me = users_row(&ctx, &member.id).await?;
    let mut fields = SubmissionFields {
        track: Track::Paper.as_str().into(),
        main: "0".into(),
        ..SubmissionFields::default()
    };
    if let Some(me) = me {
        fields.authors.push(crate::domain::submission::RawAuthor {
            name: me.name,
            email: me.email,
            affiliation: me.affiliation,
        });
    }
    render(&form_page(
        &ctx,
        None,
        fields,
        FieldErrors::new(),
        query.rows.unwrap_or(6),
    ))
}

async fn users_row(ctx: &PageCtx, id: &UserId) -> Result<Option<users::UserRow>, AppError> {
    let id = id.clone();
    Ok(db::run(&ctx.state.pool, move |c| {
        Ok::<_, DbError>(users::find(c, &id)?)
    })
    .await?)
}

/// Refuses with `denied` after reading the body, so the author sees why.
pub(super) async fn refuse_upload(
    ctx: &PageCtx,
    payload: Multipart,
    denied: policy::Denied,
) -> AppError {
    let limits = &ctx.state.config.uploads;
    drain(
        payload,
        limits.max_pdf_bytes + limits.max_supplement_bytes + 1024 * 1024,
    )
    .await;
    denied.into()
}

pub(super) async fn edit_form(
    ctx: PageCtx,
    path: web::Path<i32>,
    query: web::Query<RowsQuery>,
) -> Result<HttpResponse, AppError> {
    let paper = load_visible(&ctx, path.into_inner()).await?;
    policy::perm_edit_submission(
        &ctx.actor,
        paper.rights,
        &window(&ctx.settings, Some(&paper.row), ctx.now),
    )?;
    let fields =
        SubmissionFields::from_draft(&paper.row.to_draft(&paper.authors), &ctx.settings.topics);
    render(&form_page(
        &ctx,
        Some((&paper.row, paper.row.version)),
        fields,
        FieldErrors::new(),
        query.rows.unwrap_or(0),
    ))
}
