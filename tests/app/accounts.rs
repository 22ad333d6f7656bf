use chrono::Duration;

use crate::helpers::{TestUser, client, spawn_app};

#[tokio::test]
async fn a_new_account_is_confirmed_by_email_then_signs_in_and_out() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    let page = app.register(&ada).await.text().await.unwrap();
    assert!(page.contains("We sent a link to ada.author@example.org"));

    let mail = app.last_mail_to(&ada.email).await;
    assert_eq!(mail.subject, "[DLDE] Confirm your email address");
    let confirm = app.get(&mail.link_path("/confirm?token=")).await;
    assert_eq!(confirm.headers()["location"], "/signin");
    assert!(
        app.get_text("/signin")
            .await
            .contains("Your email address is confirmed")
    );

    assert_eq!(
        app.sign_in(&ada.email, &ada.password).await.headers()["location"],
        "/"
    );
    assert!(app.get_text("/").await.contains("Ada Author"));
    assert_eq!(app.sign_out().await.status(), 303);
    assert!(!app.get_text("/").await.contains("Ada Author"));
}

#[tokio::test]
async fn a_wrong_password_gets_a_message_that_reveals_nothing() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    app.sign_out().await;
    let wrong = app.sign_in(&ada.email, "not the password").await;
    assert_eq!(wrong.status(), 401);
    let unknown = app.sign_in("nobody@example.org", "not the password").await;
    assert_eq!(unknown.status(), 401);
    let (a, b) = (wrong.text().await.unwrap(), unknown.text().await.unwrap());
    assert!(a.contains("The email address or password is incorrect."));
    assert!(b.contains("The email address or password is incorrect."));
}

#[tokio::test]
async fn an_unconfirmed_account_cannot_sign_in_and_gets_a_new_link() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register(&ada).await;
    app.clock.advance(Duration::minutes(11));
    let response = app.sign_in(&ada.email, &ada.password).await;
    assert_eq!(response.status(), 403);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("confirm your email address first")
    );
    assert_eq!(app.mails_to(&ada.email).await.len(), 2);
}

#[tokio::test]
async fn repeated_failed_sign_ins_are_throttled_even_with_the_right_password() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    app.sign_out().await;
    for _ in 0..5 {
        assert_eq!(
            app.sign_in(&ada.email, "wrong password").await.status(),
            401
        );
    }
    let blocked = app.sign_in(&ada.email, &ada.password).await;
    assert_eq!(blocked.status(), 429);
    assert!(
        blocked
            .text()
            .await
            .unwrap()
            .contains("Too many failed sign-in attempts")
    );
    app.clock.advance(Duration::minutes(16));
    assert_eq!(app.sign_in(&ada.email, &ada.password).await.status(), 303);
}

#[tokio::test]
async fn an_email_registered_twice_in_another_case_creates_no_second_account() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    app.sign_out().await;
    let twin = TestUser {
        email: "ADA.Author@Example.org".into(),
        password: "another password 123".into(),
        ..ada.clone()
    };
    let page = app.register(&twin).await.text().await.unwrap();
    assert!(
        page.contains("We sent a link to ada.author@example.org"),
        "the page must look the same as for a new address"
    );
    let mail = app.last_mail_to(&ada.email).await;
    assert_eq!(mail.subject, "[DLDE] You already have an account");
    assert_eq!(app.sign_in(&ada.email, &twin.password).await.status(), 401);
    assert_eq!(app.sign_in(&ada.email, &ada.password).await.status(), 303);
}

#[tokio::test]
async fn an_invalid_registration_re_renders_with_values_and_messages() {
    let app = spawn_app().await;
    let bad = TestUser {
        email: "not-an-email".into(),
        password: "short".into(),
        ..TestUser::author()
    };
    let response = app.register(&bad).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("value=\"Ada Author\""));
    assert!(html.contains("value=\"not-an-email\""));
    assert!(html.contains("Enter an email address like name@example.org."));
    assert!(html.contains("Choose a password of at least 10 characters."));
    assert!(
        !html.contains("value=\"short\""),
        "passwords are never echoed back"
    );
    assert!(app.mails().await.is_empty());
}

#[tokio::test]
async fn over_long_fields_and_script_in_names_are_refused_or_escaped() {
    let app = spawn_app().await;
    let long = TestUser {
        name: "x".repeat(500),
        ..TestUser::author()
    };
    let html = app.register(&long).await.text().await.unwrap();
    assert!(html.contains("Name can have at most 120 characters"));
    let script = TestUser {
        name: "<script>alert(1)</script>".into(),
        ..TestUser::author()
    };
    app.register_and_sign_in(&script).await;
    let home = app.get_text("/").await;
    assert!(!home.contains("<script>alert(1)</script>"));
    assert!(home.contains("&#60;script&#62;alert(1)"), "{home}");
}

#[tokio::test]
async fn a_form_without_the_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    let response = app
        .client
        .post(app.url("/register"))
        .form(&[
            ("name", ada.name.as_str()),
            ("email", &ada.email),
            ("affiliation", &ada.affiliation),
            ("password", &ada.password),
            ("password_confirm", &ada.password),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("This form has expired")
    );
    let forged = app
        .client
        .post(app.url("/register"))
        .form(&[("csrf", "forged"), ("name", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert!(app.mails().await.is_empty());
}

#[tokio::test]
async fn a_token_from_another_session_is_refused() {
    let app = spawn_app().await;
    let csrf = app.csrf("/signin").await;
    let other = client();
    let response = other
        .post(app.url("/signin"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "a@b.org"),
            ("password", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn a_confirmation_link_works_once_and_expires() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register(&ada).await;
    let link = app
        .last_mail_to(&ada.email)
        .await
        .link_path("/confirm?token=");
    assert_eq!(app.get(&link).await.status(), 303);
    let again = app.get(&link).await;
    assert_eq!(again.status(), 400);
    assert!(
        again
            .text()
            .await
            .unwrap()
            .contains("expired or was already used")
    );

    let bob = TestUser::new("Bob Late");
    app.register(&bob).await;
    let link = app
        .last_mail_to(&bob.email)
        .await
        .link_path("/confirm?token=");
    app.clock.advance(Duration::hours(49));
    assert_eq!(app.get(&link).await.status(), 400);
    assert_eq!(app.get("/confirm?token=made-up").await.status(), 400);
}

#[tokio::test]
async fn a_forgotten_password_is_reset_by_emailed_link_once() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    app.sign_out().await;
    let page = app
        .post_form("/reset", "/reset", &[("email", &ada.email)])
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("If ada.author@example.org has an account"));
    let link = app
        .last_mail_to(&ada.email)
        .await
        .link_path("/reset/confirm?token=");
    let token = link.split("token=").nth(1).unwrap().to_string();
    let fields = [
        ("token", token.as_str()),
        ("password", "a brand new password"),
        ("password_confirm", "a brand new password"),
    ];
    let done = app.post_form(&link, "/reset/confirm", &fields).await;
    assert_eq!(done.headers()["location"], "/signin?changed=password");
    assert_eq!(app.sign_in(&ada.email, &ada.password).await.status(), 401);
    assert_eq!(
        app.sign_in(&ada.email, "a brand new password")
            .await
            .status(),
        303
    );
    app.sign_out().await;
    let reused = app.post_form("/signin", "/reset/confirm", &fields).await;
    assert_eq!(reused.status(), 400);
}

#[tokio::test]
async fn a_reset_request_for_an_unknown_address_looks_the_same_and_sends_nothing() {
    let app = spawn_app().await;
    let page = app
        .post_form("/reset", "/reset", &[("email", "ghost@example.org")])
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("If ghost@example.org has an account"));
    assert!(app.mails().await.is_empty());
}

#[tokio::test]
async fn malformed_bodies_get_a_clear_message() {
    let app = spawn_app().await;
    let csrf = app.csrf("/register").await;
    let mut body = format!("csrf={csrf}&name=").into_bytes();
    body.extend_from_slice(&[0xff, 0xfe, 0x00]);
    let response = app
        .client
        .post(app.url("/register"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_client_error());
    let huge = "x".repeat(600_000);
    let response = app
        .client
        .post(app.url("/register"))
        .form(&[("csrf", csrf.as_str()), ("name", &huge)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
}

#[tokio::test]
async fn forwarded_addresses_are_ignored_unless_a_proxy_is_trusted() {
    let app = spawn_app().await;
    // 30 failures from "different" forwarded addresses still come from one peer.
    for i in 0..30 {
        let csrf = app.csrf("/signin").await;
        app.client
            .post(app.url("/signin"))
            .header("x-forwarded-for", format!("10.0.0.{i}"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", &format!("nobody{i}@example.org")),
                ("password", "wrong"),
            ])
            .send()
            .await
            .unwrap();
    }
    let blocked = app
        .sign_in("someone@example.org", "whatever password")
        .await;
    assert_eq!(blocked.status(), 429);
}
