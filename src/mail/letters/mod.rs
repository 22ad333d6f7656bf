//! Letters whose text chairs edit at runtime: decision letters, camera-ready reminders and
//! general mail to a group. Templates use the MiniJinja language, rendered as plain text (no HTML
//! escaping), with strict undefined values, no loader (no include or import), and fuel and
//! output limits so that a runaway loop ends in an error instead of hanging the server.
//! Block tags on a line of their own leave no blank line (`trim_blocks`, `lstrip_blocks`).
//!
//! Not here: building the context from the database (the caller does, from the author view of
//! the reviews) and queueing the mail in the outbox.

use std::collections::BTreeSet;
use std::fmt;

use minijinja::value::{Value, ValueKind};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, State, UndefinedBehavior};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Longest subject template, in characters.
pub const MAX_SUBJECT_CHARS: usize = 300;
/// Longest body template, in characters.
pub const MAX_BODY_CHARS: usize = 20_000;
/// Instructions one render may run: the default decision letter needs well under 1,000.
const FUEL: u64 = 50_000;
/// Longest rendered text, and most text printed through `{{ }}`, including captured blocks.
const MAX_RENDERED_BYTES: usize = 500_000;
/// Global functions a template may call besides the placeholders.
const ALLOWED_GLOBALS: &[&str] = &["range"];

/// A value a template may use, as the editor's help and preview list it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placeholder {
    pub name: &'static str,
    pub description: &'static str,
    pub example: &'static str,
}

const fn ph(name: &'static str, description: &'static str, example: &'static str) -> Placeholder {
    Placeholder {
        name,
        description,
        example,
    }
}

const NAME: Placeholder = ph("name", "Recipient's name", "Maria Chen");
const CONFERENCE: Placeholder = ph("conference", "Conference", "DEML @ NeurIPS 2025");
const NUMBER: Placeholder = ph("number", "Submission number", "17");
const TITLE: Placeholder = ph("title", "Submission title", "Stable neural ODEs …");
const DUE: Placeholder = ph("camera_ready_due", "Camera-ready due", "17 Oct, AoE");
const LINK: Placeholder = ph("link", "Link for the recipient", "https://…/17");
const DECISION: Placeholder = ph("decision", "The decision", "accepted, rejected");
const PRESENTATION: Placeholder = ph("presentation", "Empty if rejected", "poster");
const ACCEPTED: Placeholder = ph("accepted", "Accepted or not", "true, false");
const REVIEWS: Placeholder = ph("reviews", "Reviews for authors", "(a list)");

/// The attributes of each item of `reviews`, as in `{% for review in reviews %}`.
pub const REVIEW_FIELDS: &[Placeholder] = &[
    ph("label", "Anonymous label", "Reviewer A"),
    ph("overall", "Overall score", "4 (accept)"),
    ph("confidence", "Reviewer confidence", "3 (fairly confident)"),
    ph("text", "Review text for authors", "The paper proposes …"),
];

/// Which letter a template is for; each kind has its own placeholders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LetterKind {
    Decision,
    CameraReadyReminder,
    General,
}

impl LetterKind {
    /// The placeholders a template of this kind may use.
    pub fn placeholders(self) -> &'static [Placeholder] {
        match self {
            Self::Decision => &[
                NAME,
                CONFERENCE,
                NUMBER,
                TITLE,
                DECISION,
                PRESENTATION,
                ACCEPTED,
                REVIEWS,
                DUE,
                LINK,
            ],
            Self::CameraReadyReminder => &[NAME, CONFERENCE, NUMBER, TITLE, DUE, LINK],
            Self::General => &[NAME, CONFERENCE, LINK],
        }
    }
}

/// A letter's subject and body templates, as chairs edit and the database stores them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterTemplate {
    pub subject: String,
    pub body: String,
}

/// The part of a template an error is in, so the form can show it beside that field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Subject,
    Body,
}

impl Part {
    fn as_str(self) -> &'static str {
        match self {
            Self::Subject => "subject",
            Self::Body => "body",
        }
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a template was refused or could not be rendered. Messages are meant for chairs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("The subject is empty")]
    EmptySubject,
    #[error("The {part} is too long: {chars} characters, at most {max}")]
    TooLong {
        part: Part,
        chars: usize,
        max: usize,
    },
    #[error("Syntax error in the {part}{}: {message}", at_line(*.line))]
    Syntax {
        part: Part,
        line: Option<usize>,
        message: String,
    },
    #[error("Unknown placeholder \"{name}\" in the {part}; available: {available}")]
    UnknownPlaceholder {
        part: Part,
        name: String,
        available: String,
    },
    #[error("The {part} could not be rendered{}: {message}", at_line(*.line))]
    Render {
        part: Part,
        line: Option<usize>,
        message: String,
    },
}

impl TemplateError {
    /// The field the error belongs beside, if it belongs to one.
    pub fn part(&self) -> Part {
        match self {
            Self::EmptySubject => Part::Subject,
            Self::TooLong { part, .. }
            | Self::Syntax { part, .. }
            | Self::UnknownPlaceholder { part, .. }
            | Self::Render { part, .. } => *part,
        }
    }
}

fn at_line(line: Option<usize>) -> String {
    line.map(|n| format!(" (line {n})")).unwrap_or_default()
}

/// The text a conference starts from for each kind of letter.
pub fn default_template(kind: LetterKind) -> LetterTemplate {
    let (subject, body) = match kind {
        LetterKind::Decision => (
            "[{{ conference }}] Decision on submission #{{ number }}: {{ title }}",
            DECISION_BODY,
        ),
        LetterKind::CameraReadyReminder => (
            "[{{ conference }}] Camera-ready reminder for #{{ number }}: {{ title }}",
            REMINDER_BODY,
        ),
        LetterKind::General => (
            "[{{ conference }}] A message from the organizers",
            GENERAL_BODY,
        ),
    };
    LetterTemplate {
        subject: subject.to_owned(),
        body: body.to_owned(),
    }
}

const DECISION_BODY: &str = r#"Dear {{ name }},

{% if accepted %}
Congratulations! We are delighted to let you know that your submission #{{ number }} "{{ title }}" has been accepted to {{ conference }}{% if presentation %} as a {{ presentation }}{% endif %}.

Please upload the camera-ready version by {{ camera_ready_due }}:
{{ link }}

We look forward to seeing you at the workshop.
{% else %}
Thank you for submitting #{{ number }} "{{ title }}" to {{ conference }}. We are sorry to let you know that it was not accepted this year. We received many strong submissions and had to make difficult choices.

We hope the reviews below are useful for your work, and we would be glad to see you at the workshop all the same. Your submission stays available at {{ link }}.
{% endif %}
{% for review in reviews %}
{% if loop.first %}

The reviews of your submission follow.
{% endif %}

==== {{ review.label }} ====
Overall: {{ review.overall }}
Confidence: {{ review.confidence }}

{{ review.text }}
{% endfor %}

Best regards,
The {{ conference }} organizers
"#;

const REMINDER_BODY: &str = r#"Dear {{ name }},

This is a friendly reminder that the camera-ready version of #{{ number }} "{{ title }}" is due {{ camera_ready_due }}.

You can upload it here:
{{ link }}

If you have already uploaded it, thank you, and please ignore this message.

Best regards,
The {{ conference }} organizers
"#;

const GENERAL_BODY: &str = r#"Dear {{ name }},

(Write your message here.)

{{ link }}

Best regards,
The {{ conference }} organizers
"#;

/// Checks sizes, syntax, that every name used is a placeholder of `kind`, and that the template
/// renders the sample letters (which also catches unknown attributes of a review).
pub fn validate(kind: LetterKind, template: &LetterTemplate) -> Result<(), TemplateError> {
    if template.subject.trim().is_empty() {
        return Err(TemplateError::EmptySubject);
    }
    render(kind, template, &example_context(kind))?;
    if kind == LetterKind::Decision {
        render(kind, template, &rejected_example())?;
    }
    Ok(())
}

/// Renders `(subject, body)` as plain text, after the same checks of sizes, syntax and
/// placeholder names as `validate`. The subject is one line: runs of whitespace, newlines
/// included, become one space.
pub fn render(
    kind: LetterKind,
    template: &LetterTemplate,
    context: &serde_json::Value,
) -> Result<(String, String), TemplateError> {
    let env = environment();
    let subject = render_part(&env, kind, Part::Subject, &template.subject, context)?;
    let body = render_part(&env, kind, Part::Body, &template.body, context)?;
    Ok((
        subject.split_whitespace().collect::<Vec<_>>().join(" "),
        body,
    ))
}

fn render_part(
    env: &Environment<'_>,
    kind: LetterKind,
    part: Part,
    source: &str,
    context: &serde_json::Value,
) -> Result<String, TemplateError> {
    let max = match part {
        Part::Subject => MAX_SUBJECT_CHARS,
        Part::Body => MAX_BODY_CHARS,
    };
    let chars = source.chars().count();
    if chars > max {
        return Err(TemplateError::TooLong { part, chars, max });
    }
    let compiled = env
        .template_from_named_str(part.as_str(), source)
        .map_err(|err| engine_error(part, &err))?;
    let placeholders = kind.placeholders();
    let used: BTreeSet<String> = compiled.undeclared_variables(false).into_iter().collect();
    if let Some(name) = used.into_iter().find(|name| {
        !placeholders.iter().any(|p| p.name == name) && !ALLOWED_GLOBALS.contains(&name.as_str())
    }) {
        let names: Vec<&str> = placeholders.iter().map(|p| p.name).collect();
        return Err(TemplateError::UnknownPlaceholder {
            part,
            name,
            available: names.join(", "),
        });
    }
    let mut out = CappedWriter::default();
    match compiled.render_captured_to(context, &mut out) {
        // MiniJinja writes whole `str`s, so the bytes are valid UTF-8.
        Ok(_) => Ok(String::from_utf8_lossy(&out.bytes).into_owned()),
        Err(_) if out.overflowed => Err(too_long(part)),
        Err(err) => Err(engine_error(part, &err)),
    }
}

fn too_long(part: Part) -> TemplateError {
    TemplateError::Render {
        part,
        line: None,
        message: format!("the text would be longer than {MAX_RENDERED_BYTES} bytes"),
    }
}

fn engine_error(part: Part, err: &Error) -> TemplateError {
    let line = err.line();
    let message = match (err.kind(), err.detail()) {
        (ErrorKind::OutOfFuel, _) => "it takes too many steps (is a loop running away?)".to_owned(),
        (ErrorKind::UndefinedError, _) => {
            "a placeholder or attribute has no value (a review has only label, overall, \
             confidence and text)"
                .to_owned()
        }
        (kind, Some(detail)) => format!("{kind}: {detail}"),
        (kind, None) => kind.to_string(),
    };
    match err.kind() {
        ErrorKind::SyntaxError => TemplateError::Syntax {
            part,
            line,
            message,
        },
        _ => TemplateError::Render {
            part,
            line,
            message,
        },
    }
}

/// A template environment that can only evaluate the string it is given.
fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_fuel(Some(FUEL));
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    // Filters that multiply the length of a string could build a huge value without printing.
    for filter in ["indent", "join", "replace", "center", "format", "pprint"] {
        env.remove_filter(filter);
    }
    env.set_formatter(print_plain);
    env
}

/// Prints a value as text, refusing lists and objects (`{{ reviews }}` is a mistake, not a
/// letter), and counts what was printed, so captured blocks cannot grow without limit either.
fn print_plain(out: &mut minijinja::Output, state: &State, value: &Value) -> Result<(), Error> {
    if matches!(
        value.kind(),
        ValueKind::Seq | ValueKind::Map | ValueKind::Iterable
    ) {
        let hint = "a list or object cannot be printed; loop over it with {% for ... in ... %}";
        return Err(Error::new(ErrorKind::InvalidOperation, hint));
    }
    let text = value.to_string();
    let printed = state
        .get_temp("printed")
        .and_then(|v| usize::try_from(v).ok())
        .unwrap_or(0);
    let printed = printed.saturating_add(text.len());
    if printed > MAX_RENDERED_BYTES {
        let message = format!("the text would be longer than {MAX_RENDERED_BYTES} bytes");
        return Err(Error::new(ErrorKind::InvalidOperation, message));
    }
    state.set_temp("printed", Value::from(printed));
    out.write_str(&text).map_err(Error::from)
}

/// Collects the rendered text, failing once it grows past the limit.
#[derive(Default)]
struct CappedWriter {
    bytes: Vec<u8>,
    overflowed: bool,
}

impl std::io::Write for CappedWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len().saturating_add(buf.len()) > MAX_RENDERED_BYTES {
            self.overflowed = true;
            return Err(std::io::Error::other("letter too long"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Sample values for the preview page: an accepted paper with two reviews.
pub fn example_context(kind: LetterKind) -> serde_json::Value {
    let mut sample = json!({
        "name": "Maria Chen",
        "conference": "DEML @ NeurIPS 2025",
        "number": 17,
        "title": "Stable neural ODEs via contractive vector fields",
        "decision": "accepted",
        "presentation": "contributed talk (15 min)",
        "accepted": true,
        "reviews": [
            {
                "label": "Reviewer A",
                "overall": "4 (accept)",
                "confidence": "4 (confident)",
                "text": "A clear, well-motivated paper. The contraction argument is neat; \
                         the experiments on stiff systems would benefit from wall-clock times."
            },
            {
                "label": "Reviewer B",
                "overall": "3 (weak accept)",
                "confidence": "3 (fairly confident)",
                "text": "Interesting idea. Please compare with Lipschitz-constrained ODE \
                         baselines and discuss the cost of the projection step."
            }
        ],
        "camera_ready_due": "Friday 17 October 2025, 23:59 AoE",
        "link": "https://cfp.example.org/papers/17",
    });
    if let Some(fields) = sample.as_object_mut() {
        fields.retain(|key, _| kind.placeholders().iter().any(|p| p.name == key));
    }
    sample
}

fn rejected_example() -> serde_json::Value {
    let mut context = example_context(LetterKind::Decision);
    context["decision"] = json!("rejected");
    context["presentation"] = json!("");
    context["accepted"] = json!(false);
    context
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let (subject, body) =
            render(kind, &default_template(kind), &example_context(kind)).unwrap();
        assert_eq!(
            subject,
            "[DEML @ NeurIPS 2025] Decision on submission #17: \
             Stable neural ODEs via contractive vector fields"
        );
        assert!(body.contains("Congratulations!"));
        assert!(body.contains("accepted to DEML @ NeurIPS 2025 as a contributed talk (15 min)."));
        assert!(body.contains("camera-ready version by Friday 17 October 2025, 23:59 AoE"));
        assert!(
            body.contains("== Reviewer A ====\nOverall: 4 (accept)\nConfidence: 4 (confident)")
        );
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
}
