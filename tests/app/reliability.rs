//! Reliability under faults: uploads while the worker writes, SMTP servers that hang, refuse
//! or crawl, two workers on one database, restarts and stops, the storage sweeper, and a
//! backup taken under load that restores with nothing lost. Every test runs on the backend
//! the suite runs on (SQLite, or PostgreSQL with CFP_TEST_DATABASE_URL).

use std::time::{Duration, Instant, SystemTime};

use cfp::config::{MailTransportKind, SmtpSecurity};
use cfp::db::outbox;
use cfp::domain::account::Email;
use cfp::mail::delivery::Mailer;

use crate::helpers::{SubmissionBuilder, TestApp, TestUser, spawn_app, spawn_app_with};
use crate::smtp::{Behaviour, SmtpServer};

/// Plain SMTP to a loopback test server with a one-second deadline per exchange.
fn smtp_on(c: &mut cfp::config::Settings, port: u16) {
    c.mail.transport = MailTransportKind::Smtp;
    c.mail.smtp.host = "127.0.0.1".into();
    c.mail.smtp.port = port;
    c.mail.smtp.security = SmtpSecurity::None;
    c.mail.smtp.timeout_secs = 1;
}

async fn app_with_smtp(behaviour: Behaviour) -> (TestApp, SmtpServer) {
    let smtp = SmtpServer::with(behaviour);
    let port = smtp.start(0).await;
    let app = spawn_app_with(|c| smtp_on(c, port)).await;
    (app, smtp)
}

fn queue(app: &TestApp, key: &str, to: &str) {
    let mail = outbox::NewMail {
        dedupe_key: key.into(),
        recipient: Email::parse(to).unwrap(),
        subject: format!("about {key}"),
        body_text: "hello".into(),
    };
    let mut c = app.pool.get().unwrap();
    assert!(outbox::enqueue(&mut c, &mail, crate::helpers::start_time()).unwrap());
}

fn row(app: &TestApp, key: &str) -> outbox::OutboxRow {
    outbox::find_by_dedupe_key(&mut app.pool.get().unwrap(), key)
        .unwrap()
        .unwrap()
}

fn worker_named(app: &TestApp, instance: &str) -> Mailer {
    let mut mailer = app.mailer.clone();
    mailer.instance = instance.into();
    mailer.stop = Default::default();
    mailer
}

#[tokio::test]
async fn uploads_never_fail_while_the_worker_writes_to_the_outbox() {
    let app = spawn_app_with(|c| c.mail.worker_interval_secs = 1).await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    // Outbox writes as fast as they go, beside the worker's own rounds.
    let busy = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let writer = {
        let (pool, mailer, busy) = (app.pool.clone(), app.mailer.clone(), busy.clone());
        tokio::spawn(async move {
            let mut i = 0;
            while busy.load(std::sync::atomic::Ordering::SeqCst) {
                i += 1;
                let pool = pool.clone();
                tokio::task::spawn_blocking(move || {
                    let mail = outbox::NewMail {
                        dedupe_key: format!("load:{i}"),
                        recipient: Email::parse("load@example.org").unwrap(),
                        subject: "load".into(),
                        body_text: "load".into(),
                    };
                    outbox::enqueue(&mut pool.get().unwrap(), &mail, chrono::Utc::now())
                })
                .await
                .unwrap()
                .unwrap();
                mailer.deliver_due().await.unwrap();
            }
        })
    };
    let builders: Vec<SubmissionBuilder> = (0..16)
        .map(|i| SubmissionBuilder::paper_by(&ada).title(&format!("Rush paper {i}")))
        .collect();
    let responses = futures_util::future::join_all(builders.iter().map(|b| app.submit(b))).await;
    busy.store(false, std::sync::atomic::Ordering::SeqCst);
    writer.await.unwrap();
    for r in responses {
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    }
    let papers = cfp::db::submissions::all(&mut app.pool.get().unwrap()).unwrap();
    assert_eq!(papers.len(), 16);
}

#[tokio::test]
async fn a_hung_smtp_connection_fails_its_attempt_and_other_emails_still_go_out() {
    let (app, smtp) = app_with_smtp(Behaviour {
        hang_for: Some("hang.me@".into()),
        ..Behaviour::default()
    })
    .await;
    queue(&app, "a", "first@example.org");
    queue(&app, "hang", "hang.me@example.org");
    queue(&app, "b", "second@example.org");
    queue(&app, "c", "third@example.org");
    let started = Instant::now();
    let round = app.deliver_mail().await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!((round.sent, round.retried, round.failed), (3, 1, 0));
    assert_eq!(smtp.received().len(), 3);
    let hung = row(&app, "hang");
    assert_eq!(hung.state, "pending");
    assert!(
        hung.last_error
            .as_deref()
            .unwrap_or("")
            .contains("within 1 s"),
        "{:?}",
        hung.last_error
    );
}

#[tokio::test]
async fn a_server_that_never_greets_delays_emails_only_until_the_deadline() {
    let (app, smtp) = app_with_smtp(Behaviour {
        never_greet: true,
        ..Behaviour::default()
    })
    .await;
    queue(&app, "a", "first@example.org");
    let started = Instant::now();
    let round = app.deliver_mail().await;
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(round.retried, 1);
    assert!(smtp.received().is_empty());
    assert_eq!(row(&app, "a").state, "pending");
}

#[tokio::test]
async fn a_permanent_refusal_fails_the_email_at_once_with_the_servers_reason() {
    let (app, smtp) = app_with_smtp(Behaviour {
        refuse_for: Some(("nobody@".into(), "550 5.1.1 no such user".into())),
        ..Behaviour::default()
    })
    .await;
    queue(&app, "gone", "nobody@example.org");
    queue(&app, "fine", "somebody@example.org");
    let round = app.deliver_mail().await;
    assert_eq!((round.sent, round.retried, round.failed), (1, 0, 1));
    let gone = row(&app, "gone");
    assert_eq!((gone.state.as_str(), gone.attempts), ("failed", 1));
    assert!(
        gone.last_error
            .as_deref()
            .unwrap_or("")
            .contains("no such user"),
        "{:?}",
        gone.last_error
    );
    assert_eq!(smtp.received().len(), 1);
}

#[tokio::test]
async fn a_temporary_refusal_is_retried_with_backoff() {
    let (app, _smtp) = app_with_smtp(Behaviour {
        refuse_for: Some(("busy@".into(), "451 4.3.0 try again later".into())),
        ..Behaviour::default()
    })
    .await;
    queue(&app, "busy", "busy@example.org");
    assert_eq!(app.deliver_mail().await.retried, 1);
    let busy = row(&app, "busy");
    assert_eq!(busy.state, "pending");
    assert!(busy.next_attempt_at > cfp::db::to_db(crate::helpers::start_time()));
    assert!(busy.last_error.unwrap().contains("try again later"));
}

#[tokio::test]
async fn two_workers_with_a_slow_server_send_every_email_exactly_once() {
    let (app, smtp) = app_with_smtp(Behaviour {
        delay_per_message: Duration::from_millis(150),
        ..Behaviour::default()
    })
    .await;
    for i in 0..24 {
        queue(&app, &format!("m{i}"), &format!("person{i}@example.org"));
    }
    let (a, b) = (
        worker_named(&app, "server-a"),
        worker_named(&app, "server-b"),
    );
    let run = |w: Mailer| async move {
        let mut sent = 0;
        for _ in 0..5 {
            sent += w.deliver_due().await.unwrap().sent;
        }
        sent
    };
    let (sent_a, sent_b) = tokio::join!(run(a), run(b));
    assert_eq!(sent_a + sent_b, 24);
    assert!(
        sent_a > 0 && sent_b > 0,
        "both servers worked: {sent_a} + {sent_b}"
    );
    let mut ids: Vec<String> = smtp
        .received()
        .iter()
        .filter_map(|m| {
            m.lines()
                .find(|l| l.starts_with("Message-ID:"))
                .map(str::to_string)
        })
        .collect();
    assert_eq!(ids.len(), 24);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 24, "no email delivered twice");
}

#[tokio::test]
async fn claims_take_a_lapsed_lease_first_then_the_email_due_longest() {
    let app = spawn_app().await;
    let start = crate::helpers::start_time();
    let claim = |instance: &str, at: chrono::DateTime<chrono::Utc>| {
        outbox::claim_next(
            &mut app.pool.get().unwrap(),
            instance,
            at,
            chrono::Duration::seconds(50),
        )
        .unwrap()
        .map(|r| r.dedupe_key)
    };
    let queue_at = |key: &str, at: chrono::DateTime<chrono::Utc>| {
        let mail = outbox::NewMail {
            dedupe_key: key.into(),
            recipient: Email::parse("someone@example.org").unwrap(),
            subject: format!("about {key}"),
            body_text: "hello".into(),
        };
        assert!(outbox::enqueue(&mut app.pool.get().unwrap(), &mail, at).unwrap());
    };
    queue_at("first", start);
    queue_at("second", start + chrono::Duration::seconds(1));
    // A worker claims the first one and dies with it.
    assert_eq!(
        claim("dead", start + chrono::Duration::seconds(2)).as_deref(),
        Some("first")
    );
    queue_at("third", start + chrono::Duration::seconds(3));
    // While the lease runs, the others go in the order they became due.
    assert_eq!(
        claim("live", start + chrono::Duration::seconds(4)).as_deref(),
        Some("second")
    );
    // The second one fails and is retried in ten minutes.
    let second = row(&app, "second");
    outbox::mark_attempt_failed(
        &mut app.pool.get().unwrap(),
        &second.id,
        "421 try later",
        Some(start + chrono::Duration::minutes(10)),
    )
    .unwrap();
    // The lapsed lease comes before the third, which waited less.
    let after_lease = start + chrono::Duration::seconds(60);
    assert_eq!(claim("live", after_lease).as_deref(), Some("first"));
    assert_eq!(claim("live", after_lease).as_deref(), Some("third"));
    for key in ["first", "third"] {
        outbox::mark_sent(
            &mut app.pool.get().unwrap(),
            &row(&app, key).id,
            after_lease,
        )
        .unwrap();
    }
    // The retry is not due yet; then it is.
    assert_eq!(claim("live", after_lease), None);
    assert_eq!(
        claim("live", start + chrono::Duration::minutes(10)).as_deref(),
        Some("second")
    );
    assert_eq!(row(&app, "second").attempts, 2);
}

#[tokio::test]
async fn a_restarted_server_takes_back_its_own_claims_at_once() {
    let app = spawn_app().await;
    queue(&app, "inflight", "someone@example.org");
    // Server A claims the email and dies before recording the outcome.
    let claimed = outbox::claim_next(
        &mut app.pool.get().unwrap(),
        "server-a",
        crate::helpers::start_time(),
        chrono::Duration::seconds(50),
    )
    .unwrap()
    .unwrap();
    assert_eq!(claimed.claimed_by.as_deref(), Some("server-a"));
    // Another server leaves it alone while the lease runs.
    assert_eq!(
        worker_named(&app, "server-b")
            .deliver_due()
            .await
            .unwrap()
            .sent,
        0
    );
    // A restarts: its own claim comes back at once and goes out.
    let restarted = worker_named(&app, "server-a");
    assert_eq!(restarted.release_claims().await.unwrap(), 1);
    assert_eq!(restarted.deliver_due().await.unwrap().sent, 1);
    assert_eq!(row(&app, "inflight").state, "sent");
}

#[tokio::test]
async fn stopping_the_worker_returns_the_email_in_flight_within_seconds() {
    let (app, _smtp) = app_with_smtp(Behaviour {
        hang_for: Some("hang.me@".into()),
        ..Behaviour::default()
    })
    .await;
    let mut worker = worker_named(&app, "stopping");
    worker.settings.smtp.timeout_secs = 30;
    worker.transport =
        cfp::mail::transport::MailTransport::from_settings(&worker.settings, &app.data_dir())
            .unwrap();
    queue(&app, "hang", "hang.me@example.org");
    let handle = cfp::jobs::spawn(worker.clone());
    let deadline = Instant::now() + Duration::from_secs(5);
    while row(&app, "hang").state != "sending" {
        assert!(
            Instant::now() < deadline,
            "the worker never claimed the email"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let stopping = Instant::now();
    worker.shut_down(handle).await;
    assert!(
        stopping.elapsed() < Duration::from_secs(6),
        "{:?}",
        stopping.elapsed()
    );
    let back = row(&app, "hang");
    assert_eq!((back.state.as_str(), back.claimed_by), ("pending", None));
}

fn age(path: &std::path::Path, by: Duration) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(SystemTime::now() - by)
        .unwrap();
}

#[tokio::test]
async fn the_sweeper_removes_old_leftovers_and_keeps_every_referenced_or_recent_file() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    assert_eq!(
        app.submit(&SubmissionBuilder::paper_by(&ada))
            .await
            .status(),
        303
    );
    let storage = cfp::storage::Storage::new(&app.data_dir());
    let files = storage.root().to_path_buf();
    let doc = cfp::db::submissions::latest_documents(&mut app.pool.get().unwrap(), "paper")
        .unwrap()
        .remove(0);
    let referenced = files.join(&doc.sha256[..2]).join(&doc.sha256);
    age(&referenced, Duration::from_secs(7200));
    let put = |name: &str, old: bool| {
        let path = if name.starts_with("tmp") {
            files.join(name)
        } else {
            std::fs::create_dir_all(files.join(&name[..2])).unwrap();
            files.join(&name[..2]).join(name)
        };
        std::fs::write(&path, b"leftover").unwrap();
        if old {
            age(&path, Duration::from_secs(7200));
        }
        path
    };
    let old_temp = put("tmp/.tmpOLD", true);
    let new_temp = put("tmp/.tmpNEW", false);
    let old_orphan = put(&"a".repeat(64), true);
    let new_orphan = put(&"b".repeat(64), false);
    let report = cfp::ops::gc::sweep_now(&app.pool, &storage).await.unwrap();
    assert_eq!((report.temp_files, report.orphan_files), (1, 1));
    assert!(!old_temp.exists() && !old_orphan.exists());
    assert!(new_temp.exists() && new_orphan.exists() && referenced.exists());
    assert!(storage.read(&doc.sha256).is_ok());
}

#[tokio::test]
async fn a_backup_taken_under_load_restores_every_acknowledged_submission() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    let backup_dir = tempfile::tempdir().unwrap();
    let dest = backup_dir.path().join("backup");
    let config = backup_config(&app);
    let builders: Vec<SubmissionBuilder> = (0..12)
        .map(|i| SubmissionBuilder::paper_by(&ada).title(&format!("Loaded paper {i}")))
        .collect();
    let acknowledged_before = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let app = &app;
    let uploads = futures_util::future::join_all(builders.iter().enumerate().map(|(i, b)| {
        let acknowledged_before = acknowledged_before.clone();
        async move {
            tokio::time::sleep(Duration::from_millis(100 * i as u64)).await;
            let status = app.submit(b).await.status();
            assert_eq!(status, 303);
            acknowledged_before.lock().unwrap().push(b.title.clone());
        }
    }));
    let take_backup = async {
        while acknowledged_before.lock().unwrap().len() < 3 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let acknowledged = acknowledged_before.lock().unwrap().clone();
        let (pool, config, dest) = (app.pool.clone(), config.clone(), dest.clone());
        let report = tokio::task::spawn_blocking(move || {
            cfp::ops::backup::backup(&config, &mut pool.get().unwrap(), &dest)
        })
        .await
        .unwrap()
        .unwrap();
        assert!(report.todo.is_none(), "{:?}", report.todo);
        acknowledged
    };
    let (_, acknowledged) = tokio::join!(uploads, take_backup);
    let all = acknowledged_before.lock().unwrap().len();
    assert!(
        acknowledged.len() < all,
        "the backup ran during the uploads"
    );

    let restored = restore_into_fresh_folder(app, &dest).await;
    let mut c = restored.pool.get().unwrap();
    let papers = cfp::db::submissions::all(&mut c).unwrap();
    let storage = cfp::storage::Storage::new(&restored.config.data_dir);
    for title in &acknowledged {
        let paper = papers.iter().find(|p| &p.title == title);
        assert!(
            paper.is_some(),
            "{title} was acknowledged before the backup but is missing"
        );
    }
    for doc in cfp::db::submissions::latest_documents(&mut c, "paper").unwrap() {
        assert!(
            storage.read(&doc.sha256).is_ok(),
            "the file of every restored row is there"
        );
    }
    assert!(restored.config.data_dir.join("session.key").is_file());
}

fn backup_config(app: &TestApp) -> cfp::config::Settings {
    let mut config = cfp::config::Settings::defaults().unwrap();
    config.data_dir = app.data_dir();
    config.database.url = app.database_url.clone();
    config
}

/// A restored installation: its settings, pool and (PostgreSQL) scratch database.
struct Restored {
    config: cfp::config::Settings,
    pool: cfp::db::DbPool,
    _dir: tempfile::TempDir,
    _pg: Option<PgDatabase>,
}

/// An empty PostgreSQL database beside the test's own, dropped with the test.
struct PgDatabase {
    admin_url: String,
    name: String,
}

impl PgDatabase {
    fn beside(url: &str) -> (String, PgDatabase) {
        use diesel::Connection;
        use diesel::connection::SimpleConnection;
        let (base, _) = url.rsplit_once('/').unwrap();
        let name = format!("cfp_restore_{}", uuid::Uuid::new_v4().simple());
        let admin_url = format!("{base}/postgres");
        let mut c = diesel::pg::PgConnection::establish(&admin_url).unwrap();
        c.batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .unwrap();
        (format!("{base}/{name}"), PgDatabase { admin_url, name })
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        use diesel::Connection;
        use diesel::connection::SimpleConnection;
        if let Ok(mut c) = diesel::pg::PgConnection::establish(&self.admin_url) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ));
        }
    }
}

async fn restore_into_fresh_folder(app: &TestApp, backup: &std::path::Path) -> Restored {
    let dir = tempfile::tempdir().unwrap();
    let mut config = cfp::config::Settings::defaults().unwrap();
    config.data_dir = dir.path().to_path_buf();
    let mut pg = None;
    config.database.url = if app.database_url.starts_with("postgres") {
        let (url, db) = PgDatabase::beside(&app.database_url);
        pg = Some(db);
        url
    } else {
        "sqlite://cfp.db".into()
    };
    let (c, b) = (config.clone(), backup.to_path_buf());
    let report = tokio::task::spawn_blocking(move || cfp::ops::backup::restore(&c, &b, false))
        .await
        .unwrap()
        .unwrap();
    assert!(report.todo.is_none(), "{:?}", report.todo);
    let target = cfp::db::DbTarget::from_url(&config.database.url, &config.data_dir);
    let pool = cfp::db::connect(target, 2, Duration::from_secs(5)).unwrap();
    Restored {
        config,
        pool,
        _dir: dir,
        _pg: pg,
    }
}

#[tokio::test]
async fn restore_refuses_to_replace_an_existing_database_without_force() {
    let app = spawn_app().await;
    if app.database_url.starts_with("postgres") {
        return; // PostgreSQL restores go through pg_restore into the named database.
    }
    let backup_dir = tempfile::tempdir().unwrap();
    let dest = backup_dir.path().join("b");
    let config = backup_config(&app);
    cfp::ops::backup::backup(&config, &mut app.pool.get().unwrap(), &dest).unwrap();
    let err = cfp::ops::backup::restore(&config, &dest, false).unwrap_err();
    assert!(err.to_string().contains("--force"), "{err}");
}

#[tokio::test]
async fn mail_status_only_reads_the_data_folder() {
    let app = spawn_app().await;
    app.register(&TestUser::author()).await;
    // Where `cfp` would write its probe file there is now a folder: any write attempt fails.
    std::fs::create_dir(app.data_dir().join(".write-test")).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cfp"))
        .env("CFP__DATA_DIR", app.data_dir())
        .env("CFP__DATABASE__URL", &app.database_url)
        .env("RUST_LOG", "warn")
        .args(["mail", "status"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("pending  1"), "{text}");
}

#[tokio::test]
async fn health_reports_database_writability_free_disk_and_the_mail_backlog() {
    let app = spawn_app().await;
    let health: serde_json::Value = app.get("/api/health").await.json().await.unwrap();
    assert_eq!(health["status"], "ready", "{health}");
    assert_eq!(health["database"]["writable"], true);
    assert_eq!(health["disk"]["writable"], true);
    assert!(health["disk"]["free_bytes"].as_u64().unwrap() > 0);
    queue(&app, "waiting", "someone@example.org");
    app.clock.advance(chrono::Duration::minutes(11));
    let response = app.get("/api/health").await;
    assert_eq!(response.status(), 200, "degraded still serves");
    let health: serde_json::Value = response.json().await.unwrap();
    assert_eq!(health["status"], "degraded", "{health}");
    assert_eq!(health["mail"]["backlog"], 1);
    assert!(
        health["problems"][0]
            .as_str()
            .unwrap()
            .contains("emails have waited")
    );
}

#[tokio::test]
async fn chairs_see_on_the_dashboard_that_storage_ran_full() {
    let app = spawn_app().await;
    app.sign_in_as_chair().await;
    cfp::storage::note_failure(&std::io::Error::from(std::io::ErrorKind::StorageFull));
    let html = app.get_text("/chair").await;
    assert!(
        html.contains("The server&#39;s storage is full")
            || html.contains("The server's storage is full"),
        "{html}"
    );
    assert!(html.contains("an upload could not be stored"));
}
