//! Submissions as authors type them: track, title, abstract, keywords, the ordered author
//! list with one main author, and declared conflicts. `SubmissionFields` holds the raw form
//! values; `SubmissionFields::parse` turns them into a `SubmissionDraft` once, with a message
//! per field when something is wrong.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::account::{AFFILIATION_MAX, Email, NAME_MAX};
use super::conference::ConferenceSettings;
use super::{FieldErrors, bounded_text};

/// The two ways to submit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Track {
    /// New work: double-blind, page limit and format check.
    Paper,
    /// Already published elsewhere: not anonymous, no page limit, light review.
    Published,
}

impl Track {
    pub const ALL: [Track; 2] = [Track::Paper, Track::Published];

    pub fn as_str(self) -> &'static str {
        match self {
            Track::Paper => "paper",
            Track::Published => "published",
        }
    }

    pub fn parse(raw: &str) -> Option<Track> {
        Track::ALL.into_iter().find(|t| t.as_str() == raw.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Track::Paper => "Paper (new work, double-blind)",
            Track::Published => "Published work (not anonymous)",
        }
    }

    /// Whether reviewers may see who wrote papers of this track.
    pub fn is_anonymous(self) -> bool {
        matches!(self, Track::Paper)
    }

    pub fn is_open(self, settings: &ConferenceSettings) -> bool {
        match self {
            Track::Paper => settings.paper_track_open,
            Track::Published => settings.published_track_open,
        }
    }
}

/// Whether a submission is in the running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmissionStatus {
    Active,
    Withdrawn,
}

impl SubmissionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SubmissionStatus::Active => "active",
            SubmissionStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(raw: &str) -> SubmissionStatus {
        if raw == "withdrawn" {
            SubmissionStatus::Withdrawn
        } else {
            SubmissionStatus::Active
        }
    }
}

/// One author as listed on the paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    pub name: String,
    pub email: Email,
    pub affiliation: String,
    pub is_main: bool,
}

/// A valid submission (without its files).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionDraft {
    pub track: Track,
    pub title: String,
    pub abstract_text: String,
    pub keywords: Vec<String>,
    pub authors: Vec<Author>,
    pub declared_conflicts: Vec<String>,
}

impl SubmissionDraft {
    pub fn main_author(&self) -> Option<&Author> {
        self.authors.iter().find(|a| a.is_main)
    }
}

pub const TITLE_MAX: usize = 250;
pub const MAX_AUTHORS: usize = 30;
pub const MAX_FREE_KEYWORDS: usize = 10;
pub const KEYWORD_MAX: usize = 60;
pub const MAX_CONFLICTS: usize = 50;
/// Hard cap on abstract characters, whatever the word limit.
pub const ABSTRACT_CHARS_MAX: usize = 20_000;

/// One author row as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawAuthor {
    pub name: String,
    pub email: String,
    pub affiliation: String,
}

impl RawAuthor {
    fn is_blank(&self) -> bool {
        self.name.trim().is_empty()
            && self.email.trim().is_empty()
            && self.affiliation.trim().is_empty()
    }
}

/// The submission form's values as typed, so the form can re-render them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubmissionFields {
    pub track: String,
    pub title: String,
    pub abstract_text: String,
    /// Topics ticked from the chair's list.
    pub topics: Vec<String>,
    /// Free keywords, comma-separated.
    pub free_keywords: String,
    pub authors: Vec<RawAuthor>,
    /// Index of the main author's row.
    pub main: String,
    /// Declared conflicts, one per line.
    pub conflicts: String,
}

impl SubmissionFields {
    /// Reads url-encoded or multipart pairs: `track`, `title`, `abstract`, `topic` (repeated),
    /// `keywords`, `author_N_name|email|affiliation`, `main`, `conflicts`.
    pub fn from_pairs(pairs: &[(String, String)]) -> SubmissionFields {
        let mut f = SubmissionFields::default();
        for (key, value) in pairs {
            match key.as_str() {
                "track" => f.track = value.clone(),
                "title" => f.title = value.clone(),
                "abstract" => f.abstract_text = value.clone(),
                "topic" => f.topics.push(value.clone()),
                "keywords" => f.free_keywords = value.clone(),
                "main" => f.main = value.clone(),
                "conflicts" => f.conflicts = value.clone(),
                other => {
                    let Some(rest) = other.strip_prefix("author_") else {
                        continue;
                    };
                    let Some((index, part)) = rest.split_once('_') else {
                        continue;
                    };
                    let Ok(i) = index.parse::<usize>() else {
                        continue;
                    };
                    if i >= MAX_AUTHORS + 10 {
                        continue;
                    }
                    if f.authors.len() <= i {
                        f.authors.resize(i + 1, RawAuthor::default());
                    }
                    match part {
                        "name" => f.authors[i].name = value.clone(),
                        "email" => f.authors[i].email = value.clone(),
                        "affiliation" => f.authors[i].affiliation = value.clone(),
                        _ => {}
                    }
                }
            }
        }
        f
    }

    /// The form pre-filled from a stored submission.
    pub fn from_draft(d: &SubmissionDraft, topics: &[String]) -> SubmissionFields {
        let (chosen, free): (Vec<String>, Vec<String>) =
            d.keywords.iter().cloned().partition(|k| topics.contains(k));
        SubmissionFields {
            track: d.track.as_str().to_string(),
            title: d.title.clone(),
            abstract_text: d.abstract_text.clone(),
            topics: chosen,
            free_keywords: free.join(", "),
            authors: d
                .authors
                .iter()
                .map(|a| RawAuthor {
                    name: a.name.clone(),
                    email: a.email.to_string(),
                    affiliation: a.affiliation.clone(),
                })
                .collect(),
            main: d
                .authors
                .iter()
                .position(|a| a.is_main)
                .map(|i| i.to_string())
                .unwrap_or_default(),
            conflicts: d.declared_conflicts.join("\n"),
        }
    }

    /// Checks every field against the conference's rules.
    pub fn parse(&self, settings: &ConferenceSettings) -> Result<SubmissionDraft, FieldErrors> {
        let mut e = FieldErrors::new();
        let track = match Track::parse(&self.track) {
            Some(t) if t.is_open(settings) => Some(t),
            Some(_) => {
                e.add("track", "This track does not take submissions.");
                None
            }
            None => {
                e.add("track", "Choose a track.");
                None
            }
        };
        let title = bounded_text(
            &mut e,
            "title",
            "Title",
            &self.title.replace(['\r', '\n'], " "),
            1,
            TITLE_MAX,
        );
        let abstract_text = bounded_text(
            &mut e,
            "abstract",
            "Abstract",
            &self.abstract_text,
            1,
            ABSTRACT_CHARS_MAX,
        );
        let words = abstract_text.split_whitespace().count();
        let limit = settings.abstract_word_limit as usize;
        if words > limit {
            e.add(
                "abstract",
                format!("The abstract has {words} words; the limit is {limit}."),
            );
        }
        let keywords = self.keywords(settings, &mut e);
        let authors = self.authors(&mut e);
        let declared_conflicts: Vec<String> = self
            .conflicts
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        if declared_conflicts.len() > MAX_CONFLICTS {
            e.add(
                "conflicts",
                format!("At most {MAX_CONFLICTS} conflicts, one per line."),
            );
        } else if declared_conflicts.iter().any(|c| c.chars().count() > 200) {
            e.add(
                "conflicts",
                "Each conflict line can have at most 200 characters.",
            );
        }
        match track {
            Some(track) if e.is_empty() => Ok(SubmissionDraft {
                track,
                title,
                abstract_text,
                keywords,
                authors,
                declared_conflicts,
            }),
            _ => Err(e),
        }
    }

    fn keywords(&self, settings: &ConferenceSettings, e: &mut FieldErrors) -> Vec<String> {
        let mut keywords: Vec<String> = Vec::new();
        for topic in &self.topics {
            if !settings.topics.contains(topic) {
                e.add(
                    "topics",
                    format!("\"{topic}\" is not one of the workshop's topics."),
                );
            } else if !keywords.contains(topic) {
                keywords.push(topic.clone());
            }
        }
        let free: Vec<String> = self
            .free_keywords
            .split([',', ';', '\n'])
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(str::to_string)
            .collect();
        if free.len() > MAX_FREE_KEYWORDS {
            e.add(
                "keywords",
                format!("At most {MAX_FREE_KEYWORDS} free keywords."),
            );
        }
        for k in free {
            if k.chars().count() > KEYWORD_MAX {
                e.add(
                    "keywords",
                    format!("Each keyword can have at most {KEYWORD_MAX} characters."),
                );
            } else if !keywords.iter().any(|x| x.eq_ignore_ascii_case(&k)) {
                keywords.push(k);
            }
        }
        keywords
    }

    fn authors(&self, e: &mut FieldErrors) -> Vec<Author> {
        let main: Option<usize> = self.main.trim().parse().ok();
        let filled: Vec<(usize, &RawAuthor)> = self
            .authors
            .iter()
            .enumerate()
            .filter(|(_, a)| !a.is_blank())
            .collect();
        if filled.is_empty() {
            e.add("authors", "List at least one author.");
        }
        if filled.len() > MAX_AUTHORS {
            e.add("authors", format!("At most {MAX_AUTHORS} authors."));
        }
        let mut seen = HashSet::new();
        let mut authors = Vec::new();
        for (i, raw) in &filled {
            let name = bounded_text(
                e,
                &format!("author_{i}_name"),
                "Name",
                &raw.name,
                1,
                NAME_MAX,
            );
            let affiliation = bounded_text(
                e,
                &format!("author_{i}_affiliation"),
                "Affiliation",
                &raw.affiliation,
                1,
                AFFILIATION_MAX,
            );
            match Email::parse(&raw.email) {
                Ok(email) => {
                    if !seen.insert(email.clone()) {
                        e.add(
                            &format!("author_{i}_email"),
                            format!("{email} is listed twice."),
                        );
                    }
                    authors.push(Author {
                        name,
                        email,
                        affiliation,
                        is_main: main == Some(*i),
                    });
                }
                Err(msg) => e.add(&format!("author_{i}_email"), msg),
            }
        }
        if !filled.is_empty() && !filled.iter().any(|(i, _)| main == Some(*i)) {
            e.add(
                "main",
                "Mark one author as the main author (the one who will review).",
            );
        }
        authors
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn settings() -> ConferenceSettings {
        ConferenceSettings::dlde_defaults(
            chrono::Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap(),
        )
    }

    fn pairs(extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut p: Vec<(String, String)> = [
            ("track", "paper"),
            ("title", "Neural ODEs for stiff systems"),
            ("abstract", "We study stiff systems."),
            ("topic", "Neural ODEs"),
            ("keywords", "stiffness, implicit solvers"),
            ("author_0_name", "Ada Author"),
            ("author_0_email", "Ada@Example.org"),
            ("author_0_affiliation", "EPFL"),
            ("author_1_name", "Bo Second"),
            ("author_1_email", "bo@example.org"),
            ("author_1_affiliation", "ETH"),
            ("main", "1"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        for (k, v) in extra {
            p.retain(|(key, _)| key != k);
            p.push((k.to_string(), v.to_string()));
        }
        p
    }

    #[test]
    fn a_complete_form_parses_into_a_draft() {
        let d = SubmissionFields::from_pairs(&pairs(&[]))
            .parse(&settings())
            .unwrap();
        assert_eq!(d.track, Track::Paper);
        assert_eq!(
            d.keywords,
            vec!["Neural ODEs", "stiffness", "implicit solvers"]
        );
        assert_eq!(d.authors[0].email.as_str(), "ada@example.org");
        assert_eq!(d.main_author().unwrap().name, "Bo Second");
    }

    #[test]
    fn duplicate_author_emails_and_missing_main_author_are_refused() {
        let e = SubmissionFields::from_pairs(&pairs(&[
            ("author_1_email", "ADA@example.org"),
            ("main", ""),
        ]))
        .parse(&settings())
        .unwrap_err();
        assert_eq!(
            e.get("author_1_email"),
            Some("ada@example.org is listed twice.")
        );
        assert!(e.get("main").unwrap().contains("main author"));
    }

    #[test]
    fn thirty_one_authors_are_too_many() {
        let mut extra = Vec::new();
        for i in 0..31 {
            extra.push((format!("author_{i}_name"), format!("Person {i}")));
            extra.push((format!("author_{i}_email"), format!("p{i}@example.org")));
            extra.push((format!("author_{i}_affiliation"), "Uni".to_string()));
        }
        let mut p = pairs(&[]);
        p.extend(extra);
        let e = SubmissionFields::from_pairs(&p)
            .parse(&settings())
            .unwrap_err();
        assert_eq!(e.get("authors"), Some("At most 30 authors."));
    }

    #[test]
    fn an_over_long_abstract_names_its_word_count() {
        let long = "word ".repeat(10_000);
        let e = SubmissionFields::from_pairs(&pairs(&[("abstract", &long)]))
            .parse(&settings())
            .unwrap_err();
        assert!(
            e.get("abstract")
                .unwrap()
                .contains("at most 20000 characters")
                || e.get("abstract").unwrap().contains("10000 words")
        );
        let e = SubmissionFields::from_pairs(&pairs(&[("abstract", &"word ".repeat(301))]))
            .parse(&settings())
            .unwrap_err();
        assert_eq!(
            e.get("abstract"),
            Some("The abstract has 301 words; the limit is 300.")
        );
    }

    #[test]
    fn a_closed_track_and_unknown_topics_are_refused() {
        let mut s = settings();
        s.published_track_open = false;
        let e =
            SubmissionFields::from_pairs(&pairs(&[("track", "published"), ("topic", "Astrology")]))
                .parse(&s)
                .unwrap_err();
        assert_eq!(
            e.get("track"),
            Some("This track does not take submissions.")
        );
        assert!(e.get("topics").unwrap().contains("Astrology"));
    }

    #[test]
    fn a_draft_round_trips_through_the_form() {
        let s = settings();
        let d = SubmissionFields::from_pairs(&pairs(&[])).parse(&s).unwrap();
        let again = SubmissionFields::from_draft(&d, &s.topics)
            .parse(&s)
            .unwrap();
        assert_eq!(again, d);
    }
}
