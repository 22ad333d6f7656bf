//! Everything the worker runs on a timer, in one scheduler ([`spawn`]): review reminders,
//! discussion digests (`discussion_digest`) and camera-ready reminders (queued about once a minute, each at most once per person and day),
//! outbox delivery rounds (every `mail.worker_interval_secs`) and the storage sweep (every
//! hour, `crate::ops::gc`). `serve` starts it; the delivery itself (claim, send, record)
//! lives in `crate::mail::delivery`. It runs until the mailer's stop is requested: at start
//! it takes back this server's interrupted claims, at the end it returns those in flight.

pub mod camera_ready_reminders;
pub mod discussion_digest;
pub mod review_reminders;

use crate::mail::delivery::{Delivery, Mailer};

/// Runs the scheduler until `mailer.stop` is requested: reminder sweeps about once a minute,
/// a delivery round every `worker_interval_secs`, a storage sweep every hour.
pub fn spawn(mailer: Mailer) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        match mailer.release_claims().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(emails = n, "took back claims of an interrupted run"),
            Err(e) => tracing::error!(error = %e, "could not take back earlier claims"),
        }
        let period = std::time::Duration::from_secs(mailer.settings.worker_interval_secs.max(1));
        let mut last_sweep: Option<chrono::DateTime<chrono::Utc>> = None;
        let mut last_gc: Option<std::time::Instant> = None;
        while !mailer.stop.is_requested() {
            // What interrupted uploads left in the file store, once an hour (real time: file
            // times are real times).
            if last_gc.is_none_or(|t| t.elapsed() >= std::time::Duration::from_secs(3600)) {
                last_gc = Some(std::time::Instant::now());
                match crate::ops::gc::sweep_now(&mailer.pool, &mailer.storage).await {
                    Ok(r) if r == crate::ops::gc::SweepReport::default() => {}
                    Ok(r) => tracing::info!(
                        temp_files = r.temp_files,
                        orphan_files = r.orphan_files,
                        bytes = r.bytes_freed,
                        "storage sweep"
                    ),
                    Err(e) => tracing::error!(error = %e, "storage sweep failed"),
                }
            }
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
                match discussion_digest::sweep(&mailer.pool, now, &mailer.base_url).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(queued = n, "discussion digests"),
                    Err(e) => tracing::error!(error = %e, "discussion digests failed"),
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
            tokio::select! {
                () = tokio::time::sleep(period) => {}
                () = mailer.stop.requested() => {}
            }
        }
        match mailer.release_claims().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(emails = n, "returned emails in flight to the queue"),
            Err(e) => tracing::error!(error = %e, "could not return emails in flight"),
        }
    })
}
