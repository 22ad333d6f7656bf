//! Area chairs through the site: a chair makes someone area chair of some papers (refused for
//! their own paper, a conflict or a paper they review); the area chair sees those papers'
//! reviews and reviewers, discusses as "Area chair", reminds late reviewers and writes the
//! meta-review, but reaches no other paper and cannot decide.

use crate::discussion::{assert_no_author_identity, comment, reviewed};
use crate::helpers::{TestUser, client};

async fn make_area_chairs(w: &crate::assignment::Workshop, lines: &str) -> reqwest::Response {
    w.app
        .post_form(
            "/chair/area-chairs",
            "/chair/area-chairs",
            &[("assignments", lines)],
        )
        .await
}

#[tokio::test]
async fn an_area_chair_leads_their_papers_and_reaches_nothing_else() {
    let (mut w, reviewers) = reviewed().await;
    assert_eq!(
        comment(&w, "A first thought", "reviewers").await.status(),
        303
    );
    let ac = TestUser::new("Ana Areachair");
    w.app.client = client();
    w.app.register_and_sign_in(&ac).await;
    assert_eq!(
        w.app.get("/area-chair").await.status(),
        403,
        "not an area chair yet"
    );
    w.as_chair().await;
    let own = make_area_chairs(&w, &format!("{}: 1", w.authors[0].email)).await;
    assert_eq!(own.status(), 422);
    assert!(own.text().await.unwrap().contains("is an author of #1"));
    let reviewing = make_area_chairs(&w, &format!("{}: 1", reviewers[0].email)).await;
    assert_eq!(reviewing.status(), 422);
    assert!(reviewing.text().await.unwrap().contains("reviews #1"));
    assert_eq!(
        make_area_chairs(&w, &format!("{}: 1", ac.email))
            .await
            .status(),
        303
    );

    w.sign_in_as(&ac).await;
    assert!(
        w.app
            .get_text("/area-chair")
            .await
            .contains("/area-chair/papers/1")
    );
    let page = w.app.get_text("/area-chair/papers/1").await;
    for r in &reviewers {
        assert!(page.contains(&r.email), "the area chair sees who reviews");
    }
    assert!(page.contains("SECRET-FOR-CHAIRS") && page.contains("A first thought"));
    assert_no_author_identity(&page, "the area chair's page");
    let posted = w
        .app
        .post_form(
            "/area-chair/papers/1",
            "/area-chair/papers/1/comments",
            &[
                ("body", "Let us settle this paper."),
                ("audience", "reviewers"),
            ],
        )
        .await;
    assert_eq!(posted.status(), 303);
    let meta = w
        .app
        .post_form(
            "/area-chair/papers/1",
            "/area-chair/papers/1/meta-review",
            &[
                ("summary", "AC-SUMMARY"),
                ("recommendation", "poster"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(meta.status(), 303);
    // Nothing else: another paper, the chairs' pages, deciding.
    assert_eq!(w.app.get("/area-chair/papers/2").await.status(), 404);
    assert_eq!(w.app.get("/chair/papers/1/discussion").await.status(), 403);
    assert_eq!(w.app.get("/chair/decisions").await.status(), 403);
    let csrf = w.app.csrf("/area-chair").await;
    let decide = w
        .app
        .client
        .post(w.app.url("/chair/decisions/set"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("number", "1"),
            ("decision", "talk"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(decide.status(), 403);

    // Reviewers see "Area chair", never the name; the chairs see the meta-review.
    w.sign_in_as(&reviewers[0]).await;
    let seen = w.app.get_text("/reviews/1").await;
    assert!(seen.contains("Let us settle this paper.") && seen.contains("Area chair"));
    assert!(!seen.contains(&ac.name) && !seen.contains(&ac.email));
    w.as_chair().await;
    assert!(
        w.app
            .get_text("/chair/papers/1/discussion")
            .await
            .contains("AC-SUMMARY")
    );
}

#[tokio::test]
async fn an_area_chair_reminds_only_the_reviewers_who_have_not_submitted_once_a_day() {
    let (mut w, pairs) = {
        let w = crate::assignment::workshop().await;
        let run = w.run("total").await;
        w.commit(&run).await;
        let pairs = w.committed().await;
        (w, pairs)
    };
    let ac = TestUser::new("Ana Areachair");
    w.app.client = client();
    w.app.register_and_sign_in(&ac).await;
    w.as_chair().await;
    assert_eq!(
        make_area_chairs(&w, &format!("{}: 1-2", ac.email))
            .await
            .status(),
        303
    );
    w.sign_in_as(&ac).await;
    let page = w.app.get_text("/area-chair/papers/1").await;
    assert!(
        page.contains("Email a reminder to the 2 reviewers"),
        "{page}"
    );
    let r = w
        .app
        .post_form("/area-chair/papers/1", "/area-chair/papers/1/remind", &[])
        .await;
    assert_eq!(r.status(), 303);
    let again = w
        .app
        .post_form("/area-chair/papers/1", "/area-chair/papers/1/remind", &[])
        .await;
    assert_eq!(again.status(), 303);
    for (_, email) in pairs.iter().filter(|(n, _)| *n == 1) {
        let mails = w.app.mails_to(email).await;
        let reminders: Vec<_> = mails
            .iter()
            .filter(|m| m.subject.contains("Reminder"))
            .collect();
        assert_eq!(reminders.len(), 1, "one reminder a day for {email}");
        assert!(reminders[0].body.contains("#1"));
    }
    // Signed out and strangers.
    w.app.client = client();
    let out = w.app.get("/area-chair/papers/1").await;
    assert_eq!(out.status(), 303);
    let stranger = w.authors[4].clone();
    w.sign_in_as(&stranger).await;
    assert_eq!(w.app.get("/area-chair/papers/1").await.status(), 404);
    assert_eq!(w.app.get("/chair/area-chairs").await.status(), 403);
    let csrf = w.app.csrf("/reviews").await;
    for path in [
        "/area-chair/papers/1/comments",
        "/area-chair/papers/1/meta-review",
        "/area-chair/papers/1/remind",
    ] {
        let r = w
            .app
            .client
            .post(w.app.url(path))
            .form(&[
                ("csrf", csrf.as_str()),
                ("body", "x"),
                ("summary", "x"),
                ("recommendation", "talk"),
                ("version", "0"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{path}");
    }
    let post = w
        .app
        .client
        .post(w.app.url("/chair/area-chairs"))
        .form(&[("csrf", csrf.as_str()), ("assignments", "x@example.org: 1")])
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 403);
}
