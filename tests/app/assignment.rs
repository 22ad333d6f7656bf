//! Reviewer assignment through the site: bidding, conflicts, the chair's preview, manual
//! changes, commit and its emails, CSV export and import, the reviewer's blind pages, and
//! who may reach each route.

use chrono::{TimeZone, Utc};

use cfp::config::Settings;

use crate::helpers::{SubmissionBuilder, TestApp, TestUser, client, spawn_app_with};

/// Five main authors at different institutions, each with a co-author elsewhere.
pub const PEOPLE: [(&str, &str, &str, &str); 5] = [
    (
        "Amara Okafor",
        "amara@unilag.edu.ng",
        "University of Lagos",
        "Neural ODEs for stiff chemical kinetics",
    ),
    (
        "Bruno Lefèvre",
        "bruno@inria.fr",
        "Inria Paris",
        "Physics-informed networks for turbulent flows",
    ),
    (
        "Chen Wei",
        "chen.wei@tsinghua.edu.cn",
        "Tsinghua University",
        "Neural operators for weather forecasting",
    ),
    (
        "Dalia Haddad",
        "dalia@kth.se",
        "KTH Royal Institute of Technology",
        "Diffusion models as stochastic differential equations",
    ),
    (
        "Emil Sørensen",
        "emil@dtu.dk",
        "Technical University of Denmark",
        "Hamiltonian networks that conserve energy",
    ),
];

pub const COAUTHORS: [(&str, &str, &str); 5] = [
    ("Folake Adeyemi", "folake@ui.edu.ng", "University of Ibadan"),
    (
        "Gaspard Moreau",
        "gaspard@ens.fr",
        "École Normale Supérieure",
    ),
    ("Hua Lin", "hua.lin@pku.edu.cn", "Peking University"),
    ("Ines Berg", "ines@uu.se", "Uppsala University"),
    ("Jonas Madsen", "jonas@ku.dk", "University of Copenhagen"),
];

pub struct Workshop {
    pub app: TestApp,
    pub authors: Vec<TestUser>,
    pub chair: TestUser,
}

fn person(i: usize) -> TestUser {
    let (name, email, affiliation, _) = PEOPLE[i];
    TestUser {
        name: name.into(),
        email: email.into(),
        affiliation: affiliation.into(),
        password: "a long enough password".into(),
    }
}

/// After the submission deadline (17 Sep 2027, 23:59 PDT), during bidding.
fn after_deadline() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 9, 19, 12, 0, 0).unwrap()
}

/// Five papers (#1..#5, paper i by PEOPLE[i-1]), 2 reviews each, loads 1–3; the chair is
/// signed in and the clock is after the deadline.
pub async fn workshop() -> Workshop {
    workshop_with(|_| {}).await
}

/// The same workshop on a server whose settings `adjust` changed.
pub async fn workshop_with(adjust: impl FnOnce(&mut Settings)) -> Workshop {
    let mut app = spawn_app_with(adjust).await;
    app.change_settings(|s| {
        s.reviews_per_paper = 2;
        s.reviewer_load_min = 1;
        s.reviewer_load_max = 3;
    });
    let mut authors = Vec::new();
    for (i, coauthor) in COAUTHORS.iter().enumerate() {
        let author = person(i);
        app.client = client();
        app.register_and_sign_in(&author).await;
        let mut s = SubmissionBuilder::paper_by(&author).title(PEOPLE[i].3);
        s.authors[1] = (coauthor.0.into(), coauthor.1.into(), coauthor.2.into());
        assert_eq!(app.submit(&s).await.status(), 303);
        authors.push(author);
    }
    app.client = client();
    let chair = app.sign_in_as_chair().await;
    app.clock.set(after_deadline());
    Workshop {
        app,
        authors,
        chair,
    }
}

impl Workshop {
    pub async fn sign_in_as(&mut self, user: &TestUser) {
        self.app.client = client();
        let r = self.app.sign_in(&user.email, &user.password).await;
        assert_eq!(r.status(), 303, "sign in {}", user.email);
    }

    pub async fn as_chair(&mut self) {
        let chair = self.chair.clone();
        self.sign_in_as(&chair).await;
    }

    /// Runs the engine with 2 reviews per paper and loads 1–3; returns the preview's id.
    pub async fn run(&self, objective: &str) -> String {
        let r = self
            .app
            .post_form(
                "/chair/assignment",
                "/chair/assignment/run",
                &[
                    ("objective", objective),
                    ("reviews_per_paper", "2"),
                    ("reviews_per_published_paper", "1"),
                    ("min_load", "1"),
                    ("max_load", "3"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
        self.preview_id().await.expect("a preview")
    }

    pub async fn preview_id(&self) -> Option<String> {
        let html = self.app.get_text("/chair/assignment").await;
        html.split("name=\"run\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .map(str::to_string)
    }

    pub async fn commit(&self, run: &str) -> String {
        let r = self
            .app
            .post_form(
                "/chair/assignment",
                "/chair/assignment/commit",
                &[("run", run), ("confirm", "yes")],
            )
            .await;
        assert_eq!(r.status(), 303);
        self.app.get_text("/chair/assignment").await
    }

    /// (paper number, reviewer email) of every committed assignment, from the CSV export.
    pub async fn committed(&self) -> Vec<(i32, String)> {
        let csv = self.app.get_text("/chair/assignment.csv").await;
        csv.lines()
            .skip(1)
            .map(|l| {
                let mut f = l.split(',');
                (
                    f.next().unwrap().parse().unwrap(),
                    f.next().unwrap().to_string(),
                )
            })
            .collect()
    }
}

/// Everything that identifies the authors of paper `number` (1-based).
fn identities(number: usize) -> Vec<&'static str> {
    let (name, email, affiliation, _) = PEOPLE[number - 1];
    let (cn, ce, ca) = COAUTHORS[number - 1];
    vec![name, email, affiliation, cn, ce, ca]
}

fn assert_blind(text: &str, number: usize, what: &str) {
    for id in identities(number) {
        assert!(!text.contains(id), "{what} reveals {id}");
        let escaped = id.replace('\'', "&#x27;");
        assert!(!text.contains(&escaped), "{what} reveals {id}");
    }
}

#[tokio::test]
async fn the_chair_previews_commits_and_each_reviewer_gets_one_blind_email() {
    let w = workshop().await;
    let run = w.run("total").await;
    let page = w.app.get_text("/chair/assignment").await;
    assert!(page.contains("Preview (not committed)"), "{page}");
    assert!(page.contains("<strong>10</strong> new"), "{page}");
    assert!(page.contains("Load histogram") && page.contains("Lowest-affinity papers"));
    assert!(
        !page.contains("Reviewers without a paper"),
        "loads are at least 1"
    );
    assert!(
        w.committed().await.is_empty(),
        "nothing committed before the commit"
    );

    let after = w.commit(&run).await;
    assert!(
        after.contains("Committed: 10 assignments added, 0 removed; 5 reviewers"),
        "{after}"
    );
    let committed = w.committed().await;
    assert_eq!(committed.len(), 10);
    for (number, email) in &committed {
        assert_ne!(
            PEOPLE[*number as usize - 1].1,
            email,
            "an author reviews their paper"
        );
    }
    // A second commit of the same preview (double click, second chair) changes nothing.
    w.commit(&run).await;
    assert_eq!(w.committed().await.len(), 10);

    for (i, (_, email, _, _)) in PEOPLE.iter().enumerate() {
        let mails: Vec<_> = w
            .app
            .mails_to(email)
            .await
            .into_iter()
            .filter(|m| m.subject.contains("review assignment"))
            .collect();
        assert_eq!(mails.len(), 1, "one assignment email to {email}");
        let body = &mails[0].body;
        let mine: Vec<i32> = committed
            .iter()
            .filter(|(_, e)| e == email)
            .map(|(n, _)| *n)
            .collect();
        assert!((1..=3).contains(&mine.len()));
        for n in &mine {
            assert!(
                body.contains(&format!("#{n}  {}", PEOPLE[*n as usize - 1].3)),
                "{body}"
            );
            assert_blind(body, *n as usize, "the assignment email");
        }
        assert!(
            body.contains("Fri 8 Oct 2027, 23:59 PDT"),
            "due date: {body}"
        );
        assert!(body.contains("/reviews"), "{i}: {body}");
    }
}

#[tokio::test]
async fn reviewers_see_only_their_papers_and_nothing_of_the_authors() {
    let mut w = workshop().await;
    let run = w.run("fair").await;
    w.commit(&run).await;
    let committed = w.committed().await;
    let reviewer = w.authors[0].clone();
    w.sign_in_as(&reviewer).await;
    let list = w.app.get_text("/reviews").await;
    let mine: Vec<i32> = committed
        .iter()
        .filter(|(_, e)| *e == reviewer.email)
        .map(|(n, _)| *n)
        .collect();
    let missing = w.app.get("/reviews/999").await;
    assert_eq!(missing.status(), 404);
    let missing_body = missing.text().await.unwrap();
    for n in 1..=5 {
        let page = w.app.get(&format!("/reviews/{n}")).await;
        if mine.contains(&n) {
            assert!(list.contains(PEOPLE[n as usize - 1].3), "{list}");
            assert_blind(&list, n as usize, "My reviews");
            assert_eq!(page.status(), 200);
            let html = page.text().await.unwrap();
            assert!(html.contains(PEOPLE[n as usize - 1].3));
            assert_blind(&html, n as usize, "the paper page");
            let pdf = w.app.get(&format!("/reviews/{n}/paper.pdf")).await;
            assert_eq!(pdf.status(), 200);
            let disposition = pdf.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .to_string();
            assert_eq!(
                disposition,
                format!("attachment; filename=\"submission-{n}.pdf\"")
            );
            assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
        } else {
            // Own or unassigned paper: exactly the answer for a paper that does not exist.
            assert_eq!(page.status(), 404, "#{n}");
            assert_eq!(page.text().await.unwrap(), missing_body);
            assert_eq!(
                w.app.get(&format!("/reviews/{n}/paper.pdf")).await.status(),
                404
            );
        }
    }
    // The author-side pages of a reviewed paper stay closed too.
    let reviewed = mine[0];
    assert_eq!(
        w.app
            .get(&format!("/submissions/{reviewed}"))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn bidding_opens_after_the_deadline_and_bids_steer_the_engine() {
    let mut w = workshop().await;
    w.app
        .clock
        .set(Utc.with_ymd_and_hms(2027, 9, 1, 0, 0, 0).unwrap());
    let amara = w.authors[0].clone();
    w.sign_in_as(&amara).await;
    let early = w.app.get("/bids").await;
    assert_eq!(early.status(), 403);
    assert!(
        early
            .text()
            .await
            .unwrap()
            .contains("Bidding opens when submissions close")
    );

    w.app.clock.set(after_deadline());
    let page = w.app.get_text("/bids").await;
    assert!(
        !page.contains("name=\"bid_1\""),
        "no bid on one's own paper"
    );
    for n in 2..=5 {
        assert!(page.contains(&format!("name=\"bid_{n}\"")));
        assert_blind(&page, n, "the bidding page");
    }
    let found = w.app.get_text("/bids?q=WEATHER+forecasting").await;
    assert!(
        found.contains("name=\"bid_3\"") && !found.contains("name=\"bid_2\""),
        "{found}"
    );
    assert!(found.contains("1 papers match · page 1 of 1"), "{found}");
    // A bad value or someone's own paper refuses the whole form.
    let bad = w
        .app
        .post_form("/bids", "/bids", &[("bid_2", "eager"), ("bid_3", "maybe")])
        .await;
    assert_eq!(bad.status(), 422);
    assert!(
        bad.text()
            .await
            .unwrap()
            .contains("maybe&#34; is not a bid")
    );
    let own = w
        .app
        .post_form("/bids", "/bids", &[("bid_1", "eager")])
        .await;
    assert_eq!(own.status(), 422);
    let ok = w
        .app
        .post_form(
            "/bids",
            "/bids",
            &[("bid_2", "eager"), ("bid_3", "conflict")],
        )
        .await;
    assert_eq!(ok.status(), 303);
    assert!(
        w.app
            .get_text("/bids")
            .await
            .contains("name=\"bid_2\" value=\"eager\" checked")
    );

    w.as_chair().await;
    let conflicts = w.app.get_text("/chair/conflicts?q=amara").await;
    assert!(conflicts.contains("conflict bid"), "{conflicts}");
    let run = w.run("total").await;
    let page = w.app.get_text("/chair/assignment").await;
    assert!(page.contains("<td>eager</td><td>1</td>"), "{page}");
    w.commit(&run).await;
    let committed = w.committed().await;
    assert!(
        !committed.contains(&(3, amara.email.clone())),
        "a conflict bid is a conflict"
    );

    w.app
        .clock
        .set(Utc.with_ymd_and_hms(2027, 9, 25, 0, 0, 0).unwrap());
    w.sign_in_as(&amara).await;
    let late = w.app.get("/bids").await;
    assert_eq!(late.status(), 403);
    assert!(late.text().await.unwrap().contains("Bidding closed"));
}

#[tokio::test]
async fn a_reported_conflict_removes_the_assignment_and_a_rerun_fills_the_gap() {
    let mut w = workshop().await;
    let run = w.run("total").await;
    w.commit(&run).await;
    let committed = w.committed().await;
    let reviewer = w.authors[1].clone();
    let (paper, _) = committed
        .iter()
        .find(|(_, e)| *e == reviewer.email)
        .unwrap()
        .clone();
    w.sign_in_as(&reviewer).await;
    let empty = w
        .app
        .post_form(
            &format!("/reviews/{paper}"),
            &format!("/reviews/{paper}/conflict"),
            &[("reason", " ")],
        )
        .await;
    assert_eq!(empty.status(), 400);
    let r = w
        .app
        .post_form(
            &format!("/reviews/{paper}"),
            &format!("/reviews/{paper}/conflict"),
            &[("reason", "I supervised the first author")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(w.app.get(&format!("/reviews/{paper}")).await.status(), 404);
    let chair_mail = w
        .app
        .mail_to_with_subject(&w.chair.email, &format!("Conflict reported on #{paper}"))
        .await;
    assert!(chair_mail.body.contains("I supervised the first author"));

    w.as_chair().await;
    assert_eq!(w.committed().await.len(), 9);
    let conflicts = w.app.get_text(&format!("/chair/conflicts?q={paper}")).await;
    assert!(
        conflicts.contains("reported by the reviewer"),
        "{conflicts}"
    );
    let rerun = w.run("total").await;
    let page = w.app.get_text("/chair/assignment").await;
    assert_eq!(
        page.matches(" · kept").count(),
        9,
        "committed reviews are kept: {page}"
    );
    assert!(page.contains("<strong>1</strong> new"), "{page}");
    w.commit(&rerun).await;
    let now = w.committed().await;
    assert_eq!(now.len(), 10);
    assert!(!now.contains(&(paper, reviewer.email.clone())));
    let changed = now.iter().find(|x| !committed.contains(x)).unwrap();
    let mails = w.app.mails_to(&changed.1).await;
    assert!(
        mails.iter().any(|m| m.subject.contains("has changed")),
        "the new reviewer is told: {:?}",
        mails.iter().map(|m| &m.subject).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn manual_changes_warn_on_conflicts_and_loads_and_never_let_authors_review() {
    let mut w = workshop().await;
    w.as_chair().await;
    let entered = w
        .app
        .post_form(
            "/chair/conflicts",
            "/chair/conflicts",
            &[
                ("number", "2"),
                ("email", PEOPLE[0].1),
                ("reason", "Former advisor"),
            ],
        )
        .await;
    assert_eq!(entered.status(), 303);
    let run = w.run("total").await;
    let own = w
        .app
        .post_form(
            "/chair/assignment",
            "/chair/assignment/add",
            &[("run", &run), ("number", "1"), ("email", PEOPLE[0].1)],
        )
        .await;
    assert_eq!(own.status(), 422);
    assert!(
        own.text()
            .await
            .unwrap()
            .contains("authors never review their own paper")
    );
    let warned = w
        .app
        .post_form(
            "/chair/assignment",
            "/chair/assignment/add",
            &[("run", &run), ("number", "2"), ("email", PEOPLE[0].1)],
        )
        .await;
    assert_eq!(warned.status(), 409);
    let html = warned.text().await.unwrap();
    assert!(
        html.contains("Former advisor") && html.contains("Add anyway"),
        "{html}"
    );
    assert!(
        html.contains("#2 would have 3 reviews; it needs 2"),
        "{html}"
    );
    let forced = w
        .app
        .post_form(
            "/chair/assignment",
            "/chair/assignment/add",
            &[
                ("run", &run),
                ("number", "2"),
                ("email", PEOPLE[0].1),
                ("confirm", "on"),
            ],
        )
        .await;
    assert_eq!(forced.status(), 303);
    let page = w.app.get_text("/chair/assignment").await;
    assert!(
        page.contains("· manual · <strong class=\"error\">conflict: entered by a chair"),
        "{page}"
    );
    let removed = w
        .app
        .post_form(
            "/chair/assignment",
            "/chair/assignment/remove",
            &[("run", &run), ("number", "2"), ("email", PEOPLE[0].1)],
        )
        .await;
    assert_eq!(removed.status(), 303);
    assert!(
        !w.app
            .get_text("/chair/assignment")
            .await
            .contains("· manual")
    );
}

#[tokio::test]
async fn csv_import_is_all_or_nothing_and_becomes_a_preview() {
    let w = workshop().await;
    let run = w.run("total").await;
    w.commit(&run).await;
    let csv = w.app.get_text("/chair/assignment.csv").await;
    assert!(csv.starts_with("paper_number,reviewer_email,reviewer_name,paper_title\n"));
    let import = |body: String| {
        let app = &w.app;
        async move {
            let csrf = app.csrf("/chair/assignment").await;
            let form = reqwest::multipart::Form::new().text("csrf", csrf).part(
                "file",
                reqwest::multipart::Part::bytes(body.into_bytes()).file_name("a.csv"),
            );
            app.client
                .post(app.url("/chair/assignment/import"))
                .multipart(form)
                .send()
                .await
                .unwrap()
        }
    };
    let mut rows: Vec<&str> = csv.lines().collect();
    let bad = format!(
        "{}\n999,{}\n1,{}\n",
        rows.join("\n"),
        PEOPLE[1].1,
        PEOPLE[0].1
    );
    let refused = import(bad).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("no active submission #999"), "{html}");
    assert!(
        html.contains("has a conflict with #1 (author of the paper)"),
        "{html}"
    );
    assert!(w.preview_id().await.is_none(), "nothing changed");

    let dropped = rows.remove(1).to_string();
    let accepted = import(rows.join("\n")).await;
    assert_eq!(accepted.status(), 303);
    let page = w.app.get_text("/chair/assignment").await;
    assert!(page.contains("From the import"), "{page}");
    assert!(page.contains("<strong>1</strong> removed"), "{page}");
    let run = w.preview_id().await.unwrap();
    w.commit(&run).await;
    let now = w.committed().await;
    assert_eq!(now.len(), 9);
    let (n, email) = dropped.split_once(',').unwrap();
    let email = email.split(',').next().unwrap();
    assert!(!now.contains(&(n.parse().unwrap(), email.to_string())));
    let told = w.app.mails_to(email).await;
    assert!(
        told.iter()
            .any(|m| m.body.contains("No longer on your list"))
    );
}

#[tokio::test]
async fn minimum_loads_conflicts_leave_out_of_reach_are_left_out_of_the_preview_and_said_so() {
    let w = workshop().await;
    // The totals fit: 5 reviewers × 2 papers = 10 reviews, what 5 papers × 2 take. But the
    // first author is conflicted with every paper but one, so no assignment gives them two.
    {
        let mut c = w.app.pool.get().unwrap();
        let chair = cfp::db::users::find_by_email(
            &mut c,
            &cfp::domain::account::Email::parse(&w.chair.email).unwrap(),
        )
        .unwrap()
        .unwrap();
        for number in 2..=4 {
            let id = cfp::db::submissions::find_by_number(&mut c, number)
                .unwrap()
                .unwrap()
                .id;
            cfp::db::assignments::enter_conflict(
                &mut c,
                &id,
                &w.authors[0].email,
                "chair",
                "same lab",
                &chair.user_id(),
                after_deadline(),
            )
            .unwrap();
        }
    }
    let r = w
        .app
        .post_form(
            "/chair/assignment",
            "/chair/assignment/run",
            &[
                ("objective", "total"),
                ("reviews_per_paper", "2"),
                ("reviews_per_published_paper", "1"),
                ("min_load", "2"),
                ("max_load", "3"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let page = w.app.get_text("/chair/assignment").await;
    assert!(
        page.contains("this preview leaves minimum loads out"),
        "{page}"
    );
    let run = w.preview_id().await.expect("a preview");
    // Computing committed nothing; committing gives every paper its two reviews.
    assert!(w.committed().await.is_empty());
    w.commit(&run).await;
    let committed = w.committed().await;
    assert_eq!(committed.len(), 2 * w.authors.len());
    for number in 1..=i32::try_from(w.authors.len()).unwrap() {
        assert_eq!(committed.iter().filter(|(n, _)| *n == number).count(), 2);
    }
    let first = &w.authors[0].email;
    assert!(committed.iter().filter(|(_, e)| e == first).count() <= 1);
}

#[tokio::test]
async fn impossible_constraints_are_explained() {
    let w = workshop().await;
    let r = w
        .app
        .post_form(
            "/chair/assignment",
            "/chair/assignment/run",
            &[
                ("objective", "total"),
                ("reviews_per_paper", "5"),
                ("reviews_per_published_paper", "1"),
                ("min_load", "1"),
                ("max_load", "5"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("No assignment satisfies these constraints"),
        "{html}"
    );
    assert!(
        html.contains("non-conflicted candidate reviewers"),
        "{html}"
    );
    let bad = w
        .app
        .post_form(
            "/chair/assignment",
            "/chair/assignment/run",
            &[
                ("objective", "best"),
                ("reviews_per_paper", "2"),
                ("reviews_per_published_paper", "1"),
                ("min_load", "4"),
                ("max_load", "3"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let html = bad.text().await.unwrap();
    assert!(
        html.contains("best&#34; is not an objective")
            && html.contains("minimum load cannot exceed")
    );
}

#[tokio::test]
async fn volunteers_and_profiles_join_the_pool_and_its_conflicts() {
    let mut w = workshop().await;
    let vera = TestUser {
        name: "Vera Volkova".into(),
        email: "vera@mpi.de".into(),
        affiliation: "Max Planck Institute".into(),
        password: "a long enough password".into(),
    };
    let added = w
        .app
        .post_form(
            "/chair/reviewers",
            "/chair/reviewers",
            &[
                ("name", &vera.name),
                ("email", &vera.email),
                ("affiliation", &vera.affiliation),
                ("keywords", "neural operators, weather"),
            ],
        )
        .await;
    assert_eq!(added.status(), 303);
    let twice = w
        .app
        .post_form(
            "/chair/reviewers",
            "/chair/reviewers",
            &[("name", "X"), ("email", PEOPLE[2].1)],
        )
        .await;
    assert_eq!(twice.status(), 422, "a main author is in the pool already");
    let welcome = w
        .app
        .mail_to_with_subject(&vera.email, "You are a reviewer")
        .await;
    assert!(welcome.body.contains("/register"));

    w.app.client = client();
    w.app.register_and_sign_in(&vera).await;
    assert_eq!(w.app.get("/reviews").await.status(), 200);
    let saved = w
        .app
        .post_form(
            "/reviewer/profile",
            "/reviewer/profile",
            &[
                ("keywords", "operators"),
                ("conflicts", "Inria Paris\nkth.se"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);
    assert!(
        w.app
            .get_text("/reviewer/profile")
            .await
            .contains("Inria Paris")
    );

    w.as_chair().await;
    let conflicts = w.app.get_text("/chair/conflicts?q=vera").await;
    assert_eq!(
        conflicts.matches("declared by the reviewer").count(),
        2,
        "{conflicts}"
    );
    // Take Emil out of the pool: he gets no paper; Vera takes his share.
    let out = w
        .app
        .post_form(
            "/chair/reviewers",
            "/chair/reviewers/update",
            &[("email", PEOPLE[4].1), ("action", "drop")],
        )
        .await;
    assert_eq!(out.status(), 303);
    let run = w.run("total").await;
    w.commit(&run).await;
    let committed = w.committed().await;
    assert!(!committed.iter().any(|(_, e)| e == PEOPLE[4].1));
    assert!(committed.iter().any(|(_, e)| e == "vera@mpi.de"));
    assert!(
        !committed.contains(&(2, "vera@mpi.de".into()))
            && !committed.contains(&(4, "vera@mpi.de".into()))
    );
}

/// Every assignment route refuses visitors and non-chairs; reviewer pages refuse people
/// outside the pool.
#[tokio::test]
async fn every_assignment_route_checks_who_may_reach_it() {
    let mut w = workshop().await;
    let run = w.run("total").await;
    let outsider = TestUser::new("Olga Outsider");
    w.app.client = client();
    w.app.register_and_sign_in(&outsider).await;
    let gets = [
        "/chair/assignment",
        "/chair/assignment.csv",
        "/chair/reviewers",
        "/chair/conflicts",
    ];
    let pair: &[(&str, &str)] = &[("run", &run), ("number", "1"), ("email", PEOPLE[1].1)];
    let posts: [(&str, &[(&str, &str)]); 11] = [
        (
            "/chair/assignment/run",
            &[
                ("objective", "total"),
                ("reviews_per_paper", "2"),
                ("reviews_per_published_paper", "1"),
                ("min_load", "1"),
                ("max_load", "3"),
            ],
        ),
        ("/chair/assignment/add", pair),
        ("/chair/assignment/remove", pair),
        ("/chair/assignment/commit", &[("run", &run)]),
        ("/chair/assignment/discard", &[("run", &run)]),
        ("/chair/assignment/cancel", &[("job", "any")]),
        ("/chair/assignment/import", &[]),
        ("/chair/reviewers", &[("name", "X"), ("email", "x@y.org")]),
        (
            "/chair/reviewers/update",
            &[("email", PEOPLE[1].1), ("action", "drop")],
        ),
        (
            "/chair/conflicts",
            &[("number", "1"), ("email", PEOPLE[1].1), ("reason", "r")],
        ),
        (
            "/chair/conflicts/remove",
            &[("number", "1"), ("email", PEOPLE[1].1)],
        ),
    ];
    for path in gets {
        assert_eq!(w.app.get(path).await.status(), 403, "outsider GET {path}");
    }
    for (path, fields) in posts {
        assert_eq!(
            w.app.post_form("/submissions", path, fields).await.status(),
            403,
            "outsider POST {path}"
        );
    }
    for path in ["/reviews", "/bids", "/reviewer/profile"] {
        let r = w.app.get(path).await;
        assert_eq!(r.status(), 403, "outsider GET {path}");
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("This page is for reviewers")
        );
    }
    assert_eq!(
        w.app
            .post_form("/submissions", "/bids", &[("bid_1", "eager")])
            .await
            .status(),
        403
    );
    assert_eq!(
        w.app
            .post_form("/submissions", "/reviewer/profile", &[("keywords", "x")])
            .await
            .status(),
        403
    );
    assert_eq!(w.app.get("/reviews/1").await.status(), 404);
    assert_eq!(
        w.app
            .post_form("/submissions", "/reviews/1/conflict", &[("reason", "x")])
            .await
            .status(),
        404
    );

    // An author in the pool is still not a chair.
    let amara = w.authors[0].clone();
    w.sign_in_as(&amara).await;
    for path in gets {
        assert_eq!(w.app.get(path).await.status(), 403, "reviewer GET {path}");
    }
    for (path, fields) in posts {
        assert_eq!(
            w.app.post_form("/reviews", path, fields).await.status(),
            403,
            "reviewer POST {path}"
        );
    }

    w.app.client = client();
    for path in gets
        .iter()
        .chain(&["/reviews", "/bids", "/reviewer/profile", "/reviews/1"])
    {
        let r = w.app.get(path).await;
        assert_eq!(r.status(), 303, "anonymous GET {path}");
        assert_eq!(
            r.headers()["location"],
            crate::helpers::signin_for(path).as_str()
        );
    }
    for (path, fields) in posts {
        let r = w.app.post_form("/signin", path, fields).await;
        assert_eq!(r.status(), 303, "anonymous POST {path}");
    }
    w.as_chair().await;
    assert_eq!(
        w.preview_id().await.as_deref(),
        Some(run.as_str()),
        "nothing changed"
    );
    assert!(w.committed().await.is_empty());
}

#[tokio::test]
async fn a_large_conference_computes_its_preview_in_the_background_and_shows_it_when_done() {
    // Every conference counts as large here, so the five papers run in the background.
    let w = workshop_with(|c| c.assignment.background_from_papers = 1).await;
    let r = w
        .app
        .post_form(
            "/chair/assignment",
            "/chair/assignment/run",
            &[
                ("objective", "total"),
                ("reviews_per_paper", "2"),
                ("reviews_per_published_paper", "1"),
                ("min_load", "1"),
                ("max_load", "3"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let mut seen_notice = false;
    // Up to 30 s: the suite runs tests side by side on two busy cores.
    for _ in 0..600 {
        let html = w.app.get_text("/chair/assignment").await;
        seen_notice |= html.contains("in the background") || html.contains("The engine proposed");
        // The preview is stored a moment before the job counts as finished.
        if html.contains("name=\"run\" value=\"") && !html.contains("Computing a preview") {
            assert!(seen_notice, "the page said what happens: {html}");
            let run = w.preview_id().await.expect("the stored preview");
            w.commit(&run).await;
            assert_eq!(w.committed().await.len(), 10, "5 papers × 2 reviews");
            return;
        }
        assert!(
            html.contains("Computing a preview"),
            "progress while running: {html}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the background run never stored its preview");
}

#[tokio::test]
async fn cancelling_a_finished_or_unknown_computation_changes_nothing() {
    let w = workshop_with(|c| c.assignment.background_from_papers = 1).await;
    let r = w
        .app
        .post_form(
            "/chair/assignment",
            "/chair/assignment/cancel",
            &[("job", "no-such-job")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let html = w.app.get_text("/chair/assignment").await;
    assert!(
        html.contains("had already finished or was cancelled"),
        "{html}"
    );
    assert!(w.preview_id().await.is_none());
}
