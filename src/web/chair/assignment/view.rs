//! What the chair's assignment preview shows: statistics (load histogram, per-paper
//! affinity, lowest-affinity papers, reviewers without papers or outside their loads, bids
//! honoured), the difference from the committed assignment, and each paper's reviewers, 100
//! papers per page (the first on the assignment page, the others on
//! `/chair/assignment/proposed?page=N`, `proposed`). Cells are made only for the papers shown;
//! conflicts come from the pool's cached conflicts ([`PoolData::conflict_labels`]).

use std::collections::{HashMap, HashSet};

use super::preview::Preview;
use crate::assignment::{Candidate, PaperSpec, Problem, ReviewerSpec, Stats};
use crate::domain::submission::Track;
use crate::policy::{self, Actor};
use crate::web::pool_data::PoolData;
use crate::web::views::paging::{PER_PAGE, Paging};

/// Where the preview's pages of papers are.
pub const PROPOSED_PATH: &str = "/chair/assignment/proposed";

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
    /// (number, title, affinity sum, link to the paper's row)
    pub lowest: Vec<(i32, String, String, String)>,
    /// (name, email)
    pub unassigned: Vec<(String, String)>,
    /// (name, load, min, max)
    pub outside_loads: Vec<(String, usize, u32, u32)>,
    /// (kind, bids, assigned)
    pub bids: Vec<(&'static str, usize, usize)>,
    pub added: usize,
    /// (number, email) committed pairs the preview drops.
    pub removed: Vec<(i32, String)>,
    /// The papers of the page shown.
    pub papers: Vec<PaperRow>,
    /// Which page of the papers `papers` is.
    pub paging: Paging,
}

/// Builds the view of `preview` against the current data and conflicts, with the first
/// page of papers.
pub fn preview_view(data: &PoolData, preview: &Preview, viewer: &Actor) -> PreviewView {
    preview_page(data, preview, viewer, 1)
}

/// The link to the row of paper `p` (an index into the pool's papers).
fn paper_link(data: &PoolData, p: usize) -> String {
    format!(
        "{PROPOSED_PATH}?page={}#paper-{}",
        p / PER_PAGE + 1,
        data.papers[p].number
    )
}

/// [`preview_view`] with page `page` (1-based) of the papers.
pub fn preview_page(
    data: &PoolData,
    preview: &Preview,
    viewer: &Actor,
    page: usize,
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
    let committed: HashSet<(i32, &str)> =
        data.committed
            .iter()
            .map(|&(p, r)| (data.papers[p].number, data.pool[r].person.email.as_str()))
            .chain(data.stale.iter().filter_map(|a| {
                Some((data.number_of(&a.submission_id)?, a.reviewer_email.as_str()))
            }))
            .collect();
    let proposed: HashSet<(i32, &str)> = preview
        .pairs
        .iter()
        .map(|x| (x.number, x.email.as_str()))
        .collect();
    let mut pairs_of: HashMap<i32, Vec<usize>> = HashMap::new();
    for (i, x) in preview.pairs.iter().enumerate() {
        pairs_of.entry(x.number).or_default().push(i);
    }
    let cell = |i: usize| {
        let x = &preview.pairs[i];
        let reviewer = data.reviewer_by_email(&x.email);
        let warning = match (data.paper_by_number(x.number), reviewer) {
            (Some(p), Some(r)) => {
                let kinds = data.conflict_labels(p, r);
                if kinds.is_empty() {
                    String::new()
                } else {
                    format!("conflict: {}", kinds.join(", "))
                }
            }
            _ => "no longer valid".into(),
        };
        ReviewerCell {
            name: reviewer.map_or_else(String::new, |r| data.pool[r].person.name.clone()),
            email: x.email.clone(),
            affinity: format!("{:.3}", x.affinity),
            status: if committed.contains(&(x.number, x.email.as_str())) {
                "kept"
            } else if x.manual {
                "manual"
            } else {
                "new"
            },
            warning,
        }
    };
    let paging = Paging::new(data.papers.len(), page, PER_PAGE, PROPOSED_PATH).naming("Papers");
    let papers = data.papers[paging.range()]
        .iter()
        .enumerate()
        .map(|(i, paper)| {
            let p = paging.range().start + i;
            let hidden = hidden_from_viewer(paper);
            let mut reviewers: Vec<ReviewerCell> = pairs_of
                .get(&paper.number)
                .map(|pairs| pairs.iter().map(|&i| cell(i)).collect())
                .unwrap_or_default();
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
                    paper_link(data, p),
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
        removed: sorted(
            committed
                .difference(&proposed)
                .filter(|(n, _)| {
                    data.paper_by_number(*n)
                        .is_none_or(|p| !hidden_from_viewer(&data.papers[p]))
                })
                .map(|&(n, e)| (n, e.to_string()))
                .collect(),
        ),
        papers,
        paging,
    }
}

fn sorted<T: Ord>(mut items: Vec<T>) -> Vec<T> {
    items.sort();
    items
}
