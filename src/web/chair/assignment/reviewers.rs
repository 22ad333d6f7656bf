//! The chair's reviewer pool and conflicts pages: volunteers added by hand, reviewers taken
//! out of (or put back into) the pool, per-reviewer loads, and every conflict with its reason;
//! chairs enter and remove their own conflicts here.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::assignments::{self as asg, ProfileRow};
use crate::db::{self, DbError, audit, outbox};
use crate::domain::account::Email;
use crate::domain::pool::ReviewerSource;
use crate::mail::reviewing;
use crate::policy;
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, set_flash};
use crate::web::pool_data::current_pool;
use crate::web::views::paging::{PER_PAGE, Paging, page_number};
use crate::web::{Layout, render_status, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/chair/reviewers", web::get().to(reviewers))
        .route("/chair/reviewers", web::post().to(add_volunteer))
        .route("/chair/reviewers/update", web::post().to(update_reviewer));
}

struct ReviewerRow {
    name: String,
    email: String,
    affiliation: String,
    source: &'static str,
    active: bool,
    min_load: String,
    max_load: String,
    bids: usize,
    assigned: usize,
}

#[derive(Template)]
#[template(path = "chair/reviewers.html")]
struct ReviewersPage {
    layout: Layout,
    rows: Vec<ReviewerRow>,
    errors: Vec<String>,
    form: VolunteerForm,
    default_min: u32,
    default_max: u32,
    /// Reviewers in the pool, and those matching the search.
    pool_size: usize,
    list: ListQuery,
    paging: Paging,
}

/// Search and page of the pool's list.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
struct ListQuery {
    q: String,
    page: String,
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
struct VolunteerForm {
    name: String,
    email: String,
    affiliation: String,
    keywords: String,
}

async fn show_reviewers(
    ctx: &PageCtx,
    status: StatusCode,
    errors: Vec<String>,
    form: VolunteerForm,
) -> Result<HttpResponse, AppError> {
    show_list(ctx, status, errors, form, ListQuery::default()).await
}

async fn show_list(
    ctx: &PageCtx,
    status: StatusCode,
    errors: Vec<String>,
    form: VolunteerForm,
    list: ListQuery,
) -> Result<HttpResponse, AppError> {
    let data = current_pool(&ctx.state).await?;
    let counts = data.reviewer_counts();
    let needle = list.q.trim().to_lowercase();
    let matching: Vec<usize> = (0..data.pool.len())
        .filter(|&i| {
            let p = &data.pool[i].person;
            needle.is_empty()
                || p.email.contains(&needle)
                || p.name.to_lowercase().contains(&needle)
                || p.affiliation.to_lowercase().contains(&needle)
        })
        .collect();
    let base = format!(
        "/chair/reviewers?{}",
        serde_urlencoded::to_string([("q", &list.q)]).unwrap_or_default()
    );
    let paging = Paging::new(matching.len(), page_number(&list.page), PER_PAGE, &base);
    let rows = matching[paging.range()]
        .iter()
        .map(|&i| (i, &data.pool[i]))
        .map(|(i, r)| ReviewerRow {
            name: r.person.name.clone(),
            email: r.person.email.clone(),
            affiliation: r.person.affiliation.clone(),
            source: match r.source {
                ReviewerSource::MainAuthor => "main author",
                ReviewerSource::Volunteer => "volunteer",
            },
            active: r.active,
            min_load: r.min_load.map(|n| n.to_string()).unwrap_or_default(),
            max_load: r.max_load.map(|n| n.to_string()).unwrap_or_default(),
            bids: counts.bids[i],
            assigned: counts.assigned[i],
        })
        .collect();
    render_status(
        status,
        &ReviewersPage {
            layout: ctx.layout("Reviewers"),
            rows,
            errors,
            form,
            default_min: ctx.settings.reviewer_load_min,
            default_max: ctx.settings.reviewer_load_max,
            pool_size: data.pool.len(),
            list,
            paging,
        },
    )
}

async fn reviewers(ctx: PageCtx, list: web::Query<ListQuery>) -> Result<HttpResponse, AppError> {
    policy::perm_manage_conference(&ctx.actor)?;
    show_list(
        &ctx,
        StatusCode::OK,
        Vec::new(),
        VolunteerForm::default(),
        list.into_inner(),
    )
    .await
}

fn keyword_list(raw: &str) -> Vec<String> {
    raw.split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

async fn add_volunteer(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<VolunteerForm>,
) -> Result<HttpResponse, AppError> {
    let chair = policy::perm_manage_conference(&ctx.actor)?.id.clone();
    let mut errors = Vec::new();
    let email = Email::parse(&form.email);
    if email.is_err() {
        errors.push(format!(
            "\"{}\" is not an email address.",
            form.email.trim()
        ));
    }
    let name = form.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 200 {
        errors.push("Enter the reviewer's name (at most 200 characters).".into());
    }
    let affiliation = form.affiliation.trim().to_string();
    if affiliation.chars().count() > 200 {
        errors.push("The affiliation can have at most 200 characters.".into());
    }
    let keywords = keyword_list(&form.keywords);
    if keywords.len() > 30 {
        errors.push("At most 30 keywords.".into());
    }
    let Ok(email) = email else {
        return show_reviewers(&ctx, StatusCode::UNPROCESSABLE_ENTITY, errors, form).await;
    };
    if !errors.is_empty() {
        return show_reviewers(&ctx, StatusCode::UNPROCESSABLE_ENTITY, errors, form).await;
    }
    let now = ctx.now;
    let mail = ctx.state.mail_context(&ctx.settings.short_name);
    let added = db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            let existing = asg::find_profile(c, email.as_str())?;
            if existing.as_ref().is_some_and(|p| p.volunteer && p.active)
                || (existing.is_none() && asg::is_active_main_author(c, email.as_str())?)
            {
                return Ok::<_, AppError>(false);
            }
            let mut row = existing.unwrap_or_else(|| ProfileRow {
                email: email.as_str().to_string(),
                name: name.clone(),
                affiliation: affiliation.clone(),
                volunteer: true,
                active: true,
                keywords: "[]".into(),
                declared_conflicts: "[]".into(),
                min_load: None,
                max_load: None,
                updated_at: db::to_db(now),
            });
            row.volunteer = true;
            row.active = true;
            row.name = name.clone();
            row.affiliation = affiliation.clone();
            if !keywords.is_empty() {
                row.keywords = serde_json::to_string(&keywords).unwrap_or_else(|_| "[]".into());
            }
            row.updated_at = db::to_db(now);
            asg::save_profile(c, &row)?;
            audit::record(c, Some(&chair), "reviewer.add", email.as_str(), &name, now)?;
            outbox::enqueue(c, &reviewing::volunteer_invited(&mail, &email, &name)?, now)?;
            Ok(true)
        })
    })
    .await?;
    if !added {
        return show_reviewers(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![format!(
                "{} is already in the reviewer pool.",
                form.email.trim()
            )],
            form,
        )
        .await;
    }
    set_flash(
        &ctx.session,
        &format!(
            "{} is now a reviewer and was sent an email.",
            form.name.trim()
        ),
    );
    Ok(see_other("/chair/reviewers"))
}

#[derive(Debug, serde::Deserialize)]
struct UpdateForm {
    email: String,
    /// "drop", "reinstate" or "loads".
    action: String,
    #[serde(default)]
    min_load: String,
    #[serde(default)]
    max_load: String,
}

fn optional_load(raw: &str, label: &str) -> Result<Option<i32>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.parse::<i32>() {
        Ok(n) if (0..=100).contains(&n) => Ok(Some(n)),
        _ => Err(AppError::BadRequest(format!(
            "{label} must be empty (the conference's) or a whole number from 0 to 100."
        ))),
    }
}

async fn update_reviewer(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<UpdateForm>,
) -> Result<HttpResponse, AppError> {
    let chair = policy::perm_manage_conference(&ctx.actor)?.id.clone();
    let data = current_pool(&ctx.state).await?;
    let email = form.email.trim().to_lowercase();
    let r = data
        .reviewer_by_email(&email)
        .ok_or_else(|| AppError::BadRequest(format!("{email} is not in the reviewer pool.")))?;
    let reviewer = data.pool[r].clone();
    let (active, min_load, max_load) = match form.action.as_str() {
        "drop" => (false, reviewer.min_load, reviewer.max_load),
        "reinstate" => (true, reviewer.min_load, reviewer.max_load),
        "loads" => {
            let min = optional_load(&form.min_load, "Minimum load")?;
            let max = optional_load(&form.max_load, "Maximum load")?;
            let effective_min = min.unwrap_or(ctx.settings.reviewer_load_min as i32);
            let effective_max = max.unwrap_or(ctx.settings.reviewer_load_max as i32);
            if effective_min > effective_max {
                return Err(AppError::BadRequest(format!(
                    "The minimum load ({effective_min}) cannot exceed the maximum ({effective_max})."
                )));
            }
            (
                reviewer.active,
                min.map(|n| n as u32),
                max.map(|n| n as u32),
            )
        }
        _ => return Err(AppError::BadRequest("Unknown action.".into())),
    };
    let now = ctx.now;
    let action = form.action.clone();
    db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            let mut row = asg::find_profile(c, &email)?.unwrap_or_else(|| ProfileRow {
                email: email.clone(),
                name: reviewer.person.name.clone(),
                affiliation: reviewer.person.affiliation.clone(),
                volunteer: reviewer.source == ReviewerSource::Volunteer,
                active: true,
                keywords: serde_json::to_string(&reviewer.keywords).unwrap_or_else(|_| "[]".into()),
                declared_conflicts: serde_json::to_string(&reviewer.declared_conflicts)
                    .unwrap_or_else(|_| "[]".into()),
                min_load: None,
                max_load: None,
                updated_at: db::to_db(now),
            });
            row.active = active;
            row.min_load = min_load.map(|n| n as i32);
            row.max_load = max_load.map(|n| n as i32);
            row.updated_at = db::to_db(now);
            asg::save_profile(c, &row)?;
            audit::record(
                c,
                Some(&chair),
                &format!("reviewer.{action}"),
                &email,
                &format!(
                    "active={active} loads={}..{}",
                    min_load.map_or("default".into(), |n| n.to_string()),
                    max_load.map_or("default".into(), |n| n.to_string())
                ),
                now,
            )?;
            Ok::<_, DbError>(())
        })
    })
    .await?;
    set_flash(
        &ctx.session,
        match form.action.as_str() {
            "drop" => {
                "The reviewer is out of the pool: the next run of the engine moves their committed papers to others."
            }
            "reinstate" => "The reviewer is back in the pool.",
            _ => "The reviewer's loads are saved.",
        },
    );
    Ok(see_other("/chair/reviewers"))
}
