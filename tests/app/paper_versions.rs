//! Each paper's version (`paper_versions`, bumped by triggers on every table its pages are
//! built from) lets a server keep a paper's reviewer page and its own rows in memory: every
//! write to one of those tables, through any path, must bump that paper's version and no
//! other's, and a page kept in memory must never be shown after such a write.

use diesel::RunQueryDsl;
use diesel::sql_types::{BigInt, Text};

use cfp::db::AnyConnection;
use cfp::db::data_version::PAPER_TABLES;
use chrono::Duration;

use crate::discussion::{comment, due, enable_response, respond, reviewed};

#[derive(diesel::QueryableByName)]
struct Version {
    #[diesel(sql_type = BigInt)]
    version: i64,
}

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = Text)]
    id: String,
}

fn id_of(c: &mut AnyConnection, number: i32) -> String {
    diesel::sql_query(format!(
        "SELECT id FROM submissions WHERE number = {number}"
    ))
    .get_result::<Id>(c)
    .unwrap()
    .id
}

fn version_of(c: &mut AnyConnection, id: &str) -> i64 {
    diesel::sql_query(format!(
        "SELECT version FROM paper_versions WHERE submission_id = '{id}'"
    ))
    .get_result::<Version>(c)
    .unwrap()
    .version
}

/// For each table of a paper's pages, a write that changes nothing to the rows of paper
/// `{id}` (triggers fire all the same).
const NO_OP_WRITES: [(&str, &str); 11] = [
    (
        "submissions",
        "UPDATE submissions SET title = title WHERE id = '{id}'",
    ),
    (
        "submission_authors",
        "UPDATE submission_authors SET name = name WHERE submission_id = '{id}'",
    ),
    (
        "documents",
        "UPDATE documents SET kind = kind WHERE submission_id = '{id}'",
    ),
    (
        "assignments",
        "UPDATE assignments SET reviewer_email = reviewer_email WHERE submission_id = '{id}'",
    ),
    (
        "reviews",
        "UPDATE reviews SET state = state WHERE submission_id = '{id}'",
    ),
    (
        "review_revisions",
        "UPDATE review_revisions SET content = content \
         WHERE review_id IN (SELECT id FROM reviews WHERE submission_id = '{id}')",
    ),
    (
        "response_acknowledgements",
        "UPDATE response_acknowledgements SET reviewer_email = reviewer_email \
         WHERE submission_id = '{id}'",
    ),
    (
        "author_responses",
        "UPDATE author_responses SET body = body WHERE submission_id = '{id}'",
    ),
    (
        "author_response_revisions",
        "UPDATE author_response_revisions SET body = body \
         WHERE response_id IN (SELECT id FROM author_responses WHERE submission_id = '{id}')",
    ),
    (
        "meta_reviews",
        "UPDATE meta_reviews SET summary = summary WHERE submission_id = '{id}'",
    ),
    (
        "discussion_comments",
        "UPDATE discussion_comments SET body = body WHERE submission_id = '{id}'",
    ),
];

#[tokio::test]
async fn every_write_to_a_papers_tables_bumps_its_version_and_no_other() {
    let tables: Vec<&str> = PAPER_TABLES.iter().map(|(t, _)| *t).collect();
    let tested: Vec<&str> = NO_OP_WRITES.iter().map(|(t, _)| *t).collect();
    assert_eq!(tables, tested, "every tracked table is tested here");

    // Paper 1 with rows in every table: two submitted reviews, a comment, a response with an
    // acknowledgement, a meta-review.
    let (mut w, reviewers) = reviewed().await;
    let mut c = w.app.pool.get().unwrap();
    let (one, two) = (id_of(&mut c, 1), id_of(&mut c, 2));
    let before_comment = version_of(&mut c, &one);
    assert_eq!(
        comment(&w, "The baselines look weak.", "reviewers")
            .await
            .status(),
        303
    );
    assert!(version_of(&mut c, &one) > before_comment, "an insert bumps");
    enable_response(&w, false);
    w.app.clock.set(due() + Duration::hours(1));
    w.sign_in_as(&w.authors[0].clone()).await;
    assert_eq!(respond(&w, "submit", "Our answer.").await.status(), 303);
    w.sign_in_as(&reviewers[0]).await;
    let ack = w
        .app
        .post_form("/reviews/1", "/reviews/1/acknowledge", &[])
        .await;
    assert_eq!(ack.status(), 303);
    w.as_chair().await;
    let meta = w
        .app
        .post_form(
            "/chair/papers/1/discussion",
            "/chair/papers/1/meta-review",
            &[
                ("summary", "A clear contribution."),
                ("recommendation", "poster"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(meta.status(), 303);

    for (table, write) in NO_OP_WRITES {
        let (mine, other) = (version_of(&mut c, &one), version_of(&mut c, &two));
        let written = diesel::sql_query(write.replace("{id}", &one))
            .execute(&mut c)
            .unwrap();
        assert!(written > 0, "paper 1 has rows in {table}");
        assert!(version_of(&mut c, &one) > mine, "a write to {table} bumps");
        assert_eq!(version_of(&mut c, &two), other, "{table}: only paper 1");
    }
    let mine = version_of(&mut c, &one);
    diesel::sql_query(format!(
        "DELETE FROM discussion_comments WHERE submission_id = '{one}'"
    ))
    .execute(&mut c)
    .unwrap();
    assert!(version_of(&mut c, &one) > mine, "a delete bumps");
}

#[tokio::test]
async fn a_reviewer_page_kept_in_memory_is_not_shown_after_a_write_by_another_process() {
    let (w, _) = reviewed().await;
    assert_eq!(
        comment(&w, "First thoughts.", "reviewers").await.status(),
        303
    );
    // The first view shows the flash of the post; the next two are the same page, the
    // second from memory.
    w.app.get_text("/reviews/1").await;
    let page = w.app.get_text("/reviews/1").await;
    assert!(page.contains("First thoughts."), "{page}");
    assert_eq!(w.app.get_text("/reviews/1").await, page);
    // As the CLI or a second server would: straight to the database.
    let mut c = w.app.pool.get().unwrap();
    for write in [
        "UPDATE discussion_comments SET body = 'Second thoughts.'",
        "UPDATE submissions SET title = 'Retitled elsewhere' WHERE number = 1",
    ] {
        diesel::sql_query(write).execute(&mut c).unwrap();
        let again = w.app.get_text("/reviews/1").await;
        assert_ne!(again, page, "after {write}");
    }
    let last = w.app.get_text("/reviews/1").await;
    assert!(last.contains("Second thoughts.") && !last.contains("First thoughts."));
    assert!(last.contains("Retitled elsewhere"), "{last}");
}

#[tokio::test]
async fn an_authors_paper_page_kept_in_memory_follows_an_edit_elsewhere() {
    let (mut w, _) = reviewed().await;
    w.sign_in_as(&w.authors[0].clone()).await;
    let page = w.app.get_text("/submissions/1").await;
    assert!(!page.contains("Retitled elsewhere"));
    let mut c = w.app.pool.get().unwrap();
    diesel::sql_query("UPDATE submissions SET title = 'Retitled elsewhere' WHERE number = 1")
        .execute(&mut c)
        .unwrap();
    assert!(
        w.app
            .get_text("/submissions/1")
            .await
            .contains("Retitled elsewhere")
    );
    // Another author's paper is not served from paper 1's rows.
    let other = w.app.get("/submissions/2").await;
    assert_eq!(other.status(), 404, "paper 2 is not the viewer's");
}

#[tokio::test]
async fn without_a_version_row_a_paper_page_is_read_afresh() {
    let (w, _) = reviewed().await;
    let mut c = w.app.pool.get().unwrap();
    diesel::sql_query("DELETE FROM paper_versions")
        .execute(&mut c)
        .unwrap();
    assert!(!w.app.get_text("/reviews/1").await.contains("Retitled"));
    // Without triggers this write would go unseen by a kept page; with no row nothing is
    // kept, and the trigger's insert starts a new version.
    diesel::sql_query("UPDATE submissions SET title = 'Retitled elsewhere' WHERE number = 1")
        .execute(&mut c)
        .unwrap();
    assert!(
        w.app
            .get_text("/reviews/1")
            .await
            .contains("Retitled elsewhere")
    );
}

fn person_version(c: &mut AnyConnection, email: &str) -> i64 {
    diesel::sql_query(format!(
        "SELECT version FROM person_versions WHERE email = '{email}'"
    ))
    .get_result::<Version>(c)
    .unwrap_or_else(|e| panic!("{email} has no version row: {e}"))
    .version
}

#[tokio::test]
async fn every_write_to_a_persons_tables_bumps_the_people_it_names_and_no_one_else() {
    let (mut w, reviewers) = reviewed().await;
    // A profile of paper 1's first reviewer.
    w.sign_in_as(&reviewers[0]).await;
    let profile = w
        .app
        .post_form(
            "/reviewer/profile",
            "/reviewer/profile",
            &[("conflicts", "kth.se")],
        )
        .await;
    assert_eq!(profile.status(), 303);
    let author = w.authors[0].email.clone();
    let (first, second) = (reviewers[0].email.clone(), reviewers[1].email.clone());
    let bystander = w
        .authors
        .iter()
        .map(|a| a.email.clone())
        .find(|e| *e != author && *e != first && *e != second)
        .unwrap();
    let chair = w.chair.email.clone();
    let mut c = w.app.pool.get().unwrap();
    let one = id_of(&mut c, 1);
    let writes: Vec<(&str, String, Vec<&str>)> = vec![
        (
            "reviewer_profiles",
            format!("UPDATE reviewer_profiles SET name = name WHERE email = '{first}'"),
            vec![&first],
        ),
        (
            "submission_authors",
            format!("UPDATE submission_authors SET name = name WHERE email = '{author}'"),
            vec![&author],
        ),
        (
            "assignments",
            format!(
                "UPDATE assignments SET reviewer_email = reviewer_email \
                 WHERE reviewer_email = '{first}'"
            ),
            vec![&first],
        ),
        (
            "reviews",
            format!("UPDATE reviews SET state = state WHERE reviewer_email = '{second}'"),
            vec![&second],
        ),
        (
            "submissions",
            format!("UPDATE submissions SET title = title WHERE id = '{one}'"),
            vec![&author, &first, &second],
        ),
        (
            "submission_listing",
            format!(
                "UPDATE submission_listing SET submission_id = submission_id \
                 WHERE submission_id = '{one}'"
            ),
            vec![&author],
        ),
        (
            "decisions",
            format!(
                "INSERT INTO decisions (submission_id, decision, decided_by, decided_at, \
                 letter_round) SELECT '{one}', 'poster', id, '2027-10-01 00:00:00', 0 \
                 FROM users WHERE email = '{chair}'"
            ),
            vec![&author],
        ),
    ];
    let tables: Vec<&str> = cfp::db::data_version::PERSON_TABLES
        .iter()
        .map(|(t, _)| *t)
        .collect();
    let tested: Vec<&str> = writes.iter().map(|(t, _, _)| *t).collect();
    assert_eq!(tables, tested, "every tracked table is tested here");
    for (table, write, named) in writes {
        let before: Vec<i64> = named.iter().map(|e| person_version(&mut c, e)).collect();
        let others = person_version(&mut c, &bystander);
        let written = diesel::sql_query(&write).execute(&mut c).unwrap();
        assert!(written > 0, "{table}: {write}");
        for (email, before) in named.iter().zip(before) {
            assert!(
                person_version(&mut c, email) > before,
                "{table} bumps {email}"
            );
        }
        assert_eq!(
            person_version(&mut c, &bystander),
            others,
            "{table}: not {bystander}"
        );
    }
}

#[tokio::test]
async fn a_persons_lists_kept_in_memory_follow_writes_by_another_process() {
    let (mut w, reviewers) = reviewed().await;
    w.sign_in_as(&reviewers[0]).await;
    // The first view shows the sign-in's flash; the next two are the same page, the second
    // from memory.
    w.app.get_text("/reviews").await;
    let list = w.app.get_text("/reviews").await;
    assert!(list.contains("submitted"), "{list}");
    assert_eq!(
        w.app.get_text("/reviews").await,
        list,
        "the same list from memory"
    );
    let mut c = w.app.pool.get().unwrap();
    diesel::sql_query("UPDATE submissions SET title = 'Retitled elsewhere' WHERE number = 1")
        .execute(&mut c)
        .unwrap();
    assert!(
        w.app
            .get_text("/reviews")
            .await
            .contains("Retitled elsewhere")
    );
    diesel::sql_query(format!(
        "UPDATE reviews SET state = 'draft' WHERE reviewer_email = '{}'",
        reviewers[0].email
    ))
    .execute(&mut c)
    .unwrap();
    let row = w.app.get_text("/reviews").await;
    assert!(row.contains("draft"), "{row}");

    w.sign_in_as(&w.authors[0].clone()).await;
    w.app.get_text("/submissions").await;
    let mine = w.app.get_text("/submissions").await;
    assert!(mine.contains("Retitled elsewhere"), "{mine}");
    assert_eq!(w.app.get_text("/submissions").await, mine);
    diesel::sql_query("UPDATE submissions SET title = 'Renamed once more' WHERE number = 1")
        .execute(&mut c)
        .unwrap();
    assert!(
        w.app
            .get_text("/submissions")
            .await
            .contains("Renamed once more")
    );
}
