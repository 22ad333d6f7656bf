//! Tests of the chair-editable letters: defaults, validation, rendering limits and errors.

use super::*;
use serde_json::json;
use std::time::{Duration, Instant};

const KINDS: [LetterKind; 3] = [
    LetterKind::Decision,
    LetterKind::CameraReadyReminder,
    LetterKind::General,
];

fn letter(subject: &str, body: &str) -> LetterTemplate {
    let (subject, body) = (subject.to_owned(), body.to_owned());
    LetterTemplate { subject, body }
}

fn render_body(kind: LetterKind, body: &str) -> Result<String, TemplateError> {
    render(kind, &letter("Hi", body), &example_context(kind)).map(|(_, body)| body)
}

fn refusal(kind: LetterKind, subject: &str, body: &str) -> (Part, String) {
    let err = validate(kind, &letter(subject, body)).unwrap_err();
    (err.part(), err.to_string())
}

#[test]
fn default_templates_validate_and_render_for_every_kind() {
    for kind in KINDS {
        let template = default_template(kind);
        assert_eq!(validate(kind, &template), Ok(()), "{kind:?}");
        let (subject, body) = render(kind, &template, &example_context(kind)).unwrap();
        assert!(subject.starts_with("[DEML @ NeurIPS 2025]"), "{subject}");
        assert!(body.starts_with("Dear Maria Chen,\n\n"), "{body}");
        assert!(!body.contains("{{") && !body.contains("\n\n\n"), "{body}");
    }
}

#[test]
fn accepted_letter_congratulates_and_lists_every_review() {
    let kind = LetterKind::Decision;
    let (subject, body) = render(kind, &default_template(kind), &example_context(kind)).unwrap();
    assert_eq!(
        subject,
        "[DEML @ NeurIPS 2025] Decision on submission #17: \
         Stable neural ODEs via contractive vector fields"
    );
    assert!(body.contains("Congratulations!"));
    assert!(body.contains("accepted to DEML @ NeurIPS 2025 as a contributed talk (15 min)."));
    assert!(body.contains("camera-ready version by Friday 17 October 2025, 23:59 AoE"));
    assert!(body.contains("== Reviewer A ====\nOverall: 4 (accept)\nConfidence: 4 (confident)"));
    assert!(body.contains("==== Reviewer B ====\nOverall: 3 (weak accept)"));
    assert!(body.contains("Lipschitz-constrained ODE baselines"));
}

#[test]
fn rejected_letter_regrets_without_deadline_or_presentation() {
    let kind = LetterKind::Decision;
    let (_, body) = render(kind, &default_template(kind), &rejected_example()).unwrap();
    assert!(body.contains("We are sorry to let you know that it was not accepted"));
    assert!(!body.contains("Congratulations") && !body.contains("camera-ready"));
    assert!(body.contains("==== Reviewer A ===="));
}

#[test]
fn unknown_placeholder_is_refused_by_name() {
    let (part, message) = refusal(LetterKind::Decision, "x", "{{ titel }}");
    assert_eq!(part, Part::Body);
    assert_eq!(
        message,
        "Unknown placeholder \"titel\" in the body; available: name, conference, number, \
         title, decision, presentation, accepted, reviews, camera_ready_due, link"
    );
    let (part, message) = refusal(LetterKind::General, "{{ decision }}", "");
    assert_eq!(part, Part::Subject);
    assert!(message.starts_with("Unknown placeholder \"decision\" in the subject"));
}

#[test]
fn syntax_error_is_reported_with_its_line() {
    let (part, message) = refusal(LetterKind::General, "x", "Dear {{ name }},\n\n{% if %}\n");
    assert_eq!(part, Part::Body);
    assert!(message.starts_with("Syntax error in the body (line 3): syntax error:"));
}

#[test]
fn loop_over_reviews_may_use_review_attributes_but_no_others() {
    let ok = "{% for r in reviews %}{{ r.label }} {{ r.overall }} {{ r.confidence }} \
              {{ r.text }}{% endfor %}";
    assert_eq!(validate(LetterKind::Decision, &letter("x", ok)), Ok(()));
    let bad = "{% for r in reviews %}\n{{ r.email }}{% endfor %}";
    let (_, message) = refusal(LetterKind::Decision, "x", bad);
    assert!(
        message.contains("(line 2)") && message.contains("has no value"),
        "{message}"
    );
}

#[test]
fn missing_value_at_render_time_is_an_error_not_empty_text() {
    let context = json!({ "name": "Maria Chen", "link": "https://x" });
    let template = default_template(LetterKind::General);
    let err = render(LetterKind::General, &template, &context).unwrap_err();
    assert!(err.to_string().contains("has no value"), "{err}");
}

#[test]
fn printing_a_whole_list_is_refused() {
    let err = render_body(LetterKind::Decision, "{{ reviews }}").unwrap_err();
    assert!(err.to_string().contains("loop over it"), "{err}");
}

#[test]
fn runaway_loops_and_huge_output_stop_quickly_with_an_error() {
    let doubling = "{% set s %}{{ s }}{{ s }}{% endset %}".repeat(20);
    let start = Instant::now();
    for text in [
        "{% for i in range(100000000) %}x{% endfor %}",
        "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
        &format!("{{% set s = '0123456789' %}}{doubling}"),
        "{{ 'x' * 10000000 }}",
    ] {
        assert!(render_body(LetterKind::General, text).is_err(), "{text}");
    }
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn values_are_not_html_escaped() {
    let mut context = example_context(LetterKind::General);
    context["name"] = json!("<b>Maria</b> & co");
    let template = letter("Hi {{ name }}", "{{ name }}");
    let (subject, body) = render(LetterKind::General, &template, &context).unwrap();
    assert_eq!(
        (subject.as_str(), body.as_str()),
        ("Hi <b>Maria</b> & co", "<b>Maria</b> & co")
    );
}

#[test]
fn subject_is_collapsed_to_one_line() {
    let mut context = example_context(LetterKind::General);
    context["name"] = json!("Maria\r\nChen");
    let template = letter("Hi\n{{ name }}  \n", "");
    let (subject, _) = render(LetterKind::General, &template, &context).unwrap();
    assert_eq!(subject, "Hi Maria Chen");
}

#[test]
fn oversized_and_empty_templates_are_refused() {
    let (part, message) = refusal(LetterKind::General, &"s".repeat(301), "");
    assert_eq!(
        (part, message.as_str()),
        (
            Part::Subject,
            "The subject is too long: 301 characters, at most 300"
        )
    );
    let (part, _) = refusal(LetterKind::General, "x", &"b".repeat(20_001));
    assert_eq!(part, Part::Body);
    let empty = letter(" ", "");
    assert_eq!(
        validate(LetterKind::General, &empty),
        Err(TemplateError::EmptySubject)
    );
}
