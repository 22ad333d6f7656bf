use cfp::config::{MailTransportKind, SmtpSecurity};
use cfp::db::outbox;
use chrono::Duration;

use crate::helpers::{TestUser, spawn_app, spawn_app_with};
use crate::smtp::{SmtpServer, free_port};

#[tokio::test]
async fn the_default_transport_writes_eml_files_into_the_data_directory() {
    let app = spawn_app().await;
    app.register(&TestUser::author()).await;
    let delivered = app.deliver_mail().await;
    assert_eq!(delivered.sent, 1);
    let files: Vec<_> = std::fs::read_dir(app.data_dir().join("outbox"))
        .unwrap()
        .collect();
    assert_eq!(files.len(), 1);
    assert_eq!(app.deliver_mail().await.sent, 0, "nothing is sent twice");
}

/// Plain SMTP to a loopback port, where a test may or may not run a server.
fn smtp_on(c: &mut cfp::config::Settings, port: u16) {
    c.mail.transport = MailTransportKind::Smtp;
    c.mail.smtp.host = "127.0.0.1".into();
    c.mail.smtp.port = port;
    c.mail.smtp.security = SmtpSecurity::None;
    c.mail.smtp.timeout_secs = 2;
}

#[tokio::test]
async fn mail_queued_while_smtp_is_down_is_delivered_exactly_once_when_it_is_up() {
    let port = free_port();
    let app = spawn_app_with(|c| smtp_on(c, port)).await;
    app.register(&TestUser::author()).await;
    let down = app.deliver_mail().await;
    assert_eq!((down.sent, down.retried), (0, 1));

    let smtp = SmtpServer::default();
    smtp.start(port).await;
    assert_eq!(
        app.deliver_mail().await.sent,
        0,
        "the retry waits for its backoff"
    );
    app.clock.advance(Duration::seconds(31));
    assert_eq!(app.deliver_mail().await.sent, 1);
    app.clock.advance(Duration::hours(2));
    assert_eq!(app.deliver_mail().await.sent, 0);
    let received = smtp.received();
    assert_eq!(received.len(), 1);
    assert!(received[0].contains("Subject: [DLDE] Confirm your email address"));
    assert!(received[0].contains("To: ada.author@example.org"));
}

#[tokio::test]
async fn a_mail_that_keeps_failing_is_marked_failed_and_shown_to_chairs() {
    let port = free_port();
    let app = spawn_app_with(|c| {
        smtp_on(c, port);
        c.mail.max_attempts = 2;
    })
    .await;
    app.register(&TestUser::author()).await;
    assert_eq!(app.deliver_mail().await.retried, 1);
    app.clock.advance(Duration::hours(1));
    assert_eq!(app.deliver_mail().await.failed, 1);
    let counts = outbox::counts_by_state(&mut app.pool.get().unwrap()).unwrap();
    assert_eq!(counts, vec![("failed".to_string(), 1)]);

    // A chair sees it, and a retry queues it again.
    let chair = TestUser::chair();
    app.register(&chair).await;
    let smtp = SmtpServer::default();
    smtp.start(port).await;
    app.deliver_mail().await;
    let confirm = smtp
        .received()
        .iter()
        .find(|m| m.contains("carla.chair"))
        .cloned()
        .unwrap();
    let body = crate::helpers::parse_mail(&confirm);
    app.get(&body.link_path("/confirm?token=")).await;
    app.sign_in(&chair.email, &chair.password).await;
    app.make_chair(&chair.email);
    let html = app.get_text("/chair").await;
    assert!(
        html.contains("Emails that could not be delivered")
            && html.contains("ada.author@example.org"),
        "{html}"
    );
    assert_eq!(
        app.post_form("/chair", "/chair/mail/retry", &[])
            .await
            .status(),
        303
    );
    assert_eq!(app.deliver_mail().await.sent, 1);
}

#[tokio::test]
async fn the_same_event_is_queued_only_once() {
    let app = spawn_app().await;
    let mut c = app.pool.get().unwrap();
    let mail = outbox::NewMail {
        dedupe_key: "test:event-1".into(),
        recipient: cfp::domain::account::Email::parse("x@example.org").unwrap(),
        subject: "s".into(),
        body_text: "b".into(),
    };
    let now = app.clock_now();
    assert!(outbox::enqueue(&mut c, &mail, now).unwrap());
    assert!(!outbox::enqueue(&mut c, &mail, now).unwrap());
    drop(c);
    assert_eq!(app.deliver_mail().await.sent, 1);
}

#[tokio::test]
async fn a_batch_queues_each_event_once_inside_the_callers_transaction() {
    let app = spawn_app().await;
    let mut c = app.pool.get().unwrap();
    let mail = |key: &str, to: &str| outbox::NewMail {
        dedupe_key: key.into(),
        recipient: cfp::domain::account::Email::parse(to).unwrap(),
        subject: "s".into(),
        body_text: "b".into(),
    };
    let now = app.clock_now();
    assert!(outbox::enqueue(&mut c, &mail("test:a", "a@example.org"), now).unwrap());
    let batch = [
        mail("test:a", "a@example.org"),
        mail("test:b", "b@example.org"),
        mail("test:b", "b@example.org"),
        mail("test:c", "c@example.org"),
    ];
    let queued: Result<usize, diesel::result::Error> =
        cfp::db::transaction(&mut c, |c| outbox::enqueue_all(c, &batch, now));
    assert_eq!(queued.unwrap(), 2);
    // Rolled back with the caller's transaction: nothing of it stays queued.
    let rolled_back: Result<usize, diesel::result::Error> = cfp::db::transaction(&mut c, |c| {
        outbox::enqueue_all(c, &[mail("test:d", "d@example.org")], now)?;
        Err(diesel::result::Error::RollbackTransaction)
    });
    assert!(rolled_back.is_err());
    drop(c);
    let mut sent: Vec<String> = app.mails().await.into_iter().map(|m| m.to).collect();
    sent.sort();
    assert_eq!(sent, ["a@example.org", "b@example.org", "c@example.org"]);
}

#[tokio::test]
async fn two_workers_never_deliver_the_same_row() {
    let app = spawn_app().await;
    for i in 0..20 {
        app.register(&TestUser::new(&format!("Person {i}"))).await;
    }
    let second = app.mailer.clone();
    let (a, b) = tokio::join!(app.mailer.deliver_due(), second.deliver_due());
    assert_eq!(a.unwrap().sent + b.unwrap().sent, 20);
    let files = std::fs::read_dir(app.data_dir().join("outbox"))
        .unwrap()
        .count();
    assert_eq!(files, 20);
}

impl crate::helpers::TestApp {
    fn clock_now(&self) -> chrono::DateTime<chrono::Utc> {
        use cfp::clock::Clock;
        self.clock.now()
    }
}
