//! One decision for a selection of papers on the decisions board. The first click shows what
//! will change (how many papers, which, which of them were already released to their authors)
//! and asks for a second, explicit click; slot limits are checked for the selection as a whole
//! and a selection that would overfill a slot is refused naming the papers that hold it.
//! Chairs' own papers and withdrawn papers in the selection are refused by number. Template:
//! `templates/chair/decisions_bulk.html`.

use std::collections::{BTreeSet, HashMap};

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::board::load_board;
use super::decisions::BoardQuery;
use crate::db::decisions::{self as dec, DecisionRow};
use crate::db::{self, audit};
use crate::domain::decision::{Decision, check_slots};
use crate::policy;
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, set_flash};
use crate::web::{Layout, render_status, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/chair/decisions/bulk", web::post().to(set_many));
}

/// The form: `bulk_decision`, `confirm`, `back` and one `pick_<number>=on` per selected row
/// (checkboxes, so that no repeated keys are needed).
type BulkForm = HashMap<String, String>;

#[derive(Template)]
#[template(path = "chair/decisions_bulk.html")]
struct BulkPage {
    layout: Layout,
    decision: String,
    decision_label: String,
    /// (number, title, from, released to authors) of each paper that changes.
    changes: Vec<(i32, String, String, String)>,
    unchanged: usize,
    released: usize,
    refused: Vec<String>,
    picks: Vec<i32>,
    back: String,
    board: String,
}

/// A paper the selection changes: (id, number, title, decision now, decision released).
type Change = (String, i32, String, Option<Decision>, Option<Decision>);

fn label(d: Option<Decision>) -> String {
    d.map_or("undecided", Decision::label).to_string()
}

async fn set_many(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<BulkForm>,
) -> Result<HttpResponse, AppError> {
    let chair = policy::perm_manage_conference(&ctx.actor)?.id.clone();
    let back = BoardQuery::from_query(form.get("back").map_or("", String::as_str));
    let board_link = {
        let q = back.to_query();
        if q.is_empty() {
            "/chair/decisions".to_string()
        } else {
            format!("/chair/decisions?{q}")
        }
    };
    let picks: BTreeSet<i32> = form
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .filter_map(|(k, _)| k.strip_prefix("pick_")?.parse().ok())
        .collect();
    let raw = form.get("bulk_decision").map_or("", |s| s.trim());
    let wanted = match raw {
        "" => {
            return Err(AppError::BadRequest(
                "Choose the decision to set for the selected papers.".into(),
            ));
        }
        "undecided" => None,
        raw => Some(Decision::parse(raw).ok_or_else(|| {
            AppError::BadRequest(format!(
                "\"{raw}\" is not a decision: reject, poster, spotlight or talk."
            ))
        })?),
    };
    if picks.is_empty() {
        set_flash(
            &ctx.session,
            "No paper was selected: tick the papers first, then choose their decision.",
        );
        return Ok(see_other(&board_link));
    }
    let confirmed = form.get("confirm").is_some_and(|v| v == "yes");
    let actor = ctx.actor.clone();
    let (talks, spots) = (ctx.settings.talk_slots, ctx.settings.spotlight_slots);
    let now = ctx.now;
    let picked = picks.clone();
    let (changes, unchanged, refused, done) = db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            dec::lock(c)?;
            let board = load_board(c)?;
            let mut refused = Vec::new();
            let mut changes: Vec<Change> = Vec::new();
            let mut unchanged = 0;
            for &n in &picked {
                let Some(row) = board.rows.iter().find(|r| r.number == n) else {
                    refused.push(format!("#{n} is not an active submission (withdrawn?)."));
                    continue;
                };
                if board.hidden_from(row, &actor) {
                    refused.push(format!(
                        "#{n} is your own paper: another chair decides it."
                    ));
                    continue;
                }
                let d = board.decision(row);
                let before = d.and_then(DecisionRow::decision);
                if before == wanted {
                    unchanged += 1;
                    continue;
                }
                let told = d.and_then(DecisionRow::released);
                if told.is_some() && wanted.is_none() {
                    refused.push(format!(
                        "#{n}'s decision was released (the authors were told: {}); it can be changed, not withdrawn.",
                        label(told)
                    ));
                    continue;
                }
                changes.push((row.id.clone(), n, row.title.clone(), before, told));
            }
            if let Some(w) = wanted {
                let moving: BTreeSet<i32> = changes.iter().map(|x| x.1).collect();
                let holders: Vec<i32> = board
                    .holders(w, "")
                    .into_iter()
                    .filter(|n| !moving.contains(n))
                    .collect();
                // The selection fits when the other holders plus all of it stay within the
                // limit: check as if the last of them were added to the rest.
                let mut others = holders.clone();
                others.extend(changes.iter().skip(1).map(|x| x.1));
                if !changes.is_empty()
                    && let Err(full) = check_slots(w, &others, talks, spots)
                {
                    let free = (full.limit as usize).saturating_sub(holders.len());
                    let named: Vec<String> = holders.iter().map(|n| format!("#{n}")).collect();
                    refused.push(format!(
                        "Only {} {} slots: {} hold one already ({}), so {free} are free for the {} selected papers. Select fewer, change one of the holders first, or raise the number of slots in the settings.",
                        full.limit,
                        w.label(),
                        holders.len(),
                        if named.is_empty() { "none".to_string() } else { named.join(", ") },
                        changes.len(),
                    ));
                }
            }
            if !refused.is_empty() || !confirmed {
                return Ok::<_, AppError>((changes, unchanged, refused, false));
            }
            for (id, n, _, before, _) in &changes {
                dec::set(c, id, wanted, &chair, now)?;
                audit::record(
                    c,
                    Some(&chair),
                    "decision.set",
                    &format!("#{n}"),
                    &format!(
                        "from {} to {} (one of {} set together)",
                        before.map_or("undecided", Decision::as_str),
                        wanted.map_or("undecided", Decision::as_str),
                        changes.len()
                    ),
                    now,
                )?;
            }
            Ok((changes, unchanged, refused, true))
        })
    })
    .await?;
    if done {
        set_flash(
            &ctx.session,
            &format!(
                "{} papers are now {}{}.",
                changes.len(),
                label(wanted),
                if unchanged > 0 {
                    format!("; {unchanged} selected papers already were")
                } else {
                    String::new()
                }
            ),
        );
        return Ok(see_other(&board_link));
    }
    let released = changes.iter().filter(|x| x.4.is_some()).count();
    render_status(
        if refused.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::CONFLICT
        },
        &BulkPage {
            layout: ctx.layout("Set decisions together"),
            decision: wanted.map_or("undecided", Decision::as_str).to_string(),
            decision_label: label(wanted),
            changes: changes
                .into_iter()
                .map(|(_, n, title, before, told)| {
                    (
                        n,
                        title,
                        label(before),
                        told.map(|t| t.label().to_string()).unwrap_or_default(),
                    )
                })
                .collect(),
            unchanged,
            released,
            refused,
            picks: picks.into_iter().collect(),
            back: back.to_query(),
            board: board_link,
        },
    )
}
