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

mod defaults;
use defaults::rejected_example;
pub use defaults::{default_template, example_context};

#[cfg(test)]
mod tests;
