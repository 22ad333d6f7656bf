//! Security hardening: sessions that end server-side, limits on visitor-triggered emails,
//! sign-in throttling no stranger can turn into a lock-out, and the response headers.
//! Reviewers' copies and chair-entered conflicts are in `security_papers`.

use crate::helpers::{TestApp, TestUser, client, spawn_app, spawn_app_with};
use chrono::Duration;

/// The session cookie a response set ("cfp_session=…").
fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("cfp_session="))
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_string()
}

/// A request carrying a copied cookie, from a browser that keeps nothing else.
async fn get_with_cookie(app: &TestApp, path: &str, cookie: &str) -> reqwest::Response {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(app.url(path))
        .header(reqwest::header::COOKIE, cookie)
        .send()
        .await
        .unwrap()
}

/// Signs in from another browser and returns that browser's session cookie.
async fn signed_in_cookie(app: &TestApp, user: &TestUser) -> String {
    let browser = client();
    let page = browser.get(app.url("/signin")).send().await.unwrap();
    let csrf = crate::helpers::extract_csrf(&page.text().await.unwrap()).unwrap();
    let response = browser
        .post(app.url("/signin"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", &user.email),
            ("password", &user.password),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    session_cookie(&response)
}

/// Whether a response sends the visitor to sign in.
fn asks_to_sign_in(response: &reqwest::Response) -> bool {
    response.status() == 303
        && response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .is_some_and(|l| l.starts_with("/signin"))
}

#[tokio::test]
async fn an_old_cookie_after_sign_out_gets_the_sign_in_page() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    let copied = signed_in_cookie(&app, &ada).await;
    let page = get_with_cookie(&app, "/submissions", &copied).await;
    assert_eq!(page.status(), 200);
    // That browser's cookie now also holds its CSRF token; it signs out.
    let current = session_cookie(&page);
    let csrf = crate::helpers::extract_csrf(&page.text().await.unwrap()).unwrap();
    let out = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(app.url("/signout"))
        .header(reqwest::header::COOKIE, &current)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    for cookie in [&copied, &current] {
        assert!(asks_to_sign_in(
            &get_with_cookie(&app, "/submissions", cookie).await
        ));
    }
    // Ada's other browser is still signed in.
    assert_eq!(app.get("/submissions").await.status(), 200);
}

#[tokio::test]
async fn an_old_cookie_after_a_password_reset_gets_the_sign_in_page() {
    let mut app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    let copied = signed_in_cookie(&app, &ada).await;
    app.client = client();
    app_reset(&app, &ada.email).await;
    let mail = app.last_mail_to(&ada.email).await;
    let link = mail.link_path("/reset/confirm?token=");
    let token = link.split("token=").nth(1).unwrap().to_string();
    let csrf = app.csrf(&link).await;
    let done = app
        .client
        .post(app.url("/reset/confirm"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("token", &token),
            ("password", "a brand new password"),
            ("password_confirm", "a brand new password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 303);
    assert!(asks_to_sign_in(
        &get_with_cookie(&app, "/submissions", &copied).await
    ));
}

#[tokio::test]
async fn sessions_expire_when_idle_and_sign_out_everywhere_ends_them_all() {
    // The production limits (the test default keeps sessions across the tests' long jumps).
    let app = spawn_app_with(|s| {
        s.security.session_idle_minutes = 1440;
        s.security.session_lifetime_hours = 336;
    })
    .await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    let other = signed_in_cookie(&app, &ada).await;
    let page = app.get_text("/account/sessions").await;
    assert_eq!(page.matches("Sign out there").count(), 1, "{page}");
    assert!(page.contains("(this browser)"));
    app.post_form(
        "/account/sessions",
        "/account/sessions/end-all",
        &[("confirm", "yes")],
    )
    .await;
    assert!(asks_to_sign_in(
        &get_with_cookie(&app, "/submissions", &other).await
    ));
    assert!(asks_to_sign_in(&app.get("/submissions").await));

    let fresh = signed_in_cookie(&app, &ada).await;
    app.clock.advance(Duration::hours(23));
    assert_eq!(
        get_with_cookie(&app, "/submissions", &fresh).await.status(),
        200
    );
    app.clock.advance(Duration::hours(25));
    assert!(asks_to_sign_in(
        &get_with_cookie(&app, "/submissions", &fresh).await
    ));
}

#[tokio::test]
async fn a_removed_chair_loses_chair_pages_at_the_next_request() {
    let app = spawn_app().await;
    let chair = app.sign_in_as_chair().await;
    assert_eq!(app.get("/chair").await.status(), 200);
    let mut conn = app.pool.get().unwrap();
    let email = cfp::domain::account::Email::parse(&chair.email).unwrap();
    cfp::db::users::set_chair(&mut conn, &email, false).unwrap();
    assert_eq!(app.get("/chair").await.status(), 403);
}

async fn app_reset(app: &TestApp, email: &str) -> reqwest::Response {
    app.post_form("/reset", "/reset", &[("email", email)]).await
}

#[tokio::test]
async fn a_sixth_reset_request_in_an_hour_sends_nothing_and_answers_the_same() {
    let mut app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    app.client = client();
    let mut answers = Vec::new();
    for _ in 0..6 {
        let response = app_reset(&app, &ada.email).await;
        assert_eq!(response.status(), 200);
        let text = response.text().await.unwrap();
        answers.push(text.split("<main>").nth(1).unwrap_or("").to_string());
    }
    assert_eq!(answers[4], answers[5]);
    let resets = |mails: Vec<crate::helpers::ReceivedMail>| {
        mails
            .iter()
            .filter(|m| m.subject.contains("password"))
            .count()
    };
    assert_eq!(resets(app.mails_to(&ada.email).await), 5);
    app.clock.advance(Duration::minutes(61));
    app_reset(&app, &ada.email).await;
    assert_eq!(resets(app.mails_to(&ada.email).await), 6);
}

#[tokio::test]
async fn one_client_cannot_make_the_site_send_mail_to_many_addresses() {
    let mut app = spawn_app().await;
    for i in 0..25 {
        let stranger = TestUser::new(&format!("Stranger {i}"));
        app.client = client();
        assert_eq!(app.register(&stranger).await.status(), 200);
    }
    // 20 per client address and hour: the last five got the same page and no email.
    assert_eq!(app.mails().await.len(), 20);
}

async fn sign_in_from(app: &TestApp, address: &str, email: &str, password: &str) -> u16 {
    let csrf = app.csrf("/signin").await;
    app.client
        .post(app.url("/signin"))
        .header("x-forwarded-for", address)
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_strangers_failed_sign_ins_do_not_stop_the_owner() {
    let mut app = spawn_app_with(|s| s.server.trust_forwarded_for = true).await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    let mut statuses = Vec::new();
    for _ in 0..8 {
        app.client = client();
        statuses.push(sign_in_from(&app, "203.0.113.9", &ada.email, "guess").await);
    }
    assert_eq!(&statuses[..5], &[401; 5]);
    assert!(statuses[5..].iter().all(|s| *s == 429), "{statuses:?}");
    // The owner, from an address never used before, is not held back.
    app.client = client();
    assert_eq!(
        sign_in_from(&app, "198.51.100.7", &ada.email, &ada.password).await,
        303
    );
    // The stranger still is, even with the right password.
    app.client = client();
    assert_eq!(
        sign_in_from(&app, "203.0.113.9", &ada.email, &ada.password).await,
        429
    );
}

#[tokio::test]
async fn a_distributed_attack_holds_back_new_addresses_but_not_the_owners_own() {
    let mut app = spawn_app_with(|s| s.server.trust_forwarded_for = true).await;
    let ada = TestUser::author();
    app.client = client();
    app.register_and_sign_in(&ada).await;
    app.client = client();
    assert_eq!(
        sign_in_from(&app, "192.0.2.1", &ada.email, &ada.password).await,
        303
    );
    for i in 0..12 {
        app.client = client();
        sign_in_from(&app, &format!("203.0.113.{i}"), &ada.email, "guess").await;
    }
    app.client = client();
    assert_eq!(
        sign_in_from(&app, "198.51.100.7", &ada.email, &ada.password).await,
        429
    );
    app.client = client();
    assert_eq!(
        sign_in_from(&app, "192.0.2.1", &ada.email, &ada.password).await,
        303
    );
}

#[tokio::test]
async fn signed_in_pages_are_never_cached_and_carry_the_security_headers() {
    let app = spawn_app().await;
    app.register_and_sign_in(&TestUser::author()).await;
    for path in ["/", "/submissions", "/reviews", "/account/sessions"] {
        let response = app.get(path).await;
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        assert_eq!(header("cache-control"), "no-store", "{path}");
        assert_eq!(header("x-content-type-options"), "nosniff");
        assert_eq!(header("referrer-policy"), "same-origin");
        let csp = header("content-security-policy");
        for part in [
            "script-src 'self'",
            "style-src 'self'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(part), "{path}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline"));
        let html = response.text().await.unwrap();
        assert!(!html.contains("<script>"), "{path} has an inline script");
        assert!(
            !html.contains(" onclick=") && !html.contains(" onsubmit="),
            "{path}"
        );
    }
}
