//! Outbox delivery: a round claims due outbox rows one at a time, hands them to the
//! transport, and records the outcome (the timer that runs rounds is `crate::jobs`). A few lanes send at once (`mail.send_lanes`), each on its own SMTP
//! connection, so a server that hangs on one connection delays only that email, and only
//! until the overall timeout. Temporary failures are retried with exponential backoff up to
//! a limit; permanent refusals (5xx) fail the email at once with the server's reason; failed
//! emails are listed for the chairs.
//!
//! Claims carry this server's instance id and a lease just longer than one exchange: a
//! server starting up takes back its own interrupted claims at once (`reclaim`), and a
//! stopping one hands in-flight emails back within seconds (`Stop`, `release`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use chrono::Duration;
use lettre::message::Mailbox;

use super::transport::{Link, MailTransport, SendError, build_message};
use crate::clock::Clock;
use crate::config::MailSettings;
use crate::db::outbox::OutboxRow;
use crate::db::{self, DbError, DbPool, outbox};

/// What one delivery round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
}

impl Delivery {
    fn add(&mut self, other: Delivery) {
        self.sent += other.sent;
        self.retried += other.retried;
        self.failed += other.failed;
    }
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
    /// This server's name on its claims (see `instance_id`).
    pub instance: String,
    /// Raised when the server stops.
    pub stop: Stop,
    /// The file store, swept every hour.
    pub storage: crate::storage::Storage,
}

/// A stop request shared by the worker's lanes.
#[derive(Clone, Debug, Default)]
pub struct Stop {
    inner: Arc<StopInner>,
}

#[derive(Debug, Default)]
struct StopInner {
    requested: AtomicBool,
    notify: tokio::sync::Notify,
}

impl Stop {
    /// Asks every lane to stop: no new claims; sends in flight get a short grace.
    pub fn request(&self) {
        self.inner.requested.store(true, Ordering::SeqCst);
        self.inner.notify.notify_waiters();
    }

    pub fn is_requested(&self) -> bool {
        self.inner.requested.load(Ordering::SeqCst)
    }

    /// Resolves once a stop is requested.
    pub async fn requested(&self) {
        loop {
            let notified = self.inner.notify.notified();
            if self.is_requested() {
                return;
            }
            notified.await;
        }
    }
}

/// How long an email in flight may still take once a stop is requested.
pub const STOP_GRACE: std::time::Duration = std::time::Duration::from_secs(3);

/// The instance id for a server: `mail.instance_id`, or "HOSTNAME:PORT" of `listen`.
pub fn instance_id(settings: &MailSettings, listen: &str) -> String {
    let configured = settings.instance_id.trim();
    if !configured.is_empty() {
        return configured.to_string();
    }
    let host = lettre::transport::smtp::extension::ClientId::default().to_string();
    let port = listen.rsplit_once(':').map(|(_, p)| p).unwrap_or(listen);
    format!("{host}:{port}")
}

/// What happened to one claimed email.
enum Outcome {
    Done(Delivery),
    /// Stopped mid-send: the email goes back to the queue with the other claims.
    Interrupted,
}

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

    /// A claim outlasts one exchange under its timeout plus time to record the outcome, so
    /// no other worker takes an email still being sent; a crashed worker's claims are free
    /// again after it.
    pub fn lease(&self) -> Duration {
        let secs = i64::try_from(self.transport.timeout().as_secs()).unwrap_or(60);
        Duration::seconds(secs + 30)
    }

    /// One round: up to `batch_size` due emails, sent by `send_lanes` lanes at once.
    pub async fn deliver_due(&self) -> Result<Delivery, DbError> {
        let budget =
            AtomicUsize::new(usize::try_from(self.settings.batch_size.max(1)).unwrap_or(1));
        let lanes = self.settings.send_lanes.clamp(1, 32);
        let results = futures_util::future::join_all((0..lanes).map(|_| self.lane(&budget))).await;
        let mut done = Delivery::default();
        for result in results {
            done.add(result?);
        }
        Ok(done)
    }

    /// Claims and sends emails one after the other until the budget or the queue is empty.
    async fn lane(&self, budget: &AtomicUsize) -> Result<Delivery, DbError> {
        let mut link = self.transport.link();
        let mut done = Delivery::default();
        let result = loop {
            if self.stop.is_requested()
                || budget
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |b| b.checked_sub(1))
                    .is_err()
            {
                break Ok(());
            }
            let (now, lease, instance) = (self.clock.now(), self.lease(), self.instance.clone());
            let claimed = db::run(&self.pool, move |c| {
                Ok::<_, DbError>(outbox::claim_next(c, &instance, now, lease)?)
            })
            .await;
            let row = match claimed {
                Ok(Some(row)) => row,
                Ok(None) => break Ok(()),
                Err(e) => break Err(e),
            };
            match self.deliver_one(&mut link, row).await {
                Ok(Outcome::Done(d)) => done.add(d),
                Ok(Outcome::Interrupted) => break Ok(()),
                Err(e) => break Err(e),
            }
        };
        link.close().await;
        result.map(|()| done)
    }

    async fn deliver_one(&self, link: &mut Link, row: OutboxRow) -> Result<Outcome, DbError> {
        let outcome = match build_message(&self.from, &row) {
            Ok(message) => {
                let stop = self.stop.clone();
                tokio::select! {
                    result = link.send(&message) => result,
                    () = async move {
                        stop.requested().await;
                        tokio::time::sleep(STOP_GRACE).await;
                    } => return Ok(Outcome::Interrupted),
                }
            }
            Err(e) => Err(SendError::Permanent(e)),
        };
        let now = self.clock.now();
        let id = row.id.clone();
        let error = match outcome {
            Ok(()) => {
                db::run(&self.pool, move |c| {
                    Ok::<_, DbError>(outbox::mark_sent(c, &id, now)?)
                })
                .await?;
                return Ok(Outcome::Done(Delivery {
                    sent: 1,
                    ..Delivery::default()
                }));
            }
            Err(error) => error,
        };
        let out_of_attempts =
            row.attempts >= i32::try_from(self.settings.max_attempts).unwrap_or(i32::MAX);
        let give_up = out_of_attempts || matches!(error, SendError::Permanent(_));
        let retry_at = (!give_up).then(|| now + self.backoff(row.attempts));
        let message = error.message().to_string();
        tracing::warn!(mail_id = %row.id, attempts = row.attempts, give_up, error = %message, "mail delivery failed");
        db::run(&self.pool, move |c| {
            Ok::<_, DbError>(outbox::mark_attempt_failed(c, &id, &message, retry_at)?)
        })
        .await?;
        Ok(Outcome::Done(if give_up {
            Delivery {
                failed: 1,
                ..Delivery::default()
            }
        } else {
            Delivery {
                retried: 1,
                ..Delivery::default()
            }
        }))
    }

    /// Puts this instance's claims back in the queue: at start, the claims a crashed run left
    /// behind; after a stop, the emails that were in flight. Returns how many.
    pub async fn release_claims(&self) -> Result<usize, DbError> {
        let (instance, now) = (self.instance.clone(), self.clock.now());
        db::run(&self.pool, move |c| {
            Ok::<_, DbError>(outbox::release_claims(c, &instance, now)?)
        })
        .await
    }

    /// Stops the scheduler started by `crate::jobs::spawn`: in-flight sends get a few
    /// seconds, then every claim of this instance goes back to the queue.
    pub async fn shut_down(&self, worker: tokio::task::JoinHandle<()>) {
        self.stop.request();
        let limit = STOP_GRACE + std::time::Duration::from_secs(5);
        let abort = worker.abort_handle();
        if tokio::time::timeout(limit, worker).await.is_err() {
            tracing::warn!("the mail worker did not stop in time");
            abort.abort();
        }
        if let Err(e) = self.release_claims().await {
            tracing::error!(error = %e, "could not return emails in flight");
        }
    }
}
