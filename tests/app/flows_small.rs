//! People's flows (issue 14), the small ones: HEAD on the calendar and a favicon, an error
//! page titled in words, reasons when no reminder goes out, recent changes in words, letter
//! help with this workshop's values, and a confirmation after a password reset.

use crate::flows::{as_client, location, one_paper};
use crate::helpers::{TestApp, client, spawn_app};

#[tokio::test]
async fn the_calendar_answers_head_and_the_site_has_a_favicon() {
    let app = spawn_app().await;
    let head = app
        .client
        .head(app.url("/program.ics"))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 200);
    assert!(
        head.headers()
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    for path in ["/favicon.ico", "/static/favicon.svg"] {
        let r = app.get(path).await;
        assert_eq!(r.status(), 200, "{path}");
        assert!(r.text().await.unwrap().starts_with("<svg"));
    }
    assert!(app.get_text("/").await.contains("rel=\"icon\""));
}

#[tokio::test]
async fn a_page_that_is_not_open_yet_says_so_in_its_title_not_forbidden() {
    let (app, _, _) = one_paper().await;
    let r = app.get("/bids").await;
    assert_eq!(r.status(), 403);
    let html = r.text().await.unwrap();
    assert!(!html.contains("Forbidden"), "{html}");
    assert!(
        html.contains("<title>Not open at this time")
            && html.contains("Bidding opens when submissions close")
    );
}

#[tokio::test]
async fn a_reminder_round_that_sends_nothing_says_why() {
    let (mut app, mut chair, _) = one_paper().await;
    let flash = as_client(&mut app, &mut chair, async |app: &TestApp| {
        let r = app
            .post_form("/chair/reviews", "/chair/reviews/remind", &[])
            .await;
        assert_eq!(r.status(), 303);
        app.get_text("/chair/reviews").await
    })
    .await;
    assert!(!flash.contains("0 reminders queued"), "{flash}");
    assert!(
        flash.contains("No reminder was sent: no review is assigned yet"),
        "{flash}"
    );
}

#[tokio::test]
async fn the_dashboard_tells_recent_changes_in_words_and_letter_help_names_this_workshop() {
    let (mut app, mut chair, _) = one_paper().await;
    let (dashboard, letters) = as_client(&mut app, &mut chair, async |app: &TestApp| {
        (
            app.get_text("/chair").await,
            app.get_text("/chair/letters?kind=general").await,
        )
    })
    .await;
    assert!(dashboard.contains("New submission"), "{dashboard}");
    assert!(!dashboard.contains("submission.create"));
    assert!(
        letters.contains("(e.g. DLDE") && !letters.contains("DEML"),
        "{letters}"
    );
}

#[tokio::test]
async fn a_password_reset_ends_on_the_sign_in_page_saying_it_worked() {
    let (mut app, _, ada) = one_paper().await;
    app.client = client();
    let r = app
        .post_form("/reset", "/reset", &[("email", &ada.email)])
        .await;
    assert_eq!(r.status(), 200);
    let mail = app.mail_to_with_subject(&ada.email, "password").await;
    let link = mail.link_path("/reset/confirm?token=");
    let r = app
        .post_form(
            &link,
            "/reset/confirm",
            &[
                ("token", link.split("token=").nth(1).unwrap()),
                ("password", "a brand new password"),
                ("password_confirm", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let signin = app.get_text(&location(&r)).await;
    assert!(
        signin.contains("Your password has been changed"),
        "{signin}"
    );
}
