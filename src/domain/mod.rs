//! Pure types and rules: ids, validated values, conference settings and deadlines.
//! Nothing here performs I/O or knows about the database, the web or email.

pub mod account;
pub mod conference;
pub mod decision;
pub mod discussion;
pub mod ids;
pub mod pool;
pub mod program;
pub mod program_current;
pub mod program_text;
pub mod review;
pub mod scores;
pub mod standing;
pub mod submission;

use std::collections::BTreeMap;

/// Validation messages keyed by form field name, so a form can re-render with each message
/// beside its field.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FieldErrors(BTreeMap<String, String>);

impl FieldErrors {
    pub fn new() -> Self {
        FieldErrors::default()
    }

    /// Records `message` for `field`, keeping the first message if there is one already.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_string())
            .or_insert_with(|| message.into());
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// `Ok(value)` when no error was recorded.
    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        f.write_str(&parts.join("; "))
    }
}

/// Trims a raw form value and checks its length in characters.
pub(crate) fn bounded_text(
    errors: &mut FieldErrors,
    field: &str,
    label: &str,
    raw: &str,
    min: usize,
    max: usize,
) -> String {
    let value = raw.trim().to_string();
    let len = value.chars().count();
    if len < min {
        if min == 1 {
            errors.add(field, format!("{label} is required."));
        } else {
            errors.add(field, format!("{label} needs at least {min} characters."));
        }
    } else if len > max {
        errors.add(
            field,
            format!("{label} can have at most {max} characters (this has {len})."),
        );
    } else if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        errors.add(field, format!("{label} contains control characters."));
    }
    value
}
