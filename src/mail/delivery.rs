//! Outbox delivery: one round claims due outbox rows, hands them to the transport, and records
//! the outcome. Failed attempts are retried with exponential backoff up to a limit, then the
//! row is marked failed and listed for the chairs. The timer that runs rounds is
//! `crate::jobs`.

use std::sync::Arc;

use chrono::Duration;
use lettre::message::Mailbox;

use super::transport::{MailTransport, build_message};
use crate::clock::Clock;
use crate::config::MailSettings;
use crate::db::{self, DbError, DbPool, outbox};

/// What one delivery round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
}

/// Everything the worker needs.
#[derive(Clone, Debug)]
pub struct Mailer {
    pub pool: DbPool,
    pub transport: MailTransport,
    pub from: Mailbox,
    pub settings: MailSettings,
    pub clock: Arc<dyn Clock>,
    /// The site's address, for links in the reminders the worker queues.
    pub base_url: String,
}

/// A claim lasts this long; a worker that dies mid-round frees its rows after it.
const LEASE_MINUTES: i64 = 10;

impl Mailer {
    /// Delay before attempt `attempts + 1`, doubling from `retry_base_secs`.
    fn backoff(&self, attempts: i32) -> Duration {
        let exp = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
        let secs = self
            .settings
            .retry_base_secs
            .saturating_mul(2u64.saturating_pow(exp));
        Duration::seconds(
            i64::try_from(secs.min(self.settings.retry_max_secs)).unwrap_or(i64::MAX / 2),
        )
    }

    /// One round: claim what is due and try to deliver each.
    pub async fn deliver_due(&self) -> Result<Delivery, DbError> {
        let now = self.clock.now();
        let limit = i64::from(self.settings.batch_size.max(1));
        let rows = db::run(&self.pool, move |c| {
            Ok::<_, DbError>(outbox::claim_due(
                c,
                now,
                Duration::minutes(LEASE_MINUTES),
                limit,
            )?)
        })
        .await?;
        let mut done = Delivery::default();
        for row in rows {
            let outcome = match build_message(&self.from, &row) {
                Ok(message) => self.transport.send(message).await,
                Err(e) => Err(e),
            };
            let now = self.clock.now();
            let id = row.id.clone();
            match outcome {
                Ok(()) => {
                    db::run(&self.pool, move |c| {
                        Ok::<_, DbError>(outbox::mark_sent(c, &id, now)?)
                    })
                    .await?;
                    done.sent += 1;
                }
                Err(error) => {
                    let give_up = row.attempts
                        >= i32::try_from(self.settings.max_attempts).unwrap_or(i32::MAX);
                    let retry_at = (!give_up).then(|| now + self.backoff(row.attempts));
                    tracing::warn!(mail_id = %row.id, attempts = row.attempts, give_up, %error, "mail delivery failed");
                    db::run(&self.pool, move |c| {
                        Ok::<_, DbError>(outbox::mark_attempt_failed(c, &id, &error, retry_at)?)
                    })
                    .await?;
                    if give_up {
                        done.failed += 1
                    } else {
                        done.retried += 1
                    }
                }
            }
        }
        Ok(done)
    }
}
