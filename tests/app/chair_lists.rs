//! The chairs' lists at a size where paging and chunked exports matter: rows seeded straight
//! into the database (hundreds of papers through the forms would take minutes), then read
//! through the pages and exports as a chair does.

use cfp::db::{self, reviews, schema, submission_list, submissions as subs};
use cfp::domain::account::Email;
use cfp::domain::ids::UserId;
use cfp::domain::submission::{Author, SubmissionDraft, Track};
use diesel::prelude::*;

use crate::helpers::{TestApp, TestUser, spawn_app, start_time};

/// Seeds `n` papers numbered 1..=n: every third in the published track, every fifth with a
/// format problem (the PDF stored with the submission for even numbers, after it for odd
/// ones), titles that sort backwards, a keyword "topic-{i % 7}". On the blocking pool, so the
/// server (on this test's runtime) keeps answering meanwhile.
async fn seed_papers(app: &TestApp, chair: &TestUser, n: usize) -> Vec<String> {
    let pool = app.pool.clone();
    let email = chair.email.clone();
    tokio::task::spawn_blocking(move || seed(&pool, &email, n))
        .await
        .unwrap()
}

fn seed(pool: &db::DbPool, email: &str, n: usize) -> Vec<String> {
    let mut c = pool.get().unwrap();
    let by = UserId::from_db(
        db::users::find_by_email(&mut c, &Email::parse(email).unwrap())
            .unwrap()
            .unwrap()
            .id,
    );
    let mut ids = Vec::new();
    for i in 1..=n {
        let id = uuid::Uuid::new_v4().to_string();
        let draft = SubmissionDraft {
            track: if i % 3 == 0 {
                Track::Published
            } else {
                Track::Paper
            },
            title: format!("Paper {:05}", n - i),
            abstract_text: "An abstract.".into(),
            keywords: vec![format!("Topic-{}", i % 7)],
            authors: vec![Author {
                name: format!("Author {i}"),
                email: Email::parse(&format!("author{i}@example.org")).unwrap(),
                affiliation: "Uni".into(),
                is_main: true,
            }],
            declared_conflicts: Vec::new(),
        };
        let report = if i % 5 == 0 {
            r#"{"violations":[{"code":"page_limit"},{"code":"font_size"}]}"#
        } else {
            r#"{"violations":[]}"#
        };
        let paper = subs::NewDocument {
            id: uuid::Uuid::new_v4().to_string(),
            submission_id: id.clone(),
            kind: "paper".into(),
            sha256: format!("{i:064}"),
            size_bytes: 1000,
            pages: Some(i32::try_from(i % 9).unwrap()),
            format_verdict: Some(if i % 5 == 0 { "fail" } else { "pass" }.into()),
            format_report: Some(report.into()),
            uploaded_at: db::to_db(start_time()),
            uploaded_by: by.as_str().to_string(),
        };
        // Both ways a paper arrives: with the submission (the form), or stored after it.
        if i % 2 == 0 {
            subs::insert_with_paper(&mut c, &id, &draft, &id, &by, start_time(), &paper).unwrap();
        } else {
            subs::insert(&mut c, &id, &draft, &id, &by, start_time()).unwrap();
            subs::insert_document(&mut c, &paper).unwrap();
        }
        ids.push(id);
    }
    ids
}

/// The paper numbers in a list page, in page order.
fn numbers_in(html: &str) -> Vec<i32> {
    html.split("href=\"/submissions/")
        .skip(1)
        .filter_map(|s| s.split('"').next()?.parse().ok())
        .collect()
}

#[tokio::test]
async fn the_submissions_list_pages_filters_and_sorts_in_the_database() {
    let app = spawn_app().await;
    let chair = app.sign_in_as_chair().await;
    seed_papers(&app, &chair, 250).await;
    let first = app.get_text("/chair/submissions").await;
    assert_eq!(numbers_in(&first), (1..=100).collect::<Vec<_>>());
    let last = app.get_text("/chair/submissions?page=9").await;
    assert_eq!(numbers_in(&last), (201..=250).collect::<Vec<_>>());
    let problems = app
        .get_text("/chair/submissions?format=problems&track=published")
        .await;
    assert_eq!(
        numbers_in(&problems),
        (1..=250).filter(|i| i % 15 == 0).collect::<Vec<_>>()
    );
    assert!(problems.contains("page_limit, font_size"), "{problems}");
    let by_title = app.get_text("/chair/submissions?sort=title").await;
    assert_eq!(numbers_in(&by_title)[..3], [250, 249, 248]);
    let by_format = app.get_text("/chair/submissions?sort=format").await;
    assert_eq!(numbers_in(&by_format)[..3], [5, 10, 15]);
    let mut expected: Vec<i32> = (1..=250).filter(|i| i % 7 == 3).collect();
    expected.reverse();
    let keyword = app
        .get_text("/chair/submissions?keyword=TOPIC-3&sort=title")
        .await;
    assert_eq!(numbers_in(&keyword), expected);
    let second = app
        .get_text("/chair/submissions?track=paper&sort=title")
        .await;
    assert!(
        second
            .contains("track=paper&#38;status=&#38;format=&#38;keyword=&#38;sort=title&#38;page=2"),
        "paging links keep the filters: {second}"
    );
}

#[tokio::test]
async fn the_submissions_csv_streams_every_row_across_chunks_in_list_order() {
    let app = spawn_app().await;
    let chair = app.sign_in_as_chair().await;
    seed_papers(&app, &chair, 1_201).await;
    let csv = app.get_text("/chair/submissions.csv?sort=title").await;
    let numbers: Vec<i32> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(numbers, (1..=1_201).rev().collect::<Vec<_>>());
    assert!(
        csv.contains("Author 1201 <author1201@example.org> (Uni)"),
        "{csv}"
    );
    let problems = app.get_text("/chair/submissions.csv?format=problems").await;
    assert_eq!(problems.lines().count(), 1 + 240);
    assert!(
        problems
            .lines()
            .nth(1)
            .unwrap()
            .contains("page_limit font_size")
    );
}

#[tokio::test]
async fn list_columns_and_review_scores_are_backfilled_for_older_rows() {
    let app = spawn_app().await;
    let chair = app.sign_in_as_chair().await;
    let ids = seed_papers(&app, &chair, 5).await;
    let mut c = app.pool.get().unwrap();
    let content =
        r#"{"overall":8,"confidence":4,"talk_recommendation":true,"summary":"x"}"#.to_string();
    let w = reviews::ReviewWrite {
        submission_id: &ids[4],
        email: "r@example.org",
        form_kind: "full",
        content: &content,
        submit: true,
        late: false,
    };
    reviews::save(&mut c, &w, 0, start_time()).unwrap().unwrap();
    // As a database from before the migration: nothing stored.
    diesel::delete(schema::submission_listing::table)
        .execute(&mut c)
        .unwrap();
    diesel::update(schema::reviews::table)
        .set((
            schema::reviews::scores_stored.eq(false),
            schema::reviews::overall.eq(None::<i32>),
        ))
        .execute(&mut c)
        .unwrap();
    assert_eq!(submission_list::backfill_list_columns(&mut c).unwrap(), 5);
    assert_eq!(reviews::backfill_scores(&mut c).unwrap(), 1);
    assert_eq!(submission_list::backfill_list_columns(&mut c).unwrap(), 0);
    let stored: (String, i32, String) = schema::submission_listing::table
        .find(&ids[4])
        .select((
            schema::submission_listing::paper_flags,
            schema::submission_listing::paper_flag_count,
            schema::submission_listing::title_key,
        ))
        .first(&mut c)
        .unwrap();
    assert_eq!(
        stored,
        ("page_limit font_size".into(), 2, "paper 00000".into())
    );
    let scores: (Option<i32>, Option<i32>, bool) = schema::reviews::table
        .select((
            schema::reviews::overall,
            schema::reviews::confidence,
            schema::reviews::talk_recommendation,
        ))
        .first(&mut c)
        .unwrap();
    assert_eq!(scores, (Some(8), Some(4), true));
}

#[tokio::test]
async fn a_review_save_updates_its_stored_scores_at_once() {
    let app = spawn_app().await;
    let chair = app.sign_in_as_chair().await;
    let ids = seed_papers(&app, &chair, 1).await;
    let mut c = app.pool.get().unwrap();
    let mut version = 0;
    for (overall, submit) in [(3, false), (9, true)] {
        let content = format!(r#"{{"overall":{overall},"confidence":2}}"#);
        let w = reviews::ReviewWrite {
            submission_id: &ids[0],
            email: "r@example.org",
            form_kind: "full",
            content: &content,
            submit,
            late: false,
        };
        version = reviews::save(&mut c, &w, version, start_time())
            .unwrap()
            .unwrap();
        let stored: Option<i32> = schema::reviews::table
            .select(schema::reviews::overall)
            .first(&mut c)
            .unwrap();
        assert_eq!(stored, Some(overall));
    }
}

#[tokio::test]
async fn the_decisions_exports_stream_every_active_paper_across_chunks() {
    let app = spawn_app().await;
    let chair = app.sign_in_as_chair().await;
    seed_papers(&app, &chair, 1_001).await;
    let csv = app.get_text("/chair/decisions.csv").await;
    let numbers: Vec<i32> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(numbers, (1..=1_001).collect::<Vec<_>>());
    let json: serde_json::Value =
        serde_json::from_str(&app.get_text("/chair/decisions.json").await).unwrap();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 1_001);
    assert_eq!(rows[1_000]["authors"], "Author 1001");
}

/// The board and the progress page rank from a per-process copy (`ranking_cache`) that a
/// trigger-bumped data version invalidates: every write below goes straight to the database
/// (as another process would) after both pages were viewed, and the very next views show it.
#[tokio::test]
async fn the_board_and_progress_show_assignments_reviews_and_decisions_at_once() {
    let app = spawn_app().await;
    let chair = app.sign_in_as_chair().await;
    let ids = seed_papers(&app, &chair, 3).await;
    let board = app.get_text("/chair/decisions").await;
    assert!(board.contains("3 undecided"), "{board}");
    let progress = app.get_text("/chair/reviews").await;
    assert!(
        progress.contains("<strong>0</strong> of 0 assigned"),
        "{progress}"
    );

    let mut c = app.pool.get().unwrap();
    let by = UserId::from_db(
        db::users::find_by_email(&mut c, &Email::parse(&chair.email).unwrap())
            .unwrap()
            .unwrap()
            .id,
    );
    db::assignments::assign(&mut c, &ids[0], "r@example.org", &by, start_time()).unwrap();
    let progress = app.get_text("/chair/reviews").await;
    assert!(
        progress.contains("<strong>0</strong> of 1 assigned"),
        "{progress}"
    );

    let w = reviews::ReviewWrite {
        submission_id: &ids[0],
        email: "r@example.org",
        form_kind: "full",
        content: r#"{"overall":7,"confidence":3}"#,
        submit: true,
        late: false,
    };
    reviews::save(&mut c, &w, 0, start_time()).unwrap().unwrap();
    let progress = app.get_text("/chair/reviews").await;
    assert!(
        progress.contains("<strong>1</strong> of 1 assigned"),
        "{progress}"
    );
    assert!(progress.contains("<td>1/1</td><td>7</td>"), "{progress}");

    db::decisions::set(
        &mut c,
        &ids[1],
        Some(cfp::domain::decision::Decision::Poster),
        &by,
        start_time(),
    )
    .unwrap();
    let board = app.get_text("/chair/decisions").await;
    assert!(board.contains("2 undecided"), "{board}");
}

#[tokio::test]
async fn a_paper_stored_with_its_submission_is_listed_like_one_stored_after_it() {
    let app = spawn_app().await;
    let chair = app.sign_in_as_chair().await;
    let ids = seed_papers(&app, &chair, 10).await;
    let mut c = app.pool.get().unwrap();
    let mut listed = |id: &str| -> (Option<i32>, Option<String>, String, i32, String) {
        schema::submission_listing::table
            .find(id)
            .select((
                schema::submission_listing::paper_pages,
                schema::submission_listing::paper_verdict,
                schema::submission_listing::paper_flags,
                schema::submission_listing::paper_flag_count,
                schema::submission_listing::title_key,
            ))
            .first(&mut c)
            .unwrap()
    };
    // #5 was stored after its submission, #10 with it; both have two format problems.
    let after = listed(&ids[4]);
    let with = listed(&ids[9]);
    assert_eq!(
        after,
        (
            Some(5),
            Some("fail".into()),
            "page_limit font_size".into(),
            2,
            "paper 00005".into()
        )
    );
    assert_eq!(
        with,
        (
            Some(1),
            Some("fail".into()),
            "page_limit font_size".into(),
            2,
            "paper 00000".into()
        )
    );
    // And without problems (#4, with its submission).
    assert_eq!(listed(&ids[3]).2, "");
    assert_eq!(listed(&ids[3]).3, 0);
}
