//! The chairs' decisions: every paper with its score statistics (mean, range, spread,
//! confidence-weighted and calibrated scores), talk recommendations and its main author's
//! review obligations, sortable and filterable; setting a decision within the slot limits;
//! CSV and JSON exports. Releasing them with their letters lives in `release`.

use std::collections::{HashMap, HashSet};

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::board::{Ranking, current_ranking, shown_details};
use crate::db;
use crate::db::decisions::DecisionRow;
use crate::domain::conference::format_in_zone;
use crate::domain::decision::Decision;
use crate::domain::scores::{SortKey, rank};
use crate::policy;
use crate::web::csv::{CHUNK, JsonArray, csv_safe, csv_stream, stream};
use crate::web::error::AppError;
use crate::web::extract::PageCtx;
use crate::web::views::paging::{PER_PAGE, Paging, page_number};
use crate::web::{Layout, render_status};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/chair/decisions", web::get().to(page))
        .route("/chair/decisions.csv", web::get().to(export_csv))
        .route("/chair/decisions.json", web::get().to(export_json));
}

fn fmt(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.2}")).unwrap_or_else(|| "–".into())
}

struct BoardRow {
    number: i32,
    title: String,
    track: String,
    reviews: String,
    mean: String,
    range: String,
    std_dev: String,
    weighted: String,
    calibrated: String,
    talk_votes: usize,
    obligations: String,
    decision: String,
    released: String,
    changed: bool,
    own: bool,
    /// Why the last change of this row was refused (a full slot, …), shown beside it.
    row_error: String,
    /// The discussion at a glance (comments, response read, meta-review).
    discussion: super::discussion_export::BoardDiscussion,
}

#[derive(Debug, Default, Clone, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub(super) struct BoardQuery {
    sort: String,
    track: String,
    decision: String,
    /// 1-based page of the board (100 papers each); empty: the first.
    #[serde(skip_serializing_if = "String::is_empty")]
    page: String,
}

impl BoardQuery {
    /// The board's own query string (sort and filters), to come back to the same view.
    pub(super) fn to_query(&self) -> String {
        serde_urlencoded::to_string(self).unwrap_or_default()
    }

    /// The view a decision form came from; anything unreadable is the default view.
    pub(super) fn from_query(raw: &str) -> BoardQuery {
        serde_urlencoded::from_str(raw).unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "chair/decisions.html")]
struct BoardPage {
    layout: Layout,
    rows: Vec<BoardRow>,
    query: BoardQuery,
    errors: Vec<String>,
    /// (number, current, wanted) of a change after release waiting for confirmation.
    confirm: Option<(i32, String, String)>,
    counts: Vec<(&'static str, usize, String)>,
    undecided: usize,
    released: String,
    decisions_release: String,
    /// The query string of this view, carried by each decision form.
    back: String,
    paging: Paging,
}

fn sort_key(raw: &str) -> SortKey {
    match raw {
        "mean" => SortKey::Mean,
        "weighted" => SortKey::ConfidenceWeighted,
        "min" => SortKey::Min,
        "max" => SortKey::Max,
        "spread" => SortKey::StdDev,
        "reviews" => SortKey::Reviews,
        _ => SortKey::Calibrated,
    }
}

/// The board; `row_error` is (paper number, why its change was refused).
pub(super) async fn show(
    ctx: &PageCtx,
    status: StatusCode,
    q: BoardQuery,
    errors: Vec<String>,
    confirm: Option<(i32, String, String)>,
    row_error: Option<(i32, String)>,
) -> Result<HttpResponse, AppError> {
    let ranking = current_ranking(&ctx.state).await?;
    let discussion = super::discussion_export::board_discussion(ctx).await?;
    let order = if q.sort == "number" {
        (0..ranking.papers.len()).collect()
    } else {
        rank(&ranking.scores, sort_key(&q.sort))
    };
    let shown: Vec<usize> = order
        .into_iter()
        .filter(|&i| {
            let p = &ranking.papers[i];
            let current = p.decision.as_deref().and_then(Decision::parse);
            if !q.track.is_empty() && p.track != q.track {
                return false;
            }
            match q.decision.as_str() {
                "" => true,
                "undecided" => current.is_none(),
                other => current.map(Decision::as_str) == Some(other),
            }
        })
        .collect();
    let base = {
        let mut view = q.clone();
        view.page.clear();
        format!("/chair/decisions?{}", view.to_query())
    };
    let paging = Paging::new(shown.len(), page_number(&q.page), PER_PAGE, &base);
    let page: Vec<usize> = shown[paging.range()].to_vec();
    let ids: Vec<String> = page.iter().map(|&i| ranking.papers[i].id.clone()).collect();
    let details = db::run(&ctx.state.pool, move |c| shown_details(c, &ids)).await?;
    let mut reviewers: HashMap<&str, usize> = HashMap::new();
    let mut talk_votes: HashMap<&str, usize> = HashMap::new();
    for a in &ranking.assigned {
        *reviewers.entry(a.submission_id.as_str()).or_default() += 1;
        if a.is_submitted() && a.talk_recommendation {
            *talk_votes.entry(a.submission_id.as_str()).or_default() += 1;
        }
    }
    let main_authors: HashMap<&str, &str> = details
        .authors
        .values()
        .filter_map(|a| a.iter().find(|x| x.is_main))
        .map(|m| (m.submission_id.as_str(), m.email.as_str()))
        .collect();
    let wanted: HashSet<&str> = main_authors.values().copied().collect();
    let mut obligations: HashMap<&str, (usize, usize)> = HashMap::new();
    for a in ranking
        .assigned
        .iter()
        .filter(|a| wanted.contains(a.reviewer_email.as_str()))
    {
        let o = obligations.entry(a.reviewer_email.as_str()).or_default();
        o.1 += 1;
        if a.is_submitted() {
            o.0 += 1;
        }
    }
    let rows: Vec<BoardRow> = page
        .iter()
        .map(|&i| {
            let p = &ranking.papers[i];
            let s = &ranking.scores[i];
            let d = details.decisions.get(&p.id);
            let current = d.and_then(DecisionRow::decision);
            let own = details.hidden_from(&p.id, &ctx.actor);
            let obligations = main_authors
                .get(p.id.as_str())
                .map(|email| {
                    let (done, of) = obligations.get(email).copied().unwrap_or((0, 0));
                    format!("{done}/{of}")
                })
                .unwrap_or_default();
            let hide = |v: String| if own { "hidden".to_string() } else { v };
            BoardRow {
                number: p.number,
                title: details.titles.get(&p.id).cloned().unwrap_or_default(),
                track: p.track.clone(),
                reviews: s.reviews.to_string(),
                mean: hide(fmt(s.mean)),
                range: hide(match (s.min, s.max) {
                    (Some(a), Some(b)) => format!("{a}–{b}"),
                    _ => "–".into(),
                }),
                std_dev: hide(fmt(s.std_dev)),
                weighted: hide(fmt(s.confidence_weighted_mean)),
                calibrated: hide(fmt(s.calibrated)),
                talk_votes: if own {
                    0
                } else {
                    talk_votes.get(p.id.as_str()).copied().unwrap_or(0)
                },
                obligations,
                decision: current.map(Decision::as_str).unwrap_or("").to_string(),
                released: d
                    .and_then(DecisionRow::released)
                    .map(Decision::label)
                    .unwrap_or("")
                    .to_string(),
                changed: d.is_some_and(|d| d.released_decision.is_some() && d.unreleased_change()),
                own,
                row_error: row_error
                    .as_ref()
                    .filter(|(n, _)| *n == p.number)
                    .map(|(_, e)| e.clone())
                    .unwrap_or_default(),
                discussion: discussion.row(
                    &p.id,
                    own,
                    reviewers.get(p.id.as_str()).copied().unwrap_or(0),
                ),
            }
        })
        .collect();
    let s = &ctx.settings;
    render_status(
        status,
        &BoardPage {
            layout: ctx.layout("Decisions"),
            rows,
            back: q.to_query(),
            paging,
            query: q,
            errors,
            confirm,
            counts: vec![
                (
                    "contributed talks",
                    ranking.count(Decision::Talk),
                    s.talk_slots.to_string(),
                ),
                (
                    "spotlights",
                    ranking.count(Decision::Spotlight),
                    s.spotlight_slots.to_string(),
                ),
                ("posters", ranking.count(Decision::Poster), String::new()),
                ("rejected", ranking.count(Decision::Reject), String::new()),
            ],
            undecided: ranking.undecided(),
            released: details
                .released_at
                .map(|t| format_in_zone(t, s.tz()))
                .unwrap_or_default(),
            decisions_release: format_in_zone(s.dates.decisions_release, s.tz()),
        },
    )
}

async fn page(ctx: PageCtx, q: web::Query<BoardQuery>) -> Result<HttpResponse, AppError> {
    policy::perm_manage_conference(&ctx.actor)?;
    show(&ctx, StatusCode::OK, q.into_inner(), Vec::new(), None, None).await
}

#[derive(serde::Serialize)]
struct ExportRow {
    number: i32,
    title: String,
    track: String,
    authors: String,
    decision: String,
    released_decision: String,
    reviews: usize,
    mean: Option<f64>,
    min: Option<u8>,
    max: Option<u8>,
    std_dev: Option<f64>,
    confidence_weighted_mean: Option<f64>,
    calibrated: Option<f64>,
}

/// Every active paper's export row in board order, a chunk at a time: `emit` gets each
/// chunk's rows (the viewer's own papers without scores).
fn export_chunks(
    pool: &db::DbPool,
    actor: &policy::Actor,
    ranking: &Ranking,
    mut emit: impl FnMut(Vec<ExportRow>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let indices: Vec<usize> = (0..ranking.papers.len()).collect();
    for chunk in indices.chunks(CHUNK) {
        let ids: Vec<String> = chunk
            .iter()
            .map(|&i| ranking.papers[i].id.clone())
            .collect();
        let mut c = pool.get()?;
        let details = shown_details(&mut c, &ids)?;
        drop(c);
        let rows = chunk
            .iter()
            .map(|&i| {
                let p = &ranking.papers[i];
                let s = &ranking.scores[i];
                let own = details.hidden_from(&p.id, actor);
                let d = details.decisions.get(&p.id);
                ExportRow {
                    number: p.number,
                    title: details.titles.get(&p.id).cloned().unwrap_or_default(),
                    track: p.track.clone(),
                    authors: details
                        .authors
                        .get(&p.id)
                        .map(|a| {
                            a.iter()
                                .map(|x| x.name.clone())
                                .collect::<Vec<_>>()
                                .join("; ")
                        })
                        .unwrap_or_default(),
                    decision: d.map(|d| d.decision.clone()).unwrap_or_default(),
                    released_decision: d
                        .and_then(|d| d.released_decision.clone())
                        .unwrap_or_default(),
                    reviews: s.reviews,
                    mean: s.mean.filter(|_| !own),
                    min: s.min.filter(|_| !own),
                    max: s.max.filter(|_| !own),
                    std_dev: s.std_dev.filter(|_| !own),
                    confidence_weighted_mean: s.confidence_weighted_mean.filter(|_| !own),
                    calibrated: s.calibrated.filter(|_| !own),
                }
            })
            .collect();
        emit(rows)?;
    }
    Ok(())
}

async fn export_json(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    policy::perm_manage_conference(&ctx.actor)?;
    let ranking = current_ranking(&ctx.state).await?;
    let pool = ctx.state.pool.clone();
    let actor = ctx.actor.clone();
    Ok(stream("application/json", None, move |sink| {
        let mut out = JsonArray::new(sink);
        export_chunks(&pool, &actor, &ranking, |rows| {
            for r in &rows {
                out.push(r)?;
            }
            out.flush()
        })?;
        out.finish()
    }))
}

async fn export_csv(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    policy::perm_manage_conference(&ctx.actor)?;
    let ranking = current_ranking(&ctx.state).await?;
    let pool = ctx.state.pool.clone();
    let actor = ctx.actor.clone();
    Ok(csv_stream("decisions.csv", move |out| {
        out.row([
            "number",
            "title",
            "track",
            "authors",
            "decision",
            "released_decision",
            "reviews",
            "mean",
            "min",
            "max",
            "std_dev",
            "confidence_weighted_mean",
            "calibrated",
        ])?;
        let opt = |v: Option<f64>| v.map(|x| format!("{x:.3}")).unwrap_or_default();
        export_chunks(&pool, &actor, &ranking, |rows| {
            for r in &rows {
                out.row([
                    r.number.to_string(),
                    csv_safe(&r.title),
                    r.track.clone(),
                    csv_safe(&r.authors),
                    r.decision.clone(),
                    r.released_decision.clone(),
                    r.reviews.to_string(),
                    opt(r.mean),
                    r.min.map(|v| v.to_string()).unwrap_or_default(),
                    r.max.map(|v| v.to_string()).unwrap_or_default(),
                    opt(r.std_dev),
                    opt(r.confidence_weighted_mean),
                    opt(r.calibrated),
                ])?;
            }
            out.flush()
        })
    }))
}
