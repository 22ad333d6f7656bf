//! The chair-editable settings of the format check (`Rules`), the violation vocabulary (`Code`,
//! `Severity`) and the author identities the anonymity rule searches for.
//!
//! Nothing here measures anything; the measuring lives in the sibling modules.

use serde::{Deserialize, Serialize};

/// Whether the PDF is a double-blind submission or a camera-ready (final) version.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Anonymous submission: the anonymity rule applies.
    #[default]
    Submission,
    /// Camera-ready: author names are expected, no anonymity rule.
    Final,
}

/// Machine-readable name of a problem found in a PDF.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// Pages are not US Letter.
    PaperSize,
    /// Body text outside the NeurIPS text block.
    Margins,
    /// Body font smaller than the minimum.
    FontSize,
    /// More main-content pages than allowed.
    PageLimit,
    /// The PDF names an author (submission mode only).
    Anonymity,
    /// The file is not a PDF at all.
    NotPdf,
    /// The PDF is password-protected.
    Encrypted,
    /// The PDF is damaged or truncated at the level of its file structure.
    Corrupt,
    /// Not everything could be checked (a budget or cap was hit, or a feature the checker does
    /// not read): a notice for the author and a flag for chairs, never an error, never blocking.
    /// Reports stored before it existed said `too_complex` (and refused the file).
    #[serde(alias = "too_complex")]
    CheckedPartly,
}

impl Code {
    /// The snake_case name used in JSON and in the CLI output.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::PaperSize => "paper_size",
            Code::Margins => "margins",
            Code::FontSize => "font_size",
            Code::PageLimit => "page_limit",
            Code::Anonymity => "anonymity",
            Code::NotPdf => "not_pdf",
            Code::Encrypted => "encrypted",
            Code::Corrupt => "corrupt",
            Code::CheckedPartly => "checked_partly",
        }
    }

    /// Codes that make the file certainly unreadable (not a PDF, encrypted, unparseable file
    /// structure): the verdict is `reject`. Nothing else ever refuses a file.
    pub fn is_reject(self) -> bool {
        matches!(self, Code::NotPdf | Code::Encrypted | Code::Corrupt)
    }
}

/// How serious a violation is: errors fail the check, warnings are advice.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Fails the check.
    Error,
    /// Shown to the author, does not fail the check.
    Warning,
}

/// One author as typed into the submission form.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
pub struct AuthorIdentity {
    /// Full name, e.g. "Zoë Müller".
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Affiliation; informational only (affiliations are too common to be evidence of a leak).
    #[serde(default)]
    pub affiliation: Option<String>,
}

/// Resource caps that keep one check bounded in time and memory. What hits one is reported as
/// `checked_partly` (with what was and was not checked), never refused.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Limits {
    /// Wall-clock budget of one check, in milliseconds (checked cooperatively).
    pub time_budget_ms: u64,
    /// Largest file accepted, in bytes.
    pub max_file_bytes: usize,
    /// Largest number of PDF objects.
    pub max_objects: usize,
    /// Largest number of pages.
    pub max_pages: usize,
    /// Largest number of characters over the whole document.
    pub max_glyphs: usize,
    /// Largest size one stream may unpack to, in bytes.
    pub max_stream_bytes: usize,
    /// Largest size all streams of one document may unpack to together, in bytes.
    pub max_document_bytes: usize,
    /// Largest size the streams of all checks running at once may hold together, in bytes.
    pub max_pool_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            time_budget_ms: 5_000,
            max_file_bytes: 64 * 1024 * 1024,
            max_objects: 500_000,
            max_pages: 400,
            max_glyphs: 4_000_000,
            max_stream_bytes: 64 << 20,
            max_document_bytes: 256 << 20,
            max_pool_bytes: 768 << 20,
        }
    }
}

/// Everything a chair can tune. Defaults are the NeurIPS 2021 style in submission mode.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Rules {
    /// Submission (anonymous) or final (camera-ready).
    pub mode: Mode,
    /// Expected page width in points (US Letter: 612).
    pub paper_width_pt: f64,
    /// Expected page height in points (US Letter: 792).
    pub paper_height_pt: f64,
    /// Allowed difference of page dimensions, in points.
    pub paper_tolerance_pt: f64,
    /// Left edge of the text block, measured from the left page edge (1.5 in).
    pub text_left_pt: f64,
    /// Top edge of the text block, measured from the top page edge (1 in).
    pub text_top_pt: f64,
    /// Width of the text block (5.5 in).
    pub text_width_pt: f64,
    /// Height of the text block (9 in).
    pub text_height_pt: f64,
    /// How far a line may stick out of the text block before it counts as outside.
    pub margin_tolerance_pt: f64,
    /// A page breaks the margin rule when at least this many lines stick out ...
    pub margin_min_lines_per_page: usize,
    /// ... and they are at least this fraction of the page's body lines.
    pub margin_min_fraction_per_page: f64,
    /// Smallest allowed body font size, in points.
    pub min_body_font_pt: f64,
    /// Largest number of main-content pages.
    pub page_limit: u32,
    /// Codes that stop an upload; the app decides with [`crate::format_check::FormatReport::blocks_upload`].
    pub blocking: Vec<Code>,
    /// Resource caps.
    pub limits: Limits,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            mode: Mode::Submission,
            paper_width_pt: 612.0,
            paper_height_pt: 792.0,
            paper_tolerance_pt: 3.0,
            text_left_pt: 108.0,
            text_top_pt: 72.0,
            text_width_pt: 396.0,
            text_height_pt: 648.0,
            margin_tolerance_pt: 4.0,
            margin_min_lines_per_page: 3,
            margin_min_fraction_per_page: 0.05,
            min_body_font_pt: 9.5,
            page_limit: 4,
            blocking: vec![
                Code::NotPdf,
                Code::Corrupt,
                Code::Encrypted,
                Code::PageLimit,
                Code::PaperSize,
            ],
            limits: Limits::default(),
        }
    }
}
