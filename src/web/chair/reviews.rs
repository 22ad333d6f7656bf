//! The chairs' side of reviewing: progress per paper and per reviewer (with the main
//! authors' review obligations), reminders to everyone late or to one person, reopening a
//! locked review, and the two CSV exports (with reviewer
//! identities, and the author view without them). A chair who wrote a paper sees neither
//! its reviewers nor its reviews and cannot change them. The reviews panel on a paper's page
//! is `web::views::paper_reviews`.

use std::collections::{BTreeMap, HashMap};

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::Duration;

use crate::db::reviews::{self};
use crate::db::submissions::{self as subs};
use crate::db::{self, DbError, audit, outbox};
use crate::domain::account::Email;
use crate::domain::conference::format_in_zone;
use crate::domain::review::{FormKind, ReviewFormSpec};
use crate::jobs::review_reminders::missing_by_reviewer;
use crate::mail::reviewing;
use crate::policy;
use crate::web::csv::{csv_attachment, csv_safe};
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, set_flash};
use crate::web::views::paging::{PER_PAGE, Paging, page_number};
use crate::web::views::paper_reviews::load;
use crate::web::views::reviews::{parse_content, parse_scores};
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

async fn progress(ctx: PageCtx, q: web::Query<ProgressQuery>) -> Result<HttpResponse, AppError> {
    policy::perm_manage_conference(&ctx.actor)?;
    let data = load(&ctx).await?;
    let own = data.own(&ctx);
    let overdue = ctx.now > ctx.settings.dates.review_due;
    let mut papers: BTreeMap<i32, PaperProgress> = BTreeMap::new();
    let mut per_reviewer: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for a in &data.assigned {
        let p = papers.entry(a.number).or_insert_with(|| PaperProgress {
            number: a.number,
            title: a.title.clone(),
            track: a.track.clone(),
            submitted: 0,
            assigned: 0,
            scores: String::new(),
            own: own.contains(&a.submission_id),
        });
        p.assigned += 1;
        let r = per_reviewer.entry(a.reviewer_email.as_str()).or_default();
        r.1 += 1;
        if a.is_submitted() {
            p.submitted += 1;
            r.0 += 1;
            if !p.own
                && let Some(score) = a
                    .review
                    .as_ref()
                    .and_then(|r| parse_scores(&r.content).overall)
            {
                if !p.scores.is_empty() {
                    p.scores.push_str(", ");
                }
                p.scores.push_str(&score.to_string());
            }
        }
    }
    let mut main_of: HashMap<&str, Vec<String>> = HashMap::new();
    let numbers: HashMap<&str, i32> = data
        .assigned
        .iter()
        .map(|a| (a.submission_id.as_str(), a.number))
        .collect();
    let all_rows = db::run(&ctx.state.pool, |c| Ok::<_, DbError>(subs::all(c)?)).await?;
    let active: HashMap<&str, i32> = all_rows
        .iter()
        .filter(|r| r.status == "active")
        .map(|r| (r.id.as_str(), r.number))
        .collect();
    for a in data.authors.iter().filter(|a| a.is_main) {
        let number = numbers
            .get(a.submission_id.as_str())
            .or_else(|| active.get(a.submission_id.as_str()))
            .copied();
        if let Some(n) = number {
            main_of
                .entry(a.email.as_str())
                .or_default()
                .push(format!("#{n}"));
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
    let reviewers: Vec<ReviewerProgress> = per_reviewer
        .iter()
        .skip(reviewer_paging.range().start)
        .take(reviewer_paging.range().len())
        .map(|(email, (done, assigned))| ReviewerProgress {
            name: data.name(email),
            email: email.to_string(),
            done: *done,
            assigned: *assigned,
            late: overdue && done < assigned,
            main_author_of: main_of.get(email).map(|v| v.join(" ")).unwrap_or_default(),
        })
        .collect();
    let submitted = data.assigned.iter().filter(|a| a.is_submitted()).count();
    render(&ProgressPage {
        layout: ctx.layout("Review progress"),
        missing,
        papers: papers
            .into_values()
            .skip(paper_paging.range().start)
            .take(paper_paging.range().len())
            .collect(),
        paper_paging,
        reviewer_paging,
        reviewers,
        due: format_in_zone(ctx.settings.dates.review_due, ctx.settings.tz()),
        overdue,
        submitted,
        total: data.assigned.len(),
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

fn csv_error(e: impl std::fmt::Display) -> AppError {
    AppError::Unexpected(anyhow::anyhow!("csv: {e}"))
}

const TEXT_KEYS: [&str; 4] = ["summary", "strengths_weaknesses", "questions", "comment"];

/// Every review (drafts too) with reviewer identities and confidential comments; rows of a
/// paper the chair wrote keep scores only.
async fn export_all(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    policy::perm_manage_conference(&ctx.actor)?;
    let data = load(&ctx).await?;
    let own = data.own(&ctx);
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "paper_number",
        "paper_title",
        "track",
        "reviewer_email",
        "reviewer_name",
        "state",
        "late",
        "overall",
        "confidence",
        "talk_recommendation",
    ];
    header.extend(TEXT_KEYS);
    header.push("confidential");
    out.write_record(&header).map_err(csv_error)?;
    for a in &data.assigned {
        let Some(r) = &a.review else { continue };
        let c = parse_content(&r.content);
        let hide = own.contains(&a.submission_id);
        let mut row = vec![
            a.number.to_string(),
            a.title.clone(),
            a.track.clone(),
            if hide {
                String::new()
            } else {
                a.reviewer_email.clone()
            },
            if hide {
                String::new()
            } else {
                data.name(&a.reviewer_email)
            },
            a.state().to_string(),
            r.late.to_string(),
            c.overall.map(|v| v.to_string()).unwrap_or_default(),
            c.confidence.map(|v| v.to_string()).unwrap_or_default(),
            c.talk_recommendation.to_string(),
        ];
        for k in TEXT_KEYS {
            row.push(if hide {
                String::new()
            } else {
                c.texts.get(k).cloned().unwrap_or_default()
            });
        }
        row.push(if hide {
            String::new()
        } else {
            c.texts.get("confidential").cloned().unwrap_or_default()
        });
        out.write_record(row.iter().map(|v| csv_safe(v)))
            .map_err(csv_error)?;
    }
    let bytes = out.into_inner().map_err(csv_error)?;
    Ok(csv_attachment(bytes, "reviews.csv"))
}

/// Submitted reviews as authors will see them: labels instead of reviewers, no confidential
/// comments, no talk recommendations.
async fn export_author_view(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    policy::perm_manage_conference(&ctx.actor)?;
    let data = load(&ctx).await?;
    let spec = ReviewFormSpec::neurips();
    let style = ctx.settings.reviewer_labels;
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "paper_number",
        "paper_title",
        "reviewer",
        "overall",
        "confidence",
    ];
    header.extend(TEXT_KEYS);
    out.write_record(&header).map_err(csv_error)?;
    let mut index: HashMap<&str, usize> = HashMap::new();
    for a in &data.assigned {
        let i = index.entry(a.submission_id.as_str()).or_insert(0);
        let label = style.label(*i);
        *i += 1;
        let Some(r) = a.review.as_ref().filter(|r| r.is_submitted()) else {
            continue;
        };
        let kind = if r.form_kind == "light" {
            FormKind::Light
        } else {
            FormKind::Full
        };
        let c = parse_content(&r.content).author_view(&spec, kind);
        let mut row = vec![
            a.number.to_string(),
            a.title.clone(),
            label,
            c.overall.map(|v| v.to_string()).unwrap_or_default(),
            c.confidence.map(|v| v.to_string()).unwrap_or_default(),
        ];
        for k in TEXT_KEYS {
            row.push(c.texts.get(k).cloned().unwrap_or_default());
        }
        out.write_record(row.iter().map(|v| csv_safe(v)))
            .map_err(csv_error)?;
    }
    let bytes = out.into_inner().map_err(csv_error)?;
    Ok(csv_attachment(bytes, "reviews-author-view.csv"))
}
