//! The author's pages: "My submissions", the submission form (new and edit), the paper page
//! with its versions and format report, withdrawal and authorised downloads. Chairs reach the
//! same paper pages; their list and actions live in `chair_papers`.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{DateTime, Utc};

use super::error::AppError;
use super::extract::{CsrfForm, NoFields, PageCtx, set_flash};
use super::papers::{
    DocumentView, LoadedPaper, ReportView, check_pdf, load_visible, rules_for, window,
};
use super::upload::{UploadedForm, describe_non_pdf, drain, read_form};
use super::{Layout, render, render_status, see_other};
use crate::auth::constant_time_eq;
use crate::db::submissions::{self as subs, NewDocument, SubmissionRow};
use crate::db::{self, AnyConnection, DbError, audit, outbox, users};
use crate::domain::FieldErrors;
use crate::domain::account::Email;
use crate::domain::conference::{ConferenceSettings, format_in_zone};
use crate::domain::ids::UserId;
use crate::domain::submission::{SubmissionDraft, SubmissionFields, SubmissionStatus, Track};
use crate::format_check::FormatReport;
use crate::mail::messages::{self, MailContext, PaperMailFacts};
use crate::policy;
use crate::storage::PendingFile;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/submissions", web::get().to(my_submissions))
        .route("/submissions/new", web::get().to(new_form))
        .route("/submissions/new", web::post().to(create))
        .route("/submissions/{number}", web::get().to(show))
        .route("/submissions/{number}/edit", web::get().to(edit_form))
        .route("/submissions/{number}/edit", web::post().to(update))
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
}

#[derive(Template)]
#[template(path = "author/list.html")]
struct ListPage {
    layout: Layout,
    papers: Vec<PaperListItem>,
    can_submit: bool,
    closes: String,
}

async fn my_submissions(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    let member = policy::perm_signed_in(&ctx.actor)?.clone();
    let email = member.email.clone();
    let (rows, latest) = db::run(&ctx.state.pool, move |c| {
        Ok::<_, DbError>((
            subs::for_author_email(c, &email)?,
            subs::latest_documents(c, "paper")?,
        ))
    })
    .await?;
    let papers = rows
        .iter()
        .map(|r| {
            let doc = latest.iter().find(|d| d.submission_id == r.id);
            PaperListItem {
                number: r.number,
                title: r.title.clone(),
                track: r.track().label(),
                status: r.status.clone(),
                pages: doc
                    .and_then(|d| d.pages)
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
                verdict: doc
                    .and_then(|d| d.format_verdict.clone())
                    .unwrap_or_default(),
            }
        })
        .collect();
    let can_submit =
        policy::perm_create_submission(&ctx.actor, &window(&ctx.settings, None, ctx.now)).is_ok();
    let closes = format_in_zone(ctx.settings.submissions_close_at(), ctx.settings.tz());
    render(&ListPage {
        layout: ctx.layout("My submissions"),
        papers,
        can_submit,
        closes,
    })
}

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
struct RowsQuery {
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

async fn new_form(ctx: PageCtx, query: web::Query<RowsQuery>) -> Result<HttpResponse, AppError> {
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

/// Reads a submission form within the upload limits, refusing it without this session's
/// CSRF token.
async fn read_checked_form(ctx: &PageCtx, payload: Multipart) -> Result<UploadedForm, AppError> {
    let limits = &ctx.state.config.uploads;
    let form = read_form(
        payload,
        &ctx.state.storage,
        limits.max_pdf_bytes,
        limits.max_supplement_bytes,
    )
    .await?;
    check_csrf(ctx, &form)?;
    Ok(form)
}

/// Refuses a multipart form whose CSRF field does not match the session.
fn check_csrf(ctx: &PageCtx, form: &UploadedForm) -> Result<(), AppError> {
    let sent = form.field("csrf").unwrap_or("");
    if sent.is_empty() || !constant_time_eq(sent.as_bytes(), ctx.csrf.as_bytes()) {
        return Err(AppError::Forbidden(
            "This form has expired or did not come from this site. Go back, reload the page and try again.".into(),
        ));
    }
    Ok(())
}

/// A checked and accepted PDF, ready to be moved into the store.
struct AcceptedPdf {
    file: PendingFile,
    report: FormatReport,
}

/// Checks an uploaded paper: a PDF, and no blocking format violation. On refusal, the
/// message goes into `errors` beside the file field and the report is returned for display.
async fn vet_paper(
    ctx: &PageCtx,
    file: PendingFile,
    draft: &SubmissionDraft,
    errors: &mut FieldErrors,
) -> Result<(Option<AcceptedPdf>, Option<FormatReport>), AppError> {
    if let Some(what) = describe_non_pdf(file.head()) {
        errors.add(
            "paper",
            format!("The upload was refused: {what}. Upload your paper as a PDF."),
        );
        return Ok((None, None));
    }
    let (file, bytes) = web::block(move || {
        let mut file = file;
        file.read_all().map(|bytes| (file, bytes))
    })
    .await
    .map_err(|e| AppError::Unexpected(anyhow::anyhow!("read task: {e}")))?
    .map_err(|e| AppError::Unexpected(e.into()))?;
    let rules = rules_for(draft.track, &ctx.settings);
    let blocking = rules.blocking.clone();
    let report = check_pdf(&ctx.state, bytes, rules, &draft.authors).await?;
    if report.blocks_upload(&blocking) {
        errors.add(
            "paper",
            "The PDF was refused: see the format report below. Nothing was saved.",
        );
        return Ok((None, Some(report)));
    }
    Ok((
        Some(AcceptedPdf {
            file,
            report: report.clone(),
        }),
        Some(report),
    ))
}

/// Moves an accepted upload into the content-addressed store, off the async executor.
async fn store(ctx: &PageCtx, file: PendingFile) -> Result<crate::storage::StoredFile, AppError> {
    let storage = ctx.state.storage.clone();
    web::block(move || storage.commit(file))
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("store task: {e}")))?
        .map_err(|e| AppError::Unexpected(e.into()))
}

fn vet_supplement(file: &PendingFile, errors: &mut FieldErrors) -> Result<bool, AppError> {
    let head = file.head();
    if head.starts_with(b"%PDF-") || head.starts_with(b"PK\x03\x04") {
        return Ok(true);
    }
    errors.add(
        "supplement",
        "The supplementary file must be a PDF or a ZIP archive.",
    );
    Ok(false)
}

fn paper_facts(
    row_id: &str,
    number: i32,
    draft: &SubmissionDraft,
    settings: &ConferenceSettings,
) -> PaperMailFacts {
    PaperMailFacts {
        submission_id: row_id.to_string(),
        number,
        title: draft.title.clone(),
        track: draft.track.label().to_string(),
        deadline: format_in_zone(settings.dates.submission_deadline, settings.tz()),
    }
}

fn document_row(
    submission_id: &str,
    kind: &str,
    sha256: String,
    size: u64,
    report: Option<&FormatReport>,
    by: &UserId,
    now: DateTime<Utc>,
) -> NewDocument {
    NewDocument {
        id: uuid::Uuid::new_v4().to_string(),
        submission_id: submission_id.to_string(),
        kind: kind.to_string(),
        sha256,
        size_bytes: i64::try_from(size).unwrap_or(i64::MAX),
        pages: report
            .and_then(|r| r.total_pages)
            .and_then(|p| i32::try_from(p).ok()),
        format_verdict: report.map(|r| verdict_name(r.verdict).to_string()),
        format_report: report.and_then(|r| serde_json::to_string(r).ok()),
        uploaded_at: db::to_db(now),
        uploaded_by: by.to_string(),
    }
}

/// The stored name of a verdict.
pub fn verdict_name(v: crate::format_check::Verdict) -> &'static str {
    match v {
        crate::format_check::Verdict::Pass => "pass",
        crate::format_check::Verdict::Fail => "fail",
        crate::format_check::Verdict::Reject => "reject",
    }
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

async fn create(ctx: PageCtx, payload: Multipart) -> Result<HttpResponse, AppError> {
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

/// The paper page for its authors and the chairs.
#[derive(Template)]
#[template(path = "author/show.html")]
struct ShowPage {
    layout: Layout,
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
    can_edit: bool,
    is_chair: bool,
    locked_reason: String,
    submitted: String,
    unlocked_until: String,
    /// The paper's audit trail, for chairs: (when, what, details).
    history: Vec<(String, String, String)>,
}

async fn show(ctx: PageCtx, path: web::Path<i32>) -> Result<HttpResponse, AppError> {
    let paper = load_visible(&ctx, path.into_inner()).await?;
    let w = window(&ctx.settings, Some(&paper.row), ctx.now);
    let permission = policy::perm_edit_submission(&ctx.actor, paper.rights, &w);
    let tz = ctx.settings.tz();
    let docs = |kind: &str| {
        paper
            .documents
            .iter()
            .filter(|d| d.kind == kind)
            .map(|d| DocumentView::new(d, &ctx.settings))
            .collect()
    };
    let is_chair = policy::can_manage_submissions(&ctx.actor);
    let history = if is_chair {
        let subject = format!("#{}", paper.row.number);
        let rows = db::run(&ctx.state.pool, move |c| {
            Ok::<_, DbError>(audit::for_subject(c, &subject)?)
        })
        .await?;
        rows.into_iter()
            .map(|a| (format_in_zone(db::from_db(a.at), tz), a.action, a.details))
            .collect()
    } else {
        Vec::new()
    };
    let page = ShowPage {
        layout: ctx.layout(&format!("#{} {}", paper.row.number, paper.row.title)),
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

async fn edit_form(
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

async fn update(
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

async fn withdraw(
    ctx: PageCtx,
    path: web::Path<i32>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let member = policy::perm_signed_in(&ctx.actor)?.clone();
    let paper = load_visible(&ctx, path.into_inner()).await?;
    policy::perm_edit_submission(
        &ctx.actor,
        paper.rights,
        &window(&ctx.settings, Some(&paper.row), ctx.now),
    )?;
    set_status(&ctx, &paper, &member.id, SubmissionStatus::Withdrawn, false).await?;
    set_flash(
        &ctx.session,
        &format!("Submission #{} is withdrawn.", paper.row.number),
    );
    Ok(see_other(&format!("/submissions/{}", paper.row.number)))
}

/// Withdraws or reinstates a paper, with its audit entry and (for withdrawals) emails.
pub async fn set_status(
    ctx: &PageCtx,
    paper: &LoadedPaper,
    by: &UserId,
    status: SubmissionStatus,
    by_chair: bool,
) -> Result<(), AppError> {
    let now = ctx.now;
    let mail: MailContext = ctx.state.mail_context(&ctx.settings.short_name);
    let settings = ctx.settings.clone();
    let row = paper.row.clone();
    let draft = paper.row.to_draft(&paper.authors);
    let by = by.clone();
    db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            subs::set_status(c, &row.id, status, now)?;
            let action = if status == SubmissionStatus::Withdrawn {
                "submission.withdraw"
            } else {
                "submission.reinstate"
            };
            audit::record(
                c,
                Some(&by),
                action,
                &format!("#{}", row.number),
                if by_chair {
                    "by a chair"
                } else {
                    "by an author"
                },
                now,
            )?;
            if status == SubmissionStatus::Withdrawn {
                let facts = paper_facts(&row.id, row.number, &draft, &settings);
                for a in &draft.authors {
                    outbox::enqueue(
                        c,
                        &messages::submission_withdrawn(
                            &mail,
                            &a.email,
                            &a.name,
                            &facts,
                            by_chair,
                            row.version,
                        )?,
                        now,
                    )?;
                }
            }
            Ok::<_, AppError>(())
        })
    })
    .await
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
    let storage = ctx.state.storage.clone();
    let sha = doc.sha256.clone();
    let bytes = web::block(move || storage.read(&sha))
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("read task: {e}")))?
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("stored file {}: {e}", doc.id)))?;
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

/// Used by the chair pages.
pub fn email_of(s: &str) -> Option<Email> {
    Email::parse(s).ok()
}
