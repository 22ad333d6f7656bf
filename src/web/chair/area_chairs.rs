//! Making people area chairs of sets of papers, by hand: one line per area chair with paper
//! numbers. Refused (with the line's reason, nothing saved) when an area chair wrote the
//! paper, has a conflict entered on it, or reviews it (an area chair sees who the reviewers
//! are). Chairs only; saving replaces the whole list.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::{
    self, DbError, assignments as asg, audit, discussion as disc, submissions as subs,
};
use crate::domain::discussion::parse_area_chairs;
use crate::policy;
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, set_flash};
use crate::web::{Layout, render_status, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/chair/area-chairs", web::get().to(page))
        .route("/chair/area-chairs", web::post().to(save));
}

#[derive(Template)]
#[template(path = "chair/area_chairs.html")]
struct Page {
    layout: Layout,
    text: String,
    errors: Vec<String>,
    /// (email, paper numbers) as stored.
    current: Vec<(String, String)>,
}

/// The stored list as (email, "1, 4, 7") lines.
async fn stored(ctx: &PageCtx) -> Result<Vec<(String, Vec<i32>)>, AppError> {
    let (pairs, papers) = db::run(&ctx.state.pool, |c| {
        Ok::<_, DbError>((disc::all_area_chairs(c)?, subs::all(c)?))
    })
    .await?;
    let number: HashMap<&str, i32> = papers.iter().map(|p| (p.id.as_str(), p.number)).collect();
    let mut out: Vec<(String, Vec<i32>)> = Vec::new();
    for (paper, email) in &pairs {
        let Some(n) = number.get(paper.as_str()) else {
            continue;
        };
        match out.iter_mut().find(|(e, _)| e == email) {
            Some((_, list)) => list.push(*n),
            None => out.push((email.clone(), vec![*n])),
        }
    }
    for (_, list) in &mut out {
        list.sort_unstable();
    }
    Ok(out)
}

fn join(numbers: &[i32]) -> String {
    numbers
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

async fn show(
    ctx: &PageCtx,
    status: StatusCode,
    text: Option<String>,
    errors: Vec<String>,
) -> Result<HttpResponse, AppError> {
    let current: Vec<(String, String)> = stored(ctx)
        .await?
        .into_iter()
        .map(|(e, n)| (e, join(&n)))
        .collect();
    let text = text.unwrap_or_else(|| {
        current
            .iter()
            .map(|(e, n)| format!("{e}: {n}"))
            .collect::<Vec<_>>()
            .join("\n")
    });
    render_status(
        status,
        &Page {
            layout: ctx.layout("Area chairs"),
            text,
            errors,
            current,
        },
    )
}

async fn page(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    policy::perm_manage_conference(&ctx.actor)?;
    show(&ctx, StatusCode::OK, None, Vec::new()).await
}

#[derive(serde::Deserialize)]
struct Form {
    #[serde(default)]
    assignments: String,
}

async fn save(ctx: PageCtx, CsrfForm(form): CsrfForm<Form>) -> Result<HttpResponse, AppError> {
    let chair = policy::perm_manage_conference(&ctx.actor)?.id.clone();
    let lines = match parse_area_chairs(&form.assignments) {
        Ok(l) => l,
        Err(errors) => {
            return show(
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(form.assignments),
                errors,
            )
            .await;
        }
    };
    let (papers, authors, conflicts, reviewers) = db::run(&ctx.state.pool, |c| {
        Ok::<_, DbError>((
            subs::all(c)?,
            subs::all_authors(c)?,
            asg::entered_conflicts(c)?,
            asg::all_assignments(c)?,
        ))
    })
    .await?;
    let mut errors = Vec::new();
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (email, numbers) in &lines {
        for n in numbers {
            let Some(p) = papers.iter().find(|p| p.number == *n) else {
                errors.push(format!("{email}: there is no paper #{n}."));
                continue;
            };
            if authors
                .iter()
                .any(|a| a.submission_id == p.id && a.email == *email)
            {
                errors.push(format!(
                    "{email} is an author of #{n}: choose another area chair for it."
                ));
            } else if conflicts
                .iter()
                .any(|x| x.submission_id == p.id && x.reviewer_email == *email)
            {
                errors.push(format!(
                    "{email} has a conflict with #{n}: choose another area chair for it."
                ));
            } else if reviewers
                .iter()
                .any(|x| x.submission_id == p.id && x.reviewer_email == *email)
            {
                errors.push(format!("{email} reviews #{n}, and an area chair sees who the reviewers are: choose another area chair for it."));
            } else {
                pairs.push((p.id.clone(), email.clone()));
            }
        }
    }
    if !errors.is_empty() {
        return show(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(form.assignments),
            errors,
        )
        .await;
    }
    let (now, count, people) = (ctx.now, pairs.len(), lines.len());
    db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            disc::replace_area_chairs(c, &pairs, chair.as_str(), now)?;
            audit::record(
                c,
                Some(&chair),
                "area_chairs.set",
                "conference",
                &format!("{people} area chairs, {count} papers"),
                now,
            )?;
            Ok::<_, DbError>(())
        })
    })
    .await?;
    set_flash(
        &ctx.session,
        &format!(
            "Saved: {people} area chair(s) for {count} paper(s). Area chairs whose papers changed are emailed a link to their papers."
        ),
    );
    Ok(see_other("/chair/area-chairs"))
}
