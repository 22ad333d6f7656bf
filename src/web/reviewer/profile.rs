//! The reviewer profile: keywords (and the other facts the assignment engine reads) that a
//! reviewer keeps up to date for better matches.

use actix_web::{HttpResponse, web};
use askama::Template;

use super::bids::{email_of, pool_member};
use crate::db::assignments::{self as asg, ProfileRow};
use crate::db::{self, DbError, users};
use crate::domain::FieldErrors;
use crate::policy::{self};
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, set_flash};
use crate::web::{Layout, render, render_status, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/reviewer/profile", web::get().to(profile_page))
        .route("/reviewer/profile", web::post().to(save_profile));
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
struct ProfileForm {
    keywords: String,
    conflicts: String,
}

#[derive(Template)]
#[template(path = "reviewer/profile.html")]
struct ProfilePage {
    layout: Layout,
    form: ProfileForm,
    errors: FieldErrors,
    topics: Vec<String>,
}

fn lines(raw: &str, split_commas: bool) -> Vec<String> {
    let mut out: Vec<String> = raw
        .split(|c| c == '\n' || (split_commas && c == ','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    out.dedup();
    out
}

async fn profile_page(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    policy::perm_reviewer(&ctx.actor, pool_member(&ctx).await?)?;
    let email = email_of(&ctx)?;
    let row = db::run(&ctx.state.pool, move |c| {
        Ok::<_, DbError>(asg::find_profile(c, &email)?)
    })
    .await?;
    let form = row
        .map(|r| ProfileForm {
            keywords: r.keywords().join(", "),
            conflicts: r.declared_conflicts().join("\n"),
        })
        .unwrap_or_default();
    render(&ProfilePage {
        layout: ctx.layout("Reviewer profile"),
        form,
        errors: FieldErrors::new(),
        topics: ctx.settings.topics.clone(),
    })
}

async fn save_profile(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<ProfileForm>,
) -> Result<HttpResponse, AppError> {
    let member = policy::perm_reviewer(&ctx.actor, pool_member(&ctx).await?)?.clone();
    let keywords = lines(&form.keywords, true);
    let conflicts = lines(&form.conflicts, false);
    let mut errors = FieldErrors::new();
    if keywords.len() > 30 || keywords.iter().any(|k| k.chars().count() > 60) {
        errors.add(
            "keywords",
            "At most 30 keywords of at most 60 characters each.",
        );
    }
    if conflicts.len() > 50 || conflicts.iter().any(|k| k.chars().count() > 200) {
        errors.add(
            "conflicts",
            "At most 50 conflicts of at most 200 characters each, one per line.",
        );
    }
    if !errors.is_empty() {
        return render_status(
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            &ProfilePage {
                layout: ctx.layout("Reviewer profile"),
                form,
                errors,
                topics: ctx.settings.topics.clone(),
            },
        );
    }
    let now = ctx.now;
    db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            let email = member.email.as_str();
            let existing = asg::find_profile(c, email)?;
            let user = users::find(c, &member.id)?;
            let mut row = existing.unwrap_or_else(|| ProfileRow {
                email: email.to_string(),
                name: member.name.clone(),
                affiliation: user.map(|u| u.affiliation).unwrap_or_default(),
                volunteer: false,
                active: true,
                keywords: String::new(),
                declared_conflicts: String::new(),
                min_load: None,
                max_load: None,
                updated_at: db::to_db(now),
            });
            row.keywords = serde_json::to_string(&keywords).unwrap_or_else(|_| "[]".into());
            row.declared_conflicts =
                serde_json::to_string(&conflicts).unwrap_or_else(|_| "[]".into());
            row.updated_at = db::to_db(now);
            asg::save_profile(c, &row)?;
            Ok::<_, AppError>(())
        })
    })
    .await?;
    set_flash(&ctx.session, "Your reviewer profile is saved.");
    Ok(see_other("/reviewer/profile"))
}
