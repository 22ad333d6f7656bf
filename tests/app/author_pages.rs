//! "My submissions" read in one query (`db::author_pages::authored_papers`): each paper's
//! newest PDF's pages and verdict, and its decision only once the decisions are released.

use crate::flows::{as_client, one_paper};
use crate::helpers::{SubmissionBuilder, TestApp, TestPaper, pages_in, test_pdf};

/// The chair records `decision` for paper #1 and, when `release`, releases the decisions.
async fn decide(app: &mut TestApp, chair: &mut reqwest::Client, decision: &str, release: bool) {
    as_client(app, chair, async |app: &TestApp| {
        let r = app
            .post_form(
                "/chair/decisions",
                "/chair/decisions/set",
                &[("number", "1"), ("decision", decision)],
            )
            .await;
        assert_eq!(r.status(), 303);
        if release {
            let r = app
                .post_form(
                    "/chair/decisions/release",
                    "/chair/decisions/release",
                    &[("confirm_undecided", "on"), ("confirm", "yes")],
                )
                .await;
            assert_eq!(r.status(), 303);
        }
    })
    .await;
}

#[tokio::test]
async fn my_submissions_shows_the_newest_pdf_and_a_decision_only_once_released() {
    let (mut app, mut chair, ada) = one_paper().await;
    let newer = SubmissionBuilder::paper_by(&ada).pdf(TestPaper::Compliant(4));
    assert_eq!(app.edit(1, &newer, 1).await.status(), 303);
    let (old, new) = (
        pages_in(&test_pdf(TestPaper::Compliant(2))),
        pages_in(&test_pdf(TestPaper::Compliant(4))),
    );
    assert_ne!(old, new);
    let list = app.get_text("/submissions").await;
    assert!(list.contains(&format!("<td>{new}</td>")), "{list}");
    assert!(!list.contains(&format!("<td>{old}</td>")), "{list}");
    assert!(
        list.contains("<span class=\"verdict pass\">pass</span>"),
        "{list}"
    );

    decide(&mut app, &mut chair, "poster", false).await;
    let undisclosed = app.get_text("/submissions").await;
    assert!(
        !undisclosed.contains(">Decision<") && !undisclosed.contains("accepted (poster)"),
        "{undisclosed}"
    );

    decide(&mut app, &mut chair, "poster", true).await;
    let released = app.get_text("/submissions").await;
    assert!(released.contains(">Decision<") && released.contains("accepted (poster)"));
}
