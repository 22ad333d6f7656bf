//! The discussion after reviewing, through the site: reviewers' comments labelled as in the
//! reviews, chairs who see who wrote what, a conflicted chair who sees nothing, editing with
//! history and optimistic locking, two comments at once, deadlines enforced by the server,
//! the author response (window, drafts, autosave, word limit, emails to reviewers,
//! acknowledgements, revisions after it), the meta-review and when authors read it, the
//! decisions board and exports, digests, the settings page, and who may reach each route.

use chrono::{Duration, TimeZone, Utc};

use crate::assignment::{COAUTHORS, PEOPLE, Workshop, workshop};
use crate::helpers::{TestUser, client, extract_csrf};

/// Reviews are due Fri 8 Oct 2027, 23:59:59 PDT.
pub fn due() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 10, 9, 6, 59, 59).unwrap()
}

/// Decisions are planned for Sun 17 Oct 2027, 12:00 PDT.
fn decisions_planned() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 10, 17, 19, 0, 0).unwrap()
}

/// A committed assignment; paper 1's two reviewers (in label order: A, B).
async fn assigned() -> (Workshop, Vec<TestUser>) {
    let w = workshop().await;
    let run = w.run("total").await;
    w.commit(&run).await;
    let pairs = w.committed().await;
    // The chairs' paper page lists paper 1's reviewers in label order.
    let page = w.app.get_text("/chair/papers/1/discussion").await;
    let mut reviewers: Vec<TestUser> = pairs
        .iter()
        .filter(|(n, _)| *n == 1)
        .map(|(_, e)| w.authors.iter().find(|a| a.email == *e).unwrap().clone())
        .collect();
    reviewers.sort_by_key(|r| page.find(&r.email).unwrap());
    assert_eq!(reviewers.len(), 2);
    (w, reviewers)
}

/// Everything that identifies the authors of paper 1.
fn paper_one_authors() -> Vec<&'static str> {
    let (name, email, affiliation, _) = PEOPLE[0];
    let (cn, ce, ca) = COAUTHORS[0];
    vec![name, email, affiliation, cn, ce, ca]
}

pub fn assert_no_author_identity(text: &str, what: &str) {
    for id in paper_one_authors() {
        assert!(!text.contains(id), "{what} reveals {id}");
        assert!(
            !text.contains(&id.replace('\'', "&#x27;")),
            "{what} reveals {id}"
        );
    }
}

pub fn assert_no_reviewer_identity(text: &str, reviewers: &[TestUser], what: &str) {
    for r in reviewers {
        for id in [&r.name, &r.email, &r.affiliation] {
            assert!(!text.contains(id.as_str()), "{what} reveals {id}");
        }
    }
}

fn version_on(html: &str) -> String {
    html.split("name=\"version\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or("")
        .to_string()
}

/// Signs in as `reviewer` and submits their review of paper 1.
async fn submit_review(w: &mut Workshop, reviewer: &TestUser) {
    w.sign_in_as(reviewer).await;
    let page = w.app.get_text("/reviews/1").await;
    let version = version_on(&page);
    let r = w
        .app
        .post_form(
            "/reviews/1",
            "/reviews/1",
            &[
                ("action", "submit"),
                ("version", &version),
                ("overall", "6"),
                ("confidence", "4"),
                ("summary", "A summary for the authors."),
                ("strengths_weaknesses", "Visible strengths."),
                ("confidential", "SECRET-FOR-CHAIRS"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
}

/// Posts a comment on paper 1 as the signed-in reviewer.
pub async fn comment(w: &Workshop, body: &str, audience: &str) -> reqwest::Response {
    w.app
        .post_form(
            "/reviews/1",
            "/reviews/1/comments",
            &[("body", body), ("audience", audience)],
        )
        .await
}

/// Both reviews of paper 1 submitted; the second reviewer is signed in.
pub async fn reviewed() -> (Workshop, Vec<TestUser>) {
    let (mut w, reviewers) = assigned().await;
    for r in &reviewers {
        submit_review(&mut w, r).await;
    }
    (w, reviewers)
}

pub fn enable_response(w: &Workshop, comments_to_authors: bool) {
    w.app.change_settings(|s| {
        s.discussion.response_enabled = true;
        s.discussion.comments_to_authors = comments_to_authors;
        s.discussion.response_word_limit = 60;
    });
}

#[tokio::test]
async fn reviewers_discuss_after_their_own_review_labelled_and_never_named() {
    let (mut w, reviewers) = assigned().await;
    let (a, b) = (reviewers[0].clone(), reviewers[1].clone());
    w.sign_in_as(&a).await;
    let before = w.app.get_text("/reviews/1").await;
    assert!(
        before.contains("The discussion opens once you submit your review"),
        "{before}"
    );
    assert_eq!(comment(&w, "Too early", "reviewers").await.status(), 403);

    submit_review(&mut w, &a).await;
    let r = comment(&w, "The baselines look weak to me.", "reviewers").await;
    assert_eq!(r.status(), 303);
    let page = w.app.get_text("/reviews/1").await;
    assert!(page.contains("You (Reviewer A)") && page.contains("The baselines look weak"));
    assert_no_author_identity(&page, "the reviewer's discussion");

    // B has not submitted and reviews are not due: B reads nothing yet.
    w.sign_in_as(&b).await;
    let hidden = w.app.get_text("/reviews/1").await;
    assert!(!hidden.contains("The baselines look weak"));
    submit_review(&mut w, &b).await;
    let shown = w.app.get_text("/reviews/1").await;
    assert!(shown.contains("Reviewer A") && shown.contains("The baselines look weak"));
    assert_no_reviewer_identity(&shown, std::slice::from_ref(&a), "B's view of A's comment");
    assert_no_author_identity(&shown, "B's discussion");

    // From the due date on, every assigned reviewer reads it, submitted or not.
    let (w2, reviewers2) = assigned().await;
    let mut w2 = w2;
    submit_review(&mut w2, &reviewers2[0]).await;
    assert_eq!(
        comment(&w2, "Early thought", "reviewers").await.status(),
        303
    );
    w2.sign_in_as(&reviewers2[1]).await;
    w2.app.clock.set(due() + Duration::seconds(1));
    assert!(
        w2.app
            .get_text("/reviews/1")
            .await
            .contains("Early thought")
    );
}

#[tokio::test]
async fn chairs_see_who_wrote_each_comment_and_post_as_chair() {
    let (mut w, reviewers) = reviewed().await;
    assert_eq!(
        comment(&w, "I changed my mind.", "reviewers")
            .await
            .status(),
        303
    );
    w.as_chair().await;
    let page = w.app.get_text("/chair/papers/1/discussion").await;
    assert!(page.contains(&reviewers[1].email) && page.contains(&reviewers[1].name));
    assert!(page.contains("I changed my mind."));
    let r = w
        .app
        .post_form(
            "/chair/papers/1/discussion",
            "/chair/papers/1/comments",
            &[
                ("body", "Please converge by Friday."),
                ("audience", "reviewers"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    w.sign_in_as(&reviewers[0]).await;
    let seen = w.app.get_text("/reviews/1").await;
    assert!(seen.contains("Please converge by Friday.") && seen.contains(">Chair <"));
    assert!(!seen.contains(&w.chair.name) && !seen.contains(&w.chair.email));
}

#[tokio::test]
async fn a_conflicted_chair_sees_nothing_of_the_papers_discussion() {
    let (w, _) = reviewed().await;
    assert_eq!(
        comment(&w, "SECRET-THREAD-TEXT", "reviewers")
            .await
            .status(),
        303
    );
    // The author of paper 1 is a chair too.
    let mut w = w;
    let author = w.authors[0].clone();
    w.app.make_chair(&author.email);
    w.sign_in_as(&author).await;
    let r = w.app.get("/chair/papers/1/discussion").await;
    assert_eq!(r.status(), 403);
    let html = r.text().await.unwrap();
    assert!(html.contains("conflict") && !html.contains("SECRET-THREAD-TEXT"));
    let history = w.app.get_text("/submissions/1").await;
    assert!(
        !history.contains("Comment posted in the discussion"),
        "the paper's history"
    );
    for path in [
        "/chair/discussion.csv",
        "/chair/discussion.json",
        "/chair/decisions",
    ] {
        let text = w.app.get_text(path).await;
        assert!(!text.contains("SECRET-THREAD-TEXT"), "{path}");
    }
    let post = w
        .app
        .post_form(
            "/chair/decisions",
            "/chair/papers/1/comments",
            &[("body", "hi"), ("audience", "reviewers")],
        )
        .await;
    assert_eq!(post.status(), 403);

    // A chair with a conflict entered on paper 1 is refused the same way.
    w.as_chair().await;
    {
        let mut c = w.app.pool.get().unwrap();
        let id = cfp::db::submissions::find_by_number(&mut c, 1)
            .unwrap()
            .unwrap()
            .id;
        let chair = cfp::db::users::find_by_email(
            &mut c,
            &cfp::domain::account::Email::parse(&w.chair.email).unwrap(),
        )
        .unwrap()
        .unwrap();
        cfp::db::assignments::enter_conflict(
            &mut c,
            &id,
            &w.chair.email,
            "chair",
            "former student",
            &chair.user_id(),
            due(),
        )
        .unwrap();
    }
    assert_eq!(w.app.get("/chair/papers/1/discussion").await.status(), 403);
    assert!(
        !w.app
            .get_text("/chair/discussion.json")
            .await
            .contains("SECRET-THREAD-TEXT")
    );
}

/// A client of its own, signed in as `user`, with the CSRF token of `page`.
async fn browser(w: &Workshop, user: &TestUser, page: &str) -> (reqwest::Client, String) {
    let c = client();
    let form = c
        .get(w.app.url("/signin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = extract_csrf(&form).unwrap();
    let r = c
        .post(w.app.url("/signin"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", &user.email),
            ("password", &user.password),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let html = c
        .get(w.app.url(page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    (c, extract_csrf(&html).unwrap())
}

#[tokio::test]
async fn an_empty_comment_comes_back_with_its_form_and_nothing_is_stored() {
    let (w, _) = reviewed().await;
    let comments = |page: &str| page.matches(r#"<section class="comment"#).count();
    assert_eq!(
        comment(&w, "A first comment", "reviewers").await.status(),
        303
    );
    assert_eq!(comments(&w.app.get_text("/reviews/1").await), 1);
    let refused = comment(&w, "   ", "reviewers").await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(page.contains("Your comment was not saved"), "{page}");
    assert!(page.contains(r#"action="/reviews/1/comments""#), "{page}");
    assert_eq!(comments(&w.app.get_text("/reviews/1").await), 1);
}

#[tokio::test]
async fn two_people_commenting_at_once_both_land() {
    let (w, reviewers) = reviewed().await;
    let (a, a_csrf) = browser(&w, &reviewers[0], "/reviews/1").await;
    let (b, b_csrf) = browser(&w, &reviewers[1], "/reviews/1").await;
    let url = w.app.url("/reviews/1/comments");
    let send = |c: &reqwest::Client, csrf: &str, body: &str| {
        c.post(&url)
            .form(&[("csrf", csrf), ("body", body), ("audience", "reviewers")])
            .send()
    };
    let (ra, rb) = tokio::join!(
        send(&a, &a_csrf, "Comment from the first reviewer"),
        send(&b, &b_csrf, "Comment from the second reviewer")
    );
    assert_eq!(ra.unwrap().status(), 303);
    assert_eq!(rb.unwrap().status(), 303);
    let page = w.app.get_text("/reviews/1").await;
    assert!(page.contains("Comment from the first reviewer"));
    assert!(page.contains("Comment from the second reviewer"));
}

#[tokio::test]
async fn a_comment_is_editable_for_a_while_stale_edits_are_refused_and_history_is_kept() {
    let (mut w, _) = reviewed().await;
    assert_eq!(
        comment(&w, "First wording", "reviewers").await.status(),
        303
    );
    let page = w.app.get_text("/reviews/1").await;
    let id = page
        .split("/reviews/1/comments/")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_string();
    let action = format!("/reviews/1/comments/{id}");
    let edit = |body: &'static str, version: &'static str| {
        let (app, action) = (&w.app, action.clone());
        async move {
            app.post_form(
                "/reviews/1",
                &action,
                &[("body", body), ("version", version)],
            )
            .await
        }
    };
    assert_eq!(edit("Second wording", "1").await.status(), 303);
    let stale = edit("Third wording from an old tab", "1").await;
    assert_eq!(stale.status(), 409);
    let html = stale.text().await.unwrap();
    assert!(html.contains("NOT saved") && html.contains("Second wording"));
    assert!(
        html.contains("Third wording from an old tab"),
        "the text is kept"
    );
    assert_eq!(edit("", "2").await.status(), 422);

    w.app.clock.advance(Duration::minutes(16));
    let late = edit("Too late", "2").await;
    assert_eq!(late.status(), 403);
    assert!(late.text().await.unwrap().contains("15 minutes"));
    let page = w.app.get_text("/reviews/1").await;
    assert!(page.contains("Second wording") && page.contains("edited"));
    assert!(
        !page.contains("First wording"),
        "reviewers see the current text only"
    );

    // Within the editing time again, reviewer A still may not edit B's comment.
    w.app.clock.advance(Duration::minutes(-16));
    w.as_chair().await;
    let chair = w.app.get_text("/chair/papers/1/discussion").await;
    assert!(chair.contains("Earlier text") && chair.contains("First wording"));
    let first_reviewer = chair
        .split("&lt;")
        .nth(1)
        .and_then(|r| r.split("&gt;").next())
        .unwrap()
        .to_string();
    let a = w
        .authors
        .iter()
        .find(|x| x.email == first_reviewer)
        .unwrap()
        .clone();
    w.sign_in_as(&a).await;
    let other = w
        .app
        .post_form(
            "/reviews/1",
            &action,
            &[("body", "Not mine"), ("version", "2")],
        )
        .await;
    assert_eq!(other.status(), 403);

    // A chair edits their own comment; another chair may not.
    w.as_chair().await;
    let posted = w
        .app
        .post_form(
            "/chair/papers/1/discussion",
            "/chair/papers/1/comments",
            &[("body", "Chair wording"), ("audience", "reviewers")],
        )
        .await;
    assert_eq!(posted.status(), 303);
    let page = w.app.get_text("/chair/papers/1/discussion").await;
    let chair_action = page
        .split("action=\"/chair/papers/1/comments/")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .map(|id| format!("/chair/papers/1/comments/{id}"))
        .unwrap();
    let edited = w
        .app
        .post_form(
            "/chair/papers/1/discussion",
            &chair_action,
            &[("body", "Chair wording, clearer"), ("version", "1")],
        )
        .await;
    assert_eq!(edited.status(), 303);
    let second = TestUser::new("Second Chair");
    w.app.client = client();
    w.app.register_and_sign_in(&second).await;
    w.app.make_chair(&second.email);
    let refused = w
        .app
        .post_form(
            "/chair/papers/1/discussion",
            &chair_action,
            &[("body", "Hijack"), ("version", "2")],
        )
        .await;
    assert_eq!(refused.status(), 403);
    assert!(
        w.app
            .get_text("/chair/papers/1/discussion")
            .await
            .contains("Chair wording, clearer")
    );
}

#[tokio::test]
async fn the_server_closes_the_discussion_when_decisions_are_due() {
    let (w, _) = reviewed().await;
    w.app.clock.set(decisions_planned());
    assert_eq!(comment(&w, "Just in time", "reviewers").await.status(), 303);
    w.app.clock.set(decisions_planned() + Duration::seconds(1));
    let r = comment(&w, "Too late", "reviewers").await;
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("The discussion closed"));
    assert!(!w.app.get_text("/reviews/1").await.contains("Too late"));
}

/// Posts the response form of paper 1 as the signed-in author.
pub async fn respond(w: &Workshop, action: &str, body: &str) -> reqwest::Response {
    let page = w.app.get_text("/submissions/1/response").await;
    let version = version_on(&page);
    w.app
        .post_form(
            "/submissions/1/response",
            "/submissions/1/response",
            &[("action", action), ("version", &version), ("body", body)],
        )
        .await
}

#[tokio::test]
async fn authors_respond_in_the_window_and_the_reviewers_are_told() {
    let (mut w, reviewers) = reviewed().await;
    enable_response(&w, false);
    let author = w.authors[0].clone();
    w.sign_in_as(&author).await;
    let early = w.app.get("/submissions/1/response").await;
    assert_eq!(early.status(), 403);
    assert!(
        early
            .text()
            .await
            .unwrap()
            .contains("The author response opens on")
    );

    w.app.clock.set(due() + Duration::hours(1));
    let paper = w.app.get_text("/submissions/1").await;
    assert!(paper.contains("Respond to the reviews"));
    let page = w.app.get_text("/submissions/1/response").await;
    assert!(page.contains("Reviewer A") && page.contains("Visible strengths."));
    assert!(!page.contains("SECRET-FOR-CHAIRS"), "no confidential part");
    assert!(
        !page.contains("Overall:"),
        "scores are hidden unless the chair shows them"
    );
    assert_no_reviewer_identity(&page, &reviewers, "the author's response page");

    assert_eq!(respond(&w, "draft", "A first draft").await.status(), 303);
    let autosaved = w
        .app
        .post_form(
            "/submissions/1/response",
            "/submissions/1/response/autosave",
            &[("version", "1"), ("body", "An autosaved draft")],
        )
        .await;
    assert_eq!(autosaved.status(), 200);
    assert_eq!(
        autosaved.json::<serde_json::Value>().await.unwrap()["version"],
        2
    );
    let too_long = "word ".repeat(61);
    let refused = respond(&w, "submit", &too_long).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("61 words"));
    assert!(
        w.app
            .mails()
            .await
            .iter()
            .all(|m| !m.subject.contains("responded"))
    );

    let text = "We thank the reviewers and added the stiff benchmark.";
    assert_eq!(respond(&w, "submit", text).await.status(), 303);
    for r in &reviewers {
        let mail = w.app.mail_to_with_subject(&r.email, "responded").await;
        assert!(mail.body.contains("/reviews/1#response"));
        assert_no_author_identity(&mail.body, "the response email");
    }
    // Reviewers read it above the discussion and tick that they did.
    w.sign_in_as(&reviewers[0]).await;
    let page = w.app.get_text("/reviews/1").await;
    assert!(page.contains(text) && page.contains("I have read the response"));
    assert!(page.find(text).unwrap() < page.find("No comment yet").unwrap());
    let ack = w
        .app
        .post_form("/reviews/1", "/reviews/1/acknowledge", &[])
        .await;
    assert_eq!(ack.status(), 303);
    assert!(
        w.app
            .get_text("/reviews/1")
            .await
            .contains("You marked that you have read")
    );
    w.as_chair().await;
    let chair = w.app.get_text("/chair/papers/1/discussion").await;
    assert!(chair.contains(text) && chair.contains("<td>yes</td>"));

    // Edits until the deadline, none after; the email is not sent twice.
    w.sign_in_as(&author).await;
    assert_eq!(
        respond(&w, "submit", "An improved response.")
            .await
            .status(),
        303
    );
    w.app
        .clock
        .set(due() + Duration::days(3) + Duration::seconds(1));
    let late = respond(&w, "submit", "Too late").await;
    assert_eq!(late.status(), 403);
    assert!(late.text().await.unwrap().contains("deadline has passed"));
    let mails = w.app.mails_to(&reviewers[0].email).await;
    assert_eq!(
        mails
            .iter()
            .filter(|m| m.subject.contains("responded"))
            .count(),
        1
    );
}

#[tokio::test]
async fn comments_reach_the_authors_only_when_addressed_to_them_in_the_response_window() {
    let (w, reviewers) = reviewed().await;
    enable_response(&w, true);
    let refused = comment(&w, "Dear authors, early", "authors").await;
    assert_eq!(refused.status(), 403);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("during the author response")
    );
    w.app.clock.set(due() + Duration::hours(2));
    assert_eq!(
        comment(&w, "Dear authors, what about stiffness?", "authors")
            .await
            .status(),
        303
    );
    assert_eq!(
        comment(&w, "Between us: weak paper", "reviewers")
            .await
            .status(),
        303
    );
    let mut w = w;
    w.sign_in_as(&w.authors[0].clone()).await;
    let page = w.app.get_text("/submissions/1/response").await;
    assert!(page.contains("Dear authors, what about stiffness?") && page.contains("Reviewer B"));
    assert!(!page.contains("Between us"));
    assert_no_reviewer_identity(&page, &reviewers, "comments shown to authors");
}

#[tokio::test]
async fn a_reviewer_may_revise_after_the_response_and_it_shows() {
    let (mut w, reviewers) = reviewed().await;
    enable_response(&w, false);
    w.app.clock.set(due() + Duration::hours(1));
    let version = version_on(&w.app.get_text("/reviews/1").await);
    let locked = w
        .app
        .post_form(
            "/reviews/1",
            "/reviews/1",
            &[
                ("action", "submit"),
                ("version", &version),
                ("overall", "7"),
                ("confidence", "4"),
                ("summary", "S"),
                ("strengths_weaknesses", "W"),
            ],
        )
        .await;
    assert_eq!(
        locked.status(),
        403,
        "after the due date, before any response"
    );
    w.sign_in_as(&w.authors[0].clone()).await;
    assert_eq!(respond(&w, "submit", "Our answer.").await.status(), 303);
    w.app.clock.advance(Duration::minutes(30));
    w.sign_in_as(&reviewers[1]).await;
    let page = w.app.get_text("/reviews/1").await;
    assert!(
        page.contains("you may revise your submitted review until"),
        "{page}"
    );
    let r = w
        .app
        .post_form(
            "/reviews/1",
            "/reviews/1",
            &[
                ("action", "submit"),
                ("version", &version_on(&page)),
                ("overall", "8"),
                ("confidence", "4"),
                ("summary", "S"),
                ("strengths_weaknesses", "Convinced now."),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    w.sign_in_as(&reviewers[0]).await;
    let other = w.app.get_text("/reviews/1").await;
    assert!(
        other.contains("Reviewer B revised their review after the response"),
        "{other}"
    );
    assert!(other.contains("Convinced now."));
}

#[tokio::test]
async fn the_meta_review_reaches_authors_only_with_the_released_decision_when_set() {
    let (mut w, _) = reviewed().await;
    w.as_chair().await;
    let save = |summary: &'static str, rec: &'static str, version: &'static str| {
        let app = &w.app;
        async move {
            app.post_form(
                "/chair/papers/1/discussion",
                "/chair/papers/1/meta-review",
                &[
                    ("summary", summary),
                    ("recommendation", rec),
                    ("version", version),
                ],
            )
            .await
        }
    };
    let bad = save("", "maybe", "0").await;
    assert_eq!(bad.status(), 422);
    assert!(
        bad.text()
            .await
            .unwrap()
            .contains("Choose a recommendation")
    );
    assert_eq!(
        save("META-SUMMARY: a clear contribution.", "spotlight", "0")
            .await
            .status(),
        303
    );
    let stale = save("An older view", "reject", "0").await;
    assert_eq!(stale.status(), 409);
    assert!(stale.text().await.unwrap().contains("META-SUMMARY"));
    let board = w.app.get_text("/chair/decisions").await;
    assert!(
        board.contains("accept (spotlight)"),
        "the board shows the recommendation"
    );

    w.app
        .change_settings(|s| s.discussion.meta_review_to_authors = true);
    let author = w.authors[0].clone();
    w.sign_in_as(&author).await;
    assert!(
        !w.app
            .get_text("/submissions/1")
            .await
            .contains("META-SUMMARY")
    );
    w.as_chair().await;
    for n in 1..=5 {
        let r = w
            .app
            .post_form(
                "/chair/decisions",
                "/chair/decisions/set",
                &[("number", &n.to_string()), ("decision", "poster")],
            )
            .await;
        assert_eq!(r.status(), 303);
    }
    let r = w
        .app
        .post_form(
            "/chair/decisions/release",
            "/chair/decisions/release",
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status(), 303);
    w.sign_in_as(&author).await;
    let page = w.app.get_text("/submissions/1").await;
    assert!(page.contains("META-SUMMARY") && page.contains("Meta-review by the chairs"));
    w.app
        .change_settings(|s| s.discussion.meta_review_to_authors = false);
    assert!(
        !w.app
            .get_text("/submissions/1")
            .await
            .contains("META-SUMMARY")
    );
}

#[tokio::test]
async fn the_board_and_the_exports_carry_the_discussion_for_chairs_only() {
    let (mut w, reviewers) = reviewed().await;
    enable_response(&w, false);
    assert_eq!(
        comment(&w, "EXPORTED-COMMENT", "reviewers").await.status(),
        303
    );
    w.app.clock.set(due() + Duration::hours(1));
    w.sign_in_as(&w.authors[0].clone()).await;
    assert_eq!(
        respond(&w, "submit", "EXPORTED-RESPONSE").await.status(),
        303
    );
    w.as_chair().await;
    let board = w.app.get_text("/chair/decisions").await;
    assert!(
        board.contains("0 of 2"),
        "response read by none of 2: {board}"
    );
    let csv = w.app.get_text("/chair/discussion.csv").await;
    assert!(csv.contains("EXPORTED-COMMENT") && csv.contains("EXPORTED-RESPONSE"));
    assert!(csv.contains(&reviewers[1].email), "chairs see who wrote it");
    let json: serde_json::Value = w
        .app
        .get("/chair/discussion.json")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json[0]["number"], 1);
    assert_eq!(json[0]["comments"][0]["label"], "Reviewer B");
    assert_eq!(json[0]["response"]["text"], "EXPORTED-RESPONSE");
    w.sign_in_as(&reviewers[0]).await;
    for path in ["/chair/discussion.csv", "/chair/discussion.json"] {
        assert_eq!(w.app.get(path).await.status(), 403, "{path}");
    }
}

#[tokio::test]
async fn digests_come_at_most_hourly_never_about_ones_own_comments_and_stop_on_request() {
    let (mut w, reviewers) = reviewed().await;
    let (pool, base) = (w.app.pool.clone(), "http://cfp.test".to_string());
    let clock = w.app.clock.clone();
    let sweep = |at: chrono::DateTime<Utc>| {
        let (pool, base) = (pool.clone(), base.clone());
        // The outbox delivers what is due by the app's clock.
        clock.set(at);
        async move {
            cfp::jobs::discussion_digest::sweep(&pool, at, &base)
                .await
                .unwrap()
        }
    };
    let start = Utc.with_ymd_and_hms(2027, 9, 19, 12, 0, 0).unwrap();
    assert_eq!(
        comment(&w, "First comment", "reviewers").await.status(),
        303
    );
    // Reviewer A and the chair are told; B wrote it.
    assert_eq!(sweep(start + Duration::minutes(1)).await, 2);
    let a = digests(&w.app, &reviewers[0].email).await;
    assert_eq!(a.len(), 1);
    assert!(a[0].body.contains("#1") && a[0].body.contains("Reviewer B"));
    assert!(a[0].body.contains("http://cfp.test/reviews/1#discussion"));
    assert_no_author_identity(&a[0].body, "a digest");
    assert_no_reviewer_identity(&a[0].body, &reviewers, "a digest");
    assert!(
        digests(&w.app, &reviewers[1].email).await.is_empty(),
        "not about one's own comment"
    );

    w.app.clock.set(start + Duration::minutes(5));
    assert_eq!(
        comment(&w, "Second comment", "reviewers").await.status(),
        303
    );
    assert_eq!(
        sweep(start + Duration::minutes(10)).await,
        0,
        "within the hour"
    );
    assert_eq!(sweep(start + Duration::minutes(62)).await, 2);
    assert_eq!(digests(&w.app, &reviewers[0].email).await.len(), 2);

    let link = a[0].link_path("/discussion/unsubscribe/");
    w.app.client = client();
    assert!(
        w.app
            .get_text(&link)
            .await
            .contains("Stop the digest emails")
    );
    let r = w.app.post_form(&link, &link, &[("digests", "off")]).await;
    assert_eq!(r.status(), 200);
    w.sign_in_as(&reviewers[1]).await;
    w.app.clock.set(start + Duration::minutes(70));
    assert_eq!(
        comment(&w, "Third comment", "reviewers").await.status(),
        303
    );
    assert_eq!(
        sweep(start + Duration::minutes(200)).await,
        1,
        "only the chair"
    );
    assert_eq!(digests(&w.app, &reviewers[0].email).await.len(), 2);
    assert_eq!(
        w.app
            .get("/discussion/unsubscribe/not-a-token")
            .await
            .status(),
        404
    );
}

async fn digests(app: &crate::helpers::TestApp, to: &str) -> Vec<crate::helpers::ReceivedMail> {
    app.mails_to(to)
        .await
        .into_iter()
        .filter(|m| m.subject.contains("in the discussion"))
        .collect()
}

#[tokio::test]
async fn the_discussion_settings_are_validated_and_kept_by_the_main_settings_form() {
    let (mut w, _) = assigned().await;
    w.as_chair().await;
    let page = w.app.get_text("/chair/discussion/settings").await;
    let version = version_on(&page);
    let refused = w
        .app
        .post_form(
            "/chair/discussion/settings",
            "/chair/discussion/settings",
            &[
                ("version", &version),
                ("response_enabled", "on"),
                ("response_closes", "2027-12-01T12:00"),
                ("response_word_limit", "400"),
                ("comment_edit_minutes", "10"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("before decisions are released")
    );
    let saved = w
        .app
        .post_form(
            "/chair/discussion/settings",
            "/chair/discussion/settings",
            &[
                ("version", &version),
                ("response_enabled", "on"),
                ("response_word_limit", "400"),
                ("comment_edit_minutes", "10"),
                ("meta_review_to_authors", "on"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);
    // Saving the main settings form keeps them.
    let main = w.app.get_text("/chair/settings").await;
    let mut fields: Vec<(String, String)> = Vec::new();
    for part in main.split("<input ").skip(1) {
        let attr = |k: &str| {
            part.split(&format!("{k}=\""))
                .nth(1)
                .and_then(|r| r.split('"').next())
                .map(str::to_string)
        };
        if let (Some(name), Some(value)) = (attr("name"), attr("value")) {
            let checkbox = part.contains("type=\"checkbox\"");
            if !checkbox || part.contains(" checked") {
                fields.push((name, value));
            }
        }
    }
    for part in main.split("<textarea ").skip(1) {
        let name = part
            .split("name=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap();
        let value = part
            .split('>')
            .nth(1)
            .and_then(|r| r.split("</textarea").next())
            .unwrap();
        fields.push((name.into(), html_unescape(value)));
    }
    for part in main.split("<select ").skip(1) {
        let name = part
            .split("name=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap();
        let value = part
            .split("selected")
            .next()
            .and_then(|r| r.rsplit("value=\"").next())
            .and_then(|r| r.split('"').next())
            .unwrap();
        fields.push((name.into(), value.into()));
    }
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .filter(|(k, _)| k != "csrf")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = w
        .app
        .post_form("/chair/settings", "/chair/settings", &pairs)
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let again = w.app.get_text("/chair/discussion/settings").await;
    assert!(again.contains("value=\"400\""), "the word limit is kept");
}

fn html_unescape(s: &str) -> String {
    s.replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[tokio::test]
async fn every_discussion_route_refuses_whoever_may_not_reach_it() {
    let (mut w, reviewers) = reviewed().await;
    enable_response(&w, false);
    w.app.clock.set(due() + Duration::hours(1));
    // Signed out: sign in first.
    w.app.client = client();
    for path in [
        "/chair/papers/1/discussion",
        "/submissions/1/response",
        "/chair/discussion/settings",
        "/chair/discussion.csv",
    ] {
        let r = w.app.get(path).await;
        assert_eq!(r.status(), 303, "{path}");
        assert!(
            r.headers()["location"]
                .to_str()
                .unwrap()
                .starts_with("/signin"),
            "{path}"
        );
    }
    // A reviewer of another paper, and an author, are told paper 1's pages do not exist.
    let outsider = w
        .authors
        .iter()
        .find(|a| !reviewers.iter().any(|r| r.email == a.email) && a.email != w.authors[0].email)
        .unwrap()
        .clone();
    w.sign_in_as(&outsider).await;
    let csrf = w.app.csrf("/reviews").await;
    for path in [
        "/reviews/1/comments",
        "/reviews/1/acknowledge",
        "/submissions/1/response",
    ] {
        let r = w
            .app
            .client
            .post(w.app.url(path))
            .form(&[
                ("csrf", csrf.as_str()),
                ("body", "x"),
                ("action", "draft"),
                ("version", "0"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{path}");
    }
    assert_eq!(w.app.get("/submissions/1/response").await.status(), 404);
    for path in [
        "/chair/papers/1/discussion",
        "/chair/discussion/settings",
        "/chair/discussion.json",
    ] {
        assert_eq!(w.app.get(path).await.status(), 403, "{path}");
    }
    // The paper's author cannot post in the reviewers' thread, nor write a meta-review.
    w.sign_in_as(&w.authors[0].clone()).await;
    let csrf = w.app.csrf("/submissions").await;
    for (path, status) in [
        ("/reviews/1/comments", 404),
        ("/chair/papers/1/meta-review", 403),
        ("/chair/papers/1/comments", 403),
    ] {
        let r = w
            .app
            .client
            .post(w.app.url(path))
            .form(&[
                ("csrf", csrf.as_str()),
                ("body", "x"),
                ("summary", "x"),
                ("recommendation", "talk"),
                ("version", "0"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), status, "{path}");
    }
    // A reviewer cannot acknowledge before a response exists, nor post without the CSRF token.
    w.sign_in_as(&reviewers[0]).await;
    let ack = w
        .app
        .post_form("/reviews/1", "/reviews/1/acknowledge", &[])
        .await;
    assert_eq!(ack.status(), 403);
    let forged = w
        .app
        .client
        .post(w.app.url("/reviews/1/comments"))
        .form(&[("body", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
}
