//! Manual changes to the open preview: adding a reviewer to a paper (authorship refused;
//! other conflicts, a load above the maximum or reviews above the target need "add anyway")
//! and removing one. Both refuse a preview that another chair committed or replaced.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;

use super::preview::{ProposedPair, open_preview};
use super::run::show;
use crate::db::assignments as asg;
use crate::db::{self, DbError};
use crate::domain::pool::{ConflictKind, pair_conflicts};
use crate::policy;
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, set_flash};
use crate::web::see_other;

#[derive(Debug, serde::Deserialize)]
pub(super) struct PairForm {
    run: String,
    number: String,
    email: String,
    #[serde(default)]
    confirm: Option<String>,
}

async fn save_pairs(ctx: &PageCtx, run: &str, pairs: &[ProposedPair]) -> Result<(), AppError> {
    let json = serde_json::to_string(pairs).map_err(|e| AppError::Unexpected(e.into()))?;
    let run = run.to_string();
    let saved = db::run(&ctx.state.pool, move |c| {
        Ok::<_, DbError>(asg::set_preview_pairs(c, &run, &json)?)
    })
    .await?;
    if saved {
        Ok(())
    } else {
        Err(AppError::Conflict(
            "This preview was committed or discarded meanwhile. Reload the assignment page.".into(),
        ))
    }
}

pub(super) async fn add(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<PairForm>,
) -> Result<HttpResponse, AppError> {
    policy::perm_manage_conference(&ctx.actor)?;
    let (data, mut preview) = open_preview(&ctx, &form.run).await?;
    let email = form.email.trim().to_lowercase();
    let number: Option<i32> = form.number.trim().trim_start_matches('#').parse().ok();
    let Some(p) = number.and_then(|n| data.paper_by_number(n)) else {
        return show(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            vec![format!(
                "There is no active submission #{}.",
                form.number.trim()
            )],
            None,
        )
        .await;
    };
    let Some(r) = data
        .reviewer_by_email(&email)
        .filter(|&r| data.pool[r].active)
    else {
        return show(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            vec![format!(
                "{email} is not an active reviewer: add them on the reviewers page first."
            )],
            None,
        )
        .await;
    };
    let paper = &data.papers[p];
    let reviewer = &data.pool[r];
    if preview
        .pairs
        .iter()
        .any(|x| x.number == paper.number && x.email == email)
    {
        return show(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            vec![format!(
                "{} already reviews #{} in this preview.",
                reviewer.person.name, paper.number
            )],
            None,
        )
        .await;
    }
    let bid = data.bids.iter().find(|b| b.0 == p && b.1 == r).map(|b| b.2);
    let entered = data
        .entered
        .iter()
        .find(|e| e.paper == p && e.reviewer == r);
    let conflicts = pair_conflicts(paper, reviewer, bid, entered);
    if conflicts.iter().any(|c| c.0 == ConflictKind::Author) {
        return show(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            vec![format!(
                "{} is an author of #{}: authors never review their own paper.",
                reviewer.person.name, paper.number
            )],
            None,
        )
        .await;
    }
    let mut warnings: Vec<String> = conflicts
        .iter()
        .map(|(kind, detail)| format!("Conflict ({}): {detail}.", kind.label()))
        .collect();
    let load = preview.pairs.iter().filter(|x| x.email == email).count() as u32;
    let max = reviewer.max_load.unwrap_or(preview.meta.params.max_load);
    if load + 1 > max {
        warnings.push(format!(
            "{} would review {} papers, above the maximum of {max}.",
            reviewer.person.name,
            load + 1
        ));
    }
    let reviews = preview
        .pairs
        .iter()
        .filter(|x| x.number == paper.number)
        .count() as u32;
    let needed = match paper.track {
        crate::domain::submission::Track::Paper => preview.meta.params.reviews_per_paper,
        crate::domain::submission::Track::Published => {
            preview.meta.params.reviews_per_published_paper
        }
    };
    if reviews + 1 > needed {
        warnings.push(format!(
            "#{} would have {} reviews; it needs {needed}.",
            paper.number,
            reviews + 1
        ));
    }
    if !warnings.is_empty() && form.confirm.is_none() {
        return show(
            &ctx,
            StatusCode::CONFLICT,
            None,
            Vec::new(),
            Some((paper.number, email, warnings)),
        )
        .await;
    }
    let index = crate::domain::pool::text_index(&data.papers, &data.pool);
    let affinity =
        crate::assignment::affinity::with_bid(index.similarity(p, r), bid).unwrap_or(0.0);
    preview.pairs.push(ProposedPair {
        number: paper.number,
        email: email.clone(),
        affinity,
        manual: true,
    });
    save_pairs(&ctx, &preview.id, &preview.pairs).await?;
    set_flash(
        &ctx.session,
        &format!(
            "Added {} to #{} in the preview{}.",
            reviewer.person.name,
            paper.number,
            if warnings.is_empty() {
                ""
            } else {
                " despite the warnings"
            }
        ),
    );
    Ok(see_other(&format!(
        "/chair/assignment#paper-{}",
        paper.number
    )))
}

pub(super) async fn remove(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<PairForm>,
) -> Result<HttpResponse, AppError> {
    policy::perm_manage_conference(&ctx.actor)?;
    let (_, mut preview) = open_preview(&ctx, &form.run).await?;
    let number: i32 = form.number.trim().parse().unwrap_or(-1);
    let email = form.email.trim().to_lowercase();
    let before = preview.pairs.len();
    preview
        .pairs
        .retain(|x| !(x.number == number && x.email == email));
    if preview.pairs.len() == before {
        return Err(AppError::BadRequest(format!(
            "{email} does not review #{number} in this preview."
        )));
    }
    save_pairs(&ctx, &preview.id, &preview.pairs).await?;
    set_flash(
        &ctx.session,
        &format!("Removed {email} from #{number} in the preview."),
    );
    Ok(see_other(&format!("/chair/assignment#paper-{number}")))
}
