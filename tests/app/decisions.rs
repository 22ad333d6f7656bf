//! Decisions through the site: slot limits, release and its letters (once, also with two
//! chairs at once), what authors see afterwards (never reviewer identities or confidential
//! comments), letter templates, group messages and who may reach each route.

use crate::assignment::{COAUTHORS, PEOPLE, Workshop, workshop};

/// The workshop with an assignment and every review submitted (with a confidential comment).
pub(crate) async fn reviewed() -> (Workshop, Vec<(i32, String)>) {
    let mut w = workshop().await;
    let run = w.run("total").await;
    w.commit(&run).await;
    let pairs = w.committed().await;
    for author in w.authors.clone() {
        w.sign_in_as(&author).await;
        for (n, _) in pairs.iter().filter(|p| p.1 == author.email) {
            let page = w.app.get_text(&format!("/reviews/{n}")).await;
            let version = page
                .split("name=\"version\" value=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap()
                .to_string();
            let r = w
                .app
                .post_form(
                    &format!("/reviews/{n}"),
                    &format!("/reviews/{n}"),
                    &[
                        ("action", "submit"),
                        ("version", &version),
                        ("overall", if *n == 1 { "9" } else { "6" }),
                        ("confidence", "4"),
                        ("summary", "A summary for the authors."),
                        ("strengths_weaknesses", "Visible strengths."),
                        ("confidential", "SECRET-FOR-CHAIRS"),
                    ],
                )
                .await;
            assert_eq!(r.status(), 303);
        }
    }
    w.as_chair().await;
    (w, pairs)
}

async fn decide(w: &Workshop, number: i32, decision: &str) -> reqwest::Response {
    w.app
        .post_form(
            "/chair/decisions",
            "/chair/decisions/set",
            &[("number", &number.to_string()), ("decision", decision)],
        )
        .await
}

async fn release(w: &Workshop, confirm: bool) -> reqwest::Response {
    let mut fields = vec![("confirm", "yes")];
    if confirm {
        fields.push(("confirm_undecided", "on"));
    }
    w.app
        .post_form(
            "/chair/decisions/release",
            "/chair/decisions/release",
            &fields,
        )
        .await
}

fn letters_to(mails: &[crate::helpers::ReceivedMail], email: &str) -> usize {
    mails
        .iter()
        .filter(|m| m.to.contains(email) && m.subject.contains("Decision on submission"))
        .count()
}

#[tokio::test]
async fn slot_limits_are_enforced_and_the_refusal_names_the_holders() {
    let (w, _) = reviewed().await;
    w.app.change_settings(|s| s.talk_slots = 2);
    let board = w.app.get_text("/chair/decisions").await;
    assert!(
        board.contains("Calibrated") && board.contains("9.00"),
        "{board}"
    );
    assert_eq!(decide(&w, 1, "talk").await.status(), 303);
    assert_eq!(decide(&w, 4, "talk").await.status(), 303);
    let third = decide(&w, 2, "talk").await;
    assert_eq!(third.status(), 409);
    let html = third.text().await.unwrap();
    assert!(
        html.contains("All 2 contributed-talk slots are taken, by #1, #4"),
        "{html}"
    );
    let bad = decide(&w, 2, "accept").await;
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("is not a decision"));
    assert!(
        w.app
            .get_text("/chair/decisions.csv")
            .await
            .lines()
            .filter(|l| l.contains(",talk,"))
            .count()
            == 2
    );
    let json: serde_json::Value = w
        .app
        .get("/chair/decisions.json")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json.as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn released_decisions_reach_every_author_once_without_reviewer_identities() {
    let (mut w, pairs) = reviewed().await;
    for (n, d) in [
        (1, "talk"),
        (2, "spotlight"),
        (3, "poster"),
        (4, "poster"),
        (5, "reject"),
    ] {
        assert_eq!(decide(&w, n, d).await.status(), 303);
    }
    // Before release, authors see nothing of it.
    let amara = w.authors[0].clone();
    w.sign_in_as(&amara).await;
    let before = w.app.get_text("/submissions/1").await;
    assert!(!before.contains("Decision:") && !before.contains("A summary for the authors"));
    w.as_chair().await;
    let preview = w.app.get_text("/chair/decisions/release").await;
    assert!(
        preview.contains("as the main author of #1 will read it"),
        "{preview}"
    );
    assert!(
        preview.contains("Congratulations") && !preview.contains("SECRET"),
        "{preview}"
    );

    let r = release(&w, false).await;
    assert_eq!(r.status(), 303);
    assert!(
        w.app
            .get_text("/chair/decisions/release")
            .await
            .contains("Released 5 decisions; 10 letters")
    );
    assert_eq!(release(&w, false).await.status(), 303, "a second click");
    let mails = w.app.mails().await;
    for i in 0..5 {
        assert_eq!(letters_to(&mails, PEOPLE[i].1), 1, "{}", PEOPLE[i].1);
        assert_eq!(letters_to(&mails, COAUTHORS[i].1), 1, "{}", COAUTHORS[i].1);
    }
    let reviewer_ids: Vec<&str> = pairs
        .iter()
        .map(|p| p.1.as_str())
        .chain(PEOPLE.iter().map(|p| p.0))
        .collect();
    for m in mails
        .iter()
        .filter(|m| m.subject.contains("Decision on submission"))
    {
        assert!(!m.body.contains("SECRET-FOR-CHAIRS"), "{}", m.body);
        assert!(m.body.contains("Visible strengths."));
        let own = PEOPLE.iter().position(|p| m.subject.contains(p.3)).unwrap();
        for id in &reviewer_ids {
            if *id != PEOPLE[own].0 && *id != PEOPLE[own].1 {
                assert!(!m.body.contains(id), "letter names {id}: {}", m.body);
            }
        }
    }
    let talk = mails
        .iter()
        .find(|m| m.to.contains(PEOPLE[0].1) && m.subject.contains("Decision"))
        .unwrap();
    assert!(
        talk.body.contains("contributed talk (15 min)"),
        "{}",
        talk.body
    );
    let rejected = mails
        .iter()
        .find(|m| m.to.contains(PEOPLE[4].1) && m.subject.contains("Decision"))
        .unwrap();
    assert!(rejected.body.contains("not accepted"), "{}", rejected.body);

    // Authors now see the decision and the reviews, labelled, without identities.
    w.sign_in_as(&amara).await;
    let page = w.app.get_text("/submissions/1").await;
    assert!(
        page.contains("Decision: Accepted — contributed talk (15 min) and poster"),
        "{page}"
    );
    assert!(page.contains("Reviewer A") && page.contains("Visible strengths."));
    assert!(!page.contains("SECRET-FOR-CHAIRS"));
    for (_, email) in pairs.iter().filter(|p| p.0 == 1) {
        assert!(
            !page.contains(email.as_str()),
            "the author page names reviewer {email}"
        );
        let name = PEOPLE.iter().find(|p| p.1 == email).unwrap().0;
        assert!(
            !page.contains(name),
            "the author page names reviewer {name}"
        );
    }
}

#[tokio::test]
async fn two_chairs_releasing_at_once_send_each_letter_once() {
    let (w, _) = reviewed().await;
    for n in 1..=5 {
        assert_eq!(decide(&w, n, "poster").await.status(), 303);
    }
    let csrf = w.app.csrf("/chair/decisions/release").await;
    let post = || {
        w.app
            .client
            .post(w.app.url("/chair/decisions/release"))
            .form(&[("csrf", csrf.as_str()), ("confirm", "yes")])
            .send()
    };
    let (a, b) = tokio::join!(post(), post());
    assert_eq!(a.unwrap().status(), 303);
    assert_eq!(b.unwrap().status(), 303);
    let mails = w.app.mails().await;
    let letters = mails
        .iter()
        .filter(|m| m.subject.contains("Decision on submission"))
        .count();
    assert_eq!(letters, 10);
}

#[tokio::test]
async fn undecided_papers_are_listed_and_changes_after_release_need_confirming() {
    let (w, _) = reviewed().await;
    for n in 1..=4 {
        assert_eq!(decide(&w, n, "poster").await.status(), 303);
    }
    let r = release(&w, false).await;
    assert_eq!(r.status(), 409);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("1 papers have no decision yet") && html.contains("#5"),
        "{html}"
    );
    assert_eq!(
        w.app
            .mails()
            .await
            .iter()
            .filter(|m| m.subject.contains("Decision on"))
            .count(),
        0
    );
    assert_eq!(release(&w, true).await.status(), 303);
    assert_eq!(
        w.app
            .mails()
            .await
            .iter()
            .filter(|m| m.subject.contains("Decision on"))
            .count(),
        8
    );

    let change = decide(&w, 1, "spotlight").await;
    assert_eq!(change.status(), 409);
    assert!(
        change
            .text()
            .await
            .unwrap()
            .contains("were already told: accept (poster)")
    );
    let confirmed = w
        .app
        .post_form(
            "/chair/decisions",
            "/chair/decisions/set",
            &[
                ("number", "1"),
                ("decision", "spotlight"),
                ("confirm", "on"),
            ],
        )
        .await;
    assert_eq!(confirmed.status(), 303);
    assert_eq!(
        decide(&w, 2, "").await.status(),
        409,
        "a released decision is not withdrawn"
    );
    assert_eq!(release(&w, true).await.status(), 303);
    let mails = w.app.mails().await;
    assert_eq!(
        letters_to(&mails, PEOPLE[0].1),
        2,
        "a new letter for the changed decision"
    );
    assert_eq!(letters_to(&mails, PEOPLE[1].1), 1);
}

#[tokio::test]
async fn letter_templates_refuse_unknown_placeholders_and_are_used_once_saved() {
    let (w, _) = reviewed().await;
    let refused = w
        .app
        .post_form(
            "/chair/letters",
            "/chair/letters",
            &[
                ("kind", "decision"),
                ("action", "save"),
                ("subject", "Decision {{ titel }}"),
                ("body", "Hi {{ name }}"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Unknown placeholder &#34;titel&#34;")
    );
    let saved = w
        .app
        .post_form(
            "/chair/letters",
            "/chair/letters",
            &[
                ("kind", "decision"),
                ("action", "save"),
                ("subject", "Decision on submission #{{ number }}"),
                ("body", "Dear {{ name }}: {{ decision }}.{% for r in reviews %} [{{ r.label }}: {{ r.text }}]{% endfor %}"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);
    assert!(
        w.app
            .get_text("/chair/letters")
            .await
            .contains("Edited by the chairs")
    );
    let test = w
        .app
        .post_form(
            "/chair/letters",
            "/chair/letters/test",
            &[("kind", "decision")],
        )
        .await;
    assert_eq!(test.status(), 303);
    assert!(
        w.app
            .mails_to(&w.chair.email)
            .await
            .iter()
            .any(|m| m.subject.starts_with("[test]"))
    );
    assert_eq!(decide(&w, 3, "poster").await.status(), 303);
    assert_eq!(release(&w, true).await.status(), 303);
    let letter = w
        .app
        .mail_to_with_subject(PEOPLE[2].1, "Decision on submission #3")
        .await;
    assert!(
        letter
            .body
            .starts_with(&format!("Dear {}: accepted.", PEOPLE[2].0)),
        "{}",
        letter.body
    );
    let log = w.app.get_text("/chair/letters/log").await;
    assert!(log.contains(PEOPLE[2].1) && log.contains(COAUTHORS[2].1));
}

#[tokio::test]
async fn group_messages_are_previewed_and_sent_once() {
    let (w, _) = reviewed().await;
    let preview = w
        .app
        .post_form(
            "/chair/mail",
            "/chair/mail",
            &[
                ("group", "all_authors"),
                ("subject", "Poster sizes"),
                ("body", "Dear {{ name }}, A0 portrait."),
                ("action", "preview"),
            ],
        )
        .await;
    assert_eq!(preview.status(), 200);
    let html = preview.text().await.unwrap();
    assert!(
        html.contains("10 recipients") && html.contains(COAUTHORS[3].1),
        "{html}"
    );
    let send_id = html
        .split("name=\"send_id\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let previewed = html
        .split("name=\"previewed_text\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let fields = [
        ("group", "all_authors"),
        ("subject", "Poster sizes"),
        ("body", "Dear {{ name }}, A0 portrait."),
        ("action", "send"),
        ("send_id", send_id.as_str()),
        ("previewed_text", previewed.as_str()),
        ("confirm_count", "10"),
    ];
    let send = || w.app.post_form("/chair/mail", "/chair/mail", &fields);
    assert_eq!(send().await.status(), 303);
    assert_eq!(send().await.status(), 303, "a double click");
    let mails = w.app.mails().await;
    let sent: Vec<_> = mails
        .iter()
        .filter(|m| m.subject == "Poster sizes")
        .collect();
    assert_eq!(sent.len(), 10);
    assert!(
        sent.iter()
            .any(|m| m.body.starts_with(&format!("Dear {}, A0", COAUTHORS[0].0)))
    );
}

#[tokio::test]
async fn every_decision_route_refuses_visitors_authors_and_a_chair_deciding_their_own_paper() {
    let (mut w, _) = reviewed().await;
    let gets = [
        "/chair/decisions",
        "/chair/decisions/release",
        "/chair/decisions.csv",
        "/chair/decisions.json",
        "/chair/letters",
        "/chair/letters/log",
        "/chair/mail",
    ];
    let posts: [(&str, &[(&str, &str)]); 5] = [
        (
            "/chair/decisions/set",
            &[("number", "1"), ("decision", "talk")],
        ),
        ("/chair/decisions/release", &[("confirm_undecided", "on")]),
        (
            "/chair/letters",
            &[
                ("kind", "decision"),
                ("action", "save"),
                ("subject", "x"),
                ("body", "y"),
            ],
        ),
        ("/chair/letters/test", &[("kind", "decision")]),
        (
            "/chair/mail",
            &[
                ("group", "all_authors"),
                ("subject", "x"),
                ("body", "y"),
                ("action", "preview"),
            ],
        ),
    ];
    let amara = w.authors[0].clone();
    w.sign_in_as(&amara).await;
    for path in gets {
        assert_eq!(w.app.get(path).await.status(), 403, "author GET {path}");
    }
    for (path, fields) in posts {
        assert_eq!(
            w.app.post_form("/submissions", path, fields).await.status(),
            403,
            "author POST {path}"
        );
    }
    w.app.client = crate::helpers::client();
    for path in gets {
        let r = w.app.get(path).await;
        assert_eq!(r.status(), 303, "anonymous GET {path}");
        assert_eq!(
            r.headers()["location"],
            crate::helpers::signin_for(path).as_str()
        );
    }
    for (path, fields) in posts {
        assert_eq!(
            w.app.post_form("/signin", path, fields).await.status(),
            303,
            "anonymous POST {path}"
        );
    }
    // A chair who wrote #1 cannot decide it.
    w.app.make_chair(&amara.email);
    w.sign_in_as(&amara).await;
    let own = decide(&w, 1, "talk").await;
    assert_eq!(own.status(), 403);
    assert!(
        own.text()
            .await
            .unwrap()
            .contains("You are an author of this paper")
    );
    assert!(
        w.app
            .get_text("/chair/decisions")
            .await
            .contains("your paper: another chair decides")
    );
    w.as_chair().await;
    assert!(
        w.app
            .get_text("/chair/decisions.csv")
            .await
            .lines()
            .all(|l| !l.contains(",talk,")),
        "nothing changed"
    );
}
