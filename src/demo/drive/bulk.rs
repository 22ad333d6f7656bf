//! `cfp demo --size N`: a conference of N submissions (NeurIPS size: 10,000 papers, 10,000
//! reviewers) built fast enough to measure the site with. Clicking through the pages as the
//! workshop demo does would take hours at that size (an argon2 hash per account, a round
//! trip per form), so this path calls the same domain and database functions the handlers
//! call, in batches of rows per transaction:
//!
//! - accounts: `db::users::insert`, confirmed, all with one argon2 hash of the demo password
//!   (computed once with `auth::hash_password`);
//! - submissions: the demo paper's PDF (`demo::paper_pdf`), checked by `format_check::check`
//!   with the conference's rules (on every core), streamed into the store like an upload
//!   (`Storage::begin`/`commit`), then `db::submissions::insert` + `insert_document` + the
//!   audit row, as the submission form does; no receipt emails (nobody reads them);
//! - `assigned`: deadline moved to a minute ago in the settings, volunteers added to the
//!   pool, four bids per reviewer, the engine (`build_problem_with_index` on the pool's text
//!   index + `solve`, as the chair's "compute a preview") and its result committed with
//!   `db::assignments::assign`;
//! - `reviewed`: every assigned review parsed from the demo review's fields with
//!   `domain::review::parse` and saved with `db::reviews::save` (a few left as drafts);
//! - `decided`: decisions from the mean score with `db::decisions::set`, nothing released.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, bail};
use chrono::Utc;
use indicatif::{ProgressBar, ProgressStyle};

use super::{DemoSummary, Stage};
use crate::assignment::{Objective, solve};
use crate::clock::SystemClock;
use crate::config::Settings;
use crate::db::assignments::ProfileRow;
use crate::db::reviews::ReviewWrite;
use crate::db::{self, AnyConnection, DbPool, audit, submissions as subs, users};
use crate::demo::reviews::review as demo_review;
use crate::demo::{self, DemoPerson, DemoSubmission, DemoTrack};
use crate::domain::account::{Email, Password};
use crate::domain::decision::Decision;
use crate::domain::pool::{RunParams, build_problem_with_index};
use crate::domain::review::{self, FormKind, Mode, ReviewFields, ReviewFormSpec};
use crate::domain::submission::{Author, SubmissionDraft, Track};
use crate::format_check::{self, AuthorIdentity};
use crate::storage::Storage;
use crate::web::paper_files::document_row;
use crate::web::papers::rules_for;
use crate::web::pool_data::PoolData;

/// Rows written per transaction.
const BATCH: usize = 500;

fn bar(len: usize, message: &'static str) -> ProgressBar {
    let bar = ProgressBar::new(len as u64);
    bar.set_style(
        ProgressStyle::with_template("{msg:12} {bar:40} {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(message);
    bar
}

fn batches<T, F>(
    pool: &DbPool,
    items: &[T],
    message: &'static str,
    mut write: F,
) -> anyhow::Result<()>
where
    F: FnMut(&mut AnyConnection, &T) -> anyhow::Result<()>,
{
    let progress = bar(items.len(), message);
    let mut c = pool.get()?;
    for chunk in items.chunks(BATCH) {
        db::transaction(&mut c, |c| {
            for item in chunk {
                write(c, item)?;
            }
            Ok::<_, anyhow::Error>(())
        })?;
        progress.inc(chunk.len() as u64);
    }
    progress.finish_and_clear();
    Ok(())
}

fn draft_of(s: &DemoSubmission) -> anyhow::Result<SubmissionDraft> {
    let authors = s
        .authors
        .iter()
        .enumerate()
        .map(|(i, a)| {
            Ok(Author {
                name: a.name.clone(),
                email: Email::parse(&a.email).map_err(|e| anyhow::anyhow!("{}: {e}", a.email))?,
                affiliation: a.affiliation.clone(),
                is_main: i == s.main_author,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(SubmissionDraft {
        track: if s.track == DemoTrack::Paper {
            Track::Paper
        } else {
            Track::Published
        },
        title: s.title.clone(),
        abstract_text: s.abstract_text.clone(),
        keywords: s.keywords.clone(),
        authors,
        declared_conflicts: Vec::new(),
    })
}

/// A paper made, checked and stored, ready for its rows.
struct Prepared {
    draft: SubmissionDraft,
    sha256: String,
    size: u64,
    report: format_check::FormatReport,
}

/// Makes, checks and stores every paper's PDF on all cores, in submission order.
fn prepare_papers(
    storage: &Storage,
    settings: &crate::domain::conference::ConferenceSettings,
    submissions: &[DemoSubmission],
) -> anyhow::Result<Vec<Prepared>> {
    let progress = bar(submissions.len(), "papers");
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let slots: Vec<std::sync::Mutex<Option<anyhow::Result<Prepared>>>> = (0..submissions.len())
        .map(|_| std::sync::Mutex::new(None))
        .collect();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(s) = submissions.get(i) else { break };
                    let made = prepare_one(storage, settings, s);
                    if let Ok(mut slot) = slots[i].lock() {
                        *slot = Some(made);
                    }
                    progress.inc(1);
                }
            });
        }
    });
    progress.finish_and_clear();
    slots
        .into_iter()
        .map(|m| {
            m.into_inner()
                .ok()
                .flatten()
                .context("a paper was not prepared")?
        })
        .collect()
}

fn prepare_one(
    storage: &Storage,
    settings: &crate::domain::conference::ConferenceSettings,
    s: &DemoSubmission,
) -> anyhow::Result<Prepared> {
    let draft = draft_of(s)?;
    let pdf = demo::paper_pdf(s, s.track == DemoTrack::Paper);
    let identities: Vec<AuthorIdentity> = draft
        .authors
        .iter()
        .map(|a| AuthorIdentity {
            name: a.name.clone(),
            email: a.email.to_string(),
            affiliation: Some(a.affiliation.clone()),
        })
        .collect();
    let rules = rules_for(draft.track, settings);
    let report = format_check::check(&pdf, &rules, &identities);
    if report.blocks_upload(&rules.blocking) {
        bail!("the demo paper \"{}\" fails its format check", s.title);
    }
    let mut pending = storage.begin(u64::MAX)?;
    pending.write(&pdf)?;
    let stored = storage.commit(pending)?;
    Ok(Prepared {
        draft,
        sha256: stored.sha256,
        size: stored.size,
        report,
    })
}

/// Builds a conference of `size` submissions for `seed`, up to `stage` (`released` is not
/// offered at this size: releasing is one chair's click, `cfp serve` does it).
pub fn run(config: Settings, stage: Stage, seed: u64, size: usize) -> anyhow::Result<DemoSummary> {
    if stage > Stage::Decided {
        bail!(
            "`--size` builds conferences up to `--stage decided`; release the decisions on the site"
        );
    }
    let started = Instant::now();
    crate::startup::prepare_data_dir(&config.data_dir)?;
    let pool = crate::startup::open_database(&config, &SystemClock)?;
    let storage = Storage::new(&config.data_dir);
    let mut c = pool.get()?;
    let existing = users::count(&mut c)?;
    if existing > 0 {
        bail!(
            "the database already has {existing} accounts; `cfp demo` only fills an empty one (start from a fresh data directory)"
        );
    }
    let stored = db::conference::load(&mut c)?;
    let settings = stored.settings.clone();
    drop(c);

    let w = demo::conference(seed, size);
    let mut seen: HashSet<&str> = HashSet::new();
    let mut people: Vec<&DemoPerson> = Vec::new();
    for p in std::iter::once(&w.chair)
        .chain(&w.volunteers)
        .chain(w.submissions.iter().flat_map(|s| &s.authors))
    {
        if seen.insert(p.email.as_str()) {
            people.push(p);
        }
    }
    let password = Password::parse(demo::demo_password()).map_err(|e| anyhow::anyhow!(e))?;
    let hash = crate::auth::hash_password(&password)?;
    let now = Utc::now();
    let mut user_ids: HashMap<String, crate::domain::ids::UserId> = HashMap::new();
    let people_ids: Vec<(String, &DemoPerson)> = people
        .iter()
        .map(|p| (uuid::Uuid::new_v4().to_string(), *p))
        .collect();
    for (id, p) in &people_ids {
        user_ids.insert(
            p.email.clone(),
            crate::domain::ids::UserId::from_db(id.clone()),
        );
    }
    batches(&pool, &people_ids, "accounts", |c, (id, p)| {
        let email = Email::parse(&p.email).map_err(|e| anyhow::anyhow!("{}: {e}", p.email))?;
        users::insert(
            c,
            &users::NewUserRow {
                id,
                email: email.as_str(),
                name: &p.name,
                affiliation: &p.affiliation,
                password_hash: &hash,
                email_confirmed_at: Some(db::to_db(now)),
                is_chair: p.email == w.chair.email,
                created_at: db::to_db(now),
            },
        )?;
        Ok(())
    })?;

    let prepared = prepare_papers(&storage, &settings, &w.submissions)?;
    let rows: Vec<(usize, &Prepared)> = prepared.iter().enumerate().collect();
    batches(&pool, &rows, "submissions", |c, (i, p)| {
        let s = &w.submissions[*i];
        let main = &s.authors[s.main_author];
        let by = user_ids
            .get(&main.email)
            .context("main author has no account")?;
        let id = uuid::Uuid::new_v4().to_string();
        let key = uuid::Uuid::new_v4().simple().to_string();
        let paper = document_row(
            &id,
            "paper",
            p.sha256.clone(),
            p.size,
            Some(&p.report),
            by,
            now,
        );
        let number = subs::insert_with_paper(c, &id, &p.draft, &key, by, now, &paper)?;
        audit::record(
            c,
            Some(by),
            "submission.create",
            &format!("#{number}"),
            &p.draft.title,
            now,
        )?;
        Ok(())
    })?;
    let chair_id = user_ids
        .get(&w.chair.email)
        .context("the chair has no account")?
        .clone();

    if stage >= Stage::Assigned {
        assign(&pool, &w, &chair_id, stored.version, seed)?;
    }
    if stage >= Stage::Reviewed {
        write_reviews(&pool, &w, seed)?;
    }
    if stage >= Stage::Decided {
        decide(&pool, &chair_id)?;
    }
    // PostgreSQL plans from table statistics, which autovacuum gathers only a while after a
    // bulk load; gathered now, the site is as fast right away as it will be later.
    let mut c = pool.get()?;
    if matches!(*c, AnyConnection::Postgresql(_)) {
        use diesel::connection::SimpleConnection;
        c.batch_execute("ANALYZE")?;
    }
    drop(c);
    tracing::info!(
        seconds = started.elapsed().as_secs_f64(),
        "scale demo built"
    );
    Ok(DemoSummary {
        people: people.len(),
        submissions: w.submissions.len(),
        chair: w.chair.email.clone(),
        author: w
            .submissions
            .first()
            .map(|s| s.authors[s.main_author].email.clone())
            .unwrap_or_default(),
        main_author_of_published: w
            .submissions
            .iter()
            .find(|s| s.track == DemoTrack::Published)
            .map(|s| s.authors[s.main_author].email.clone())
            .unwrap_or_default(),
        password: demo::demo_password(),
    })
}

/// Closes submissions, fills the pool, bids, runs the engine and commits its proposal.
fn assign(
    pool: &DbPool,
    w: &demo::DemoWorkshop,
    chair: &crate::domain::ids::UserId,
    version: i32,
    seed: u64,
) -> anyhow::Result<()> {
    let now = Utc::now();
    let mut c = pool.get()?;
    let mut settings = db::conference::load(&mut c)?.settings;
    settings.dates.submissions_open = now - chrono::Duration::days(1);
    settings.dates.submission_deadline = now - chrono::Duration::minutes(1);
    settings.grace_minutes = 0;
    if db::conference::save(&mut c, &settings, version, now)?.is_none() {
        bail!("the settings changed while the demo was being built");
    }
    let volunteers: Vec<&DemoPerson> = w.volunteers.iter().collect();
    batches(pool, &volunteers, "volunteers", |c, v| {
        db::assignments::save_profile(
            c,
            &ProfileRow {
                email: v.email.clone(),
                name: v.name.clone(),
                affiliation: v.affiliation.clone(),
                volunteer: true,
                active: true,
                keywords: serde_json::to_string(&["Neural ODEs", "Scientific machine learning"])?,
                declared_conflicts: "[]".into(),
                min_load: None,
                max_load: None,
                updated_at: db::to_db(now),
            },
        )?;
        Ok(())
    })?;
    // Four bids per reviewer on papers of a neighbouring number: eager, eager, willing,
    // not willing (as the workshop demo bids from the top of its list).
    let ids: Vec<(i32, String)> = subs::all(&mut c)?
        .into_iter()
        .map(|r| (r.number, r.id))
        .collect();
    let n = ids.len().max(1);
    let mut reviewers: Vec<&str> = w
        .submissions
        .iter()
        .map(|s| s.authors[s.main_author].email.as_str())
        .collect();
    reviewers.extend(w.volunteers.iter().map(|v| v.email.as_str()));
    let mut rng_state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut bids: Vec<(String, &str, &str)> = Vec::new();
    for (i, email) in reviewers.iter().enumerate() {
        for (k, bid) in ["eager", "eager", "willing", "not_willing"]
            .iter()
            .enumerate()
        {
            rng_state ^= rng_state << 13;
            rng_state ^= rng_state >> 7;
            rng_state ^= rng_state << 17;
            let j = (i + 1 + k + (rng_state % 50) as usize) % n;
            bids.push((ids[j].1.clone(), email, bid));
        }
    }
    bids.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    bids.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    batches(pool, &bids, "bids", |c, (id, email, bid)| {
        db::assignments::set_bid(c, id, email, Some(bid), now)?;
        Ok(())
    })?;

    let started = Instant::now();
    let data = PoolData::load(&mut c)?;
    let needed: usize = data
        .papers
        .iter()
        .map(|p| if p.track == Track::Paper { 3 } else { 1 })
        .sum();
    let params = RunParams {
        objective: Objective::Total,
        reviews_per_paper: 3,
        reviews_per_published_paper: 1,
        min_load: u32::try_from((needed / data.pool.len().max(1)).min(3)).unwrap_or(3),
        max_load: 5,
    };
    let mut built = build_problem_with_index(
        &data.papers,
        &data.pool,
        data.conflicts(),
        &data.bids,
        &data.committed,
        &params,
        data.text_index(),
    );
    let mut solved = solve(&built.problem, params.objective, &|_| {});
    if let Err(e) = &solved {
        // As a chair would: when minimum loads cannot all be met, run without them. Only the
        // reviewers' minimum loads change (a reviewer's own minimum stays), so the problem
        // is relaxed where it is instead of built again.
        println!(
            "No assignment with a minimum load of {} ({}); running without minimum loads.",
            params.min_load,
            e.reasons.join("; ")
        );
        for (spec, &r) in built.problem.reviewers.iter_mut().zip(&built.reviewers) {
            spec.min_load = data.pool[r].min_load.unwrap_or(0).min(spec.max_load);
        }
        solved = solve(&built.problem, params.objective, &|_| {});
    }
    let solution =
        solved.map_err(|e| anyhow::anyhow!("no assignment: {}", e.reasons.join("; ")))?;
    println!(
        "The engine assigned {} reviews in {:.1} s.",
        solution.pairs.len(),
        started.elapsed().as_secs_f64()
    );
    let pairs: Vec<(String, String)> = solution
        .pairs
        .iter()
        .map(|&(p, r)| {
            (
                data.papers[built.papers[p]].id.clone(),
                data.pool[built.reviewers[r]].person.email.clone(),
            )
        })
        .collect();
    batches(pool, &pairs, "assignments", |c, (id, email)| {
        db::assignments::assign(c, id, email, chair, now)?;
        Ok(())
    })?;
    audit::record(
        &mut c,
        Some(chair),
        "assignment.commit",
        "assignment",
        &format!(
            "{} assignments: {} added, 0 removed",
            pairs.len(),
            pairs.len()
        ),
        now,
    )?;
    Ok(())
}

/// Every assigned reviewer writes the demo review of each paper.
fn write_reviews(pool: &DbPool, w: &demo::DemoWorkshop, seed: u64) -> anyhow::Result<()> {
    let mut c = pool.get()?;
    let rows: HashMap<String, (i32, Track)> = subs::all(&mut c)?
        .into_iter()
        .map(|r| {
            let track = r.track();
            (r.id, (r.number, track))
        })
        .collect();
    let pairs = db::assignments::all_assignments(&mut c)?;
    let spec = ReviewFormSpec::neurips();
    let now = Utc::now();
    batches(pool, &pairs, "reviews", |c, a| {
        let Some(&(number, track)) = rows.get(&a.submission_id) else {
            return Ok(());
        };
        let title = w
            .submissions
            .get(usize::try_from(number - 1).unwrap_or(usize::MAX))
            .map_or("", |s| s.title.as_str());
        let r = demo_review(seed, number, &a.reviewer_email, title);
        let kind = if track == Track::Paper {
            FormKind::Full
        } else {
            FormKind::Light
        };
        let mut pairs: Vec<(String, String)> = vec![
            ("overall".into(), r.overall.to_string()),
            ("confidence".into(), r.confidence.to_string()),
            ("confidential".into(), r.confidential.clone()),
        ];
        if kind == FormKind::Full {
            pairs.extend([
                ("summary".into(), r.summary.clone()),
                (
                    "strengths_weaknesses".into(),
                    r.strengths_weaknesses.clone(),
                ),
                ("questions".into(), r.questions.clone()),
            ]);
            if r.talk {
                pairs.push(("talk_recommendation".into(), "on".into()));
            }
        } else {
            pairs.push(("comment".into(), r.comment.clone()));
        }
        let mode = if r.submit { Mode::Submit } else { Mode::Draft };
        let content = review::parse(&spec, kind, &ReviewFields::from_pairs(&pairs), mode)
            .map_err(|e| anyhow::anyhow!("demo review of #{number} does not parse: {e:?}"))?;
        let json = serde_json::to_string(&content)?;
        db::reviews::save(
            c,
            &ReviewWrite {
                submission_id: &a.submission_id,
                email: &a.reviewer_email,
                form_kind: if kind == FormKind::Full {
                    "full"
                } else {
                    "light"
                },
                content: &json,
                submit: r.submit,
                late: false,
            },
            0,
            now,
        )?;
        Ok(())
    })
}

/// Decides every paper from its mean overall score: 4 talks, 8 spotlights, posters up to
/// half of the papers, the rest rejected.
fn decide(pool: &DbPool, chair: &crate::domain::ids::UserId) -> anyhow::Result<()> {
    let mut c = pool.get()?;
    let mut sums: HashMap<String, (f64, u32)> = HashMap::new();
    for r in db::reviews::all(&mut c)? {
        if !r.is_submitted() {
            continue;
        }
        let content = crate::web::views::reviews::parse_content(&r.content);
        if let Some(overall) = content.overall {
            let e = sums.entry(r.submission_id).or_default();
            e.0 += f64::from(overall);
            e.1 += 1;
        }
    }
    let mut ranked: Vec<(f64, String)> = subs::all(&mut c)?
        .into_iter()
        .map(|r| {
            let mean = sums.get(&r.id).map_or(0.0, |(s, n)| s / f64::from(*n));
            (mean, r.id)
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let half = ranked.len() / 2;
    let decided: Vec<(usize, String)> = ranked.into_iter().map(|r| r.1).enumerate().collect();
    let now = Utc::now();
    let chair = Arc::new(chair.clone());
    batches(pool, &decided, "decisions", |c, (i, id)| {
        let decision = match *i {
            0..4 => Decision::Talk,
            4..12 => Decision::Spotlight,
            _ if *i < half => Decision::Poster,
            _ => Decision::Reject,
        };
        db::decisions::set(c, id, Some(decision), &chair, now)?;
        Ok(())
    })
}
