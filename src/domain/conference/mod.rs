//! The conference's own settings, edited by the chair: name, call text, time zone, deadlines,
//! tracks, limits and slots. Parsed from the settings form in one place; the stored value is
//! always valid. Times are UTC instants; the conference time zone only affects display and
//! how the chair's form input is read.

use chrono::{DateTime, Datelike, Duration, DurationRound, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::{FieldErrors, bounded_text};

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

/// The settings form as typed: every value a raw string so the form can re-render it.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    pub name: String,
    pub short_name: String,
    pub call_text: String,
    pub time_zone: String,
    pub submissions_open: String,
    pub submission_deadline: String,
    pub bidding_deadline: String,
    pub review_due: String,
    pub decisions_release: String,
    pub camera_ready_due: String,
    pub workshop_day: String,
    pub grace_minutes: String,
    pub page_limit: String,
    pub abstract_word_limit: String,
    /// Checkboxes: present ("on") when ticked, absent otherwise.
    pub paper_track_open: Option<String>,
    pub published_track_open: Option<String>,
    pub reviews_per_paper: String,
    pub reviews_per_published_paper: String,
    pub reviewer_load_min: String,
    pub reviewer_load_max: String,
    pub talk_slots: String,
    pub spotlight_slots: String,
    /// One topic per line.
    pub topics: String,
    /// Checkboxes: which format checks block an upload.
    pub block_page_limit: Option<String>,
    pub block_paper_size: Option<String>,
    pub block_margins: Option<String>,
    pub block_font_size: Option<String>,
    pub block_anonymity: Option<String>,
    /// Comma-separated days before the review due date.
    pub review_reminder_days: String,
    /// "letters" or "numbers".
    pub reviewer_labels: String,
    pub show_obligations_when_deciding: Option<String>,
    pub camera_ready_page_limit: String,
    /// Comma-separated days before the camera-ready deadline.
    pub camera_ready_reminder_days: String,
    /// Optimistic-locking version of the settings the form was opened on.
    pub version: String,
}

impl SettingsForm {
    /// The form pre-filled with stored settings.
    pub fn from_settings(s: &ConferenceSettings, version: i32) -> SettingsForm {
        let tz = s.tz();
        let d = &s.dates;
        let on = |b: bool| b.then(|| "on".to_string());
        SettingsForm {
            name: s.name.clone(),
            short_name: s.short_name.clone(),
            call_text: s.call_text.clone(),
            time_zone: s.time_zone.clone(),
            submissions_open: to_local_input(d.submissions_open, tz),
            submission_deadline: to_local_input(d.submission_deadline, tz),
            bidding_deadline: to_local_input(d.bidding_closes(), tz),
            review_due: to_local_input(d.review_due, tz),
            decisions_release: to_local_input(d.decisions_release, tz),
            camera_ready_due: to_local_input(d.camera_ready_due, tz),
            workshop_day: to_local_input(d.workshop_day, tz),
            grace_minutes: s.grace_minutes.to_string(),
            page_limit: s.page_limit.to_string(),
            abstract_word_limit: s.abstract_word_limit.to_string(),
            paper_track_open: on(s.paper_track_open),
            published_track_open: on(s.published_track_open),
            reviews_per_paper: s.reviews_per_paper.to_string(),
            reviews_per_published_paper: s.reviews_per_published_paper.to_string(),
            reviewer_load_min: s.reviewer_load_min.to_string(),
            reviewer_load_max: s.reviewer_load_max.to_string(),
            talk_slots: s.talk_slots.to_string(),
            spotlight_slots: s.spotlight_slots.to_string(),
            topics: s.topics.join("\n"),
            block_page_limit: on(s.format_blocking.iter().any(|c| c == "page_limit")),
            block_paper_size: on(s.format_blocking.iter().any(|c| c == "paper_size")),
            block_margins: on(s.format_blocking.iter().any(|c| c == "margins")),
            block_font_size: on(s.format_blocking.iter().any(|c| c == "font_size")),
            block_anonymity: on(s.format_blocking.iter().any(|c| c == "anonymity")),
            review_reminder_days: s
                .review_reminder_days
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            reviewer_labels: match s.reviewer_labels {
                LabelStyle::Letters => "letters".into(),
                LabelStyle::Numbers => "numbers".into(),
            },
            show_obligations_when_deciding: on(s.show_obligations_when_deciding),
            camera_ready_page_limit: s.camera_ready_page_limit.to_string(),
            camera_ready_reminder_days: s
                .camera_ready_reminder_days
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            version: version.to_string(),
        }
    }
}

fn number(
    errors: &mut FieldErrors,
    field: &str,
    label: &str,
    raw: &str,
    min: u32,
    max: u32,
) -> u32 {
    match raw.trim().parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => n,
        _ => {
            errors.add(
                field,
                format!("{label} must be a whole number from {min} to {max}."),
            );
            min
        }
    }
}

/// Reads "7, 1" as days (1–60), largest first.
fn reminder_days(e: &mut FieldErrors, field: &str, raw: &str) -> Vec<u32> {
    let mut days: Vec<u32> = Vec::new();
    for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.parse::<u32>() {
            Ok(d) if (1..=60).contains(&d) => days.push(d),
            _ => e.add(
                field,
                format!("\"{part}\" is not a number of days from 1 to 60; write e.g. 7, 1."),
            ),
        }
    }
    days.sort_unstable_by(|a, b| b.cmp(a));
    days.dedup();
    days
}

/// Reads a `datetime-local` value ("2027-09-17T23:59" or with seconds) in zone `tz`.
fn local_time(
    errors: &mut FieldErrors,
    field: &str,
    label: &str,
    raw: &str,
    tz: Tz,
) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    let naive = NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M"));
    let Ok(naive) = naive else {
        errors.add(
            field,
            format!("{label}: enter a date and time like 2027-09-17T23:59."),
        );
        return None;
    };
    match tz.from_local_datetime(&naive).earliest() {
        Some(t) => Some(t.with_timezone(&Utc)),
        None => {
            errors.add(
                field,
                format!("{label}: {raw} does not exist in {tz} (clocks jump forward then)."),
            );
            None
        }
    }
}

impl TryFrom<&SettingsForm> for ConferenceSettings {
    type Error = FieldErrors;

    fn try_from(f: &SettingsForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = bounded_text(&mut e, "name", "Name", &f.name, 1, 200);
        let short_name = bounded_text(&mut e, "short_name", "Short name", &f.short_name, 1, 30);
        let call_text = bounded_text(
            &mut e,
            "call_text",
            "Call for papers",
            &f.call_text,
            0,
            20_000,
        );
        let time_zone = f.time_zone.trim().to_string();
        let tz: Tz = match time_zone.parse() {
            Ok(tz) => tz,
            Err(_) => {
                e.add(
                    "time_zone",
                    format!(
                        "\"{time_zone}\" is not a known IANA time zone (e.g. America/Los_Angeles)."
                    ),
                );
                Tz::UTC
            }
        };
        let mut date =
            |field: &str, label: &str, raw: &str| local_time(&mut e, field, label, raw, tz);
        let dates = [
            date("submissions_open", "Submissions open", &f.submissions_open),
            date(
                "submission_deadline",
                "Submission deadline",
                &f.submission_deadline,
            ),
            date("bidding_deadline", "Bidding closes", &f.bidding_deadline),
            date("review_due", "Reviews due", &f.review_due),
            date(
                "decisions_release",
                "Decisions released",
                &f.decisions_release,
            ),
            date("camera_ready_due", "Camera-ready due", &f.camera_ready_due),
            date("workshop_day", "Workshop", &f.workshop_day),
        ];
        let grace_minutes = number(
            &mut e,
            "grace_minutes",
            "Grace",
            &f.grace_minutes,
            0,
            24 * 60,
        );
        let page_limit = number(&mut e, "page_limit", "Page limit", &f.page_limit, 1, 100);
        let abstract_word_limit = number(
            &mut e,
            "abstract_word_limit",
            "Abstract word limit",
            &f.abstract_word_limit,
            50,
            2000,
        );
        let reviews_per_paper = number(
            &mut e,
            "reviews_per_paper",
            "Reviews per paper",
            &f.reviews_per_paper,
            1,
            20,
        );
        let reviews_per_published_paper = number(
            &mut e,
            "reviews_per_published_paper",
            "Reviews per published paper",
            &f.reviews_per_published_paper,
            1,
            20,
        );
        let reviewer_load_min = number(
            &mut e,
            "reviewer_load_min",
            "Minimum load",
            &f.reviewer_load_min,
            0,
            100,
        );
        let reviewer_load_max = number(
            &mut e,
            "reviewer_load_max",
            "Maximum load",
            &f.reviewer_load_max,
            1,
            100,
        );
        if e.get("reviewer_load_min").is_none()
            && e.get("reviewer_load_max").is_none()
            && reviewer_load_min > reviewer_load_max
        {
            e.add(
                "reviewer_load_min",
                format!("Minimum load ({reviewer_load_min}) cannot exceed maximum load ({reviewer_load_max})."),
            );
        }
        let talk_slots = number(
            &mut e,
            "talk_slots",
            "Contributed-talk slots",
            &f.talk_slots,
            0,
            100,
        );
        let spotlight_slots = number(
            &mut e,
            "spotlight_slots",
            "Spotlight slots",
            &f.spotlight_slots,
            0,
            100,
        );
        let topics: Vec<String> = f
            .topics
            .lines()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
        if topics.len() > 100 || topics.iter().any(|t| t.chars().count() > 60) {
            e.add(
                "topics",
                "At most 100 topics of at most 60 characters each, one per line.",
            );
        }
        let format_blocking: Vec<String> = [
            ("page_limit", &f.block_page_limit),
            ("paper_size", &f.block_paper_size),
            ("margins", &f.block_margins),
            ("font_size", &f.block_font_size),
            ("anonymity", &f.block_anonymity),
        ]
        .iter()
        .filter(|(_, on)| on.is_some())
        .map(|(code, _)| code.to_string())
        .collect();
        let review_reminder_days =
            reminder_days(&mut e, "review_reminder_days", &f.review_reminder_days);
        let camera_ready_reminder_days = reminder_days(
            &mut e,
            "camera_ready_reminder_days",
            &f.camera_ready_reminder_days,
        );
        let camera_ready_page_limit = number(
            &mut e,
            "camera_ready_page_limit",
            "Camera-ready page limit",
            &f.camera_ready_page_limit,
            1,
            100,
        );
        let reviewer_labels = match f.reviewer_labels.as_str() {
            "numbers" => LabelStyle::Numbers,
            "letters" | "" => LabelStyle::Letters,
            other => {
                e.add(
                    "reviewer_labels",
                    format!("\"{other}\" is not a label style (letters or numbers)."),
                );
                LabelStyle::Letters
            }
        };
        let show_obligations_when_deciding = f.show_obligations_when_deciding.is_some();
        let paper_track_open = f.paper_track_open.is_some();
        let published_track_open = f.published_track_open.is_some();

        let [
            Some(a),
            Some(b),
            Some(bid),
            Some(c),
            Some(d),
            Some(cr),
            Some(w),
        ] = dates
        else {
            return Err(e);
        };
        let dates = Dates {
            submissions_open: a,
            submission_deadline: b,
            bidding_deadline: Some(bid),
            review_due: c,
            decisions_release: d,
            camera_ready_due: cr,
            workshop_day: w,
        };
        check_date_order(&dates, tz, &mut e);
        e.into_result(|| ConferenceSettings {
            name,
            short_name,
            call_text,
            time_zone: tz.name().to_string(),
            dates,
            grace_minutes,
            page_limit,
            abstract_word_limit,
            paper_track_open,
            published_track_open,
            reviews_per_paper,
            reviews_per_published_paper,
            reviewer_load_min,
            reviewer_load_max,
            talk_slots,
            spotlight_slots,
            topics,
            format_blocking,
            review_reminder_days,
            reviewer_labels,
            show_obligations_when_deciding,
            camera_ready_page_limit,
            camera_ready_reminder_days,
        })
    }
}

/// Each date must come after the one before it; the message goes beside the later field.
fn check_date_order(dates: &Dates, tz: Tz, e: &mut FieldErrors) {
    let ordered = dates.in_order();
    for pair in ordered.windows(2) {
        let (earlier, later) = (pair[0], pair[1]);
        if later.at <= earlier.at {
            e.add(
                later.field,
                format!(
                    "{} must be after {} ({}).",
                    later.label,
                    earlier.label.to_lowercase(),
                    format_in_zone(earlier.at, tz)
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 29, 12, 0, 0).unwrap()
    }

    #[test]
    fn defaults_lie_in_the_future_and_keep_the_dlde_shape() {
        let s = ConferenceSettings::dlde_defaults(now());
        assert!(s.dates.submission_deadline > now());
        assert_eq!(
            format_in_zone(s.dates.submission_deadline, s.tz()),
            "Fri 17 Sep 2027, 23:59 PDT (UTC−07:00)"
        );
        assert_eq!(
            (
                s.page_limit,
                s.reviews_per_paper,
                s.talk_slots,
                s.spotlight_slots
            ),
            (4, 3, 4, 8)
        );
        assert!(ConferenceSettings::try_from(&SettingsForm::from_settings(&s, 1)).is_ok());
    }

    #[test]
    fn reviewer_labels_count_past_z() {
        let l = LabelStyle::Letters;
        assert_eq!(
            [
                l.label(0),
                l.label(2),
                l.label(25),
                l.label(26),
                l.label(27)
            ],
            [
                "Reviewer A",
                "Reviewer C",
                "Reviewer Z",
                "Reviewer AA",
                "Reviewer AB"
            ]
            .map(String::from)
        );
        assert_eq!(LabelStyle::Numbers.label(1), "Reviewer 2");
    }

    #[test]
    fn reminder_days_are_read_sorted_and_checked() {
        let s = ConferenceSettings::dlde_defaults(now());
        let mut f = SettingsForm::from_settings(&s, 1);
        assert_eq!(f.review_reminder_days, "7, 1");
        f.review_reminder_days = "1, 14,7,7".into();
        assert_eq!(
            ConferenceSettings::try_from(&f)
                .unwrap()
                .review_reminder_days,
            vec![14, 7, 1]
        );
        f.review_reminder_days = "soon".into();
        assert!(
            ConferenceSettings::try_from(&f)
                .unwrap_err()
                .get("review_reminder_days")
                .is_some()
        );
    }

    #[test]
    fn a_form_round_trips_to_the_same_settings() {
        let s = ConferenceSettings::dlde_defaults(now());
        let parsed = ConferenceSettings::try_from(&SettingsForm::from_settings(&s, 1)).unwrap();
        assert_eq!(parsed, s);
    }

    #[test]
    fn deadlines_out_of_order_are_refused_beside_the_later_field() {
        let s = ConferenceSettings::dlde_defaults(now());
        let mut f = SettingsForm::from_settings(&s, 1);
        f.review_due = "2020-01-01T00:00".into();
        let e = ConferenceSettings::try_from(&f).unwrap_err();
        assert!(
            e.get("review_due")
                .unwrap()
                .contains("must be after bidding closes")
        );
    }

    #[test]
    fn unknown_time_zone_and_inverted_loads_are_refused() {
        let s = ConferenceSettings::dlde_defaults(now());
        let mut f = SettingsForm::from_settings(&s, 1);
        f.time_zone = "Mars/Olympus_Mons".into();
        f.reviewer_load_min = "6".into();
        f.reviewer_load_max = "5".into();
        let e = ConferenceSettings::try_from(&f).unwrap_err();
        assert!(
            e.get("time_zone")
                .unwrap()
                .contains("not a known IANA time zone")
        );
        assert!(
            e.get("reviewer_load_min")
                .unwrap()
                .contains("cannot exceed")
        );
    }

    #[test]
    fn form_times_are_read_in_the_conference_zone() {
        let s = ConferenceSettings::dlde_defaults(now());
        let mut f = SettingsForm::from_settings(&s, 1);
        f.time_zone = "Europe/Paris".into();
        let parsed = ConferenceSettings::try_from(&f).unwrap();
        // 23:59:59 in Paris (CEST, UTC+2) is 21:59:59 UTC.
        assert_eq!(
            parsed.dates.submission_deadline.to_rfc3339(),
            "2027-09-17T21:59:59+00:00"
        );
    }

    #[test]
    fn grace_extends_the_close_time() {
        let mut s = ConferenceSettings::dlde_defaults(now());
        s.grace_minutes = 30;
        assert_eq!(
            s.submissions_close_at() - s.dates.submission_deadline,
            Duration::minutes(30)
        );
    }

    #[test]
    fn time_left_reads_naturally() {
        let t = now();
        assert_eq!(
            format_time_left(t, t + Duration::days(3) + Duration::hours(1)),
            "3 days, 1 hour"
        );
        assert_eq!(format_time_left(t, t + Duration::minutes(5)), "5 minutes");
    }
}
