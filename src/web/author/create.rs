//! Submitting a new paper: the multipart form read and vetted (format check, supplement),
//! the files stored, the submission with its authors written in one transaction with a
//! receipt email to every author; a repeated post (double click, retry) finds the first.

use actix_multipart::Multipart;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;

use super::form::{form_page, refuse_upload};
use crate::db::submissions::{self as subs};
use crate::db::{self, DbError, audit, outbox};
use crate::domain::FieldErrors;
use crate::domain::submission::SubmissionFields;
use crate::domain::submission::Track;
use crate::mail::messages::{self};
use crate::policy;
use crate::web::error::AppError;
use crate::web::extract::{PageCtx, set_flash};
use crate::web::paper_files::{
    document_row, paper_facts, read_checked_form, store, vet_paper, vet_supplement,
};
use crate::web::papers::{report_for_track, window};
use crate::web::{render_status, see_other};

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
    let track = draft.as_ref().map_or(Track::Paper, |d| d.track);
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
        page.report = report
            .as_ref()
            .map(|r| report_for_track(r, track, &ctx.settings));
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
            let paper = document_row(
                &id,
                "paper",
                stored_pdf.sha256.clone(),
                stored_pdf.size,
                Some(&report),
                &member.id,
                now,
            );
            let number = subs::insert_with_paper(c, &id, &draft, &key, &member.id, now, &paper)?;
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
            let receipts = draft
                .authors
                .iter()
                .map(|a| messages::submission_receipt(&mail, &a.email, &a.name, &facts))
                .collect::<Result<Vec<_>, _>>()?;
            outbox::enqueue_all(c, &receipts, now)?;
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
