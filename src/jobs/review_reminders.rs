//! Automatic review reminders: on each configured day before the review due date, every
//! reviewer with an unsubmitted review gets one email listing what is missing. Each reminder
//! is queued once (its dedupe key names the due date, the day and the reviewer), never to a
//! reviewer who is done. The scheduler (`crate::jobs`) calls [`sweep`] about once a minute.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use crate::db::{self, DbPool, conference, outbox, reviews};
use crate::domain::account::Email;
use crate::domain::conference::format_in_zone;
use crate::mail::messages::MailContext;
use crate::mail::reviewing::{self, ListedPaper};

/// Reviewers (by email) with their unsubmitted assigned papers.
pub fn missing_by_reviewer(
    assigned: &[reviews::AssignedReview],
) -> BTreeMap<String, Vec<ListedPaper>> {
    let mut out: BTreeMap<String, Vec<ListedPaper>> = BTreeMap::new();
    for a in assigned.iter().filter(|a| !a.is_submitted()) {
        out.entry(a.reviewer_email.clone())
            .or_default()
            .push(ListedPaper {
                number: a.number,
                title: a.title.clone(),
            });
    }
    out
}

/// Queues the reminders due at `now`; returns how many were new.
pub async fn sweep(pool: &DbPool, now: DateTime<Utc>, base_url: &str) -> anyhow::Result<usize> {
    let base_url = base_url.to_string();
    db::run(pool, move |c| {
        let settings = conference::load(c)?.settings;
        let due = settings.dates.review_due;
        let days: Vec<u32> = settings
            .review_reminder_days
            .iter()
            .copied()
            .filter(|&d| now >= due - Duration::days(i64::from(d)) && now < due)
            .collect();
        // Only the latest reminder that has come due is sent: a reviewer assigned late does
        // not get the 7-day and the 1-day reminders at once.
        let Some(day) = days.into_iter().min() else {
            return Ok(0);
        };
        let missing = missing_by_reviewer(&reviews::assigned(c)?);
        let emails: Vec<String> = missing.keys().cloned().collect();
        let names = crate::db::users::names_by_email(c, &emails)?;
        let mail = MailContext {
            conference: settings.short_name.clone(),
            base_url: base_url.clone(),
        };
        let due_text = format_in_zone(due, settings.tz());
        let mut queued = 0;
        db::transaction(c, |c| {
            for (email, papers) in &missing {
                let Ok(to) = Email::parse(email) else {
                    continue;
                };
                let key = format!("review-reminder:{}:{day}:{email}", due.timestamp());
                let m = reviewing::reminder(
                    &mail,
                    &to,
                    names.get(email).map_or("", String::as_str),
                    papers,
                    &due_text,
                    &key,
                )?;
                if outbox::enqueue(c, &m, now)? {
                    queued += 1;
                }
            }
            Ok::<_, anyhow::Error>(())
        })?;
        Ok(queued)
    })
    .await
}
