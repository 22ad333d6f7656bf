//! "Compute a preview" for a large conference: from `assignment.background_from_papers`
//! active papers on, the engine runs in the background instead of inside the chair's request.
//! The assignment page shows its progress (stage and a progress bar; it reloads itself every
//! few seconds without JavaScript), a chair may cancel it, and when it finishes its result is
//! stored as the open preview exactly as a run inside the request would store it. One job
//! per server at a time; a second "compute" while one runs is refused with a message.
//!
//! Cancelling frees the page at once and stores nothing: the engine cannot be interrupted
//! inside its solver, so it finishes in the background (seconds) and its result is thrown
//! away; no new job starts before it has. The job lives
//! in this server's memory: a restart loses a running job (the chair starts it again); a
//! finished job's preview is in the database like any other.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};

use crate::domain::pool::RunParams;

/// What one background run is doing.
#[derive(Debug)]
pub struct Job {
    pub id: String,
    pub started: DateTime<Utc>,
    pub params: RunParams,
    /// Per mille of the work done (an estimate from the engine's phases).
    done: AtomicU32,
    stage: Mutex<&'static str>,
    cancelled: AtomicBool,
    outcome: Mutex<Option<Outcome>>,
}

/// How a job ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The preview is stored: the flash message to show.
    Stored(String),
    /// No assignment satisfies the constraints: the reasons.
    Infeasible(Vec<String>),
    Cancelled,
    Failed(String),
}

/// What the page shows of the current or last job.
#[derive(Debug, Clone)]
pub struct JobView {
    pub id: String,
    pub started: DateTime<Utc>,
    pub per_mille: u32,
    pub stage: &'static str,
    pub running: bool,
    pub cancelled: bool,
}

impl JobView {
    pub fn percent(&self) -> u32 {
        self.per_mille / 10
    }
}

impl Job {
    pub fn new(params: RunParams, now: DateTime<Utc>) -> Job {
        Job {
            id: uuid::Uuid::new_v4().simple().to_string(),
            started: now,
            params,
            done: AtomicU32::new(0),
            stage: Mutex::new("waiting to start"),
            cancelled: AtomicBool::new(false),
            outcome: Mutex::new(None),
        }
    }

    /// Records progress; returns false once the job is cancelled.
    pub fn report(&self, stage: &'static str, per_mille: u32) -> bool {
        self.done.store(per_mille.min(1000), Ordering::Relaxed);
        *self.stage.lock().unwrap_or_else(PoisonError::into_inner) = stage;
        !self.is_cancelled()
    }

    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    pub fn finish(&self, outcome: Outcome) {
        *self.outcome.lock().unwrap_or_else(PoisonError::into_inner) = Some(outcome);
    }

    pub fn outcome(&self) -> Option<Outcome> {
        self.outcome
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub fn view(&self) -> JobView {
        JobView {
            id: self.id.clone(),
            started: self.started,
            per_mille: self.done.load(Ordering::Relaxed),
            stage: *self.stage.lock().unwrap_or_else(PoisonError::into_inner),
            running: self.outcome().is_none(),
            cancelled: self.is_cancelled(),
        }
    }
}

/// The server's background assignment job, if one was started.
#[derive(Debug, Default)]
pub struct AssignmentJobs {
    current: Mutex<Option<Arc<Job>>>,
}

impl AssignmentJobs {
    /// Starts `job` unless one is running; returns the running one instead.
    pub fn start(&self, job: Job) -> Result<Arc<Job>, Arc<Job>> {
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(running) = current.as_ref().filter(|j| j.outcome().is_none()) {
            return Err(running.clone());
        }
        let job = Arc::new(job);
        *current = Some(job.clone());
        Ok(job)
    }

    /// The current or last job.
    pub fn current(&self) -> Option<Arc<Job>> {
        self.current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Forgets a finished job once its outcome was shown.
    pub fn clear_finished(&self, id: &str) {
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        if current
            .as_ref()
            .is_some_and(|j| j.id == id && j.outcome().is_some())
        {
            *current = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assignment::Objective;

    fn params() -> RunParams {
        RunParams {
            objective: Objective::Total,
            reviews_per_paper: 3,
            reviews_per_published_paper: 1,
            min_load: 0,
            max_load: 5,
        }
    }

    #[test]
    fn a_second_job_is_refused_while_one_runs_and_allowed_after_it_ends() {
        let jobs = AssignmentJobs::default();
        let first = jobs.start(Job::new(params(), Utc::now())).unwrap();
        let refused = jobs.start(Job::new(params(), Utc::now())).unwrap_err();
        assert_eq!(refused.id, first.id);
        first.finish(Outcome::Cancelled);
        assert!(jobs.start(Job::new(params(), Utc::now())).is_ok());
    }

    #[test]
    fn cancelling_makes_the_next_report_say_stop() {
        let job = Job::new(params(), Utc::now());
        assert!(job.report("scoring", 100));
        job.cancel();
        assert!(!job.report("solving", 500));
        assert_eq!(job.view().percent(), 50);
        assert!(job.view().cancelled);
    }
}
