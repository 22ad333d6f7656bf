//! Who may see and do what: every access rule of cfp, as pure predicates.
//!
//! Handlers and templates ask this module; none re-implements a rule. Each rule comes as a
//! `perm_*` function that says why not (for handlers and messages) and, where templates need
//! it, a `can_*` boolean (to hide a button). Later capabilities (papers, reviews, decisions)
//! add their rules here, computed from a per-(user, paper) rights value.

use crate::domain::account::Email;
use crate::domain::ids::UserId;

/// A signed-in person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: UserId,
    pub name: String,
    pub email: Email,
    pub is_chair: bool,
}

/// Whoever is making the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Anonymous,
    Member(Member),
}

impl Actor {
    pub fn member(&self) -> Option<&Member> {
        match self {
            Actor::Member(m) => Some(m),
            Actor::Anonymous => None,
        }
    }
}

/// Why an action is refused. The message is safe to show to the person refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("Please sign in first.")]
    SignInRequired,
    #[error("Only the conference chairs can do this.")]
    ChairsOnly,
}

/// Any signed-in person.
pub fn perm_signed_in(actor: &Actor) -> Result<&Member, Denied> {
    actor.member().ok_or(Denied::SignInRequired)
}

/// Editing conference settings, reading the mail queue and other chair pages.
pub fn perm_manage_conference(actor: &Actor) -> Result<&Member, Denied> {
    let member = perm_signed_in(actor)?;
    if member.is_chair {
        Ok(member)
    } else {
        Err(Denied::ChairsOnly)
    }
}

pub fn can_manage_conference(actor: &Actor) -> bool {
    perm_manage_conference(actor).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(is_chair: bool) -> Actor {
        Actor::Member(Member {
            id: UserId::generate(),
            name: "Ada".into(),
            email: Email::parse("ada@example.org").unwrap(),
            is_chair,
        })
    }

    #[test]
    fn anonymous_visitors_must_sign_in_for_chair_pages() {
        assert_eq!(
            perm_manage_conference(&Actor::Anonymous),
            Err(Denied::SignInRequired)
        );
    }

    #[test]
    fn members_who_are_not_chairs_are_refused_chair_pages() {
        assert_eq!(
            perm_manage_conference(&member(false)),
            Err(Denied::ChairsOnly)
        );
        assert!(!can_manage_conference(&member(false)));
    }

    #[test]
    fn chairs_manage_the_conference() {
        assert!(can_manage_conference(&member(true)));
    }

    #[test]
    fn any_member_is_signed_in() {
        assert!(perm_signed_in(&member(false)).is_ok());
        assert_eq!(
            perm_signed_in(&Actor::Anonymous).err(),
            Some(Denied::SignInRequired)
        );
    }
}
