use std::process::Command;

use crate::helpers::{TestUser, spawn_app};

fn cfp(app: &crate::helpers::TestApp) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cfp"));
    cmd.env("CFP__DATA_DIR", app.data_dir())
        .env("CFP__DATABASE__URL", &app.database_url)
        .env("RUST_LOG", "warn");
    cmd
}

#[tokio::test]
async fn chair_add_makes_a_registered_person_chair() {
    let app = spawn_app().await;
    let carla = TestUser::chair();
    app.register_and_sign_in(&carla).await;
    assert_eq!(app.get("/chair").await.status(), 403);
    let out = cfp(&app)
        .args(["chair", "add", "Carla.Chair@example.org"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(app.get("/chair").await.status(), 200);
    let list = cfp(&app).args(["chair", "list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&list.stdout).contains("carla.chair@example.org"));
}

#[tokio::test]
async fn chair_add_for_an_unknown_email_fails_with_a_message() {
    let app = spawn_app().await;
    let out = cfp(&app)
        .args(["chair", "add", "nobody@example.org"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("no account has the email nobody@example.org")
    );
}

#[tokio::test]
async fn mail_status_counts_by_state() {
    let app = spawn_app().await;
    app.register(&TestUser::author()).await;
    let out = cfp(&app).args(["mail", "status"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("pending  1") && text.contains("sent     0"),
        "{text}"
    );
}

#[test]
fn an_unwritable_data_directory_is_refused_with_a_message() {
    let file = tempfile::NamedTempFile::new().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_cfp"))
        .env("CFP__DATA_DIR", file.path().join("sub"))
        .args(["migrate"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot create the data directory"));
}

#[test]
fn an_unreachable_postgres_server_is_reported_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_cfp"))
        .env("CFP__DATA_DIR", dir.path())
        .env(
            "CFP__DATABASE__URL",
            "postgres://cfp:secret@127.0.0.1:1/cfp",
        )
        .args(["migrate"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot open the PostgreSQL at 127.0.0.1:1/cfp"),
        "{err}"
    );
    assert!(!err.contains("secret"));
}

#[test]
fn every_subcommand_has_help() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["chair", "add", "--help"],
        vec!["mail", "status", "--help"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_cfp"))
            .args(&args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
    }
}

#[tokio::test]
async fn demo_fills_an_empty_database_through_the_site_and_refuses_a_full_one() {
    let app = spawn_app().await;
    // The subprocess runs on the real clock: keep submissions open whatever today is.
    let far = |days: i64| {
        chrono::DateTime::parse_from_rfc3339("2100-01-01T00:00:00Z")
            .unwrap()
            .to_utc()
            + chrono::Duration::days(days)
    };
    app.change_settings(|s| {
        let d = &mut s.dates;
        d.submissions_open = chrono::DateTime::UNIX_EPOCH;
        (
            d.submission_deadline,
            d.review_due,
            d.decisions_release,
            d.camera_ready_due,
            d.workshop_day,
        ) = (far(0), far(1), far(2), far(3), far(4));
        d.bidding_deadline = Some(far(0) + chrono::Duration::hours(12));
    });
    let out = cfp(&app)
        .args(["demo", "--stage", "released"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("80 submissions") && text.contains("dlde-demo-2027"),
        "{text}"
    );
    let mut c = app.pool.get().unwrap();
    let papers = cfp::db::submissions::all(&mut c).unwrap();
    assert_eq!(papers.len(), 80);
    assert!(papers.iter().any(|p| p.track == "published"));
    assert_eq!(cfp::db::users::chairs(&mut c).unwrap().len(), 1);
    let docs = cfp::db::submissions::latest_documents(&mut c, "paper").unwrap();
    assert_eq!(docs.len(), 80);
    assert!(
        docs.iter()
            .all(|d| d.format_verdict.as_deref() == Some("pass")),
        "generated papers pass the format check"
    );
    // The assigned stage: every paper has its reviews, every reviewer 2-5 papers, by email.
    let assigned = cfp::db::assignments::all_assignments(&mut c).unwrap();
    for p in &papers {
        let n = assigned.iter().filter(|a| a.submission_id == p.id).count();
        assert_eq!(n, if p.track == "paper" { 3 } else { 1 }, "#{}", p.number);
    }
    let mut load = std::collections::HashMap::new();
    for a in &assigned {
        *load.entry(a.reviewer_email.as_str()).or_insert(0) += 1;
    }
    assert_eq!(load.len(), 85, "80 main authors and 5 volunteers");
    assert!(load.values().all(|&l| (2..=5).contains(&l)), "{load:?}");
    let mails = cfp::db::outbox::for_recipient(
        &mut c,
        &cfp::domain::account::Email::parse(assigned[0].reviewer_email.as_str()).unwrap(),
    )
    .unwrap();
    assert!(
        mails
            .iter()
            .any(|m| m.subject.contains("Your review assignment"))
    );
    assert!(!cfp::db::assignments::all_bids(&mut c).unwrap().is_empty());
    // Reviewed, decided and released: most reviews submitted, slots filled, letters queued.
    let reviews = cfp::db::reviews::all(&mut c).unwrap();
    assert!(reviews.iter().filter(|r| r.is_submitted()).count() > assigned.len() * 8 / 10);
    // Discussed: responses for most papers, a few threads, acknowledgements, meta-reviews.
    let responses = cfp::db::discussion::all_responses(&mut c).unwrap();
    assert!(responses.iter().filter(|r| r.is_submitted()).count() > 50);
    assert!(cfp::db::discussion::all_comments(&mut c).unwrap().len() >= 10);
    assert!(
        cfp::db::discussion::all_acknowledgements(&mut c)
            .unwrap()
            .len()
            > 50
    );
    assert_eq!(
        cfp::db::discussion::all_meta_reviews(&mut c).unwrap().len(),
        80
    );
    let decisions = cfp::db::decisions::all(&mut c).unwrap();
    assert_eq!(decisions.len(), 80);
    let count = |d: &str| decisions.iter().filter(|x| x.decision == d).count();
    assert_eq!((count("talk"), count("spotlight")), (4, 8));
    assert!(decisions.iter().all(|d| !d.unreleased_change()));
    let first = &papers[0];
    let author = cfp::db::submissions::authors(&mut c, &first.id).unwrap()[0]
        .email
        .clone();
    let mails = cfp::db::outbox::for_recipient(
        &mut c,
        &cfp::domain::account::Email::parse(&author).unwrap(),
    )
    .unwrap();
    assert!(
        mails
            .iter()
            .any(|m| m.subject.contains("Decision on submission"))
    );
    let again = cfp(&app).args(["demo"]).output().unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("only fills an empty one"));
}
