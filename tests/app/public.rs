use crate::helpers::spawn_app;

#[tokio::test]
async fn home_page_shows_the_call_and_dates_in_the_conference_time_zone() {
    let app = spawn_app().await;
    let html = app.get_text("/").await;
    assert!(html.contains("The Symbiosis of Deep Learning and Differential Equations"));
    assert!(
        html.contains("Fri 17 Sep 2027, 23:59 PDT (UTC−07:00)"),
        "{html}"
    );
    assert!(html.contains("Tue 14 Dec 2027, 08:00 PST (UTC−08:00)"));
    assert!(html.contains("America/Los_Angeles"));
}

#[tokio::test]
async fn home_page_counts_down_to_the_next_deadline() {
    let app = spawn_app().await;
    let html = app.get_text("/").await;
    // 1 June 2027 12:00 UTC to 18 September 06:59:59 UTC.
    assert!(html.contains("Submission deadline in <strong data-countdown=\"2027-09-18T06:59:59+00:00\">108 days, 18 hours</strong>"), "{html}");
    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2027-09-20T00:00:00Z")
            .unwrap()
            .into(),
    );
    let html = app.get_text("/").await;
    assert!(html.contains("Bidding closes in"), "{html}");
}

#[tokio::test]
async fn unknown_pages_get_the_404_page_in_the_site_layout() {
    let app = spawn_app().await;
    let response = app.get("/no/such/page").await;
    assert_eq!(response.status(), 404);
    let html = response.text().await.unwrap();
    assert!(html.contains("This page does not exist.") && html.contains("<header class=\"site\">"));
    assert!(
        html.contains("<title>Page not found · DLDE</title>"),
        "{html}"
    );
}

#[tokio::test]
async fn unknown_api_routes_get_the_json_error_shape() {
    let app = spawn_app().await;
    let response = app.get("/api/nothing-here").await;
    assert_eq!(response.status(), 404);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
}

#[tokio::test]
async fn public_api_lists_the_important_dates() {
    let app = spawn_app().await;
    let body: serde_json::Value = app.get("/api/conference").await.json().await.unwrap();
    assert_eq!(body["short_name"], "DLDE");
    assert_eq!(body["dates"][1]["name"], "submission_deadline");
    assert_eq!(body["dates"][1]["at"], "2027-09-18T06:59:59+00:00");
}

#[tokio::test]
async fn pages_carry_security_headers_and_a_protected_session_cookie() {
    let app = spawn_app().await;
    let response = app.get("/signin").await;
    let headers = response.headers();
    assert_eq!(headers["x-frame-options"], "DENY");
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("script-src 'self'")
    );
    let cookie = headers["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
}

#[tokio::test]
async fn static_files_are_served() {
    let app = spawn_app().await;
    let css = app.get("/static/style.css").await;
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
    assert!(
        app.get_text("/static/app.js")
            .await
            .contains("data-countdown")
    );
}
