//! Demo reviews: plausible scores and texts for a paper, deterministic for the same paper and
//! reviewer. Most are submitted; a few stay drafts, so progress pages have something to show.

use super::rng::Rng;

/// One reviewer's review of one paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoReview {
    pub overall: u8,
    pub confidence: u8,
    pub summary: String,
    pub strengths_weaknesses: String,
    pub questions: String,
    /// For the published track's short form.
    pub comment: String,
    pub confidential: String,
    pub talk: bool,
    /// False: left as a draft.
    pub submit: bool,
}

const STRENGTHS: [&str; 6] = [
    "The method is clearly motivated and the derivation is easy to follow.",
    "Experiments cover stiff and non-stiff regimes and compare against strong solvers.",
    "The connection to classical numerical analysis is made precise.",
    "Code and hyper-parameters are described in enough detail to reproduce the results.",
    "The theoretical result is stated carefully and its assumptions are discussed.",
    "The idea is simple and likely to be adopted by practitioners.",
];

const WEAKNESSES: [&str; 6] = [
    "The baselines are tuned less carefully than the proposed method.",
    "Wall-clock comparisons are missing; only function evaluations are reported.",
    "The related work omits recent results on operator learning.",
    "The ablation does not isolate the contribution of the regulariser.",
    "The experiments stay in low dimension; scaling is not demonstrated.",
    "Some notation is introduced without definition in Section 3.",
];

const QUESTIONS: [&str; 4] = [
    "How sensitive is the method to the step-size controller?",
    "Would the bound still hold for non-autonomous systems?",
    "Can you report variance over more random seeds?",
    "How does training time compare with the adjoint method?",
];

/// The review `reviewer` writes of paper `number` titled `title`.
pub fn review(seed: u64, number: i32, reviewer: &str, title: &str) -> DemoReview {
    let mut rng = Rng::from_text(&format!("{seed}:{number}:{reviewer}"));
    let quality = Rng::from_text(&format!("{seed}:{number}")).range(3, 9);
    let overall = (quality + rng.below(3)).clamp(2, 10) as u8 - 1;
    let confidence = (rng.range(2, 5) as u8).clamp(1, 5);
    let (si, wi) = (rng.below(STRENGTHS.len()), rng.below(WEAKNESSES.len()));
    let s1 = STRENGTHS[si];
    let s2 = STRENGTHS[(si + 1 + rng.below(STRENGTHS.len() - 1)) % STRENGTHS.len()];
    let w1 = WEAKNESSES[wi];
    let w2 = WEAKNESSES[(wi + 1 + rng.below(WEAKNESSES.len() - 1)) % WEAKNESSES.len()];
    DemoReview {
        overall,
        confidence,
        summary: format!(
            "The submission \"{title}\" proposes a learning-based approach to differential equations and evaluates it on standard benchmarks."
        ),
        strengths_weaknesses: format!("Strengths:\n- {s1}\n- {s2}\n\nWeaknesses:\n- {w1}\n- {w2}"),
        questions: rng.pick(&QUESTIONS).to_string(),
        comment: format!("A relevant published paper for the workshop. {s1}"),
        confidential: if rng.chance(20) {
            "I am not fully sure about the novelty with respect to prior work.".to_string()
        } else {
            String::new()
        },
        talk: overall >= 8,
        submit: !rng.chance(8),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reviews_are_deterministic_and_on_the_scales() {
        for n in 1..200 {
            let r = review(7, n, "a@b.org", "T");
            assert_eq!(r, review(7, n, "a@b.org", "T"));
            assert!((1..=10).contains(&r.overall) && (1..=5).contains(&r.confidence));
        }
        let submitted = (1..200)
            .filter(|&n| review(7, n, "x@y.org", "T").submit)
            .count();
        assert!((150..199).contains(&submitted), "{submitted}");
    }
}
