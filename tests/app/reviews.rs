//! Reviewing through the site: drafts, submission, revisions and their deadline rules,
//! concurrent tabs, autosave, bad input, other reviews, the anonymity sweep, reminders, the
//! chairs' progress, exports and conflicts of a chair.

use chrono::{Duration, TimeZone, Utc};

use crate::assignment::{Workshop, workshop};
use crate::helpers::TestUser;

/// Reviews are due Fri 8 Oct 2027, 23:59:59 PDT.
fn due() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 10, 9, 6, 59, 59).unwrap()
}

/// A workshop with a committed assignment; returns it with (paper, reviewer email) pairs.
async fn assigned() -> (Workshop, Vec<(i32, String)>) {
    let w = workshop().await;
    let run = w.run("total").await;
    w.commit(&run).await;
    let pairs = w.committed().await;
    (w, pairs)
}

fn reviewer<'a>(w: &'a Workshop, email: &str) -> &'a TestUser {
    w.authors.iter().find(|a| a.email == email).unwrap()
}

fn version_on(html: &str) -> String {
    html.split("name=\"version\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or("")
        .to_string()
}

/// Posts the review form of paper `n` with the version shown on its page.
async fn post_review(
    w: &Workshop,
    n: i32,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let page = w.app.get_text(&format!("/reviews/{n}")).await;
    let version = version_on(&page);
    let mut all: Vec<(&str, &str)> = vec![("action", action), ("version", &version)];
    all.extend_from_slice(fields);
    w.app
        .post_form(&format!("/reviews/{n}"), &format!("/reviews/{n}"), &all)
        .await
}

const COMPLETE: [(&str, &str); 6] = [
    ("overall", "7"),
    ("confidence", "4"),
    ("summary", "The paper learns stiff dynamics."),
    (
        "strengths_weaknesses",
        "Strong experiments; weak baselines.",
    ),
    ("questions", "How does it scale?"),
    (
        "confidential",
        "Possibly overlapping with a NeurIPS submission.",
    ),
];

#[tokio::test]
async fn a_reviewer_drafts_submits_and_revises_until_the_due_date() {
    let (mut w, pairs) = assigned().await;
    let (n, email) = pairs[0].clone();
    let user = reviewer(&w, &email).clone();
    w.sign_in_as(&user).await;
    assert!(w.app.get_text("/reviews").await.contains("not started"));

    let draft = post_review(&w, n, "draft", &[("summary", "First thoughts")]).await;
    assert_eq!(draft.status(), 303);
    assert!(w.app.get_text("/reviews").await.contains(">draft<"));
    let page = w.app.get_text(&format!("/reviews/{n}")).await;
    assert!(page.contains("First thoughts") && version_on(&page) == "1");

    let incomplete = post_review(&w, n, "submit", &[("summary", "First thoughts")]).await;
    assert_eq!(incomplete.status(), 422);
    let html = incomplete.text().await.unwrap();
    assert!(html.contains("is required to submit"), "{html}");
    assert!(html.contains("First thoughts"), "the text is kept");
    assert_eq!(
        version_on(&w.app.get_text(&format!("/reviews/{n}")).await),
        "1",
        "nothing saved"
    );

    assert_eq!(post_review(&w, n, "submit", &COMPLETE).await.status(), 303);
    let page = w.app.get_text(&format!("/reviews/{n}")).await;
    assert!(
        page.contains(">submitted<") && page.contains("Update submitted review"),
        "{page}"
    );
    let mut revised = COMPLETE.to_vec();
    revised[0] = ("overall", "8");
    assert_eq!(post_review(&w, n, "submit", &revised).await.status(), 303);
    assert!(
        w.app
            .get_text(&format!("/reviews/{n}"))
            .await
            .contains("revised 1 time after submission")
    );

    // After the due date a submitted review is locked...
    w.app.clock.set(due() + Duration::seconds(1));
    let locked = post_review(&w, n, "submit", &COMPLETE).await;
    assert_eq!(locked.status(), 403);
    assert!(
        locked
            .text()
            .await
            .unwrap()
            .contains("your submitted review is locked")
    );
    // ... until a chair reopens it.
    w.as_chair().await;
    let reopen = w
        .app
        .post_form(
            &format!("/submissions/{n}"),
            "/chair/reviews/reopen",
            &[
                ("number", &n.to_string()),
                ("email", &email),
                ("hours", "24"),
            ],
        )
        .await;
    assert_eq!(reopen.status(), 303);
    w.sign_in_as(&user).await;
    assert_eq!(post_review(&w, n, "submit", &COMPLETE).await.status(), 303);
    w.as_chair().await;
    let chair_page = w.app.get_text(&format!("/submissions/{n}")).await;
    assert!(
        chair_page.contains("Possibly overlapping with a NeurIPS submission"),
        "chairs read confidential comments"
    );
    assert!(chair_page.contains(&email), "chairs see who reviewed");
}

#[tokio::test]
async fn late_reviews_are_accepted_and_marked_late() {
    let (mut w, pairs) = assigned().await;
    let (n, email) = pairs[0].clone();
    let user = reviewer(&w, &email).clone();
    w.sign_in_as(&user).await;
    w.app.clock.set(due() + Duration::hours(5));
    assert_eq!(post_review(&w, n, "submit", &COMPLETE).await.status(), 303);
    assert!(w.app.get_text("/reviews").await.contains("(late)"));
    w.as_chair().await;
    let progress = w.app.get_text("/chair/reviews").await;
    assert!(progress.contains("the due date has passed"), "{progress}");
    assert!(
        progress.contains("<strong>late</strong>"),
        "others are late: {progress}"
    );
    let csv = w.app.get_text("/chair/reviews.csv").await;
    assert!(
        csv.lines()
            .any(|l| l.contains(&email) && l.contains(",submitted,true,7,")),
        "{csv}"
    );
}

#[tokio::test]
async fn a_second_tab_never_overwrites_a_newer_save_silently() {
    let (mut w, pairs) = assigned().await;
    let (n, email) = pairs[0].clone();
    let user = reviewer(&w, &email).clone();
    w.sign_in_as(&user).await;
    let csrf = w.app.csrf(&format!("/reviews/{n}")).await;
    let send = |text: &'static str| {
        let app = &w.app;
        let csrf = csrf.clone();
        async move {
            app.client
                .post(app.url(&format!("/reviews/{n}")))
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("action", "draft"),
                    ("version", "0"),
                    ("summary", text),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(send("Written in tab one").await.status(), 303);
    let stale = send("Written in tab two").await;
    assert_eq!(stale.status(), 409);
    let html = stale.text().await.unwrap();
    assert!(html.contains("Your text was NOT saved"), "{html}");
    assert!(
        html.contains("Written in tab one") && html.contains("Written in tab two"),
        "both texts are on the page"
    );
    assert!(
        w.app
            .get_text(&format!("/reviews/{n}"))
            .await
            .contains("Written in tab one")
    );

    // The automatic save answers JSON, and refuses a stale version the same way.
    let auto = |version: &'static str, text: &'static str| {
        let app = &w.app;
        let csrf = csrf.clone();
        async move {
            app.client
                .post(app.url(&format!("/reviews/{n}/autosave")))
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("version", version),
                    ("summary", text),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    // Two first saves at the same moment (a fresh paper): one wins, the other is refused as
    // stale, never an error.
    let (other, _) = pairs
        .iter()
        .find(|p| p.1 == email && p.0 != n)
        .cloned()
        .expect("the fixture gives this reviewer a second paper");
    {
        let first = |text: &'static str| {
            let app = &w.app;
            let csrf = csrf.clone();
            async move {
                app.client
                    .post(app.url(&format!("/reviews/{other}/autosave")))
                    .form(&[("csrf", csrf.as_str()), ("version", "0"), ("summary", text)])
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }
        };
        let (a, b) = tokio::join!(first("one"), first("two"));
        let mut codes = [a, b];
        codes.sort_unstable();
        assert_eq!(codes, [200, 409]);
    }
    let ok = auto("1", "Autosaved text").await;
    assert_eq!(ok.status(), 200);
    let json: serde_json::Value = ok.json().await.unwrap();
    assert_eq!(json["saved"], true);
    assert_eq!(json["version"], 2);
    let stale = auto("1", "Old tab").await;
    assert_eq!(stale.status(), 409);
    let json: serde_json::Value = stale.json().await.unwrap();
    assert_eq!(json["saved"], false);
    assert_eq!(json["version"], 2);
    assert!(
        w.app
            .get_text(&format!("/reviews/{n}"))
            .await
            .contains("Autosaved text")
    );
}

#[tokio::test]
async fn bad_input_gets_a_clear_message_and_changes_nothing() {
    let (mut w, pairs) = assigned().await;
    let (n, email) = pairs[0].clone();
    let user = reviewer(&w, &email).clone();
    w.sign_in_as(&user).await;
    let mut bad = COMPLETE.to_vec();
    bad[0] = ("overall", "11");
    let r = post_review(&w, n, "submit", &bad).await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Overall score must be a whole number from 1 to 10.")
    );
    let long = "x".repeat(100_000);
    let mut huge = COMPLETE.to_vec();
    huge[2] = ("summary", &long);
    let r = post_review(&w, n, "submit", &huge).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("at most 5000 characters"));
    assert!(
        w.app.get_text("/reviews").await.contains("not started"),
        "nothing was saved"
    );

    let mut script = COMPLETE.to_vec();
    script[2] = (
        "summary",
        "<script>alert('x')</script> =HYPERLINK(\"http://evil\")",
    );
    assert_eq!(post_review(&w, n, "submit", &script).await.status(), 303);
    let page = w.app.get_text(&format!("/reviews/{n}")).await;
    assert!(!page.contains("<script>alert"), "escaped on the page");
    assert!(page.contains("&#60;script&#62;alert"), "{page}");

    // Another paper (not assigned, or one's own) answers exactly like a missing one.
    let other = (1..=5)
        .find(|m| !pairs.contains(&(*m, email.clone())))
        .unwrap();
    let missing = w.app.get("/reviews/999").await.text().await.unwrap();
    let r = w.app.get(&format!("/reviews/{other}")).await;
    assert_eq!(r.status(), 404);
    assert_eq!(r.text().await.unwrap(), missing);
    let csrf = w.app.csrf("/reviews").await;
    for path in [
        format!("/reviews/{other}"),
        format!("/reviews/{other}/autosave"),
    ] {
        let r = w
            .app
            .client
            .post(w.app.url(&path))
            .form(&[
                ("csrf", csrf.as_str()),
                ("action", "submit"),
                ("version", "0"),
                ("overall", "1"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{path}");
    }

    // A withdrawn paper takes no review.
    let (n2, email2) = pairs
        .iter()
        .find(|(m, e)| *m != n && *e != email)
        .cloned()
        .unwrap();
    w.as_chair().await;
    assert_eq!(
        w.app
            .post_form(
                &format!("/submissions/{n2}"),
                &format!("/chair/submissions/{n2}/status"),
                &[("status", "withdrawn"), ("confirm", "yes")]
            )
            .await
            .status(),
        303
    );
    let rev2 = reviewer(&w, &email2).clone();
    w.sign_in_as(&rev2).await;
    let r = post_review(&w, n2, "submit", &COMPLETE).await;
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("withdrawn"));
}

#[tokio::test]
async fn reviewers_see_the_others_after_submitting_labelled_and_without_confidential_parts() {
    let (mut w, pairs) = assigned().await;
    let n = pairs[0].0;
    let emails: Vec<String> = pairs
        .iter()
        .filter(|p| p.0 == n)
        .map(|p| p.1.clone())
        .collect();
    assert_eq!(emails.len(), 2);
    let first = reviewer(&w, &emails[0]).clone();
    let second = reviewer(&w, &emails[1]).clone();
    w.sign_in_as(&first).await;
    let mut mine = COMPLETE.to_vec();
    mine[3] = ("strengths_weaknesses", "First reviewer weaknesses");
    mine[5] = ("confidential", "First reviewer secret");
    assert_eq!(post_review(&w, n, "submit", &mine).await.status(), 303);
    w.sign_in_as(&second).await;
    let before = w.app.get_text(&format!("/reviews/{n}")).await;
    assert!(
        !before.contains("First reviewer weaknesses"),
        "not before submitting"
    );
    assert_eq!(post_review(&w, n, "submit", &COMPLETE).await.status(), 303);
    let after = w.app.get_text(&format!("/reviews/{n}")).await;
    assert!(after.contains("First reviewer weaknesses"));
    assert!(after.contains("<h3>Reviewer A"), "{after}");
    assert!(after.contains("other reviewers see you as Reviewer B"));
    assert!(!after.contains("First reviewer secret"));
    assert!(!after.contains(&first.name) && !after.contains(&first.email));
}

/// Every page, download and JSON a reviewer can reach shows nothing of the authors of the
/// papers they review.
#[tokio::test]
async fn nothing_a_reviewer_can_reach_names_the_authors_of_their_papers() {
    let (mut w, pairs) = assigned().await;
    for user in w.authors.clone() {
        let mine: Vec<i32> = pairs
            .iter()
            .filter(|p| p.1 == user.email)
            .map(|p| p.0)
            .collect();
        w.sign_in_as(&user).await;
        for &n in &mine {
            assert_eq!(post_review(&w, n, "submit", &COMPLETE).await.status(), 303);
        }
        let mut reached: Vec<(String, String)> = Vec::new();
        for path in ["/reviews", "/bids", "/reviewer/profile"] {
            reached.push((path.to_string(), w.app.get_text(path).await));
        }
        let csrf = w.app.csrf("/reviews").await;
        for &n in &mine {
            reached.push((
                format!("/reviews/{n}"),
                w.app.get_text(&format!("/reviews/{n}")).await,
            ));
            let pdf = w.app.get(&format!("/reviews/{n}/paper.pdf")).await;
            let disposition = pdf.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .to_string();
            reached.push((format!("/reviews/{n}/paper.pdf disposition"), disposition));
            let json = w
                .app
                .client
                .post(w.app.url(&format!("/reviews/{n}/autosave")))
                .form(&[("csrf", csrf.as_str()), ("version", "1")])
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            reached.push((format!("/reviews/{n}/autosave"), json));
        }
        for &n in &mine {
            let (name, email, affiliation, _) = crate::assignment::PEOPLE[n as usize - 1];
            let (cn, ce, ca) = crate::assignment::COAUTHORS[n as usize - 1];
            for (path, text) in &reached {
                for id in [name, email, affiliation, cn, ce, ca] {
                    assert!(!text.contains(id), "{} sees {id} on {path}", user.email);
                }
            }
        }
    }
}

#[tokio::test]
async fn reminders_go_out_on_the_configured_days_once_and_never_to_reviewers_who_are_done() {
    let (mut w, pairs) = assigned().await;
    let done = pairs[0].1.clone();
    let user = reviewer(&w, &done).clone();
    w.sign_in_as(&user).await;
    for (n, _) in pairs.iter().filter(|p| p.1 == done) {
        assert_eq!(post_review(&w, *n, "submit", &COMPLETE).await.status(), 303);
    }
    let base = w.app.address.clone();
    let sweep = |at: chrono::DateTime<Utc>| {
        let pool = w.app.pool.clone();
        let base = base.clone();
        w.app.clock.set(at);
        async move {
            cfp::jobs::review_reminders::sweep(&pool, at, &base)
                .await
                .unwrap()
        }
    };
    assert_eq!(sweep(due() - Duration::days(8)).await, 0, "too early");
    assert_eq!(
        sweep(due() - Duration::days(7) + Duration::hours(1)).await,
        4
    );
    assert_eq!(
        sweep(due() - Duration::days(6)).await,
        0,
        "each reminder once"
    );
    assert_eq!(
        sweep(due() - Duration::hours(20)).await,
        4,
        "the 1-day reminder"
    );
    assert_eq!(
        sweep(due() + Duration::hours(1)).await,
        0,
        "none after the due date"
    );
    assert!(
        w.app
            .mails_to(&done)
            .await
            .iter()
            .all(|m| !m.subject.contains("Reminder"))
    );
    let others: Vec<String> = w
        .authors
        .iter()
        .map(|a| a.email.clone())
        .filter(|e| *e != done)
        .collect();
    for email in &others {
        let reminders: Vec<_> = w
            .app
            .mails_to(email)
            .await
            .into_iter()
            .filter(|m| m.subject.contains("Reminder"))
            .collect();
        assert_eq!(reminders.len(), 2, "{email}");
        assert!(reminders[0].body.contains("Fri 8 Oct 2027, 23:59 PDT"));
        let name = &w.authors.iter().find(|a| a.email == *email).unwrap().name;
        assert!(
            reminders[0].body.starts_with(&format!("Hello {name},")),
            "the automatic reminder greets by name: {}",
            reminders[0].body
        );
    }

    // The chairs remind one person, or everyone late, from the progress page.
    w.as_chair().await;
    let progress = w.app.get_text("/chair/reviews").await;
    assert!(
        progress.contains(&format!("of {} assigned reviews submitted", pairs.len())),
        "{progress}"
    );
    let one = w
        .app
        .post_form(
            "/chair/reviews",
            "/chair/reviews/remind",
            &[("email", &others[0])],
        )
        .await;
    assert_eq!(one.status(), 303);
    assert_eq!(
        w.app
            .mails_to(&others[0])
            .await
            .iter()
            .filter(|m| m.subject.contains("Reminder"))
            .count(),
        3
    );
    let nobody = w
        .app
        .post_form(
            "/chair/reviews",
            "/chair/reviews/remind",
            &[("email", &done)],
        )
        .await;
    assert_eq!(
        nobody.status(),
        400,
        "nothing to remind a reviewer who is done of"
    );
    w.app.clock.advance(Duration::minutes(2));
    let all = w
        .app
        .post_form("/chair/reviews", "/chair/reviews/remind", &[("email", "")])
        .await;
    assert_eq!(all.status(), 303);
    assert!(
        w.app
            .get_text("/chair/reviews")
            .await
            .contains("4 reminders queued")
    );
}

#[tokio::test]
async fn exports_identify_reviewers_for_chairs_and_not_in_the_author_view() {
    let (mut w, pairs) = assigned().await;
    let (n, email) = pairs[0].clone();
    let user = reviewer(&w, &email).clone();
    w.sign_in_as(&user).await;
    assert_eq!(post_review(&w, n, "submit", &COMPLETE).await.status(), 303);
    w.as_chair().await;
    let all = w.app.get_text("/chair/reviews.csv").await;
    assert!(
        all.contains(&email) && all.contains("Possibly overlapping"),
        "{all}"
    );
    let authors = w.app.get_text("/chair/reviews-authors.csv").await;
    assert!(
        authors.contains("Reviewer ") && authors.contains("Strong experiments"),
        "{authors}"
    );
    assert!(
        !authors.contains(&email)
            && !authors.contains(&user.name)
            && !authors.contains("Possibly overlapping")
    );
}

#[tokio::test]
async fn a_chair_who_wrote_a_paper_sees_neither_its_reviewers_nor_its_reviews() {
    let (mut w, pairs) = assigned().await;
    let (n, email) = pairs[0].clone();
    let user = reviewer(&w, &email).clone();
    w.sign_in_as(&user).await;
    assert_eq!(post_review(&w, n, "submit", &COMPLETE).await.status(), 303);
    let author = w.authors[n as usize - 1].clone();
    w.app.make_chair(&author.email);
    w.sign_in_as(&author).await;
    let page = w.app.get_text(&format!("/submissions/{n}")).await;
    assert!(page.contains("You are an author of this paper"), "{page}");
    assert!(
        !page.contains(&email) && !page.contains("Possibly overlapping"),
        "{page}"
    );
    let csv = w.app.get_text("/chair/reviews.csv").await;
    assert!(
        csv.lines()
            .filter(|l| l.starts_with(&format!("{n},")))
            .all(|l| !l.contains(&email) && !l.contains("Possibly"))
    );
    let assignment = w.app.get_text("/chair/assignment.csv").await;
    assert!(
        !assignment.lines().any(|l| l.starts_with(&format!("{n},"))),
        "{assignment}"
    );
    let reopen = w
        .app
        .post_form(
            "/chair/reviews",
            "/chair/reviews/reopen",
            &[
                ("number", &n.to_string()),
                ("email", &email),
                ("hours", "5"),
            ],
        )
        .await;
    assert_eq!(reopen.status(), 403);
    let progress = w.app.get_text("/chair/reviews").await;
    assert!(progress.contains("your paper: hidden"));
}

#[tokio::test]
async fn every_review_route_checks_who_may_reach_it() {
    let (mut w, pairs) = assigned().await;
    let (n, email) = pairs[0].clone();
    let gets = [
        "/chair/reviews",
        "/chair/reviews.csv",
        "/chair/reviews-authors.csv",
    ];
    let number = n.to_string();
    let posts: [(&str, Vec<(&str, &str)>); 2] = [
        ("/chair/reviews/remind", vec![("email", "")]),
        (
            "/chair/reviews/reopen",
            vec![("number", &number), ("email", &email), ("hours", "5")],
        ),
    ];
    let user = reviewer(&w, &email).clone();
    w.sign_in_as(&user).await;
    for path in gets {
        assert_eq!(w.app.get(path).await.status(), 403, "reviewer GET {path}");
    }
    for (path, fields) in &posts {
        assert_eq!(
            w.app.post_form("/reviews", path, fields).await.status(),
            403,
            "reviewer POST {path}"
        );
    }
    w.app.client = crate::helpers::client();
    for path in gets.iter().chain(&["/reviews/1", "/reviews/1/paper.pdf"]) {
        let r = w.app.get(path).await;
        assert_eq!(r.status(), 303, "anonymous GET {path}");
        assert_eq!(
            r.headers()["location"],
            crate::helpers::signin_for(path).as_str()
        );
    }
    for path in [
        "/chair/reviews/remind",
        "/chair/reviews/reopen",
        "/reviews/1",
        "/reviews/1/autosave",
    ] {
        let r = w
            .app
            .post_form(
                "/signin",
                path,
                &[
                    ("email", ""),
                    ("number", "1"),
                    ("hours", "1"),
                    ("action", "draft"),
                    ("version", "0"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303, "anonymous POST {path}");
        assert_eq!(r.headers()["location"], "/signin");
    }
}
