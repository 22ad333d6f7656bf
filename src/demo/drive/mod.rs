//! The driver of `cfp demo`: fills an empty database with the demo workshop (`crate::demo`) by driving the
//! site's own HTTP routes, exactly as people's browsers would: every account registers,
//! confirms through the link in its email and signs in; every paper goes through the
//! submission form with a generated PDF and its format check. No row is written by hand
//! except the chair flag, which `cfp chair add` sets the same way.

pub mod bulk;
mod discussion;
mod stages;

use std::sync::Arc;
use std::time::Duration;

use actix_web::http::StatusCode;
use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};

use crate::clock::SystemClock;
use crate::config::Settings;
use crate::db::{self, outbox, users};
use crate::demo::{self, DemoPerson, DemoSubmission, DemoTrack};
use crate::domain::account::Email;
use crate::startup::Application;

/// How far the demo takes the workshop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Stage {
    /// Accounts and submissions, before the deadline.
    Submitted,
    /// The deadline has passed; reviewers bid; the chair adds the volunteers, runs the
    /// engine and commits the assignment.
    Assigned,
    /// Reviewers write their reviews (most submitted, a few left as drafts).
    Reviewed,
    /// The chair opens the author response; the authors of most papers respond, reviewers
    /// of a few papers discuss and most tick "I have read the response"; the chair writes a
    /// meta-review of every paper.
    Discussed,
    /// The chair decides every paper from the ranking: 4 talks, 8 spotlights, posters for
    /// half of the papers, the rest rejected (nothing released).
    Decided,
    /// The chair releases the decisions: every author gets a letter.
    Released,
}

/// What the demo created, for the closing message.
#[derive(Debug)]
pub struct DemoSummary {
    pub people: usize,
    pub submissions: usize,
    pub chair: String,
    pub author: String,
    pub main_author_of_published: String,
    pub password: &'static str,
}

/// A cookie-keeping client for one person.
pub(crate) struct Browser {
    client: awc::Client,
    base: String,
    cookie: Option<String>,
}

pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) body: String,
}

impl Browser {
    /// A person's browser. All share one client (one connection pool): the cookie is per
    /// person and kept here, not in the client.
    fn new(client: &awc::Client, base: &str) -> Browser {
        Browser {
            client: client.clone(),
            base: base.to_string(),
            cookie: None,
        }
    }

    async fn finish(
        &mut self,
        mut response: awc::ClientResponse<
            impl futures_util::Stream<Item = Result<actix_web::web::Bytes, awc::error::PayloadError>>
            + Unpin,
        >,
    ) -> anyhow::Result<Reply> {
        if let Some(set) = response
            .headers()
            .get(actix_web::http::header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
        {
            self.cookie = set.split(';').next().map(str::to_string);
        }
        let body = response
            .body()
            .limit(16 * 1024 * 1024)
            .await
            .map_err(|e| anyhow::anyhow!("reading a page: {e}"))?;
        Ok(Reply {
            status: response.status(),
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }

    fn request(&self, method: awc::http::Method, path: &str) -> awc::ClientRequest {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(c) = &self.cookie {
            req = req.insert_header((actix_web::http::header::COOKIE, c.clone()));
        }
        req
    }

    pub(crate) async fn get(&mut self, path: &str) -> anyhow::Result<Reply> {
        let response = self
            .request(awc::http::Method::GET, path)
            .send()
            .await
            .map_err(|e| anyhow::anyhow!("GET {path}: {e}"))?;
        self.finish(response).await
    }

    async fn csrf(&mut self, path: &str) -> anyhow::Result<String> {
        let page = self.get(path).await?;
        let marker = "name=\"csrf\" value=\"";
        let at = page
            .body
            .find(marker)
            .with_context(|| format!("no form on {path}"))?
            + marker.len();
        Ok(page.body[at..].split('"').next().unwrap_or("").to_string())
    }

    pub(crate) async fn post_form(
        &mut self,
        form_page: &str,
        path: &str,
        fields: &[(&str, &str)],
    ) -> anyhow::Result<Reply> {
        let csrf = self.csrf(form_page).await?;
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        let response = self
            .request(awc::http::Method::POST, path)
            .send_form(&all)
            .await
            .map_err(|e| anyhow::anyhow!("POST {path}: {e}"))?;
        self.finish(response).await
    }

    async fn post_multipart(
        &mut self,
        form_page: &str,
        path: &str,
        fields: &[(String, String)],
        pdf: &[u8],
    ) -> anyhow::Result<Reply> {
        let csrf = self.csrf(form_page).await?;
        let boundary = uuid::Uuid::new_v4().simple().to_string();
        let mut body = Vec::with_capacity(pdf.len() + 8192);
        let mut text = |name: &str, value: &str| {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
        };
        text("csrf", &csrf);
        for (k, v) in fields {
            text(k, v);
        }
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"paper\"; filename=\"paper.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(pdf);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let response = self
            .request(awc::http::Method::POST, path)
            .insert_header((
                actix_web::http::header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            ))
            .send_body(body)
            .await
            .map_err(|e| anyhow::anyhow!("POST {path}: {e}"))?;
        self.finish(response).await
    }
}

/// Registers, confirms and signs in one person; returns their signed-in browser.
async fn sign_up(
    client: &awc::Client,
    base: &str,
    pool: &db::DbPool,
    person: &DemoPerson,
) -> anyhow::Result<Browser> {
    let mut b = Browser::new(client, base);
    let password = demo::demo_password();
    let fields = [
        ("name", person.name.as_str()),
        ("email", person.email.as_str()),
        ("affiliation", person.affiliation.as_str()),
        ("password", password),
        ("password_confirm", password),
    ];
    let reply = b.post_form("/register", "/register", &fields).await?;
    if reply.status != StatusCode::OK {
        bail!("registering {} failed with {}", person.email, reply.status);
    }
    let email = Email::parse(&person.email)
        .map_err(|e| anyhow::anyhow!("demo email {}: {e}", person.email))?;
    let mails = db::run(pool, move |c| {
        Ok::<_, anyhow::Error>(outbox::for_recipient(c, &email)?)
    })
    .await?;
    let link = mails
        .iter()
        .find_map(|m| {
            m.body_text.find("/confirm?token=").map(|at| {
                m.body_text[at..]
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_string()
            })
        })
        .with_context(|| format!("no confirmation email for {}", person.email))?;
    b.get(&link).await?;
    let reply = b
        .post_form(
            "/signin",
            "/signin",
            &[("email", person.email.as_str()), ("password", password)],
        )
        .await?;
    if reply.status != StatusCode::SEE_OTHER {
        bail!("signing in {} failed with {}", person.email, reply.status);
    }
    Ok(b)
}

fn submission_fields(s: &DemoSubmission, topics: &[String]) -> Vec<(String, String)> {
    let mut fields = vec![
        (
            "creation_key".to_string(),
            uuid::Uuid::new_v4().simple().to_string(),
        ),
        (
            "track".to_string(),
            if s.track == DemoTrack::Paper {
                "paper"
            } else {
                "published"
            }
            .to_string(),
        ),
        ("title".to_string(), s.title.clone()),
        ("abstract".to_string(), s.abstract_text.clone()),
        ("main".to_string(), s.main_author.to_string()),
    ];
    let (listed, free): (Vec<&String>, Vec<&String>) =
        s.keywords.iter().partition(|k| topics.contains(k));
    fields.extend(listed.into_iter().map(|k| ("topic".to_string(), k.clone())));
    fields.push((
        "keywords".to_string(),
        free.iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    ));
    for (i, a) in s.authors.iter().enumerate() {
        fields.push((format!("author_{i}_name"), a.name.clone()));
        fields.push((format!("author_{i}_email"), a.email.clone()));
        fields.push((format!("author_{i}_affiliation"), a.affiliation.clone()));
    }
    fields
}

/// Fills an empty database with the demo workshop.
pub async fn run(mut config: Settings, stage: Stage, seed: u64) -> anyhow::Result<DemoSummary> {
    config.server.bind = "127.0.0.1:0".into();
    config.mail.worker_interval_secs = 0;
    // Every demo person registers from this one process, i.e. one client address.
    config.security.visitor_emails_per_client_per_hour = u32::MAX;
    let app = Application::build(config, Arc::new(SystemClock)).await?;
    let pool = app.pool().clone();
    let existing = db::run(&pool, |c| Ok::<_, anyhow::Error>(users::count(c)?)).await?;
    if existing > 0 {
        bail!(
            "the database already has {existing} accounts; `cfp demo` only fills an empty one (start from a fresh data directory)"
        );
    }
    let base = format!("http://127.0.0.1:{}", app.port());
    let topics = db::run(&pool, |c| {
        Ok::<_, anyhow::Error>(db::conference::load(c)?.settings.topics)
    })
    .await?;
    actix_web::rt::spawn(app.run_until_stopped());

    let client = awc::Client::builder()
        .timeout(Duration::from_secs(120))
        .disable_redirects()
        .finish();
    let workshop = demo::workshop(seed);
    let mut people: Vec<DemoPerson> = vec![workshop.chair.clone()];
    people.extend(workshop.volunteers.iter().cloned());
    for s in &workshop.submissions {
        for a in &s.authors {
            if !people.iter().any(|p| p.email == a.email) {
                people.push(a.clone());
            }
        }
    }
    let bar = ProgressBar::new((people.len() + workshop.submissions.len()) as u64);
    bar.set_style(
        ProgressStyle::with_template("{msg:12} {bar:40} {pos}/{len}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message("accounts");
    let mut browsers = Vec::with_capacity(people.len());
    for p in &people {
        browsers.push((p.email.clone(), sign_up(&client, &base, &pool, p).await?));
        bar.inc(1);
    }
    let chair_email = Email::parse(&workshop.chair.email).map_err(|e| anyhow::anyhow!(e))?;
    db::run(&pool, move |c| {
        Ok::<_, anyhow::Error>(users::set_chair(c, &chair_email, true)?)
    })
    .await?;

    bar.set_message("submissions");
    for s in &workshop.submissions {
        let main = &s.authors[s.main_author.min(s.authors.len().saturating_sub(1))];
        let browser = browsers
            .iter_mut()
            .find(|(e, _)| *e == main.email)
            .map(|(_, b)| b)
            .context("main author has no account")?;
        let pdf = demo::paper_pdf(s, s.track == DemoTrack::Paper);
        let reply = browser
            .post_multipart(
                "/submissions",
                "/submissions/new",
                &submission_fields(s, &topics),
                &pdf,
            )
            .await?;
        if reply.status != StatusCode::SEE_OTHER {
            let reason = reply
                .body
                .split("class=\"error\"")
                .nth(1)
                .unwrap_or("")
                .chars()
                .take(300)
                .collect::<String>();
            bail!(
                "submitting \"{}\" failed with {}: {reason}",
                s.title,
                reply.status
            );
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    if stage >= Stage::Assigned {
        let chair_browser = browsers
            .iter()
            .position(|(e, _)| *e == workshop.chair.email)
            .context("the chair has no browser")?;
        stages::assign(&mut browsers, chair_browser, &workshop).await?;
    }
    if stage >= Stage::Reviewed {
        stages::review(&mut browsers, &workshop, seed).await?;
    }
    if stage >= Stage::Discussed {
        let chair_browser = browsers
            .iter()
            .position(|(e, _)| *e == workshop.chair.email)
            .context("the chair has no browser")?;
        discussion::discuss(&mut browsers, chair_browser, &workshop, seed).await?;
    }
    if stage >= Stage::Decided {
        let chair_browser = browsers
            .iter()
            .position(|(e, _)| *e == workshop.chair.email)
            .context("the chair has no browser")?;
        stages::decide(&mut browsers[chair_browser].1, stage == Stage::Released).await?;
    }
    let author = workshop
        .submissions
        .first()
        .map(|s| s.authors[s.main_author].email.clone())
        .unwrap_or_default();
    let published = workshop
        .submissions
        .iter()
        .find(|s| s.track == DemoTrack::Published)
        .map(|s| s.authors[s.main_author].email.clone())
        .unwrap_or_default();
    Ok(DemoSummary {
        people: people.len(),
        submissions: workshop.submissions.len(),
        chair: workshop.chair.email,
        author,
        main_author_of_published: published,
        password: demo::demo_password(),
    })
}
