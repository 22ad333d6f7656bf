//! People's flows (issue 14): nothing irreversible in one click (withdrawal, group mail),
//! signing in returns to where one was going (and never off the site), public pages keep the
//! signed-in navigation, pages follow the conference's phase, and the small things (HEAD on
//! the calendar, a favicon, reasons for "nothing happened").

use crate::helpers::{SubmissionBuilder, TestApp, TestUser, client, spawn_app};

/// An app with one paper (#1, by Ada Author and Grace Kim) and a signed-in chair on a
/// second client; `app.client` is Ada's.
pub async fn one_paper() -> (TestApp, reqwest::Client, TestUser) {
    let mut app = spawn_app().await;
    app.client = client();
    app.sign_in_as_chair().await;
    let chair = std::mem::replace(&mut app.client, client());
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    assert_eq!(
        app.submit(&SubmissionBuilder::paper_by(&ada))
            .await
            .status(),
        303
    );
    (app, chair, ada)
}

/// Runs `f` with the chair's client, then gives Ada's back.
pub async fn as_client<T>(
    app: &mut TestApp,
    who: &mut reqwest::Client,
    f: impl AsyncFnOnce(&TestApp) -> T,
) -> T {
    std::mem::swap(&mut app.client, who);
    let out = f(app).await;
    std::mem::swap(&mut app.client, who);
    out
}

/// The chair decides #1 (`decision`) and releases the decisions.
async fn decide_and_release(app: &mut TestApp, chair: &mut reqwest::Client, decision: &str) {
    as_client(app, chair, async |app: &TestApp| {
        let r = app
            .post_form(
                "/chair/decisions",
                "/chair/decisions/set",
                &[("number", "1"), ("decision", decision)],
            )
            .await;
        assert_eq!(r.status(), 303);
        let r = app
            .post_form(
                "/chair/decisions/release",
                "/chair/decisions/release",
                &[("confirm_undecided", "on"), ("confirm", "yes")],
            )
            .await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    })
    .await;
}

pub fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

// 1. Withdrawal asks first.

#[tokio::test]
async fn withdrawing_asks_first_and_a_post_without_the_confirmation_changes_nothing() {
    let (app, _, _) = one_paper().await;
    let paper = app.get_text("/submissions/1").await;
    assert!(paper.contains("href=\"/submissions/1/withdraw\""));
    assert!(!paper.contains("action=\"/submissions/1/withdraw\""));
    let ask = app.get_text("/submissions/1/withdraw").await;
    assert!(ask.contains("Withdraw #1?") && ask.contains("All 2 authors get"));
    assert!(ask.contains("Grace Kim") && ask.contains("only the chairs can reinstate"));
    let unconfirmed = app
        .post_form("/submissions/1/withdraw", "/submissions/1/withdraw", &[])
        .await;
    assert_eq!(unconfirmed.status(), 422);
    assert!(
        unconfirmed
            .text()
            .await
            .unwrap()
            .contains("Nothing was withdrawn")
    );
    assert!(
        app.get_text("/submissions/1")
            .await
            .contains("status: <strong>active</strong>")
    );
    let confirmed = app
        .post_form(
            "/submissions/1/withdraw",
            "/submissions/1/withdraw",
            &[("confirm", "withdraw")],
        )
        .await;
    assert_eq!(confirmed.status(), 303);
    assert!(
        app.get_text("/submissions/1")
            .await
            .contains("status: <strong>withdrawn</strong>")
    );
}

#[tokio::test]
async fn only_the_papers_authors_reach_its_withdrawal_page_and_only_before_the_deadline() {
    let (mut app, mut chair, _) = one_paper().await;
    let stranger = TestUser::new("Stan Stranger");
    app.client = client();
    app.register_and_sign_in(&stranger).await;
    assert_eq!(app.get("/submissions/1/withdraw").await.status(), 404);
    let r = app
        .post_form("/", "/submissions/1/withdraw", &[("confirm", "withdraw")])
        .await;
    assert_eq!(r.status(), 404);
    app.client = client();
    assert_eq!(
        location(&app.get("/submissions/1/withdraw").await),
        "/signin?next=%2Fsubmissions%2F1%2Fwithdraw"
    );
    let ada = TestUser::author();
    app.sign_in(&ada.email, &ada.password).await;
    app.clock
        .set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2027, 9, 19, 12, 0, 0).unwrap());
    let late = app.get("/submissions/1/withdraw").await;
    assert_eq!(late.status(), 403);
    let still = as_client(&mut app, &mut chair, async |app: &TestApp| {
        app.get_text("/submissions/1").await
    })
    .await;
    assert!(still.contains("status: <strong>active</strong>"));
}

// 6. Group messages: no template text, a count that matches the preview.

async fn group_mail(
    app: &TestApp,
    body: &str,
    action: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let mut fields = vec![
        ("group", "all_authors"),
        ("subject", "Poster sizes"),
        ("body", body),
        ("action", action),
    ];
    fields.extend_from_slice(extra);
    app.post_form("/chair/mail", "/chair/mail", &fields).await
}

fn hidden(html: &str, name: &str) -> String {
    html.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_else(|| panic!("no {name} in {html}"))
        .to_string()
}

#[tokio::test]
async fn a_group_message_still_holding_the_template_text_is_refused() {
    let (mut app, mut chair, _) = one_paper().await;
    let unchanged = as_client(&mut app, &mut chair, async |app: &TestApp| {
        let page = app.get_text("/chair/mail").await;
        assert!(page.contains("(Write your message here.)"));
        let body = "Dear {{ name }},\n\n(Write your message here.)\n\n{{ link }}\n";
        let preview = group_mail(app, body, "preview", &[]).await;
        assert_eq!(preview.status(), 422);
        let html = preview.text().await.unwrap();
        assert!(html.contains("still holds the template"), "{html}");
        assert!(!html.contains("name=\"send_id\""));
        group_mail(
            app,
            body,
            "send",
            &[
                ("send_id", &uuid::Uuid::new_v4().to_string()),
                ("confirm_count", "2"),
            ],
        )
        .await
        .status()
    })
    .await;
    assert_eq!(unchanged, 422);
    assert!(
        app.mails()
            .await
            .iter()
            .all(|m| m.subject != "Poster sizes")
    );
}

#[tokio::test]
async fn a_group_message_goes_out_only_as_previewed_to_the_number_of_people_named() {
    let (mut app, mut chair, _) = one_paper().await;
    let body = "Dear {{ name }}, posters are A0 portrait.";
    let (stale, changed, sent) = as_client(&mut app, &mut chair, async |app: &TestApp| {
        let preview = group_mail(app, body, "preview", &[]).await;
        assert_eq!(preview.status(), 200);
        let html = preview.text().await.unwrap();
        assert!(html.contains("Send this message to 2 people"), "{html}");
        let (id, text) = (hidden(&html, "send_id"), hidden(&html, "previewed_text"));
        let stale = group_mail(
            app,
            body,
            "send",
            &[
                ("send_id", &id),
                ("confirm_count", "1"),
                ("previewed_text", &text),
            ],
        )
        .await;
        let stale = (stale.status(), stale.text().await.unwrap());
        let changed = group_mail(
            app,
            "Dear {{ name }}, posters are A1.",
            "send",
            &[
                ("send_id", &id),
                ("confirm_count", "2"),
                ("previewed_text", &text),
            ],
        )
        .await;
        let changed = (changed.status(), changed.text().await.unwrap());
        let sent = group_mail(
            app,
            body,
            "send",
            &[
                ("send_id", &id),
                ("confirm_count", "2"),
                ("previewed_text", &text),
            ],
        )
        .await;
        (stale, changed, sent.status())
    })
    .await;
    assert_eq!(stale.0, 409);
    assert!(stale.1.contains("now 2 people, not 1"), "{}", stale.1);
    assert_eq!(changed.0, 409);
    assert!(
        changed.1.contains("changed since the preview"),
        "{}",
        changed.1
    );
    assert_eq!(sent, 303);
    let mails = app.mails().await;
    assert_eq!(
        mails.iter().filter(|m| m.subject == "Poster sizes").count(),
        2
    );
}

// 2. Signing in returns to where one was going, never off the site.

#[tokio::test]
async fn signing_in_returns_to_the_page_that_asked_for_it() {
    let (mut app, _, ada) = one_paper().await;
    app.client = client();
    let asked = app.get("/submissions/1?tab=reviews").await;
    assert_eq!(asked.status(), 303);
    let to = location(&asked);
    assert_eq!(to, "/signin?next=%2Fsubmissions%2F1%3Ftab%3Dreviews");
    let form = app.get_text(&to).await;
    assert!(
        form.contains("name=\"next\" value=\"/submissions/1?tab=reviews\""),
        "{form}"
    );
    let r = app
        .post_form(
            &to,
            "/signin",
            &[
                ("email", &ada.email),
                ("password", &ada.password),
                ("next", "/submissions/1?tab=reviews"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/submissions/1?tab=reviews");
}

#[tokio::test]
async fn sign_in_never_sends_anyone_off_the_site() {
    let (mut app, _, ada) = one_paper().await;
    for next in [
        "//evil.example/x",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "/%0d%0aSet-Cookie:x=1",
        "/signin?next=/",
    ] {
        app.client = client();
        let form = app
            .get_text(&format!("/signin?next={}", urlencode(next)))
            .await;
        assert!(!form.contains("name=\"next\""), "{next} kept in {form}");
        let r = app
            .post_form(
                "/signin",
                "/signin",
                &[
                    ("email", &ada.email),
                    ("password", &ada.password),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        assert_eq!(location(&r), "/", "{next}");
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

// 3. Public pages keep the signed-in navigation.

#[tokio::test]
async fn public_pages_show_signed_in_people_their_navigation_and_are_not_shared_by_caches() {
    let (app, _, ada) = one_paper().await;
    for path in ["/accepted", "/program"] {
        let r = app.get(path).await;
        let cache = r
            .headers()
            .get("cache-control")
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let html = r.text().await.unwrap();
        assert!(
            html.contains(&ada.name) && html.contains("href=\"/submissions\">My submissions"),
            "{path}"
        );
        assert!(!html.contains("href=\"/signin\""), "{path}");
        assert!(cache.contains("private"), "{path}: {cache}");
    }
    let anonymous = client();
    let r = anonymous.get(app.url("/accepted")).send().await.unwrap();
    assert!(
        r.headers()
            .get("cache-control")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("public")
    );
    assert!(
        r.headers()
            .get("vary")
            .unwrap()
            .to_str()
            .unwrap()
            .to_lowercase()
            .contains("cookie")
    );
    assert!(r.text().await.unwrap().contains("href=\"/signin\""));
}

// 11. Pages follow the conference's phase.

#[tokio::test]
async fn after_release_the_home_page_counts_down_to_what_comes_next_not_to_bidding() {
    let (mut app, mut chair, _) = one_paper().await;
    assert!(app.get_text("/").await.contains("Submission deadline in"));
    decide_and_release(&mut app, &mut chair, "poster").await;
    let home = app.get_text("/").await;
    assert!(!home.contains("Bidding closes in") && !home.contains("Submission deadline in"));
    assert!(home.contains("Camera-ready due in"), "{home}");
    assert!(home.contains("Decisions were released"), "{home}");
}

#[tokio::test]
async fn after_release_the_paper_page_opens_with_the_decision_and_its_camera_ready_step() {
    let (mut app, mut chair, _) = one_paper().await;
    decide_and_release(&mut app, &mut chair, "poster").await;
    let page = app.get_text("/submissions/1").await;
    assert!(!page.contains("The submission deadline has passed"));
    let decision = page.find("Decision: ").unwrap();
    let camera = page.find("id=\"camera-ready\"").unwrap();
    let abstract_at = page.find("<h2>Abstract</h2>").unwrap();
    assert!(decision < camera && camera < abstract_at);
    let list = app.get_text("/submissions").await;
    assert!(
        list.contains(">Decision<") && list.contains("accepted (poster)"),
        "{list}"
    );
}
