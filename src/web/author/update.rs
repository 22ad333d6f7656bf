//! Editing a submission until the deadline: stale-edit detection (optimistic locking, with
//! the fields that changed named), new versions of the files, and an email to every author.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::form::{form_page, refuse_upload};
use crate::db::submissions::{self as subs};
use crate::db::{self, AnyConnection, DbError, audit, outbox, users};
use crate::domain::FieldErrors;
use crate::domain::submission::Track;
use crate::domain::submission::{SubmissionDraft, SubmissionFields};
use crate::mail::messages::{self};
use crate::policy;
use crate::web::error::AppError;
use crate::web::extract::{PageCtx, set_flash};
use crate::web::paper_files::{
    document_row, paper_facts, read_checked_form, store, vet_paper, vet_supplement,
};
use crate::web::papers::{load_visible, report_for_track, window};
use crate::web::{render_status, see_other};

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

/// The saved value of each field named in `changed`, as the form's conflict note shows it.
fn saved_values(saved: &SubmissionDraft, changed: &[String]) -> Vec<(String, String)> {
    changed
        .iter()
        .map(|field| {
            let value = match field.as_str() {
                "track" => saved.track.label().to_string(),
                "title" => saved.title.clone(),
                "abstract" => saved.abstract_text.clone(),
                "keywords" => saved.keywords.join(", "),
                "authors" => saved
                    .authors
                    .iter()
                    .map(|a| {
                        format!(
                            "{} <{}>, {}{}",
                            a.name,
                            a.email.as_str(),
                            a.affiliation,
                            if a.is_main { " (main author)" } else { "" }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
                _ => saved.declared_conflicts.join("\n"),
            };
            (field.clone(), value)
        })
        .collect()
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
    let track = draft.as_ref().map_or(Track::Paper, |d| d.track);
    if expected_version != paper.row.version {
        // Someone saved in between. Nothing is lost: this person's values stay in the form
        // (now against the current version, so saving again is a deliberate overwrite), and
        // the saved values of the fields that differ are shown beside them.
        let chose_pdf = form.paper.is_some() || form.supplement.is_some();
        let changed = draft
            .as_ref()
            .map(|d| describe_changes(d, &before))
            .unwrap_or_default();
        let mut page = form_page(
            &ctx,
            Some((&paper.row, paper.row.version)),
            fields,
            FieldErrors::new(),
            0,
        );
        page.errors.add(
            "version",
            format!(
                "Someone else saved this submission after you opened it, so nothing was saved yet. Your changes are kept in the form below; compare them with the saved values and save again.{}",
                if chose_pdf { " Choose your files again: uploads are not kept." } else { "" }
            ),
        );
        page.theirs = saved_values(&before, &changed);
        page.changed = changed;
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
        page.report = report
            .as_ref()
            .map(|r| report_for_track(r, track, &ctx.settings));
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
                let mails = draft
                    .authors
                    .iter()
                    .map(|a| messages::submission_updated(&mail, &a.email, &a.name, &facts, &summary, period))
                    .collect::<Result<Vec<_>, _>>()?;
                outbox::enqueue_all(c, &mails, now)?;
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
