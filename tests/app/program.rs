//! The public "Accepted papers" and "Program" pages with their exports, and the chairs'
//! program editor: what is public before and after the release, caching, the line format's
//! errors, optimistic locking, and who may reach each route.

use cfp::domain::decision::Decision;

use crate::assignment::{COAUTHORS, PEOPLE, Workshop, workshop};
use crate::camera_ready::{decide, post_camera_ready};
use crate::helpers::{TestPaper, client, test_pdf};

const PUBLIC: [&str; 7] = [
    "/accepted",
    "/accepted.json",
    "/accepted.csv",
    "/program",
    "/program.json",
    "/program.ics",
    "/accepted/1.pdf",
];

/// #1 talk, #2 spotlight, #3 poster, #4 rejected, all released; #5 decided (talk) but not
/// released. The chair is signed in.
async fn decided() -> Workshop {
    let w = workshop().await;
    let released = [
        (1, Decision::Talk),
        (2, Decision::Spotlight),
        (3, Decision::Poster),
        (4, Decision::Reject),
    ];
    decide(&w, &released, true);
    decide(&w, &[(5, Decision::Talk)], false);
    w
}

fn title(n: usize) -> &'static str {
    PEOPLE[n - 1].3
}

async fn save_program(w: &Workshop, text: &str) -> reqwest::Response {
    let page = w.app.get_text("/chair/program").await;
    let version = page
        .split("name=\"version\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_string();
    w.app
        .post_form(
            "/chair/program",
            "/chair/program",
            &[("text", text), ("version", &version)],
        )
        .await
}

const DAY: &str = "09:00
15 | opening | Welcome to DLDE
45 | invited | Learning dynamics from data | Ada Lovelace
15 | talk | | | #1
5 | spotlights | | | #2
60 | posters | Posters and coffee | | #1 #2 #3
15 | closing
";

#[tokio::test]
async fn public_pages_show_nothing_of_the_decisions_before_the_release() {
    let w = workshop().await;
    decide(&w, &[(1, Decision::Talk), (2, Decision::Poster)], false);
    let early = "09:00\n15 | opening | Welcome to DLDE\n";
    assert_eq!(
        save_program(&w, early).await.status(),
        303,
        "the chair may prepare it"
    );
    let anonymous = client();
    for path in PUBLIC {
        let r = anonymous.get(w.app.url(path)).send().await.unwrap();
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        assert!(
            !text.contains(title(1)) && !text.contains(PEOPLE[0].0),
            "{path}: {text}"
        );
        assert!(!text.contains("Welcome to DLDE"), "{path}: {text}");
        assert_eq!(
            status,
            if path.ends_with(".pdf") { 404 } else { 200 },
            "{path}"
        );
    }
    let page = w.app.get_text("/accepted").await;
    assert!(
        page.contains("appears here when decisions are released on Sun 17 Oct 2027, 12:00 PDT"),
        "{page}"
    );
    let json: serde_json::Value = w.app.get("/accepted.json").await.json().await.unwrap();
    assert_eq!(json["released"], false);
    assert_eq!(json["papers"].as_array().unwrap().len(), 0);
    assert!(
        w.app
            .get_text("/program")
            .await
            .contains("appears here after decisions are released")
    );
    assert!(
        !w.app
            .get_text("/program.ics")
            .await
            .contains("BEGIN:VEVENT")
    );
}

#[tokio::test]
async fn accepted_papers_are_listed_by_their_released_decision_cacheably() {
    let mut w = decided().await;
    // A change after the release is not public until the next release.
    decide(&w, &[(3, Decision::Reject)], false);
    let amara = w.authors[0].clone();
    w.sign_in_as(&amara).await;
    let anonymous = crate::helpers::client()
        .get(w.app.url("/accepted"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.headers()["cache-control"], "public, max-age=300");
    assert!(anonymous.headers().get("set-cookie").is_none());
    let anonymous_page = anonymous.text().await.unwrap();
    // Signed in: the same list with the visitor's own navigation, never kept by shared caches.
    let r = w.app.get("/accepted").await;
    assert_eq!(r.headers()["cache-control"], "private, no-store");
    assert_eq!(r.headers()["vary"], "Cookie");
    let page = r.text().await.unwrap();
    for n in [1, 2, 3] {
        assert!(page.contains(&format!("#{n} {}", title(n))), "#{n}: {page}");
    }
    assert!(!page.contains(title(4)) && !page.contains(title(5)));
    assert!(page.contains(&format!("{} ({})", COAUTHORS[0].0, COAUTHORS[0].2)));
    assert!(page.contains("contributed talk (15 min) and poster"));
    assert!(page.contains("spotlight (5 min) and poster") && page.contains("Non-archival"));
    assert!(page.contains("Sign out"), "the signed-in navigation");
    let shared = anonymous_page.as_str();
    assert!(
        !shared.contains("Sign out") && !shared.contains("name=\"csrf\""),
        "no per-user data in the shared page"
    );

    let json: serde_json::Value = w.app.get("/accepted.json").await.json().await.unwrap();
    let numbers: Vec<i64> = json["papers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [1, 2, 3]);
    assert_eq!(json["papers"][0]["presentation"], "talk");
    assert_eq!(json["papers"][0]["archival"], false);
    assert_eq!(
        json["papers"][1]["authors"][1]["affiliation"],
        COAUTHORS[1].2
    );
    let csv = w.app.get("/accepted.csv").await;
    assert_eq!(csv.headers()["cache-control"], "public, max-age=300");
    let csv = csv.text().await.unwrap();
    assert!(
        csv.starts_with("number,title,authors,affiliations,presentation,camera_ready_pdf,archival")
    );
    assert_eq!(csv.lines().count(), 4, "{csv}");
}

#[tokio::test]
async fn only_the_camera_ready_pdf_of_an_accepted_released_paper_is_public() {
    let mut w = decided().await;
    for n in 1..=5 {
        let r = w.app.get(&format!("/accepted/{n}.pdf")).await;
        assert_eq!(r.status(), 404, "#{n}: never the submission PDF");
    }
    let amara = w.authors[0].clone();
    w.sign_in_as(&amara).await;
    let r = post_camera_ready(&w.app, 1, Some(TestPaper::NamedAuthors), "0", "0").await;
    assert_eq!(r.status(), 303);
    w.app.client = client();
    let r = w.app.get("/accepted/1.pdf").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(r.headers()["cache-control"], "public, max-age=300");
    let bytes = r.bytes().await.unwrap();
    assert_eq!(bytes.as_ref(), test_pdf(TestPaper::NamedAuthors).as_slice());
    assert!(
        w.app
            .get_text("/accepted")
            .await
            .contains("href=\"/accepted/1.pdf\"")
    );
    let json: serde_json::Value = w.app.get("/accepted.json").await.json().await.unwrap();
    assert!(
        json["papers"][0]["camera_ready_pdf"]
            .as_str()
            .unwrap()
            .ends_with("/accepted/1.pdf")
    );
    assert!(json["papers"][1]["camera_ready_pdf"].is_null());
    // Rejected at the next release: the camera-ready version is no longer public.
    decide(&w, &[(1, Decision::Reject)], true);
    assert_eq!(w.app.get("/accepted/1.pdf").await.status(), 404);
    assert_eq!(w.app.get("/accepted/x.pdf").await.status(), 404);
}

#[tokio::test]
async fn the_chair_writes_the_program_in_lines_and_everyone_sees_it() {
    let w = decided().await;
    let editor = w.app.get_text("/chair/program").await;
    assert!(editor.contains("Nothing is saved yet"), "{editor}");
    assert!(
        editor.contains("08:45\n15 | opening | Opening remarks\n"),
        "{editor}"
    );
    let talk = format!(
        "15 | talk | Contributed talk: {} | {} | #1\n",
        title(1),
        PEOPLE[0].0
    );
    assert!(editor.contains(&talk), "{editor}");
    assert!(
        editor.contains("| #1 #2 ") || editor.contains("| #1 #2\n"),
        "posters: {editor}"
    );
    assert!(!editor.contains("#5"), "not released");
    assert!(w.app.get_text("/program").await.contains("being prepared"));

    assert_eq!(save_program(&w, DAY).await.status(), 303);
    let r = crate::helpers::client()
        .get(w.app.url("/program"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["cache-control"], "public, max-age=300");
    let page = r.text().await.unwrap();
    assert!(page.contains("Tuesday 14 December 2027") && page.contains("America/Los_Angeles"));
    assert!(page.contains("09:00") && page.contains("Welcome to DLDE"));
    assert!(
        page.contains("Learning dynamics from data</strong> — Ada Lovelace"),
        "{page}"
    );
    assert!(page.contains(&format!("Contributed talk</strong> — {}", PEOPLE[0].0)));
    assert!(page.contains(&format!("#3 {}", title(3))));
    assert!(page.contains("id=\"item-2\""));

    let ics = w.app.get("/program.ics").await;
    assert_eq!(
        ics.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    assert!(
        ics.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("program.ics")
    );
    let ics = ics.text().await.unwrap();
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 6);
    assert!(ics.contains("DTSTART:20271214T170000Z"), "{ics}");
    let json: serde_json::Value = w.app.get("/program.json").await.json().await.unwrap();
    assert_eq!(json["published"], true);
    assert_eq!(json["date"], "2027-12-14");
    assert_eq!(json["items"][2]["kind"], "contributed_talk");
    assert_eq!(json["items"][2]["papers"][0]["number"], 1);
    assert_eq!(json["items"][4]["local_end"], "11:20");

    let csv = w.app.get("/chair/program.csv").await;
    assert_eq!(csv.headers()["cache-control"], "private, no-store");
    let csv = csv.text().await.unwrap();
    assert!(
        csv.contains("5,10:20,11:20,60,posters,Posters and coffee,,#3,"),
        "{csv}"
    );
    let mut c = w.app.pool.get().unwrap();
    let audit = cfp::db::audit::recent(&mut c, 5).unwrap();
    assert!(audit.iter().any(|a| a.action == "program.save"));
}

#[tokio::test]
async fn bad_lines_are_refused_by_number_and_a_stale_save_shows_the_newer_program() {
    let w = decided().await;
    let cases = [
        (
            "09:00\n15 | opening\n30 | keynote | X\n",
            "Line 3: unknown kind “keynote”",
        ),
        (
            "09:00\n15 | talk | | | #4\n",
            "Line 2: paper #4 is not an accepted paper",
        ),
        (
            "09:00\n15 | talk | | | #5\n",
            "Line 2: paper #5 is not an accepted paper",
        ),
        (
            "09:00\n\n5 | spotlights | | | #1 #2\n",
            "Line 3: item 1 “Spotlight presentations” lasts 5 min but its 2 spotlights need 10",
        ),
        (
            "15 | opening\n",
            "Line 1: the first line must be the time the day starts",
        ),
    ];
    for (text, message) in cases {
        let r = save_program(&w, text).await;
        assert_eq!(r.status(), 422, "{text}");
        let page = r.text().await.unwrap();
        assert!(page.contains(message), "{message}: {page}");
        assert!(page.contains("Nothing was saved"));
    }
    assert!(
        w.app
            .get_text("/chair/program")
            .await
            .contains("Nothing is saved yet")
    );

    assert_eq!(save_program(&w, DAY).await.status(), 303);
    let stale = w
        .app
        .post_form(
            "/chair/program",
            "/chair/program",
            &[
                ("text", "10:00\n30 | panel | Late panel\n"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(stale.status(), 409);
    let page = stale.text().await.unwrap();
    assert!(page.contains("Another chair changed the program"), "{page}");
    assert!(
        page.contains("15 | opening | Welcome to DLDE"),
        "the newer text"
    );
    assert!(page.contains("Your text (not saved)") && page.contains("Late panel"));
    assert!(w.app.get_text("/program").await.contains("Welcome to DLDE"));

    let version = "1";
    let r = w
        .app
        .post_form(
            "/chair/program",
            "/chair/program/reset",
            &[("version", version)],
        )
        .await;
    assert_eq!(r.status(), 303);
    let program = w.app.get_text("/program").await;
    assert!(program.contains("Opening remarks") && !program.contains("Welcome to DLDE"));
    let r = w
        .app
        .post_form(
            "/chair/program",
            "/chair/program/reset",
            &[("version", version)],
        )
        .await;
    assert_eq!(r.status(), 409, "a stale reset");
}

#[tokio::test]
async fn only_chairs_reach_the_program_editor_and_everyone_the_public_pages() {
    let mut w = decided().await;
    let gets = ["/chair/program", "/chair/program.csv"];
    let posts: [(&str, Vec<(&str, &str)>); 2] = [
        ("/chair/program", vec![("text", DAY), ("version", "0")]),
        ("/chair/program/reset", vec![("version", "0")]),
    ];
    let amara = w.authors[0].clone();
    w.sign_in_as(&amara).await;
    for path in gets {
        assert_eq!(w.app.get(path).await.status(), 403, "author GET {path}");
    }
    for (path, fields) in &posts {
        let r = w.app.post_form("/submissions", path, fields).await;
        assert_eq!(r.status(), 403, "author POST {path}");
    }
    w.app.client = client();
    for path in gets {
        let r = w.app.get(path).await;
        assert_eq!(r.status(), 303, "anonymous GET {path}");
        assert_eq!(
            r.headers()["location"],
            crate::helpers::signin_for(path).as_str()
        );
    }
    for (path, fields) in &posts {
        let r = w.app.post_form("/signin", path, fields).await;
        assert_eq!(r.status(), 303, "anonymous POST {path}");
        assert_eq!(r.headers()["location"], "/signin");
    }
    for path in PUBLIC.iter().filter(|p| !p.ends_with(".pdf")) {
        let r = w.app.get(path).await;
        assert_eq!(r.status(), 200, "anonymous GET {path}");
        assert_eq!(
            r.headers()["cache-control"],
            "public, max-age=300",
            "{path}"
        );
    }
    let home = w.app.get_text("/").await;
    assert!(
        home.contains("<a href=\"/accepted\">Accepted papers</a><a href=\"/program\">Program</a>")
    );
    w.as_chair().await;
    assert_eq!(w.app.get("/chair/program").await.status(), 200);
    assert_eq!(w.app.get("/chair/program.csv").await.status(), 200);
}
