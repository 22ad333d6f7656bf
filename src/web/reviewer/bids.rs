//! Bidding: every active paper the reviewer did not write (double-blind: `BlindPaperView`),
//! 50 a page with a word filter, best text match first; saving a page keeps the others.

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::assignment::affinity::Bid;
use crate::db::assignments::{self as asg};
use crate::db::reviewer_pages::in_pool;
use crate::db::submissions::{self as subs};
use crate::db::{self, DbError};
use crate::domain::account::Email;
use crate::domain::conference::format_in_zone;
use crate::domain::pool::PaperFacts;
use crate::policy::{self, BiddingWindow};
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, set_flash};
use crate::web::layout::wants_json;
use crate::web::papers::BlindPaperView;
use crate::web::pool_data::{PoolData, bid_name, current_pool, parse_bid};
use crate::web::{Layout, render, render_status, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/bids", web::get().to(bids_page))
        .route("/bids", web::post().to(save_bids));
}

/// The bidding window as the conference actually stands: it closes at the settings' date, or
/// when decisions are released if that came first (bids no longer matter then).
/// (The release time comes with the session: no query.)
pub(super) fn bidding_window(ctx: &PageCtx) -> BiddingWindow {
    let released = ctx.released_at;
    let closes_at = ctx.settings.dates.bidding_closes();
    BiddingWindow {
        opens_at: ctx.settings.submissions_close_at(),
        closes_at: released.map_or(closes_at, |r| r.min(closes_at)),
        now: ctx.now,
        tz: ctx.settings.tz(),
    }
}

/// A paper the reviewer may bid on, and their bid on it.
struct Biddable<'a> {
    paper: &'a PaperFacts,
    bid: &'static str,
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

/// The page of `items` the query asks for (filter, then page); only the shown papers are
/// copied into views.
fn bids_page_of(
    items: &[Biddable<'_>],
    query: &mut BidsQuery,
) -> (Vec<BidItem>, usize, usize, usize) {
    let placed = items.iter().filter(|i| i.bid != "none").count();
    let words: Vec<String> = query.q.split_whitespace().map(str::to_lowercase).collect();
    let matching: Vec<&Biddable<'_>> = items
        .iter()
        .filter(|i| {
            if words.is_empty() {
                return true;
            }
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
        .map(|i| BidItem {
            paper: BlindPaperView::of_paper(i.paper),
            bid: i.bid,
        })
        .collect();
    (shown, total, pages, placed)
}

/// The papers a reviewer may bid on (every active paper they did not write) as indices into
/// the pool's papers, best text match first, with their current bids. The pool and its text
/// index come from the process's copy (read again only after a write to the pool's tables);
/// the viewer's bids are one query; the ranking of every paper against the viewer runs off
/// the async workers.
async fn biddable(
    ctx: &PageCtx,
    email: &Email,
) -> Result<(Arc<PoolData>, Vec<(usize, &'static str)>), AppError> {
    let data = current_pool(&ctx.state).await?;
    let me = email.as_str().to_string();
    let bids = db::run(&ctx.state.pool, move |c| {
        Ok::<_, DbError>(asg::bids_of(c, &me)?)
    })
    .await?;
    let me = email.as_str().to_string();
    let pool = data.clone();
    let ranked = web::block(move || {
        let reviewer = pool.reviewer_by_email(&me);
        let index = pool.text_index();
        let mut scored: Vec<(f64, usize)> = (0..pool.papers.len())
            .filter(|&p| !pool.papers[p].authors.iter().any(|(a, _)| a.email == me))
            .map(|p| (reviewer.map_or(0.0, |r| index.similarity(p, r)), p))
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored
    })
    .await
    .map_err(|e| AppError::Unexpected(anyhow::anyhow!("bidding order: {e}")))?;
    let bid_of: HashMap<&str, &str> = bids
        .iter()
        .map(|b| (b.submission_id.as_str(), b.bid.as_str()))
        .collect();
    let items = ranked
        .into_iter()
        .map(|(_, p)| {
            let bid = bid_of
                .get(data.papers[p].id.as_str())
                .and_then(|b| parse_bid(b))
                .map_or("none", bid_name);
            (p, bid)
        })
        .collect();
    Ok((data, items))
}

/// The bidding list over `data`'s papers.
fn listed<'a>(data: &'a PoolData, items: &[(usize, &'static str)]) -> Vec<Biddable<'a>> {
    items
        .iter()
        .map(|&(p, bid)| Biddable {
            paper: &data.papers[p],
            bid,
        })
        .collect()
}

pub(super) fn email_of(ctx: &PageCtx) -> Result<String, AppError> {
    Ok(policy::perm_signed_in(&ctx.actor)?
        .email
        .as_str()
        .to_string())
}

pub(super) async fn pool_member(ctx: &PageCtx) -> Result<bool, AppError> {
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
    let (data, ranked) = biddable(&ctx, &member.email).await?;
    let (items, matching, pages, placed) = bids_page_of(&listed(&data, &ranked), &mut query);
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
    req: HttpRequest,
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let window = bidding_window(&ctx);
    let member = policy::perm_bid(&ctx.actor, pool_member(&ctx).await?, &window)?.clone();
    let (data, ranked) = biddable(&ctx, &member.email).await?;
    let items = listed(&data, &ranked);
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
    // "Save and go to page N" saves this page, then shows page N.
    let page = form.get("go").or_else(|| form.get("page"));
    let mut query = BidsQuery {
        page: page.and_then(|p| p.parse().ok()).unwrap_or(1),
        q: form.get("q").cloned().unwrap_or_default(),
    };
    let json = wants_json(&req);
    if !errors.is_empty() && json {
        errors.sort();
        return Ok(HttpResponse::UnprocessableEntity()
            .json(serde_json::json!({ "saved": false, "error": errors.join(" ") })));
    }
    if !errors.is_empty() {
        errors.sort();
        let (items, matching, pages, placed) = bids_page_of(&items, &mut query);
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
    let placed = items.iter().filter(|i| i.bid != "none").count()
        + changes.iter().filter(|(_, b)| b.is_some()).count()
        - changes
            .iter()
            .filter(|(n, _)| {
                items
                    .iter()
                    .any(|i| i.paper.number == *n && i.bid != "none")
            })
            .count();
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
    if json {
        return Ok(HttpResponse::Ok().json(serde_json::json!({ "saved": true, "placed": placed })));
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::submission::Track;

    fn paper(n: i32, title: &str) -> PaperFacts {
        PaperFacts {
            id: format!("id-{n}"),
            number: n,
            track: Track::Paper,
            title: title.into(),
            abstract_text: String::new(),
            keywords: Vec::new(),
            authors: Vec::new(),
            declared_conflicts: Vec::new(),
        }
    }

    #[test]
    fn bidding_pages_hold_fifty_papers_and_filters_keep_the_order() {
        let papers: Vec<PaperFacts> = (1..=120)
            .map(|n| {
                paper(
                    n,
                    if n % 2 == 0 {
                        "Neural ODEs"
                    } else {
                        "Operators"
                    },
                )
            })
            .collect();
        let items: Vec<Biddable<'_>> = papers
            .iter()
            .map(|p| Biddable {
                paper: p,
                bid: if p.number < 4 { "eager" } else { "none" },
            })
            .collect();
        let mut q = BidsQuery {
            page: 9,
            q: String::new(),
        };
        let (shown, matching, pages, placed) = bids_page_of(&items, &mut q);
        assert_eq!((matching, pages, placed, q.page), (120, 3, 3, 3));
        assert_eq!(shown.first().map(|i| i.paper.number), Some(101));
        assert_eq!(shown.first().map(|i| i.bid), Some("none"));
        let mut q = BidsQuery {
            page: 0,
            q: "neural odes".into(),
        };
        let (shown, matching, _, _) = bids_page_of(&items, &mut q);
        assert_eq!((matching, shown.len(), q.page), (60, 50, 1));
        assert_eq!(shown[0].paper.title, "Neural ODEs");
        assert_eq!(q.link(2), "/bids?page=2&q=neural%20odes");
    }
}
