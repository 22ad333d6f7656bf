//! Who may read and write what in a paper's discussion, and when: the comment thread
//! (reviewers and chairs; authors only for comments addressed to them), editing a comment,
//! the authors' response and its window, "I have read the response", the meta-review, and a
//! reviewer's revision of a submitted review after the response. Pure rules on a
//! [`DiscussionWindow`] built from the settings and the injectable clock's "now".

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use super::{Actor, Denied, Member, PaperRights, perm_manage_conference, perm_signed_in};
use crate::domain::conference::{ConferenceSettings, format_in_zone};
use crate::domain::discussion::CommentAudience;

/// The discussion's dates as they stand now.
#[derive(Debug, Clone, Copy)]
pub struct DiscussionWindow {
    pub review_due: DateTime<Utc>,
    /// The end of the discussion: the planned decisions date, or the release if earlier.
    pub closes_at: DateTime<Utc>,
    /// The author-response window (opens, closes), when the chair enabled it.
    pub response: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// Whether comments may be addressed to the authors during the response window.
    pub comments_to_authors: bool,
    pub edit_minutes: u32,
    pub now: DateTime<Utc>,
    pub tz: Tz,
}

impl DiscussionWindow {
    /// The window under `settings` at `now`, given when decisions were released (if they were).
    pub fn new(
        settings: &ConferenceSettings,
        released_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> DiscussionWindow {
        let planned = settings.dates.decisions_release;
        DiscussionWindow {
            review_due: settings.dates.review_due,
            closes_at: released_at.map_or(planned, |r| r.min(planned)),
            response: settings
                .discussion
                .response_window(settings.dates.review_due),
            comments_to_authors: settings.discussion.comments_to_authors,
            edit_minutes: settings.discussion.comment_edit_minutes,
            now,
            tz: settings.tz(),
        }
    }

    /// Whether comments can still be posted.
    pub fn is_open(&self) -> bool {
        self.now <= self.closes_at
    }

    /// Whether authors can write their response now.
    pub fn response_open(&self) -> bool {
        self.response
            .is_some_and(|(opens, closes)| opens <= self.now && self.now <= closes)
    }

    /// Whether the response phase has begun (authors then see the reviews and comments
    /// addressed to them).
    pub fn response_started(&self) -> bool {
        self.response.is_some_and(|(opens, _)| opens <= self.now)
    }

    fn at(&self, t: DateTime<Utc>) -> String {
        format_in_zone(t, self.tz)
    }
}

/// One person's seat at a paper's discussion, as the page they use says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seat {
    /// An assigned reviewer, and whether their own review is submitted.
    Reviewer { review_submitted: bool },
    /// A chair; conflicted when an author of the paper or a conflict was entered for them.
    Chair { conflicted: bool },
    /// An area chair of the paper; conflicted as a chair is.
    AreaChair { conflicted: bool },
    /// One of the paper's authors.
    Author,
}

/// A chair's conflict with a paper: they wrote it, or a conflict was entered for them.
pub fn chair_conflicted(rights: PaperRights, conflict_entered: bool) -> bool {
    rights.is_author || conflict_entered
}

/// Whether someone in `seat` reads the paper's reviewer thread at all (for digests, where
/// nobody is signed in; pages use [`perm_read_discussion`]).
pub fn seat_reads_discussion(seat: Seat, w: &DiscussionWindow) -> bool {
    match seat {
        Seat::Reviewer { review_submitted } => review_submitted || w.now > w.review_due,
        Seat::Chair { conflicted } | Seat::AreaChair { conflicted } => !conflicted,
        Seat::Author => w.response_started(),
    }
}

/// Reading a paper's reviewer discussion: an assigned reviewer once their own review is
/// submitted or reviews are due; a chair without a conflict. Authors read only the comments
/// addressed to them, on their response page ([`comment_visible`]).
pub fn perm_read_discussion<'a>(
    actor: &'a Actor,
    seat: Seat,
    w: &DiscussionWindow,
) -> Result<&'a Member, Denied> {
    let member = perm_signed_in(actor)?;
    match seat {
        Seat::Reviewer { review_submitted } => {
            if review_submitted || w.now > w.review_due {
                Ok(member)
            } else {
                Err(Denied::Closed(format!(
                    "The discussion opens once you submit your review, or for everyone when reviews are due ({}).",
                    w.at(w.review_due)
                )))
            }
        }
        Seat::Chair { conflicted } => {
            perm_manage_conference(actor)?;
            if conflicted {
                Err(Denied::Closed(
                    "You have a conflict with this paper: its discussion is hidden from you, and another chair handles it.".into(),
                ))
            } else {
                Ok(member)
            }
        }
        Seat::AreaChair { conflicted } => {
            if conflicted {
                Err(Denied::Closed(
                    "You have a conflict with this paper: its discussion is hidden from you; the chairs handle it.".into(),
                ))
            } else {
                Ok(member)
            }
        }
        Seat::Author => Err(Denied::NotFound),
    }
}

/// An area chair's pages of a paper (reviews with their reviewers, the discussion, reminders,
/// the meta-review): its area chairs without a conflict on it. Anyone else is told the paper
/// does not exist. Area chairs never decide (`perm_decide` is for chairs).
pub fn perm_area_chair(actor: &Actor, assigned: bool, conflicted: bool) -> Result<&Member, Denied> {
    let member = perm_signed_in(actor)?;
    if !assigned {
        return Err(Denied::NotFound);
    }
    if conflicted {
        return Err(Denied::Closed(
            "You have a conflict with this paper: the chairs handle it instead of you.".into(),
        ));
    }
    Ok(member)
}

pub fn can_read_discussion(actor: &Actor, seat: Seat, w: &DiscussionWindow) -> bool {
    perm_read_discussion(actor, seat, w).is_ok()
}

/// Posting a comment: whoever reads the discussion, on a paper that is not withdrawn, until
/// the discussion closes; addressed to the authors only during the response window and
/// only if the chair allowed it.
pub fn perm_post_comment<'a>(
    actor: &'a Actor,
    seat: Seat,
    withdrawn: bool,
    audience: CommentAudience,
    w: &DiscussionWindow,
) -> Result<&'a Member, Denied> {
    let member = perm_read_discussion(actor, seat, w)?;
    if withdrawn {
        return Err(Denied::Closed(
            "This paper was withdrawn: its discussion is closed.".into(),
        ));
    }
    if !w.is_open() {
        return Err(Denied::Closed(format!(
            "The discussion closed on {}; it is now {}.",
            w.at(w.closes_at),
            w.at(w.now)
        )));
    }
    if audience == CommentAudience::Authors && !can_address_authors(w) {
        return Err(Denied::Closed(match w.response {
            Some((opens, closes)) if w.comments_to_authors => format!(
                "Comments to the authors can be posted during the author response only, from {} to {}.",
                w.at(opens),
                w.at(closes)
            ),
            _ => "Comments cannot be addressed to the authors in this conference.".into(),
        }));
    }
    Ok(member)
}

/// Whether a comment may be addressed to the authors now.
pub fn can_address_authors(w: &DiscussionWindow) -> bool {
    w.comments_to_authors && w.response_open()
}

/// Editing a comment: its writer, within `edit_minutes` of posting it, while the discussion
/// is open. Every edit keeps the earlier text.
pub fn perm_edit_comment<'a>(
    actor: &'a Actor,
    seat: Seat,
    is_writer: bool,
    posted_at: DateTime<Utc>,
    w: &DiscussionWindow,
) -> Result<&'a Member, Denied> {
    let member = perm_read_discussion(actor, seat, w)?;
    if !is_writer {
        return Err(Denied::Closed(
            "Only the person who wrote a comment can edit it.".into(),
        ));
    }
    let until = posted_at + Duration::minutes(i64::from(w.edit_minutes));
    if w.now > until {
        return Err(Denied::Closed(format!(
            "Comments can be edited for {} minutes after posting; this one could be edited until {}. Post a new comment instead.",
            w.edit_minutes,
            w.at(until)
        )));
    }
    if !w.is_open() {
        return Err(Denied::Closed(format!(
            "The discussion closed on {}.",
            w.at(w.closes_at)
        )));
    }
    Ok(member)
}

pub fn can_edit_comment(
    actor: &Actor,
    seat: Seat,
    is_writer: bool,
    posted_at: DateTime<Utc>,
    w: &DiscussionWindow,
) -> bool {
    perm_edit_comment(actor, seat, is_writer, posted_at, w).is_ok()
}

/// Whether someone in `seat` (who may read the discussion, or is an author) sees a comment
/// addressed to `audience`: reviewers and unconflicted chairs see every comment; authors only
/// those addressed to them, once the response phase has begun.
pub fn comment_visible(seat: Seat, audience: CommentAudience, w: &DiscussionWindow) -> bool {
    match seat {
        Seat::Reviewer { .. } => true,
        Seat::Chair { conflicted } | Seat::AreaChair { conflicted } => !conflicted,
        Seat::Author => audience == CommentAudience::Authors && w.response_started(),
    }
}

/// The authors' response page (the reviews so far, their response): the paper's authors,
/// once the response phase has begun. Anyone else is told the page does not exist.
pub fn perm_view_response<'a>(
    actor: &'a Actor,
    rights: PaperRights,
    w: &DiscussionWindow,
) -> Result<&'a Member, Denied> {
    let member = perm_signed_in(actor)?;
    if !rights.is_author {
        return Err(Denied::NotFound);
    }
    match w.response {
        None => Err(Denied::Closed(
            "This conference has no author response phase.".into(),
        )),
        Some((opens, _)) if w.now < opens => Err(Denied::Closed(format!(
            "The author response opens on {}.",
            w.at(opens)
        ))),
        Some(_) => Ok(member),
    }
}

/// Writing the response (draft, autosave, submit, edit): the paper's authors, while the
/// response window is open, for a paper that is not withdrawn.
pub fn perm_write_response<'a>(
    actor: &'a Actor,
    rights: PaperRights,
    w: &DiscussionWindow,
) -> Result<&'a Member, Denied> {
    let member = perm_view_response(actor, rights, w)?;
    if rights.withdrawn {
        return Err(Denied::Withdrawn);
    }
    if let Some((_, closes)) = w.response
        && w.now > closes
    {
        return Err(Denied::Closed(format!(
            "The response deadline has passed: it was {}; it is now {}.",
            w.at(closes),
            w.at(w.now)
        )));
    }
    Ok(member)
}

pub fn can_write_response(actor: &Actor, rights: PaperRights, w: &DiscussionWindow) -> bool {
    perm_write_response(actor, rights, w).is_ok()
}

/// "I have read the response": a reviewer who reads the discussion, once a response is
/// submitted.
pub fn perm_acknowledge_response<'a>(
    actor: &'a Actor,
    seat: Seat,
    response_submitted: bool,
    w: &DiscussionWindow,
) -> Result<&'a Member, Denied> {
    if !matches!(seat, Seat::Reviewer { .. }) {
        return Err(Denied::NotFound);
    }
    let member = perm_read_discussion(actor, seat, w)?;
    if !response_submitted {
        return Err(Denied::Closed(
            "The authors have not submitted a response yet.".into(),
        ));
    }
    Ok(member)
}

/// Writing a paper's meta-review: chairs without a conflict on it.
pub fn perm_meta_review(actor: &Actor, conflicted: bool) -> Result<&Member, Denied> {
    let member = perm_manage_conference(actor)?;
    if conflicted {
        return Err(Denied::Closed(
            "You have a conflict with this paper: another chair writes its meta-review.".into(),
        ));
    }
    Ok(member)
}

/// Whether the authors see the meta-review: with their released decision, when the chair
/// set it so; never before release.
pub fn meta_review_shown_to_authors(decision_released: bool, setting: bool) -> bool {
    decision_released && setting
}

/// Until when a reviewer may revise a submitted review because the authors responded: from
/// the response's submission to the end of the discussion. `None`: the usual rules apply.
pub fn revise_after_response_until(
    response_submitted: bool,
    w: &DiscussionWindow,
) -> Option<DateTime<Utc>> {
    (response_submitted && w.is_open()).then_some(w.closes_at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::account::Email;
    use crate::domain::ids::UserId;

    fn member(is_chair: bool) -> Actor {
        Actor::Member(Member {
            id: UserId::generate(),
            name: "Rita".into(),
            email: Email::parse("rita@example.org").unwrap(),
            is_chair,
        })
    }

    fn due() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2027-10-09T06:59:59Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    /// Response from the due date for 3 days; discussion until 8 days after the due date.
    fn window(offset_secs: i64) -> DiscussionWindow {
        DiscussionWindow {
            review_due: due(),
            closes_at: due() + Duration::days(8),
            response: Some((due(), due() + Duration::days(3))),
            comments_to_authors: true,
            edit_minutes: 15,
            now: due() + Duration::seconds(offset_secs),
            tz: chrono_tz::America::Los_Angeles,
        }
    }

    const REVIEWER_DONE: Seat = Seat::Reviewer {
        review_submitted: true,
    };
    const REVIEWER_PENDING: Seat = Seat::Reviewer {
        review_submitted: false,
    };

    #[test]
    fn reviewers_join_after_their_own_review_or_from_the_due_date() {
        let r = member(false);
        assert!(perm_read_discussion(&r, REVIEWER_DONE, &window(-86_400)).is_ok());
        assert!(perm_read_discussion(&r, REVIEWER_PENDING, &window(0)).is_err());
        assert!(perm_read_discussion(&r, REVIEWER_PENDING, &window(1)).is_ok());
    }

    #[test]
    fn a_conflicted_chair_reads_nothing_and_authors_never_read_the_reviewer_thread() {
        let chair = member(true);
        assert!(
            perm_read_discussion(&chair, Seat::Chair { conflicted: false }, &window(0)).is_ok()
        );
        assert!(
            perm_read_discussion(&chair, Seat::Chair { conflicted: true }, &window(0)).is_err()
        );
        assert_eq!(
            perm_read_discussion(
                &member(false),
                Seat::Chair { conflicted: false },
                &window(0)
            )
            .err(),
            Some(Denied::ChairsOnly)
        );
        assert_eq!(
            perm_read_discussion(&member(false), Seat::Author, &window(0)).err(),
            Some(Denied::NotFound)
        );
        assert!(!comment_visible(
            Seat::Chair { conflicted: true },
            CommentAudience::Authors,
            &window(0)
        ));
        assert!(comment_visible(
            Seat::Author,
            CommentAudience::Authors,
            &window(0)
        ));
        assert!(!comment_visible(
            Seat::Author,
            CommentAudience::Authors,
            &window(-1)
        ));
        assert!(!comment_visible(
            Seat::Author,
            CommentAudience::Reviewers,
            &window(10)
        ));
        assert!(chair_conflicted(
            PaperRights {
                is_author: true,
                ..Default::default()
            },
            false
        ));
        assert!(chair_conflicted(PaperRights::default(), true));
    }

    #[test]
    fn comments_close_with_the_discussion_and_reach_authors_only_in_the_response_window() {
        let r = member(false);
        let last = 8 * 86_400;
        let post = |offset, audience| {
            perm_post_comment(&r, REVIEWER_DONE, false, audience, &window(offset))
        };
        assert!(post(last, CommentAudience::Reviewers).is_ok());
        assert!(post(last + 1, CommentAudience::Reviewers).is_err());
        assert!(post(10, CommentAudience::Authors).is_ok());
        let late = post(3 * 86_400 + 1, CommentAudience::Authors).unwrap_err();
        assert!(
            late.to_string().contains("during the author response"),
            "{late}"
        );
        let mut w = window(10);
        w.comments_to_authors = false;
        assert!(perm_post_comment(&r, REVIEWER_DONE, false, CommentAudience::Authors, &w).is_err());
        assert!(
            perm_post_comment(
                &r,
                REVIEWER_DONE,
                true,
                CommentAudience::Reviewers,
                &window(10)
            )
            .is_err(),
            "withdrawn"
        );
    }

    #[test]
    fn only_the_writer_edits_and_only_for_a_short_while() {
        let r = member(false);
        let w = window(3600);
        let posted = w.now - Duration::minutes(15);
        assert!(perm_edit_comment(&r, REVIEWER_DONE, true, posted, &w).is_ok());
        assert!(perm_edit_comment(&r, REVIEWER_DONE, false, posted, &w).is_err());
        let old = posted - Duration::seconds(1);
        let e = perm_edit_comment(&r, REVIEWER_DONE, true, old, &w).unwrap_err();
        assert!(e.to_string().contains("15 minutes"), "{e}");
    }

    #[test]
    fn authors_write_their_response_in_its_window_only() {
        let a = member(false);
        let author = PaperRights {
            is_author: true,
            ..PaperRights::default()
        };
        assert!(perm_view_response(&a, author, &window(-1)).is_err());
        assert!(perm_write_response(&a, author, &window(0)).is_ok());
        assert!(perm_write_response(&a, author, &window(3 * 86_400)).is_ok());
        let late = perm_write_response(&a, author, &window(3 * 86_400 + 1)).unwrap_err();
        assert!(late.to_string().contains("deadline has passed"), "{late}");
        assert!(perm_view_response(&a, author, &window(3 * 86_400 + 1)).is_ok());
        assert_eq!(
            perm_view_response(&a, PaperRights::default(), &window(10)).err(),
            Some(Denied::NotFound)
        );
        let mut off = window(10);
        off.response = None;
        assert!(perm_view_response(&a, author, &off).is_err());
        let withdrawn = PaperRights {
            withdrawn: true,
            ..author
        };
        assert_eq!(
            perm_write_response(&a, withdrawn, &window(10)).err(),
            Some(Denied::Withdrawn)
        );
    }

    #[test]
    fn acknowledgements_meta_reviews_and_revisions_follow_the_response() {
        let r = member(false);
        assert!(perm_acknowledge_response(&r, REVIEWER_DONE, true, &window(10)).is_ok());
        assert!(perm_acknowledge_response(&r, REVIEWER_DONE, false, &window(10)).is_err());
        assert!(
            perm_acknowledge_response(
                &member(true),
                Seat::Chair { conflicted: false },
                true,
                &window(10)
            )
            .is_err()
        );
        assert!(perm_meta_review(&member(true), false).is_ok());
        assert_eq!(
            perm_area_chair(&member(false), false, false).err(),
            Some(Denied::NotFound)
        );
        assert!(perm_area_chair(&member(false), true, true).is_err());
        assert!(perm_area_chair(&member(false), true, false).is_ok());
        let ac = Seat::AreaChair { conflicted: false };
        assert!(perm_read_discussion(&member(false), ac, &window(0)).is_ok());
        assert!(comment_visible(ac, CommentAudience::Reviewers, &window(0)));
        assert!(!comment_visible(
            Seat::AreaChair { conflicted: true },
            CommentAudience::Reviewers,
            &window(0)
        ));
        assert!(perm_meta_review(&member(true), true).is_err());
        assert!(perm_meta_review(&member(false), false).is_err());
        assert!(!meta_review_shown_to_authors(false, true));
        assert!(meta_review_shown_to_authors(true, true));
        assert!(!meta_review_shown_to_authors(true, false));
        assert_eq!(revise_after_response_until(false, &window(10)), None);
        assert_eq!(
            revise_after_response_until(true, &window(10)),
            Some(due() + Duration::days(8))
        );
        assert_eq!(
            revise_after_response_until(true, &window(8 * 86_400 + 1)),
            None
        );
    }
}
