//! `cfp demo --stage discussed`: after the reviews, through the site's own pages, the chair
//! opens the author response (now, for three days) on the discussion settings page, the
//! authors of most papers respond, reviewers of a few papers comment and most reviewers tick
//! "I have read the response", and the chair writes a meta-review of every paper from the
//! ranking on the decisions board.

use anyhow::Context;
use chrono::{Duration, Utc};

use super::Browser;
use super::stages::{expect_redirect, form_values, recommendation_for};
use crate::demo::DemoWorkshop;
use crate::demo::discussion as text;
use crate::domain::conference::to_local_input;

/// Takes the demo workshop from "reviewed" to "discussed".
pub(crate) async fn discuss(
    browsers: &mut [(String, Browser)],
    chair: usize,
    workshop: &DemoWorkshop,
    seed: u64,
) -> anyhow::Result<()> {
    open_response(&mut browsers[chair].1).await?;
    for (i, s) in workshop.submissions.iter().enumerate() {
        let number = i32::try_from(i + 1).context("too many submissions")?;
        if !text::responds(seed, number) {
            continue;
        }
        let main = &s.authors[s.main_author.min(s.authors.len().saturating_sub(1))];
        let Some((_, b)) = browsers.iter_mut().find(|(e, _)| *e == main.email) else {
            continue;
        };
        let path = format!("/submissions/{number}/response");
        let page = b.get(&path).await?;
        let version = page
            .body
            .split("name=\"version\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or("0")
            .to_string();
        let body = text::response(seed, number, &s.title);
        expect_redirect(
            b,
            &path,
            &path,
            &[("action", "submit"), ("version", &version), ("body", &body)],
        )
        .await?;
    }
    let mut reviewers: Vec<String> = workshop
        .submissions
        .iter()
        .map(|s| s.authors[s.main_author].email.clone())
        .collect();
    reviewers.extend(workshop.volunteers.iter().map(|v| v.email.clone()));
    for email in reviewers {
        let Some((_, b)) = browsers.iter_mut().find(|(e, _)| *e == email) else {
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
            let ack = format!("/reviews/{n}/acknowledge");
            if page.body.contains(&format!("action=\"{ack}\""))
                && text::acknowledges(seed, n, &email)
            {
                expect_redirect(b, &path, &ack, &[]).await?;
            }
            let post = format!("/reviews/{n}/comments");
            if text::discussed(n) && page.body.contains(&format!("action=\"{post}\"")) {
                let body = text::comment(seed, n, &email);
                expect_redirect(
                    b,
                    &path,
                    &post,
                    &[("body", &body), ("audience", "reviewers")],
                )
                .await?;
            }
        }
    }
    meta_reviews(&mut browsers[chair].1).await
}

/// The chair enables the author response from a minute ago for three days.
async fn open_response(chair: &mut Browser) -> anyhow::Result<()> {
    let path = "/chair/discussion/settings";
    let page = chair.get(path).await?;
    let mut fields = form_values(&page.body, path);
    let settings_tz = zone_of(chair).await?;
    let now = Utc::now();
    let opens = to_local_input(now - Duration::minutes(1), settings_tz);
    let closes = to_local_input(now + Duration::days(3), settings_tz);
    fields.retain(|f| {
        !matches!(
            f.0.as_str(),
            "csrf" | "response_enabled" | "comments_to_authors" | "meta_review_to_authors"
        )
    });
    for f in fields.iter_mut() {
        match f.0.as_str() {
            "response_opens" => f.1 = opens.clone(),
            "response_closes" => f.1 = closes.clone(),
            _ => {}
        }
    }
    let mut refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|f| (f.0.as_str(), f.1.as_str()))
        .collect();
    refs.extend([
        ("response_enabled", "on"),
        ("comments_to_authors", "on"),
        ("meta_review_to_authors", "on"),
    ]);
    expect_redirect(chair, path, path, &refs).await
}

/// The conference time zone, as the main settings form shows it.
async fn zone_of(chair: &mut Browser) -> anyhow::Result<chrono_tz::Tz> {
    let page = chair.get("/chair/settings").await?;
    let fields = form_values(&page.body, "/chair/settings");
    Ok(fields
        .iter()
        .find(|f| f.0 == "time_zone")
        .and_then(|f| f.1.parse().ok())
        .unwrap_or(chrono_tz::UTC))
}

/// A meta-review of every paper, recommending what its rank on the board suggests.
async fn meta_reviews(chair: &mut Browser) -> anyhow::Result<()> {
    let page = chair.get("/chair/decisions?sort=calibrated").await?;
    let numbers: Vec<String> = page
        .body
        .split("<tr id=\"paper-")
        .skip(1)
        .filter_map(|r| r.split('"').next().map(str::to_string))
        .collect();
    for (i, n) in numbers.iter().enumerate() {
        let recommendation = recommendation_for(i, numbers.len());
        let number: i32 = n.parse().context("a paper number on the board")?;
        let path = format!("/chair/papers/{n}/discussion");
        let summary = text::meta_review(number, recommendation);
        expect_redirect(
            chair,
            &path,
            &format!("/chair/papers/{n}/meta-review"),
            &[
                ("summary", &summary),
                ("recommendation", recommendation),
                ("version", "0"),
            ],
        )
        .await?;
    }
    Ok(())
}
