//! Withdrawing and reinstating a paper, shared by the author's "Withdraw" button and the
//! chairs' list: the status change, its audit entry and, for a withdrawal, an email to every
//! author, in one transaction. Who may do it is asked by the callers.

use crate::db::{self, audit, outbox, submissions as subs};
use crate::domain::ids::UserId;
use crate::domain::submission::SubmissionStatus;
use crate::mail::messages::{self, MailContext};
use crate::web::error::AppError;
use crate::web::extract::PageCtx;
use crate::web::paper_files::paper_facts;
use crate::web::papers::LoadedPaper;

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
