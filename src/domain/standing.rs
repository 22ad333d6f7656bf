//! Where the conference stands and what the chairs should do next. The counts come from the
//! database (`db::standing`); the phase and the next step are decided here, from the counts
//! and the dates together, so a conference that is behind or ahead of its calendar is told
//! what it actually needs (reviews still missing after the due date, decisions released
//! early). Pure: no I/O.

use chrono::{DateTime, Utc};

/// The counts the dashboard shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Standing {
    pub submitted: usize,
    pub withdrawn: usize,
    /// Active papers with fewer committed reviewers than the settings ask.
    pub short_of_reviewers: usize,
    pub assignments: usize,
    /// An engine run or import waiting to be committed.
    pub preview_open: bool,
    pub reviews_submitted: usize,
    pub reviews_draft: usize,
    /// Assigned reviews not submitted (drafts included).
    pub reviews_missing: usize,
    pub undecided: usize,
    /// Decisions whose letter has not gone out (new or changed since the last release).
    pub unreleased: usize,
    /// Decisions released at least once.
    pub released: bool,
    /// Decision letters written (queued or delivered), and how many of them are delivered.
    pub letters_sent: usize,
    pub letters_delivered: usize,
    /// Accepted papers (released) without a camera-ready version.
    pub camera_ready_missing: usize,
    pub accepted: usize,
    pub program_saved: bool,
    pub failed_emails: usize,
}

/// The dates the next step depends on.
#[derive(Debug, Clone, Copy)]
pub struct Calendar {
    pub submissions_close: DateTime<Utc>,
    pub review_due: DateTime<Utc>,
    pub camera_ready_due: DateTime<Utc>,
    pub now: DateTime<Utc>,
}

/// Where the conference is, in people's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Submissions,
    Assignment,
    Reviewing,
    Deciding,
    Releasing,
    CameraReady,
    Done,
}

impl Phase {
    pub fn label(self) -> &'static str {
        match self {
            Phase::Submissions => "Submissions are open",
            Phase::Assignment => "Assigning reviewers",
            Phase::Reviewing => "Reviewing",
            Phase::Deciding => "Deciding",
            Phase::Releasing => "Releasing decisions",
            Phase::CameraReady => "Camera-ready versions and program",
            Phase::Done => "Ready for the workshop",
        }
    }
}

/// The one thing to do next, with the page where it is done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextStep {
    pub phase: Phase,
    /// What to do and why, one or two sentences.
    pub text: String,
    pub link: &'static str,
    pub link_text: &'static str,
    /// Another way on, when the chair need not wait (deciding while a few reviews are late).
    pub also: Option<(&'static str, &'static str)>,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Decides the next step from the counts and the calendar.
pub fn next_step(s: &Standing, cal: &Calendar) -> NextStep {
    let step = |phase, text: String, link, link_text| NextStep {
        phase,
        text,
        link,
        link_text,
        also: None,
    };
    if cal.now <= cal.submissions_close && s.assignments == 0 && !s.released {
        return if s.submitted == 0 {
            step(
                Phase::Submissions,
                "No submission yet. Check the dates, limits and call text in the settings; the call for papers is public.".into(),
                "/chair/settings",
                "Check the settings",
            )
        } else {
            step(
                Phase::Submissions,
                format!(
                    "{} so far; authors can still submit and edit until the deadline. Meanwhile look through the format reports.",
                    plural(s.submitted, "submission", "submissions")
                ),
                "/chair/submissions",
                "See all submissions",
            )
        };
    }
    if s.submitted > 0 && (s.assignments == 0 || s.short_of_reviewers > 0) && !s.released {
        if s.preview_open {
            return step(
                Phase::Assignment,
                "An assignment preview is waiting: check it, adjust it, then commit it (reviewers are emailed then).".into(),
                "/chair/assignment",
                "Review and commit the assignment",
            );
        }
        if s.reviews_submitted == 0 || s.assignments == 0 {
            return step(
                Phase::Assignment,
                if s.assignments == 0 {
                    format!(
                        "Submissions are closed. Assign reviewers to the {}: compute a preview, check it, commit it.",
                        plural(s.submitted, "paper", "papers")
                    )
                } else {
                    format!(
                        "{} fewer reviewers than needed: compute a new preview (committed reviewers stay).",
                        plural(s.short_of_reviewers, "paper has", "papers have")
                    )
                },
                "/chair/assignment",
                "Assign reviewers",
            );
        }
    }
    if s.reviews_missing > 0 && cal.now <= cal.review_due && s.undecided > 0 {
        let mut reviewing = step(
            Phase::Reviewing,
            format!(
                "{} of {} reviews are submitted; {} missing ({} as drafts). Reviewers get automatic reminders before the due date; you can remind them now.",
                s.reviews_submitted,
                s.reviews_submitted + s.reviews_missing,
                s.reviews_missing,
                s.reviews_draft
            ),
            "/chair/reviews",
            "See review progress",
        );
        if s.reviews_submitted > 0 {
            reviewing.also = Some(("/chair/decisions", "Decide with the reviews in so far"));
        }
        return reviewing;
    }
    if s.undecided > 0 {
        let late = if s.reviews_missing > 0 {
            format!(
                " {} late: decide with the reviews you have, or remind the reviewers from the review progress page.",
                plural(s.reviews_missing, "review is", "reviews are")
            )
        } else {
            String::new()
        };
        return step(
            Phase::Deciding,
            format!(
                "{} no decision yet.{late}",
                plural(s.undecided, "paper has", "papers have")
            ),
            "/chair/decisions",
            "Decide",
        );
    }
    if s.unreleased > 0 {
        return step(
            Phase::Releasing,
            format!(
                "{} decided but not released: releasing sends the letters and shows the reviews to the authors.",
                plural(s.unreleased, "paper is", "papers are")
            ),
            "/chair/decisions/release",
            "Release decisions",
        );
    }
    if s.released && !s.program_saved && s.accepted > 0 {
        return step(
            Phase::CameraReady,
            "Decisions are released. Publish the program: the editor proposes a day from the accepted papers.".into(),
            "/chair/program",
            "Edit and publish the program",
        );
    }
    if s.released && s.camera_ready_missing > 0 && cal.now <= cal.camera_ready_due {
        return step(
            Phase::CameraReady,
            format!(
                "{} no camera-ready version yet; their authors get automatic reminders before the deadline. You can write to all accepted authors.",
                plural(
                    s.camera_ready_missing,
                    "accepted paper has",
                    "accepted papers have"
                )
            ),
            "/chair/mail",
            "Write to the accepted authors",
        );
    }
    step(
        Phase::Done,
        if s.camera_ready_missing > 0 {
            format!(
                "The camera-ready deadline has passed; {} without a camera-ready version (the submitted version is published). The program is public.",
                plural(s.camera_ready_missing, "paper is", "papers are")
            )
        } else {
            "Everything is in place: decisions released, program published. The public program shows the day.".into()
        },
        "/program",
        "See the public program",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn cal(days_after_close: i64) -> Calendar {
        let close = Utc.with_ymd_and_hms(2027, 9, 18, 7, 0, 0).unwrap();
        Calendar {
            submissions_close: close,
            review_due: close + Duration::days(21),
            camera_ready_due: close + Duration::days(60),
            now: close + Duration::days(days_after_close),
        }
    }

    #[test]
    fn the_steps_follow_the_work_not_only_the_dates() {
        let mut s = Standing {
            submitted: 10,
            ..Standing::default()
        };
        assert_eq!(next_step(&s, &cal(-3)).link, "/chair/submissions");
        assert_eq!(next_step(&s, &cal(1)).link, "/chair/assignment");
        s.preview_open = true;
        assert!(next_step(&s, &cal(1)).text.contains("preview is waiting"));
        s.preview_open = false;
        s.assignments = 30;
        s.reviews_missing = 30;
        s.undecided = 10;
        let step = next_step(&s, &cal(2));
        assert_eq!(
            (step.phase, step.link),
            (Phase::Reviewing, "/chair/reviews")
        );
        // After the due date with reviews missing: decide anyway, told how many are late.
        let step = next_step(&s, &cal(30));
        assert_eq!(step.link, "/chair/decisions");
        assert!(step.text.contains("30 reviews are late"), "{}", step.text);
        s.reviews_missing = 0;
        s.reviews_submitted = 30;
        assert_eq!(next_step(&s, &cal(2)).link, "/chair/decisions");
        s.undecided = 0;
        s.unreleased = 10;
        assert_eq!(next_step(&s, &cal(2)).link, "/chair/decisions/release");
        s.unreleased = 0;
        s.released = true;
        s.accepted = 5;
        s.camera_ready_missing = 5;
        assert_eq!(next_step(&s, &cal(31)).link, "/chair/program");
        s.program_saved = true;
        assert_eq!(next_step(&s, &cal(31)).link, "/chair/mail");
        s.camera_ready_missing = 0;
        assert_eq!(next_step(&s, &cal(31)).phase, Phase::Done);
    }

    #[test]
    fn an_empty_conference_is_sent_to_the_settings() {
        let step = next_step(&Standing::default(), &cal(-30));
        assert_eq!(step.link, "/chair/settings");
    }

    #[test]
    fn papers_short_of_reviewers_send_the_chair_back_to_the_assignment() {
        let s = Standing {
            submitted: 10,
            assignments: 27,
            short_of_reviewers: 1,
            reviews_missing: 27,
            undecided: 10,
            ..Standing::default()
        };
        let step = next_step(&s, &cal(1));
        assert_eq!(step.link, "/chair/assignment");
        assert!(step.text.contains("1 paper has fewer"), "{}", step.text);
    }
}
