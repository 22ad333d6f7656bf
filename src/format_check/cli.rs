//! `cfp check-pdf FILE [--author "Full Name <email>"]... [--page-limit N] [--final] [--json]`
//!
//! Exit status: 0 pass, 1 fail, 2 reject (also for a file that cannot be read). `--json` prints
//! the report as one JSON object on one line; otherwise a readable summary.

use std::path::PathBuf;

use crate::format_check::report::FormatReport;
use crate::format_check::rules::{AuthorIdentity, Mode, Rules, Severity};

/// Arguments of `cfp check-pdf`.
#[derive(clap::Args, Debug, Clone)]
pub struct CheckPdfArgs {
    /// The PDF to check.
    pub file: PathBuf,
    /// An author to look for in submission mode, as "Full Name <email>" (repeatable).
    #[arg(long = "author", value_name = "NAME <EMAIL>")]
    pub authors: Vec<String>,
    /// Maximum number of main-content pages (default 4).
    #[arg(long, value_name = "N")]
    pub page_limit: Option<u32>,
    /// Camera-ready mode: skip the anonymity rule.
    #[arg(long = "final")]
    pub final_mode: bool,
    /// Print the report as one line of JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs the check and prints the report; returns the process exit status.
pub fn run(args: &CheckPdfArgs) -> i32 {
    let bytes = match std::fs::read(&args.file) {
        Ok(bytes) => bytes,
        Err(err) => {
            eprintln!("cfp check-pdf: cannot read {}: {err}", args.file.display());
            return 2;
        }
    };
    let mut rules = Rules::default();
    if let Some(limit) = args.page_limit {
        rules.page_limit = limit;
    }
    if args.final_mode {
        rules.mode = Mode::Final;
    }
    let authors: Vec<AuthorIdentity> = args.authors.iter().map(|a| parse_author(a)).collect();
    let report = crate::format_check::check(&bytes, &rules, &authors);
    if args.json {
        match serde_json::to_string(&report) {
            Ok(line) => println!("{line}"),
            Err(err) => {
                eprintln!("cfp check-pdf: cannot serialise the report: {err}");
                return 2;
            }
        }
    } else {
        print!("{}", summary(&args.file.display().to_string(), &report));
    }
    report.exit_status()
}

/// Parses "Full Name <email>"; a bare string without angle brackets is a name (or an e-mail if
/// it contains '@').
pub fn parse_author(spec: &str) -> AuthorIdentity {
    let spec = spec.trim();
    if let (Some(open), true) = (spec.rfind('<'), spec.ends_with('>')) {
        return AuthorIdentity {
            name: spec[..open].trim().to_string(),
            email: spec[open + 1..spec.len() - 1].trim().to_string(),
            affiliation: None,
        };
    }
    if spec.contains('@') && !spec.contains(' ') {
        AuthorIdentity {
            name: String::new(),
            email: spec.to_string(),
            affiliation: None,
        }
    } else {
        AuthorIdentity {
            name: spec.to_string(),
            email: String::new(),
            affiliation: None,
        }
    }
}

/// Human-readable summary of a report.
pub fn summary(file: &str, report: &FormatReport) -> String {
    let mut out = format!(
        "{file}: {}\n",
        match report.verdict {
            crate::format_check::Verdict::Pass => "PASS",
            crate::format_check::Verdict::Fail => "FAIL",
            crate::format_check::Verdict::Reject => "REJECT",
        }
    );
    if let (Some(total), Some(content)) = (report.total_pages, report.content_pages) {
        out.push_str(&format!(
            "  pages: {content} of main content, {total} in total\n"
        ));
    }
    if let Some((w, h)) = report.paper_size_pt {
        out.push_str(&format!("  paper: {w} \u{d7} {h} pt\n"));
    }
    if let Some(size) = report.body_font_pt {
        out.push_str(&format!("  body font: {size} pt\n"));
    }
    for v in &report.violations {
        let level = match v.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&format!("  {level} [{}]: {}\n", v.code.as_str(), v.message));
    }
    out.push_str(&format!("  checked in {:.1} ms\n", report.elapsed_ms));
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn author_specs_parse() {
        let a = parse_author("Łucja Kamińska <lucja.kaminska@uj.edu.pl>");
        assert_eq!(a.name, "Łucja Kamińska");
        assert_eq!(a.email, "lucja.kaminska@uj.edu.pl");
        assert_eq!(parse_author("x@y.org").email, "x@y.org");
        assert_eq!(parse_author("Grace Kim").name, "Grace Kim");
    }
}
