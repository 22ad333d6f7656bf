//! Rule-by-rule tests on synthetic PDFs: each rule exactly at its tolerance and just beyond.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::format_check::synthetic::{FILLER, SynthDoc, SynthPage, paper};
use crate::format_check::{
    AuthorIdentity, Code, FormatReport, Mode, Rules, Severity, Verdict, check,
};

fn run(doc: &SynthDoc) -> FormatReport {
    check(&doc.build(), &Rules::default(), &[])
}

fn run_with(doc: &SynthDoc, authors: &[AuthorIdentity]) -> FormatReport {
    check(&doc.build(), &Rules::default(), authors)
}

fn zoe() -> AuthorIdentity {
    AuthorIdentity {
        name: "Zoë Müller".into(),
        email: "zoe.mueller@example.org".into(),
        affiliation: None,
    }
}

/// A compliant two-page paper with one extra line on page 1.
fn with_line(x: f32, y: f32, size: f32, text: &str) -> SynthDoc {
    let mut doc = paper(2, false);
    doc.pages[0] = doc.pages[0].clone().line(x, y, size, text);
    doc
}

#[test]
fn compliant_paper_passes_with_page_counts() {
    let report = run(&paper(2, false));
    assert_eq!(report.verdict, Verdict::Pass, "{report:?}");
    assert!(report.violations.is_empty(), "{:?}", report.violations);
    assert_eq!(report.total_pages, Some(3));
    assert_eq!(report.content_pages, Some(2));
    assert_eq!(report.body_font_pt, Some(10.0));
    assert_eq!(report.paper_size_pt, Some((612.0, 792.0)));
}

#[test]
fn references_heading_mid_page_counts_that_page() {
    let report = run(&paper(5, false));
    assert_eq!(report.content_pages, Some(5));
    assert_eq!(report.codes(), vec![Code::PageLimit]);
    assert_eq!(report.verdict, Verdict::Fail);
    let limit = Rules {
        page_limit: 5,
        ..Rules::default()
    };
    let report = check(&paper(5, false).build(), &limit, &[]);
    assert_eq!(report.verdict, Verdict::Pass);
}

#[test]
fn references_heading_at_top_of_page_does_not_count_that_page() {
    let report = run(&paper(4, true));
    assert_eq!(report.content_pages, Some(4), "{report:?}");
    assert_eq!(report.total_pages, Some(5));
    assert_eq!(report.verdict, Verdict::Pass);
}

#[test]
fn the_word_references_in_running_text_is_not_a_heading() {
    let mut doc = paper(5, false);
    doc.pages[1] = doc.pages[1]
        .clone()
        .line(108.0, 714.0, 10.0, "as listed in the references.");
    let report = run(&doc);
    assert_eq!(report.content_pages, Some(5));
}

#[test]
fn margins_allow_the_tolerance_and_a_stray_line() {
    // Every line 4 pt (the tolerance) into the left margin: still inside.
    let mut doc = paper(2, false);
    for page in &mut doc.pages {
        for line in &mut page.lines {
            if line.x == 108.0 {
                line.x = 104.0;
            }
        }
    }
    assert!(!run(&doc).codes().contains(&Code::Margins));
    // One line far outside is a stray, not a margin violation.
    let report = run(&with_line(60.0, 500.0, 10.0, "stray overfull line"));
    assert!(!report.codes().contains(&Code::Margins), "{report:?}");
}

#[test]
fn margins_fail_just_beyond_the_tolerance() {
    let mut doc = paper(2, false);
    for page in &mut doc.pages {
        for line in &mut page.lines {
            if line.x == 108.0 {
                line.x = 103.0;
            }
        }
    }
    let report = run(&doc);
    assert_eq!(report.codes(), vec![Code::Margins], "{report:?}");
    let message = &report.violations[0].message;
    assert!(message.contains("left margin"), "{message}");
    assert!(message.contains("pages 1\u{2013}2"), "{message}");
}

#[test]
fn text_below_the_block_is_outside_but_line_numbers_and_page_numbers_are_not() {
    let mut doc = paper(2, false);
    for y in [730.0, 742.0, 754.0] {
        doc.pages[0] = doc.pages[0].clone().line(108.0, y, 10.0, FILLER);
    }
    assert_eq!(run(&doc).codes(), vec![Code::Margins]);
    // paper() already has line numbers at x = 95 and page numbers at y = 750.
    assert!(run(&paper(2, false)).violations.is_empty());
}

#[test]
fn body_font_at_the_minimum_passes_and_below_fails() {
    let mut doc = paper(2, false);
    for page in &mut doc.pages {
        for line in &mut page.lines {
            if line.size == 10.0 {
                line.size = 9.5;
            }
        }
    }
    let report = run(&doc);
    assert_eq!(report.body_font_pt, Some(9.5));
    assert!(!report.codes().contains(&Code::FontSize), "{report:?}");
    for page in &mut doc.pages {
        for line in &mut page.lines {
            if line.size == 9.5 {
                line.size = 9.4;
            }
        }
    }
    let report = run(&doc);
    assert_eq!(report.codes(), vec![Code::FontSize], "{report:?}");
    assert!(report.violations[0].message.contains("9.4 pt"));
}

#[test]
fn paper_size_tolerance_is_three_points() {
    let mut doc = paper(1, false);
    for page in &mut doc.pages {
        page.width = 615.0;
    }
    assert!(!run(&doc).codes().contains(&Code::PaperSize));
    for page in &mut doc.pages {
        page.width = 616.0;
    }
    assert_eq!(run(&doc).codes(), vec![Code::PaperSize]);
    for page in &mut doc.pages {
        page.width = 595.28;
        page.height = 841.89;
    }
    let report = run(&doc);
    assert_eq!(report.codes(), vec![Code::PaperSize]);
    assert!(report.violations[0].message.contains("A4"));
}

#[test]
fn full_name_matches_without_accents_and_case() {
    let report = run_with(
        &with_line(108.0, 705.0, 10.0, "Thanks to ZOE MULLER."),
        &[zoe()],
    );
    assert_eq!(report.codes(), vec![Code::Anonymity], "{report:?}");
    assert_eq!(report.violations[0].pages, vec![1]);
    let report = run_with(
        &with_line(108.0, 705.0, 10.0, "Thanks to Zo\u{eb} M\u{fc}ller."),
        &[zoe()],
    );
    assert_eq!(report.codes(), vec![Code::Anonymity]);
}

#[test]
fn email_is_a_leak() {
    let report = run_with(
        &with_line(108.0, 705.0, 10.0, "Contact: zoe.mueller@example.org"),
        &[zoe()],
    );
    assert_eq!(report.verdict, Verdict::Fail);
    assert_eq!(report.codes(), vec![Code::Anonymity]);
}

#[test]
fn surname_alone_is_not_a_leak_but_in_a_self_citation_it_is() {
    let citing = with_line(
        108.0,
        705.0,
        10.0,
        "as shown by M\u{fc}ller et al. [3] for solvers",
    );
    assert_eq!(run_with(&citing, &[zoe()]).verdict, Verdict::Pass);
    let own = with_line(
        108.0,
        705.0,
        10.0,
        "as in our previous work by M\u{fc}ller et al. [3]",
    );
    assert_eq!(run_with(&own, &[zoe()]).codes(), vec![Code::Anonymity]);
}

#[test]
fn metadata_author_is_a_leak() {
    let mut doc = paper(2, false);
    doc.info_author = Some("Zoë Müller".into());
    let report = run_with(&doc, &[zoe()]);
    assert_eq!(report.codes(), vec![Code::Anonymity]);
    assert!(report.violations[0].message.contains("Author"));
}

#[test]
fn final_mode_skips_anonymity() {
    let doc = with_line(108.0, 705.0, 10.0, "Zoe Muller, zoe.mueller@example.org");
    let rules = Rules {
        mode: Mode::Final,
        ..Rules::default()
    };
    assert_eq!(check(&doc.build(), &rules, &[zoe()]).verdict, Verdict::Pass);
}

#[test]
fn missing_anonymous_block_is_only_a_warning() {
    let mut doc = paper(2, false);
    doc.pages[0]
        .lines
        .retain(|l| !l.text.starts_with("Anonymous"));
    let report = run(&doc);
    assert_eq!(report.verdict, Verdict::Pass);
    assert_eq!(report.codes(), vec![Code::Anonymity]);
    assert_eq!(report.violations[0].severity, Severity::Warning);
}

#[test]
fn non_pdfs_encrypted_and_truncated_files_are_rejected() {
    let rules = Rules::default();
    let report = check(b"", &rules, &[]);
    assert_eq!(
        (report.verdict, report.codes()),
        (Verdict::Reject, vec![Code::NotPdf])
    );
    assert!(report.violations[0].message.contains("empty file"));
    let report = check(b"\x89PNG\r\n\x1a\n\0\0", &rules, &[]);
    assert!(report.violations[0].message.contains("PNG image"));
    let bytes = paper(1, false).build();
    let report = check(&bytes[..bytes.len() * 2 / 5], &rules, &[]);
    assert_eq!(
        (report.verdict, report.codes()),
        (Verdict::Reject, vec![Code::Corrupt])
    );
    let encrypted = String::from_utf8_lossy(&bytes).replacen(
        "trailer\n<<",
        "trailer\n<<\n  /Encrypt << /Filter /Standard /V 5 /R 6 /Length 256 /O <00> /U <00> /P -4 >>",
        1,
    );
    let report = check(encrypted.as_bytes(), &rules, &[]);
    assert_eq!(report.codes(), vec![Code::Encrypted], "{report:?}");
    assert!(report.violations[0].message.contains("password"));
}

#[test]
fn caps_make_a_partial_check_never_a_refusal() {
    let bytes = paper(3, false).build();
    let mut rules = Rules::default();
    rules.limits.max_pages = 2;
    let report = check(&bytes, &rules, &[]);
    assert_eq!(
        (report.verdict, report.codes()),
        (Verdict::Pass, vec![Code::CheckedPartly])
    );
    let message = &report.violations[0].message;
    assert!(message.contains("checked partly (pages 3"), "{message}");
    assert!(message.contains("at most 2 pages"), "{message}");
    assert_eq!(report.total_pages, Some(4));
    assert!(!report.blocks_upload(&[Code::CheckedPartly]));
    let mut rules = Rules::default();
    rules.limits.time_budget_ms = 0;
    let report = check(&bytes, &rules, &[]);
    assert_eq!(report.codes(), vec![Code::CheckedPartly]);
    assert_eq!(
        report.content_pages, None,
        "the page limit cannot be judged"
    );
    let mut rules = Rules::default();
    rules.limits.max_file_bytes = 100;
    let report = check(&bytes, &rules, &[]);
    assert_eq!(
        (report.verdict, report.codes()),
        (Verdict::Pass, vec![Code::CheckedPartly])
    );
}

#[test]
fn chairs_choose_what_blocks() {
    let report = run(&paper(5, false));
    assert!(report.blocks_upload(&Rules::default().blocking));
    assert!(!report.blocks_upload(&[Code::Margins]));
    assert_eq!(
        report.blocking_codes(&Rules::default().blocking),
        vec![Code::PageLimit]
    );
}

#[test]
fn rules_and_reports_round_trip_through_json() {
    let rules = Rules::default();
    let json = serde_json::to_string(&rules).unwrap();
    assert_eq!(serde_json::from_str::<Rules>(&json).unwrap(), rules);
    let partial: Rules = serde_json::from_str(r#"{"page_limit": 8, "mode": "final"}"#).unwrap();
    assert_eq!((partial.page_limit, partial.mode), (8, Mode::Final));
    let report = run(&paper(5, false));
    let json = serde_json::to_string(&report).unwrap();
    assert!(json.contains(r#""code":"page_limit""#), "{json}");
    assert!(json.contains(r#""verdict":"fail""#));
    assert_eq!(serde_json::from_str::<FormatReport>(&json).unwrap(), report);
}

#[test]
fn the_builder_puts_text_where_asked() {
    // Guards the builder itself: positions come back where they were put.
    let doc = SynthDoc::new(vec![SynthPage::letter().line(150.0, 200.0, 10.0, FILLER)]);
    let report = run(&doc);
    assert_eq!(report.total_pages, Some(1));
    let (left, _, _, bottom) = report.text_block_pt.expect("one measured line");
    assert!((left - 150.0).abs() < 0.5 && (bottom - 200.0).abs() < 0.5);
}
