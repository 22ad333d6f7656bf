//! Papers with one known property, for the app's tests and for anyone trying the upload path:
//! a compliant anonymous paper of a chosen length, and papers that break exactly one format
//! rule (too many pages, a 9 pt body, printed author names, an author in the PDF's metadata).
//!
//! Each is a real NeurIPS-layout PDF from the demo typesetter, so what the format checker says
//! about it follows from how it was made: the labels are the construction, not the checker's
//! answer. A file that is not a PDF at all (a PNG renamed) is here too, for the refusal path.

use crate::demo::content::{DemoPerson, DemoSubmission, DemoTrack};
use crate::demo::layout::BODY;
use crate::demo::pdf::{info_dictionary, lay_out};
use crate::demo::pdf_file::{Mark, write_pdf};

/// What a test paper is made to be.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TestPaper {
    /// An anonymous paper that follows every rule, with this many pages of main content
    /// (1–4) before its references.
    Compliant(u32),
    /// An anonymous paper with 5 pages of main content: over the 4-page limit.
    OverPageLimit,
    /// An anonymous, 2-page paper whose running text is set in 9 pt instead of 10 pt.
    SmallFont,
    /// A 2-page paper that prints its authors' names, affiliations and emails under the title
    /// (a camera-ready copy; in the anonymous submission it breaks anonymity).
    NamedAuthors,
    /// An anonymous 2-page body whose document information names this author.
    MetadataAuthor(String),
    /// A PNG image with a `.pdf` name.
    PngNotPdf,
}

/// The authors printed by [`TestPaper::NamedAuthors`].
pub const NAMED_AUTHORS: [(&str, &str, &str); 2] = [
    ("Grace Kim", "gracekim@stanford.edu", "Stanford University"),
    (
        "Amara Nwosu",
        "amara.nwosu@uct.ac.za",
        "University of Cape Town",
    ),
];

/// The bytes of `paper`; deterministic.
pub fn test_paper(paper: &TestPaper) -> Vec<u8> {
    match paper {
        TestPaper::Compliant(pages) => anonymous(&submission((*pages).clamp(1, 4)), None, 1.0),
        TestPaper::OverPageLimit => anonymous(&submission(5), None, 1.0),
        TestPaper::SmallFont => anonymous(&submission(2), None, 0.9),
        TestPaper::MetadataAuthor(name) => anonymous(&submission(2), Some(name), 1.0),
        TestPaper::NamedAuthors => crate::demo::paper_pdf(&submission(2), false),
        TestPaper::PngNotPdf => PNG_1X1.to_vec(),
    }
}

/// An anonymous paper, its running text scaled by `body_scale`, with `author` (if any) in the
/// document information.
fn anonymous(sub: &DemoSubmission, author: Option<&String>, body_scale: f32) -> Vec<u8> {
    let mut paper = lay_out(sub, true);
    if body_scale != 1.0 {
        for mark in paper.pages.iter_mut().flat_map(|p| p.marks.iter_mut()) {
            if let Mark::Text { size, .. } = mark
                && *size == BODY.size
            {
                *size *= body_scale;
            }
        }
    }
    let mut info = info_dictionary(sub, true);
    if let Some(name) = author {
        info.push(("Author", name.clone()));
    }
    let info: Vec<(&str, &str)> = info.iter().map(|(k, v)| (*k, v.as_str())).collect();
    write_pdf(&paper.pages, &info)
}

fn submission(content_pages: u32) -> DemoSubmission {
    DemoSubmission {
        track: DemoTrack::Paper,
        title: "Stable neural ODEs for stiff chemical kinetics".into(),
        abstract_text: "We learn stiff dynamics with implicit layers. Explicit solvers inside a \
                        neural ODE take tiny steps on stiff chemical kinetics and training stalls; \
                        an implicit layer with an adjoint through the linear solve keeps the \
                        step size stable and the gradients exact. On three reaction networks the \
                        learned models match the reference trajectories and train several times \
                        faster than their explicit counterparts."
            .into(),
        keywords: vec!["Neural ODEs".into(), "stiffness".into()],
        authors: NAMED_AUTHORS
            .iter()
            .map(|(name, email, affiliation)| DemoPerson {
                name: (*name).into(),
                email: (*email).into(),
                affiliation: (*affiliation).into(),
            })
            .collect(),
        main_author: 0,
        content_pages,
    }
}

/// A complete 1×1 PNG image.
const PNG_1X1: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, b'I', b'H', b'D', b'R',
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, b'I', b'D', b'A', b'T', 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, b'I', b'E', b'N', b'D', 0xAE,
    0x42, 0x60, 0x82,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format_check::{AuthorIdentity, Code, Mode, Rules, Verdict, check};

    fn listed() -> Vec<AuthorIdentity> {
        NAMED_AUTHORS
            .iter()
            .map(|(name, email, affiliation)| AuthorIdentity {
                name: (*name).into(),
                email: (*email).into(),
                affiliation: Some((*affiliation).into()),
            })
            .collect()
    }

    fn codes(paper: &TestPaper, rules: &Rules) -> (Verdict, Vec<Code>) {
        let report = check(&test_paper(paper), rules, &listed());
        let codes = report.violations.iter().map(|v| v.code).collect();
        (report.verdict, codes)
    }

    #[test]
    fn each_test_paper_gets_the_verdict_its_construction_implies() {
        let rules = Rules::default();
        for pages in 1..=4 {
            let report = check(&test_paper(&TestPaper::Compliant(pages)), &rules, &listed());
            assert_eq!(report.verdict, Verdict::Pass, "{pages} pages: {report:?}");
            assert_eq!(report.content_pages, Some(pages));
        }
        assert_eq!(
            codes(&TestPaper::OverPageLimit, &rules),
            (Verdict::Fail, vec![Code::PageLimit])
        );
        assert_eq!(
            codes(&TestPaper::SmallFont, &rules),
            (Verdict::Fail, vec![Code::FontSize])
        );
        let named = codes(&TestPaper::NamedAuthors, &rules);
        assert_eq!(named.0, Verdict::Fail);
        assert!(named.1.contains(&Code::Anonymity), "{named:?}");
        let meta = codes(&TestPaper::MetadataAuthor("Grace Kim".into()), &rules);
        assert!(meta.1.contains(&Code::Anonymity), "{meta:?}");
        assert_eq!(
            codes(&TestPaper::PngNotPdf, &rules),
            (Verdict::Reject, vec![Code::NotPdf])
        );
    }

    #[test]
    fn the_named_paper_passes_as_a_camera_ready_copy() {
        let rules = Rules {
            mode: Mode::Final,
            ..Rules::default()
        };
        assert_eq!(
            codes(&TestPaper::NamedAuthors, &rules),
            (Verdict::Pass, vec![])
        );
    }
}
