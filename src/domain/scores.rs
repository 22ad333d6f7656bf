//! Score aggregation for the chair's decision table: per-paper statistics of the reviewers'
//! overall scores (1–10) and confidences (1–5), per-reviewer bias estimates, calibrated paper
//! scores with those biases removed, and ranking by any of them.
//!
//! Pure arithmetic on indices: the caller maps paper and reviewer ids to `0..papers` and
//! `0..reviewers`. No ids, I/O or permission checks live here; who may see the scores is
//! `policy`'s business. The method, its constants and its limits are explained in
//! `docs/decisions.md`, section "Score aggregation".

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Ridge penalty λ on reviewer biases, in units of confidence weight. It counts as much as two
/// reviews at confidence 3 saying "this reviewer is unbiased": a reviewer whose confidences sum
/// to W keeps roughly W / (W + λ) of the bias their scores suggest.
pub const BIAS_RIDGE: f64 = 6.0;
/// The fit stops once no quality or bias moves by this much in a sweep…
const TOLERANCE: f64 = 1e-9;
/// …or after this many sweeps, keeping the last estimate.
const MAX_SWEEPS: usize = 200;

/// One review's scores. `paper` and `reviewer` index the caller's lists; `overall` must be in
/// 1–10 and `confidence` in 1–5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreInput {
    pub paper: usize,
    pub reviewer: usize,
    pub overall: u8,
    pub confidence: u8,
}

/// Statistics of one paper's overall scores; every `Option` is `None` when the paper has no
/// reviews.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PaperScores {
    pub reviews: usize,
    pub mean: Option<f64>,
    pub min: Option<u8>,
    pub max: Option<u8>,
    /// Sample standard deviation (divisor n − 1), so that papers with 3 and 5 reviews show
    /// disagreement on the same footing; `None` with fewer than two reviews, where
    /// disagreement is unknown rather than zero.
    pub std_dev: Option<f64>,
    /// Σ confidence·overall / Σ confidence.
    pub confidence_weighted_mean: Option<f64>,
    /// The paper's fitted quality: its confidence-weighted mean score with each reviewer's
    /// estimated bias removed, clamped to [1, 10].
    pub calibrated: Option<f64>,
}

/// A reviewer's estimated bias in score points: positive = generous, negative = harsh,
/// 0 for a reviewer without reviews.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ReviewerBias {
    pub reviews: usize,
    pub bias: f64,
}

/// Everything [`summarise`] computes, indexed like its input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreSummary {
    pub papers: Vec<PaperScores>,
    pub reviewers: Vec<ReviewerBias>,
}

/// An input that [`summarise`] rejects: its position in the slice and the field that is out
/// of range (`paper`, `reviewer`, `overall` or `confidence`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidScore {
    pub input: usize,
    pub field: &'static str,
}

impl fmt::Display for InvalidScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "score {}: {} is out of range", self.input, self.field)
    }
}

impl std::error::Error for InvalidScore {}

/// What [`rank`] orders papers by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    Mean,
    Calibrated,
    ConfidenceWeighted,
    Min,
    Max,
    StdDev,
    Reviews,
}

impl SortKey {
    fn value(self, paper: &PaperScores) -> Option<f64> {
        match self {
            SortKey::Mean => paper.mean,
            SortKey::Calibrated => paper.calibrated,
            SortKey::ConfidenceWeighted => paper.confidence_weighted_mean,
            SortKey::Min => paper.min.map(f64::from),
            SortKey::Max => paper.max.map(f64::from),
            SortKey::StdDev => paper.std_dev,
            SortKey::Reviews => Some(paper.reviews as f64),
        }
    }
}

/// Paper indices by `key`, highest first; ties by index ascending; papers without a value last.
pub fn rank(papers: &[PaperScores], key: SortKey) -> Vec<usize> {
    let mut order: Vec<usize> = (0..papers.len()).collect();
    order.sort_by(|&a, &b| {
        let by_value = match (key.value(&papers[a]), key.value(&papers[b])) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        by_value.then(a.cmp(&b))
    });
    order
}

/// Statistics for `papers` papers and `reviewers` reviewers from their scores. Each input
/// counts as one review, so the caller passes one per (paper, reviewer) pair. Fails on the
/// first input whose index or score is out of range.
pub fn summarise(
    inputs: &[ScoreInput],
    papers: usize,
    reviewers: usize,
) -> Result<ScoreSummary, InvalidScore> {
    validate(inputs, papers, reviewers)?;
    let fit = fit(inputs, papers, reviewers, BIAS_RIDGE);
    let mut by_paper: Vec<Vec<(u8, u8)>> = vec![Vec::new(); papers];
    let mut reviewer_counts = vec![0; reviewers];
    for s in inputs {
        by_paper[s.paper].push((s.overall, s.confidence));
        reviewer_counts[s.reviewer] += 1;
    }
    let papers = by_paper
        .iter()
        .zip(fit.quality)
        .map(|(scores, quality)| paper_scores(scores, quality))
        .collect();
    let reviewers = reviewer_counts
        .into_iter()
        .zip(fit.bias)
        .map(|(reviews, bias)| ReviewerBias { reviews, bias })
        .collect();
    Ok(ScoreSummary { papers, reviewers })
}

fn validate(inputs: &[ScoreInput], papers: usize, reviewers: usize) -> Result<(), InvalidScore> {
    for (input, s) in inputs.iter().enumerate() {
        let checks = [
            ("paper", s.paper < papers),
            ("reviewer", s.reviewer < reviewers),
            ("overall", (1..=10).contains(&s.overall)),
            ("confidence", (1..=5).contains(&s.confidence)),
        ];
        if let Some(&(field, _)) = checks.iter().find(|(_, ok)| !ok) {
            return Err(InvalidScore { input, field });
        }
    }
    Ok(())
}

fn paper_scores(scores: &[(u8, u8)], quality: Option<f64>) -> PaperScores {
    let n = scores.len() as f64;
    let mean =
        (!scores.is_empty()).then(|| scores.iter().map(|&(o, _)| f64::from(o)).sum::<f64>() / n);
    let std_dev = mean.filter(|_| scores.len() >= 2).map(|m| {
        let squares: f64 = scores
            .iter()
            .map(|&(o, _)| (f64::from(o) - m).powi(2))
            .sum();
        (squares / (n - 1.0)).sqrt()
    });
    let weight: f64 = scores.iter().map(|&(_, c)| f64::from(c)).sum();
    let weighted: f64 = scores
        .iter()
        .map(|&(o, c)| f64::from(o) * f64::from(c))
        .sum();
    PaperScores {
        reviews: scores.len(),
        mean,
        min: scores.iter().map(|&(o, _)| o).min(),
        max: scores.iter().map(|&(o, _)| o).max(),
        std_dev,
        confidence_weighted_mean: mean.map(|_| weighted / weight),
        calibrated: quality.map(|q| q.clamp(1.0, 10.0)),
    }
}

struct Fit {
    /// Unclamped; `None` for papers without reviews.
    quality: Vec<Option<f64>>,
    bias: Vec<f64>,
    #[cfg_attr(not(test), allow(dead_code))]
    sweeps: usize,
}

/// Minimises Σ c·(overall − quality[p] − bias[r])² + ridge·Σ bias[r]² by alternating exact
/// minimisation over all biases, along each group's gauge direction, and over all qualities,
/// starting from zero biases.
fn fit(inputs: &[ScoreInput], papers: usize, reviewers: usize, ridge: f64) -> Fit {
    let mut paper_weight = vec![0.0; papers];
    let mut reviewer_weight = vec![0.0; reviewers];
    for s in inputs {
        paper_weight[s.paper] += f64::from(s.confidence);
        reviewer_weight[s.reviewer] += f64::from(s.confidence);
    }
    let mut quality = vec![0.0; papers];
    let mut bias = vec![0.0; reviewers];
    let groups = reviewer_groups(inputs, papers, reviewers);
    let overall = |s: &ScoreInput| f64::from(s.overall);
    solve_block(&mut quality, &paper_weight, 0.0, inputs, |s| {
        (s.paper, overall(s))
    });
    let mut sweeps = 0;
    while sweeps < MAX_SWEEPS {
        sweeps += 1;
        let moved_bias = solve_block(&mut bias, &reviewer_weight, ridge, inputs, |s| {
            (s.reviewer, overall(s) - quality[s.paper])
        });
        centre_biases(&mut bias, &groups);
        let moved_quality = solve_block(&mut quality, &paper_weight, 0.0, inputs, |s| {
            (s.paper, overall(s) - bias[s.reviewer])
        });
        if moved_bias.max(moved_quality) < TOLERANCE {
            break;
        }
    }
    let quality = quality
        .into_iter()
        .zip(&paper_weight)
        .map(|(q, &w)| (w > 0.0).then_some(q))
        .collect();
    Fit {
        quality,
        bias,
        sweeps,
    }
}

/// Sets `target[i]` to Σ c·residual / (Σ c + ridge) over the inputs whose `residual` is
/// credited to `i`, leaving entries with nothing to divide by alone; returns the largest change.
fn solve_block(
    target: &mut [f64],
    weights: &[f64],
    ridge: f64,
    inputs: &[ScoreInput],
    residual: impl Fn(&ScoreInput) -> (usize, f64),
) -> f64 {
    let mut sums = vec![0.0; target.len()];
    for s in inputs {
        let (i, value) = residual(s);
        sums[i] += f64::from(s.confidence) * value;
    }
    let mut moved: f64 = 0.0;
    for ((t, sum), w) in target.iter_mut().zip(sums).zip(weights) {
        if w + ridge > 0.0 {
            let next = sum / (w + ridge);
            moved = moved.max((next - *t).abs());
            *t = next;
        }
    }
    moved
}

/// Each reviewer's group: reviewers linked through shared papers, directly or in a chain,
/// share a group; numbered by union–find roots.
fn reviewer_groups(inputs: &[ScoreInput], papers: usize, reviewers: usize) -> Vec<usize> {
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut parent: Vec<usize> = (0..papers + reviewers).collect();
    for s in inputs {
        let a = root(&mut parent, s.paper);
        let b = root(&mut parent, papers + s.reviewer);
        parent[a.max(b)] = a.min(b);
    }
    (papers..papers + reviewers)
        .map(|i| root(&mut parent, i))
        .collect()
}

/// Shifts every group's biases to sum 0. The scores cannot tell a group's biases from its
/// papers' qualities up to a common constant, and the ridge term alone picks the constant that
/// makes the biases sum to 0 — a point plain alternation reaches only slowly when reviewers
/// carry much weight. The following quality step moves the qualities up by the same amount.
fn centre_biases(bias: &mut [f64], groups: &[usize]) {
    let mut sums: Vec<(f64, f64)> = vec![(0.0, 0.0); groups.iter().max().map_or(0, |g| g + 1)];
    for (b, &g) in bias.iter().zip(groups) {
        sums[g].0 += b;
        sums[g].1 += 1.0;
    }
    for (b, &g) in bias.iter_mut().zip(groups) {
        *b -= sums[g].0 / sums[g].1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn score(paper: usize, reviewer: usize, overall: u8, confidence: u8) -> ScoreInput {
        ScoreInput {
            paper,
            reviewer,
            overall,
            confidence,
        }
    }

    /// Papers 0..n reviewed by two of the fair reviewers 0..6 and by reviewer 6, who always
    /// scores 3 below them; papers n and n + 1 reviewed by fair reviewers only. Paper 0 and
    /// paper n are equally good; paper n + 1 is worse than both.
    fn harsh_reviewer_workshop(n: usize, confidence: u8) -> Vec<ScoreInput> {
        let mut inputs = Vec::new();
        for p in 0..n {
            let quality = [7, 8, 5, 6, 9, 4, 7, 6, 8, 5][p % 10];
            inputs.push(score(p, p % 6, quality, confidence));
            inputs.push(score(p, (p + 1) % 6, quality, confidence));
            inputs.push(score(p, 6, quality - 3, confidence));
        }
        for (reviewer, equal, worse) in [(2, 7, 7), (3, 7, 6), (4, 7, 6)] {
            inputs.push(score(n, reviewer, equal, confidence));
            inputs.push(score(n + 1, reviewer + 1, worse, confidence));
        }
        inputs
    }

    fn calibrated(summary: &ScoreSummary) -> Vec<f64> {
        summary
            .papers
            .iter()
            .map(|p| p.calibrated.unwrap_or(f64::NAN))
            .collect()
    }

    #[test]
    fn statistics_match_hand_computation() {
        let inputs = [score(0, 0, 6, 2), score(0, 1, 8, 4), score(0, 2, 4, 1)];
        let paper = &summarise(&inputs, 1, 3).unwrap().papers[0];
        assert_eq!((paper.reviews, paper.min, paper.max), (3, Some(4), Some(8)));
        assert_eq!(paper.mean, Some(6.0));
        // Squared deviations 0 + 4 + 4 over n − 1 = 2.
        assert_eq!(paper.std_dev, Some(2.0));
        // (6·2 + 8·4 + 4·1) / (2 + 4 + 1)
        assert_eq!(paper.confidence_weighted_mean, Some(48.0 / 7.0));

        let pair = summarise(&[score(0, 0, 5, 3), score(0, 1, 7, 3)], 1, 2).unwrap();
        assert_eq!(pair.papers[0].std_dev, Some(2.0_f64.sqrt()));
        let single = summarise(&[score(0, 0, 5, 3)], 1, 1).unwrap();
        assert_eq!(single.papers[0].std_dev, None);
        assert_eq!(single.papers[0].calibrated, Some(5.0));
    }

    #[test]
    fn calibration_lifts_harsh_reviewers_paper_past_a_worse_one_and_near_an_equal_one() {
        let summary = summarise(&harsh_reviewer_workshop(10, 3), 12, 7).unwrap();
        let by_mean = rank(&summary.papers, SortKey::Mean);
        let position = |order: &[usize], p| order.iter().position(|&x| x == p).unwrap();
        assert!(position(&by_mean, 0) > position(&by_mean, 11));
        let by_calibrated = rank(&summary.papers, SortKey::Calibrated);
        assert!(position(&by_calibrated, 0) < position(&by_calibrated, 11));
        // The raw gap to the equal paper is 1 point; shrinkage leaves a small part of it.
        let cal = calibrated(&summary);
        assert!((cal[10] - cal[0]).abs() < 0.2, "{cal:?}");
        assert!(summary.reviewers[6].bias < -1.5);
        // With more and surer reviews the bias is known better and the gap all but closes.
        // Reviewers this heavy need the centring step to converge within the sweep limit.
        let heavy = harsh_reviewer_workshop(60, 5);
        assert!(fit(&heavy, 62, 7, BIAS_RIDGE).sweeps < 50);
        let cal = calibrated(&summarise(&heavy, 62, 7).unwrap());
        assert!((cal[60] - cal[0]).abs() < 0.03, "{} vs {}", cal[60], cal[0]);
    }

    #[test]
    fn one_review_earns_less_bias_than_ten_consistent_ones() {
        let mut inputs = harsh_reviewer_workshop(10, 3);
        inputs.extend([score(12, 0, 7, 3), score(12, 1, 7, 3), score(12, 7, 4, 3)]);
        let reviewers = summarise(&inputs, 13, 8).unwrap().reviewers;
        assert_eq!((reviewers[6].reviews, reviewers[7].reviews), (10, 1));
        assert!(reviewers[7].bias < 0.0);
        assert!(reviewers[7].bias.abs() < reviewers[6].bias.abs());
    }

    #[test]
    fn generous_reviewer_gets_positive_bias_and_biases_sum_to_zero() {
        let inputs: Vec<_> = (0..5)
            .flat_map(|p| [score(p, 0, 3 + p as u8, 4), score(p, 1, 5 + p as u8, 4)])
            .collect();
        let reviewers = summarise(&inputs, 5, 2).unwrap().reviewers;
        assert!(reviewers[1].bias > 0.0 && reviewers[1].bias < 1.0);
        assert!((reviewers[0].bias + reviewers[1].bias).abs() < 1e-9);
    }

    #[test]
    fn papers_and_reviewers_without_reviews_get_none_and_zero() {
        let summary = summarise(&[score(1, 1, 6, 2)], 3, 3).unwrap();
        let empty = &summary.papers[0];
        assert_eq!(empty.reviews, 0);
        assert!(empty.mean.is_none() && empty.min.is_none() && empty.max.is_none());
        assert!(empty.std_dev.is_none() && empty.confidence_weighted_mean.is_none());
        assert!(empty.calibrated.is_none());
        let idle = summary.reviewers[2];
        assert_eq!((idle.reviews, idle.bias), (0, 0.0));
        assert!(summarise(&[], 0, 0).unwrap().papers.is_empty());
    }

    #[test]
    fn degenerate_inputs_give_finite_results() {
        let same: Vec<_> = (0..4)
            .flat_map(|p| [score(p, 0, 6, 3), score(p, 1, 6, 5)])
            .collect();
        let summary = summarise(&same, 4, 2).unwrap();
        assert!(calibrated(&summary).iter().all(|c| (c - 6.0).abs() < 1e-9));
        assert!(summary.reviewers.iter().all(|r| r.bias.abs() < 1e-9));

        let one_reviewer: Vec<_> = (0..4).map(|p| score(p, 0, 2 + 2 * p as u8, 3)).collect();
        let summary = summarise(&one_reviewer, 4, 1).unwrap();
        assert_eq!(calibrated(&summary), [2.0, 4.0, 6.0, 8.0]);
        assert_eq!(summary.reviewers[0].bias, 0.0);

        // Papers 0–1 with reviewers 0–1, papers 2–3 with reviewers 2–3: nothing links the two
        // groups, so each group's biases sum to zero on its own.
        let group = [(0, 0, 9), (0, 1, 7), (1, 0, 8), (1, 1, 5)];
        let other = [(2, 2, 2), (2, 3, 4), (3, 2, 1)];
        let split = group.iter().chain(&other);
        let split: Vec<_> = split.map(|&(p, r, o)| score(p, r, o, 2)).collect();
        let summary = summarise(&split, 4, 4).unwrap();
        assert!(calibrated(&summary).iter().all(|c| c.is_finite()));
        let bias: Vec<f64> = summary.reviewers.iter().map(|r| r.bias).collect();
        assert!((bias[0] + bias[1]).abs() < 1e-9 && (bias[2] + bias[3]).abs() < 1e-9);
    }

    #[test]
    fn extreme_calibrated_scores_are_clamped_to_the_scale() {
        let inputs = harsh_reviewer_workshop(10, 3);
        let mut inputs: Vec<_> = inputs.into_iter().filter(|s| s.paper != 4).collect();
        inputs.push(score(4, 6, 10, 3));
        let summary = summarise(&inputs, 12, 7).unwrap();
        assert!(fit(&inputs, 12, 7, BIAS_RIDGE).quality[4].unwrap() > 10.0);
        assert_eq!(summary.papers[4].calibrated, Some(10.0));
    }

    #[test]
    fn same_input_gives_the_same_output_and_order_does_not_matter() {
        let inputs = harsh_reviewer_workshop(10, 3);
        let first = summarise(&inputs, 12, 7).unwrap();
        assert_eq!(first, summarise(&inputs, 12, 7).unwrap());
        let reversed: Vec<_> = inputs.iter().rev().copied().collect();
        let other = calibrated(&summarise(&reversed, 12, 7).unwrap());
        let pairs = calibrated(&first).into_iter().zip(other);
        let gap = pairs.map(|(a, b)| (a - b).abs());
        assert!(gap.fold(0.0, f64::max) < 1e-7);
        assert!(fit(&inputs, 12, 7, BIAS_RIDGE).sweeps < MAX_SWEEPS);
    }

    #[test]
    fn invalid_inputs_are_rejected_with_their_position_and_field() {
        let ok = score(0, 0, 5, 3);
        let field = |bad: ScoreInput| summarise(&[ok, bad], 1, 1).map_err(|e| (e.input, e.field));
        assert_eq!(field(score(1, 0, 5, 3)), Err((1, "paper")));
        assert_eq!(field(score(0, 2, 5, 3)), Err((1, "reviewer")));
        assert_eq!(field(score(0, 0, 11, 3)), Err((1, "overall")));
        assert_eq!(field(score(0, 0, 5, 0)), Err((1, "confidence")));
        let error = summarise(&[score(0, 0, 0, 3)], 1, 1).unwrap_err();
        assert_eq!(error.to_string(), "score 0: overall is out of range");
    }

    #[test]
    fn rank_is_descending_with_ties_by_index_and_missing_values_last() {
        let inputs = [(0, 0, 5, 1), (2, 0, 8, 1), (3, 0, 5, 1), (3, 1, 9, 5)];
        let inputs = inputs.map(|(p, r, o, c)| score(p, r, o, c));
        let papers = summarise(&inputs, 4, 2).unwrap().papers;
        assert_eq!(rank(&papers, SortKey::Min), [2, 0, 3, 1]);
        assert_eq!(rank(&papers, SortKey::Max), [3, 2, 0, 1]);
        assert_eq!(rank(&papers, SortKey::Mean), [2, 3, 0, 1]);
        assert_eq!(rank(&papers, SortKey::ConfidenceWeighted), [3, 2, 0, 1]);
        assert_eq!(rank(&papers, SortKey::StdDev), [3, 0, 1, 2]);
        assert_eq!(rank(&papers, SortKey::Reviews), [3, 0, 2, 1]);
        assert_eq!(rank(&papers, SortKey::Calibrated).last(), Some(&1));
    }

    proptest! {
        #[test]
        fn calibrated_scores_are_finite_and_on_the_scale(
            raw in prop::collection::vec((0..8usize, 0..6usize, 1..=10u8, 1..=5u8), 0..60)
        ) {
            let inputs: Vec<_> = raw.iter().map(|&(p, r, o, c)| score(p, r, o, c)).collect();
            let summary = summarise(&inputs, 8, 6).unwrap();
            for paper in &summary.papers {
                let c = paper.calibrated.unwrap_or(5.0);
                prop_assert!(c.is_finite() && (1.0..=10.0).contains(&c));
                prop_assert_eq!(paper.calibrated.is_some(), paper.reviews > 0);
            }
            prop_assert!(summary.reviewers.iter().all(|r| r.bias.is_finite()));
        }
    }
}
