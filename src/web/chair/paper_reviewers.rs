//! Changing one paper's committed reviewers from its page: a chair adds or removes a reviewer,
//! first sees what will happen (conflicts, loads and review counts checked as in the
//! assignment preview; who gets an email), then confirms with a second click. The change is
//! written, audit-logged and the reviewer's email queued in one transaction. Chairs who wrote
//! the paper are refused (its reviewers are hidden from them). Template:
//! `templates/chair/paper_reviewer.html`; the list and the buttons are on the paper's page.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::assignments as asg;
use crate::db::{self, DbError, audit, outbox};
use crate::domain::account::Email;
use crate::domain::conference::format_in_zone;
use crate::domain::pool::{ConflictKind, pair_conflicts};
use crate::domain::submission::Track;
use crate::mail::reviewing::{self, ListedPaper};
use crate::policy::{self, PaperRights};
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, set_flash};
use crate::web::pool_data::PoolData;
use crate::web::{Layout, render_status, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/chair/submissions/{number}/reviewers",
        web::post().to(change_reviewer),
    );
}

#[derive(Debug, serde::Deserialize)]
pub struct ReviewerForm {
    /// "add" or "remove".
    action: String,
    email: String,
    /// "yes" once the chair has seen what will happen.
    #[serde(default)]
    confirm: String,
}

#[derive(Template)]
#[template(path = "chair/paper_reviewer.html")]
struct ConfirmPage {
    layout: Layout,
    number: i32,
    title: String,
    action: String,
    email: String,
    name: String,
    /// What the change does, in words.
    effects: Vec<String>,
    warnings: Vec<String>,
    /// Nothing can be done (the reason is the first warning).
    refused: bool,
}

/// What a change to one paper's reviewers would do.
struct Planned {
    effects: Vec<String>,
    warnings: Vec<String>,
    refused: bool,
    name: String,
}

/// The settings' reviews per paper (paper track, published track) and maximum load.
#[derive(Clone, Copy)]
struct Targets {
    reviews: (u32, u32),
    max_load: u32,
}

impl Targets {
    fn needed(&self, track: Track) -> u32 {
        match track {
            Track::Paper => self.reviews.0,
            Track::Published => self.reviews.1,
        }
    }
}

fn plan_add(data: &PoolData, p: usize, email: &str, t: Targets) -> Planned {
    let paper = &data.papers[p];
    let Some(r) = data.reviewer_by_email(email) else {
        return Planned {
            effects: Vec::new(),
            warnings: vec![format!(
                "{email} is not in the reviewer pool: add them on the reviewers page first."
            )],
            refused: true,
            name: String::new(),
        };
    };
    let reviewer = &data.pool[r];
    let name = reviewer.person.name.clone();
    let refuse = |why: String| Planned {
        effects: Vec::new(),
        warnings: vec![why],
        refused: true,
        name: name.clone(),
    };
    if !reviewer.active {
        return refuse(format!(
            "{name} is not an active reviewer (dropped from the pool)."
        ));
    }
    if data.committed.contains(&(p, r)) {
        return refuse(format!("{name} already reviews #{}.", paper.number));
    }
    let bid = data.bids.iter().find(|b| b.0 == p && b.1 == r).map(|b| b.2);
    let entered = data
        .entered
        .iter()
        .find(|e| e.paper == p && e.reviewer == r);
    let conflicts = pair_conflicts(paper, reviewer, bid, entered);
    if conflicts.iter().any(|c| c.0 == ConflictKind::Author) {
        return refuse(format!(
            "{name} is an author of #{}: authors never review their own paper.",
            paper.number
        ));
    }
    let mut warnings: Vec<String> = conflicts
        .iter()
        .map(|(kind, detail)| format!("Conflict ({}): {detail}.", kind.label()))
        .collect();
    let load = data.committed.iter().filter(|&&(_, x)| x == r).count() as u32;
    let max = reviewer.max_load.unwrap_or(t.max_load);
    if load + 1 > max {
        warnings.push(format!(
            "{name} would review {} papers, above their maximum of {max}.",
            load + 1
        ));
    }
    let reviews = data.committed.iter().filter(|&&(x, _)| x == p).count() as u32;
    let needed = t.needed(paper.track);
    if reviews + 1 > needed {
        warnings.push(format!(
            "#{} would have {} reviewers; it needs {needed}.",
            paper.number,
            reviews + 1
        ));
    }
    Planned {
        effects: vec![
            format!(
                "{name} <{email}> becomes a reviewer of #{} and can open it at once (now {load} papers, then {}).",
                paper.number,
                load + 1
            ),
            format!("{name} gets an email listing all their papers."),
        ],
        warnings,
        refused: false,
        name,
    }
}

fn plan_remove(
    data: &PoolData,
    p: usize,
    email: &str,
    review_state: Option<&'static str>,
    t: Targets,
) -> Planned {
    let paper = &data.papers[p];
    let r = data.reviewer_by_email(email);
    let name = r
        .map(|r| data.pool[r].person.name.clone())
        .unwrap_or_default();
    let committed = r.is_some_and(|r| data.committed.contains(&(p, r)));
    if !committed {
        return Planned {
            effects: Vec::new(),
            warnings: vec![format!("{email} does not review #{}.", paper.number)],
            refused: true,
            name,
        };
    }
    let mut warnings = Vec::new();
    match review_state {
        Some("submitted") => warnings.push(format!(
            "{name} has submitted a review of #{}: it is kept but no longer counts or shows.",
            paper.number
        )),
        Some(_) => warnings.push(format!(
            "{name} has a draft review of #{}: it is kept but no longer counts.",
            paper.number
        )),
        None => {}
    }
    let reviews = data.committed.iter().filter(|&&(x, _)| x == p).count() as u32;
    let needed = t.needed(paper.track);
    if reviews.saturating_sub(1) < needed {
        warnings.push(format!(
            "#{} would have {} reviewers; it needs {needed}.",
            paper.number,
            reviews.saturating_sub(1)
        ));
    }
    Planned {
        effects: vec![
            format!(
                "{name} <{email}> no longer reviews #{} and loses access to it.",
                paper.number
            ),
            format!("{name} gets an email saying so, with their remaining papers."),
        ],
        warnings,
        refused: false,
        name,
    }
}

async fn change_reviewer(
    ctx: PageCtx,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<ReviewerForm>,
) -> Result<HttpResponse, AppError> {
    let chair = policy::perm_manage_conference(&ctx.actor)?.id.clone();
    let number = path.into_inner();
    let email = form.email.trim().to_lowercase();
    let adding = match form.action.as_str() {
        "add" => true,
        "remove" => false,
        _ => return Err(AppError::BadRequest("Choose to add or remove.".into())),
    };
    let lookup = email.clone();
    let (data, row, authors, review_state) = db::run(&ctx.state.pool, move |c| {
        let row = crate::db::submissions::find_by_number(c, number)?;
        let (authors, state) = match &row {
            Some(s) => (
                crate::db::submissions::authors(c, &s.id)?,
                crate::db::reviews::find(c, &s.id, &lookup)?.map(|r| {
                    if r.is_submitted() {
                        "submitted"
                    } else {
                        "draft"
                    }
                }),
            ),
            None => (Vec::new(), None),
        };
        Ok::<_, DbError>((PoolData::load(c)?, row, authors, state))
    })
    .await?;
    let row = row.ok_or(AppError::NotFound)?;
    let authors = authors.iter().map(|a| a.email.as_str());
    let rights = PaperRights::compute(&ctx.actor, authors, row.status != "active");
    policy::perm_manage_reviews(&ctx.actor, rights)?;
    let Some(p) = data.paper_by_number(number) else {
        return Err(AppError::BadRequest(format!(
            "#{number} is withdrawn: a withdrawn paper is not reviewed."
        )));
    };
    let targets = Targets {
        reviews: (
            ctx.settings.reviews_per_paper,
            ctx.settings.reviews_per_published_paper,
        ),
        max_load: ctx.settings.reviewer_load_max,
    };
    let planned = if adding {
        plan_add(&data, p, &email, targets)
    } else {
        plan_remove(&data, p, &email, review_state, targets)
    };
    if planned.refused || form.confirm != "yes" {
        let status = if planned.refused {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        };
        return render_status(
            status,
            &ConfirmPage {
                layout: ctx.layout(&format!(
                    "{} a reviewer of #{number}",
                    if adding { "Add" } else { "Remove" }
                )),
                number,
                title: row.title.clone(),
                action: form.action.clone(),
                email,
                name: planned.name,
                effects: planned.effects,
                warnings: planned.warnings,
                refused: planned.refused,
            },
        );
    }
    let Ok(to) = Email::parse(&email) else {
        return Err(AppError::BadRequest(format!(
            "{email} is not an email address."
        )));
    };
    let titles: HashMap<String, ListedPaper> = data
        .all_rows
        .iter()
        .filter(|s| s.status == "active")
        .map(|s| {
            (
                s.id.clone(),
                ListedPaper {
                    number: s.number,
                    title: s.title.clone(),
                },
            )
        })
        .collect();
    let this = ListedPaper {
        number,
        title: row.title.clone(),
    };
    let mail = ctx.state.mail_context(&ctx.settings.short_name);
    let due = format_in_zone(ctx.settings.dates.review_due, ctx.settings.tz());
    let now = ctx.now;
    let name = planned.name.clone();
    let submission_id = row.id.clone();
    let changed = db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            let is_assigned = asg::is_assigned(c, &submission_id, &email)?;
            if is_assigned == adding {
                return Ok::<_, AppError>(false);
            }
            if adding {
                asg::assign(c, &submission_id, &email, &chair, now)?;
            } else {
                asg::unassign(c, &submission_id, &email)?;
            }
            audit::record(
                c,
                Some(&chair),
                if adding {
                    "assignment.add"
                } else {
                    "assignment.remove"
                },
                &format!("#{number}"),
                &format!("{} {email}", if adding { "added" } else { "removed" }),
                now,
            )?;
            let mut papers: Vec<ListedPaper> = asg::assignments_of(c, &email)?
                .into_iter()
                .filter_map(|a| titles.get(&a.submission_id).cloned())
                .collect();
            papers.sort_by_key(|p| p.number);
            let (added, removed) = if adding {
                (vec![this.clone()], Vec::new())
            } else {
                (Vec::new(), vec![this.clone()])
            };
            let key = format!("paper-{number}-{}-{}", form.action, uuid::Uuid::new_v4());
            let m =
                reviewing::assignment(&mail, &to, &name, &papers, &added, &removed, &due, &key)?;
            outbox::enqueue(c, &m, now)?;
            Ok(true)
        })
    })
    .await?;
    set_flash(
        &ctx.session,
        &if !changed {
            "Nothing changed: this was already done (a second click or another chair).".to_string()
        } else if adding {
            format!(
                "{} now reviews #{number}; they will get an email.",
                planned.name
            )
        } else {
            format!(
                "{} no longer reviews #{number}; they will get an email.",
                planned.name
            )
        },
    );
    Ok(see_other(&format!("/submissions/{number}#reviewers")))
}
