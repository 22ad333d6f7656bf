//! A paper's discussion as each audience sees it: the comments (labelled "Reviewer B" or
//! "Chair"; chairs also see who wrote them and every earlier text), the authors' response,
//! who has read it and who revised their review after it. Reviewers, chairs and authors
//! render these; which comments each sees is `policy::comment_visible`. Also the page that
//! gives a refused comment back to its writer with the reason.

use std::collections::HashMap;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;
use chrono::{DateTime, Utc};

use crate::db::discussion::{self as disc, CommentRow, MetaReviewRow, ResponseRow};
use crate::db::reviewer_pages::{ReviewWithRevisions, ReviewedPaper};
use crate::db::{AnyConnection, DbError, assignments as asg, decisions, from_db};
use crate::domain::conference::{ConferenceSettings, LabelStyle, format_in_zone};
use crate::domain::discussion::{CommentAudience, CommentText, WriterRole, word_count};
use crate::policy::{self, Actor, DiscussionWindow, Seat};
use crate::web::error::AppError;
use crate::web::{Layout, render_status};

/// Everything stored about one paper's discussion.
pub struct PaperDiscussion {
    /// Assigned reviewers' emails, in assignment order (their labels follow it).
    pub assigned: Vec<String>,
    pub comments: Vec<CommentRow>,
    /// Earlier texts of edited comments, by comment id (loaded for chairs only).
    pub history: HashMap<String, Vec<(i32, String, chrono::NaiveDateTime)>>,
    pub response: Option<ResponseRow>,
    pub response_versions: i64,
    pub acknowledged: Vec<String>,
    /// Reviewers who revised their review after the response was submitted.
    pub revised_after_response: Vec<String>,
    pub meta: Option<MetaReviewRow>,
    pub released_at: Option<DateTime<Utc>>,
}

impl PaperDiscussion {
    /// Loads paper `submission_id`'s discussion; `with_history` for chairs.
    pub fn load(
        c: &mut AnyConnection,
        submission_id: &str,
        with_history: bool,
    ) -> Result<PaperDiscussion, DbError> {
        let assigned = asg::reviewers_of(c, submission_id)?;
        let released_at = decisions::released_at(c)?;
        Self::load_knowing(c, submission_id, with_history, assigned, released_at)
    }

    /// [`PaperDiscussion::load`] for a caller that read the assigned reviewers and the
    /// release time already (two queries fewer).
    pub fn load_knowing(
        c: &mut AnyConnection,
        submission_id: &str,
        with_history: bool,
        assigned: Vec<String>,
        released_at: Option<DateTime<Utc>>,
    ) -> Result<PaperDiscussion, DbError> {
        let comments = disc::comments_of(c, submission_id)?;
        let mut history = HashMap::new();
        if with_history {
            for comment in comments.iter().filter(|x| x.was_edited()) {
                history.insert(comment.id.clone(), disc::comment_history(c, &comment.id)?);
            }
        }
        let response = disc::response_of(c, submission_id)?;
        let response_versions = match &response {
            Some(r) => disc::response_revision_count(c, &r.id)?,
            None => 0,
        };
        let revised_after_response = match response.as_ref().and_then(ResponseRow::submitted_at) {
            Some(at) => disc::reviewers_revised_since(c, submission_id, at)?,
            None => Vec::new(),
        };
        Ok(PaperDiscussion {
            assigned,
            comments,
            history,
            response,
            response_versions,
            acknowledged: disc::acknowledged_by(c, submission_id)?,
            revised_after_response,
            meta: disc::meta_review_of(c, submission_id)?,
            released_at,
        })
    }

    /// The same as [`PaperDiscussion::load_knowing`] without history (a reviewer's view), from
    /// what the reviewer's paper page read with the paper (`db::reviewer_pages`) and its
    /// `comments`. "Revised after the response" are the reviewers whose newest submitted
    /// version came after the response's submission, as `disc::reviewers_revised_since` finds
    /// them.
    pub fn of_reviewer_page(
        paper: &ReviewedPaper,
        reviews: &[ReviewWithRevisions],
        comments: Vec<CommentRow>,
        released_at: Option<DateTime<Utc>>,
    ) -> PaperDiscussion {
        let responded_at = paper.response.as_ref().and_then(|r| r.submitted_at);
        let mut revised_after_response: Vec<String> = match responded_at {
            Some(at) => reviews
                .iter()
                .filter(|r| r.last_submitted.is_some_and(|last| last > at))
                .map(|r| r.review.reviewer_email.clone())
                .collect(),
            None => Vec::new(),
        };
        revised_after_response.sort();
        revised_after_response.dedup();
        PaperDiscussion {
            assigned: paper.assigned.clone(),
            comments,
            history: HashMap::new(),
            response: paper.response.clone(),
            response_versions: paper.response_versions,
            acknowledged: paper.acknowledged.clone(),
            revised_after_response,
            meta: paper.meta.clone(),
            released_at,
        }
    }

    /// The window under `settings` at `now`.
    pub fn window(&self, settings: &ConferenceSettings, now: DateTime<Utc>) -> DiscussionWindow {
        DiscussionWindow::new(settings, self.released_at, now)
    }

    /// The label of a reviewer of this paper ("Reviewer B"), as in the reviews.
    pub fn label_of(&self, email: &str, style: LabelStyle) -> Option<String> {
        self.assigned
            .iter()
            .position(|e| e == email)
            .map(|i| style.label(i))
    }

    pub fn submitted_response(&self) -> Option<&ResponseRow> {
        self.response.as_ref().filter(|r| r.is_submitted())
    }
}

/// Who is looking at the thread.
pub struct Viewer<'a> {
    pub seat: Seat,
    pub email: &'a str,
    /// Names by email, for chairs (who see who wrote what); `None` for everyone else.
    pub names: Option<&'a HashMap<String, String>>,
}

/// One comment as shown.
pub struct ShownComment {
    pub id: String,
    pub label: String,
    /// "Name <email>" for chairs; empty for everyone else.
    pub who: String,
    pub to_authors: bool,
    pub audience: &'static str,
    pub body: String,
    pub posted: String,
    pub edited: bool,
    /// Earlier texts (when replaced, text), for chairs.
    pub history: Vec<(String, String)>,
    pub mine: bool,
    pub can_edit: bool,
    pub version: i32,
}

/// The comments `viewer` may read, oldest first.
pub fn shown_comments(
    d: &PaperDiscussion,
    viewer: &Viewer<'_>,
    actor: &Actor,
    settings: &ConferenceSettings,
    w: &DiscussionWindow,
) -> Vec<ShownComment> {
    let style = settings.reviewer_labels;
    let viewer_role = match viewer.seat {
        Seat::Reviewer { .. } => Some(WriterRole::Reviewer),
        Seat::Chair { .. } => Some(WriterRole::Chair),
        Seat::AreaChair { .. } => Some(WriterRole::AreaChair),
        Seat::Author => None,
    };
    d.comments
        .iter()
        .filter_map(|c| {
            let audience = CommentAudience::parse(&c.audience)?;
            if !policy::comment_visible(viewer.seat, audience, w) {
                return None;
            }
            let role = WriterRole::parse(&c.writer_role)?;
            let mine = Some(role) == viewer_role && c.writer_email == viewer.email;
            let label = match role {
                WriterRole::Chair | WriterRole::AreaChair => role.desk_label().to_string(),
                WriterRole::Reviewer => d
                    .label_of(&c.writer_email, style)
                    .unwrap_or_else(|| "A former reviewer".into()),
            };
            let who = viewer
                .names
                .map(|names| {
                    let name = names.get(&c.writer_email).cloned().unwrap_or_default();
                    format!("{name} <{}>", c.writer_email)
                })
                .unwrap_or_default();
            let history = if viewer.names.is_some() {
                d.history
                    .get(&c.id)
                    .map(|h| {
                        h.iter()
                            .map(|(_, body, at)| (format_in_zone(from_db(*at), w.tz), body.clone()))
                            .collect()
                    })
                    .unwrap_or_default()
            } else {
                Vec::new()
            };
            Some(ShownComment {
                id: c.id.clone(),
                label: if mine {
                    format!("You ({label})")
                } else {
                    label
                },
                who,
                to_authors: audience == CommentAudience::Authors,
                audience: audience.label(),
                body: c.body.clone(),
                posted: format_in_zone(c.posted_at(), w.tz),
                edited: c.was_edited(),
                history,
                mine,
                can_edit: mine
                    && policy::can_edit_comment(actor, viewer.seat, true, c.posted_at(), w),
                version: c.version,
            })
        })
        .collect()
}

/// The authors' response as reviewers and chairs see it.
pub struct ShownResponse {
    pub body: String,
    pub words: usize,
    pub submitted: String,
    pub updated: String,
    /// Submitted versions after the first.
    pub revisions: i64,
}

pub fn shown_response(d: &PaperDiscussion, tz: chrono_tz::Tz) -> Option<ShownResponse> {
    let r = d.submitted_response()?;
    Some(ShownResponse {
        body: r.body.clone(),
        words: word_count(&r.body),
        submitted: r
            .submitted_at()
            .map(|t| format_in_zone(t, tz))
            .unwrap_or_default(),
        updated: format_in_zone(from_db(r.updated_at), tz),
        revisions: (d.response_versions - 1).max(0),
    })
}

/// Labels of the reviewers who revised their review after the response ("Reviewer B").
pub fn revised_labels(d: &PaperDiscussion, style: LabelStyle) -> Vec<String> {
    let mut labels: Vec<String> = d
        .revised_after_response
        .iter()
        .filter_map(|e| d.label_of(e, style))
        .collect();
    labels.sort();
    labels
}

/// A comment that was not stored, given back to its writer with the reason.
#[derive(Template)]
#[template(path = "discussion_retry.html")]
pub struct RetryPage {
    pub layout: Layout,
    pub message: String,
    /// Where the form posts again.
    pub action: String,
    pub back: String,
    pub body: String,
    /// "reviewers" or "authors" for a new comment; empty for an edit.
    pub audience: String,
    pub can_address_authors: bool,
    /// For an edit: the version to edit against, and the stored text that won.
    pub version: Option<i32>,
    pub newer: Option<String>,
}

impl RetryPage {
    pub fn respond(self, status: StatusCode) -> Result<HttpResponse, AppError> {
        render_status(status, &self)
    }

    /// A new comment's text, or (when the text is refused) the form given back with the
    /// reason, to post again to `action`; `back` is the paper's page.
    pub fn new_comment_text(
        layout: Layout,
        body: String,
        audience: CommentAudience,
        window: &DiscussionWindow,
        action: String,
        back: String,
    ) -> Result<CommentText, Box<RetryPage>> {
        CommentText::parse(&body).map_err(|errors| {
            Box::new(RetryPage {
                layout,
                message: errors
                    .get("body")
                    .unwrap_or("Check the comment.")
                    .to_string(),
                action,
                back,
                body,
                audience: audience.as_str().into(),
                can_address_authors: policy::can_address_authors(window),
                version: None,
                newer: None,
            })
        })
    }
}

/// The comment form as posted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CommentForm {
    pub body: String,
    pub audience: String,
    pub version: String,
}
