use crate::helpers::{TestUser, extract_csrf, spawn_app};

/// The settings form as the chair's browser would send it back, with `changes` applied.
async fn settings_fields(
    app: &crate::helpers::TestApp,
    changes: &[(&str, &str)],
) -> Vec<(String, String)> {
    let page = app.get_text("/chair/settings").await;
    let html = page
        .split("action=\"/chair/settings\"")
        .nth(1)
        .unwrap()
        .to_string();
    let mut fields: Vec<(String, String)> = Vec::new();
    let attr = |chunk: &str, name: &str| {
        chunk
            .split(&format!("{name}=\""))
            .nth(1)
            .and_then(|r| r.split('"').next())
            .map(str::to_string)
    };
    for chunk in html.split("<input").skip(1) {
        let Some(name) = attr(chunk, "name") else {
            continue;
        };
        let tag = chunk.split('>').next().unwrap();
        if tag.contains("type=\"checkbox\"") {
            if tag.contains("checked") {
                fields.push((name, "on".into()));
            }
        } else {
            fields.push((name, html_unescape(&attr(tag, "value").unwrap_or_default())));
        }
    }
    for chunk in html.split("<textarea").skip(1) {
        let Some(name) = attr(chunk, "name") else {
            continue;
        };
        let text = chunk
            .split_once('>')
            .map(|(_, r)| r.split("</textarea>").next().unwrap_or(""))
            .unwrap_or("");
        fields.push((name, html_unescape(text)));
    }
    for (k, v) in changes {
        fields.retain(|(name, _)| name != k);
        fields.push((k.to_string(), v.to_string()));
    }
    fields
}

fn html_unescape(s: &str) -> String {
    s.replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[tokio::test]
async fn anonymous_visitors_are_sent_to_sign_in_from_chair_pages() {
    let app = spawn_app().await;
    for path in ["/chair", "/chair/settings"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 303, "{path}");
        assert_eq!(
            response.headers()["location"],
            crate::helpers::signin_for(path).as_str()
        );
    }
}

#[tokio::test]
async fn signed_in_non_chairs_are_refused_chair_pages() {
    let app = spawn_app().await;
    app.register_and_sign_in(&TestUser::author()).await;
    for path in ["/chair", "/chair/settings"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 403, "{path}");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("Only the conference chairs can do this.")
        );
    }
    let csrf = extract_csrf(&app.get_text("/").await).unwrap();
    let post = app
        .client
        .post(app.url("/chair/settings"))
        .form(&[("csrf", csrf.as_str()), ("name", "Hijacked")])
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 403);
    assert!(!app.get_text("/").await.contains("Hijacked"));
}

#[tokio::test]
async fn a_chair_changes_the_settings_and_the_home_page_follows() {
    let app = spawn_app().await;
    app.sign_in_as_chair().await;
    let fields = settings_fields(
        &app,
        &[
            ("name", "DLDE 2027"),
            ("time_zone", "Europe/Paris"),
            ("call_text", "Send us **papers**."),
        ],
    )
    .await;
    let response = app
        .client
        .post(app.url("/chair/settings"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    let home = app.get_text("/").await;
    assert!(home.contains("<h1>DLDE 2027</h1>"));
    assert!(home.contains("<strong>papers</strong>"));
    // The form's 23:59:59 is now read in Paris time.
    assert!(
        home.contains("Fri 17 Sep 2027, 23:59 CEST (UTC+02:00)"),
        "{home}"
    );
    assert!(
        app.get_text("/chair")
            .await
            .contains("Conference settings changed")
    );
}

#[tokio::test]
async fn invalid_settings_are_refused_beside_the_field_and_nothing_is_saved() {
    let app = spawn_app().await;
    app.sign_in_as_chair().await;
    let fields = settings_fields(
        &app,
        &[
            ("name", "Changed"),
            ("review_due", "2027-01-01T00:00"),
            ("time_zone", "Nowhere/Land"),
            ("reviewer_load_min", "9"),
        ],
    )
    .await;
    let response = app
        .client
        .post(app.url("/chair/settings"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("Nothing was saved"));
    assert!(html.contains("is not a known IANA time zone"));
    assert!(html.contains("Minimum load (9) cannot exceed maximum load (5)."));
    assert!(
        html.contains("value=\"Changed\""),
        "the chair's values are kept in the form"
    );
    assert!(!app.get_text("/").await.contains("Changed"));
}

#[tokio::test]
async fn deadlines_out_of_order_are_refused() {
    let app = spawn_app().await;
    app.sign_in_as_chair().await;
    let fields = settings_fields(&app, &[("review_due", "2027-09-01T00:00:00")]).await;
    let html = app
        .client
        .post(app.url("/chair/settings"))
        .form(&fields)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Reviews due must be after bidding closes"),
        "{html}"
    );
}

#[tokio::test]
async fn a_stale_settings_form_is_refused_without_losing_the_newer_values() {
    let app = spawn_app().await;
    app.sign_in_as_chair().await;
    let first = settings_fields(&app, &[("name", "First save")]).await;
    let second = settings_fields(&app, &[("name", "Second save")]).await;
    assert_eq!(
        app.client
            .post(app.url("/chair/settings"))
            .form(&first)
            .send()
            .await
            .unwrap()
            .status(),
        303
    );
    let response = app
        .client
        .post(app.url("/chair/settings"))
        .form(&second)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 409);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("Another chair changed the settings")
            && html.contains("value=\"First save\"")
    );
}

#[tokio::test]
async fn script_in_the_call_text_is_shown_as_text() {
    let app = spawn_app().await;
    app.sign_in_as_chair().await;
    let fields = settings_fields(
        &app,
        &[(
            "call_text",
            "<script>alert('x')</script>\n\nSee [a](javascript:alert(1)).",
        )],
    )
    .await;
    app.client
        .post(app.url("/chair/settings"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    let home = app.get_text("/").await;
    assert!(!home.contains("<script>alert"));
    assert!(!home.contains("href=\"javascript:"), "{home}");
    assert!(home.contains("<a href=\"#\">a</a>"));
}

#[tokio::test]
async fn the_chair_dashboard_shows_the_mail_queue() {
    let app = spawn_app().await;
    app.sign_in_as_chair().await;
    let html = app.get_text("/chair").await;
    assert!(html.contains("<td>sent</td>"), "{html}");
}

/// Every chair route, GET and POST, refuses anonymous visitors and non-chairs.
#[tokio::test]
async fn every_chair_route_refuses_visitors_and_authors() {
    let mut app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    app.submit(&crate::helpers::SubmissionBuilder::paper_by(&ada))
        .await;
    let gets = [
        "/chair",
        "/chair/settings",
        "/chair/submissions",
        "/chair/submissions.csv",
    ];
    let posts: [(&str, &[(&str, &str)]); 4] = [
        ("/chair/settings", &[("name", "Hijacked")]),
        ("/chair/mail/retry", &[]),
        ("/chair/submissions/1/status", &[("status", "withdrawn")]),
        ("/chair/submissions/1/unlock", &[("minutes", "60")]),
    ];
    for path in gets {
        assert_eq!(app.get(path).await.status(), 403, "author GET {path}");
    }
    for (path, fields) in posts {
        assert_eq!(
            app.post_form("/submissions", path, fields).await.status(),
            403,
            "author POST {path}"
        );
    }
    app.client = crate::helpers::client();
    for path in gets {
        let response = app.get(path).await;
        assert_eq!(response.status(), 303, "anonymous GET {path}");
        assert_eq!(
            response.headers()["location"],
            crate::helpers::signin_for(path).as_str()
        );
    }
    for (path, fields) in posts {
        let response = app.post_form("/signin", path, fields).await;
        assert_eq!(response.status(), 303, "anonymous POST {path}");
        assert_eq!(response.headers()["location"], "/signin");
    }
    app.sign_in_as_chair().await;
    for path in gets {
        assert_eq!(app.get(path).await.status(), 200, "chair GET {path}");
    }
    assert!(
        app.get_text("/submissions/1")
            .await
            .contains("status: <strong>active</strong>"),
        "nothing changed"
    );
}
