//! Digest emails about new comments: each reviewer, chair and author gets at most one email
//! an hour listing the papers with comments they may read (never their own), labelled as on
//! the pages, with a link to each and an unsubscribe link. Whether a person may read a
//! comment is `policy::seat_reads_discussion` and `policy::comment_visible`; a chair with a
//! conflict on a paper hears nothing of it. The scheduler (`crate::jobs`) calls [`sweep`]
//! about once a minute; the hour is counted from the person's last digest.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};

use crate::db::{
    self, DbPool, assignments as asg, conference, decisions, discussion as disc, outbox, reviews,
    submissions as subs, to_db, users,
};
use crate::domain::account::Email;
use crate::domain::discussion::{CommentAudience, WriterRole};
use crate::mail::discussion::{DigestPaper, digest};
use crate::mail::messages::MailContext;
use crate::policy::{self, DiscussionWindow, PaperRights, Seat};

/// A digest covers comments of at most this long ago (a person's first digest, or after the
/// worker was stopped for a while).
const LOOK_BACK_DAYS: i64 = 2;

/// What one person will be told about one paper.
#[derive(Default)]
struct PaperNews {
    number: i32,
    title: String,
    link: String,
    /// (posted, writer label) of each new comment.
    comments: Vec<(DateTime<Utc>, String)>,
}

/// Queues the digests due at `now`; returns how many were queued.
pub async fn sweep(pool: &DbPool, now: DateTime<Utc>, base_url: &str) -> anyhow::Result<usize> {
    let base_url = base_url.to_string();
    db::run(pool, move |c| {
        let settings = conference::load(c)?.settings;
        if !settings.discussion.digest_emails {
            return Ok(0);
        }
        let since = now - Duration::days(LOOK_BACK_DAYS);
        let comments = disc::comments_since(c, since)?;
        if comments.is_empty() {
            return Ok(0);
        }
        let w = DiscussionWindow::new(&settings, decisions::released_at(c)?, now);
        let style = settings.reviewer_labels;
        let chairs: Vec<String> = users::chairs(c)?.into_iter().map(|u| u.email).collect();
        // Who would be told what: email -> paper number -> news.
        let mut news: BTreeMap<String, BTreeMap<i32, PaperNews>> = BTreeMap::new();
        let papers: HashSet<String> = comments.iter().map(|x| x.submission_id.clone()).collect();
        let rows: HashMap<String, subs::SubmissionRow> = subs::all(c)?
            .into_iter()
            .filter(|r| papers.contains(&r.id))
            .map(|r| (r.id.clone(), r))
            .collect();
        for (paper_id, row) in &rows {
            let paper_id = paper_id.as_str();
            let assigned = asg::reviewers_of(c, paper_id)?;
            let submitted: HashSet<String> = reviews::for_submission(c, paper_id)?
                .into_iter()
                .filter(|r| r.is_submitted())
                .map(|r| r.reviewer_email)
                .collect();
            let authors: Vec<String> = subs::authors(c, paper_id)?
                .into_iter()
                .map(|a| a.email)
                .collect();
            let mut seats: Vec<(String, Seat, String)> = Vec::new();
            for email in &assigned {
                seats.push((
                    email.clone(),
                    Seat::Reviewer {
                        review_submitted: submitted.contains(email),
                    },
                    format!("{base_url}/reviews/{}#discussion", row.number),
                ));
            }
            for email in disc::area_chairs_of(c, paper_id)? {
                let conflicted =
                    authors.contains(&email) || disc::conflict_entered(c, paper_id, &email)?;
                seats.push((
                    email,
                    Seat::AreaChair { conflicted },
                    format!("{base_url}/area-chair/papers/{}", row.number),
                ));
            }
            for email in &chairs {
                let rights = PaperRights {
                    is_author: authors.contains(email),
                    is_chair: true,
                    withdrawn: false,
                };
                let conflicted =
                    policy::chair_conflicted(rights, disc::conflict_entered(c, paper_id, email)?);
                seats.push((
                    email.clone(),
                    Seat::Chair { conflicted },
                    format!("{base_url}/chair/papers/{}/discussion", row.number),
                ));
            }
            for email in &authors {
                seats.push((
                    email.clone(),
                    Seat::Author,
                    format!("{base_url}/submissions/{}/response#comments", row.number),
                ));
            }
            let mut seen: HashSet<String> = HashSet::new();
            for (email, seat, link) in seats {
                // One seat per person and paper: the first (reviewer, area chair, chair, author).
                if !seen.insert(email.clone()) || !policy::seat_reads_discussion(seat, &w) {
                    continue;
                }
                for x in comments.iter().filter(|x| x.submission_id == paper_id) {
                    let (Some(audience), Some(role)) = (
                        CommentAudience::parse(&x.audience),
                        WriterRole::parse(&x.writer_role),
                    ) else {
                        continue;
                    };
                    if x.writer_email == email || !policy::comment_visible(seat, audience, &w) {
                        continue;
                    }
                    let label = match role {
                        WriterRole::Chair | WriterRole::AreaChair => role.desk_label().to_string(),
                        WriterRole::Reviewer => assigned
                            .iter()
                            .position(|e| *e == x.writer_email)
                            .map(|i| style.label(i))
                            .unwrap_or_else(|| "a former reviewer".into()),
                    };
                    let entry = news
                        .entry(email.clone())
                        .or_default()
                        .entry(row.number)
                        .or_insert_with(|| PaperNews {
                            number: row.number,
                            title: row.title.clone(),
                            link: link.clone(),
                            comments: Vec::new(),
                        });
                    entry.comments.push((x.posted_at(), label));
                }
            }
        }
        let mail = MailContext {
            conference: settings.short_name.clone(),
            base_url: base_url.clone(),
        };
        let hour = now.timestamp().div_euclid(3600);
        db::transaction(c, |c| {
            let mut queued = 0;
            for (email, papers) in &news {
                let Ok(to) = Email::parse(email) else {
                    continue;
                };
                let state = disc::digest_for(c, email, since)?;
                if state.unsubscribed {
                    continue;
                }
                if state
                    .last_sent_at
                    .is_some_and(|t| now - db::from_db(t) < Duration::hours(1))
                {
                    continue;
                }
                let seen_until = db::from_db(state.seen_until);
                let mut told: Vec<DigestPaper> = Vec::new();
                let mut newest = seen_until;
                for p in papers.values() {
                    let fresh: Vec<&(DateTime<Utc>, String)> = p
                        .comments
                        .iter()
                        .filter(|(at, _)| to_db(*at) > to_db(seen_until))
                        .collect();
                    if fresh.is_empty() {
                        continue;
                    }
                    let mut writers: Vec<String> = Vec::new();
                    let mut by: HashMap<&str, ()> = HashMap::new();
                    for (at, label) in &fresh {
                        newest = newest.max(*at);
                        if by.insert(label.as_str(), ()).is_none() {
                            writers.push(label.clone());
                        }
                    }
                    told.push(DigestPaper {
                        number: p.number,
                        title: p.title.clone(),
                        comments: fresh.len(),
                        writers: writers.join(", "),
                        link: p.link.clone(),
                    });
                }
                if told.is_empty() {
                    continue;
                }
                let m = digest(
                    &mail,
                    &to,
                    &told,
                    &state.unsubscribe_token,
                    &format!("digest:{email}:{hour}"),
                )?;
                if outbox::enqueue(c, &m, now)? {
                    queued += 1;
                }
                disc::mark_digest_sent(c, email, now, newest)?;
            }
            Ok::<_, anyhow::Error>(queued)
        })
    })
    .await
}
