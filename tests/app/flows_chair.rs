//! Issue 14, the chairs' side: default loads that can be met (and exact advice when they
//! cannot), the committed-assignments list, reviewers added and removed on a paper's page,
//! decisions set in bulk, and the second click every irreversible or mass action needs
//! (assignment commit, chair withdraw, release, bulk decisions, decisions after release);
//! reminders greet reviewers by name. Each route is tried by someone who may not reach it.

use crate::assignment::{PEOPLE, Workshop, workshop};
use crate::decisions::reviewed;
use crate::helpers::{TestUser, client};

fn input_value(html: &str, name: &str) -> String {
    html.split(&format!("name=\"{name}\""))
        .nth(1)
        .and_then(|r| r.split("value=\"").nth(1))
        .and_then(|r| r.split('"').next())
        .unwrap_or_default()
        .to_string()
}

async fn committed_workshop() -> Workshop {
    let w = workshop().await;
    let run = w.run("total").await;
    w.commit(&run).await;
    w
}

#[tokio::test]
async fn default_loads_are_fitted_to_what_the_papers_take_and_the_page_says_so() {
    let w = workshop().await;
    // 5 reviewers × 3 = 15 reviews, but 5 papers × 2 = 10.
    w.app.change_settings(|s| s.reviewer_load_min = 3);
    let page = w.app.get_text("/chair/assignment").await;
    assert_eq!(
        input_value(&page, "min_load"),
        "2",
        "10 reviews / 5 reviewers"
    );
    assert!(
        page.contains("5 reviewers × 3 = 15 reviews is more than the 10 the papers take"),
        "{page}"
    );
    assert!(page.contains("href=\"/chair/settings#reviewer_load_min\""));
    let fields: Vec<(&str, String)> = [
        "objective",
        "reviews_per_paper",
        "reviews_per_published_paper",
        "min_load",
        "max_load",
    ]
    .iter()
    .map(|n| (*n, input_value(&page, n)))
    .collect();
    let mut form: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
    form[0] = ("objective", "total");
    let r = w
        .app
        .post_form("/chair/assignment", "/chair/assignment/run", &form)
        .await;
    assert_eq!(r.status(), 303, "the defaults give an assignment");
    assert!(w.preview_id().await.is_some());
}

#[tokio::test]
async fn loads_that_cannot_be_met_say_what_to_change_with_numbers_and_the_setting() {
    let w = workshop().await;
    let r = w
        .app
        .post_form(
            "/chair/assignment",
            "/chair/assignment/run",
            &[
                ("objective", "total"),
                ("reviews_per_paper", "2"),
                ("reviews_per_published_paper", "1"),
                ("min_load", "3"),
                ("max_load", "3"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("5 reviewers × minimum 3 papers = 15 reviews, but the papers take only 10"),
        "{page}"
    );
    assert!(page.contains("to 2 or less"), "{page}");
    assert!(
        page.contains("<a href=\"/chair/settings#reviewer_load_min\">Reviewer load: minimum</a>")
    );
    assert!(page.contains("raise “Reviews per paper” to 3"), "{page}");
}

#[tokio::test]
async fn committing_an_assignment_first_shows_how_many_reviewers_are_emailed() {
    let w = workshop().await;
    let run = w.run("total").await;
    let r = w
        .app
        .post_form(
            "/chair/assignment",
            "/chair/assignment/commit",
            &[("run", &run)],
        )
        .await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(page.contains("Yes, commit and email 5 reviewers"), "{page}");
    assert!(page.contains("<strong>10</strong> new"));
    assert!(w.committed().await.is_empty(), "nothing committed yet");
    w.commit(&run).await;
    assert_eq!(w.committed().await.len(), 10);
}

#[tokio::test]
async fn committed_assignments_are_listed_with_filters_and_pages() {
    let w = committed_workshop().await;
    let page = w.app.get_text("/chair/assignment").await;
    assert!(
        page.contains("<h2 id=\"committed\">Committed assignments</h2>"),
        "{page}"
    );
    assert!(page.contains("All 10 committed assignments, with filters and pages"));
    assert!(
        page.contains("amara@unilag.edu.ng"),
        "the list is on the page"
    );
    let all = w.app.get_text("/chair/assignment/committed").await;
    assert!(all.contains("10 assignments"), "{all}");
    assert!(all.contains("Amara Okafor &lt;amara@unilag.edu.ng&gt;"));
    let one = w.app.get_text("/chair/assignment/committed?paper=1").await;
    assert!(one.contains("2 assignments"), "{one}");
    assert!(!one.contains(">#2<"), "{one}");
    let amara = w
        .app
        .get_text("/chair/assignment/committed?reviewer=AMARA")
        .await;
    assert!(amara.contains("amara@unilag.edu.ng"));
    assert!(!amara.contains("bruno@inria.fr"), "{amara}");
    let done = w
        .app
        .get_text("/chair/assignment/committed?state=submitted")
        .await;
    assert!(done.contains("No committed assignment matches"), "{done}");
    let waiting = w
        .app
        .get_text("/chair/assignment/committed?state=not_started")
        .await;
    assert!(waiting.contains("10 assignments"), "{waiting}");
    let beyond = w.app.get_text("/chair/assignment/committed?page=2").await;
    assert!(beyond.contains("rel=\"prev\""), "{beyond}");
    assert!(!beyond.contains("rel=\"next\""));
    let bad = w.app.get_text("/chair/assignment/committed?paper=x").await;
    assert!(bad.contains("is not a paper number"));
}

#[tokio::test]
async fn only_chairs_reach_the_committed_list_and_the_paper_reviewer_changes() {
    let mut w = committed_workshop().await;
    let author = w.authors[0].clone();
    w.sign_in_as(&author).await;
    assert_eq!(w.app.get("/chair/assignment/committed").await.status(), 403);
    let r = w
        .app
        .post_form(
            "/submissions/1",
            "/chair/submissions/2/reviewers",
            &[
                ("action", "remove"),
                ("email", PEOPLE[2].1),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status(), 403);
    let r = w
        .app
        .post_form(
            "/submissions",
            "/chair/decisions/bulk",
            &[
                ("bulk_decision", "poster"),
                ("pick_2", "on"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status(), 403);
    w.app.client = client();
    let r = w.app.get("/chair/assignment/committed").await;
    assert_eq!(r.status(), 303, "visitors are sent to sign in");
    for (action, fields) in [
        (
            "/chair/submissions/2/reviewers",
            vec![
                ("action", "remove"),
                ("email", PEOPLE[2].1),
                ("confirm", "yes"),
            ],
        ),
        (
            "/chair/decisions/bulk",
            vec![
                ("bulk_decision", "poster"),
                ("pick_2", "on"),
                ("confirm", "yes"),
            ],
        ),
    ] {
        let r = w.app.post_form("/signin", action, &fields).await;
        assert_eq!(r.status(), 303, "{action}");
    }
    w.as_chair().await;
    assert_eq!(w.committed().await.len(), 10, "nothing changed");
    assert!(
        w.app
            .get_text("/chair/decisions")
            .await
            .contains("5 undecided")
    );
}

#[tokio::test]
async fn a_chair_removes_and_adds_a_reviewer_on_the_paper_page_after_seeing_what_happens() {
    let w = committed_workshop().await;
    let page = w.app.get_text("/submissions/1").await;
    assert!(page.contains("Reviewers (2)"), "{page}");
    let before = w.committed().await;
    let (_, gone) = before.iter().find(|p| p.0 == 1).unwrap().clone();
    let ask = w
        .app
        .post_form(
            "/submissions/1",
            "/chair/submissions/1/reviewers",
            &[("action", "remove"), ("email", &gone)],
        )
        .await;
    assert_eq!(ask.status(), 200);
    let ask = ask.text().await.unwrap();
    assert!(ask.contains("no longer reviews #1"), "{ask}");
    assert!(
        ask.contains("#1 would have 1 reviewers; it needs 2."),
        "{ask}"
    );
    assert_eq!(
        w.committed().await,
        before,
        "nothing before the second click"
    );
    let r = w
        .app
        .post_form(
            "/submissions/1",
            "/chair/submissions/1/reviewers",
            &[("action", "remove"), ("email", &gone), ("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(!w.committed().await.contains(&(1, gone.clone())));
    let mail = w.app.last_mail_to(&gone).await;
    assert!(mail.body.contains("#1"), "{}", mail.body);
    // The paper's own author is refused outright; someone else needs the second click.
    let r = w
        .app
        .post_form(
            "/submissions/1",
            "/chair/submissions/1/reviewers",
            &[("action", "add"), ("email", PEOPLE[0].1)],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("authors never review their own paper")
    );
    let r = w
        .app
        .post_form(
            "/submissions/1",
            "/chair/submissions/1/reviewers",
            &[("action", "add"), ("email", &gone), ("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(w.committed().await.contains(&(1, gone.clone())));
    let page = w.app.get_text("/submissions/1").await;
    assert!(page.contains("Reviewers (2)"), "{page}");
}

#[tokio::test]
async fn adding_a_reviewer_warns_of_loads_and_review_counts_as_the_preview_does() {
    let w = committed_workshop().await;
    let on_one: Vec<String> = w
        .committed()
        .await
        .into_iter()
        .filter(|p| p.0 == 1)
        .map(|p| p.1)
        .collect();
    let extra = PEOPLE
        .iter()
        .map(|p| p.1)
        .find(|e| *e != PEOPLE[0].1 && !on_one.iter().any(|x| x == e))
        .unwrap();
    // Every reviewer has at least one paper (minimum load 1): one more is above a maximum of 1.
    w.app.change_settings(|s| s.reviewer_load_max = 1);
    let r = w
        .app
        .post_form(
            "/submissions/1",
            "/chair/submissions/1/reviewers",
            &[("action", "add"), ("email", extra)],
        )
        .await;
    let page = r.text().await.unwrap();
    assert!(
        page.contains("#1 would have 3 reviewers; it needs 2."),
        "{page}"
    );
    assert!(page.contains("above their maximum of 1"), "{page}");
    assert!(page.contains("Yes, add"), "{page}");
}

#[tokio::test]
async fn bulk_decisions_confirm_the_count_and_keep_slot_limits() {
    let (w, _) = reviewed().await;
    let picks = [
        ("bulk_decision", "poster"),
        ("pick_1", "on"),
        ("pick_2", "on"),
        ("pick_3", "on"),
    ];
    let r = w
        .app
        .post_form("/chair/decisions", "/chair/decisions/bulk", &picks)
        .await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(page.contains("Yes, set 3 decisions"), "{page}");
    let board = w.app.get_text("/chair/decisions").await;
    assert!(board.contains("5 undecided"), "nothing set yet: {board}");
    let mut confirmed = picks.to_vec();
    confirmed.push(("confirm", "yes"));
    let r = w
        .app
        .post_form("/chair/decisions", "/chair/decisions/bulk", &confirmed)
        .await;
    assert_eq!(r.status(), 303);
    let board = w.app.get_text("/chair/decisions").await;
    assert!(
        board.contains("3 posters") || board.contains("3 posters"),
        "{board}"
    );
    assert!(board.contains("2 undecided"), "{board}");
    // Two talks into one slot: refused, naming the limit and the holders.
    w.app.change_settings(|s| s.talk_slots = 1);
    let r = w
        .app
        .post_form(
            "/chair/decisions",
            "/chair/decisions/bulk",
            &[
                ("bulk_decision", "talk"),
                ("pick_4", "on"),
                ("pick_5", "on"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status(), 409);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Only 1 accept (contributed talk) slots"),
        "{page}"
    );
    assert!(
        page.contains("so 1 are free for the 2 selected papers"),
        "{page}"
    );
    let board = w.app.get_text("/chair/decisions").await;
    assert!(board.contains("2 undecided"), "nothing changed: {board}");
}

#[tokio::test]
async fn bulk_changes_of_released_decisions_name_them_before_the_second_click() {
    let (w, _) = reviewed().await;
    let all: Vec<(&str, &str)> = vec![
        ("bulk_decision", "poster"),
        ("pick_1", "on"),
        ("pick_2", "on"),
        ("pick_3", "on"),
        ("pick_4", "on"),
        ("pick_5", "on"),
        ("confirm", "yes"),
    ];
    let r = w
        .app
        .post_form("/chair/decisions", "/chair/decisions/bulk", &all)
        .await;
    assert_eq!(r.status(), 303);
    let r = w
        .app
        .post_form(
            "/chair/decisions/release",
            "/chair/decisions/release",
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = w
        .app
        .post_form(
            "/chair/decisions",
            "/chair/decisions/bulk",
            &[
                ("bulk_decision", "reject"),
                ("pick_1", "on"),
                ("pick_2", "on"),
            ],
        )
        .await;
    let page = r.text().await.unwrap();
    assert!(page.contains("2 of them were already released"), "{page}");
    assert!(
        page.contains("Yes, set 2 decisions (changing 2 released)"),
        "{page}"
    );
    let board = w.app.get_text("/chair/decisions").await;
    assert!(board.contains("0 rejected"), "{board}");
}

#[tokio::test]
async fn release_and_chair_withdraw_ask_first_and_say_to_how_many() {
    let (w, _) = reviewed().await;
    for n in 1..=5 {
        w.app
            .post_form(
                "/chair/decisions",
                "/chair/decisions/set",
                &[("number", &n.to_string()), ("decision", "poster")],
            )
            .await;
    }
    let r = w
        .app
        .post_form("/chair/decisions/release", "/chair/decisions/release", &[])
        .await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    // Five papers, two authors each.
    assert!(page.contains("Yes, release and send 10 letters"), "{page}");
    let letters = w
        .app
        .mails()
        .await
        .into_iter()
        .filter(|m| m.subject.contains("Decision on submission"))
        .count();
    assert_eq!(letters, 0, "nothing released before the second click");
    let r = w
        .app
        .post_form(
            "/submissions/1",
            "/chair/submissions/1/status",
            &[("status", "withdrawn")],
        )
        .await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Yes, withdraw #1 and email 2 authors"),
        "{page}"
    );
    assert!(
        page.contains("Its 2 assigned reviewers no longer see it"),
        "{page}"
    );
    assert!(
        w.app
            .get_text("/submissions/1")
            .await
            .contains("status: <strong>active</strong>")
    );
}

#[tokio::test]
async fn reminders_greet_each_reviewer_by_name() {
    let w = committed_workshop().await;
    let r = w
        .app
        .post_form("/chair/reviews", "/chair/reviews/remind", &[])
        .await;
    assert_eq!(r.status(), 303);
    let mail = w.app.last_mail_to(PEOPLE[0].1).await;
    assert!(mail.subject.contains("Reminder"), "{}", mail.subject);
    assert!(
        mail.body.starts_with("Hello Amara Okafor,"),
        "{}",
        mail.body
    );
}

/// A chair who wrote a paper is refused changing its reviewers.
#[tokio::test]
async fn a_chair_who_wrote_the_paper_cannot_change_its_reviewers() {
    let mut w = committed_workshop().await;
    let author: TestUser = w.authors[0].clone();
    w.app.make_chair(&author.email);
    w.sign_in_as(&author).await;
    let page = w.app.get_text("/submissions/1").await;
    assert!(!page.contains("Reviewers (2)"), "{page}");
    let r = w
        .app
        .post_form(
            "/submissions/1",
            "/chair/submissions/1/reviewers",
            &[
                ("action", "add"),
                ("email", PEOPLE[1].1),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status(), 403);
    let r = w
        .app
        .post_form(
            "/chair/decisions",
            "/chair/decisions/bulk",
            &[
                ("bulk_decision", "poster"),
                ("pick_1", "on"),
                ("pick_2", "on"),
            ],
        )
        .await;
    assert_eq!(r.status(), 409);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("#1 is your own paper: another chair decides it.")
    );
    let list = w.app.get_text("/chair/assignment/committed").await;
    assert!(list.contains("8 assignments"), "{list}");
    assert!(list.contains("Your own papers are left out"));
}

/// Reviewers' pages follow the phase, not only the calendar: after an early release, bidding
/// is closed and "My reviews" no longer counts down to the due date.
#[tokio::test]
async fn after_release_reviewers_are_told_reviewing_is_over_even_before_the_dates() {
    let (mut w, _) = reviewed().await;
    let mut all = vec![("bulk_decision", "poster"), ("confirm", "yes")];
    let picks: Vec<String> = (1..=5).map(|n| format!("pick_{n}")).collect();
    all.extend(picks.iter().map(|p| (p.as_str(), "on")));
    let r = w
        .app
        .post_form("/chair/decisions", "/chair/decisions/bulk", &all)
        .await;
    assert_eq!(r.status(), 303);
    let author = w.authors[0].clone();
    w.sign_in_as(&author).await;
    assert_eq!(
        w.app.get("/bids").await.status(),
        200,
        "bidding open by the calendar"
    );
    w.as_chair().await;
    let r = w
        .app
        .post_form(
            "/chair/decisions/release",
            "/chair/decisions/release",
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let later = cfp::clock::Clock::now(&w.app.clock) + chrono::Duration::minutes(1);
    w.app.clock.set(later);
    w.sign_in_as(&author).await;
    let mine = w.app.get_text("/reviews").await;
    assert!(mine.contains("reviewing is over"), "{mine}");
    assert!(!mine.contains("left)"), "{mine}");
    assert!(!mine.contains("Bid on papers"), "{mine}");
    let bids = w.app.get("/bids").await;
    assert_eq!(bids.status(), 403);
    assert!(bids.text().await.unwrap().contains("Bidding closed on"));
}
