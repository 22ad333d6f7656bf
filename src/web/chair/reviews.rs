//! The chairs' side of reviewing: progress per paper and per reviewer (with the main
//! authors' review obligations), reminders to everyone late or to one person, reopening a
//! locked review; the two CSV exports are in `reviews_export`. A chair who wrote a paper sees neither
//! its reviewers nor its reviews and cannot change them. The reviews panel on a paper's page
//! is `web::views::paper_reviews`.

use std::collections::{BTreeMap, HashMap, HashSet};

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::Duration;

use super::reviews_export::{export_all, export_author_view};
use crate::db::ranking;
use crate::db::reviews::{self};
use crate::db::{self, AnyConnection, DbError, audit, outbox, submission_list};
use crate::domain::account::Email;
use crate::domain::conference::format_in_zone;
use crate::jobs::review_reminders::missing_by_reviewer;
use crate::mail::reviewing;
use crate::policy;
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, set_flash};
use crate::web::views::paging::{PER_PAGE, Paging, page_number};
use crate::web::views::paper_reviews::load;
use crate::web::{Layout, render, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/chair/reviews", web::get().to(progress))
        .route("/chair/reviews/remind", web::post().to(remind))
        .route("/chair/reviews/reopen", web::post().to(reopen))
        .route("/chair/reviews.csv", web::get().to(export_all))
        .route(
            "/chair/reviews-authors.csv",
            web::get().to(export_author_view),
        );
}

/// The submissions whose reviewers and reviews the viewing chair may not see (their own).
fn hidden_papers(c: &mut AnyConnection, actor: &policy::Actor) -> Result<HashSet<String>, DbError> {
    let Some(member) = actor.member() else {
        return Ok(HashSet::new());
    };
    let email = member.email.as_str();
    Ok(ranking::papers_of_author(c, email)?
        .into_iter()
        .filter(|_| !policy::can_see_reviewers(actor, [email]))
        .collect())
}

struct PaperProgress {
    number: i32,
    title: String,
    track: String,
    submitted: usize,
    assigned: usize,
    scores: String,
    own: bool,
}

struct ReviewerProgress {
    name: String,
    email: String,
    done: usize,
    assigned: usize,
    late: bool,
    /// Numbers of the reviewer's own submissions as main author.
    main_author_of: String,
}

#[derive(Template)]
#[template(path = "chair/reviews.html")]
struct ProgressPage {
    layout: Layout,
    papers: Vec<PaperProgress>,
    reviewers: Vec<ReviewerProgress>,
    due: String,
    overdue: bool,
    missing: usize,
    submitted: usize,
    total: usize,
    paper_paging: Paging,
    reviewer_paging: Paging,
}

/// Pages of the two lists: `page` of papers, `rpage` of reviewers.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct ProgressQuery {
    page: String,
    rpage: String,
}

/// One paper's progress: (submission id, reviews submitted, assigned, visible scores).
type PaperTally<'a> = (&'a str, usize, usize, String);

async fn progress(ctx: PageCtx, q: web::Query<ProgressQuery>) -> Result<HttpResponse, AppError> {
    policy::perm_manage_conference(&ctx.actor)?;
    let actor = ctx.actor.clone();
    let state = ctx.state.clone();
    let (ranking, own) = db::run(&ctx.state.pool, move |c| {
        let ranking = state.ranking_cache.get(c, super::board::load_ranking)?;
        Ok::<_, DbError>((ranking, hidden_papers(c, &actor)?))
    })
    .await?;
    let assigned = &ranking.assigned;
    let overdue = ctx.now > ctx.settings.dates.review_due;
    let mut papers: BTreeMap<i32, PaperTally> = BTreeMap::new();
    let mut per_reviewer: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for a in assigned {
        let p = papers
            .entry(a.number)
            .or_insert_with(|| (a.submission_id.as_str(), 0, 0, String::new()));
        p.2 += 1;
        let r = per_reviewer.entry(a.reviewer_email.as_str()).or_default();
        r.1 += 1;
        if a.is_submitted() {
            p.1 += 1;
            r.0 += 1;
            if !own.contains(&a.submission_id)
                && let Some(score) = a.overall
            {
                if !p.3.is_empty() {
                    p.3.push_str(", ");
                }
                p.3.push_str(&score.to_string());
            }
        }
    }
    let missing = per_reviewer
        .values()
        .filter(|(done, assigned)| done < assigned)
        .count();
    let reviewer_paging = Paging::new(
        per_reviewer.len(),
        page_number(&q.rpage),
        PER_PAGE,
        &format!("/chair/reviews?page={}", page_number(&q.page)),
    );
    let paper_paging = Paging::new(
        papers.len(),
        page_number(&q.page),
        PER_PAGE,
        &format!("/chair/reviews?rpage={}", reviewer_paging.page),
    );
    let shown_reviewers: Vec<(&str, (usize, usize))> = per_reviewer
        .into_iter()
        .skip(reviewer_paging.range().start)
        .take(reviewer_paging.range().len())
        .collect();
    let shown_papers: Vec<(i32, PaperTally)> = papers
        .into_iter()
        .skip(paper_paging.range().start)
        .take(paper_paging.range().len())
        .collect();
    let emails: Vec<String> = shown_reviewers.iter().map(|(e, _)| e.to_string()).collect();
    let ids: Vec<String> = shown_papers.iter().map(|(_, p)| p.0.to_string()).collect();
    let (names, mut main_of, listed) = db::run(&ctx.state.pool, move |c| {
        Ok::<_, DbError>((
            ranking::names_of(c, &emails)?,
            ranking::main_author_of(c, &emails)?,
            submission_list::by_ids(c, &ids)?,
        ))
    })
    .await?;
    let listed: HashMap<&str, &submission_list::ListedSubmission> =
        listed.iter().map(|l| (l.id.as_str(), l)).collect();
    let reviewers: Vec<ReviewerProgress> = shown_reviewers
        .into_iter()
        .map(|(email, (done, assigned))| ReviewerProgress {
            name: names.get(email).cloned().unwrap_or_default(),
            email: email.to_string(),
            done,
            assigned,
            late: overdue && done < assigned,
            main_author_of: main_of
                .remove(email)
                .map(|v| v.join(" "))
                .unwrap_or_default(),
        })
        .collect();
    let papers = shown_papers
        .into_iter()
        .map(
            |(number, (id, submitted, assigned, scores))| PaperProgress {
                number,
                title: listed.get(id).map(|l| l.title.clone()).unwrap_or_default(),
                track: listed.get(id).map(|l| l.track.clone()).unwrap_or_default(),
                submitted,
                assigned,
                scores,
                own: own.contains(id),
            },
        )
        .collect();
    let submitted = assigned.iter().filter(|a| a.is_submitted()).count();
    render(&ProgressPage {
        layout: ctx.layout("Review progress"),
        missing,
        papers,
        paper_paging,
        reviewer_paging,
        reviewers,
        due: format_in_zone(ctx.settings.dates.review_due, ctx.settings.tz()),
        overdue,
        submitted,
        total: assigned.len(),
    })
}

#[derive(Debug, serde::Deserialize)]
struct RemindForm {
    /// Empty: everyone with unsubmitted reviews.
    #[serde(default)]
    email: String,
}

async fn remind(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<RemindForm>,
) -> Result<HttpResponse, AppError> {
    let chair = policy::perm_manage_conference(&ctx.actor)?.id.clone();
    let data = load(&ctx).await?;
    let mut missing = missing_by_reviewer(&data.assigned);
    let target = form.email.trim().to_lowercase();
    if !target.is_empty() {
        missing.retain(|email, _| *email == target);
        if missing.is_empty() {
            return Err(AppError::BadRequest(format!(
                "{target} has no unsubmitted review: nothing was sent."
            )));
        }
    }
    if missing.is_empty() {
        set_flash(
            &ctx.session,
            if data.assigned.is_empty() {
                "No reminder was sent: no review is assigned yet (commit an assignment first)."
            } else {
                "No reminder was sent: every assigned review is submitted."
            },
        );
        return Ok(see_other("/chair/reviews"));
    }
    let waiting = missing.len();
    let mail = ctx.state.mail_context(&ctx.settings.short_name);
    let due = format_in_zone(ctx.settings.dates.review_due, ctx.settings.tz());
    let now = ctx.now;
    // One reminder per person per minute, so a double click sends one.
    let minute = now.timestamp() / 60;
    let sent = db::run(&ctx.state.pool, move |c| {
        let emails: Vec<String> = missing.keys().cloned().collect();
        let names = db::users::names_by_email(c, &emails)?;
        db::transaction(c, |c| {
            let mut sent = 0;
            for (email, papers) in &missing {
                let Ok(to) = Email::parse(email) else {
                    continue;
                };
                let key = format!("manual-reminder:{minute}:{email}");
                let m = reviewing::reminder(
                    &mail,
                    &to,
                    names.get(email).map_or("", String::as_str),
                    papers,
                    &due,
                    &key,
                )?;
                if outbox::enqueue(c, &m, now)? {
                    sent += 1;
                }
            }
            audit::record(
                c,
                Some(&chair),
                "review.remind",
                "reviews",
                &format!("{sent} reminders"),
                now,
            )?;
            Ok::<_, AppError>(sent)
        })
    })
    .await?;
    let said = match sent {
        0 => format!(
            "No reminder was sent: the {waiting} reviewer{} with missing reviews {} reminded less than a minute ago.",
            if waiting == 1 { "" } else { "s" },
            if waiting == 1 { "was" } else { "were" }
        ),
        1 => "1 reminder queued.".to_string(),
        n => format!("{n} reminders queued."),
    };
    set_flash(&ctx.session, &said);
    Ok(see_other("/chair/reviews"))
}

#[derive(Debug, serde::Deserialize)]
struct ReopenForm {
    number: i32,
    email: String,
    hours: String,
}

async fn reopen(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<ReopenForm>,
) -> Result<HttpResponse, AppError> {
    let chair = policy::perm_manage_conference(&ctx.actor)?.id.clone();
    let paper = crate::web::papers::load_visible(&ctx, form.number).await?;
    policy::perm_manage_reviews(&ctx.actor, paper.rights)?;
    let hours: i64 = match form.hours.trim().parse() {
        Ok(h) if (0..=24 * 30).contains(&h) => h,
        _ => {
            return Err(AppError::BadRequest(
                "Hours must be a whole number from 0 to 720.".into(),
            ));
        }
    };
    let email = form.email.trim().to_lowercase();
    let id = paper.row.id.clone();
    let now = ctx.now;
    let until = (hours > 0).then(|| now + Duration::hours(hours));
    let number = paper.row.number;
    let tz = ctx.settings.tz();
    let found = db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            let Some(r) = reviews::find(c, &id, &email)? else {
                return Ok::<_, DbError>(false);
            };
            reviews::set_reopened(c, &r.id, until)?;
            audit::record(
                c,
                Some(&chair),
                "review.reopen",
                &format!("#{number}"),
                &match until {
                    Some(u) => format!("{email} until {}", format_in_zone(u, tz)),
                    None => format!("{email} locked"),
                },
                now,
            )?;
            Ok(true)
        })
    })
    .await?;
    if !found {
        return Err(AppError::BadRequest(
            "That reviewer has no review of this paper.".into(),
        ));
    }
    set_flash(
        &ctx.session,
        if hours > 0 {
            "The reviewer can edit the submitted review until the reopening ends."
        } else {
            "The review is locked again."
        },
    );
    Ok(see_other(&format!("/submissions/{number}")))
}
