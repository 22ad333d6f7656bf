//! Account values: email addresses, names, affiliations and passwords, each parsed once from
//! raw form text into a type that can only hold a valid value.

use super::{FieldErrors, bounded_text};

/// A syntactically plausible email address, trimmed and lower-cased. Addresses are compared
/// case-insensitively everywhere, so the lower-cased form is the canonical one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Email, String> {
        let value = raw.trim().to_lowercase();
        if value.is_empty() {
            return Err("Email address is required.".into());
        }
        if value.len() > Self::MAX_LEN {
            return Err(format!(
                "Email address can have at most {} characters.",
                Self::MAX_LEN
            ));
        }
        let Some((local, domain)) = value.rsplit_once('@') else {
            return Err("Enter an email address like name@example.org.".into());
        };
        let bad_char = |c: char| c.is_whitespace() || c.is_control() || "<>()[]\\,;:\"".contains(c);
        let domain_ok = !domain.is_empty()
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@')
            && domain.contains('.');
        if local.is_empty()
            || local.len() > 64
            || local.contains('@')
            || value.chars().any(bad_char)
            || !domain_ok
        {
            return Err("Enter an email address like name@example.org.".into());
        }
        Ok(Email(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after `@`.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map(|(_, d)| d).unwrap_or("")
    }

    /// For addresses read back from the database, which only ever holds parsed ones.
    pub fn from_db(raw: String) -> Email {
        Email(raw)
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password as typed, checked for length. Never logged, never stored: only its hash is.
pub struct Password(String);

impl Password {
    pub const MIN_LEN: usize = 10;
    /// Long enough for any passphrase, short enough that hashing stays cheap to refuse.
    pub const MAX_LEN: usize = 256;

    pub fn parse(raw: &str) -> Result<Password, String> {
        let len = raw.chars().count();
        if len < Self::MIN_LEN {
            return Err(format!(
                "Choose a password of at least {} characters.",
                Self::MIN_LEN
            ));
        }
        if len > Self::MAX_LEN {
            return Err(format!(
                "A password can have at most {} characters.",
                Self::MAX_LEN
            ));
        }
        Ok(Password(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// A valid registration.
#[derive(Debug)]
pub struct NewAccount {
    pub name: String,
    pub email: Email,
    pub affiliation: String,
    pub password: Password,
}

/// The registration form as typed.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct RegistrationForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub affiliation: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_confirm: String,
}

pub const NAME_MAX: usize = 120;
pub const AFFILIATION_MAX: usize = 200;

impl TryFrom<&RegistrationForm> for NewAccount {
    type Error = FieldErrors;

    fn try_from(form: &RegistrationForm) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = bounded_text(&mut errors, "name", "Name", &form.name, 1, NAME_MAX);
        let affiliation = bounded_text(
            &mut errors,
            "affiliation",
            "Affiliation",
            &form.affiliation,
            1,
            AFFILIATION_MAX,
        );
        let email = Email::parse(&form.email)
            .map_err(|e| errors.add("email", e))
            .ok();
        let password = Password::parse(&form.password)
            .map_err(|e| errors.add("password", e))
            .ok();
        if password.is_some() && form.password != form.password_confirm {
            errors.add("password_confirm", "The two passwords differ.");
        }
        match (email, password) {
            (Some(email), Some(password)) if errors.is_empty() => Ok(NewAccount {
                name,
                email,
                affiliation,
                password,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> RegistrationForm {
        RegistrationForm {
            name: "Ada Lovelace".into(),
            email: " Ada@Example.ORG ".into(),
            affiliation: "Analytical Engines Ltd".into(),
            password: "correct horse battery".into(),
            password_confirm: "correct horse battery".into(),
        }
    }

    #[test]
    fn email_is_trimmed_and_lowercased() {
        let account = NewAccount::try_from(&form()).unwrap();
        assert_eq!(account.email.as_str(), "ada@example.org");
        assert_eq!(account.email.domain(), "example.org");
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.org",
            "ada@example",
            "a da@example.org",
            "ada@@x.org",
            "ada@x..org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn short_password_and_mismatch_name_their_fields() {
        let mut f = form();
        f.password = "short".into();
        let errors = NewAccount::try_from(&f).unwrap_err();
        assert!(errors.get("password").unwrap().contains("10 characters"));

        let mut f = form();
        f.password_confirm = "something else entirely".into();
        let errors = NewAccount::try_from(&f).unwrap_err();
        assert_eq!(
            errors.get("password_confirm"),
            Some("The two passwords differ.")
        );
    }

    #[test]
    fn over_long_and_missing_fields_are_refused() {
        let mut f = form();
        f.name = "x".repeat(NAME_MAX + 1);
        f.affiliation = "  ".into();
        let errors = NewAccount::try_from(&f).unwrap_err();
        assert!(errors.get("name").unwrap().contains("at most"));
        assert_eq!(errors.get("affiliation"), Some("Affiliation is required."));
    }

    #[test]
    fn password_debug_never_shows_the_secret() {
        let p = Password::parse("supersecret-123").unwrap();
        assert!(!format!("{p:?}").contains("supersecret"));
    }
}
