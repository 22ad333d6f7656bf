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

mod discussion;
pub use discussion::*;

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
    #[error(
        "This page is for reviewers: the main authors of submissions and the volunteers the chairs invited."
    )]
    NotReviewer,
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

/// The reviewer pages (profile, "My reviews"): members of the reviewer pool, and anyone who
/// still has an assignment.
pub fn perm_reviewer(actor: &Actor, in_pool: bool) -> Result<&Member, Denied> {
    let member = perm_signed_in(actor)?;
    if in_pool {
        Ok(member)
    } else {
        Err(Denied::NotReviewer)
    }
}

/// The bidding window: from the end of submissions (deadline plus grace) to the bidding
/// deadline.
#[derive(Debug, Clone, Copy)]
pub struct BiddingWindow {
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub now: DateTime<Utc>,
    pub tz: Tz,
}

impl BiddingWindow {
    pub fn is_open(&self) -> bool {
        self.opens_at < self.now && self.now <= self.closes_at
    }
}

/// Bidding: reviewers, while the window is open.
pub fn perm_bid<'a>(
    actor: &'a Actor,
    in_pool: bool,
    window: &BiddingWindow,
) -> Result<&'a Member, Denied> {
    let member = perm_reviewer(actor, in_pool)?;
    if window.now <= window.opens_at {
        return Err(Denied::Closed(format!(
            "Bidding opens when submissions close, on {}.",
            format_in_zone(window.opens_at, window.tz)
        )));
    }
    if window.now > window.closes_at {
        return Err(Denied::Closed(format!(
            "Bidding closed on {}.",
            format_in_zone(window.closes_at, window.tz)
        )));
    }
    Ok(member)
}

/// An assigned paper's reviewer pages: its assigned reviewers only. Everyone else is told
/// the paper does not exist, exactly as for a number that does not exist.
pub fn perm_view_assigned(actor: &Actor, assigned: bool) -> Result<&Member, Denied> {
    let member = perm_signed_in(actor)?;
    if assigned {
        Ok(member)
    } else {
        Err(Denied::NotFound)
    }
}

/// The review window of one review: due date, a chair's reopening, the time now.
#[derive(Debug, Clone, Copy)]
pub struct ReviewWindow {
    pub due: DateTime<Utc>,
    pub reopened_until: Option<DateTime<Utc>>,
    pub now: DateTime<Utc>,
    pub tz: Tz,
}

impl ReviewWindow {
    /// A review submitted now is late.
    pub fn is_late(&self) -> bool {
        self.now > self.due
    }
}

/// Writing a review: the assigned reviewer (others: not found), of a paper that is not
/// withdrawn. Drafts can be saved and submitted after the due date (marked late: chairs want
/// late reviews); a submitted review can be revised until the due date, later only while a
/// chair has reopened it.
pub fn perm_write_review<'a>(
    actor: &'a Actor,
    assigned: bool,
    withdrawn: bool,
    submitted: bool,
    window: &ReviewWindow,
) -> Result<&'a Member, Denied> {
    let member = perm_view_assigned(actor, assigned)?;
    if withdrawn {
        return Err(Denied::Closed(
            "This paper was withdrawn by its authors: no review is needed and nothing was saved."
                .into(),
        ));
    }
    let reopened = window.reopened_until.is_some_and(|u| window.now <= u);
    if submitted && window.is_late() && !reopened {
        return Err(Denied::Closed(format!(
            "Reviews were due {}: your submitted review is locked. Ask the chairs to reopen it if you need to change it.",
            format_in_zone(window.due, window.tz)
        )));
    }
    Ok(member)
}

pub fn can_write_review(
    actor: &Actor,
    assigned: bool,
    withdrawn: bool,
    submitted: bool,
    window: &ReviewWindow,
) -> bool {
    perm_write_review(actor, assigned, withdrawn, submitted, window).is_ok()
}

/// A chair's access to a paper's reviews with reviewer identities, confidential comments and
/// the right to reopen them: chairs who are not authors of the paper.
pub fn perm_manage_reviews(actor: &Actor, rights: PaperRights) -> Result<&Member, Denied> {
    let member = perm_manage_conference(actor)?;
    if rights.is_author {
        return Err(Denied::Closed(
            "You are an author of this paper: its reviews and reviewers are hidden from you, and another chair handles them.".into(),
        ));
    }
    Ok(member)
}

pub fn can_manage_reviews(actor: &Actor, rights: PaperRights) -> bool {
    perm_manage_reviews(actor, rights).is_ok()
}

/// Whether `actor` may learn who reviews, and how, a paper written by `author_emails`
/// (assignment previews and exports, scores, review lists): chairs who are not among them.
pub fn can_see_reviewers<'a>(
    actor: &Actor,
    author_emails: impl IntoIterator<Item = &'a str>,
) -> bool {
    can_manage_reviews(actor, PaperRights::compute(actor, author_emails, false))
}

/// Deciding a paper: chairs who are not its authors.
pub fn perm_decide(actor: &Actor, rights: PaperRights) -> Result<&Member, Denied> {
    perm_manage_reviews(actor, rights)
}

/// Seeing a paper's decision and its reviews (author view: labels, no identities, nothing
/// confidential): its authors once decisions are released.
pub fn perm_view_released(
    actor: &Actor,
    rights: PaperRights,
    released: bool,
) -> Result<(), Denied> {
    perm_view_submission(actor, rights)?;
    if rights.is_author && released {
        Ok(())
    } else if rights.is_author {
        Err(Denied::Closed("Decisions are not released yet.".into()))
    } else {
        Err(Denied::NotFound)
    }
}

/// The camera-ready window: until the camera-ready deadline, or while a chair's unlock lasts.
#[derive(Debug, Clone, Copy)]
pub struct CameraReadyWindow {
    pub due: DateTime<Utc>,
    pub unlocked_until: Option<DateTime<Utc>>,
    pub now: DateTime<Utc>,
    pub tz: Tz,
}

/// Uploading a camera-ready version and naming the presenter and ticket holder: authors of a
/// paper whose acceptance was released, before the camera-ready deadline.
pub fn perm_camera_ready<'a>(
    actor: &'a Actor,
    rights: PaperRights,
    accepted_and_released: bool,
    window: &CameraReadyWindow,
) -> Result<&'a Member, Denied> {
    let member = perm_signed_in(actor)?;
    if !rights.is_author {
        return Err(if rights.is_chair {
            Denied::Closed("Only the paper's authors upload its camera-ready version.".into())
        } else {
            Denied::NotFound
        });
    }
    if rights.withdrawn {
        return Err(Denied::Withdrawn);
    }
    if !accepted_and_released {
        return Err(Denied::Closed(
            "Camera-ready versions are for accepted papers, once decisions are released.".into(),
        ));
    }
    let unlocked = window.unlocked_until.is_some_and(|u| window.now <= u);
    if window.now > window.due && !unlocked {
        return Err(Denied::Closed(format!(
            "The camera-ready deadline has passed: it was {}; it is now {}.",
            format_in_zone(window.due, window.tz),
            format_in_zone(window.now, window.tz)
        )));
    }
    Ok(member)
}

/// Whether an audit entry of `action` about a paper names its reviewers or tells of its
/// discussion or meta-review (hidden from a chair who wrote the paper).
pub fn audit_names_reviewers(action: &str) -> bool {
    action.starts_with("review.")
        || action.starts_with("conflict.")
        || action == "assignment.conflict_reported"
        || action == "assignment.add"
        || action == "assignment.remove"
        || action.starts_with("discussion.")
        || action.starts_with("meta_review.")
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
    fn only_the_pool_reaches_reviewer_pages_and_only_assigned_reviewers_see_a_paper() {
        assert_eq!(
            perm_reviewer(&member(false), false).err(),
            Some(Denied::NotReviewer)
        );
        assert!(perm_reviewer(&member(false), true).is_ok());
        assert_eq!(
            perm_reviewer(&Actor::Anonymous, true).err(),
            Some(Denied::SignInRequired)
        );
        assert_eq!(
            perm_view_assigned(&member(true), false).err(),
            Some(Denied::NotFound),
            "being a chair does not make one a reviewer"
        );
        assert!(perm_view_assigned(&member(false), true).is_ok());
    }

    #[test]
    fn bidding_is_open_between_the_end_of_submissions_and_its_deadline() {
        let w = window(0);
        let bidding = |offset: i64| BiddingWindow {
            opens_at: w.closes_at,
            closes_at: w.closes_at + chrono::Duration::days(5),
            now: w.closes_at + chrono::Duration::seconds(offset),
            tz: w.tz,
        };
        let ada = member(false);
        assert!(
            matches!(perm_bid(&ada, true, &bidding(0)), Err(Denied::Closed(m)) if m.contains("Bidding opens"))
        );
        assert!(perm_bid(&ada, true, &bidding(1)).is_ok());
        assert!(perm_bid(&ada, true, &bidding(5 * 86_400)).is_ok());
        assert!(
            matches!(perm_bid(&ada, true, &bidding(5 * 86_400 + 1)), Err(Denied::Closed(m)) if m.contains("Bidding closed"))
        );
        assert_eq!(
            perm_bid(&ada, false, &bidding(10)).err(),
            Some(Denied::NotReviewer)
        );
        assert!(bidding(1).is_open() && !bidding(0).is_open());
    }

    fn review_window(offset_secs: i64, reopened: Option<i64>) -> ReviewWindow {
        let due = window(0).closes_at + chrono::Duration::days(20);
        ReviewWindow {
            due,
            reopened_until: reopened.map(|s| due + chrono::Duration::seconds(s)),
            now: due + chrono::Duration::seconds(offset_secs),
            tz: chrono_tz::America::Los_Angeles,
        }
    }

    #[test]
    fn submitted_reviews_lock_at_the_due_date_unless_reopened_and_drafts_may_be_late() {
        let r = member(false);
        assert!(perm_write_review(&r, true, false, true, &review_window(0, None)).is_ok());
        let locked = perm_write_review(&r, true, false, true, &review_window(1, None)).unwrap_err();
        assert!(locked.to_string().contains("locked"), "{locked}");
        assert!(perm_write_review(&r, true, false, false, &review_window(86_400, None)).is_ok());
        assert!(review_window(1, None).is_late() && !review_window(0, None).is_late());
        assert!(perm_write_review(&r, true, false, true, &review_window(60, Some(120))).is_ok());
        assert!(perm_write_review(&r, true, false, true, &review_window(121, Some(120))).is_err());
        assert_eq!(
            perm_write_review(&r, false, false, false, &review_window(0, None)).err(),
            Some(Denied::NotFound)
        );
        assert!(matches!(
            perm_write_review(&r, true, true, false, &review_window(0, None)),
            Err(Denied::Closed(m)) if m.contains("withdrawn")
        ));
    }

    #[test]
    fn a_chair_who_wrote_the_paper_does_not_manage_its_reviews() {
        let chair = member(true);
        assert!(perm_manage_reviews(&chair, PaperRights::default()).is_ok());
        assert!(!can_manage_reviews(&chair, author_rights()));
        assert_eq!(
            perm_manage_reviews(&member(false), PaperRights::default()).err(),
            Some(Denied::ChairsOnly)
        );
    }

    #[test]
    fn authors_see_decisions_once_released_and_upload_camera_ready_until_the_deadline() {
        let ada = member(false);
        assert!(perm_view_released(&ada, author_rights(), true).is_ok());
        assert!(matches!(
            perm_view_released(&ada, author_rights(), false),
            Err(Denied::Closed(_))
        ));
        assert_eq!(
            perm_view_released(&ada, PaperRights::default(), true),
            Err(Denied::NotFound)
        );
        let w = window(0);
        let cr = |offset: i64| CameraReadyWindow {
            due: w.closes_at,
            unlocked_until: None,
            now: w.closes_at + chrono::Duration::seconds(offset),
            tz: w.tz,
        };
        assert!(perm_camera_ready(&ada, author_rights(), true, &cr(0)).is_ok());
        assert!(
            matches!(perm_camera_ready(&ada, author_rights(), true, &cr(1)), Err(Denied::Closed(m)) if m.contains("deadline has passed"))
        );
        assert!(perm_camera_ready(&ada, author_rights(), false, &cr(0)).is_err());
        assert_eq!(
            perm_camera_ready(&ada, PaperRights::default(), true, &cr(0)).err(),
            Some(Denied::NotFound)
        );
        assert!(perm_decide(&member(true), author_rights()).is_err());
        assert!(perm_decide(&member(true), PaperRights::default()).is_ok());
    }

    #[test]
    fn chairs_see_the_reviewers_of_every_paper_but_their_own() {
        let chair = member(true);
        assert!(can_see_reviewers(&chair, ["x@example.org"]));
        assert!(!can_see_reviewers(
            &chair,
            ["x@example.org", "ada@example.org"]
        ));
        assert!(!can_see_reviewers(&member(false), ["x@example.org"]));
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
