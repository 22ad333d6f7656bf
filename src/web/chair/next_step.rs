//! The top of the chairs' dashboard: where the conference stands (counts in words, each with
//! the page that shows it) and the next step with its link (`domain::standing`).

use crate::db::{self, DbError};
use crate::domain::conference::format_in_zone;
use crate::domain::standing::{Calendar, NextStep, Standing, next_step};
use crate::web::error::AppError;
use crate::web::extract::PageCtx;

/// One line of the standing: what, how many, and where to see it.
pub struct StandingLine {
    pub label: String,
    pub link: &'static str,
    /// Shown as a warning (failed emails, late reviews).
    pub alert: bool,
}

/// What the dashboard shows above everything else.
pub struct StandingView {
    pub phase: &'static str,
    pub next: NextStep,
    pub lines: Vec<StandingLine>,
}

pub async fn standing_view(ctx: &PageCtx) -> Result<StandingView, AppError> {
    let needed = (
        ctx.settings.reviews_per_paper,
        ctx.settings.reviews_per_published_paper,
    );
    let state = ctx.state.clone();
    let s: Standing = db::run(&ctx.state.pool, move |c| {
        let ranking = state.ranking_cache.get(c, super::board::load_ranking)?;
        Ok::<_, DbError>(db::standing::load(
            c,
            needed,
            &ranking.papers,
            &ranking.assigned,
        )?)
    })
    .await?;
    let d = &ctx.settings.dates;
    let cal = Calendar {
        submissions_close: ctx.settings.submissions_close_at(),
        review_due: d.review_due,
        camera_ready_due: d.camera_ready_due,
        now: ctx.now,
    };
    let next = next_step(&s, &cal);
    let tz = ctx.settings.tz();
    let late = ctx.now > d.review_due;
    let line = |label: String, link: &'static str, alert: bool| StandingLine { label, link, alert };
    let mut lines = vec![line(
        format!(
            "{} submitted, {} withdrawn{}",
            s.submitted,
            s.withdrawn,
            if ctx.now <= cal.submissions_close {
                format!(
                    " · submissions close {}",
                    format_in_zone(cal.submissions_close, tz)
                )
            } else {
                String::new()
            }
        ),
        "/chair/submissions",
        false,
    )];
    if s.assignments > 0 || ctx.now > cal.submissions_close {
        lines.push(line(
            format!(
                "{} reviews done, {} missing{}{}{}",
                s.reviews_submitted,
                s.reviews_missing,
                if s.reviews_draft > 0 {
                    format!(" ({} drafts)", s.reviews_draft)
                } else {
                    String::new()
                },
                if late && s.reviews_missing > 0 {
                    format!(
                        " · {} late (due {})",
                        s.reviews_missing,
                        format_in_zone(d.review_due, tz)
                    )
                } else {
                    format!(" · due {}", format_in_zone(d.review_due, tz))
                },
                if s.short_of_reviewers > 0 && s.submitted > 0 && s.assignments > 0 {
                    format!(" · {} papers short of reviewers", s.short_of_reviewers)
                } else {
                    String::new()
                }
            ),
            "/chair/reviews",
            late && s.reviews_missing > 0,
        ));
    }
    if s.assignments > 0 || s.undecided < s.submitted {
        lines.push(line(
            format!(
                "{} undecided · {} decided but not released",
                s.undecided, s.unreleased
            ),
            "/chair/decisions",
            false,
        ));
    }
    if s.released || s.letters_sent > 0 {
        lines.push(line(
            format!(
                "{} decision letters sent ({} delivered so far)",
                s.letters_sent, s.letters_delivered
            ),
            "/chair/letters/log",
            false,
        ));
        lines.push(line(
            format!(
                "{} of {} accepted papers without a camera-ready version (due {})",
                s.camera_ready_missing,
                s.accepted,
                format_in_zone(d.camera_ready_due, tz)
            ),
            "/accepted",
            false,
        ));
    }
    if s.failed_emails > 0 {
        lines.push(line(
            format!(
                "{} emails could not be delivered: see below and try them again",
                s.failed_emails
            ),
            "/chair#failed-mail",
            true,
        ));
    }
    Ok(StandingView {
        phase: next.phase.label(),
        next,
        lines,
    })
}
