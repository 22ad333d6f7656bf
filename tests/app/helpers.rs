//! `spawn_app()` and the helpers every test uses.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use cfp::clock::ManualClock;
use cfp::config::Settings;
use cfp::db::{self, DbPool};
pub use cfp::demo::variants::TestPaper;
use cfp::domain::account::Email;
use cfp::mail::delivery::{Delivery, Mailer};
use cfp::startup::Application;
use chrono::{DateTime, TimeZone, Utc};
use diesel::Connection;
use diesel::connection::SimpleConnection;

/// A running server and what a test needs to drive it.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub clock: ManualClock,
    pub mailer: Mailer,
    pub pool: DbPool,
    pub dir: tempfile::TempDir,
    pub database_url: String,
    postgres: Option<PgScratch>,
}

/// A throw-away PostgreSQL database, dropped with the test.
struct PgScratch {
    admin_url: String,
    name: String,
}

impl Drop for PgScratch {
    fn drop(&mut self) {
        if let Ok(mut c) = diesel::pg::PgConnection::establish(&self.admin_url) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ));
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Drop the scratch database after the pool's connections.
        let _ = self.postgres.take();
    }
}

/// The moment tests start at: after submissions open, before the 2027 deadline.
pub fn start_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 6, 1, 12, 0, 0).unwrap()
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Starts a server with default test settings.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts a server after `adjust` has changed the test settings.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Settings::defaults().unwrap();
    config.data_dir = dir.path().to_path_buf();
    config.server.bind = "127.0.0.1:0".into();
    config.server.workers = 1;
    config.database.pool_size = 4;
    config.mail.worker_interval_secs = 0;
    // Tests jump the clock by months with browsers signed in; sessions outlive the jumps
    // unless a test sets the production limits back.
    config.security.session_idle_minutes = 60 * 24 * 3650;
    config.security.session_lifetime_hours = 24 * 3650;
    let mut postgres = None;
    config.database.url = match std::env::var("CFP_TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let name = format!("cfp_test_{}", uuid::Uuid::new_v4().simple());
            let mut c = diesel::pg::PgConnection::establish(&admin_url)
                .expect("CFP_TEST_DATABASE_URL must reach PostgreSQL");
            c.batch_execute(&format!("CREATE DATABASE \"{name}\""))
                .unwrap();
            let url = replace_database(&admin_url, &name);
            postgres = Some(PgScratch { admin_url, name });
            url
        }
        _ => "sqlite://test.db".into(),
    };
    adjust(&mut config);
    let database_url = config.database.url.clone();
    let clock = ManualClock::new(start_time());
    let app = Application::build(config, Arc::new(clock.clone()))
        .await
        .unwrap();
    let address = format!("http://127.0.0.1:{}", app.port());
    let mailer = app.mailer().clone();
    let pool = app.pool().clone();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: client(),
        clock,
        mailer,
        pool,
        dir,
        database_url,
        postgres,
    }
}

/// `postgres://u@h:p/old?x` with the database name replaced.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map(|(b, q)| (b, Some(q)))
        .unwrap_or((url, None));
    let prefix = match base.rfind('/') {
        Some(i) if i > base.find("//").map(|j| j + 1).unwrap_or(0) => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{prefix}/{name}?{q}"),
        None => format!("{prefix}/{name}"),
    }
}

/// An email as written to the outbox folder, decoded.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl ReceivedMail {
    /// The path and query of the first link to this site in the body, e.g. "/confirm?token=…".
    pub fn link_path(&self, starts_with: &str) -> String {
        let at = self
            .body
            .find(starts_with)
            .unwrap_or_else(|| panic!("no link {starts_with} in:\n{}", self.body));
        self.body[at..]
            .split_whitespace()
            .next()
            .unwrap()
            .to_string()
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_text(&self, path: &str) -> String {
        self.get(path).await.text().await.unwrap()
    }

    /// The CSRF token from a page's form (the session cookie is kept by the client).
    pub async fn csrf(&self, path: &str) -> String {
        let html = self.get_text(path).await;
        extract_csrf(&html).unwrap_or_else(|| panic!("no csrf field on {path}"))
    }

    /// Posts a form with the session's CSRF token, taken from `form_page`.
    pub async fn post_form(
        &self,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let csrf = self.csrf(form_page).await;
        let mut all: Vec<(&str, &str)> = vec![("csrf", &csrf)];
        all.extend_from_slice(fields);
        self.client
            .post(self.url(action))
            .form(&all)
            .send()
            .await
            .unwrap()
    }

    pub async fn register(&self, user: &TestUser) -> reqwest::Response {
        self.post_form(
            "/register",
            "/register",
            &[
                ("name", &user.name),
                ("email", &user.email),
                ("affiliation", &user.affiliation),
                ("password", &user.password),
                ("password_confirm", &user.password),
            ],
        )
        .await
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_form(
            "/signin",
            "/signin",
            &[("email", email), ("password", password)],
        )
        .await
    }

    pub async fn sign_out(&self) -> reqwest::Response {
        self.post_form("/", "/signout", &[]).await
    }

    /// Registers, confirms through the emailed link and signs in.
    pub async fn register_and_sign_in(&self, user: &TestUser) {
        assert_eq!(self.register(user).await.status(), 200);
        let mail = self
            .mail_to_with_subject(&user.email, "Confirm your email")
            .await;
        let confirm = self.get(&mail.link_path("/confirm?token=")).await;
        assert_eq!(confirm.status(), 303);
        let signed_in = self.sign_in(&user.email, &user.password).await;
        assert_eq!(
            signed_in.status(),
            303,
            "sign-in failed: {}",
            signed_in.text().await.unwrap()
        );
    }

    /// A chair, signed in on this app's client.
    pub async fn sign_in_as_chair(&self) -> TestUser {
        let chair = TestUser::chair();
        self.register_and_sign_in(&chair).await;
        self.make_chair(&chair.email);
        chair
    }

    /// Changes the stored conference settings directly (set-up for tests about their effect;
    /// the settings form itself is tested in `chair.rs`).
    pub fn change_settings(
        &self,
        change: impl FnOnce(&mut cfp::domain::conference::ConferenceSettings),
    ) {
        let mut c = self.pool.get().unwrap();
        let mut stored = db::conference::load(&mut c).unwrap();
        change(&mut stored.settings);
        assert!(
            db::conference::save(&mut c, &stored.settings, stored.version, start_time())
                .unwrap()
                .is_some()
        );
    }

    pub fn make_chair(&self, email: &str) {
        let mut c = self.pool.get().unwrap();
        assert!(db::users::set_chair(&mut c, &Email::parse(email).unwrap(), true).unwrap());
    }

    /// Runs one round of the mail worker.
    pub async fn deliver_mail(&self) -> Delivery {
        self.mailer.deliver_due().await.unwrap()
    }

    /// Delivers due mail and reads every `.eml` file written so far.
    pub async fn mails(&self) -> Vec<ReceivedMail> {
        self.deliver_mail().await;
        read_outbox_dir(&self.dir.path().join("outbox"))
    }

    pub async fn mails_to(&self, to: &str) -> Vec<ReceivedMail> {
        self.mails()
            .await
            .into_iter()
            .filter(|m| m.to.to_lowercase().contains(&to.to_lowercase()))
            .collect()
    }

    /// The email to `to` whose subject contains `subject`.
    pub async fn mail_to_with_subject(&self, to: &str, subject: &str) -> ReceivedMail {
        self.mails_to(to)
            .await
            .into_iter()
            .find(|m| m.subject.contains(subject))
            .unwrap_or_else(|| panic!("no email to {to} about {subject}"))
    }

    pub async fn last_mail_to(&self, to: &str) -> ReceivedMail {
        self.mails_to(to)
            .await
            .pop()
            .unwrap_or_else(|| panic!("no email to {to}"))
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }
}

pub fn extract_csrf(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    Some(html[at..].split('"').next()?.to_string())
}

/// Reads the outbox folder, oldest first.
pub fn read_outbox_dir(dir: &Path) -> Vec<ReceivedMail> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    files
        .iter()
        .map(|p| parse_mail(&std::fs::read_to_string(p).unwrap()))
        .collect()
}

/// A minimal RFC 5322 reader for single-part text emails, decoding quoted-printable and base64.
pub fn parse_mail(raw: &str) -> ReceivedMail {
    let raw = raw.replace("\r\n", "\n");
    let (head, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
    let header = |name: &str| -> String {
        let mut value = String::new();
        let mut lines = head.lines().peekable();
        while let Some(line) = lines.next() {
            if line
                .to_ascii_lowercase()
                .starts_with(&format!("{}:", name.to_ascii_lowercase()))
            {
                value = line[name.len() + 1..].trim().to_string();
                while lines
                    .peek()
                    .is_some_and(|l| l.starts_with(' ') || l.starts_with('\t'))
                {
                    value.push(' ');
                    value.push_str(lines.next().unwrap().trim());
                }
            }
        }
        value
    };
    let encoding = header("Content-Transfer-Encoding").to_ascii_lowercase();
    let body = match encoding.as_str() {
        "quoted-printable" => decode_quoted_printable(body),
        "base64" => {
            use base64::Engine;
            let joined: String = body.split_whitespace().collect();
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(joined)
                    .unwrap(),
            )
            .unwrap()
        }
        _ => body.to_string(),
    };
    ReceivedMail {
        to: header("To"),
        subject: decode_subject(&header("Subject")),
        body,
    }
}

fn decode_quoted_printable(s: &str) -> String {
    let mut out = Vec::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            if bytes.get(i + 1) == Some(&b'\n') {
                i += 2;
                continue;
            }
            if let Some(hex) = s.get(i + 1..i + 3)
                && let Ok(b) = u8::from_str_radix(hex, 16)
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Decodes RFC 2047 `=?utf-8?b?...?=` words if lettre used them.
fn decode_subject(s: &str) -> String {
    use base64::Engine;
    s.split(' ')
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            if lower.starts_with("=?utf-8?b?") && w.ends_with("?=") {
                let inner = &w[10..w.len() - 2];
                String::from_utf8(
                    base64::engine::general_purpose::STANDARD
                        .decode(inner)
                        .unwrap_or_default(),
                )
                .unwrap_or_default()
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A person to register.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub name: String,
    pub email: String,
    pub affiliation: String,
    pub password: String,
}

impl TestUser {
    pub fn new(name: &str) -> TestUser {
        let local = name.to_lowercase().replace(' ', ".");
        TestUser {
            name: name.to_string(),
            email: format!("{local}@example.org"),
            affiliation: "University of Testing".into(),
            password: "a long enough password".into(),
        }
    }

    pub fn author() -> TestUser {
        TestUser::new("Ada Author")
    }

    pub fn chair() -> TestUser {
        TestUser::new("Carla Chair")
    }
}

/// The bytes of a test paper made by the project's own generator ([`cfp::demo::variants`]);
/// each kind is made once per test process.
pub fn test_pdf(paper: TestPaper) -> Vec<u8> {
    static MADE: Mutex<Vec<(TestPaper, Vec<u8>)>> = Mutex::new(Vec::new());
    let mut made = MADE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, bytes)) = made.iter().find(|(p, _)| *p == paper) {
        return bytes.clone();
    }
    let bytes = cfp::demo::variants::test_paper(&paper);
    made.push((paper, bytes.clone()));
    bytes
}

/// How many pages a generated PDF has, from its page objects (the generator writes one
/// `/Type /Page` dictionary per page), not from the format checker.
pub fn pages_in(pdf: &[u8]) -> usize {
    pdf.windows(12).filter(|w| w == b"/Type /Page ").count()
}

/// A submission to send through the form.
#[derive(Debug, Clone)]
pub struct SubmissionBuilder {
    pub track: String,
    pub title: String,
    pub abstract_text: String,
    pub topics: Vec<String>,
    pub keywords: String,
    /// (name, email, affiliation)
    pub authors: Vec<(String, String, String)>,
    pub main: usize,
    pub pdf: Option<(String, Vec<u8>)>,
    pub supplement: Option<(String, Vec<u8>)>,
    pub creation_key: String,
}

impl SubmissionBuilder {
    /// A compliant paper-track submission by `submitter` (main author) and Grace Kim.
    pub fn paper_by(submitter: &TestUser) -> SubmissionBuilder {
        SubmissionBuilder {
            track: "paper".into(),
            title: "Stable neural ODEs for stiff chemical kinetics".into(),
            abstract_text: "We learn stiff dynamics with implicit layers.".into(),
            topics: vec!["Neural ODEs".into()],
            keywords: "stiffness".into(),
            authors: vec![
                (
                    submitter.name.clone(),
                    submitter.email.clone(),
                    submitter.affiliation.clone(),
                ),
                (
                    "Grace Kim".into(),
                    "gracekim@stanford.edu".into(),
                    "Stanford University".into(),
                ),
            ],
            main: 0,
            pdf: Some(("paper.pdf".into(), test_pdf(TestPaper::Compliant(2)))),
            supplement: None,
            creation_key: uuid::Uuid::new_v4().simple().to_string(),
        }
    }

    pub fn title(mut self, t: &str) -> Self {
        self.title = t.into();
        self
    }

    pub fn pdf(mut self, paper: TestPaper) -> Self {
        self.pdf = Some(("paper.pdf".into(), test_pdf(paper)));
        self
    }

    pub fn no_pdf(mut self) -> Self {
        self.pdf = None;
        self
    }

    pub fn form(&self, csrf: &str, version: Option<i32>) -> reqwest::multipart::Form {
        let mut form = reqwest::multipart::Form::new()
            .text("csrf", csrf.to_string())
            .text("creation_key", self.creation_key.clone())
            .text("track", self.track.clone())
            .text("title", self.title.clone())
            .text("abstract", self.abstract_text.clone())
            .text("keywords", self.keywords.clone())
            .text("main", self.main.to_string());
        if let Some(v) = version {
            form = form.text("version", v.to_string());
        }
        for t in &self.topics {
            form = form.text("topic", t.clone());
        }
        for (i, (name, email, affiliation)) in self.authors.iter().enumerate() {
            form = form
                .text(format!("author_{i}_name"), name.clone())
                .text(format!("author_{i}_email"), email.clone())
                .text(format!("author_{i}_affiliation"), affiliation.clone());
        }
        if let Some((file_name, bytes)) = &self.pdf {
            let part = reqwest::multipart::Part::bytes(bytes.clone())
                .file_name(file_name.clone())
                .mime_str("application/pdf")
                .unwrap();
            form = form.part("paper", part);
        }
        if let Some((file_name, bytes)) = &self.supplement {
            let part = reqwest::multipart::Part::bytes(bytes.clone()).file_name(file_name.clone());
            form = form.part("supplement", part);
        }
        form
    }
}

impl TestApp {
    /// Sends a new submission through the form.
    pub async fn submit(&self, s: &SubmissionBuilder) -> reqwest::Response {
        let csrf = self.csrf("/submissions").await;
        self.client
            .post(self.url("/submissions/new"))
            .multipart(s.form(&csrf, None))
            .send()
            .await
            .unwrap()
    }

    /// Sends an edit of paper `number` as of `version`.
    pub async fn edit(
        &self,
        number: i32,
        s: &SubmissionBuilder,
        version: i32,
    ) -> reqwest::Response {
        let csrf = self.csrf(&format!("/submissions/{number}")).await;
        self.client
            .post(self.url(&format!("/submissions/{number}/edit")))
            .multipart(s.form(&csrf, Some(version)))
            .send()
            .await
            .unwrap()
    }

    /// Files in the content-addressed store (temporary files excluded).
    pub fn stored_files(&self) -> usize {
        let root = self.data_dir().join("files");
        let Ok(dirs) = std::fs::read_dir(&root) else {
            return 0;
        };
        dirs.filter_map(Result::ok)
            .filter(|d| d.file_name() != "tmp")
            .map(|d| std::fs::read_dir(d.path()).map(|f| f.count()).unwrap_or(0))
            .sum()
    }
}

/// Where a signed-out visitor who opens `path` is sent: the sign-in page, which returns there.
pub fn signin_for(path: &str) -> String {
    let encoded: String = path
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("/signin?next={encoded}")
}
