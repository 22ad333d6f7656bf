//! What the chair's assignment preview shows: statistics (load histogram, per-paper
//! affinity, lowest-affinity papers, reviewers without papers or outside their loads, bids
//! honoured), the difference from the committed assignment, and each paper's reviewers.

use std::collections::{BTreeSet, HashMap};

use super::preview::Preview;
use crate::assignment::{Candidate, PaperSpec, Problem, ReviewerSpec, Stats};
use crate::domain::pool::Conflict;
use crate::domain::submission::Track;
use crate::policy::{self, Actor};
use crate::web::pool_data::PoolData;

pub struct ReviewerCell {
    pub name: String,
    pub email: String,
    pub affinity: String,
    /// "kept" (committed before), "new" or "manual".
    pub status: &'static str,
    /// Conflict reasons, when a chair added the pair over a warning.
    pub warning: String,
}

pub struct PaperRow {
    pub number: i32,
    pub title: String,
    pub track: &'static str,
    pub needed: u32,
    pub sum: String,
    pub off_target: bool,
    pub reviewers: Vec<ReviewerCell>,
    /// The viewing chair wrote this paper: its reviewers are not shown to them.
    pub hidden: bool,
    /// Reviews proposed (also when hidden).
    pub count: usize,
}

pub struct PreviewView {
    pub run: String,
    pub source: String,
    pub objective: String,
    pub seconds: String,
    pub reviews: usize,
    pub total_affinity: String,
    pub lowest_sum: String,
    /// (load, reviewers with that load)
    pub histogram: Vec<(usize, usize)>,
    /// (number, title, affinity sum)
    pub lowest: Vec<(i32, String, String)>,
    /// (name, email)
    pub unassigned: Vec<(String, String)>,
    /// (name, load, min, max)
    pub outside_loads: Vec<(String, usize, u32, u32)>,
    /// (kind, bids, assigned)
    pub bids: Vec<(&'static str, usize, usize)>,
    pub added: usize,
    /// (number, email) committed pairs the preview drops.
    pub removed: Vec<(i32, String)>,
    pub papers: Vec<PaperRow>,
}

/// Builds the view of `preview` against the current data and conflicts.
pub fn preview_view(
    data: &PoolData,
    preview: &Preview,
    conflicts: &[Conflict],
    viewer: &Actor,
) -> PreviewView {
    let hidden_from_viewer = |paper: &crate::domain::pool::PaperFacts| {
        !policy::can_see_reviewers(viewer, paper.authors.iter().map(|(a, _)| a.email.as_str()))
    };
    let params = &preview.meta.params;
    let active: Vec<usize> = (0..data.pool.len())
        .filter(|&r| data.pool[r].active)
        .collect();
    let slot_of: HashMap<usize, usize> = active.iter().enumerate().map(|(s, &r)| (r, s)).collect();
    let needed = |track: Track| match track {
        Track::Paper => params.reviews_per_paper,
        Track::Published => params.reviews_per_published_paper,
    };
    let mut candidates = Vec::new();
    let mut pairs = Vec::new();
    for x in &preview.pairs {
        let p = data.paper_by_number(x.number);
        let r = data
            .reviewer_by_email(&x.email)
            .and_then(|r| slot_of.get(&r).copied());
        if let (Some(p), Some(r)) = (p, r) {
            pairs.push((p, r));
            candidates.push(Candidate {
                paper: p,
                reviewer: r,
                affinity: x.affinity,
            });
        }
    }
    let problem = Problem {
        papers: data
            .papers
            .iter()
            .map(|p| PaperSpec {
                key: p.number.to_string(),
                reviews_needed: needed(p.track),
            })
            .collect(),
        reviewers: active
            .iter()
            .map(|&r| {
                let rev = &data.pool[r];
                let max_load = rev.max_load.unwrap_or(params.max_load);
                ReviewerSpec {
                    key: rev.person.email.clone(),
                    min_load: rev.min_load.unwrap_or(params.min_load).min(max_load),
                    max_load,
                }
            })
            .collect(),
        candidates,
        ..Problem::default()
    };
    let bids: Vec<_> = data
        .bids
        .iter()
        .filter_map(|&(p, r, b)| Some((p, *slot_of.get(&r)?, b)))
        .collect();
    let stats = Stats::compute(&problem, &pairs, &bids);
    let mut load = vec![0usize; active.len()];
    for &(_, r) in &pairs {
        load[r] += 1;
    }
    let committed: BTreeSet<(i32, String)> =
        data.committed
            .iter()
            .map(|&(p, r)| (data.papers[p].number, data.pool[r].person.email.clone()))
            .chain(data.stale.iter().filter_map(|a| {
                Some((data.number_of(&a.submission_id)?, a.reviewer_email.clone()))
            }))
            .collect();
    let proposed: BTreeSet<(i32, String)> = preview
        .pairs
        .iter()
        .map(|x| (x.number, x.email.clone()))
        .collect();
    let conflict_of: HashMap<(usize, usize), Vec<&str>> =
        conflicts.iter().fold(HashMap::new(), |mut m, c| {
            m.entry((c.paper, c.reviewer))
                .or_default()
                .push(c.kind.label());
            m
        });
    let mut by_paper: HashMap<i32, Vec<ReviewerCell>> = HashMap::new();
    for x in &preview.pairs {
        let reviewer = data.reviewer_by_email(&x.email);
        let warning = match (data.paper_by_number(x.number), reviewer) {
            (Some(p), Some(r)) => conflict_of
                .get(&(p, r))
                .map(|k| format!("conflict: {}", k.join(", ")))
                .unwrap_or_default(),
            _ => "no longer valid".into(),
        };
        by_paper.entry(x.number).or_default().push(ReviewerCell {
            name: reviewer.map_or_else(String::new, |r| data.pool[r].person.name.clone()),
            email: x.email.clone(),
            affinity: format!("{:.3}", x.affinity),
            status: if committed.contains(&(x.number, x.email.clone())) {
                "kept"
            } else if x.manual {
                "manual"
            } else {
                "new"
            },
            warning,
        });
    }
    let papers = data
        .papers
        .iter()
        .enumerate()
        .map(|(p, paper)| {
            let hidden = hidden_from_viewer(paper);
            let mut reviewers = by_paper.remove(&paper.number).unwrap_or_default();
            reviewers.sort_by(|a, b| a.name.cmp(&b.name));
            let count = reviewers.len();
            if hidden {
                reviewers.clear();
            }
            PaperRow {
                number: paper.number,
                title: paper.title.clone(),
                track: paper.track.as_str(),
                needed: needed(paper.track),
                sum: format!("{:.3}", stats.paper_affinity[p]),
                off_target: stats.papers_off_target.contains(&p),
                reviewers,
                hidden,
                count,
            }
        })
        .collect();
    PreviewView {
        run: preview.id.clone(),
        source: preview.meta.source.clone(),
        objective: format!("{:?}", params.objective).to_lowercase(),
        seconds: format!("{:.2}", preview.meta.seconds),
        reviews: stats.reviews,
        total_affinity: format!("{:.3}", stats.total_affinity),
        lowest_sum: stats
            .lowest_papers
            .first()
            .map_or_else(|| "–".into(), |l| format!("{:.3}", l.1)),
        histogram: stats
            .load_histogram
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(l, n)| (l, *n))
            .collect(),
        lowest: stats
            .lowest_papers
            .iter()
            .map(|&(p, s)| {
                (
                    data.papers[p].number,
                    data.papers[p].title.clone(),
                    format!("{s:.3}"),
                )
            })
            .collect(),
        unassigned: (0..active.len())
            .filter(|&s| load[s] == 0)
            .map(|s| {
                let r = &data.pool[active[s]].person;
                (r.name.clone(), r.email.clone())
            })
            .collect(),
        outside_loads: stats
            .reviewers_below_min
            .iter()
            .chain(&stats.reviewers_above_max)
            .filter(|&&s| load[s] > 0)
            .map(|&s| {
                let spec = &problem.reviewers[s];
                (
                    data.pool[active[s]].person.name.clone(),
                    load[s],
                    spec.min_load,
                    spec.max_load,
                )
            })
            .collect(),
        bids: vec![
            ("eager", stats.eager.bids, stats.eager.assigned),
            ("willing", stats.willing.bids, stats.willing.assigned),
            (
                "not willing",
                stats.not_willing.bids,
                stats.not_willing.assigned,
            ),
            ("conflict", stats.conflict.bids, stats.conflict.assigned),
        ],
        added: proposed.difference(&committed).count(),
        removed: committed
            .difference(&proposed)
            .filter(|(n, _)| {
                data.paper_by_number(*n)
                    .is_none_or(|p| !hidden_from_viewer(&data.papers[p]))
            })
            .cloned()
            .collect(),
        papers,
    }
}
