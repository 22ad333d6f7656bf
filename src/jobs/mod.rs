//! Everything the worker runs on a timer, in one scheduler ([`spawn`]): review reminders and
//! camera-ready reminders (queued about once a minute, each at most once per person and day)
//! and outbox delivery rounds (every `mail.worker_interval_secs`). `serve` starts it; the
//! delivery itself (claim, send, record) lives in `crate::mail::delivery`.

pub mod camera_ready_reminders;
pub mod review_reminders;

use crate::mail::delivery::{Delivery, Mailer};

/// Runs the scheduler forever: reminder sweeps about once a minute, a delivery round every
/// `worker_interval_secs`.
pub fn spawn(mailer: Mailer) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let period = std::time::Duration::from_secs(mailer.settings.worker_interval_secs.max(1));
        let mut last_sweep: Option<chrono::DateTime<chrono::Utc>> = None;
        loop {
            // Review reminders are due by the day: looking once a minute is plenty.
            let now = mailer.clock.now();
            if last_sweep.is_none_or(|t| now - t >= chrono::Duration::minutes(1)) {
                last_sweep = Some(now);
                match review_reminders::sweep(&mailer.pool, now, &mailer.base_url).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(queued = n, "review reminders"),
                    Err(e) => tracing::error!(error = %e, "review reminders failed"),
                }
                match camera_ready_reminders::sweep(&mailer.pool, now, &mailer.base_url).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(queued = n, "camera-ready reminders"),
                    Err(e) => tracing::error!(error = %e, "camera-ready reminders failed"),
                }
            }
            match mailer.deliver_due().await {
                Ok(d) if d != Delivery::default() => tracing::info!(
                    sent = d.sent,
                    retried = d.retried,
                    failed = d.failed,
                    "mail round"
                ),
                Ok(_) => {}
                Err(e) => {
                    tracing::error!(error = %e, "mail worker could not reach the database")
                }
            }
            tokio::time::sleep(period).await;
        }
    })
}
