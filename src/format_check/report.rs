//! The result of one check: `FormatReport`, its violations and verdict, and the helpers the app
//! uses to decide whether an upload is blocked and to print a page list for authors.

use serde::{Deserialize, Serialize};

use crate::format_check::rules::{Code, Severity};

/// Overall outcome of a check.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No error-severity violation (warnings allowed).
    Pass,
    /// At least one error-severity violation.
    Fail,
    /// The file could not be checked: not a PDF, corrupt, encrypted or too complex.
    Reject,
}

/// One problem found in the PDF, written for the author.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Violation {
    /// Machine-readable code.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// 1-based pages where the problem was seen (empty when it concerns the whole file).
    pub pages: Vec<u32>,
    /// What is wrong, where, by how much and how to fix it.
    pub message: String,
}

/// Everything measured about one PDF.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct FormatReport {
    /// Pass, fail or reject.
    pub verdict: Verdict,
    /// Problems found, errors first.
    pub violations: Vec<Violation>,
    /// Number of pages in the PDF (`None` when rejected before pages could be counted).
    pub total_pages: Option<u32>,
    /// Pages of main content, before References/Appendix/... (`None` when rejected).
    pub content_pages: Option<u32>,
    /// Size of the first page (width, height) in points.
    pub paper_size_pt: Option<(f64, f64)>,
    /// Dominant font size of the running text, in points.
    pub body_font_pt: Option<f64>,
    /// Measured extent of body text on content pages: (left, top, right, bottom), in points
    /// from the top-left corner of the page.
    pub text_block_pt: Option<(f64, f64, f64, f64)>,
    /// Time the check took, in milliseconds.
    pub elapsed_ms: f64,
}

impl FormatReport {
    /// A report for a file that could not be checked at all.
    pub(crate) fn rejected(code: Code, message: String) -> Self {
        Self::unmeasured(Violation {
            code,
            severity: Severity::Error,
            pages: Vec::new(),
            message,
        })
    }

    /// A report with nothing measured and one violation; the verdict follows from it.
    pub(crate) fn unmeasured(violation: Violation) -> Self {
        let mut report = FormatReport {
            verdict: Verdict::Pass,
            violations: vec![violation],
            total_pages: None,
            content_pages: None,
            paper_size_pt: None,
            body_font_pt: None,
            text_block_pt: None,
            elapsed_ms: 0.0,
        };
        report.finish();
        report
    }

    /// Sorts violations (errors first) and derives the verdict from them.
    pub(crate) fn finish(&mut self) {
        self.violations
            .sort_by_key(|v| (v.severity == Severity::Warning, v.code));
        self.verdict = if self.violations.iter().any(|v| v.code.is_reject()) {
            Verdict::Reject
        } else if self
            .violations
            .iter()
            .any(|v| v.severity == Severity::Error)
        {
            Verdict::Fail
        } else {
            Verdict::Pass
        };
    }

    /// The distinct codes of all violations, warnings included.
    pub fn codes(&self) -> Vec<Code> {
        let mut codes: Vec<Code> = self.violations.iter().map(|v| v.code).collect();
        codes.sort();
        codes.dedup();
        codes
    }

    /// Error-severity codes of this report that appear in `blocking` (e.g. `Rules::blocking`).
    pub fn blocking_codes(&self, blocking: &[Code]) -> Vec<Code> {
        let mut codes: Vec<Code> = self
            .violations
            .iter()
            .filter(|v| v.severity == Severity::Error && blocking.contains(&v.code))
            .map(|v| v.code)
            .collect();
        codes.sort();
        codes.dedup();
        codes
    }

    /// Whether the app must refuse this upload under the chair's `blocking` list.
    pub fn blocks_upload(&self, blocking: &[Code]) -> bool {
        !self.blocking_codes(blocking).is_empty()
    }

    /// Process exit status for the CLI: 0 pass, 1 fail, 2 reject.
    pub fn exit_status(&self) -> i32 {
        match self.verdict {
            Verdict::Pass => 0,
            Verdict::Fail => 1,
            Verdict::Reject => 2,
        }
    }
}

/// Formats 1-based pages as "page 3" or "pages 1–4, 7".
pub fn describe_pages(pages: &[u32]) -> String {
    let mut sorted = pages.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut ranges: Vec<String> = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let start = sorted[i];
        let mut end = start;
        while i + 1 < sorted.len() && sorted[i + 1] == end + 1 {
            i += 1;
            end = sorted[i];
        }
        ranges.push(if start == end {
            start.to_string()
        } else {
            format!("{start}\u{2013}{end}")
        });
        i += 1;
    }
    let word = if sorted.len() == 1 { "page" } else { "pages" };
    format!("{word} {}", ranges.join(", "))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn page_lists_collapse_into_ranges() {
        assert_eq!(describe_pages(&[3]), "page 3");
        assert_eq!(describe_pages(&[4, 1, 2, 3, 7]), "pages 1\u{2013}4, 7");
    }

    #[test]
    fn warnings_alone_pass_and_reject_codes_win() {
        let mut report = FormatReport::rejected(Code::Corrupt, "x".into());
        assert_eq!(report.verdict, Verdict::Reject);
        report.violations = vec![Violation {
            code: Code::Anonymity,
            severity: Severity::Warning,
            pages: vec![],
            message: String::new(),
        }];
        report.finish();
        assert_eq!(report.verdict, Verdict::Pass);
        assert!(!report.blocks_upload(&[Code::Anonymity]));
    }
}
