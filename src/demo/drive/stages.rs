//! `cfp demo --stage assigned` (and `reviewed`): after the submissions, through the site's own pages, the
//! chair closes submissions (moves the deadline to a minute ago on the settings page) and
//! adds the volunteers as reviewers; every reviewer bids; the chair runs the engine with
//! loads that fit the pool and commits, which mails every reviewer their papers.

use actix_web::http::StatusCode;
use anyhow::{Context, bail};
use chrono::{Duration, Utc};

use super::Browser;
use crate::demo::reviews::review as demo_review;
use crate::demo::{DemoTrack, DemoWorkshop};
use crate::domain::conference::to_local_input;

/// Values of every field of the form posting to `action`, as a browser would send them back.
pub(super) fn form_values(html: &str, action: &str) -> Vec<(String, String)> {
    let Some(form) = html
        .split(&format!("action=\"{action}\""))
        .nth(1)
        .and_then(|r| r.split("</form>").next())
    else {
        return Vec::new();
    };
    let attr = |tag: &str, name: &str| {
        tag.split(&format!(" {name}=\""))
            .nth(1)
            .and_then(|r| r.split('"').next())
            .map(unescape)
    };
    let mut fields = Vec::new();
    for chunk in form.split("<input").skip(1) {
        let tag = chunk.split('>').next().unwrap_or("");
        let Some(name) = attr(tag, "name") else {
            continue;
        };
        if tag.contains("type=\"checkbox\"") {
            if tag.contains(" checked") {
                fields.push((name, "on".to_string()));
            }
        } else {
            fields.push((name, attr(tag, "value").unwrap_or_default()));
        }
    }
    for chunk in form.split("<textarea").skip(1) {
        let tag = chunk.split('>').next().unwrap_or("");
        if let Some(name) = attr(tag, "name") {
            let text = chunk
                .split_once('>')
                .map_or("", |(_, r)| r.split("</textarea>").next().unwrap_or(""));
            fields.push((name, unescape(text)));
        }
    }
    fields
}

fn unescape(s: &str) -> String {
    s.replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn set(fields: &mut [(String, String)], name: &str, value: String) {
    for f in fields.iter_mut().filter(|f| f.0 == name) {
        f.1 = value.clone();
    }
}

pub(super) async fn expect_redirect(
    b: &mut Browser,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> anyhow::Result<()> {
    let reply = b.post_form(page, action, fields).await?;
    if reply.status != StatusCode::SEE_OTHER {
        let reason: Vec<&str> = reply
            .body
            .split("class=\"error\">")
            .skip(1)
            .filter_map(|r| r.split('<').next())
            .filter(|r| !r.trim().is_empty())
            .collect();
        let reason = reason.join(" / ");
        bail!("POST {action} answered {}: {reason}", reply.status);
    }
    Ok(())
}

/// Takes the demo workshop from "submitted" to "assigned".
pub(crate) async fn assign(
    browsers: &mut [(String, Browser)],
    chair: usize,
    workshop: &DemoWorkshop,
) -> anyhow::Result<()> {
    let chair_browser = &mut browsers[chair].1;
    // Close submissions a minute ago, on the settings page.
    let page = chair_browser.get("/chair/settings").await?;
    let mut fields = form_values(&page.body, "/chair/settings");
    let tz: chrono_tz::Tz = fields
        .iter()
        .find(|f| f.0 == "time_zone")
        .and_then(|f| f.1.parse().ok())
        .context("no time zone on the settings page")?;
    let now = Utc::now();
    set(
        &mut fields,
        "submissions_open",
        to_local_input(now - Duration::days(1), tz),
    );
    set(
        &mut fields,
        "submission_deadline",
        to_local_input(now - Duration::minutes(1), tz),
    );
    set(&mut fields, "grace_minutes", "0".into());
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .filter(|f| f.0 != "csrf")
        .map(|f| (f.0.as_str(), f.1.as_str()))
        .collect();
    expect_redirect(chair_browser, "/chair/settings", "/chair/settings", &refs).await?;

    for v in &workshop.volunteers {
        expect_redirect(
            chair_browser,
            "/chair/reviewers",
            "/chair/reviewers",
            &[
                ("name", &v.name),
                ("email", &v.email),
                ("affiliation", &v.affiliation),
                ("keywords", "Neural ODEs, Scientific machine learning"),
            ],
        )
        .await?;
    }

    // Every reviewer bids: eager on their two best matches, willing on the next two, not
    // willing on the worst.
    let mut reviewers: Vec<&str> = workshop
        .submissions
        .iter()
        .map(|s| s.authors[s.main_author].email.as_str())
        .collect();
    reviewers.extend(workshop.volunteers.iter().map(|v| v.email.as_str()));
    for email in &reviewers {
        let Some((_, b)) = browsers.iter_mut().find(|(e, _)| e == email) else {
            continue;
        };
        let page = b.get("/bids").await?;
        let mut numbers: Vec<String> = Vec::new();
        for chunk in page.body.split("name=\"bid_").skip(1) {
            let n = chunk.split('"').next().unwrap_or("").to_string();
            if !numbers.contains(&n) {
                numbers.push(n);
            }
        }
        let mut bids: Vec<(String, &str)> = Vec::new();
        for (i, n) in numbers.iter().enumerate() {
            let bid = match i {
                0 | 1 => "eager",
                2 | 3 => "willing",
                _ if i + 1 == numbers.len() => "not_willing",
                _ => continue,
            };
            bids.push((format!("bid_{n}"), bid));
        }
        let refs: Vec<(&str, &str)> = bids.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        expect_redirect(b, "/bids", "/bids", &refs).await?;
    }

    // Loads that fit: every paper gets its reviews and nobody is asked for more than 5.
    let needed: usize = workshop
        .submissions
        .iter()
        .map(|s| if s.track == DemoTrack::Paper { 3 } else { 1 })
        .sum();
    let min_load = (needed / reviewers.len().max(1)).min(3).to_string();
    let chair_browser = &mut browsers[chair].1;
    expect_redirect(
        chair_browser,
        "/chair/assignment",
        "/chair/assignment/run",
        &[
            ("objective", "total"),
            ("reviews_per_paper", "3"),
            ("reviews_per_published_paper", "1"),
            ("min_load", &min_load),
            ("max_load", "5"),
        ],
    )
    .await?;
    let page = chair_browser.get("/chair/assignment").await?;
    let run = page
        .body
        .split("name=\"run\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .context("no preview after running the engine")?
        .to_string();
    expect_redirect(
        chair_browser,
        "/chair/assignment",
        "/chair/assignment/commit",
        &[("run", &run), ("confirm", "yes")],
    )
    .await
}

/// Every reviewer writes their reviews through the review form: most submit, a few leave a
/// draft.
pub(crate) async fn review(
    browsers: &mut [(String, Browser)],
    workshop: &DemoWorkshop,
    seed: u64,
) -> anyhow::Result<()> {
    let mut reviewers: Vec<&str> = workshop
        .submissions
        .iter()
        .map(|s| s.authors[s.main_author].email.as_str())
        .collect();
    reviewers.extend(workshop.volunteers.iter().map(|v| v.email.as_str()));
    for email in reviewers {
        let Some((_, b)) = browsers.iter_mut().find(|(e, _)| e == email) else {
            continue;
        };
        let list = b.get("/reviews").await?;
        let mut numbers: Vec<i32> = Vec::new();
        for chunk in list.body.split("href=\"/reviews/").skip(1) {
            if let Ok(n) = chunk.split('"').next().unwrap_or("").parse::<i32>()
                && !numbers.contains(&n)
            {
                numbers.push(n);
            }
        }
        for n in numbers {
            let path = format!("/reviews/{n}");
            let page = b.get(&path).await?;
            let version = page
                .body
                .split("name=\"version\" value=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap_or("0")
                .to_string();
            let title = workshop
                .submissions
                .get(usize::try_from(n - 1).unwrap_or(usize::MAX))
                .map(|s| s.title.as_str())
                .unwrap_or("");
            let r = demo_review(seed, n, email, title);
            let (overall, confidence) = (r.overall.to_string(), r.confidence.to_string());
            let action = if r.submit { "submit" } else { "draft" };
            let mut fields: Vec<(&str, &str)> = vec![
                ("action", action),
                ("version", &version),
                ("overall", &overall),
                ("confidence", &confidence),
                ("confidential", &r.confidential),
            ];
            if page.body.contains("name=\"summary\"") {
                fields.extend([
                    ("summary", r.summary.as_str()),
                    ("strengths_weaknesses", r.strengths_weaknesses.as_str()),
                    ("questions", r.questions.as_str()),
                ]);
                if r.talk {
                    fields.push(("talk_recommendation", "on"));
                }
            } else {
                fields.push(("comment", r.comment.as_str()));
            }
            expect_redirect(b, &path, &path, &fields).await?;
        }
    }
    Ok(())
}

/// What the paper ranked `i` (0-based) of `count` gets: the four best contributed talks, the
/// next eight spotlights, posters up to half of the papers, the rest rejected.
pub(super) fn recommendation_for(i: usize, count: usize) -> &'static str {
    match i {
        0..4 => "talk",
        4..12 => "spotlight",
        _ if i < count / 2 => "poster",
        _ => "reject",
    }
}

/// The chair decides from the decisions page, best calibrated score first: the four best are
/// contributed talks, the next eight spotlights, posters up to half of the papers, the rest
/// rejected; with `release`, the chair then releases them (every author gets a letter).
pub(crate) async fn decide(chair: &mut Browser, release: bool) -> anyhow::Result<()> {
    let page = chair.get("/chair/decisions?sort=calibrated").await?;
    let numbers: Vec<String> = page
        .body
        .split("<tr id=\"paper-")
        .skip(1)
        .filter_map(|r| r.split('"').next().map(str::to_string))
        .collect();
    for (i, n) in numbers.iter().enumerate() {
        let decision = recommendation_for(i, numbers.len());
        expect_redirect(
            chair,
            "/chair/decisions",
            "/chair/decisions/set",
            &[("number", n), ("decision", decision)],
        )
        .await?;
    }
    if release {
        expect_redirect(
            chair,
            "/chair/decisions/release",
            "/chair/decisions/release",
            &[("confirm_undecided", "on"), ("confirm", "yes")],
        )
        .await?;
        // Publish the day the program page proposes from the released decisions.
        let page = chair.get("/chair/program").await?;
        let fields = form_values(&page.body, "/chair/program");
        let refs: Vec<(&str, &str)> = fields
            .iter()
            .filter(|f| f.0 != "csrf")
            .map(|f| (f.0.as_str(), f.1.as_str()))
            .collect();
        expect_redirect(chair, "/chair/program", "/chair/program", &refs).await?;
    }
    Ok(())
}
