//! The chairs' pool pages (reviewers, conflicts, assignment, CSV) come from a per-process
//! cache of the pool (`PoolCache`); every write to its inputs bumps a data version by
//! database trigger. Each test views a page first (so the cache is warm), writes through one
//! path, and checks that the very next view shows the write.

use diesel::RunQueryDsl;

use crate::assignment::{PEOPLE, workshop};
use crate::helpers::{SubmissionBuilder, TestUser, client, start_time};

/// The conflict rows of paper `number` on a conflicts page.
fn rows_of(page: &str, number: i32) -> usize {
    page.matches(&format!("<tr><td>#{number}</td>")).count()
}

#[tokio::test]
async fn a_new_submission_and_an_edit_of_its_authors_are_seen_by_the_next_view() {
    let mut w = workshop().await;
    assert!(!w.app.get_text("/chair/reviewers").await.contains("zoe@"));
    let zoe = TestUser {
        name: "Zoe Quinn".into(),
        email: "zoe@ethz.ch".into(),
        affiliation: "ETH Zurich".into(),
        password: "a long enough password".into(),
    };
    w.app.clock.set(start_time());
    w.app.client = client();
    w.app.register_and_sign_in(&zoe).await;
    let mut paper = SubmissionBuilder::paper_by(&zoe).title("Koopman operators");
    assert_eq!(w.app.submit(&paper).await.status(), 303);

    w.as_chair().await;
    assert!(
        w.app
            .get_text("/chair/reviewers")
            .await
            .contains("zoe@ethz.ch")
    );
    assert_eq!(
        rows_of(&w.app.get_text("/chair/conflicts?q=bruno").await, 6),
        0
    );

    // A co-author at Bruno's institute: a conflict for Bruno on #6 at once.
    w.sign_in_as(&zoe).await;
    paper.authors[1] = (
        "Paul Girard".into(),
        "paul@inria.fr".into(),
        "Inria Paris".into(),
    );
    assert_eq!(w.app.edit(6, &paper, 1).await.status(), 303);
    w.as_chair().await;
    let conflicts = w.app.get_text("/chair/conflicts?q=bruno").await;
    assert_eq!(
        rows_of(&conflicts, 6),
        2,
        "institution and domain: {conflicts}"
    );
}

#[tokio::test]
async fn bids_profiles_and_entered_conflicts_are_seen_by_the_next_view() {
    let mut w = workshop().await;
    let before = w.app.get_text("/chair/conflicts?q=amara").await;
    assert_eq!((rows_of(&before, 3), rows_of(&before, 4)), (0, 0));

    let amara = w.authors[0].clone();
    w.sign_in_as(&amara).await;
    let bid = w
        .app
        .post_form("/bids", "/bids", &[("bid_3", "conflict")])
        .await;
    assert_eq!(bid.status(), 303);
    w.as_chair().await;
    let after_bid = w.app.get_text("/chair/conflicts?q=amara").await;
    assert_eq!(rows_of(&after_bid, 3), 1, "{after_bid}");

    w.sign_in_as(&amara).await;
    let profile = w
        .app
        .post_form(
            "/reviewer/profile",
            "/reviewer/profile",
            &[("conflicts", "kth.se")],
        )
        .await;
    assert_eq!(profile.status(), 303);
    w.as_chair().await;
    let after_profile = w.app.get_text("/chair/conflicts?q=amara").await;
    assert_eq!(rows_of(&after_profile, 4), 1, "{after_profile}");

    let entered = [
        ("number", "5"),
        ("email", PEOPLE[0].1),
        ("reason", "former student"),
    ];
    let r = w
        .app
        .post_form("/chair/conflicts", "/chair/conflicts", &entered)
        .await;
    assert_eq!(r.status(), 303);
    let with_entry = w.app.get_text("/chair/conflicts?q=amara").await;
    assert!(with_entry.contains("former student"), "{with_entry}");
    let r = w
        .app
        .post_form("/chair/conflicts", "/chair/conflicts/remove", &entered[..2])
        .await;
    assert_eq!(r.status(), 303);
    let removed = w.app.get_text("/chair/conflicts?q=amara").await;
    assert!(!removed.contains("former student"), "{removed}");
}

#[tokio::test]
async fn a_chair_taking_a_reviewer_out_of_the_pool_is_seen_by_the_next_view() {
    let w = workshop().await;
    let row_of = |page: &str| page.contains("value=\"reinstate\"");
    assert!(!row_of(&w.app.get_text("/chair/reviewers").await));
    let out = w
        .app
        .post_form(
            "/chair/reviewers",
            "/chair/reviewers/update",
            &[("email", PEOPLE[4].1), ("action", "drop")],
        )
        .await;
    assert_eq!(out.status(), 303);
    assert!(row_of(&w.app.get_text("/chair/reviewers").await));
    assert!(
        w.app
            .get_text("/chair/assignment")
            .await
            .contains("4 active reviewers")
    );
}

#[tokio::test]
async fn commits_removals_and_withdrawals_are_seen_by_the_next_view() {
    let w = workshop().await;
    assert!(w.committed().await.is_empty());
    let run = w.run("total").await;
    w.commit(&run).await;
    let committed = w.committed().await;
    assert_eq!(committed.len(), 10);

    let (number, email) = committed[0].clone();
    let path = format!("/chair/submissions/{number}/reviewers");
    let form = [
        ("action", "remove"),
        ("email", email.as_str()),
        ("confirm", "yes"),
    ];
    let r = w
        .app
        .post_form(&format!("/submissions/{number}"), &path, &form)
        .await;
    assert_eq!(r.status(), 303);
    assert!(!w.committed().await.contains(&(number, email.clone())));

    let r = w
        .app
        .post_form(
            "/submissions/1",
            "/chair/submissions/1/status",
            &[("status", "withdrawn"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let page = w.app.get_text("/chair/assignment").await;
    assert!(page.contains("4 active submissions"), "{page}");
}

#[tokio::test]
async fn a_write_by_another_process_is_seen_by_the_next_view() {
    let w = workshop().await;
    assert_eq!(
        rows_of(&w.app.get_text("/chair/conflicts?q=bruno").await, 1),
        0
    );
    // As the CLI or a second server would: straight to the database.
    let mut c = w.app.pool.get().unwrap();
    diesel::sql_query(
        "UPDATE submission_authors SET affiliation = 'Inria Paris' WHERE email = 'folake@ui.edu.ng'",
    )
    .execute(&mut c)
    .unwrap();
    assert_eq!(
        rows_of(&w.app.get_text("/chair/conflicts?q=bruno").await, 1),
        1
    );
}

#[tokio::test]
async fn without_a_version_row_every_view_loads_afresh() {
    let w = workshop().await;
    let mut c = w.app.pool.get().unwrap();
    diesel::sql_query("DELETE FROM data_versions")
        .execute(&mut c)
        .unwrap();
    assert_eq!(
        rows_of(&w.app.get_text("/chair/conflicts?q=bruno").await, 1),
        0
    );
    diesel::sql_query(
        "UPDATE submission_authors SET affiliation = 'Inria Paris' WHERE email = 'folake@ui.edu.ng'",
    )
    .execute(&mut c)
    .unwrap();
    assert_eq!(
        rows_of(&w.app.get_text("/chair/conflicts?q=bruno").await, 1),
        1
    );
}

#[tokio::test]
async fn the_previews_papers_have_their_own_pages() {
    let w = workshop().await;
    let none = w.app.get("/chair/assignment/proposed?page=2").await;
    assert_eq!(
        none.status(),
        303,
        "no preview: back to the assignment page"
    );
    let run = w.run("total").await;
    let page = w.app.get_text("/chair/assignment/proposed?page=1").await;
    assert!(page.contains(&format!("value=\"{run}\"")), "{page}");
    for (_, _, _, title) in PEOPLE {
        assert!(page.contains(title), "{title}");
    }
    assert!(page.contains("page 1 of 1"));
    let main = w.app.get_text("/chair/assignment").await;
    assert!(
        main.contains("/chair/assignment/proposed?page=1#paper-"),
        "{main}"
    );
}

#[tokio::test]
async fn a_bid_reads_only_the_bids_again_and_keeps_the_rest_of_the_pool() {
    let w = workshop().await;
    let cache = cfp::web::pool_data::PoolCache::default();
    let mut c = w.app.pool.get().unwrap();
    let first = cache.get(&mut c).unwrap();
    assert!(std::sync::Arc::ptr_eq(&first, &cache.get(&mut c).unwrap()));
    let versions = |c: &mut cfp::db::AnyConnection| {
        cfp::db::data_version::current_of(
            c,
            &[cfp::db::data_version::POOL, cfp::db::data_version::BIDS],
        )
        .unwrap()
    };
    let before = versions(&mut c);
    // A "conflict" bid by the second author on paper 3, as the bidding page writes it.
    let paper = cfp::db::submissions::find_by_number(&mut c, 3)
        .unwrap()
        .unwrap();
    let email = w.authors[1].email.clone();
    cfp::db::assignments::set_bid(&mut c, &paper.id, &email, Some("conflict"), start_time())
        .unwrap();
    let after = versions(&mut c);
    assert_eq!(after[0], before[0], "a bid leaves the pool's version");
    assert_eq!(after[1], before[1].map(|v| v + 1), "and bumps the bids'");

    let second = cache.get(&mut c).unwrap();
    assert!(second.shares_base_with(&first));
    assert_eq!(second.bids.len(), first.bids.len() + 1);
    let (p, r) = (
        second.paper_by_number(3).unwrap(),
        second.reviewer_by_email(&email).unwrap(),
    );
    let bid_conflicts = |d: &cfp::web::pool_data::PoolData| {
        d.conflicts()
            .iter()
            .filter(|k| (k.paper, k.reviewer) == (p, r))
            .map(|k| k.kind)
            .collect::<Vec<_>>()
    };
    assert!(!bid_conflicts(&first).contains(&cfp::domain::pool::ConflictKind::Bid));
    assert!(bid_conflicts(&second).contains(&cfp::domain::pool::ConflictKind::Bid));
    // What a load from scratch gives.
    let fresh = cfp::web::pool_data::PoolData::load(&mut c).unwrap();
    assert_eq!(second.conflicts(), fresh.conflicts());
    assert_eq!(second.bids, fresh.bids);

    // A write to the rest of the pool loads it all again.
    diesel::sql_query(
        "UPDATE submission_authors SET affiliation = 'Inria Paris' WHERE email = 'folake@ui.edu.ng'",
    )
    .execute(&mut c)
    .unwrap();
    let third = cache.get(&mut c).unwrap();
    assert!(!third.shares_base_with(&second));
    assert_eq!(third.bids, second.bids);
}

#[tokio::test]
async fn a_database_from_before_the_bids_version_loses_the_bids_pool_triggers_at_start() {
    use diesel::connection::SimpleConnection;
    let w = workshop().await;
    let mut c = w.app.pool.get().unwrap();
    // The trigger an earlier release created for bids on the pool's version.
    let retired = match &*c {
        cfp::db::AnyConnection::Sqlite(_) => {
            "CREATE TRIGGER bids_ins_pool_version AFTER INSERT ON bids BEGIN \
             UPDATE data_versions SET version = version + 1 WHERE name = 'pool'; END;"
        }
        cfp::db::AnyConnection::Postgresql(_) => {
            "CREATE CONSTRAINT TRIGGER bids_pool_version_at_commit AFTER INSERT OR UPDATE OR \
             DELETE ON bids DEFERRABLE INITIALLY DEFERRED FOR EACH ROW \
             EXECUTE FUNCTION bump_pool_version();"
        }
    };
    c.batch_execute(retired).unwrap();
    let pool_version = |c: &mut cfp::db::AnyConnection| {
        cfp::db::data_version::current(c, cfp::db::data_version::POOL).unwrap()
    };
    let paper = cfp::db::submissions::find_by_number(&mut c, 2)
        .unwrap()
        .unwrap();
    let before = pool_version(&mut c);
    cfp::db::assignments::set_bid(
        &mut c,
        &paper.id,
        &w.authors[0].email,
        Some("eager"),
        start_time(),
    )
    .unwrap();
    assert_eq!(
        pool_version(&mut c),
        before.map(|v| v + 1),
        "the old trigger fires"
    );
    // What every start does after the migrations.
    cfp::db::data_version::install(&mut c).unwrap();
    let before = pool_version(&mut c);
    cfp::db::assignments::set_bid(
        &mut c,
        &paper.id,
        &w.authors[0].email,
        Some("willing"),
        start_time(),
    )
    .unwrap();
    assert_eq!(pool_version(&mut c), before, "and is gone after the start");
}
