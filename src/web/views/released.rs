//! What an author sees of a released decision on their paper's page: the decision, the
//! presentation, and the reviews in author view (labels, no reviewer identity, no
//! confidential comment). Nothing before release, nothing for anyone but the authors.

use crate::db::decisions::{self as dec, DecisionRow};
use crate::db::{self, DbError, reviews};
use crate::domain::review::ReviewFormSpec;
use crate::policy;
use crate::web::error::AppError;
use crate::web::extract::PageCtx;
use crate::web::papers::LoadedPaper;
use crate::web::views::reviews::{ShownReview, shown};

/// What the authors see once their paper's decision is released.
pub struct ReleasedView {
    pub decision: String,
    pub presentation: String,
    pub accepted: bool,
    pub reviews: Vec<ShownReview>,
    /// The chairs' meta-review (summary, recommendation), when the settings show it.
    pub meta_review: Option<(String, String)>,
}

/// The released decision and the reviews in author view (labels, no reviewer identity, no
/// confidential comment) for an author of `paper`; `None` for anyone else or before release.
pub async fn released_view(
    ctx: &PageCtx,
    paper: &LoadedPaper,
) -> Result<Option<ReleasedView>, AppError> {
    // Before the conference's release no paper's decision is released (one transaction
    // writes both), so there is nothing to load.
    if !paper.rights.is_author || ctx.released_at.is_none() {
        return Ok(None);
    }
    let id = paper.row.id.clone();
    let (decision, assigned, all, meta) = db::run(&ctx.state.pool, move |c| {
        Ok::<_, DbError>((
            dec::find(c, &id)?,
            crate::db::assignments::reviewers_of(c, &id)?,
            reviews::for_submission(c, &id)?,
            crate::db::discussion::meta_review_of(c, &id)?,
        ))
    })
    .await?;
    let Some(told) = decision.as_ref().and_then(DecisionRow::released) else {
        return Ok(None);
    };
    policy::perm_view_released(&ctx.actor, paper.rights, true)?;
    let spec = ReviewFormSpec::neurips();
    let reviews = assigned
        .iter()
        .enumerate()
        .filter_map(|(i, email)| {
            let r = all
                .iter()
                .find(|r| r.reviewer_email == *email && r.is_submitted())?;
            Some(shown(&spec, ctx.settings.reviewer_labels.label(i), r))
        })
        .collect();
    Ok(Some(ReleasedView {
        decision: if told.is_accept() {
            "Accepted"
        } else {
            "Not accepted"
        }
        .to_string(),
        presentation: told.presentation().to_string(),
        accepted: told.is_accept(),
        reviews,
        meta_review: meta
            .filter(|_| {
                policy::meta_review_shown_to_authors(
                    true,
                    ctx.settings.discussion.meta_review_to_authors,
                )
            })
            .map(|m| {
                let rec = crate::domain::decision::Decision::parse(&m.recommendation)
                    .map_or("", crate::domain::decision::Decision::label);
                (m.summary, rec.to_string())
            }),
    }))
}
