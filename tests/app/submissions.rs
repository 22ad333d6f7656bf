use chrono::{DateTime, Duration, Utc};

use crate::helpers::{
    SubmissionBuilder, TestPaper, TestUser, client, pages_in, spawn_app, spawn_app_with, test_pdf,
};

fn closes_at() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2027-09-18T06:59:59Z")
        .unwrap()
        .with_timezone(&Utc)
}

#[tokio::test]
async fn an_author_submits_a_paper_and_sees_its_format_report_at_once() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    let response = app.submit(&SubmissionBuilder::paper_by(&ada)).await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    assert_eq!(response.headers()["location"], "/submissions/1");
    let page = app.get_text("/submissions/1").await;
    assert!(page.contains("#1 Stable neural ODEs for stiff chemical kinetics"));
    assert!(
        page.contains("Format check: <span class=\"verdict pass\">passed</span>"),
        "{page}"
    );
    let pages = pages_in(&test_pdf(TestPaper::Compliant(2)));
    assert!(page.contains(&format!("{pages} pages in all, 2 of main content")));
    assert!(
        app.get_text("/submissions")
            .await
            .contains("Stable neural ODEs")
    );
}

#[tokio::test]
async fn every_listed_author_gets_a_receipt() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    app.submit(&SubmissionBuilder::paper_by(&ada)).await;
    for email in [ada.email.as_str(), "gracekim@stanford.edu"] {
        let mail = app.mail_to_with_subject(email, "received").await;
        assert_eq!(mail.subject, "[DLDE] Submission #1 received");
        assert!(
            mail.body
                .contains("Stable neural ODEs for stiff chemical kinetics")
        );
        assert!(mail.body.contains("/submissions/1"));
    }
}

#[tokio::test]
async fn a_png_renamed_to_pdf_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    let response = app
        .submit(&SubmissionBuilder::paper_by(&ada).pdf(TestPaper::PngNotPdf))
        .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("this file is a PNG image, not a PDF"),
        "{html}"
    );
    assert!(
        html.contains("value=\"Stable neural ODEs for stiff chemical kinetics\""),
        "values are kept"
    );
    assert_eq!(app.get("/submissions/1").await.status(), 404);
    assert_eq!(app.stored_files(), 0);
}

#[tokio::test]
async fn a_pdf_over_the_page_limit_is_refused_with_the_report() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    let response = app
        .submit(&SubmissionBuilder::paper_by(&ada).pdf(TestPaper::OverPageLimit))
        .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("<strong>Page limit</strong> (must be fixed)"),
        "{html}"
    );
    assert!(html.contains("Nothing was saved"));
    assert_eq!(app.stored_files(), 0);
}

#[tokio::test]
async fn a_non_blocking_problem_is_stored_and_flagged() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    let response = app
        .submit(&SubmissionBuilder::paper_by(&ada).pdf(TestPaper::SmallFont))
        .await;
    assert_eq!(response.status(), 303);
    let page = app.get_text("/submissions/1").await;
    assert!(
        page.contains("<strong>Font size</strong> (should be fixed)"),
        "{page}"
    );
}

#[tokio::test]
async fn missing_fields_and_duplicate_author_emails_re_render_the_form() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    let mut s = SubmissionBuilder::paper_by(&ada).title("");
    s.authors[1].1 = ada.email.to_uppercase();
    let response = app.submit(&s).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("Title is required."));
    assert!(html.contains("ada.author@example.org is listed twice."));
    assert!(html.contains("Correct the fields above, then choose the PDF again."));
}

#[tokio::test]
async fn script_in_a_title_is_escaped_on_every_page() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    app.submit(&SubmissionBuilder::paper_by(&ada).title("<script>alert(1)</script> ODEs"))
        .await;
    for path in ["/submissions", "/submissions/1"] {
        let html = app.get_text(path).await;
        assert!(!html.contains("<script>alert(1)"), "{path}");
    }
}

#[tokio::test]
async fn a_double_submit_creates_one_submission() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    let s = SubmissionBuilder::paper_by(&ada);
    assert_eq!(app.submit(&s).await.headers()["location"], "/submissions/1");
    assert_eq!(app.submit(&s).await.headers()["location"], "/submissions/1");
    assert_eq!(app.get("/submissions/2").await.status(), 404);
}

#[tokio::test]
async fn submissions_are_accepted_until_the_last_second_and_refused_after() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    app.clock.set(closes_at());
    assert_eq!(
        app.submit(&SubmissionBuilder::paper_by(&ada))
            .await
            .status(),
        303
    );
    app.clock.set(closes_at() + Duration::seconds(1));
    let late = app.submit(&SubmissionBuilder::paper_by(&ada)).await;
    assert_eq!(late.status(), 403);
    let html = late.text().await.unwrap();
    assert!(
        html.contains("submissions closed on Fri 17 Sep 2027, 23:59 PDT"),
        "{html}"
    );
    assert!(html.contains("it is now Sat 18 Sep 2027, 00:00 PDT"));
    assert!(
        html.contains("<title>Not open at this time · DLDE</title>") && html.contains("Ada Author"),
        "error pages keep the site's layout: {html}"
    );
    let edit = app
        .edit(1, &SubmissionBuilder::paper_by(&ada).title("Too late"), 1)
        .await;
    assert_eq!(edit.status(), 403);
}

#[tokio::test]
async fn grace_minutes_extend_the_deadline_silently() {
    let app = spawn_app().await;
    let chair = app.sign_in_as_chair().await;
    app.change_settings(|s| s.grace_minutes = 10);
    app.clock.set(closes_at() + Duration::minutes(10));
    assert_eq!(
        app.submit(&SubmissionBuilder::paper_by(&chair))
            .await
            .status(),
        303
    );
    app.clock
        .set(closes_at() + Duration::minutes(10) + Duration::seconds(1));
    assert_eq!(
        app.submit(&SubmissionBuilder::paper_by(&chair))
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn a_co_author_who_registers_later_sees_and_edits_the_paper() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    app.submit(&SubmissionBuilder::paper_by(&ada)).await;
    app.sign_out().await;
    let grace = TestUser {
        name: "Grace Kim".into(),
        email: "GraceKim@Stanford.edu".into(),
        ..TestUser::author()
    };
    app.register_and_sign_in(&grace).await;
    assert!(
        app.get_text("/submissions")
            .await
            .contains("Stable neural ODEs")
    );
    let edited = SubmissionBuilder::paper_by(&ada)
        .title("Stable neural ODEs, revised")
        .no_pdf();
    assert_eq!(app.edit(1, &edited, 1).await.status(), 303);
    assert!(
        app.get_text("/submissions/1")
            .await
            .contains("Stable neural ODEs, revised")
    );
    let mail = app.mail_to_with_subject(&ada.email, "updated").await;
    assert_eq!(mail.subject, "[DLDE] Submission #1 updated");
    assert!(mail.body.contains("title"));
}

#[tokio::test]
async fn a_stale_edit_is_refused_and_shows_what_changed() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    app.submit(&SubmissionBuilder::paper_by(&ada)).await;
    let first = SubmissionBuilder::paper_by(&ada)
        .title("First co-author's title")
        .no_pdf();
    let second = SubmissionBuilder::paper_by(&ada)
        .title("Second co-author's title")
        .no_pdf();
    assert_eq!(app.edit(1, &first, 1).await.status(), 303);
    let stale = app.edit(1, &second, 1).await;
    assert_eq!(stale.status(), 409);
    let html = stale.text().await.unwrap();
    assert!(html.contains("Someone else saved this submission after you opened it"));
    // The second co-author's typing stays in the form; the saved title is shown beside it.
    assert!(
        html.contains("value=\"Second co-author&#39;s title\"")
            || html.contains("value=\"Second co-author&#x27;s title\""),
        "{html}"
    );
    assert!(
        html.contains("<dd>First co-author&#39;s title</dd>")
            || html.contains("<dd>First co-author&#x27;s title</dd>"),
        "{html}"
    );
    assert!(html.contains("differs from the saved version in: title"));
}

#[tokio::test]
async fn replacing_the_pdf_keeps_every_version() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    app.submit(&SubmissionBuilder::paper_by(&ada)).await;
    app.clock.advance(Duration::minutes(1));
    assert_eq!(
        app.edit(
            1,
            &SubmissionBuilder::paper_by(&ada).pdf(TestPaper::Compliant(3)),
            1
        )
        .await
        .status(),
        303
    );
    let page = app.get_text("/submissions/1").await;
    assert_eq!(page.matches("PDF uploaded").count(), 2);
    let pages = pages_in(&test_pdf(TestPaper::Compliant(3)));
    assert!(
        page.contains(&format!("{pages} pages in all, 3 of main content")),
        "the current report is the new one"
    );
    // Both versions, and the reviewers' copy of each (made when the author's page showed what
    // reviewers receive).
    assert_eq!(app.stored_files(), 4);
}

#[tokio::test]
async fn removing_every_author_with_an_account_is_refused() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    app.submit(&SubmissionBuilder::paper_by(&ada)).await;
    let mut s = SubmissionBuilder::paper_by(&ada).no_pdf();
    s.authors.remove(0);
    let response = app.edit(1, &s, 1).await;
    assert_eq!(response.status(), 409);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("At least one listed author must have an account")
    );
}

#[tokio::test]
async fn a_withdrawn_paper_cannot_be_edited() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    app.submit(&SubmissionBuilder::paper_by(&ada)).await;
    assert_eq!(
        app.post_form(
            "/submissions/1",
            "/submissions/1/withdraw",
            &[("confirm", "withdraw")]
        )
        .await
        .status(),
        303
    );
    assert!(
        app.get_text("/submissions/1")
            .await
            .contains("status: <strong>withdrawn</strong>")
    );
    let edit = app.get("/submissions/1/edit").await;
    assert_eq!(edit.status(), 403);
    assert!(edit.text().await.unwrap().contains("withdrawn"));
    let mail = app
        .mail_to_with_subject("gracekim@stanford.edu", "withdrawn")
        .await;
    assert_eq!(mail.subject, "[DLDE] Submission #1 withdrawn");
}

#[tokio::test]
async fn strangers_get_nothing_of_a_submission() {
    let mut app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    app.submit(&SubmissionBuilder::paper_by(&ada)).await;
    let page = app.get_text("/submissions/1").await;
    let doc = page
        .split("/submissions/1/documents/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(
        app.get(&format!("/submissions/1/documents/{doc}"))
            .await
            .status(),
        200
    );

    app.client = client();
    let eve = &app;
    eve.register_and_sign_in(&TestUser::new("Eve Stranger"))
        .await;
    for path in [
        "/submissions/1".to_string(),
        "/submissions/1/edit".to_string(),
        format!("/submissions/1/documents/{doc}"),
    ] {
        let response = eve.get(&path).await;
        assert_eq!(response.status(), 404, "{path}");
        assert!(
            !response
                .text()
                .await
                .unwrap()
                .contains("Stable neural ODEs")
        );
    }
    assert!(
        !eve.get_text("/submissions")
            .await
            .contains("Stable neural ODEs")
    );
    assert_eq!(eve.get("/chair/submissions.csv").await.status(), 403);
    app.client = client();
    assert_eq!(app.get("/submissions/1").await.status(), 303);
}

#[tokio::test]
async fn downloads_are_named_by_number_never_by_title_or_author() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    app.submit(&SubmissionBuilder::paper_by(&ada)).await;
    let page = app.get_text("/submissions/1").await;
    let doc = page
        .split("/submissions/1/documents/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let response = app.get(&format!("/submissions/1/documents/{doc}")).await;
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(disposition.contains("submission-1-paper-"), "{disposition}");
    assert!(!disposition.contains("Ada") && !disposition.contains("Stable"));
    assert!(response.bytes().await.unwrap().starts_with(b"%PDF"));
}

#[tokio::test]
async fn an_upload_over_the_size_limit_is_refused_with_413() {
    let app = spawn_app_with(|c| c.uploads.max_pdf_bytes = 10_000).await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    let response = app.submit(&SubmissionBuilder::paper_by(&ada)).await;
    assert_eq!(response.status(), 413);
    assert_eq!(app.stored_files(), 0);
}

#[tokio::test]
async fn the_chair_lists_filters_and_exports_every_submission() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    app.submit(&SubmissionBuilder::paper_by(&ada).title("=HYPERLINK(\"http://evil\")"))
        .await;
    app.submit(
        &SubmissionBuilder::paper_by(&ada)
            .title("Second paper")
            .pdf(TestPaper::SmallFont),
    )
    .await;
    app.sign_out().await;
    app.sign_in_as_chair().await;
    let list = app.get_text("/chair/submissions").await;
    assert!(
        list.contains("Second paper") && list.contains("Ada Author*"),
        "{list}"
    );
    let problems = app.get_text("/chair/submissions?format=problems").await;
    assert!(problems.contains("Second paper") && !problems.contains("HYPERLINK"));
    let csv = app.get_text("/chair/submissions.csv").await;
    assert!(csv.starts_with("number,title,track,status,authors,main_author,pages,format_verdict,format_flags,submitted_at"));
    assert!(csv.contains("gracekim@stanford.edu"));
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(
        app.get_text("/submissions/1")
            .await
            .contains("Chair actions")
    );
}

#[tokio::test]
async fn a_chair_unlock_lets_authors_fix_a_paper_after_the_deadline() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    app.submit(&SubmissionBuilder::paper_by(&ada)).await;
    app.sign_out().await;
    app.clock.set(closes_at() + Duration::hours(1));
    app.sign_in_as_chair().await;
    assert_eq!(
        app.post_form(
            "/submissions/1",
            "/chair/submissions/1/unlock",
            &[("minutes", "30")]
        )
        .await
        .status(),
        303
    );
    assert!(
        app.get_text("/chair")
            .await
            .contains("Submission unlocked for late fixes")
    );
    app.sign_out().await;
    app.sign_in(&ada.email, &ada.password).await;
    assert_eq!(
        app.edit(
            1,
            &SubmissionBuilder::paper_by(&ada)
                .title("Fixed late")
                .no_pdf(),
            1
        )
        .await
        .status(),
        303
    );
    app.clock.advance(Duration::minutes(31));
    assert_eq!(
        app.edit(
            1,
            &SubmissionBuilder::paper_by(&ada).title("Too late").no_pdf(),
            2
        )
        .await
        .status(),
        403
    );
}

#[tokio::test]
async fn chairs_withdraw_and_reinstate_papers() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    app.submit(&SubmissionBuilder::paper_by(&ada)).await;
    app.sign_out().await;
    app.sign_in_as_chair().await;
    app.post_form(
        "/submissions/1",
        "/chair/submissions/1/status",
        &[("status", "withdrawn"), ("confirm", "yes")],
    )
    .await;
    assert!(
        app.get_text("/chair/submissions?status=withdrawn")
            .await
            .contains("#1")
    );
    app.post_form(
        "/submissions/1",
        "/chair/submissions/1/status",
        &[("status", "active")],
    )
    .await;
    assert!(
        app.get_text("/submissions/1")
            .await
            .contains("status: <strong>active</strong>")
    );
    let log = app.get_text("/chair").await;
    assert!(log.contains("Submission withdrawn") && log.contains("Submission reinstated"));
    let history = app.get_text("/submissions/1").await;
    assert!(
        history.contains("New submission") && history.contains("Submission reinstated"),
        "{history}"
    );
}

#[tokio::test]
async fn an_empty_file_is_refused_with_a_clear_message() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    let mut s = SubmissionBuilder::paper_by(&ada);
    s.pdf = Some(("empty.pdf".into(), Vec::new()));
    let html = app.submit(&s).await.text().await.unwrap();
    assert!(html.contains("the file is empty"), "{html}");
}

#[tokio::test]
async fn chairs_choose_which_format_problems_refuse_an_upload() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    let leaky = SubmissionBuilder {
        authors: vec![
            (ada.name.clone(), ada.email.clone(), ada.affiliation.clone()),
            (
                "Jürgen Schäfer".into(),
                "juergen.schaefer@tum.de".into(),
                "TUM".into(),
            ),
        ],
        ..SubmissionBuilder::paper_by(&ada)
    }
    .pdf(TestPaper::MetadataAuthor("Jürgen Schäfer".into()));
    assert_eq!(
        app.submit(&leaky).await.status(),
        303,
        "anonymity only flags by default"
    );
    app.change_settings(|s| s.format_blocking.push("anonymity".into()));
    let again = SubmissionBuilder {
        creation_key: "another-key-0123456789".into(),
        ..leaky
    };
    let response = app.submit(&again).await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("<strong>Anonymity</strong> (must be fixed)")
    );
}

#[tokio::test]
async fn simultaneous_submissions_get_distinct_numbers() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    let builders: Vec<SubmissionBuilder> = (0..6)
        .map(|i| SubmissionBuilder::paper_by(&ada).title(&format!("Paper {i}")))
        .collect();
    let responses = futures_util::future::join_all(builders.iter().map(|b| app.submit(b))).await;
    let mut numbers: Vec<String> = responses
        .iter()
        .map(|r| r.headers()["location"].to_str().unwrap().to_string())
        .collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 6, "{numbers:?}");
}

#[tokio::test]
async fn a_supplement_must_be_a_pdf_or_a_zip() {
    let app = spawn_app().await;
    let ada = TestUser::author();
    app.register_and_sign_in(&ada).await;
    let mut s = SubmissionBuilder::paper_by(&ada);
    s.supplement = Some(("extra.png".into(), test_pdf(TestPaper::PngNotPdf)));
    let refused = app.submit(&s).await;
    assert_eq!(refused.status(), 422);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("The supplementary file must be a PDF or a ZIP archive.")
    );
    assert_eq!(app.stored_files(), 0);
    s.supplement = Some(("code.zip".into(), b"PK\x03\x04 pretend zip".to_vec()));
    assert_eq!(app.submit(&s).await.status(), 303);
    let page = app.get_text("/submissions/1").await;
    assert!(page.contains("Supplementary material"));
}

#[tokio::test]
async fn anonymous_visitors_are_sent_to_sign_in_from_author_pages() {
    let app = spawn_app().await;
    for path in [
        "/submissions",
        "/submissions/new",
        "/submissions/1",
        "/submissions/1/edit",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 303, "{path}");
        assert_eq!(
            response.headers()["location"],
            crate::helpers::signin_for(path).as_str()
        );
    }
    let csrf = app.csrf("/signin").await;
    let form = reqwest::multipart::Form::new().text("csrf", csrf);
    let response = app
        .client
        .post(app.url("/submissions/new"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
}
