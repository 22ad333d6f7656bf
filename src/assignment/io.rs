//! Reading and writing the `cfp assign --problem DIR` file format: `affinity.csv`
//! (`paper_id,reviewer_id,score`; only listed pairs are candidates), `conflicts.csv`
//! (`paper_id,reviewer_id`), `constraints.json` and the output `paper_id,reviewer_id` CSV.
//!
//! Papers and reviewers are the ids named in `affinity.csv`, numbered in order of first
//! appearance; conflicts naming other ids are ignored (they cannot be assigned anyway).
//! Parsing is by hand on the whole file (no per-row allocation beyond interning new ids);
//! files containing quotes go through the `csv` crate instead.

use crate::assignment::problem::{Candidate, PaperSpec, Problem, ReviewerSpec, Solution};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Errors while reading or writing problem files.
#[derive(Debug, thiserror::Error)]
pub enum IoError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    File {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file's content is malformed.
    #[error("{path}: line {line}: {message}")]
    Format {
        /// The file.
        path: PathBuf,
        /// 1-based line number (0 when unknown).
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// `constraints.json`: the same numbers for every paper and reviewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct Constraints {
    /// Reviews each paper needs.
    #[serde(default = "three")]
    pub reviews_per_paper: u32,
    /// Least papers per reviewer.
    #[serde(default = "three")]
    pub min_papers_per_reviewer: u32,
    /// Most papers per reviewer.
    #[serde(default = "five")]
    pub max_papers_per_reviewer: u32,
}

fn three() -> u32 {
    3
}
fn five() -> u32 {
    5
}

type FxMap = crate::assignment::fxhash::FxMap<Box<[u8]>, u32>;

#[derive(Default)]
struct Interner {
    map: FxMap,
    keys: Vec<String>,
}

impl Interner {
    fn intern(&mut self, id: &[u8]) -> u32 {
        if let Some(&i) = self.map.get(id) {
            return i;
        }
        let i = self.keys.len() as u32;
        self.map.insert(id.into(), i);
        self.keys.push(String::from_utf8_lossy(id).into_owned());
        i
    }
}

fn read(path: &Path) -> Result<Vec<u8>, IoError> {
    std::fs::read(path).map_err(|source| IoError::File {
        path: path.to_path_buf(),
        source,
    })
}

fn format_error(path: &Path, line: usize, message: impl Into<String>) -> IoError {
    IoError::Format {
        path: path.to_path_buf(),
        line,
        message: message.into(),
    }
}

/// Calls `row(line_number, fields)` for every data row of a CSV file, after checking that the
/// header holds `columns` (in any order); fields are passed in the order of `columns`.
fn for_each_row(
    path: &Path,
    columns: &[&str],
    mut row: impl FnMut(usize, &[&[u8]]) -> Result<(), IoError>,
) -> Result<(), IoError> {
    let mut data = read(path)?;
    if data.starts_with(b"\xEF\xBB\xBF") {
        data.drain(..3);
    }
    let quoted = data.contains(&b'"');
    let mut lines = data.split(|&b| b == b'\n');
    let header = lines.next().unwrap_or(&[]);
    let header: Vec<&[u8]> = trim_cr(header).split(|&b| b == b',').collect();
    let mut index = Vec::with_capacity(columns.len());
    for c in columns {
        let i = header
            .iter()
            .position(|h| h.trim_ascii() == c.as_bytes())
            .ok_or_else(|| format_error(path, 1, format!("missing column {c}")))?;
        index.push(i);
    }
    let mut fields: Vec<&[u8]> = Vec::with_capacity(header.len());
    let mut picked: Vec<&[u8]> = vec![&[]; columns.len()];
    if quoted {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(&data[..]);
        let mut record = csv::ByteRecord::new();
        let mut line = 1;
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => return Err(format_error(path, line, e.to_string())),
            }
            line += 1;
            let mut got = Vec::with_capacity(columns.len());
            for &i in &index {
                got.push(
                    record
                        .get(i)
                        .ok_or_else(|| format_error(path, line, "missing field"))?,
                );
            }
            row(line, &got)?;
        }
        return Ok(());
    }
    for (n, line) in lines.enumerate() {
        let line = trim_cr(line);
        if line.is_empty() {
            continue;
        }
        fields.clear();
        fields.extend(line.split(|&b| b == b','));
        for (slot, &i) in picked.iter_mut().zip(&index) {
            *slot = fields
                .get(i)
                .copied()
                .ok_or_else(|| format_error(path, n + 2, "missing field"))?;
        }
        row(n + 2, &picked)?;
    }
    Ok(())
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Reads `affinity.csv`, `conflicts.csv` (optional) and `constraints.json` from `dir`.
pub fn read_problem(dir: &Path) -> Result<Problem, IoError> {
    let path = dir.join("constraints.json");
    let constraints: Constraints = serde_json::from_slice(&read(&path)?)
        .map_err(|e| format_error(&path, e.line(), e.to_string()))?;
    let mut papers = Interner::default();
    let mut reviewers = Interner::default();
    let mut candidates = Vec::new();
    let path = dir.join("affinity.csv");
    let mut last_paper: Vec<u8> = Vec::new();
    let mut last_index = 0u32;
    for_each_row(&path, &["paper_id", "reviewer_id", "score"], |line, f| {
        let score = std::str::from_utf8(f[2])
            .ok()
            .and_then(|s| s.trim().parse::<f64>().ok())
            .ok_or_else(|| format_error(&path, line, "score is not a number"))?;
        // Rows come grouped by paper: skip the lookup when the paper repeats.
        if f[0] != last_paper.as_slice() {
            last_paper.clear();
            last_paper.extend_from_slice(f[0]);
            last_index = papers.intern(f[0]);
        }
        candidates.push(Candidate {
            paper: last_index as usize,
            reviewer: reviewers.intern(f[1]) as usize,
            affinity: score,
        });
        Ok(())
    })?;
    let mut conflicts = Vec::new();
    let path = dir.join("conflicts.csv");
    if path.exists() {
        for_each_row(&path, &["paper_id", "reviewer_id"], |_, f| {
            if let (Some(&p), Some(&r)) = (papers.map.get(f[0]), reviewers.map.get(f[1])) {
                conflicts.push((p as usize, r as usize));
            }
            Ok(())
        })?;
    }
    Ok(Problem {
        papers: papers
            .keys
            .into_iter()
            .map(|key| PaperSpec {
                key,
                reviews_needed: constraints.reviews_per_paper,
            })
            .collect(),
        reviewers: reviewers
            .keys
            .into_iter()
            .map(|key| ReviewerSpec {
                key,
                min_load: constraints.min_papers_per_reviewer,
                max_load: constraints.max_papers_per_reviewer,
            })
            .collect(),
        candidates,
        conflicts,
        fixed: Vec::new(),
    })
}

/// Writes `paper_id,reviewer_id` rows for every pair of `solution`.
pub fn write_assignment(
    path: &Path,
    problem: &Problem,
    solution: &Solution,
) -> Result<(), IoError> {
    let err = |source| IoError::File {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::create(path).map_err(err)?;
    let mut out = std::io::BufWriter::new(file);
    let mut write = || -> std::io::Result<()> {
        out.write_all(b"paper_id,reviewer_id\n")?;
        for &(p, r) in &solution.pairs {
            writeln!(
                out,
                "{},{}",
                quote(&problem.papers[p].key),
                quote(&problem.reviewers[r].key)
            )?;
        }
        out.flush()
    };
    write().map_err(err)
}

/// CSV-quotes a field when it needs it.
fn quote(field: &str) -> std::borrow::Cow<'_, str> {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\"")).into()
    } else {
        field.into()
    }
}
