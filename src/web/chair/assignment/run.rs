//! The chair's assignment flow: run the engine (objective, reviews per paper and loads chosen
//! on the page) -> a stored preview with statistics -> manual adjustments with conflict and
//! load checks -> commit, which writes the assignments and mails each reviewer whose list
//! changed. Re-running keeps committed assignments (they are fixed in the problem) and fills
//! the gaps. The CSV export lists committed assignments; an import becomes a preview after
//! every row is validated (all or nothing), committed the same way (`csv`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::job::{Job, JobView, Outcome};
use super::loads::{Demand, LoadFix, fitted_defaults};
use super::preview::{ProposedPair, RunMeta, load, open_preview, store_preview, store_preview_in};
use super::view::{PreviewView, preview_view};
use crate::assignment::{Objective, solve};
use crate::db::assignments::{self as asg};
use crate::db::{self, DbError, audit, outbox};
use crate::domain::account::Email;
use crate::domain::conference::format_in_zone;
use crate::domain::pool::{BuiltProblem, RunParams, build_problem_with_index};
use crate::mail::reviewing::{self, ListedPaper};
use crate::policy;
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, PageCtx, set_flash};
use crate::web::pool_data::{PoolData, current_pool};
use crate::web::{Layout, render_status, see_other};

/// The run form as typed.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct RunForm {
    pub objective: String,
    pub reviews_per_paper: String,
    pub reviews_per_published_paper: String,
    pub min_load: String,
    pub max_load: String,
}

impl RunForm {
    fn from_params(p: &RunParams) -> RunForm {
        RunForm {
            objective: match p.objective {
                Objective::Total => "total".into(),
                Objective::Fair => "fair".into(),
            },
            reviews_per_paper: p.reviews_per_paper.to_string(),
            reviews_per_published_paper: p.reviews_per_published_paper.to_string(),
            min_load: p.min_load.to_string(),
            max_load: p.max_load.to_string(),
        }
    }

    fn parse(&self) -> Result<RunParams, Vec<String>> {
        let mut errors = Vec::new();
        let mut number = |raw: &str, label: &str, min: u32, max: u32| match raw.trim().parse() {
            Ok(n) if (min..=max).contains(&n) => n,
            _ => {
                errors.push(format!(
                    "{label} must be a whole number from {min} to {max}."
                ));
                min
            }
        };
        let params = RunParams {
            objective: Objective::Total,
            reviews_per_paper: number(&self.reviews_per_paper, "Reviews per paper", 1, 20),
            reviews_per_published_paper: number(
                &self.reviews_per_published_paper,
                "Reviews per published paper",
                0,
                20,
            ),
            min_load: number(&self.min_load, "Minimum load", 0, 100),
            max_load: number(&self.max_load, "Maximum load", 1, 100),
        };
        let objective = match self.objective.as_str() {
            "total" => Objective::Total,
            "fair" => Objective::Fair,
            other => {
                errors.push(format!("\"{other}\" is not an objective (total or fair)."));
                Objective::Total
            }
        };
        if params.min_load > params.max_load {
            errors.push("The minimum load cannot exceed the maximum load.".into());
        }
        if errors.is_empty() {
            Ok(RunParams {
                objective,
                ..params
            })
        } else {
            Err(errors)
        }
    }
}

#[derive(Template)]
#[template(path = "chair/assignment.html")]
struct Page {
    layout: Layout,
    form: RunForm,
    errors: Vec<String>,
    preview: Option<PreviewView>,
    committed: usize,
    papers: usize,
    reviewers: usize,
    conflicts: usize,
    bids: usize,
    /// (number, email, messages) of an addition waiting for "add anyway".
    pending_add: Option<(i32, String, Vec<String>)>,
    due: String,
    /// Why the form's minimum load is below the settings' (`loads::fitted_defaults`).
    load_note: Option<String>,
    /// What to change when the loads cannot be met, with links to the settings.
    fixes: Vec<LoadFix>,
    /// The first committed assignments, shown when no preview is open.
    committed_rows: Vec<super::committed::Row>,
    /// The chair is asked to confirm committing the preview: (assignments added, removed,
    /// reviewers who will be emailed).
    confirm_commit: Option<(usize, usize, usize)>,
    /// A preview being computed in the background (large conferences), or the last one.
    job: Option<JobView>,
    /// What the last background run ended with, shown once.
    job_notice: String,
}

pub(super) async fn show(
    ctx: &PageCtx,
    status: StatusCode,
    form: Option<RunForm>,
    errors: Vec<String>,
    pending_add: Option<(i32, String, Vec<String>)>,
) -> Result<HttpResponse, AppError> {
    show_page(ctx, status, form, errors, pending_add, Vec::new(), None).await
}

async fn show_page(
    ctx: &PageCtx,
    status: StatusCode,
    form: Option<RunForm>,
    errors: Vec<String>,
    pending_add: Option<(i32, String, Vec<String>)>,
    fixes: Vec<LoadFix>,
    confirm_commit: Option<(usize, usize, usize)>,
) -> Result<HttpResponse, AppError> {
    let (job, job_notice, job_errors) = job_state(ctx);
    let mut errors = errors;
    errors.extend(job_errors);
    let (data, preview) = load(ctx).await?;
    warm_text_index(ctx, &data);
    let (defaults, load_note) = fitted_defaults(&ctx.settings, Demand::of(&data));
    let params = preview.as_ref().map_or(defaults, |p| p.meta.params);
    let load_note = load_note.filter(|_| preview.is_none() && form.is_none());
    let conflicts = data.conflicts();
    let view = preview.as_ref().map(|p| preview_view(&data, p, &ctx.actor));
    let committed_total = data.committed.len() + data.stale.len();
    let committed_rows = if preview.is_none() && committed_total > 0 {
        super::committed::first_rows(ctx, 20).await?
    } else {
        Vec::new()
    };
    render_status(
        status,
        &Page {
            committed_rows,
            layout: ctx.layout("Reviewer assignment"),
            form: form.unwrap_or_else(|| RunForm::from_params(&params)),
            errors,
            preview: view,
            committed: data.committed.len() + data.stale.len(),
            papers: data.papers.len(),
            reviewers: data.pool.iter().filter(|r| r.active).count(),
            conflicts: conflicts.len(),
            bids: data.bids.len(),
            pending_add,
            due: format_in_zone(ctx.settings.dates.review_due, ctx.settings.tz()),
            load_note,
            fixes,
            confirm_commit,
            job,
            job_notice,
        },
    )
}

/// On a conference large enough for a background run, builds the pool's text index (a
/// third of a second at 10,000 papers) on a blocking thread after the page is read, so that
/// "Compute a preview", usually the chair's next click, finds it built: the index is kept
/// with the pool until the next write to its tables. Nothing waits for it; a run started
/// before it is done waits for the same index instead of building another.
fn warm_text_index(ctx: &PageCtx, data: &Arc<PoolData>) {
    if data.papers.len() >= ctx.state.config.assignment.background_from_papers {
        let data = data.clone();
        actix_web::rt::task::spawn_blocking(move || {
            data.text_index();
        });
    }
}

/// The background job to show: a running one, or a finished one's outcome (shown once:
/// as a notice, or as errors when no assignment was possible).
fn job_state(ctx: &PageCtx) -> (Option<JobView>, String, Vec<String>) {
    let Some(job) = ctx.state.assignment_jobs.current() else {
        return (None, String::new(), Vec::new());
    };
    let view = job.view();
    match job.outcome() {
        None => (Some(view), String::new(), Vec::new()),
        Some(outcome) => {
            ctx.state.assignment_jobs.clear_finished(&view.id);
            match outcome {
                Outcome::Stored(message) => (None, message, Vec::new()),
                Outcome::Cancelled => (
                    None,
                    "The background computation was cancelled; nothing was stored.".into(),
                    Vec::new(),
                ),
                Outcome::Infeasible(reasons) => {
                    let mut errors = vec!["No assignment satisfies these constraints:".to_string()];
                    errors.extend(reasons);
                    (None, String::new(), errors)
                }
                Outcome::Failed(why) => (
                    None,
                    String::new(),
                    vec![format!("The background computation failed: {why}")],
                ),
            }
        }
    }
}

pub(super) async fn page(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    policy::perm_manage_conference(&ctx.actor)?;
    show(&ctx, StatusCode::OK, None, Vec::new(), None).await
}

/// The problem for `params`, from the process's copy of the pool: its conflicts and its text
/// index are computed once per load and shared with the other pages.
fn built_for(data: &PoolData, params: &RunParams) -> BuiltProblem {
    build_problem_with_index(
        &data.papers,
        &data.pool,
        data.conflicts(),
        &data.bids,
        &data.committed,
        params,
        data.text_index(),
    )
}

pub(super) async fn run(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<RunForm>,
) -> Result<HttpResponse, AppError> {
    let chair = policy::perm_manage_conference(&ctx.actor)?.id.clone();
    let params = match form.parse() {
        Ok(p) => p,
        Err(errors) => {
            return show(
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(form),
                errors,
                None,
            )
            .await;
        }
    };
    // The process's copy of the pool (read again only after a write to its tables; the chair
    // has usually just viewed the assignment page, which read it).
    let data = current_pool(&ctx.state).await?;
    if data.papers.len() >= ctx.state.config.assignment.background_from_papers {
        return start_in_background(&ctx, chair, params, data);
    }
    let demand = Demand::of(&data);
    let started = std::time::Instant::now();
    let computed = web::block(move || compute(&data, &params, &|_, _| true))
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("assignment task: {e}")))?;
    let seconds = started.elapsed().as_secs_f64();
    let (pairs, loads) = match computed {
        Ok(x) => x,
        Err(reasons) => {
            let mut errors = vec!["No assignment satisfies these constraints:".to_string()];
            errors.extend(reasons);
            let fixes = super::loads::fixes(&params, demand);
            return show_page(
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(form),
                errors,
                None,
                fixes,
                None,
            )
            .await;
        }
    };
    let meta = RunMeta {
        params,
        source: "engine".into(),
        seconds,
    };
    store_preview(&ctx, &chair, &meta, &pairs).await?;
    set_flash(&ctx.session, &proposed_message(pairs.len(), seconds, loads));
    Ok(see_other("/chair/assignment"))
}

/// How the minimum loads of a preview were met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MinLoads {
    /// As asked.
    Met,
    /// Lowered to each reviewer's committed reviews, which cannot move.
    LoweredToCommitted,
    /// Left out: nothing is committed, and no assignment gives every reviewer the minimum.
    LeftOut,
}

fn proposed_message(pairs: usize, seconds: f64, loads: MinLoads) -> String {
    format!(
        "The engine proposed {pairs} reviews in {seconds:.2} s.{} Nothing is committed yet: check the preview, adjust it, then commit.",
        match loads {
            MinLoads::Met => "",
            MinLoads::LoweredToCommitted => {
                " Minimum loads could not all be met around the committed reviews, so they were lowered to each reviewer's committed load."
            }
            MinLoads::LeftOut => {
                " No assignment gives every reviewer the minimum load (conflicts and the papers each reviewer matches leave some with too few), so this preview leaves minimum loads out and some reviewers have fewer papers than the minimum."
            }
        }
    )
}

/// Runs the engine on `data`: the proposed pairs and how minimum loads were met, or
/// why no assignment exists. `report(stage, per mille)` hears of progress and returns false
/// to have the result thrown away (`Err` with no reason).
fn compute(
    data: &PoolData,
    params: &RunParams,
    report: &(dyn Fn(&'static str, u32) -> bool + Sync),
) -> Result<(Vec<ProposedPair>, MinLoads), Vec<String>> {
    report("scoring papers against reviewers", 50);
    let started = std::time::Instant::now();
    let mut built = built_for(data, params);
    let built_in = started.elapsed();
    report("solving the assignment", 400);
    let mut solved = solve(&built.problem, params.objective, &|_| {});
    // Committed reviews cannot move, so a reviewer whose committed papers were taken
    // away (a reported conflict, a withdrawn paper) may have no paper left to reach the
    // minimum load; and with nothing committed, conflicts and the candidates each reviewer
    // matches can leave some reviewers short of it although the totals fit. Filling every
    // paper's reviews matters more: retry with minimum loads lowered to what each reviewer
    // already has (none when nothing is committed), and say so. When the chair's own
    // numbers cannot fit (minimum × reviewers above what the papers take), the page says
    // what to change instead (`loads::fixes`).
    let nothing_committed = built.problem.fixed.is_empty();
    let totals_fit = || super::loads::fixes(params, Demand::of(data)).is_empty();
    let mut loads = MinLoads::Met;
    if solved.is_err()
        && (!nothing_committed || totals_fit())
        && built.problem.lower_min_loads_to_fixed()
    {
        report("solving again with lower minimum loads", 700);
        let retry = solve(&built.problem, params.objective, &|_| {});
        if retry.is_ok() {
            solved = retry;
            loads = if nothing_committed {
                MinLoads::LeftOut
            } else {
                MinLoads::LoweredToCommitted
            };
        }
    }
    tracing::info!(
        build_ms = built_in.as_millis() as u64,
        solve_ms = (started.elapsed() - built_in).as_millis() as u64,
        candidates = built.problem.candidates.len(),
        "assignment engine ran"
    );
    let solution = solved.map_err(|inf| inf.reasons)?;
    if !report("preparing the preview", 950) {
        return Err(Vec::new());
    }
    // Candidates come sorted by (paper, reviewer) from `build_problem`; a map of a million
    // of them to look up a few thousand pairs showed in profiles.
    let candidates = &built.problem.candidates;
    debug_assert!(candidates.is_sorted_by_key(|c| (c.paper, c.reviewer)));
    let affinity = |p: usize, r: usize| {
        candidates
            .binary_search_by(|c| (c.paper, c.reviewer).cmp(&(p, r)))
            .map_or(0.0, |i| candidates[i].affinity)
    };
    let pairs = solution
        .pairs
        .iter()
        .map(|&(p, r)| ProposedPair {
            number: data.papers[built.papers[p]].number,
            email: data.pool[built.reviewers[r]].person.email.clone(),
            affinity: affinity(p, r),
            manual: false,
        })
        .collect();
    Ok((pairs, loads))
}

/// Starts the engine in the background for a large conference; the page shows its progress.
fn start_in_background(
    ctx: &PageCtx,
    chair: crate::domain::ids::UserId,
    params: RunParams,
    data: Arc<PoolData>,
) -> Result<HttpResponse, AppError> {
    let job = match ctx.state.assignment_jobs.start(Job::new(params, ctx.now)) {
        Ok(job) => job,
        Err(_running) => {
            set_flash(
                &ctx.session,
                "A preview is being computed already: wait for it below, or cancel it and start again.",
            );
            return Ok(see_other("/chair/assignment"));
        }
    };
    let state = ctx.state.clone();
    let now = ctx.now;
    actix_web::rt::spawn(async move {
        let started = std::time::Instant::now();
        let worker = job.clone();
        let computed = web::block(move || {
            compute(&data, &params, &|stage, per_mille| {
                worker.report(stage, per_mille)
            })
        })
        .await;
        let seconds = started.elapsed().as_secs_f64();
        let outcome = match computed {
            _ if job.is_cancelled() => Outcome::Cancelled,
            Ok(Ok((pairs, loads))) => {
                let meta = RunMeta {
                    params,
                    source: "engine".into(),
                    seconds,
                };
                match store_preview_in(&state.pool, &chair, &meta, &pairs, now).await {
                    Ok(()) => Outcome::Stored(proposed_message(pairs.len(), seconds, loads)),
                    Err(e) => Outcome::Failed(e.to_string()),
                }
            }
            Ok(Err(reasons)) => Outcome::Infeasible(reasons),
            Err(e) => Outcome::Failed(format!("assignment task: {e}")),
        };
        job.finish(outcome);
    });
    set_flash(
        &ctx.session,
        "The engine is computing a preview in the background; this page shows its progress and reloads itself.",
    );
    Ok(see_other("/chair/assignment"))
}

/// Cancels the background computation.
pub(super) async fn cancel(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<JobRef>,
) -> Result<HttpResponse, AppError> {
    policy::perm_manage_conference(&ctx.actor)?;
    let cancelled = match ctx.state.assignment_jobs.current() {
        Some(job) if job.id == form.job && job.outcome().is_none() => {
            job.cancel();
            true
        }
        _ => false,
    };
    set_flash(
        &ctx.session,
        if cancelled {
            "Cancelled: nothing will be stored from that computation."
        } else {
            "That computation had already finished or was cancelled."
        },
    );
    Ok(see_other("/chair/assignment"))
}

#[derive(Debug, serde::Deserialize)]
pub(super) struct JobRef {
    job: String,
}

#[derive(Debug, serde::Deserialize)]
pub(super) struct RunRef {
    run: String,
    /// "yes" once the chair has seen what committing will do.
    #[serde(default)]
    confirm: String,
}

pub(super) async fn discard(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<RunRef>,
) -> Result<HttpResponse, AppError> {
    let chair = policy::perm_manage_conference(&ctx.actor)?.id.clone();
    let now = ctx.now;
    let closed = db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            let closed = asg::close_preview(c, &form.run, "discarded", now)?;
            if closed {
                audit::record(c, Some(&chair), "assignment.discard", "assignment", "", now)?;
            }
            Ok::<_, DbError>(closed)
        })
    })
    .await?;
    set_flash(
        &ctx.session,
        if closed {
            "The preview was discarded; committed assignments are unchanged."
        } else {
            "That preview was already committed or discarded."
        },
    );
    Ok(see_other("/chair/assignment"))
}

/// Commits the preview: writes the difference to the committed assignments and mails every
/// reviewer whose list changed, all in one transaction. Committing the same preview twice
/// (a double click, two chairs) changes nothing the second time.
pub(super) async fn commit(
    ctx: PageCtx,
    CsrfForm(form): CsrfForm<RunRef>,
) -> Result<HttpResponse, AppError> {
    let chair = policy::perm_manage_conference(&ctx.actor)?.id.clone();
    let (data, preview) = match open_preview(&ctx, &form.run).await {
        Ok(x) => x,
        Err(AppError::Conflict(_)) => {
            set_flash(
                &ctx.session,
                "That preview was already committed or discarded.",
            );
            return Ok(see_other("/chair/assignment"));
        }
        Err(e) => return Err(e),
    };
    // Every pair must still be valid: an active paper, an active reviewer, no authorship.
    let mut problems = Vec::new();
    let mut wanted: BTreeSet<(String, String)> = BTreeSet::new();
    for x in &preview.pairs {
        let p = data.paper_by_number(x.number);
        let r = data
            .reviewer_by_email(&x.email)
            .filter(|&r| data.pool[r].active);
        match (p, r) {
            (Some(p), Some(_)) => {
                if data.papers[p]
                    .authors
                    .iter()
                    .any(|(a, _)| a.email == x.email)
                {
                    problems.push(format!("{} is an author of #{}.", x.email, x.number));
                }
                wanted.insert((data.papers[p].id.clone(), x.email.clone()));
            }
            (None, _) => problems.push(format!("#{} is no longer an active submission.", x.number)),
            (_, None) => problems.push(format!("{} is no longer an active reviewer.", x.email)),
        }
    }
    if !problems.is_empty() {
        problems.insert(0, "The preview is out of date; nothing was committed. Run the engine again or remove these pairs:".into());
        return show(&ctx, StatusCode::CONFLICT, None, problems, None).await;
    }
    if form.confirm != "yes" {
        let current: BTreeSet<(String, String)> = data
            .committed
            .iter()
            .map(|&(p, r)| (data.papers[p].id.clone(), data.pool[r].person.email.clone()))
            .chain(
                data.stale
                    .iter()
                    .map(|a| (a.submission_id.clone(), a.reviewer_email.clone())),
            )
            .collect();
        let added = wanted.difference(&current).count();
        let removed: Vec<_> = current.difference(&wanted).collect();
        let people: BTreeSet<&str> = wanted
            .difference(&current)
            .chain(removed.iter().copied())
            .map(|(_, e)| e.as_str())
            .collect();
        let summary = (added, removed.len(), people.len());
        return show_page(
            &ctx,
            StatusCode::OK,
            None,
            Vec::new(),
            None,
            Vec::new(),
            Some(summary),
        )
        .await;
    }
    let mail = ctx.state.mail_context(&ctx.settings.short_name);
    let due = format_in_zone(ctx.settings.dates.review_due, ctx.settings.tz());
    let now = ctx.now;
    let run_id = preview.id.clone();
    let titles: HashMap<String, ListedPaper> = data
        .all_rows
        .iter()
        .map(|r| {
            (
                r.id.clone(),
                ListedPaper {
                    number: r.number,
                    title: r.title.clone(),
                },
            )
        })
        .collect();
    let names: HashMap<String, String> = data
        .pool
        .iter()
        .map(|r| (r.person.email.clone(), r.person.name.clone()))
        .collect();
    let outcome = db::run(&ctx.state.pool, move |c| {
        db::transaction(c, |c| {
            if !asg::close_preview(c, &run_id, "committed", now)? {
                return Ok::<_, AppError>(None);
            }
            let current: BTreeSet<(String, String)> = asg::all_assignments(c)?
                .into_iter()
                .map(|a| (a.submission_id, a.reviewer_email))
                .collect();
            let added: Vec<&(String, String)> = wanted.difference(&current).collect();
            let removed: Vec<&(String, String)> = current.difference(&wanted).collect();
            for (s, e) in &removed {
                asg::unassign(c, s, e)?;
            }
            for (s, e) in &added {
                asg::assign(c, s, e, &chair, now)?;
            }
            audit::record(
                c,
                Some(&chair),
                "assignment.commit",
                "assignment",
                &format!(
                    "{} assignments: {} added, {} removed",
                    wanted.len(),
                    added.len(),
                    removed.len()
                ),
                now,
            )?;
            let mut changed: BTreeMap<&str, (Vec<ListedPaper>, Vec<ListedPaper>)> = BTreeMap::new();
            for (s, e) in &added {
                if let Some(p) = titles.get(s) {
                    changed.entry(e.as_str()).or_default().0.push(p.clone());
                }
            }
            for (s, e) in &removed {
                if let Some(p) = titles.get(s) {
                    changed.entry(e.as_str()).or_default().1.push(p.clone());
                }
            }
            for (email, (added, removed)) in &changed {
                let Ok(to) = Email::parse(email) else {
                    continue;
                };
                let mut papers: Vec<ListedPaper> = wanted
                    .iter()
                    .filter(|(_, e)| e == email)
                    .filter_map(|(s, _)| titles.get(s).cloned())
                    .collect();
                papers.sort_by_key(|p| p.number);
                let name = names.get(*email).map_or("reviewer", String::as_str);
                let m = reviewing::assignment(
                    &mail, &to, name, &papers, added, removed, &due, &run_id,
                )?;
                outbox::enqueue(c, &m, now)?;
            }
            Ok(Some((added.len(), removed.len(), changed.len())))
        })
    })
    .await?;
    set_flash(
        &ctx.session,
        &match outcome {
            Some((added, removed, mailed)) => format!(
                "Committed: {added} assignments added, {removed} removed; {mailed} reviewers will get an email."
            ),
            None => "That preview was already committed.".to_string(),
        },
    );
    Ok(see_other("/chair/assignment"))
}
