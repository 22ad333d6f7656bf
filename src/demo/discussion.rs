//! Demo discussion texts: the authors' responses, reviewers' comments and the chairs'
//! meta-reviews, plausible and deterministic for a seed, paper and writer. Which papers get
//! what is decided here too, so the demo shows responses for most papers and threads on a few.

use super::rng::Rng;

const THANKS: [&str; 3] = [
    "We thank the reviewers for their careful reading and constructive comments.",
    "We are grateful to the reviewers for their detailed and helpful reviews.",
    "We thank all reviewers for their time and for the questions they raised.",
];

const ANSWERS: [&str; 6] = [
    "On baselines: we re-tuned every baseline with the same budget as our method; the ranking is unchanged and the new numbers will be in the final version.",
    "On wall-clock time: our method is 1.4 times slower per step but needs fewer steps, so it is faster end to end on every benchmark of Table 2.",
    "On scaling: we ran the 128-dimensional variant of the benchmark during the response period; the error grows linearly with dimension, as the bound predicts.",
    "On notation: Section 3 now defines every symbol before first use, and we added a table of notation to the appendix.",
    "On related work: we will discuss the recent operator-learning results and explain how our assumptions differ from theirs.",
    "On the ablation: removing the regulariser alone raises the error by 31 percent, which isolates its contribution.",
];

const COMMENTS: [&str; 6] = [
    "The response answers my question on baselines; I am raising my score by one point.",
    "I still think the scaling experiment is too small to support the claim in the abstract.",
    "I agree with the other reviewers that the writing is clear; my concern is the novelty over prior adjoint methods.",
    "The new wall-clock numbers are convincing. I would support acceptance as a poster.",
    "Could the authors' new experiment be added to the camera-ready version? It addresses my main concern.",
    "I read the response and keep my score: the theoretical part is sound but the experiments are thin.",
];

/// Whether the authors of paper `number` respond (most do).
pub fn responds(seed: u64, number: i32) -> bool {
    !Rng::from_text(&format!("{seed}:response:{number}")).chance(20)
}

/// Whether paper `number` gets a comment thread (a few do).
pub fn discussed(number: i32) -> bool {
    number % 6 == 1
}

/// Whether `reviewer` ticks "I have read the response" on paper `number` (most do).
pub fn acknowledges(seed: u64, number: i32, reviewer: &str) -> bool {
    !Rng::from_text(&format!("{seed}:ack:{number}:{reviewer}")).chance(25)
}

/// The authors' response to the reviews of paper `number` titled `title`.
pub fn response(seed: u64, number: i32, title: &str) -> String {
    let mut rng = Rng::from_text(&format!("{seed}:response-text:{number}"));
    let first = rng.below(ANSWERS.len());
    let second = (first + 1 + rng.below(ANSWERS.len() - 1)) % ANSWERS.len();
    format!(
        "{} In \"{title}\" we address the main points as follows.\n\n{}\n\n{}\n\nWe hope this clarifies our contribution.",
        THANKS[rng.below(THANKS.len())],
        ANSWERS[first],
        ANSWERS[second],
    )
}

/// A reviewer's comment on paper `number`.
pub fn comment(seed: u64, number: i32, reviewer: &str) -> String {
    let mut rng = Rng::from_text(&format!("{seed}:comment:{number}:{reviewer}"));
    COMMENTS[rng.below(COMMENTS.len())].to_string()
}

/// The chairs' meta-review of paper `number` recommending `recommendation` (a decision's
/// internal name).
pub fn meta_review(number: i32, recommendation: &str) -> String {
    let verdict = match recommendation {
        "talk" => {
            "The reviewers agree this is among the strongest submissions; we recommend a contributed talk."
        }
        "spotlight" => {
            "The reviewers value the contribution and its clarity; we recommend a spotlight."
        }
        "poster" => {
            "The reviewers see a useful contribution with some open questions; we recommend a poster."
        }
        _ => {
            "The reviewers found the contribution too preliminary for this edition; the discussion did not change that view."
        }
    };
    format!(
        "Paper #{number}: the reviews and the authors' response were discussed. {verdict} Please take the reviewers' remaining questions into account."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_deterministic_and_most_papers_get_a_response() {
        assert_eq!(response(7, 3, "T"), response(7, 3, "T"));
        assert!(response(7, 3, "T").contains("\"T\""));
        let responding = (1..=80).filter(|&n| responds(7, n)).count();
        assert!((50..80).contains(&responding), "{responding}");
        assert_eq!((1..=80).filter(|&n| discussed(n)).count(), 14);
        assert!(meta_review(4, "talk").contains("contributed talk"));
    }
}
