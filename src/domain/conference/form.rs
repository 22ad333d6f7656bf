//! The chair's settings form: every value as typed (so the form re-renders it), prefilled from
//! stored settings, and parsed in one place into valid `ConferenceSettings` with an error per
//! field (numbers in range, dates in order in the conference time zone, known zone names).

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::*;
use crate::domain::{FieldErrors, bounded_text};

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
            // Edited on its own page (`/chair/discussion/settings`); the caller keeps the stored one.
            discussion: Default::default(),
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
