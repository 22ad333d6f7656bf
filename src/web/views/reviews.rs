//! A review as others see it: the author view of a stored review (scores with their labels,
//! the texts authors may read, nothing chairs-only), shown to co-reviewers after they submit,
//! to authors once decisions are released, in decision letters and on the chairs' pages.

use crate::db::reviews::ReviewRow;
use crate::domain::review::{self, FormKind, ReviewContent, ReviewFormSpec};

/// A stored review's content; an unreadable one counts as empty.
pub fn parse_content(raw: &str) -> ReviewContent {
    serde_json::from_str(raw).unwrap_or_default()
}

/// The scores of a stored review without its texts, for pages that rank thousands of
/// papers: the texts are skipped while parsing, never copied.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct ReviewScores {
    pub overall: Option<u8>,
    pub confidence: Option<u8>,
    pub talk_recommendation: bool,
}

/// The scores of a stored review; an unreadable one has none.
pub fn parse_scores(raw: &str) -> ReviewScores {
    serde_json::from_str(raw).unwrap_or_default()
}

/// One labelled text of a review, for display.
pub struct ShownSection {
    pub label: String,
    pub text: String,
}

/// A review as other reviewers (and, after release, authors) see it.
pub struct ShownReview {
    pub label: String,
    pub overall: String,
    pub confidence: String,
    pub sections: Vec<ShownSection>,
    pub late: bool,
}

/// The author view of a stored review: scores and texts for everyone, nothing chairs-only.
pub fn shown(spec: &ReviewFormSpec, label: String, r: &ReviewRow) -> ShownReview {
    let kind = if r.form_kind == "light" {
        FormKind::Light
    } else {
        FormKind::Full
    };
    let content = parse_content(&r.content).author_view(spec, kind);
    let score = |s: &review::ScaleSpec, v: Option<u8>| {
        v.map(|v| format!("{v}: {}", s.label_for(v).unwrap_or("")))
            .unwrap_or_else(|| "–".into())
    };
    ShownReview {
        label,
        overall: score(&spec.overall, content.overall),
        confidence: score(&spec.confidence, content.confidence),
        sections: content
            .sections(spec, kind)
            .into_iter()
            .map(|s| ShownSection {
                label: s.label.to_string(),
                text: s.text.to_string(),
            })
            .collect(),
        late: r.late,
    }
}
