//! The reviewer's pages: "My reviews", an assigned paper (double-blind: built from
//! `BlindPaperView`, no author field), its PDF, reporting a conflict, bidding and the
//! reviewer profile. A paper that is not assigned to the viewer answers 404, the same as
//! one that does not exist.

use std::collections::HashMap;

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, set_flash};
use crate::web::papers::BlindPaperView;
use crate::web::pool_data::{PoolData, bid_name, in_pool, parse_bid};
use crate::web::{Layout, render, render_status, see_other};
use crate::assignment::affinity::Bid;
use crate::db::assignments::{self as asg, ProfileRow};
use crate::db::reviews::ReviewRow;
use crate::db::submissions::{self as subs, SubmissionRow};
use crate::db::{self, DbError, audit, outbox, users};
use crate::domain::FieldErrors;
use crate::domain::account::Email;
use crate::domain::conference::{format_in_zone, format_time_left};
use crate::domain::pool::text_index;
use crate::domain::submission::SubmissionStatus;
use crate::mail::reviewing;
use crate::policy::{self, BiddingWindow, Member};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/reviews", web::get().to(my_reviews))
        .route("/reviews/{number}/paper.pdf", web::get().to(paper_pdf))
        .route(
            "/reviews/{number}/conflict",
            web::post().to(report_conflict),
        )
        .route("/bids", web::get().to(bids_page))
        .route("/bids", web::post().to(save_bids))
        .route("/reviewer/profile", web::get().to(profile_page))
        .route("/reviewer/profile", web::post().to(save_profile));
}

fn bidding_window(ctx: &PageCtx) -> BiddingWindow {
    BiddingWindow {
        opens_at: ctx.settings.submissions_close_at(),
        closes_at: ctx.settings.dates.bidding_closes(),
        now: ctx.now,
        tz: ctx.settings.tz(),
    }
}

/// The viewer's assigned submissions, by number, and whether they are in the pool.
async fn my_assignments(
    ctx: &PageCtx,
    email: &Email,
) -> Result<(bool, Vec<SubmissionRow>, Vec<ReviewRow>), AppError> {
    let email = email.as_str().to_string();
    Ok(db::run(&ctx.state.pool, move |c| {
        let pool = in_pool(c, &email)?;
        let reviews = crate::db::reviews::of_reviewer(c, &email)?;
        let ids: Vec<String> = asg::assignments_of(c, &email)?
            .into_iter()
            .map(|a| a.submission_id)
            .collect();
        let mut rows: Vec<SubmissionRow> = subs::all(c)?
            .into_iter()
            .filter(|r| ids.contains(&r.id))
            .collect();
        rows.sort_by_key(|r| r.number);
        Ok::<_, DbError>((pool, rows, reviews))
    })
    .await?)
}

struct AssignedItem {
    number: i32,
    title: String,
    track: &'static str,
    withdrawn: bool,
    /// "not started", "draft" or "submitted".
    state: &'static str,
    late: bool,
}

#[derive(Template)]
#[template(path = "reviewer/list.html")]
struct ListPage {
    layout: Layout,
    papers: Vec<AssignedItem>,
    due: String,
    time_left: String,
    overdue: bool,
    bidding_open: bool,
    bidding_closes: String,
}

async fn my_reviews(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    let member = policy::perm_signed_in(&ctx.actor)?.clone();
    let (pool, rows, reviews) = my_assignments(&ctx, &member.email).await?;
    policy::perm_reviewer(&ctx.actor, pool || !rows.is_empty())?;
    let tz = ctx.settings.tz();
    let due = ctx.settings.dates.review_due;
    let window = bidding_window(&ctx);
    render(&ListPage {
        layout: ctx.layout("My reviews"),
        papers: rows
            .iter()
            .map(|r| AssignedItem {
                number: r.number,
                title: r.title.clone(),
                track: r.track().as_str(),
                withdrawn: r.status() == SubmissionStatus::Withdrawn,
                state: match reviews.iter().find(|v| v.submission_id == r.id) {
                    None => "not started",
                    Some(v) if v.is_submitted() => "submitted",
                    Some(_) => "draft",
                },
                late: reviews.iter().any(|v| v.submission_id == r.id && v.late),
            })
            .collect(),
        due: format_in_zone(due, tz),
        time_left: format_time_left(ctx.now, due),
        overdue: ctx.now > due,
        bidding_open: pool && window.is_open(),
        bidding_closes: format_in_zone(window.closes_at, tz),
    })
}

/// The assigned paper `number`, or 404 for anyone it is not assigned to.
async fn load_assigned(ctx: &PageCtx, number: i32) -> Result<(Member, SubmissionRow), AppError> {
    let member = policy::perm_signed_in(&ctx.actor)?.clone();
    let email = member.email.as_str().to_string();
    let row = db::run(&ctx.state.pool, move |c| {
        let Some(row) = subs::find_by_number(c, number)? else {
            return Ok::<_, DbError>(None);
        };
        Ok(asg::is_assigned(c, &row.id, &email)?.then_some(row))
    })
    .await?;
    policy::perm_view_assigned(&ctx.actor, row.is_some())?;
    let row = row.ok_or(AppError::NotFound)?;
    Ok((member, row))
}

async fn paper_pdf(ctx: PageCtx, path: web::Path<i32>) -> Result<HttpResponse, AppError> {
    let (_, row) = load_assigned(&ctx, path.into_inner()).await?;
    let id = row.id.clone();
    let doc = db::run(&ctx.state.pool, move |c| {
        Ok::<_, DbError>(
            subs::documents(c, &id)?
                .into_iter()
                .find(|d| d.kind == "paper"),
        )
    })
    .await?
    .ok_or(AppError::NotFound)?;
    let bytes = crate::web::papers::read_stored(&ctx.state.storage, &doc).await?;
    // Named by number only: never a title, an author or an upload time.
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/pdf"))
        .insert_header(ContentDisposition {
            disposition: DispositionType::Inline,
            parameters: vec![DispositionParam::Filename(format!(
                "submission-{}.pdf",
                row.number
            ))],
        })
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

#[derive(serde::Deserialize)]
struct ConflictForm {
    #[serde(default)]
    reason: String,
}

async fn report_conflict(
    ctx: PageCtx,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<ConflictForm>,
) -> Result<HttpResponse, AppError> {
    let (member, row) = load_assigned(&ctx, path.into_inner()).await?;
    let reason = form.reason.trim().to_string();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::BadRequest(
            "Say in a few words (at most 500 characters) why you have a conflict with this paper."
                .into(),
        ));
    }
    let now = ctx.now;
    let mail = ctx.state.mail_context(&ctx.settings.short_name);
    let who = format!("{} <{}>", member.name, member.email.as_str());
    db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            if asg::unassign(c, &row.id, member.email.as_str())? == 0 {
                return Ok(());
            }
            asg::enter_conflict(
                c,
                &row.id,
                member.email.as_str(),
                "reviewer",
                &reason,
                &member.id,
                now,
            )?;
            audit::record(
                c,
                Some(&member.id),
                "assignment.conflict_reported",
                &format!("#{}", row.number),
                &format!("{who}: {reason}"),
                now,
            )?;
            for chair in users::chairs(c)? {
                let Ok(to) = Email::parse(&chair.email) else {
                    continue;
                };
                let m = reviewing::conflict_reported(&mail, &to, row.number, &who, &reason)?;
                outbox::enqueue(c, &m, now)?;
            }
            Ok::<_, AppError>(())
        })
    })
    .await?;
    set_flash(
        &ctx.session,
        "Thank you. The paper is no longer assigned to you and the chairs have been told.",
    );
    Ok(see_other("/reviews"))
}

/// One paper on the bidding page.
struct BidItem {
    paper: BlindPaperView,
    bid: &'static str,
}

#[derive(Template)]
#[template(path = "reviewer/bids.html")]
struct BidsPage {
    layout: Layout,
    items: Vec<BidItem>,
    closes: String,
    errors: Vec<String>,
    query: BidsQuery,
    /// Papers matching the filter, and pages of them.
    matching: usize,
    pages: usize,
    /// Bids placed so far (all papers).
    placed: usize,
}

/// Papers per bidding page: a NeurIPS-size conference has thousands.
const BIDS_PER_PAGE: usize = 50;

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
struct BidsQuery {
    /// 1-based.
    page: usize,
    /// Words to find in titles, abstracts and keywords.
    q: String,
}

impl BidsQuery {
    fn link(&self, page: usize) -> String {
        let q: String = url_escape(&self.q);
        format!("/bids?page={page}&q={q}")
    }
}

/// Percent-encodes a query-string value.
fn url_escape(raw: &str) -> String {
    raw.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The page of `items` the query asks for (filter, then page).
fn bids_page_of(items: Vec<BidItem>, query: &mut BidsQuery) -> (Vec<BidItem>, usize, usize, usize) {
    let placed = items.iter().filter(|i| i.bid != "none").count();
    let words: Vec<String> = query.q.split_whitespace().map(str::to_lowercase).collect();
    let matching: Vec<BidItem> = items
        .into_iter()
        .filter(|i| {
            let text = format!(
                "{} {} {}",
                i.paper.title,
                i.paper.abstract_text,
                i.paper.keywords.join(" ")
            )
            .to_lowercase();
            words.iter().all(|w| text.contains(w.as_str()))
        })
        .collect();
    let total = matching.len();
    let pages = total.div_ceil(BIDS_PER_PAGE).max(1);
    query.page = query.page.clamp(1, pages);
    let shown = matching
        .into_iter()
        .skip((query.page - 1) * BIDS_PER_PAGE)
        .take(BIDS_PER_PAGE)
        .collect();
    (shown, total, pages, placed)
}

/// The papers a reviewer may bid on (every active paper they did not write), best text match
/// first, with their current bids.
async fn biddable(ctx: &PageCtx, email: &Email) -> Result<Vec<BidItem>, AppError> {
    let email = email.as_str().to_string();
    let (data, rows, bids) = db::run(&ctx.state.pool, move |c| {
        Ok::<_, DbError>((PoolData::load(c)?, subs::all(c)?, asg::bids_of(c, &email)?))
    })
    .await?;
    let me = email_of(ctx)?;
    let reviewer = data.reviewer_by_email(&me);
    let index = text_index(&data.papers, &data.pool);
    let mut scored: Vec<(f64, usize)> = (0..data.papers.len())
        .filter(|&p| !data.papers[p].authors.iter().any(|(a, _)| a.email == me))
        .map(|p| (reviewer.map_or(0.0, |r| index.similarity(p, r)), p))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let bid_of: HashMap<&str, &str> = bids
        .iter()
        .map(|b| (b.submission_id.as_str(), b.bid.as_str()))
        .collect();
    Ok(scored
        .into_iter()
        .filter_map(|(_, p)| {
            let paper = &data.papers[p];
            let row = rows.iter().find(|r| r.id == paper.id)?;
            let bid = bid_of
                .get(paper.id.as_str())
                .and_then(|b| parse_bid(b))
                .map_or("none", bid_name);
            Some(BidItem {
                paper: BlindPaperView::new(row),
                bid,
            })
        })
        .collect())
}

fn email_of(ctx: &PageCtx) -> Result<String, AppError> {
    Ok(policy::perm_signed_in(&ctx.actor)?
        .email
        .as_str()
        .to_string())
}

async fn pool_member(ctx: &PageCtx) -> Result<bool, AppError> {
    let email = email_of(ctx)?;
    Ok(db::run(&ctx.state.pool, move |c| {
        Ok::<_, DbError>(in_pool(c, &email)?)
    })
    .await?)
}

async fn bids_page(ctx: PageCtx, query: web::Query<BidsQuery>) -> Result<HttpResponse, AppError> {
    let window = bidding_window(&ctx);
    let member = policy::perm_bid(&ctx.actor, pool_member(&ctx).await?, &window)?.clone();
    let mut query = query.into_inner();
    let (items, matching, pages, placed) =
        bids_page_of(biddable(&ctx, &member.email).await?, &mut query);
    render(&BidsPage {
        layout: ctx.layout("Bidding"),
        items,
        closes: format_in_zone(window.closes_at, window.tz),
        errors: Vec::new(),
        query,
        matching,
        pages,
        placed,
    })
}

async fn save_bids(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let window = bidding_window(&ctx);
    let member = policy::perm_bid(&ctx.actor, pool_member(&ctx).await?, &window)?.clone();
    let items = biddable(&ctx, &member.email).await?;
    let mut errors = Vec::new();
    let mut changes: Vec<(i32, Option<Bid>)> = Vec::new();
    for (key, value) in &form {
        let Some(number) = key.strip_prefix("bid_") else {
            continue;
        };
        let number: Option<i32> = number.parse().ok();
        let Some(item) = number.and_then(|n| items.iter().find(|i| i.paper.number == n)) else {
            errors.push(format!(
                "You cannot bid on \"{key}\": no such paper, or it is your own."
            ));
            continue;
        };
        let bid = match value.as_str() {
            "none" => None,
            other => match parse_bid(other) {
                Some(b) => Some(b),
                None => {
                    errors.push(format!(
                        "#{}: \"{other}\" is not a bid (eager, willing, none, not_willing or conflict).",
                        item.paper.number
                    ));
                    continue;
                }
            },
        };
        if bid.map_or("none", bid_name) != item.bid {
            changes.push((item.paper.number, bid));
        }
    }
    let mut query = BidsQuery {
        page: form.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        q: form.get("q").cloned().unwrap_or_default(),
    };
    if !errors.is_empty() {
        errors.sort();
        let (items, matching, pages, placed) = bids_page_of(items, &mut query);
        return render_status(
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            &BidsPage {
                layout: ctx.layout("Bidding"),
                items,
                closes: format_in_zone(window.closes_at, window.tz),
                errors,
                query,
                matching,
                pages,
                placed,
            },
        );
    }
    let now = ctx.now;
    let email = member.email.as_str().to_string();
    let count = changes.len();
    db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            for (number, bid) in &changes {
                if let Some(row) = subs::find_by_number(c, *number)? {
                    asg::set_bid(c, &row.id, &email, bid.map(bid_name), now)?;
                }
            }
            Ok::<_, DbError>(())
        })
    })
    .await?;
    set_flash(
        &ctx.session,
        &match count {
            0 => "No bid changed.".to_string(),
            1 => "Saved 1 bid.".to_string(),
            n => format!("Saved {n} bids."),
        },
    );
    Ok(see_other(&query.link(query.page.max(1))))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn item(n: i32, title: &str, bid: &'static str) -> BidItem {
        BidItem {
            paper: BlindPaperView {
                number: n,
                track: "paper",
                title: title.into(),
                abstract_text: String::new(),
                keywords: Vec::new(),
            },
            bid,
        }
    }

    #[test]
    fn bidding_pages_hold_fifty_papers_and_filters_keep_the_order() {
        let items: Vec<BidItem> = (1..=120)
            .map(|n| {
                item(
                    n,
                    if n % 2 == 0 {
                        "Neural ODEs"
                    } else {
                        "Operators"
                    },
                    if n < 4 { "eager" } else { "none" },
                )
            })
            .collect();
        let mut q = BidsQuery {
            page: 9,
            q: String::new(),
        };
        let (shown, matching, pages, placed) = bids_page_of(items, &mut q);
        assert_eq!((matching, pages, placed, q.page), (120, 3, 3, 3));
        assert_eq!(shown.first().map(|i| i.paper.number), Some(101));
        let items: Vec<BidItem> = (1..=120)
            .map(|n| {
                item(
                    n,
                    if n % 2 == 0 {
                        "Neural ODEs"
                    } else {
                        "Operators"
                    },
                    "none",
                )
            })
            .collect();
        let mut q = BidsQuery {
            page: 0,
            q: "neural odes".into(),
        };
        let (shown, matching, _, _) = bids_page_of(items, &mut q);
        assert_eq!((matching, shown.len(), q.page), (60, 50, 1));
        assert_eq!(q.link(2), "/bids?page=2&q=neural%20odes");
    }
}
