//! The review form, defined once as data: its score scales, text fields and checkbox, with
//! labels, help, length limits and who may read each part. `ReviewFields` holds the form as
//! typed; `parse` turns it into a stored `ReviewContent`. Who may open or submit a review, and
//! when, is `policy`'s business, not this module's; escaping review text is the templates' job.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{FieldErrors, bounded_text};

/// Form field name of the overall score.
pub const OVERALL: &str = "overall";
/// Form field name of the reviewer's confidence.
pub const CONFIDENCE: &str = "confidence";
/// Form field name of the "consider for a talk" checkbox.
pub const TALK_RECOMMENDATION: &str = "talk_recommendation";

/// Which version of the form a paper gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FormKind {
    /// The double-blind "paper" track: scores, several text sections and a talk checkbox.
    Full,
    /// The "published" track: scores and a short comment only.
    Light,
}

/// Who may read a part of a review besides the reviewer who wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// The authors, the paper's other reviewers and the chairs.
    Everyone,
    /// The chairs only.
    Chairs,
}

/// One choice on a score scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScaleChoice {
    pub value: u8,
    pub label: String,
}

/// A score from `min` to `max`; `choices` are listed in display order (best first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScaleSpec {
    pub label: String,
    pub help: String,
    pub min: u8,
    pub max: u8,
    pub choices: Vec<ScaleChoice>,
}

impl ScaleSpec {
    /// The label of `value`, if the scale has one.
    pub fn label_for(&self, value: u8) -> Option<&str> {
        self.choices
            .iter()
            .find(|c| c.value == value)
            .map(|c| c.label.as_str())
    }

    /// Reads a typed score: empty is `None` (an error on submit); anything else must be on
    /// the scale.
    fn read(&self, errors: &mut FieldErrors, field: &str, raw: &str, mode: Mode) -> Option<u8> {
        let raw = raw.trim();
        if raw.is_empty() {
            if mode == Mode::Submit {
                errors.add(field, required_message(&self.label));
            }
            return None;
        }
        match raw.parse::<u8>() {
            Ok(n) if (self.min..=self.max).contains(&n) => Some(n),
            _ => {
                let (label, min, max) = (&self.label, self.min, self.max);
                let message = format!("{label} must be a whole number from {min} to {max}.");
                errors.add(field, message);
                None
            }
        }
    }
}

/// One free-text field of the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextSpec {
    /// Form field name and storage key.
    pub key: String,
    pub label: String,
    pub help: String,
    /// Limit in characters (not bytes), after trimming.
    pub max_chars: usize,
    /// Enforced on submit only: drafts may leave anything empty.
    pub required: bool,
    pub audience: Audience,
    pub kinds: Vec<FormKind>,
}

impl TextSpec {
    pub fn applies_to(&self, kind: FormKind) -> bool {
        self.kinds.contains(&kind)
    }
}

/// A checkbox of the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckSpec {
    pub label: String,
    pub help: String,
    pub audience: Audience,
    pub kinds: Vec<FormKind>,
}

impl CheckSpec {
    pub fn applies_to(&self, kind: FormKind) -> bool {
        self.kinds.contains(&kind)
    }
}

/// The whole review form. Both scales appear on every kind of form and are required on submit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewFormSpec {
    pub overall: ScaleSpec,
    pub confidence: ScaleSpec,
    /// In display order.
    pub texts: Vec<TextSpec>,
    pub talk_recommendation: CheckSpec,
}

impl ReviewFormSpec {
    /// The NeurIPS review form, cut down for a workshop.
    pub fn neurips() -> ReviewFormSpec {
        use FormKind::{Full, Light};
        ReviewFormSpec {
            overall: scale(
                "Overall score",
                "Your recommendation for this workshop.",
                10,
                &[
                    "Top 5% of accepted papers, seminal paper",
                    "Top 15% of accepted papers, strong accept",
                    "Top 50% of accepted papers, clear accept",
                    "Good paper, accept",
                    "Marginally above the acceptance threshold",
                    "Marginally below the acceptance threshold",
                    "Ok but not good enough - rejection",
                    "Clear rejection",
                    "Strong rejection",
                    "Trivial or wrong",
                ],
            ),
            confidence: scale(
                "Confidence",
                "How sure you are of your assessment.",
                5,
                &[
                    "The reviewer is absolutely certain that the evaluation is correct and very \
                     familiar with the relevant literature.",
                    "The reviewer is confident but not absolutely certain that the evaluation is \
                     correct.",
                    "The reviewer is fairly confident that the evaluation is correct.",
                    "The reviewer is willing to defend the evaluation, but it is quite likely that \
                     the reviewer did not understand central parts of the paper.",
                    "The reviewer's evaluation is an educated guess.",
                ],
            ),
            texts: vec![
                TextSpec {
                    key: "summary".into(),
                    label: "Summary".into(),
                    help: "The paper and its contributions, as its authors would put them.".into(),
                    max_chars: 5_000,
                    required: true,
                    audience: Audience::Everyone,
                    kinds: vec![Full],
                },
                TextSpec {
                    key: "strengths_weaknesses".into(),
                    label: "Strengths and weaknesses".into(),
                    help: "Originality, quality, clarity and significance. Be specific.".into(),
                    max_chars: 20_000,
                    required: true,
                    audience: Audience::Everyone,
                    kinds: vec![Full],
                },
                TextSpec {
                    key: "questions".into(),
                    label: "Questions and comments for the authors".into(),
                    help: "What the authors could answer or improve in the final version.".into(),
                    max_chars: 10_000,
                    required: false,
                    audience: Audience::Everyone,
                    kinds: vec![Full],
                },
                TextSpec {
                    key: "comment".into(),
                    label: "Comment".into(),
                    help: "A few sentences on the work's fit for the workshop.".into(),
                    max_chars: 2_000,
                    required: true,
                    audience: Audience::Everyone,
                    kinds: vec![Light],
                },
                TextSpec {
                    key: "confidential".into(),
                    label: "Confidential comments for the chairs".into(),
                    help: "Only the chairs read this: not the authors, not the other reviewers."
                        .into(),
                    max_chars: 5_000,
                    required: false,
                    audience: Audience::Chairs,
                    kinds: vec![Full, Light],
                },
            ],
            talk_recommendation: CheckSpec {
                label: "Consider for a contributed talk or spotlight".to_string(),
                help: "Only the chairs see this.".to_string(),
                audience: Audience::Chairs,
                kinds: vec![Full],
            },
        }
    }

    /// The text fields of `kind`, in display order.
    pub fn texts_for(&self, kind: FormKind) -> impl Iterator<Item = &TextSpec> {
        self.texts.iter().filter(move |t| t.applies_to(kind))
    }
}

/// The review form's values as typed, so the form can re-render them after an error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReviewFields {
    pub overall: String,
    pub confidence: String,
    /// Text fields by key. May hold keys the form does not use; `parse` reads only the spec's.
    pub texts: BTreeMap<String, String>,
    /// Checkbox: present ("on") when ticked, absent otherwise.
    pub talk_recommendation: Option<String>,
}

impl ReviewFields {
    /// Reads url-encoded pairs: `overall`, `confidence`, `talk_recommendation`, and every other
    /// key as a text field.
    pub fn from_pairs(pairs: &[(String, String)]) -> ReviewFields {
        let mut f = ReviewFields::default();
        for (key, value) in pairs {
            match key.as_str() {
                OVERALL => f.overall = value.clone(),
                CONFIDENCE => f.confidence = value.clone(),
                TALK_RECOMMENDATION => f.talk_recommendation = Some(value.clone()),
                _ => {
                    f.texts.insert(key.clone(), value.clone());
                }
            }
        }
        f
    }

    /// The typed value of text field `key`, or "" (for templates).
    pub fn text(&self, key: &str) -> &str {
        self.texts.get(key).map_or("", String::as_str)
    }
}

/// A parsed review as stored (as JSON). Empty texts are left out of `texts`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReviewContent {
    pub overall: Option<u8>,
    pub confidence: Option<u8>,
    pub texts: BTreeMap<String, String>,
    pub talk_recommendation: bool,
}

/// One labelled text of a review, for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section<'a> {
    pub key: &'a str,
    pub label: &'a str,
    pub text: &'a str,
    pub audience: Audience,
}

impl ReviewContent {
    /// The non-empty texts of `kind`, labelled, in the spec's order.
    pub fn sections<'a>(&'a self, spec: &'a ReviewFormSpec, kind: FormKind) -> Vec<Section<'a>> {
        spec.texts_for(kind)
            .filter_map(|t| {
                let text = self.texts.get(&t.key)?;
                Some(Section {
                    key: &t.key,
                    label: &t.label,
                    text,
                    audience: t.audience,
                })
            })
            .collect()
    }

    /// What the authors, and the paper's other reviewers, may read: chairs-only texts and the
    /// talk recommendation are removed (the latter reads as `false`).
    pub fn author_view(&self, spec: &ReviewFormSpec, kind: FormKind) -> ReviewContent {
        let texts = spec
            .texts_for(kind)
            .filter(|t| t.audience == Audience::Everyone)
            .filter_map(|t| Some((t.key.clone(), self.texts.get(&t.key)?.clone())))
            .collect();
        let talk = &spec.talk_recommendation;
        ReviewContent {
            overall: self.overall,
            confidence: self.confidence,
            texts,
            talk_recommendation: self.talk_recommendation
                && talk.applies_to(kind)
                && talk.audience == Audience::Everyone,
        }
    }
}

/// Whether the reviewer is saving a draft or submitting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Anything may be empty; what is filled in must still be valid.
    Draft,
    /// Required fields must be filled in too.
    Submit,
}

/// Parses the form of `kind`. Fields the kind does not have are ignored. Text is trimmed and
/// otherwise kept verbatim, markup included; over-long text is refused, never truncated.
pub fn parse(
    spec: &ReviewFormSpec,
    kind: FormKind,
    fields: &ReviewFields,
    mode: Mode,
) -> Result<ReviewContent, FieldErrors> {
    let mut e = FieldErrors::new();
    let overall = spec.overall.read(&mut e, OVERALL, &fields.overall, mode);
    let confidence = spec
        .confidence
        .read(&mut e, CONFIDENCE, &fields.confidence, mode);
    let mut texts = BTreeMap::new();
    for t in spec.texts_for(kind) {
        let raw = fields.text(&t.key);
        let value = bounded_text(&mut e, &t.key, &t.label, raw, 0, t.max_chars);
        if !value.is_empty() {
            texts.insert(t.key.clone(), value);
        } else if t.required && mode == Mode::Submit {
            e.add(&t.key, required_message(&t.label));
        }
    }
    let talk_recommendation =
        spec.talk_recommendation.applies_to(kind) && fields.talk_recommendation.is_some();
    e.into_result(|| ReviewContent {
        overall,
        confidence,
        texts,
        talk_recommendation,
    })
}

/// The form pre-filled from a stored review, e.g. to go on with a draft.
pub fn fields_from_content(content: &ReviewContent) -> ReviewFields {
    let number = |n: Option<u8>| n.map(|n| n.to_string()).unwrap_or_default();
    ReviewFields {
        overall: number(content.overall),
        confidence: number(content.confidence),
        texts: content.texts.clone(),
        talk_recommendation: content.talk_recommendation.then(|| "on".to_string()),
    }
}

/// A scale from `max` down, one label per value, best first.
fn scale(label: &str, help: &str, max: u8, labels_best_first: &[&str]) -> ScaleSpec {
    let choices: Vec<ScaleChoice> = (0..=max)
        .rev()
        .zip(labels_best_first)
        .map(|(value, label)| ScaleChoice {
            value,
            label: label.to_string(),
        })
        .collect();
    let min = choices.last().map_or(max, |c| c.value);
    ScaleSpec {
        label: label.to_string(),
        help: help.to_string(),
        min,
        max,
        choices,
    }
}

fn required_message(label: &str) -> String {
    format!("{label} is required to submit; drafts may leave it empty.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use FormKind::{Full, Light};

    fn form(pairs: &[(&str, &str)]) -> ReviewFields {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ReviewFields::from_pairs(&pairs)
    }

    /// A complete full review with `changes` typed over it.
    fn full_form(changes: &[(&str, &str)]) -> ReviewFields {
        let complete = [
            ("overall", "7"),
            ("confidence", "4"),
            ("summary", "  A new optimiser.\n"),
            ("strengths_weaknesses", "Clear; small experiments."),
            ("questions", "Why Adam?"),
            ("confidential", "Seen on arXiv with names."),
            ("talk_recommendation", "on"),
            ("csrf_token", "abc"),
        ];
        form(&[&complete[..], changes].concat())
    }

    fn parse_full(fields: &ReviewFields, mode: Mode) -> Result<ReviewContent, FieldErrors> {
        parse(&ReviewFormSpec::neurips(), Full, fields, mode)
    }

    #[test]
    fn scores_must_be_whole_numbers_on_their_scale() {
        for (raw, value) in [
            ("1", Some(1)),
            ("10", Some(10)),
            (" 6 ", Some(6)),
            ("", None),
        ] {
            let parsed = parse_full(&full_form(&[("overall", raw)]), Mode::Draft);
            assert_eq!(parsed.unwrap().overall, value, "{raw:?}");
        }
        for raw in ["0", "11", "7.5", "abc", "-1", "300", "1e1"] {
            let e = parse_full(&full_form(&[("overall", raw)]), Mode::Draft).unwrap_err();
            let message = "Overall score must be a whole number from 1 to 10.";
            assert_eq!(e.get(OVERALL), Some(message), "{raw:?}");
        }
        for (raw, ok) in [("0", false), ("1", true), ("5", true), ("6", false)] {
            let parsed = parse_full(&full_form(&[("confidence", raw)]), Mode::Draft);
            assert_eq!(parsed.is_ok(), ok, "{raw:?}");
        }
        let e = parse_full(&full_form(&[("confidence", "6")]), Mode::Draft).unwrap_err();
        let message = "Confidence must be a whole number from 1 to 5.";
        assert_eq!(e.get(CONFIDENCE), Some(message));
    }

    #[test]
    fn empty_draft_saves_but_submit_names_every_required_field() {
        let empty = ReviewFields::default();
        assert_eq!(
            parse_full(&empty, Mode::Draft),
            Ok(ReviewContent::default())
        );

        let e = parse_full(&empty, Mode::Submit).unwrap_err();
        let fields: Vec<&str> = e.iter().map(|(k, _)| k).collect();
        assert_eq!(
            fields,
            ["confidence", "overall", "strengths_weaknesses", "summary"]
        );
        let message = "Summary is required to submit; drafts may leave it empty.";
        assert_eq!(e.get("summary"), Some(message));
        let message = "Overall score is required to submit; drafts may leave it empty.";
        assert_eq!(e.get(OVERALL), Some(message));
    }

    #[test]
    fn complete_full_review_is_trimmed_and_keeps_only_its_own_fields() {
        let c = parse_full(&full_form(&[]), Mode::Submit).unwrap();
        assert_eq!(
            (c.overall, c.confidence, c.talk_recommendation),
            (Some(7), Some(4), true)
        );
        assert_eq!(c.texts["summary"], "A new optimiser.");
        let keys: Vec<&str> = c.texts.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "confidential",
                "questions",
                "strengths_weaknesses",
                "summary"
            ]
        );
    }

    #[test]
    fn light_form_ignores_full_only_fields_and_requires_a_comment() {
        let spec = ReviewFormSpec::neurips();
        let e = parse(&spec, Light, &full_form(&[]), Mode::Submit).unwrap_err();
        assert_eq!(e.iter().map(|(k, _)| k).collect::<Vec<_>>(), ["comment"]);
        let message = "Comment is required to submit; drafts may leave it empty.";
        assert_eq!(e.get("comment"), Some(message));

        let fields = full_form(&[("comment", "Worth a poster.")]);
        let c = parse(&spec, Light, &fields, Mode::Submit).unwrap();
        assert_eq!(
            c.texts.keys().collect::<Vec<_>>(),
            ["comment", "confidential"]
        );
        assert!(!c.talk_recommendation);
    }

    #[test]
    fn every_text_is_accepted_at_its_limit_and_refused_one_over() {
        let spec = ReviewFormSpec::neurips();
        for t in &spec.texts {
            let at_limit = form(&[(&t.key, &"é".repeat(t.max_chars))]);
            let c = parse(&spec, t.kinds[0], &at_limit, Mode::Draft).unwrap();
            assert_eq!(c.texts[&t.key].chars().count(), t.max_chars);

            let over = form(&[(&t.key, &format!(" {} ", "x".repeat(t.max_chars + 1)))]);
            let e = parse(&spec, t.kinds[0], &over, Mode::Draft).unwrap_err();
            let (label, max, len) = (&t.label, t.max_chars, t.max_chars + 1);
            let message = format!("{label} can have at most {max} characters (this has {len}).");
            assert_eq!(e.get(&t.key), Some(message.as_str()));
        }
    }

    #[test]
    fn a_hundred_thousand_characters_are_refused_not_truncated() {
        let huge = "a".repeat(100_000);
        let e = parse_full(&full_form(&[("strengths_weaknesses", &huge)]), Mode::Submit);
        let message =
            "Strengths and weaknesses can have at most 20000 characters (this has 100000).";
        assert_eq!(e.unwrap_err().get("strengths_weaknesses"), Some(message));
    }

    #[test]
    fn markup_is_kept_verbatim() {
        let script = "<script>alert('x')</script> & <b>bold</b>";
        let c = parse_full(&full_form(&[("questions", script)]), Mode::Submit).unwrap();
        assert_eq!(c.texts["questions"], script);
    }

    #[test]
    fn content_and_spec_round_trip_through_json() {
        let c = parse_full(&full_form(&[]), Mode::Submit).unwrap();
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<ReviewContent>(&json).unwrap(), c);

        let spec = ReviewFormSpec::neurips();
        let json = serde_json::to_string(&spec).unwrap();
        assert_eq!(serde_json::from_str::<ReviewFormSpec>(&json).unwrap(), spec);
    }

    #[test]
    fn reopened_draft_parses_back_to_the_same_content() {
        let c = parse_full(&full_form(&[("overall", ""), ("summary", "")]), Mode::Draft).unwrap();
        assert_eq!(parse_full(&fields_from_content(&c), Mode::Draft), Ok(c));
    }

    #[test]
    fn author_view_drops_confidential_comments_and_talk_recommendation() {
        let spec = ReviewFormSpec::neurips();
        let c = parse_full(&full_form(&[]), Mode::Submit).unwrap();
        let view = c.author_view(&spec, Full);
        assert_eq!((view.overall, view.confidence), (Some(7), Some(4)));
        assert!(!view.talk_recommendation);
        assert!(!serde_json::to_string(&view).unwrap().contains("arXiv"));
        let labels: Vec<&str> = view.sections(&spec, Full).iter().map(|s| s.label).collect();
        let shared = [
            "Summary",
            "Strengths and weaknesses",
            "Questions and comments for the authors",
        ];
        assert_eq!(labels, shared);
        let all = c.sections(&spec, Full);
        assert_eq!(
            all.last().map(|s| (s.key, s.audience)),
            Some(("confidential", Audience::Chairs))
        );
    }

    #[test]
    fn every_scale_value_has_a_label() {
        let spec = ReviewFormSpec::neurips();
        assert_eq!((spec.overall.min, spec.overall.max), (1, 10));
        assert_eq!((spec.confidence.min, spec.confidence.max), (1, 5));
        for scale in [&spec.overall, &spec.confidence] {
            for value in scale.min..=scale.max {
                assert!(
                    scale.label_for(value).is_some_and(|l| !l.is_empty()),
                    "{value}"
                );
            }
        }
        let label = spec.overall.label_for(6);
        assert_eq!(label, Some("Marginally above the acceptance threshold"));
        assert!(
            spec.confidence
                .label_for(1)
                .is_some_and(|l| l.contains("educated guess"))
        );
    }
}
