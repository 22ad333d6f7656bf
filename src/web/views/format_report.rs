//! A format report as authors and chairs read it: each problem named in words (the codes such
//! as `page_limit` stay in exports and JSON), how much it matters under the rules the paper is
//! held to, and what happens next. Published work only needs a readable PDF, so its layout
//! findings are not listed as problems.

use crate::format_check::{Code, FormatReport, Rules, Severity, Verdict};

/// One problem of a format report, in the author's words (no internal code).
#[derive(Debug, Clone)]
pub struct ProblemView {
    pub label: &'static str,
    /// "must be fixed", "should be fixed" or "worth checking".
    pub weight: &'static str,
    /// CSS class: error or warning.
    pub class: &'static str,
    pub message: String,
}

/// A format report as shown to authors and chairs: what was found and what happens next.
/// The codes (`page_limit`, …) stay in the exports and the JSON.
#[derive(Debug, Clone)]
pub struct ReportView {
    /// CSS class of the verdict: pass, fail or reject.
    pub verdict: String,
    pub headline: &'static str,
    pub next_step: &'static str,
    pub summary: String,
    pub problems: Vec<ProblemView>,
    /// For published work: why layout findings are not listed.
    pub not_required: String,
}

/// The name of a rule as authors know it.
fn rule_label(code: Code) -> &'static str {
    match code {
        Code::PaperSize => "Paper size",
        Code::Margins => "Margins",
        Code::FontSize => "Font size",
        Code::PageLimit => "Page limit",
        Code::Anonymity => "Anonymity",
        Code::NotPdf => "Not a PDF",
        Code::Encrypted => "Password protection",
        Code::Corrupt => "Damaged file",
        Code::CheckedPartly => "Checked partly",
    }
}

impl ReportView {
    /// `rules` are the ones the paper is held to (its track's); `readable_only` is true for
    /// a track that needs nothing but a readable PDF (published work).
    pub fn new(r: &FormatReport, rules: &Rules, readable_only: bool) -> ReportView {
        let mut facts = Vec::new();
        if let Some(t) = r.total_pages {
            facts.push(format!("{t} pages in all"));
        }
        if let Some(c) = r.content_pages {
            facts.push(format!("{c} of main content"));
        }
        if let Some(f) = r.body_font_pt {
            facts.push(format!("body text {f:.1} pt"));
        }
        let (shown, skipped): (Vec<_>, Vec<_>) = r
            .violations
            .iter()
            .partition(|v| !readable_only || v.code.is_reject() || v.code == Code::CheckedPartly);
        let problems: Vec<ProblemView> = shown
            .iter()
            .map(|v| {
                let error = v.severity == Severity::Error;
                // As `FormatReport::blocks_upload` decides: only errors the chairs chose block.
                let blocking = v.code.is_reject() || (error && rules.blocking.contains(&v.code));
                ProblemView {
                    label: rule_label(v.code),
                    weight: match (blocking, error, v.code) {
                        (_, _, Code::CheckedPartly) => {
                            "not an error: stored, and the chairs can look at it"
                        }
                        (true, _, _) => "must be fixed",
                        (false, true, _) => "should be fixed",
                        (false, false, _) => "worth checking",
                    },
                    class: if error || blocking {
                        "error"
                    } else {
                        "warning"
                    },
                    message: v.message.clone(),
                }
            })
            .collect();
        let rejected =
            r.verdict == Verdict::Reject || problems.iter().any(|p| p.weight == "must be fixed");
        let failed = !rejected && problems.iter().any(|p| p.class == "error");
        let warned = !problems.is_empty();
        let (verdict, headline, next_step) = if rejected {
            (
                "reject",
                "not accepted",
                "This PDF was not accepted: fix what is marked “must be fixed” and upload it again.",
            )
        } else if failed {
            (
                "fail",
                "problems to fix",
                "The paper is submitted as it is and the chairs see this report. Fix the problems below by uploading a corrected PDF before the submission deadline; until then, this version is the one that is reviewed.",
            )
        } else if readable_only {
            (
                "pass",
                "readable PDF",
                "Nothing to do: published work only needs a readable PDF.",
            )
        } else if warned {
            (
                "pass",
                "passed",
                "Nothing is required; the notes below are worth a look.",
            )
        } else {
            ("pass", "passed", "")
        };
        ReportView {
            verdict: verdict.to_string(),
            headline,
            next_step,
            summary: facts.join(", "),
            problems,
            not_required: if skipped.is_empty() {
                String::new()
            } else {
                format!(
                    "{} layout finding{} (paper size, margins, fonts, length) {} not listed: they do not apply to published work.",
                    skipped.len(),
                    if skipped.len() == 1 { "" } else { "s" },
                    if skipped.len() == 1 { "is" } else { "are" },
                )
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format_check::Violation;

    fn report(verdict: Verdict, problems: &[(Code, Severity)]) -> FormatReport {
        FormatReport {
            verdict,
            violations: problems
                .iter()
                .map(|&(code, severity)| Violation {
                    code,
                    severity,
                    pages: vec![1],
                    message: format!("measured {}", code.as_str()),
                })
                .collect(),
            total_pages: Some(5),
            content_pages: Some(4),
            paper_size_pt: None,
            body_font_pt: Some(10.0),
            text_block_pt: None,
            elapsed_ms: 1.0,
        }
    }

    #[test]
    fn a_non_blocking_error_says_the_paper_is_submitted_and_what_to_do_without_codes() {
        let rules = Rules::default();
        let view = ReportView::new(
            &report(Verdict::Fail, &[(Code::Margins, Severity::Error)]),
            &rules,
            false,
        );
        assert_eq!(
            (view.verdict.as_str(), view.headline),
            ("fail", "problems to fix")
        );
        assert!(
            view.next_step.contains("submitted")
                && view.next_step.contains("before the submission deadline")
        );
        assert_eq!(view.problems[0].label, "Margins");
        assert_eq!(view.problems[0].weight, "should be fixed");
        assert!(!format!("{view:?}").contains("margins (error)"));
    }

    #[test]
    fn a_blocking_problem_says_the_pdf_was_not_accepted() {
        let mut rules = Rules::default();
        rules.blocking.push(Code::PageLimit);
        let view = ReportView::new(
            &report(Verdict::Fail, &[(Code::PageLimit, Severity::Error)]),
            &rules,
            false,
        );
        assert_eq!(view.verdict, "reject");
        assert_eq!(view.problems[0].weight, "must be fixed");
        assert!(view.next_step.contains("not accepted"));
    }

    #[test]
    fn published_work_with_an_a4_page_is_a_readable_pdf_and_nothing_more() {
        let view = ReportView::new(
            &report(Verdict::Fail, &[(Code::PaperSize, Severity::Error)]),
            &Rules::default(),
            true,
        );
        assert_eq!(
            (view.verdict.as_str(), view.headline),
            ("pass", "readable PDF")
        );
        assert!(view.problems.is_empty());
        assert!(view.not_required.contains("do not apply to published work"));
    }
}
