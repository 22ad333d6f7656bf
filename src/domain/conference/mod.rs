//! The conference's own settings, edited by the chair: name, call text, time zone, deadlines,
//! tracks, limits and slots. Parsed from the settings form in one place; the stored value is
//! always valid. Times are UTC instants; the conference time zone only affects display and
//! how the chair's form input is read.

use chrono::{DateTime, Datelike, Duration, DurationRound, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

mod form;
pub use form::SettingsForm;

/// Every setting a chair controls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConferenceSettings {
    pub name: String,
    pub short_name: String,
    /// Markdown; rendered with raw HTML escaped.
    pub call_text: String,
    /// IANA time zone name, e.g. "America/Los_Angeles".
    pub time_zone: String,
    pub dates: Dates,
    /// Minutes after the submission deadline during which uploads are still accepted.
    pub grace_minutes: u32,
    /// Pages of main content allowed in the paper track.
    pub page_limit: u32,
    pub abstract_word_limit: u32,
    /// Whether the double-blind "paper" track takes submissions.
    pub paper_track_open: bool,
    /// Whether the non-anonymous "published" track takes submissions.
    pub published_track_open: bool,
    pub reviews_per_paper: u32,
    pub reviews_per_published_paper: u32,
    pub reviewer_load_min: u32,
    pub reviewer_load_max: u32,
    pub talk_slots: u32,
    pub spotlight_slots: u32,
    /// The chair's topic list, offered as keywords on the submission form.
    #[serde(default = "default_topics")]
    pub topics: Vec<String>,
    /// Format-check codes that refuse an upload in the paper track; the others only flag
    /// it. Unreadable files (not a PDF, damaged, encrypted) are always refused.
    #[serde(default = "default_format_blocking")]
    pub format_blocking: Vec<String>,
    /// Days before the review due date on which reviewers with unsubmitted reviews get a
    /// reminder (each reminder once).
    #[serde(default = "default_reminder_days")]
    pub review_reminder_days: Vec<u32>,
    /// How reviewers are named to each other and to authors: "Reviewer A" or "Reviewer 1".
    #[serde(default)]
    pub reviewer_labels: LabelStyle,
    /// Chairs see each main author's review obligations beside their submission.
    #[serde(default)]
    pub show_obligations_when_deciding: bool,
    /// Pages of main content allowed in a camera-ready version.
    #[serde(default = "default_camera_ready_page_limit")]
    pub camera_ready_page_limit: u32,
    /// Days before the camera-ready deadline on which accepted papers without a camera-ready
    /// version get a reminder.
    #[serde(default = "default_reminder_days")]
    pub camera_ready_reminder_days: Vec<u32>,
    /// The discussion after reviewing and the author response (its own settings page).
    #[serde(default)]
    pub discussion: crate::domain::discussion::DiscussionSettings,
}

/// A page more than the submission for the camera-ready version (room for the authors'
/// names and acknowledgements).
pub fn default_camera_ready_page_limit() -> u32 {
    5
}

/// Reminders 7 days and 1 day before reviews are due.
pub fn default_reminder_days() -> Vec<u32> {
    vec![7, 1]
}

/// How reviewers of one paper are labelled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LabelStyle {
    #[default]
    Letters,
    Numbers,
}

impl LabelStyle {
    /// The label of the `i`-th reviewer (0-based): "Reviewer A", …, "Reviewer Z", "Reviewer
    /// AA", … or "Reviewer 1", ….
    pub fn label(self, i: usize) -> String {
        match self {
            LabelStyle::Numbers => format!("Reviewer {}", i + 1),
            LabelStyle::Letters => {
                let mut n = i;
                let mut s = String::new();
                loop {
                    s.insert(0, char::from(b'A' + (n % 26) as u8));
                    if n < 26 {
                        break;
                    }
                    n = n / 26 - 1;
                }
                format!("Reviewer {s}")
            }
        }
    }
}

/// By default the page limit and paper size block; margins, font size and anonymity flag.
pub fn default_format_blocking() -> Vec<String> {
    vec!["page_limit".into(), "paper_size".into()]
}

/// The DLDE workshop's topics.
pub fn default_topics() -> Vec<String> {
    [
        "Neural ODEs",
        "Neural SDEs",
        "Physics-informed neural networks",
        "Neural operators",
        "Learned numerical solvers",
        "Diffusion models and SDEs",
        "Hamiltonian and Lagrangian networks",
        "Dynamical systems theory of deep learning",
        "Inverse problems",
        "Scientific machine learning",
        "Optimal control",
        "Continuous-time sequence models",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// The important dates, as UTC instants.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Dates {
    pub submissions_open: DateTime<Utc>,
    pub submission_deadline: DateTime<Utc>,
    /// When reviewers' bidding on papers closes (it opens when submissions close). Absent
    /// in settings stored before bidding existed; see [`Dates::bidding_closes`].
    #[serde(default)]
    pub bidding_deadline: Option<DateTime<Utc>>,
    pub review_due: DateTime<Utc>,
    pub decisions_release: DateTime<Utc>,
    pub camera_ready_due: DateTime<Utc>,
    pub workshop_day: DateTime<Utc>,
}

/// One named date, for listings and the countdown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NamedDate {
    pub field: &'static str,
    pub label: &'static str,
    pub at: DateTime<Utc>,
}

impl Dates {
    /// The end of the bidding window: the stored date, or a week after the deadline.
    pub fn bidding_closes(&self) -> DateTime<Utc> {
        self.bidding_deadline
            .unwrap_or(self.submission_deadline + Duration::days(7))
    }

    /// The dates in life-cycle order, each with its form field and label.
    pub fn in_order(&self) -> [NamedDate; 7] {
        [
            NamedDate {
                field: "submissions_open",
                label: "Submissions open",
                at: self.submissions_open,
            },
            NamedDate {
                field: "submission_deadline",
                label: "Submission deadline",
                at: self.submission_deadline,
            },
            NamedDate {
                field: "bidding_deadline",
                label: "Bidding closes",
                at: self.bidding_closes(),
            },
            NamedDate {
                field: "review_due",
                label: "Reviews due",
                at: self.review_due,
            },
            NamedDate {
                field: "decisions_release",
                label: "Decisions released",
                at: self.decisions_release,
            },
            NamedDate {
                field: "camera_ready_due",
                label: "Camera-ready due",
                at: self.camera_ready_due,
            },
            NamedDate {
                field: "workshop_day",
                label: "Workshop",
                at: self.workshop_day,
            },
        ]
    }
}

impl ConferenceSettings {
    /// The DLDE workshop at NeurIPS 2021 (deadline 17 September, midnight Pacific time;
    /// decisions 17 October; workshop 14 December), moved forward by whole years so that
    /// the submission deadline lies in the future of `now`.
    pub fn dlde_defaults(now: DateTime<Utc>) -> ConferenceSettings {
        let tz = chrono_tz::America::Los_Angeles;
        let mut year = now.with_timezone(&tz).year();
        let at = |y: i32, m: u32, d: u32, h: u32, min: u32, s: u32| {
            tz.with_ymd_and_hms(y, m, d, h, min, s)
                .earliest()
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or(now)
        };
        if at(year, 9, 17, 23, 59, 59) <= now {
            year += 1;
        }
        ConferenceSettings {
            name: "The Symbiosis of Deep Learning and Differential Equations".into(),
            short_name: "DLDE".into(),
            call_text: DEFAULT_CALL.trim_end().into(),
            time_zone: tz.name().into(),
            dates: Dates {
                submissions_open: at(year, 7, 15, 0, 0, 0)
                    .min(now.duration_trunc(Duration::seconds(1)).unwrap_or(now)),
                submission_deadline: at(year, 9, 17, 23, 59, 59),
                bidding_deadline: Some(at(year, 9, 22, 23, 59, 59)),
                review_due: at(year, 10, 8, 23, 59, 59),
                decisions_release: at(year, 10, 17, 12, 0, 0),
                camera_ready_due: at(year, 11, 15, 23, 59, 59),
                workshop_day: at(year, 12, 14, 8, 0, 0),
            },
            grace_minutes: 0,
            page_limit: 4,
            abstract_word_limit: 300,
            paper_track_open: true,
            published_track_open: true,
            reviews_per_paper: 3,
            reviews_per_published_paper: 1,
            reviewer_load_min: 3,
            reviewer_load_max: 5,
            talk_slots: 4,
            spotlight_slots: 8,
            topics: default_topics(),
            format_blocking: default_format_blocking(),
            review_reminder_days: default_reminder_days(),
            reviewer_labels: LabelStyle::Letters,
            show_obligations_when_deciding: false,
            camera_ready_page_limit: default_camera_ready_page_limit(),
            camera_ready_reminder_days: default_reminder_days(),
            discussion: Default::default(),
        }
    }

    /// The conference time zone. Stored settings always hold a valid name; UTC otherwise.
    pub fn tz(&self) -> Tz {
        self.time_zone.parse().unwrap_or(Tz::UTC)
    }

    /// The last instant at which a submission is accepted: deadline plus grace.
    pub fn submissions_close_at(&self) -> DateTime<Utc> {
        self.dates.submission_deadline + Duration::minutes(i64::from(self.grace_minutes))
    }

    /// The next date still ahead of `now`, for the countdown.
    pub fn next_date(&self, now: DateTime<Utc>) -> Option<NamedDate> {
        self.dates.in_order().into_iter().find(|d| d.at > now)
    }
}

const DEFAULT_CALL: &str = "\
Differential equations and deep learning feed each other: neural ODEs and SDEs, \
physics-informed networks, learned solvers and operator learning. This workshop brings \
the two communities together.

**We invite two kinds of submissions:**

- *Papers*: new work of at most **4 pages** (references, acknowledgements and appendices \
do not count) in the NeurIPS style, anonymised for double-blind review.
- *Published work*: papers already published elsewhere, not anonymous, lightly reviewed.

Every submission's main author reviews three to five other submissions. Accepted papers \
are presented as posters, spotlights or contributed talks and published on this site as \
non-archival reports.
";

/// Formats an instant in a time zone with its abbreviation and UTC offset,
/// e.g. "Fri 17 Sep 2027, 23:59 PDT (UTC−07:00)".
pub fn format_in_zone(at: DateTime<Utc>, tz: Tz) -> String {
    let local = at.with_timezone(&tz);
    let offset = local.format("%:z").to_string().replace('-', "−");
    format!("{} (UTC{offset})", local.format("%a %-d %b %Y, %H:%M %Z"))
}

/// A human "time left" such as "291 days, 4 hours" or "12 minutes".
pub fn format_time_left(from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let secs = (to - from).num_seconds().max(0);
    let (days, hours, minutes) = (secs / 86_400, (secs % 86_400) / 3600, (secs % 3600) / 60);
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    if days > 0 {
        format!("{}, {}", plural(days, "day"), plural(hours, "hour"))
    } else if hours > 0 {
        format!("{}, {}", plural(hours, "hour"), plural(minutes, "minute"))
    } else if minutes > 0 {
        plural(minutes, "minute")
    } else {
        plural(secs, "second")
    }
}

/// The value a `datetime-local` input shows for an instant, in the conference zone.
pub fn to_local_input(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz)
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

#[cfg(test)]
mod tests;
