//! Who may see and do what: every access rule of cfp, as pure predicates.
//!
//! Handlers and templates ask this module; none re-implements a rule. Each rule comes as a
//! `perm_*` function that says why not (for handlers and messages) and, where templates need
//! it, a `can_*` boolean (to hide a button). Later capabilities (papers, reviews, decisions)
//! add their rules here, computed from a per-(user, paper) rights value.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::domain::account::Email;
use crate::domain::conference::format_in_zone;
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
    /// Answered exactly like a paper that does not exist, so ids reveal nothing.
    #[error("This page does not exist.")]
    NotFound,
    #[error("{0}")]
    Closed(String),
    #[error("This submission was withdrawn; ask the chairs to reinstate it.")]
    Withdrawn,
}

/// One person's relation to one submission, computed once per request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PaperRights {
    /// Listed as an author (linked by email to the signed-in account).
    pub is_author: bool,
    pub is_chair: bool,
    pub withdrawn: bool,
}

impl PaperRights {
    /// Rights of `actor` on a paper whose authors have `author_emails`.
    pub fn compute<'a>(
        actor: &Actor,
        author_emails: impl IntoIterator<Item = &'a str>,
        withdrawn: bool,
    ) -> PaperRights {
        let Some(m) = actor.member() else {
            return PaperRights {
                withdrawn,
                ..PaperRights::default()
            };
        };
        let is_author = author_emails.into_iter().any(|e| e == m.email.as_str());
        PaperRights {
            is_author,
            is_chair: m.is_chair,
            withdrawn,
        }
    }
}

/// The submission window as it stands for one paper.
#[derive(Debug, Clone, Copy)]
pub struct SubmissionWindow {
    pub opens_at: DateTime<Utc>,
    /// Deadline plus grace.
    pub closes_at: DateTime<Utc>,
    /// A chair's late-fix unlock for this paper.
    pub unlocked_until: Option<DateTime<Utc>>,
    pub now: DateTime<Utc>,
    pub tz: Tz,
}

impl SubmissionWindow {
    fn check(&self) -> Result<(), Denied> {
        if self.now < self.opens_at {
            return Err(Denied::Closed(format!(
                "Submissions open on {}.",
                format_in_zone(self.opens_at, self.tz)
            )));
        }
        if self.now <= self.closes_at || self.unlocked_until.is_some_and(|u| self.now <= u) {
            return Ok(());
        }
        Err(Denied::Closed(format!(
            "The submission deadline has passed: submissions closed on {}; it is now {}.",
            format_in_zone(self.closes_at, self.tz),
            format_in_zone(self.now, self.tz)
        )))
    }
}

/// Seeing a submission's page, authors, versions and format report: its authors and chairs.
/// Everyone else is told it does not exist.
pub fn perm_view_submission(actor: &Actor, rights: PaperRights) -> Result<(), Denied> {
    perm_signed_in(actor)?;
    if rights.is_author || rights.is_chair {
        Ok(())
    } else {
        Err(Denied::NotFound)
    }
}

/// Downloading a submission's files: the same people as viewing it (reviewers come later).
pub fn perm_download_submission(actor: &Actor, rights: PaperRights) -> Result<(), Denied> {
    perm_view_submission(actor, rights)
}

/// Starting a new submission: anyone signed in while the window is open.
pub fn perm_create_submission(actor: &Actor, window: &SubmissionWindow) -> Result<(), Denied> {
    perm_signed_in(actor)?;
    window.check()
}

/// Editing, replacing the PDF or withdrawing: an author, before the deadline (or while a
/// chair's unlock lasts), of a paper that is not withdrawn.
pub fn perm_edit_submission(
    actor: &Actor,
    rights: PaperRights,
    window: &SubmissionWindow,
) -> Result<(), Denied> {
    perm_view_submission(actor, rights)?;
    if !rights.is_author {
        return Err(Denied::Closed(
            "Only the paper's authors edit it; chairs can unlock it for them.".into(),
        ));
    }
    if rights.withdrawn {
        return Err(Denied::Withdrawn);
    }
    window.check()
}

pub fn can_edit_submission(actor: &Actor, rights: PaperRights, window: &SubmissionWindow) -> bool {
    perm_edit_submission(actor, rights, window).is_ok()
}

/// Withdrawing or reinstating a paper, unlocking it, exporting the list: chairs.
pub fn perm_manage_submissions(actor: &Actor) -> Result<&Member, Denied> {
    perm_manage_conference(actor)
}

/// Whether to show the chair's tools (history, withdraw/reinstate, unlock) on a paper page.
pub fn can_manage_submissions(actor: &Actor) -> bool {
    perm_manage_submissions(actor).is_ok()
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

    fn window(now_offset_secs: i64) -> SubmissionWindow {
        let closes_at = chrono::DateTime::parse_from_rfc3339("2027-09-18T06:59:59Z")
            .unwrap()
            .with_timezone(&Utc);
        SubmissionWindow {
            opens_at: closes_at - chrono::Duration::days(60),
            closes_at,
            unlocked_until: None,
            now: closes_at + chrono::Duration::seconds(now_offset_secs),
            tz: chrono_tz::America::Los_Angeles,
        }
    }

    fn author_rights() -> PaperRights {
        PaperRights {
            is_author: true,
            ..PaperRights::default()
        }
    }

    #[test]
    fn authors_edit_until_the_last_second_and_not_after() {
        let ada = member(false);
        assert!(perm_edit_submission(&ada, author_rights(), &window(0)).is_ok());
        let late = perm_edit_submission(&ada, author_rights(), &window(1)).unwrap_err();
        assert!(
            late.to_string()
                .contains("submissions closed on Fri 17 Sep 2027, 23:59 PDT"),
            "{late}"
        );
        assert!(
            late.to_string()
                .contains("it is now Sat 18 Sep 2027, 00:00 PDT"),
            "{late}"
        );
    }

    #[test]
    fn a_chair_unlock_reopens_one_paper() {
        let mut w = window(3600);
        w.unlocked_until = Some(w.now + chrono::Duration::minutes(5));
        assert!(perm_edit_submission(&member(false), author_rights(), &w).is_ok());
    }

    #[test]
    fn strangers_are_told_the_paper_does_not_exist() {
        assert_eq!(
            perm_view_submission(&member(false), PaperRights::default()),
            Err(Denied::NotFound)
        );
        assert_eq!(
            perm_view_submission(&Actor::Anonymous, PaperRights::default()),
            Err(Denied::SignInRequired)
        );
        assert!(
            perm_view_submission(
                &member(true),
                PaperRights::compute(&member(true), [], false)
            )
            .is_ok()
        );
    }

    #[test]
    fn withdrawn_papers_cannot_be_edited() {
        let rights = PaperRights {
            withdrawn: true,
            ..author_rights()
        };
        assert_eq!(
            perm_edit_submission(&member(false), rights, &window(-10)),
            Err(Denied::Withdrawn)
        );
    }

    #[test]
    fn rights_follow_the_author_emails() {
        let ada = member(false);
        assert!(PaperRights::compute(&ada, ["x@example.org", "ada@example.org"], false).is_author);
        assert!(!PaperRights::compute(&ada, ["x@example.org"], false).is_author);
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
