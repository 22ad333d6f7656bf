//! The discussion after reviewing, as pure types: the chair's settings for it (author
//! response window, word limit, what authors see, how long comments stay editable, digests),
//! a comment's text and audience, the authors' response with its word limit, and the chairs'
//! meta-review. Who may write what when is `policy`'s business (`policy::discussion`); this
//! module only turns typed text into valid values.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::conference::{format_in_zone, to_local_input};
use super::decision::Decision;
use super::{FieldErrors, bounded_text};

/// Longest comment, in characters.
pub const COMMENT_MAX_CHARS: usize = 5_000;
/// Longest meta-review summary, in characters.
pub const META_REVIEW_MAX_CHARS: usize = 5_000;
/// A response is also bounded in characters, whatever its word limit (against huge posts).
pub const RESPONSE_MAX_CHARS: usize = 30_000;

/// What the chair set for the discussion and the author response. Stored in the conference
/// settings (absent in settings saved before it existed: the defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DiscussionSettings {
    /// Whether authors answer the reviews before decisions.
    pub response_enabled: bool,
    /// When authors can start writing their response (absent: the review due date).
    pub response_opens: Option<DateTime<Utc>>,
    /// The response deadline (absent: three days after it opens).
    pub response_closes: Option<DateTime<Utc>>,
    /// Most words a response may have.
    pub response_word_limit: u32,
    /// Whether authors see the reviewers' scores with the reviews during the response.
    pub response_shows_scores: bool,
    /// Whether reviewers and chairs may address comments to the authors during the
    /// response window (the authors then read those comments).
    pub comments_to_authors: bool,
    /// How long after posting a comment its writer may still edit it.
    pub comment_edit_minutes: u32,
    /// Whether the meta-review is shown to authors with their released decision.
    pub meta_review_to_authors: bool,
    /// Whether people get a digest email (at most hourly) about new comments.
    pub digest_emails: bool,
}

impl Default for DiscussionSettings {
    fn default() -> Self {
        DiscussionSettings {
            response_enabled: false,
            response_opens: None,
            response_closes: None,
            response_word_limit: 500,
            response_shows_scores: false,
            comments_to_authors: false,
            comment_edit_minutes: 15,
            meta_review_to_authors: false,
            digest_emails: true,
        }
    }
}

impl DiscussionSettings {
    /// The response window (opens, closes) when the response phase is enabled.
    pub fn response_window(
        &self,
        review_due: DateTime<Utc>,
    ) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        if !self.response_enabled {
            return None;
        }
        let opens = self.response_opens.unwrap_or(review_due);
        let closes = self
            .response_closes
            .unwrap_or(opens + chrono::Duration::days(3));
        Some((opens, closes))
    }
}

/// Who may read a comment besides its writer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CommentAudience {
    /// The paper's reviewers and the chairs.
    Reviewers,
    /// Also the paper's authors.
    Authors,
}

impl CommentAudience {
    pub fn parse(raw: &str) -> Option<CommentAudience> {
        match raw {
            "reviewers" | "" => Some(CommentAudience::Reviewers),
            "authors" => Some(CommentAudience::Authors),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CommentAudience::Reviewers => "reviewers",
            CommentAudience::Authors => "authors",
        }
    }

    /// For pages: "reviewers and chairs" / "reviewers, chairs and authors".
    pub fn label(self) -> &'static str {
        match self {
            CommentAudience::Reviewers => "reviewers and chairs",
            CommentAudience::Authors => "reviewers, chairs and authors",
        }
    }
}

/// The seat a comment was written from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WriterRole {
    Reviewer,
    Chair,
    AreaChair,
}

impl WriterRole {
    pub fn parse(raw: &str) -> Option<WriterRole> {
        match raw {
            "reviewer" => Some(WriterRole::Reviewer),
            "chair" => Some(WriterRole::Chair),
            "area_chair" => Some(WriterRole::AreaChair),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            WriterRole::Reviewer => "reviewer",
            WriterRole::Chair => "chair",
            WriterRole::AreaChair => "area_chair",
        }
    }

    /// How a chair's or area chair's comment is labelled ("Chair", "Area chair"); reviewers
    /// get their review label instead.
    pub fn desk_label(self) -> &'static str {
        match self {
            WriterRole::AreaChair => "Area chair",
            WriterRole::Chair | WriterRole::Reviewer => "Chair",
        }
    }
}

/// A comment's text, trimmed, 1 to [`COMMENT_MAX_CHARS`] characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentText(String);

impl CommentText {
    /// Reads the `body` field; the error names it.
    pub fn parse(raw: &str) -> Result<CommentText, FieldErrors> {
        let mut e = FieldErrors::new();
        let text = bounded_text(&mut e, "body", "Comment", raw, 1, COMMENT_MAX_CHARS);
        e.into_result(|| CommentText(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How many words a text has (runs of non-space characters).
pub fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// Whether the authors are saving a draft or submitting their response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseMode {
    Draft,
    Submit,
}

/// The authors' response, trimmed, within the word limit (and a character bound); empty is
/// allowed for a draft only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseText(String);

impl ResponseText {
    pub fn parse(
        raw: &str,
        word_limit: u32,
        mode: ResponseMode,
    ) -> Result<ResponseText, FieldErrors> {
        let mut e = FieldErrors::new();
        let min = usize::from(mode == ResponseMode::Submit);
        let text = bounded_text(
            &mut e,
            "body",
            "Your response",
            raw,
            min,
            RESPONSE_MAX_CHARS,
        );
        let words = word_count(&text);
        if words > word_limit as usize {
            e.add(
                "body",
                format!(
                    "Your response has {words} words; at most {word_limit} are allowed. Shorten it by {} words.",
                    words - word_limit as usize
                ),
            );
        }
        e.into_result(|| ResponseText(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The meta-review form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MetaReviewForm {
    pub summary: String,
    pub recommendation: String,
    pub version: String,
}

/// A valid meta-review: a summary and a recommendation (one of the decisions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaReview {
    pub summary: String,
    pub recommendation: Decision,
}

impl TryFrom<&MetaReviewForm> for MetaReview {
    type Error = FieldErrors;

    fn try_from(f: &MetaReviewForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let summary = bounded_text(
            &mut e,
            "summary",
            "Summary",
            &f.summary,
            1,
            META_REVIEW_MAX_CHARS,
        );
        let recommendation = Decision::parse(f.recommendation.trim());
        if recommendation.is_none() {
            e.add("recommendation", "Choose a recommendation.");
        }
        match recommendation {
            Some(recommendation) => e.into_result(|| MetaReview {
                summary,
                recommendation,
            }),
            None => Err(e),
        }
    }
}

/// The discussion settings form as typed (dates in the conference time zone).
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct DiscussionSettingsForm {
    /// Checkboxes: present ("on") when ticked.
    pub response_enabled: Option<String>,
    /// `datetime-local` values; empty: the default.
    pub response_opens: String,
    pub response_closes: String,
    pub response_word_limit: String,
    pub response_shows_scores: Option<String>,
    pub comments_to_authors: Option<String>,
    pub comment_edit_minutes: String,
    pub meta_review_to_authors: Option<String>,
    pub digest_emails: Option<String>,
    /// Optimistic-locking version of the conference settings.
    pub version: String,
}

impl DiscussionSettingsForm {
    /// The form pre-filled with stored settings.
    pub fn from_settings(s: &DiscussionSettings, tz: Tz, version: i32) -> DiscussionSettingsForm {
        let on = |b: bool| b.then(|| "on".to_string());
        let local = |t: Option<DateTime<Utc>>| t.map(|t| to_local_input(t, tz)).unwrap_or_default();
        DiscussionSettingsForm {
            response_enabled: on(s.response_enabled),
            response_opens: local(s.response_opens),
            response_closes: local(s.response_closes),
            response_word_limit: s.response_word_limit.to_string(),
            response_shows_scores: on(s.response_shows_scores),
            comments_to_authors: on(s.comments_to_authors),
            comment_edit_minutes: s.comment_edit_minutes.to_string(),
            meta_review_to_authors: on(s.meta_review_to_authors),
            digest_emails: on(s.digest_emails),
            version: version.to_string(),
        }
    }

    /// Valid settings, or an error per field. The response must close after it opens and
    /// no later than the planned release of decisions (`decisions_release`), so that the
    /// discussion can still read it.
    pub fn parse(
        &self,
        tz: Tz,
        review_due: DateTime<Utc>,
        decisions_release: DateTime<Utc>,
    ) -> Result<DiscussionSettings, FieldErrors> {
        let mut e = FieldErrors::new();
        let response_opens = optional_time(
            &mut e,
            "response_opens",
            "Response opens",
            &self.response_opens,
            tz,
        );
        let response_closes = optional_time(
            &mut e,
            "response_closes",
            "Response closes",
            &self.response_closes,
            tz,
        );
        let number = |e: &mut FieldErrors,
                      field: &str,
                      label: &str,
                      raw: &str,
                      min: u32,
                      max: u32| {
            match raw.trim().parse::<u32>() {
                Ok(n) if (min..=max).contains(&n) => n,
                _ => {
                    e.add(
                        field,
                        format!("{label} must be a whole number from {min} to {max}."),
                    );
                    min
                }
            }
        };
        let response_word_limit = number(
            &mut e,
            "response_word_limit",
            "The word limit",
            &self.response_word_limit,
            50,
            5000,
        );
        let comment_edit_minutes = number(
            &mut e,
            "comment_edit_minutes",
            "The editing time",
            &self.comment_edit_minutes,
            0,
            1440,
        );
        let settings = DiscussionSettings {
            response_enabled: self.response_enabled.is_some(),
            response_opens,
            response_closes,
            response_word_limit,
            response_shows_scores: self.response_shows_scores.is_some(),
            comments_to_authors: self.comments_to_authors.is_some(),
            comment_edit_minutes,
            meta_review_to_authors: self.meta_review_to_authors.is_some(),
            digest_emails: self.digest_emails.is_some(),
        };
        if e.get("response_opens").is_none() && e.get("response_closes").is_none() {
            let opens = response_opens.unwrap_or(review_due);
            let closes = response_closes.unwrap_or(opens + chrono::Duration::days(3));
            if closes <= opens {
                e.add(
                    "response_closes",
                    format!(
                        "The response must close after it opens ({}).",
                        format_in_zone(opens, tz)
                    ),
                );
            } else if settings.response_enabled && closes > decisions_release {
                e.add(
                    "response_closes",
                    format!(
                        "The response must close before decisions are released ({}).",
                        format_in_zone(decisions_release, tz)
                    ),
                );
            }
        }
        e.into_result(|| settings)
    }
}

/// Reads an optional `datetime-local` value in zone `tz`.
fn optional_time(
    e: &mut FieldErrors,
    field: &str,
    label: &str,
    raw: &str,
    tz: Tz,
) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let naive = NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M"));
    match naive
        .ok()
        .and_then(|n| tz.from_local_datetime(&n).earliest())
    {
        Some(t) => Some(t.with_timezone(&Utc)),
        None => {
            e.add(
                field,
                format!("{label}: enter a date and time like 2027-10-10T12:00, or leave it empty."),
            );
            None
        }
    }
}

/// Reads the chairs' area-chair list: one line per area chair, "email: 1, 4, 7-9" (paper
/// numbers and ranges). Errors name the line.
pub fn parse_area_chairs(raw: &str) -> Result<Vec<(String, Vec<i32>)>, Vec<String>> {
    let mut out: Vec<(String, Vec<i32>)> = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in raw
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let n = i + 1;
        let Some((email, papers)) = line.split_once(':') else {
            errors.push(format!("Line {n}: write an email, a colon and paper numbers, e.g. ada@example.org: 1, 4, 7-9."));
            continue;
        };
        let email = match super::account::Email::parse(email.trim()) {
            Ok(e) => e.as_str().to_string(),
            Err(_) => {
                errors.push(format!(
                    "Line {n}: \"{}\" is not an email address.",
                    email.trim()
                ));
                continue;
            }
        };
        let mut numbers = Vec::new();
        for part in papers.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let range = match part.split_once('-') {
                Some((a, b)) => a
                    .trim()
                    .parse::<i32>()
                    .ok()
                    .zip(b.trim().parse::<i32>().ok()),
                None => part.parse::<i32>().ok().map(|x| (x, x)),
            };
            match range {
                Some((a, b)) if 0 < a && a <= b && b - a < 10_000 => numbers.extend(a..=b),
                _ => errors.push(format!(
                    "Line {n}: \"{part}\" is not a paper number or a range like 7-9."
                )),
            }
        }
        numbers.sort_unstable();
        numbers.dedup();
        match out.iter_mut().find(|(e, _)| *e == email) {
            Some((_, list)) => {
                list.extend(numbers);
                list.sort_unstable();
                list.dedup();
            }
            None => out.push((email, numbers)),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_trimmed_and_bounded() {
        assert_eq!(CommentText::parse("  hello \n").unwrap().as_str(), "hello");
        assert!(CommentText::parse("   ").unwrap_err().get("body").is_some());
        let long = "x".repeat(COMMENT_MAX_CHARS + 1);
        assert!(CommentText::parse(&long).is_err());
    }

    #[test]
    fn responses_respect_the_word_limit_and_drafts_may_be_empty() {
        assert!(ResponseText::parse("", 5, ResponseMode::Draft).is_ok());
        assert!(ResponseText::parse("", 5, ResponseMode::Submit).is_err());
        assert!(ResponseText::parse("one two three four five", 5, ResponseMode::Submit).is_ok());
        let e =
            ResponseText::parse("one two three four five six", 5, ResponseMode::Draft).unwrap_err();
        assert!(e.get("body").unwrap().contains("6 words"), "{e}");
        assert_eq!(word_count(" a\tb\n\nc "), 3);
    }

    #[test]
    fn a_meta_review_needs_a_summary_and_a_known_recommendation() {
        let ok = MetaReview::try_from(&MetaReviewForm {
            summary: "Solid.".into(),
            recommendation: "poster".into(),
            version: "0".into(),
        })
        .unwrap();
        assert_eq!(ok.recommendation, Decision::Poster);
        let bad = MetaReview::try_from(&MetaReviewForm {
            summary: String::new(),
            recommendation: "maybe".into(),
            version: "0".into(),
        })
        .unwrap_err();
        assert!(bad.get("summary").is_some() && bad.get("recommendation").is_some());
    }

    #[test]
    fn the_response_window_defaults_to_three_days_from_the_review_due_date() {
        let due = chrono::DateTime::parse_from_rfc3339("2027-10-09T06:59:59Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(DiscussionSettings::default().response_window(due), None);
        let s = DiscussionSettings {
            response_enabled: true,
            ..DiscussionSettings::default()
        };
        assert_eq!(
            s.response_window(due),
            Some((due, due + chrono::Duration::days(3)))
        );
    }

    #[test]
    fn the_settings_form_reads_back_and_refuses_a_response_closing_after_decisions() {
        let tz = chrono_tz::America::Los_Angeles;
        let due = chrono::DateTime::parse_from_rfc3339("2027-10-09T06:59:59Z")
            .unwrap()
            .with_timezone(&Utc);
        let release = due + chrono::Duration::days(8);
        let s = DiscussionSettings {
            response_enabled: true,
            response_closes: Some(due + chrono::Duration::days(2)),
            ..DiscussionSettings::default()
        };
        let form = DiscussionSettingsForm::from_settings(&s, tz, 3);
        assert_eq!(form.parse(tz, due, release).unwrap(), s);
        let late = DiscussionSettingsForm {
            response_closes: "2027-10-30T12:00".into(),
            ..form.clone()
        };
        assert!(
            late.parse(tz, due, release)
                .unwrap_err()
                .get("response_closes")
                .is_some()
        );
        let bad = DiscussionSettingsForm {
            response_word_limit: "ten".into(),
            response_opens: "soon".into(),
            ..form
        };
        let e = bad.parse(tz, due, release).unwrap_err();
        assert!(e.get("response_word_limit").is_some() && e.get("response_opens").is_some());
    }

    #[test]
    fn area_chair_lists_read_numbers_and_ranges_and_name_bad_lines() {
        let ok =
            parse_area_chairs("Ada@Example.org: 1, 4, 7-9\n\nbo@example.org:2\nada@example.org: 3")
                .unwrap();
        assert_eq!(
            ok[0],
            ("ada@example.org".to_string(), vec![1, 3, 4, 7, 8, 9])
        );
        assert_eq!(ok[1], ("bo@example.org".to_string(), vec![2]));
        let bad =
            parse_area_chairs("nobody: 1\nada@example.org 1\nada@example.org: x").unwrap_err();
        assert_eq!(bad.len(), 3);
        assert!(bad[2].starts_with("Line 3"));
    }

    #[test]
    fn audiences_read_back() {
        assert_eq!(
            CommentAudience::parse("authors"),
            Some(CommentAudience::Authors)
        );
        assert_eq!(CommentAudience::parse(""), Some(CommentAudience::Reviewers));
        assert_eq!(CommentAudience::parse("everyone"), None);
        assert_eq!(WriterRole::parse("chair"), Some(WriterRole::Chair));
    }
}
