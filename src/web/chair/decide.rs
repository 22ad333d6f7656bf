//! Setting one paper's decision from the board, within the slot limits; a decision already
//! released to its authors changes only after a second, explicit confirmation. Forms without
//! JavaScript get the board back (at the same sort and filters, a refusal beside its row); the
//! board's script sends `Accept: application/json` and gets a small JSON answer, so the page
//! keeps its place. The board itself and the exports live in `decisions`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::board::load_board;
use super::decisions::{BoardQuery, show};
use crate::db::decisions::{self as dec, DecisionRow};
use crate::db::{self, audit};
use crate::domain::decision::{Decision, check_slots};
use crate::policy;
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, set_flash};
use crate::web::layout::wants_json;
use crate::web::papers::load_visible;
use crate::web::see_other;

#[derive(Debug, serde::Deserialize)]
pub(super) struct SetForm {
    number: i32,
    decision: String,
    #[serde(default)]
    confirm: Option<String>,
    /// The board's query string (sort, filters) the form was on.
    #[serde(default)]
    back: String,
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/chair/decisions/set", web::post().to(set_decision));
}

pub(super) async fn set_decision(
    req: HttpRequest,
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<SetForm>,
) -> Result<HttpResponse, AppError> {
    let chair = policy::perm_manage_conference(&ctx.actor)?.id.clone();
    let paper = load_visible(&ctx, form.number).await?;
    policy::perm_decide(&ctx.actor, paper.rights)?;
    if paper.row.status() != crate::domain::submission::SubmissionStatus::Active {
        return Err(AppError::BadRequest(format!(
            "#{} is withdrawn: reinstate it before deciding it.",
            form.number
        )));
    }
    let wanted = match form.decision.as_str() {
        "" => None,
        raw => Some(Decision::parse(raw).ok_or_else(|| {
            AppError::BadRequest(format!(
                "\"{raw}\" is not a decision: reject, poster, spotlight or talk."
            ))
        })?),
    };
    let id = paper.row.id.clone();
    let number = paper.row.number;
    let now = ctx.now;
    let (talks, spots) = (ctx.settings.talk_slots, ctx.settings.spotlight_slots);
    let confirmed = form.confirm.is_some();
    enum Outcome {
        Done(String),
        Full(String),
        NeedsConfirm(String),
        Unchanged,
    }
    let outcome = db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            dec::lock(c)?;
            let board = load_board(c)?;
            let current = board.decisions.get(&id);
            let before = current.and_then(DecisionRow::decision);
            if before == wanted {
                return Ok::<_, AppError>(Outcome::Unchanged);
            }
            if let Some(told) = current.and_then(DecisionRow::released) {
                if wanted.is_none() {
                    return Ok(Outcome::Full(format!(
                        "#{number}'s decision was released (the authors were told: {}); it can be changed, not withdrawn.",
                        told.label()
                    )));
                }
                if !confirmed {
                    return Ok(Outcome::NeedsConfirm(told.label().to_string()));
                }
            }
            if let Some(w) = wanted
                && let Err(full) = check_slots(w, &board.holders(w, &id), talks, spots)
            {
                return Ok(Outcome::Full(full.to_string()));
            }
            dec::set(c, &id, wanted, &chair, now)?;
            let from = before.map_or("undecided", Decision::as_str);
            let to = wanted.map_or("undecided", Decision::as_str);
            audit::record(
                c,
                Some(&chair),
                "decision.set",
                &format!("#{number}"),
                &format!("from {from} to {to}"),
                now,
            )?;
            Ok(Outcome::Done(to.to_string()))
        })
    })
    .await?;
    let back = BoardQuery::from_query(&form.back);
    let board_at = |number: i32| {
        let query = back.to_query();
        let sep = if query.is_empty() { "" } else { "?" };
        format!("/chair/decisions{sep}{query}#paper-{number}")
    };
    if wants_json(&req) {
        return Ok(match outcome {
            Outcome::Done(to) => HttpResponse::Ok().json(serde_json::json!({
                "saved": true, "decision": to, "message": format!("Saved: #{number} is {}.", label(&to)),
            })),
            Outcome::Unchanged => HttpResponse::Ok().json(serde_json::json!({
                "saved": true, "message": "Saved (no change).",
            })),
            Outcome::Full(message) => HttpResponse::Conflict().json(serde_json::json!({
                "saved": false, "error": message,
            })),
            Outcome::NeedsConfirm(told) => HttpResponse::Conflict().json(serde_json::json!({
                "saved": false, "confirm": true,
                "error": format!("The authors were already told: {told}."),
            })),
        });
    }
    match outcome {
        Outcome::Done(to) => {
            set_flash(&ctx.session, &format!("#{number}: {}.", label(&to)));
            Ok(see_other(&board_at(number)))
        }
        Outcome::Unchanged => Ok(see_other(&board_at(number))),
        Outcome::Full(message) => {
            let row = Some((number, message.clone()));
            show(&ctx, StatusCode::CONFLICT, back, vec![message], None, row).await
        }
        Outcome::NeedsConfirm(told) => {
            show(
                &ctx,
                StatusCode::CONFLICT,
                back,
                Vec::new(),
                Some((number, told, form.decision.clone())),
                None,
            )
            .await
        }
    }
}

/// A decision's stored name in words ("talk" → "accept (contributed talk)").
fn label(stored: &str) -> &'static str {
    Decision::parse(stored).map_or("undecided", Decision::label)
}
