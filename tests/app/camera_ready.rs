//! Camera-ready versions through the site: the upload with its final-mode format check, the
//! presenter and ticket holder, the deadline and a chair's unlock, the paper page, who may
//! reach the pages, and the automatic reminders.

use cfp::db::{decisions, submissions, users};
use cfp::domain::account::Email;
use cfp::domain::decision::Decision;
use chrono::{Duration, TimeZone, Utc};

use crate::assignment::{COAUTHORS, PEOPLE, Workshop, workshop};
use crate::helpers::{TestApp, TestPaper, test_pdf};

/// Decisions are released on Mon 18 Oct 2027 (the conference is in Los Angeles).
pub fn release_time() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 10, 18, 17, 0, 0).unwrap()
}

/// Camera-ready versions are due Mon 15 Nov 2027, 23:59:59 PST.
fn due() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 11, 16, 7, 59, 59).unwrap()
}

/// Sets decisions directly (the chair's decision pages are built elsewhere); with `release`,
/// also tells the authors, as the release does. Moves the clock to the release time.
pub fn decide(w: &Workshop, decided: &[(i32, Decision)], release: bool) {
    let mut c = w.app.pool.get().unwrap();
    let email = Email::parse(&w.chair.email).unwrap();
    let chair = users::find_by_email(&mut c, &email)
        .unwrap()
        .unwrap()
        .user_id();
    let now = release_time();
    w.app.clock.set(now);
    for (n, d) in decided {
        let id = submissions::find_by_number(&mut c, *n).unwrap().unwrap().id;
        decisions::set(&mut c, &id, Some(*d), &chair, now).unwrap();
        if release {
            decisions::mark_released(&mut c, &id, now).unwrap();
        }
    }
    if release {
        decisions::record_release(&mut c, &chair, now).unwrap();
    }
}

/// Posts the camera-ready form of paper `n`, with `pdf` if given.
pub async fn post_camera_ready(
    app: &TestApp,
    n: i32,
    pdf: Option<TestPaper>,
    presenter: &str,
    ticket: &str,
) -> reqwest::Response {
    let csrf = app.csrf("/submissions").await;
    let mut form = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .text("presenter", presenter.to_string())
        .text("ticket", ticket.to_string());
    if let Some(paper) = pdf {
        let part = reqwest::multipart::Part::bytes(test_pdf(paper))
            .file_name("camera-ready.pdf")
            .mime_str("application/pdf")
            .unwrap();
        form = form.part("paper", part);
    }
    app.client
        .post(app.url(&format!("/submissions/{n}/camera-ready")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// Paper 1 (Amara Okafor with Folake Adeyemi) accepted for a talk and released; Amara is
/// signed in.
async fn accepted_talk() -> Workshop {
    let mut w = workshop().await;
    decide(&w, &[(1, Decision::Talk)], true);
    let amara = w.authors[0].clone();
    w.sign_in_as(&amara).await;
    w
}

#[tokio::test]
async fn authors_upload_the_camera_ready_version_and_name_presenter_and_ticket_holder() {
    let mut w = accepted_talk().await;
    let page = w.app.get_text("/submissions/1").await;
    assert!(
        page.contains("Accepted as a contributed talk (15 min) and poster"),
        "{page}"
    );
    assert!(page.contains("No camera-ready version yet"));
    assert!(page.contains("href=\"/submissions/1/camera-ready\""));
    let form = w.app.get_text("/submissions/1/camera-ready").await;
    assert!(form.contains("Mon 15 Nov 2027, 23:59 PST"), "{form}");
    assert!(form.contains("at most 5 pages of main content"));
    // The final version names its authors: no anonymity rule here.
    let r = post_camera_ready(&w.app, 1, Some(TestPaper::NamedAuthors), "1", "0").await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let page = w.app.get_text("/submissions/1").await;
    assert!(page.contains("Current camera-ready version"), "{page}");
    assert!(page.contains(&format!(
        "Presenting author: <strong>{}</strong>",
        COAUTHORS[0].0
    )));
    assert!(page.contains(&format!(
        "Conference ticket: <strong>{}</strong>",
        PEOPLE[0].0
    )));

    w.as_chair().await;
    let chair_view = w.app.get_text("/submissions/1").await;
    assert!(chair_view.contains("Current camera-ready version"));
    assert!(chair_view.contains(&format!(
        "Presenting author: <strong>{}</strong>",
        COAUTHORS[0].0
    )));
    assert!(
        chair_view.contains("Camera-ready version uploaded"),
        "audit entry"
    );
    let link = chair_view
        .split("Current camera-ready version: <a href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let pdf = w.app.get(&link).await.bytes().await.unwrap();
    assert_eq!(pdf.as_ref(), test_pdf(TestPaper::NamedAuthors).as_slice());
}

#[tokio::test]
async fn presenter_and_ticket_change_without_a_new_pdf_and_a_first_save_needs_one() {
    let w = accepted_talk().await;
    let r = post_camera_ready(&w.app, 1, None, "0", "none").await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Choose the PDF of your camera-ready version")
    );
    let r = post_camera_ready(&w.app, 1, Some(TestPaper::Compliant(2)), "0", "none").await;
    assert_eq!(r.status(), 303);
    let stored = w.app.stored_files();
    w.app.clock.advance(Duration::minutes(1));
    let r = post_camera_ready(&w.app, 1, None, "1", "1").await;
    assert_eq!(r.status(), 303);
    assert_eq!(w.app.stored_files(), stored);
    let page = w.app.get_text("/submissions/1").await;
    assert!(page.contains(&format!(
        "Conference ticket: <strong>{}</strong>",
        COAUTHORS[0].0
    )));
    for (presenter, ticket, field) in [("2", "none", "presenter"), ("0", "9", "ticket")] {
        let r = post_camera_ready(&w.app, 1, None, presenter, ticket).await;
        assert_eq!(r.status(), 422, "{field}");
        let text = r.text().await.unwrap();
        assert!(text.contains("Nothing was saved"), "{field}: {text}");
    }
}

#[tokio::test]
async fn a_file_that_is_not_a_pdf_or_too_long_is_refused_and_nothing_is_stored() {
    let w = accepted_talk().await;
    let before = w.app.stored_files();
    let r = post_camera_ready(&w.app, 1, Some(TestPaper::PngNotPdf), "0", "none").await;
    assert_eq!(r.status(), 422);
    let text = r.text().await.unwrap();
    assert!(
        text.contains("this file is a PNG image, not a PDF"),
        "{text}"
    );
    assert!(text.contains("Nothing was saved"));
    w.app.change_settings(|s| s.camera_ready_page_limit = 4);
    let r = post_camera_ready(&w.app, 1, Some(TestPaper::OverPageLimit), "0", "none").await;
    assert_eq!(r.status(), 422);
    let text = r.text().await.unwrap();
    assert!(text.contains("Page limit"), "{text}");
    assert_eq!(w.app.stored_files(), before);
    assert!(
        w.app
            .get_text("/submissions/1")
            .await
            .contains("No camera-ready version yet")
    );
    // The default allows one page more than the submission.
    w.app.change_settings(|s| s.camera_ready_page_limit = 5);
    let r = post_camera_ready(&w.app, 1, Some(TestPaper::OverPageLimit), "0", "none").await;
    assert_eq!(r.status(), 303);
}

#[tokio::test]
async fn the_deadline_closes_the_camera_ready_step_and_a_chair_unlock_reopens_it() {
    let mut w = accepted_talk().await;
    w.app.clock.set(due());
    assert_eq!(w.app.get("/submissions/1/camera-ready").await.status(), 200);
    w.app.clock.set(due() + Duration::seconds(1));
    let r = w.app.get("/submissions/1/camera-ready").await;
    assert_eq!(r.status(), 403);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("The camera-ready deadline has passed")
    );
    let r = post_camera_ready(&w.app, 1, Some(TestPaper::Compliant(2)), "0", "none").await;
    assert_eq!(r.status(), 403);
    assert!(
        w.app
            .get_text("/submissions/1")
            .await
            .contains("deadline has passed")
    );

    w.as_chair().await;
    let r = w
        .app
        .post_form(
            "/submissions/1",
            "/chair/submissions/1/unlock",
            &[("minutes", "60")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let amara = w.authors[0].clone();
    w.sign_in_as(&amara).await;
    let r = post_camera_ready(&w.app, 1, Some(TestPaper::Compliant(2)), "0", "none").await;
    assert_eq!(r.status(), 303);
    w.app.clock.advance(Duration::minutes(61));
    assert_eq!(w.app.get("/submissions/1/camera-ready").await.status(), 403);
}

#[tokio::test]
async fn only_authors_of_papers_accepted_and_released_reach_the_camera_ready_pages() {
    let mut w = workshop().await;
    decide(&w, &[(1, Decision::Poster), (3, Decision::Reject)], true);
    decide(&w, &[(4, Decision::Talk)], false);
    let path = "/submissions/1/camera-ready";
    w.app.client = crate::helpers::client();
    let r = w.app.get(path).await;
    assert_eq!(
        (
            r.status().as_u16(),
            r.headers()["location"].to_str().unwrap()
        ),
        (303, crate::helpers::signin_for(path).as_str())
    );
    let r = w.app.client.post(w.app.url(path)).send().await.unwrap();
    assert_eq!(r.status(), 303, "anonymous POST");

    let bruno = w.authors[1].clone();
    w.sign_in_as(&bruno).await;
    assert_eq!(
        w.app.get(path).await.status(),
        404,
        "another paper's author"
    );
    let r = post_camera_ready(&w.app, 1, Some(TestPaper::Compliant(2)), "0", "none").await;
    assert_eq!(r.status(), 404);
    let r = w.app.get("/submissions/2/camera-ready").await;
    assert_eq!(r.status(), 403, "no decision on #2");

    let chen = w.authors[2].clone();
    w.sign_in_as(&chen).await;
    let r = w.app.get("/submissions/3/camera-ready").await;
    assert_eq!(r.status(), 403, "rejected");
    assert!(
        !w.app
            .get_text("/submissions/3")
            .await
            .contains("Camera-ready")
    );

    let dalia = w.authors[3].clone();
    w.sign_in_as(&dalia).await;
    assert_eq!(
        w.app.get("/submissions/4/camera-ready").await.status(),
        403,
        "not released"
    );
    let page = w.app.get_text("/submissions/4").await;
    assert!(
        !page.contains("Camera-ready") && !page.contains("contributed talk"),
        "{page}"
    );

    w.as_chair().await;
    let r = w.app.get(path).await;
    assert_eq!(r.status(), 403, "chairs see, authors upload");
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("upload its camera-ready version")
    );
    let r = post_camera_ready(&w.app, 1, Some(TestPaper::Compliant(2)), "0", "none").await;
    assert_eq!(r.status(), 403);
    assert!(
        w.app
            .get_text("/submissions/1")
            .await
            .contains("No camera-ready version yet")
    );

    let amara = w.authors[0].clone();
    w.sign_in_as(&amara).await;
    assert_eq!(w.app.get(path).await.status(), 200);
}

#[tokio::test]
async fn reminders_go_to_every_author_of_accepted_papers_without_a_version_once_each_day() {
    let w = accepted_talk().await;
    decide(
        &w,
        &[
            (1, Decision::Talk),
            (2, Decision::Poster),
            (3, Decision::Reject),
        ],
        true,
    );
    let r = post_camera_ready(&w.app, 1, Some(TestPaper::Compliant(2)), "0", "none").await;
    assert_eq!(r.status(), 303);
    let base = w.app.address.clone();
    let sweep = |at: chrono::DateTime<Utc>| {
        let pool = w.app.pool.clone();
        let base = base.clone();
        w.app.clock.set(at);
        async move {
            cfp::jobs::camera_ready_reminders::sweep(&pool, at, &base)
                .await
                .unwrap()
        }
    };
    assert_eq!(sweep(due() - Duration::days(8)).await, 0, "too early");
    assert_eq!(
        sweep(due() - Duration::days(7) + Duration::hours(1)).await,
        2
    );
    assert_eq!(
        sweep(due() - Duration::days(6)).await,
        0,
        "each reminder once"
    );
    assert_eq!(
        sweep(due() - Duration::hours(20)).await,
        2,
        "the 1-day reminder"
    );
    assert_eq!(
        sweep(due() + Duration::hours(1)).await,
        0,
        "none after the deadline"
    );
    for email in [PEOPLE[1].1, COAUTHORS[1].1] {
        let reminders: Vec<_> = w
            .app
            .mails_to(email)
            .await
            .into_iter()
            .filter(|m| m.subject.contains("Camera-ready reminder"))
            .collect();
        assert_eq!(reminders.len(), 2, "{email}");
        assert!(reminders[0].subject.contains("#2"));
        assert!(
            reminders[0].body.contains("Mon 15 Nov 2027, 23:59 PST"),
            "{}",
            reminders[0].body
        );
        assert!(reminders[0].body.contains("/submissions/2/camera-ready"));
    }
    for email in [PEOPLE[0].1, COAUTHORS[0].1, PEOPLE[2].1, PEOPLE[3].1] {
        let mails = w.app.mails_to(email).await;
        assert!(
            mails.iter().all(|m| !m.subject.contains("Camera-ready")),
            "{email} has a camera-ready version or no acceptance"
        );
    }
}
