//! Security hardening around papers: the reviewer's copy of a PDF carries no author metadata
//! and no active content (checked by parsing the served bytes) and the author is told what it
//! lacks; a conflict a chair enters on an assigned pair ends the reviewer's access at once;
//! the discussion's pages (reviewer, author, chair, unsubscribe) carry the security headers
//! and no identity crosses between authors and reviewers.

use chrono::{Duration, TimeZone, Utc};
use pdf_extract::{Dictionary, Document, Object, Stream};

use crate::assignment::{COAUTHORS, PEOPLE, workshop};
use crate::helpers::{SubmissionBuilder, TestPaper, test_pdf};

/// `clean` with the probe's additions: Info author and creator, XMP, an open action (URI
/// beacon chained to JavaScript) and an embedded file.
fn hostile(clean: &[u8], name: &str, email: &str) -> Vec<u8> {
    let mut doc = Document::load_mem(clean).unwrap();
    let mut info = Dictionary::new();
    info.set("Author", Object::string_literal(name));
    info.set("Creator", Object::string_literal(email));
    let info = doc.add_object(info);
    doc.trailer.set("Info", info);
    let mut xmp = Dictionary::new();
    xmp.set("Type", Object::Name(b"Metadata".to_vec()));
    xmp.set("Subtype", Object::Name(b"XML".to_vec()));
    let packet = format!("<x:xmpmeta><dc:creator>{name}</dc:creator></x:xmpmeta>");
    let xmp = doc.add_object(Stream::new(xmp, packet.into_bytes()));
    let mut js = Dictionary::new();
    js.set("S", Object::Name(b"JavaScript".to_vec()));
    js.set("JS", Object::string_literal("app.alert('tracking')"));
    let js = doc.add_object(js);
    let mut uri = Dictionary::new();
    uri.set("S", Object::Name(b"URI".to_vec()));
    uri.set(
        "URI",
        Object::string_literal("https://tracker.example/beacon"),
    );
    uri.set("Next", js);
    let uri = doc.add_object(uri);
    let mut file = Dictionary::new();
    file.set("Type", Object::Name(b"EmbeddedFile".to_vec()));
    let file = doc.add_object(Stream::new(file, format!("notes by {email}").into_bytes()));
    let mut ef = Dictionary::new();
    ef.set("F", file);
    let mut spec = Dictionary::new();
    spec.set("Type", Object::Name(b"Filespec".to_vec()));
    spec.set("F", Object::string_literal("notes.txt"));
    spec.set("EF", ef);
    let spec = doc.add_object(spec);
    let mut files = Dictionary::new();
    files.set(
        "Names",
        Object::Array(vec![Object::string_literal("notes.txt"), spec.into()]),
    );
    let mut names = Dictionary::new();
    names.set("EmbeddedFiles", files);
    let root = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
    let catalog = doc.get_dictionary_mut(root).unwrap();
    catalog.set("Metadata", xmp);
    catalog.set("OpenAction", uri);
    catalog.set("Names", names);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn a_reviewer_downloads_a_copy_without_author_metadata_or_active_content() {
    let mut w = workshop().await;
    let run = w.run("total").await;
    w.commit(&run).await;
    let (number, reviewer) = w.committed().await.into_iter().next().unwrap();
    let i = usize::try_from(number).unwrap() - 1;
    let author = w.authors[i].clone();
    let pdf = hostile(
        &test_pdf(TestPaper::Compliant(2)),
        &author.name,
        &author.email,
    );
    assert!(contains(&pdf, &author.email) && contains(&pdf, "tracker.example"));
    // The author replaces the PDF before the deadline (the clock goes back, then on again).
    let after_deadline = Utc.with_ymd_and_hms(2027, 9, 19, 12, 0, 0).unwrap();
    w.app.clock.set(after_deadline - Duration::days(3));
    w.sign_in_as(&author).await;
    let mut s = SubmissionBuilder::paper_by(&author).title(PEOPLE[i].3);
    s.authors[1] = (
        COAUTHORS[i].0.into(),
        COAUTHORS[i].1.into(),
        COAUTHORS[i].2.into(),
    );
    s.pdf = Some(("paper.pdf".into(), pdf));
    assert_eq!(w.app.edit(number, &s, 1).await.status(), 303);
    // The author's page says what the reviewers' copy lacks.
    let page = w.app.get_text(&format!("/submissions/{number}")).await;
    for said in [
        "What reviewers receive",
        "Author, Creator",
        "XMP metadata (1 stream)",
        "JavaScript ×1, URI ×1",
        "Embedded files (1 file)",
    ] {
        assert!(page.contains(said), "the author's report lacks {said}");
    }
    w.app.clock.set(after_deadline);

    let reviewer = w
        .authors
        .iter()
        .find(|a| a.email == reviewer)
        .unwrap()
        .clone();
    w.sign_in_as(&reviewer).await;
    let response = w.app.get(&format!("/reviews/{number}/paper.pdf")).await;
    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    let served = response.bytes().await.unwrap();
    for needle in [
        author.email.as_str(),
        author.name.as_str(),
        "tracker.example",
        "app.alert",
        "notes by",
    ] {
        assert!(
            !contains(&served, needle),
            "the reviewer's copy holds {needle}"
        );
    }
    let doc = Document::load_mem(&served).unwrap();
    assert!(doc.trailer.get(b"Info").is_err());
    let catalog = doc.catalog().unwrap();
    for key in [&b"Metadata"[..], b"OpenAction", b"Names"] {
        let kept = catalog.get(key).ok().and_then(|o| match o {
            Object::Reference(id) => doc.get_object(*id).ok(),
            other => Some(other),
        });
        let empty_names =
            matches!(kept, Some(Object::Dictionary(d)) if key == b"Names" && d.is_empty());
        assert!(
            kept.is_none() || empty_names,
            "catalog keeps /{}",
            String::from_utf8_lossy(key)
        );
    }
    let original = Document::load_mem(&test_pdf(TestPaper::Compliant(2))).unwrap();
    assert_eq!(doc.get_pages().len(), original.get_pages().len());
}

#[tokio::test]
async fn a_conflict_the_chair_enters_on_an_assigned_pair_ends_access_at_once() {
    let mut w = workshop().await;
    let run = w.run("total").await;
    w.commit(&run).await;
    let (number, email) = w.committed().await.into_iter().next().unwrap();
    let reviewer = w.authors.iter().find(|a| a.email == email).unwrap().clone();
    let pdf = format!("/reviews/{number}/paper.pdf");
    w.sign_in_as(&reviewer).await;
    assert_eq!(w.app.get(&pdf).await.status(), 200);
    w.as_chair().await;
    let n = number.to_string();
    let fields = [
        ("number", n.as_str()),
        ("email", email.as_str()),
        ("reason", "Same lab"),
    ];
    let asked = w
        .app
        .post_form("/chair/conflicts", "/chair/conflicts", &fields)
        .await;
    assert_eq!(asked.status(), 200);
    assert!(
        asked
            .text()
            .await
            .unwrap()
            .contains("Remove an assignment for a conflict?")
    );
    assert!(
        w.committed().await.contains(&(number, email.clone())),
        "nothing changes before the confirmation"
    );
    let mut confirmed = fields.to_vec();
    confirmed.push(("confirm", "yes"));
    let done = w
        .app
        .post_form("/chair/conflicts", "/chair/conflicts", &confirmed)
        .await;
    assert_eq!(done.status(), 303);
    assert!(!w.committed().await.contains(&(number, email.clone())));
    let told = w
        .app
        .mail_to_with_subject(&email, "no longer assigned")
        .await;
    assert!(told.body.contains(&format!("#{number}")));
    w.sign_in_as(&reviewer).await;
    assert_eq!(w.app.get(&pdf).await.status(), 404);
    let reviews = w.app.get_text("/reviews").await;
    assert!(
        !reviews.contains(&pdf),
        "the paper left the reviewer's list"
    );
}

/// The security headers every signed-in page carries, and no inline script.
async fn assert_hardened(response: reqwest::Response, path: &str) -> String {
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(response.status(), 200, "{path}");
    assert_eq!(header("cache-control"), "no-store", "{path}");
    assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
    assert_eq!(header("x-frame-options"), "DENY", "{path}");
    let csp = header("content-security-policy");
    assert!(
        csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
        "{path}: {csp}"
    );
    let html = response.text().await.unwrap();
    assert!(
        !html.contains("<script>") && !html.contains(" onclick="),
        "{path}"
    );
    html
}

#[tokio::test]
async fn the_discussion_pages_are_hardened_and_never_carry_identities_across() {
    use crate::discussion::{
        assert_no_author_identity, assert_no_reviewer_identity, comment, due, enable_response,
        respond, reviewed,
    };
    let (mut w, reviewers) = reviewed().await;
    enable_response(&w, true);
    w.app.clock.set(due() + Duration::hours(1));
    assert_eq!(
        comment(&w, "To the authors: why this solver?", "authors")
            .await
            .status(),
        303
    );
    assert_eq!(
        comment(&w, "Among us: borderline.", "reviewers")
            .await
            .status(),
        303
    );
    let author = w.authors[0].clone();
    w.sign_in_as(&author).await;
    assert_eq!(
        respond(&w, "submit", "Because it is stable.")
            .await
            .status(),
        303
    );
    for path in ["/submissions/1/response", "/submissions/1"] {
        let html = assert_hardened(w.app.get(path).await, path).await;
        assert_no_reviewer_identity(&html, &reviewers, path);
    }
    for r in &reviewers {
        w.sign_in_as(r).await;
        let html = assert_hardened(w.app.get("/reviews/1").await, "/reviews/1").await;
        assert!(html.contains("Because it is stable."));
        assert_no_author_identity(&html, "a reviewer's discussion");
        let others: Vec<TestUserRef> = reviewers.iter().filter(|o| o.email != r.email).collect();
        for o in others {
            assert!(
                !html.contains(&o.email) && !html.contains(&o.name),
                "a co-reviewer's identity"
            );
        }
    }
    w.as_chair().await;
    for path in [
        "/chair/papers/1/discussion",
        "/chair/discussion/settings",
        "/chair/decisions",
    ] {
        assert_hardened(w.app.get(path).await, path).await;
    }
    let mails = w.app.mails().await;
    for m in mails.iter().filter(|m| m.subject.contains("responded")) {
        assert_no_author_identity(&m.body, "the response email");
    }
    // The digest's unsubscribe page, opened without signing in.
    let at = due() + Duration::hours(3);
    w.app.clock.set(at);
    cfp::jobs::discussion_digest::sweep(&w.app.pool, at, "http://cfp.test")
        .await
        .unwrap();
    let digest = w
        .app
        .mails_to(&reviewers[0].email)
        .await
        .into_iter()
        .find(|m| m.subject.contains("in the discussion"))
        .expect("a digest");
    assert_no_author_identity(&digest.body, "a digest");
    let link = digest.link_path("/discussion/unsubscribe/");
    w.app.client = crate::helpers::client();
    let html = w.app.get_text(&link).await;
    assert!(html.contains("Stop the digest emails"));
}

type TestUserRef<'a> = &'a crate::helpers::TestUser;
