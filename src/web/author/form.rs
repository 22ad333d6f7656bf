//! The submission form: new submissions and edits, with their validation, stale-edit
//! detection, emails and audit entries.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::web::error::AppError;
use crate::web::extract::{PageCtx, set_flash};
use crate::web::paper_files::{
    document_row, paper_facts, read_checked_form, store, vet_paper, vet_supplement,
};
use crate::web::papers::{ReportView, load_visible, window};
use crate::web::upload::drain;
use crate::web::{Layout, render, render_status, see_other};
use crate::db::submissions::{self as subs, SubmissionRow};
use crate::db::{self, AnyConnection, DbError, audit, outbox, users};
use crate::domain::FieldErrors;
use crate::domain::conference::format_in_zone;
use crate::domain::ids::UserId;
use crate::domain::submission::{SubmissionDraft, SubmissionFields, Track};
use crate::mail::messages::{self};
use crate::policy;

/// The submission form, for a new paper or an edit.
#[derive(Template)]
#[template(path = "author/form.html")]
struct FormPage {
    layout: Layout,
    action: String,
    editing: bool,
    fields: SubmissionFields,
    rows: usize,
    errors: FieldErrors,
    topics: Vec<String>,
    tracks: Vec<(&'static str, &'static str, bool)>,
    creation_key: String,
    version: i32,
    report: Option<ReportView>,
    page_limit: u32,
    word_limit: u32,
    closes: String,
    max_pdf_mb: u64,
    changed: Vec<String>,
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

fn form_page(
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
async fn refuse_upload(ctx: &PageCtx, payload: Multipart, denied: policy::Denied) -> AppError {
    let limits = &ctx.state.config.uploads;
    drain(
        payload,
        limits.max_pdf_bytes + limits.max_supplement_bytes + 1024 * 1024,
    )
    .await;
    denied.into()
}

pub(super) async fn create(ctx: PageCtx, payload: Multipart) -> Result<HttpResponse, AppError> {
    let member = policy::perm_signed_in(&ctx.actor)?.clone();
    if let Err(denied) =
        policy::perm_create_submission(&ctx.actor, &window(&ctx.settings, None, ctx.now))
    {
        return Err(refuse_upload(&ctx, payload, denied).await);
    }
    let mut form = read_checked_form(&ctx, payload).await?;
    let creation_key: String = form
        .field("creation_key")
        .unwrap_or("")
        .chars()
        .take(64)
        .collect();
    if creation_key.len() < 16 {
        return Err(AppError::BadRequest(
            "The form is incomplete; reload the page and try again.".into(),
        ));
    }
    if let Some(existing) = existing_by_key(&ctx, &creation_key).await? {
        // A double click or a retry: the first request created it.
        return Ok(see_other(&format!("/submissions/{existing}")));
    }
    let fields = SubmissionFields::from_pairs(&form.fields);
    let mut errors = FieldErrors::new();
    let draft = fields.parse(&ctx.settings).map_err(|e| errors = e).ok();
    let mut report = None;
    let mut accepted = None;
    match (draft.as_ref(), form.paper.take()) {
        (_, None) if form.empty_files.iter().any(|f| f == "paper") => errors.add(
            "paper",
            "The upload was refused: the file is empty. Choose the PDF of your paper.",
        ),
        (_, None) => errors.add("paper", "Choose the PDF of your paper."),
        (Some(d), Some(file)) => {
            let (ok, shown) = vet_paper(&ctx, file, d, &mut errors).await?;
            accepted = ok;
            report = shown;
        }
        (None, Some(_)) => errors.add(
            "paper",
            "Correct the fields above, then choose the PDF again.",
        ),
    }
    let supplement_ok = match form.supplement.as_ref() {
        Some(f) => vet_supplement(f, &mut errors)?,
        None => true,
    };
    let (Some(draft), Some(pdf), true, true) = (draft, accepted, supplement_ok, errors.is_empty())
    else {
        let mut page = form_page(&ctx, None, fields, errors, 0);
        page.report = report.as_ref().map(ReportView::new);
        page.creation_key = creation_key;
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };

    let stored_pdf = store(&ctx, pdf.file).await?;
    let stored_supplement = match form.supplement {
        Some(f) => Some(store(&ctx, f).await?),
        None => None,
    };
    let now = ctx.now;
    let mail = ctx.state.mail_context(&ctx.settings.short_name);
    let settings = ctx.settings.clone();
    let key = creation_key.clone();
    let report = pdf.report;
    let result = db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            let id = uuid::Uuid::new_v4().to_string();
            let number = subs::insert(c, &id, &draft, &key, &member.id, now)?;
            subs::insert_document(
                c,
                &document_row(
                    &id,
                    "paper",
                    stored_pdf.sha256.clone(),
                    stored_pdf.size,
                    Some(&report),
                    &member.id,
                    now,
                ),
            )?;
            if let Some(s) = &stored_supplement {
                subs::insert_document(
                    c,
                    &document_row(
                        &id,
                        "supplement",
                        s.sha256.clone(),
                        s.size,
                        None,
                        &member.id,
                        now,
                    ),
                )?;
            }
            audit::record(
                c,
                Some(&member.id),
                "submission.create",
                &format!("#{number}"),
                &draft.title,
                now,
            )?;
            let facts = paper_facts(&id, number, &draft, &settings);
            for a in &draft.authors {
                outbox::enqueue(
                    c,
                    &messages::submission_receipt(&mail, &a.email, &a.name, &facts)?,
                    now,
                )?;
            }
            Ok::<_, AppError>(number)
        })
    })
    .await;
    let number = match result {
        Ok(n) => n,
        // Two identical requests raced; the other one won.
        Err(e) => match existing_by_key(&ctx, &creation_key).await? {
            Some(n) => n,
            None => return Err(e),
        },
    };
    set_flash(
        &ctx.session,
        &format!("Your paper is submitted as #{number}. Every author gets a receipt by email."),
    );
    Ok(see_other(&format!("/submissions/{number}")))
}

async fn existing_by_key(ctx: &PageCtx, key: &str) -> Result<Option<i32>, AppError> {
    let key = key.to_string();
    Ok(db::run(&ctx.state.pool, move |c| {
        Ok::<_, DbError>(subs::find_by_creation_key(c, &key)?.map(|r| r.number))
    })
    .await?)
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

/// Names the fields that differ between two versions, for the stale-edit message and emails.
fn describe_changes(before: &SubmissionDraft, after: &SubmissionDraft) -> Vec<String> {
    let mut changed = Vec::new();
    if before.track != after.track {
        changed.push("track".to_string());
    }
    if before.title != after.title {
        changed.push("title".to_string());
    }
    if before.abstract_text != after.abstract_text {
        changed.push("abstract".to_string());
    }
    if before.keywords != after.keywords {
        changed.push("keywords".to_string());
    }
    if before.authors != after.authors {
        changed.push("authors".to_string());
    }
    if before.declared_conflicts != after.declared_conflicts {
        changed.push("declared conflicts".to_string());
    }
    changed
}

/// Whether at least one listed author has a confirmed account.
fn someone_can_sign_in(c: &mut AnyConnection, draft: &SubmissionDraft) -> Result<bool, DbError> {
    for a in &draft.authors {
        if users::find_by_email(c, &a.email)?.is_some_and(|u| u.is_confirmed()) {
            return Ok(true);
        }
    }
    Ok(false)
}

pub(super) async fn update(
    ctx: PageCtx,
    path: web::Path<i32>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let member = policy::perm_signed_in(&ctx.actor)?.clone();
    let paper = load_visible(&ctx, path.into_inner()).await?;
    if let Err(denied) = policy::perm_edit_submission(
        &ctx.actor,
        paper.rights,
        &window(&ctx.settings, Some(&paper.row), ctx.now),
    ) {
        return Err(refuse_upload(&ctx, payload, denied).await);
    }
    let mut form = read_checked_form(&ctx, payload).await?;
    let before = paper.row.to_draft(&paper.authors);
    let fields = SubmissionFields::from_pairs(&form.fields);
    let expected_version: i32 = form
        .field("version")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(-1);
    let mut errors = FieldErrors::new();
    let draft = fields.parse(&ctx.settings).map_err(|e| errors = e).ok();
    if expected_version != paper.row.version {
        // Someone saved in between: show their version and what they changed; keep nothing silently.
        let current = SubmissionFields::from_draft(&before, &ctx.settings.topics);
        let mut page = form_page(
            &ctx,
            Some((&paper.row, paper.row.version)),
            current,
            FieldErrors::new(),
            0,
        );
        page.errors.add("version", "This submission changed since you opened it. The current version is shown below; make your changes again.");
        page.changed = draft
            .as_ref()
            .map(|d| describe_changes(d, &before))
            .unwrap_or_default();
        return render_status(StatusCode::CONFLICT, &page);
    }
    let mut report = None;
    let mut accepted = None;
    if let Some(file) = form.paper.take() {
        match draft.as_ref() {
            Some(d) => {
                let (ok, shown) = vet_paper(&ctx, file, d, &mut errors).await?;
                accepted = ok;
                report = shown;
            }
            None => errors.add(
                "paper",
                "Correct the fields above, then choose the PDF again.",
            ),
        }
    }
    let supplement_ok = match form.supplement.as_ref() {
        Some(f) => vet_supplement(f, &mut errors)?,
        None => true,
    };
    let Some(draft) = draft.filter(|_| errors.is_empty() && supplement_ok) else {
        let mut page = form_page(
            &ctx,
            Some((&paper.row, paper.row.version)),
            fields,
            errors,
            0,
        );
        page.report = report.as_ref().map(ReportView::new);
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let stored_pdf = match accepted {
        Some(pdf) => Some((store(&ctx, pdf.file).await?, pdf.report)),
        None => None,
    };
    let stored_supplement = match form.supplement {
        Some(f) => Some(store(&ctx, f).await?),
        None => None,
    };
    let mut what = describe_changes(&before, &draft);
    if stored_pdf.is_some() {
        what.push("new PDF".into());
    }
    if stored_supplement.is_some() {
        what.push("new supplementary file".into());
    }
    let now = ctx.now;
    let mail = ctx.state.mail_context(&ctx.settings.short_name);
    let settings = ctx.settings.clone();
    let row = paper.row.clone();
    let outcome = db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            if !someone_can_sign_in(c, &draft)? {
                return Ok::<_, AppError>(Err(
                    "At least one listed author must have an account on this site; keep yourself on the list or add a co-author who has one.",
                ));
            }
            if !subs::update(c, &row.id, &draft, expected_version, now)? {
                return Ok(Err("This submission changed since you opened it; reload the page and make your changes again."));
            }
            if let Some((pdf, report)) = &stored_pdf {
                subs::insert_document(c, &document_row(&row.id, "paper", pdf.sha256.clone(), pdf.size, Some(report), &member.id, now))?;
            }
            if let Some(s) = &stored_supplement {
                subs::insert_document(c, &document_row(&row.id, "supplement", s.sha256.clone(), s.size, None, &member.id, now))?;
            }
            if !what.is_empty() {
                let summary = what.join(", ");
                audit::record(c, Some(&member.id), "submission.update", &format!("#{}", row.number), &summary, now)?;
                let facts = paper_facts(&row.id, row.number, &draft, &settings);
                let period = now.timestamp() / 600;
                for a in &draft.authors {
                    outbox::enqueue(c, &messages::submission_updated(&mail, &a.email, &a.name, &facts, &summary, period)?, now)?;
                }
            }
            Ok(Ok(()))
        })
    })
    .await?;
    if let Err(message) = outcome {
        let mut page = form_page(
            &ctx,
            Some((&paper.row, paper.row.version)),
            fields,
            FieldErrors::new(),
            0,
        );
        page.errors.add("authors", message);
        return render_status(StatusCode::CONFLICT, &page);
    }
    set_flash(&ctx.session, "Your changes are saved.");
    Ok(see_other(&format!("/submissions/{}", paper.row.number)))
}
