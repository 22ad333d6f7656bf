//! The reviews part of a paper's page for chairs (reviewers' names, scores, confidential
//! comments, reopening), shown on the page authors and chairs share, and the review data the
//! chairs' progress pages load with it. A chair who wrote the paper gets the reason instead.

use std::collections::{HashMap, HashSet};

use crate::db::reviews::{self, AssignedReview};
use crate::db::submissions::{self as subs, AuthorRow};
use crate::db::{self, DbError, users};
use crate::domain::conference::format_in_zone;
use crate::domain::review::ReviewFormSpec;
use crate::policy;
use crate::web::error::AppError;
use crate::web::extract::PageCtx;
use crate::web::papers::LoadedPaper;
use crate::web::views::reviews::{ShownSection, parse_content, shown};

/// Everything the chair pages need: assignments with reviews, authors, reviewer names.
pub struct Data {
    pub assigned: Vec<AssignedReview>,
    pub authors: Vec<AuthorRow>,
    pub names: HashMap<String, String>,
}

pub async fn load(ctx: &PageCtx) -> Result<Data, AppError> {
    let (assigned, authors, users, profiles) = db::run(&ctx.state.pool, |c| {
        Ok::<_, DbError>((
            reviews::assigned(c)?,
            subs::all_authors(c)?,
            users::names(c)?,
            crate::db::assignments::profiles(c)?,
        ))
    })
    .await?;
    let mut names: HashMap<String, String> = HashMap::new();
    for a in &authors {
        names.insert(a.email.clone(), a.name.clone());
    }
    for p in profiles {
        names.insert(p.email, p.name);
    }
    for (email, name) in users {
        names.insert(email, name);
    }
    Ok(Data {
        assigned,
        authors,
        names,
    })
}

impl Data {
    /// Submissions whose reviews and reviewers the viewer may not see (a chair's own).
    pub fn own(&self, ctx: &PageCtx) -> HashSet<String> {
        let mut by_paper: HashMap<&str, Vec<&str>> = HashMap::new();
        for a in &self.authors {
            by_paper
                .entry(a.submission_id.as_str())
                .or_default()
                .push(a.email.as_str());
        }
        by_paper
            .into_iter()
            .filter(|(_, emails)| !policy::can_see_reviewers(&ctx.actor, emails.iter().copied()))
            .map(|(id, _)| id.to_string())
            .collect()
    }

    pub fn name(&self, email: &str) -> String {
        self.names.get(email).cloned().unwrap_or_default()
    }
}

/// One review on the chair's paper page, with its reviewer and confidential parts.
pub struct ChairReview {
    pub label: String,
    pub name: String,
    pub email: String,
    pub state: &'static str,
    pub late: bool,
    pub overall: String,
    pub confidence: String,
    pub talk: bool,
    pub sections: Vec<ShownSection>,
    pub confidential: String,
    pub reopened_until: String,
}

/// The reviews part of a paper page for chairs: `None` when the viewer is no chair, an
/// explanation instead of the reviews when the chair wrote the paper.
pub struct PaperReviewsView {
    pub hidden_reason: String,
    pub reviews: Vec<ChairReview>,
    /// "Main author Ada Lovelace: 2 of 3 reviews submitted", when the setting asks for it.
    pub obligations: String,
}

pub async fn paper_reviews(
    ctx: &PageCtx,
    paper: &LoadedPaper,
) -> Result<Option<PaperReviewsView>, AppError> {
    if !policy::can_manage_conference(&ctx.actor) {
        return Ok(None);
    }
    let data = load(ctx).await?;
    let obligations = if ctx.settings.show_obligations_when_deciding {
        paper
            .authors
            .iter()
            .find(|a| a.is_main)
            .map(|main| {
                let mine: Vec<&AssignedReview> = data
                    .assigned
                    .iter()
                    .filter(|a| a.reviewer_email == main.email)
                    .collect();
                format!(
                    "Main author {}: {} of {} assigned reviews submitted.",
                    main.name,
                    mine.iter().filter(|a| a.is_submitted()).count(),
                    mine.len()
                )
            })
            .unwrap_or_default()
    } else {
        String::new()
    };
    if let Err(denied) = policy::perm_manage_reviews(&ctx.actor, paper.rights) {
        return Ok(Some(PaperReviewsView {
            hidden_reason: denied.to_string(),
            reviews: Vec::new(),
            obligations,
        }));
    }
    let spec = ReviewFormSpec::neurips();
    let tz = ctx.settings.tz();
    let style = ctx.settings.reviewer_labels;
    let reviews = data
        .assigned
        .iter()
        .filter(|a| a.submission_id == paper.row.id)
        .enumerate()
        .map(|(i, a)| {
            let label = style.label(i);
            let mut view = ChairReview {
                label: label.clone(),
                name: data.name(&a.reviewer_email),
                email: a.reviewer_email.clone(),
                state: a.state(),
                late: false,
                overall: "–".into(),
                confidence: "–".into(),
                talk: false,
                sections: Vec::new(),
                confidential: String::new(),
                reopened_until: String::new(),
            };
            if let Some(r) = &a.review {
                let s = shown(&spec, label, r);
                let content = parse_content(&r.content);
                view.late = r.late;
                view.overall = s.overall;
                view.confidence = s.confidence;
                view.sections = s.sections;
                view.talk = content.talk_recommendation;
                view.confidential = content
                    .texts
                    .get("confidential")
                    .cloned()
                    .unwrap_or_default();
                view.reopened_until = r
                    .reopened_until()
                    .filter(|u| *u > ctx.now)
                    .map(|u| format_in_zone(u, tz))
                    .unwrap_or_default();
            }
            view
        })
        .collect();
    Ok(Some(PaperReviewsView {
        hidden_reason: String::new(),
        reviews,
        obligations,
    }))
}
