//! Camera-ready reminders: on each configured day before the camera-ready deadline, every
//! author of a paper accepted by its released decision and still without a camera-ready
//! version gets the chairs' reminder letter, once (its dedupe key names the due date, the
//! day, the paper and the author). The scheduler (`crate::jobs`) calls [`sweep`] about once
//! a minute.

use chrono::{DateTime, Duration, Utc};

use crate::db::{self, DbPool, conference, outbox};
use crate::domain::account::Email;
use crate::domain::conference::format_in_zone;

/// The letter a camera-ready reminder uses: the chairs' text if they saved one that renders,
/// the default text otherwise.
fn camera_ready_letter(
    c: &mut db::AnyConnection,
    context: &serde_json::Value,
) -> anyhow::Result<(String, String)> {
    use crate::mail::letters::{self, LetterKind, LetterTemplate};
    let kind = LetterKind::CameraReadyReminder;
    let name = serde_json::to_value(kind)?;
    let stored = match name.as_str() {
        Some(name) => db::decisions::template(c, name)?,
        None => None,
    };
    if let Some(t) = stored {
        let chairs = LetterTemplate {
            subject: t.subject,
            body: t.body,
        };
        match letters::render(kind, &chairs, context) {
            Ok(letter) => return Ok(letter),
            Err(e) => {
                tracing::error!(error = %e, "the chairs' camera-ready reminder does not render; sending the default")
            }
        }
    }
    Ok(letters::render(
        kind,
        &letters::default_template(kind),
        context,
    )?)
}

/// Queues the camera-ready reminders due at `now`; returns how many were new.
pub async fn sweep(pool: &DbPool, now: DateTime<Utc>, base_url: &str) -> anyhow::Result<usize> {
    let base_url = base_url.to_string();
    db::run(pool, move |c| {
        let settings = conference::load(c)?.settings;
        let due = settings.dates.camera_ready_due;
        // As for reviews, only the latest reminder that has come due is sent.
        let Some(day) = settings
            .camera_ready_reminder_days
            .iter()
            .copied()
            .filter(|&d| now >= due - Duration::days(i64::from(d)) && now < due)
            .min()
        else {
            return Ok(0);
        };
        let waiting: Vec<_> = db::decisions::accepted_released(c)?
            .into_iter()
            .filter(|p| p.camera_ready.is_none())
            .collect();
        let due_text = format_in_zone(due, settings.tz());
        let mut queued = 0;
        db::transaction(c, |c| {
            for paper in &waiting {
                let link = format!("{base_url}/submissions/{}/camera-ready", paper.number);
                for author in db::submissions::authors(c, &paper.submission_id)? {
                    let Ok(to) = Email::parse(&author.email) else {
                        continue;
                    };
                    let context = serde_json::json!({
                        "name": author.name,
                        "conference": settings.short_name,
                        "number": paper.number,
                        "title": paper.title,
                        "camera_ready_due": due_text,
                        "link": link,
                    });
                    let (subject, body_text) = camera_ready_letter(c, &context)?;
                    let mail = outbox::NewMail {
                        dedupe_key: format!(
                            "camera-ready-reminder:{}:{day}:{}:{}",
                            due.timestamp(),
                            paper.submission_id,
                            to.as_str()
                        ),
                        recipient: to,
                        subject,
                        body_text,
                    };
                    if outbox::enqueue(c, &mail, now)? {
                        queued += 1;
                    }
                }
            }
            Ok::<_, anyhow::Error>(())
        })?;
        Ok(queued)
    })
    .await
}
