//! The phase-aware chairs' dashboard: where the conference stands and the next step. The walk
//! test runs a whole workshop (assignment, reviews, decisions, release, program) the way a
//! chair would: only by following the dashboard's next-step link and submitting the forms
//! found on the pages it leads to, never typing a URL.

use crate::assignment::workshop;
use crate::helpers::{TestApp, client, spawn_app};

/// A form found on a page: where it posts and the values a browser would send back.
struct Form {
    action: String,
    fields: Vec<(String, String)>,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    tag.split(&format!(" {name}=\""))
        .nth(1)
        .and_then(|r| r.split('"').next())
        .map(|v| {
            v.replace("&amp;", "&")
                .replace("&quot;", "\"")
                .replace("&#x2f;", "/")
        })
}

/// Every POST form of `html`, with inputs, selects (the selected or first option) and
/// textareas, as a browser submits them untouched.
fn forms(html: &str) -> Vec<Form> {
    html.split("<form")
        .skip(1)
        .filter_map(|chunk| {
            let tag = chunk.split('>').next()?;
            if !tag.contains("method=\"post\"") {
                return None;
            }
            let action = attr(tag, "action")?;
            let body = chunk.split("</form>").next()?;
            let mut fields = Vec::new();
            for input in body.split("<input").skip(1) {
                let t = input.split('>').next().unwrap_or("");
                let Some(name) = attr(t, "name") else {
                    continue;
                };
                if t.contains("type=\"checkbox\"") {
                    if t.contains(" checked") {
                        fields.push((name, "on".into()));
                    }
                } else {
                    fields.push((name, attr(t, "value").unwrap_or_default()));
                }
            }
            for select in body.split("<select").skip(1) {
                let t = select.split('>').next().unwrap_or("");
                let Some(name) = attr(t, "name") else {
                    continue;
                };
                let options = select.split("</select>").next().unwrap_or("");
                let chosen = options
                    .split("<option")
                    .skip(1)
                    .find(|o| o.split('>').next().unwrap_or("").contains(" selected"))
                    .or_else(|| options.split("<option").nth(1))
                    .and_then(|o| attr(o.split('>').next().unwrap_or(""), "value"))
                    .unwrap_or_default();
                fields.push((name, chosen));
            }
            for area in body.split("<textarea").skip(1) {
                let t = area.split('>').next().unwrap_or("");
                let Some(name) = attr(t, "name") else {
                    continue;
                };
                let text = area
                    .split_once('>')
                    .map_or("", |(_, r)| r.split("</textarea>").next().unwrap_or(""));
                fields.push((
                    name,
                    text.replace("&lt;", "<")
                        .replace("&gt;", ">")
                        .replace("&quot;", "\"")
                        .replace("&#x27;", "'")
                        .replace("&amp;", "&"),
                ));
            }
            Some(Form { action, fields })
        })
        .collect()
}

/// The first form posting to `action` whose fields satisfy `pick`.
fn form_on(html: &str, action: &str, pick: impl Fn(&Form) -> bool) -> Form {
    forms(html)
        .into_iter()
        .find(|f| f.action == action && pick(f))
        .unwrap_or_else(|| panic!("no form to {action} on the page:\n{html}"))
}

fn confirmed(f: &Form) -> bool {
    f.fields.iter().any(|(n, v)| n == "confirm" && v == "yes")
}

async fn submit(app: &TestApp, form: &Form, extra: &[(String, String)]) -> reqwest::Response {
    let mut fields = form.fields.clone();
    for (n, v) in extra {
        fields.retain(|(k, _)| k != n);
        fields.push((n.clone(), v.clone()));
    }
    app.client
        .post(app.url(&form.action))
        .form(&fields)
        .send()
        .await
        .unwrap()
}

/// The dashboard's next step: (its link, the page's text).
async fn next_step(app: &TestApp) -> (String, String) {
    let page = app.get_text("/chair").await;
    let link = page
        .split("class=\"next-step-link button\" href=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_else(|| panic!("no next step on the dashboard:\n{page}"))
        .to_string();
    (link, page)
}

/// Submits the form, then the confirmation form the answer shows (the second click).
async fn submit_and_confirm(app: &TestApp, form: &Form, extra: &[(String, String)]) {
    let r = submit(app, form, extra).await;
    assert_eq!(r.status(), 200, "a confirmation step first");
    let page = r.text().await.unwrap();
    let yes = form_on(&page, &form.action, confirmed);
    let r = submit(app, &yes, &[]).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
}

#[tokio::test]
async fn a_chair_runs_the_conference_from_the_next_step_links_alone() {
    let mut w = workshop().await;
    // Assignment: the link leads to the engine's form; its defaults give a preview.
    let (link, page) = next_step(&w.app).await;
    assert_eq!(link, "/chair/assignment");
    assert!(page.contains("Assigning reviewers"), "{page}");
    let html = w.app.get_text(&link).await;
    let run = form_on(&html, "/chair/assignment/run", |_| true);
    assert_eq!(submit(&w.app, &run, &[]).await.status(), 303);
    let (link, page) = next_step(&w.app).await;
    assert!(page.contains("preview is waiting"), "{page}");
    let html = w.app.get_text(&link).await;
    let commit = form_on(&html, "/chair/assignment/commit", |f| !confirmed(f));
    submit_and_confirm(&w.app, &commit, &[]).await;
    // Reviewing: the dashboard sends the chair to the progress page; reviewers write.
    let (link, page) = next_step(&w.app).await;
    assert_eq!(link, "/chair/reviews");
    assert!(page.contains("0 of 10 reviews are submitted"), "{page}");
    assert!(w.app.get(&link).await.status().is_success());
    let pairs = w.committed().await;
    for author in w.authors.clone() {
        w.sign_in_as(&author).await;
        for (n, _) in pairs.iter().filter(|p| p.1 == author.email) {
            let html = w.app.get_text(&format!("/reviews/{n}")).await;
            let form = form_on(&html, &format!("/reviews/{n}"), |_| true);
            let fill: Vec<(String, String)> = [
                ("action", "submit"),
                ("overall", "7"),
                ("confidence", "4"),
                ("summary", "A summary for the authors."),
                ("strengths_weaknesses", "Strengths and weaknesses."),
            ]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
            assert_eq!(submit(&w.app, &form, &fill).await.status(), 303);
        }
    }
    w.as_chair().await;
    // Deciding: tick every paper on the board and accept them as posters in one go.
    let (link, page) = next_step(&w.app).await;
    assert_eq!(link, "/chair/decisions");
    assert!(page.contains("5 papers have no decision yet"), "{page}");
    let html = w.app.get_text(&link).await;
    let bulk = form_on(&html, "/chair/decisions/bulk", |_| true);
    let mut ticks: Vec<(String, String)> = html
        .split("name=\"pick_")
        .skip(1)
        .filter_map(|r| r.split('"').next())
        .map(|n| (format!("pick_{n}"), "on".to_string()))
        .collect();
    assert_eq!(ticks.len(), 5);
    ticks.push(("bulk_decision".into(), "poster".into()));
    submit_and_confirm(&w.app, &bulk, &ticks).await;
    // Releasing: one click shows the count of letters, the second sends them.
    let (link, page) = next_step(&w.app).await;
    assert_eq!(link, "/chair/decisions/release");
    assert!(
        page.contains("5 papers are decided but not released"),
        "{page}"
    );
    let html = w.app.get_text(&link).await;
    let release = form_on(&html, "/chair/decisions/release", |f| !confirmed(f));
    submit_and_confirm(&w.app, &release, &[]).await;
    // The program: the editor proposes a day; publishing it as proposed.
    let (link, _) = next_step(&w.app).await;
    assert_eq!(link, "/chair/program");
    let html = w.app.get_text(&link).await;
    let program = form_on(&html, "/chair/program", |_| true);
    let r = submit(&w.app, &program, &[]).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    // Camera-ready versions are the authors' to upload: the chair is told and can write.
    let (link, page) = next_step(&w.app).await;
    assert_eq!(link, "/chair/mail");
    assert!(
        page.contains("5 accepted papers have no camera-ready version yet"),
        "{page}"
    );
    assert!(
        page.contains("10 decision letters sent (0 delivered so far)"),
        "{page}"
    );
    w.app.deliver_mail().await;
    let (_, page) = next_step(&w.app).await;
    assert!(
        page.contains("10 decision letters sent (10 delivered so far)"),
        "{page}"
    );
    assert!(w.app.get(&link).await.status().is_success());
}

#[tokio::test]
async fn the_dashboard_counts_what_stands_and_is_for_chairs_only() {
    let w = workshop().await;
    let page = w.app.get_text("/chair").await;
    assert!(page.contains("5 submitted, 0 withdrawn"), "{page}");
    assert!(page.contains("0 reviews done, 0 missing"), "{page}");
    let mut app = w.app;
    app.client = client();
    assert_eq!(
        app.get("/chair").await.status(),
        303,
        "visitors sign in first"
    );
    let author = w.authors[0].clone();
    assert_eq!(
        app.sign_in(&author.email, &author.password).await.status(),
        303
    );
    assert_eq!(app.get("/chair").await.status(), 403);
}

#[tokio::test]
async fn an_empty_conference_before_its_deadline_is_pointed_at_the_settings() {
    let app = spawn_app().await;
    app.sign_in_as_chair().await;
    let (link, page) = next_step(&app).await;
    assert_eq!(link, "/chair/settings");
    assert!(page.contains("Submissions are open"), "{page}");
}
