//! The reviewers' pages read in few queries (`db::reviewer_pages`): what each page shows of
//! the viewer's own review, the others' reviews, the response and its acknowledgements, in
//! the cases where reading them together could mix up whose row is whose.

use chrono::Duration;

use crate::assignment::workshop;
use crate::discussion::{due, enable_response, respond, reviewed};

fn version_on(html: &str) -> String {
    html.split("name=\"version\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or("")
        .to_string()
}

/// Submits (or revises) the signed-in reviewer's review of paper `n` with `text`.
async fn submit(w: &crate::assignment::Workshop, n: i32, overall: &str, text: &str) {
    let page = w.app.get_text(&format!("/reviews/{n}")).await;
    let r = w
        .app
        .post_form(
            &format!("/reviews/{n}"),
            &format!("/reviews/{n}"),
            &[
                ("action", "submit"),
                ("version", &version_on(&page)),
                ("overall", overall),
                ("confidence", "4"),
                ("summary", "A summary."),
                ("strengths_weaknesses", text),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
}

/// The `<tr>` of paper `n` in the "My reviews" table.
fn row_of(list: &str, n: i32) -> String {
    list.split("<tr>")
        .find(|r| r.starts_with(&format!("<td>#{n}</td>")))
        .unwrap_or_else(|| panic!("paper #{n} not listed: {list}"))
        .to_string()
}

#[tokio::test]
async fn the_revision_count_on_a_reviewers_page_is_their_own_and_not_the_others() {
    let (mut w, reviewers) = reviewed().await;
    // Reviewer B (signed in) revises twice; Reviewer A never does.
    submit(&w, 1, "7", "Second text of B").await;
    submit(&w, 1, "8", "Third text of B").await;
    let b = w.app.get_text("/reviews/1").await;
    assert!(b.contains("revised 2 times after submission"), "{b}");
    assert!(b.contains("other reviewers see you as Reviewer B"));
    assert!(b.contains("Read the PDF"), "the paper has a PDF");
    w.sign_in_as(&reviewers[0]).await;
    let a = w.app.get_text("/reviews/1").await;
    assert!(!a.contains("after submission"), "{a}");
    assert!(a.contains("Third text of B") && !a.contains("Second text of B"));
    assert!(a.contains("<h3>Reviewer B") && a.contains("other reviewers see you as Reviewer A"));
}

#[tokio::test]
async fn the_response_its_changes_and_only_the_viewers_own_acknowledgement_show() {
    let (mut w, reviewers) = reviewed().await;
    enable_response(&w, false);
    w.app.clock.set(due() + Duration::hours(1));
    w.sign_in_as(&w.authors[0].clone()).await;
    assert_eq!(respond(&w, "submit", "First answer.").await.status(), 303);
    w.app.clock.advance(Duration::minutes(5));
    assert_eq!(respond(&w, "submit", "Second answer.").await.status(), 303);

    w.sign_in_as(&reviewers[0]).await;
    let page = w.app.get_text("/reviews/1").await;
    assert!(page.contains("Second answer.") && !page.contains("First answer."));
    assert!(
        page.contains(", last changed"),
        "two submitted versions: {page}"
    );
    assert!(page.contains("I have read the response") && !page.contains("You marked"));
    let ack = w
        .app
        .post_form("/reviews/1", "/reviews/1/acknowledge", &[])
        .await;
    assert_eq!(ack.status(), 303);
    assert!(
        w.app
            .get_text("/reviews/1")
            .await
            .contains("You marked that you have read the response")
    );

    w.sign_in_as(&reviewers[1]).await;
    let other = w.app.get_text("/reviews/1").await;
    assert!(
        !other.contains("You marked"),
        "A's tick is not B's: {other}"
    );
    assert!(other.contains("I have read the response"));
}

#[tokio::test]
async fn my_reviews_shows_each_papers_state_of_the_viewers_own_review() {
    let mut w = workshop().await;
    let run = w.run("total").await;
    w.commit(&run).await;
    let pairs = w.committed().await;
    // A reviewer with two papers; the other reviewer of the first submits theirs.
    let (email, first, second) = pairs
        .iter()
        .find_map(|(n, e)| {
            let other = pairs.iter().find(|(m, f)| f == e && m != n)?;
            Some((e.clone(), *n, other.0))
        })
        .expect("a reviewer with two papers");
    let me = w.authors.iter().find(|a| a.email == email).unwrap().clone();
    let (_, colleague) = pairs
        .iter()
        .find(|(n, e)| *n == first && *e != email)
        .unwrap()
        .clone();
    let colleague = w
        .authors
        .iter()
        .find(|a| a.email == colleague)
        .unwrap()
        .clone();
    w.sign_in_as(&colleague).await;
    submit(&w, first, "6", "The colleague's review").await;

    w.sign_in_as(&me).await;
    let list = w.app.get_text("/reviews").await;
    assert!(row_of(&list, first).contains(">not started<"), "{list}");
    assert!(row_of(&list, second).contains(">not started<"));
    let page = w.app.get_text(&format!("/reviews/{second}")).await;
    let draft = w
        .app
        .post_form(
            &format!("/reviews/{second}"),
            &format!("/reviews/{second}"),
            &[
                ("action", "draft"),
                ("version", &version_on(&page)),
                ("summary", "Notes"),
            ],
        )
        .await;
    assert_eq!(draft.status(), 303);
    submit(&w, first, "7", "My review").await;
    let list = w.app.get_text("/reviews").await;
    assert!(row_of(&list, first).contains(">submitted<"), "{list}");
    assert!(row_of(&list, second).contains(">draft<"), "{list}");
    let listed = list.matches("<td>#").count();
    let assigned = pairs.iter().filter(|(_, e)| *e == email).count();
    assert_eq!(listed, assigned, "only the viewer's papers");
}
