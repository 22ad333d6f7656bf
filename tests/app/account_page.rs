//! The account page: name and affiliation, an email change confirmed by a link to the new
//! address (the old address told; submissions and reviews follow), a password change that
//! asks for the current password and signs out the other browsers, and who may reach it.

use crate::helpers::{SubmissionBuilder, TestApp, TestUser, client, signin_for, spawn_app};

async fn signed_in_author() -> (TestApp, TestUser) {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    assert_eq!(
        app.submit(&SubmissionBuilder::paper_by(&ada))
            .await
            .status(),
        303
    );
    (app, ada)
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn visitors_are_sent_to_sign_in_and_every_post_needs_a_session() {
    let app = spawn_app().await;
    let r = app.get("/account").await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), signin_for("/account"));
    for (action, fields) in [
        (
            "/account/profile",
            vec![("name", "X"), ("affiliation", "Y")],
        ),
        (
            "/account/email",
            vec![("new_email", "x@example.org"), ("current_password", "x")],
        ),
        (
            "/account/password",
            vec![
                ("current_password", "x"),
                ("password", "a brand new password"),
                ("password_confirm", "a brand new password"),
            ],
        ),
    ] {
        let r = app.post_form("/signin", action, &fields).await;
        assert_eq!(r.status(), 303, "{action}");
        assert!(location(&r).starts_with("/signin"), "{action}");
    }
}

#[tokio::test]
async fn the_account_page_changes_name_and_affiliation_and_links_the_sessions() {
    let (app, _) = signed_in_author().await;
    let page = app.get_text("/account").await;
    assert!(page.contains("href=\"/account/sessions\""), "{page}");
    let r = app
        .post_form(
            "/account",
            "/account/profile",
            &[("name", "Ada King"), ("affiliation", "")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text().await.unwrap().contains("value=\"Ada King\""),
        "typed value kept"
    );
    let r = app
        .post_form(
            "/account",
            "/account/profile",
            &[("name", "Ada King"), ("affiliation", "Analytical Society")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let page = app.get_text("/account").await;
    assert!(page.contains("Analytical Society"));
    assert!(
        page.contains(">Ada King</a>"),
        "the header names her: {page}"
    );
}

#[tokio::test]
async fn an_email_change_waits_for_the_link_to_the_new_address_and_moves_the_submissions() {
    let (app, ada) = signed_in_author().await;
    let wrong = app
        .post_form(
            "/account",
            "/account/email",
            &[
                ("new_email", "ada@new.example"),
                ("current_password", "wrong one"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), 422);
    assert!(app.mails_to("ada@new.example").await.is_empty());
    let r = app
        .post_form(
            "/account",
            "/account/email",
            &[
                ("new_email", "Ada@New.Example"),
                ("current_password", &ada.password),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let notice = app
        .mail_to_with_subject(&ada.email, "change of your email address was requested")
        .await;
    assert!(notice.body.contains("ada@new.example"));
    let confirm = app
        .mail_to_with_subject("ada@new.example", "Confirm your new email address")
        .await;
    let link = confirm.link_path("/account/email/confirm?token=");
    // Nothing changes before the link is used.
    assert!(
        app.get_text("/account")
            .await
            .contains("A change to <strong>ada@new.example</strong> waits")
    );
    let page = app.get_text(&link).await;
    assert!(page.contains("Yes, use ada@new.example"), "{page}");
    let token = link.split("token=").nth(1).unwrap();
    let r = app
        .post_form(&link, "/account/email/confirm", &[("token", token)])
        .await;
    assert_eq!(r.status(), 200);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Your email address is changed")
    );
    app.mail_to_with_subject(&ada.email, "Your email address was changed")
        .await;
    // The link works once.
    let again = app
        .post_form(&link, "/account/email/confirm", &[("token", token)])
        .await;
    assert_eq!(again.status(), 400);
    let mut app = app;
    app.client = client();
    assert_eq!(app.sign_in(&ada.email, &ada.password).await.status(), 401);
    assert_eq!(
        app.sign_in("ada@new.example", &ada.password).await.status(),
        303
    );
    let mine = app.get_text("/submissions").await;
    assert!(mine.contains("#1"), "the submission followed: {mine}");
}

#[tokio::test]
async fn an_address_that_belongs_to_someone_else_is_not_taken_over() {
    let (mut app, ada) = signed_in_author().await;
    let bob = TestUser::new("Bob");
    app.client = client();
    app.register_and_sign_in(&bob).await;
    app.client = client();
    assert_eq!(app.sign_in(&ada.email, &ada.password).await.status(), 303);
    let r = app
        .post_form(
            "/account",
            "/account/email",
            &[
                ("new_email", &bob.email),
                ("current_password", &ada.password),
            ],
        )
        .await;
    assert_eq!(
        r.status(),
        303,
        "the answer does not reveal who has an account"
    );
    let to_bob = app.mails_to(&bob.email).await;
    assert!(
        !to_bob
            .iter()
            .any(|m| m.subject.contains("new email address")),
        "{to_bob:?}"
    );
}

#[tokio::test]
async fn a_password_change_needs_the_current_password_and_signs_out_the_other_browsers() {
    let (mut app, ada) = signed_in_author().await;
    let here = app.client.clone();
    app.client = client();
    assert_eq!(app.sign_in(&ada.email, &ada.password).await.status(), 303);
    let elsewhere = app.client.clone();
    app.client = here.clone();
    let wrong = app
        .post_form(
            "/account",
            "/account/password",
            &[
                ("current_password", "not it at all"),
                ("password", "a brand new password"),
                ("password_confirm", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), 422);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("not your current password")
    );
    let r = app
        .post_form(
            "/account",
            "/account/password",
            &[
                ("current_password", &ada.password),
                ("password", "a brand new password"),
                ("password_confirm", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let page = app.get_text("/account").await;
    assert!(page.contains("1 other browser was signed out"), "{page}");
    app.client = elsewhere;
    assert_eq!(
        app.get("/submissions").await.status(),
        303,
        "other browser signed out"
    );
    app.client = client();
    assert_eq!(app.sign_in(&ada.email, &ada.password).await.status(), 401);
    assert_eq!(
        app.sign_in(&ada.email, "a brand new password")
            .await
            .status(),
        303
    );
    app.mail_to_with_subject(&ada.email, "Your password was changed")
        .await;
}
