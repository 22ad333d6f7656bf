//! Identifier newtypes. Every id is a UUID kept as its canonical text (the database stores
//! it as `VARCHAR(36)` on both backends); the types keep one kind of id from being passed
//! where another is expected.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// A fresh random id.
            pub fn generate() -> Self {
                $name(Uuid::new_v4().to_string())
            }

            /// Accepts only canonical UUID text, so ids from URLs are checked once.
            pub fn parse(raw: &str) -> Option<Self> {
                Uuid::parse_str(raw).ok().map(|u| $name(u.to_string()))
            }

            /// For ids read back from the database, which only ever holds generated ids.
            pub fn from_db(raw: String) -> Self {
                $name(raw)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

uuid_id!(
    /// A person with an account.
    UserId
);
uuid_id!(
    /// One queued email.
    MailId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_uuids_and_refuses_anything_else() {
        let id = UserId::generate();
        assert_eq!(UserId::parse(id.as_str()), Some(id));
        assert_eq!(UserId::parse("17"), None);
        assert_eq!(UserId::parse("../etc/passwd"), None);
    }
}
