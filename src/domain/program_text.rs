//! The chair's line format for the programme: a start time, then one item per line,
//!
//! ```text
//! 08:45
//! 15 | opening | Opening remarks
//! 30 | invited | Learning dynamics from data | Ada Lovelace
//! 15 | talk | Contributed talk: Neural ODEs | Amara Okafor | #12
//! 10 | spotlights | Spotlight presentations | | #7 #3
//! 60 | posters | Poster session 1 | | #3 #7 #12
//! ```
//!
//! `minutes | kind | title | speaker | papers`, trailing fields optional. Parsing reports every
//! bad line with its number; resolving turns `#12` into the accepted paper it names. Pure: the
//! accepted papers, the workshop day and storing the result belong to the handler, and the
//! schedule's own rules (durations, one talk per paper) to [`super::program::schedule`].

use std::collections::HashMap;
use std::fmt;

use chrono::{NaiveDate, NaiveTime};

use super::program::{ItemKind, Program, ProgramError, ProgramItem, ProgramPaper};

/// The longest item: a whole day.
pub const MAX_MINUTES: u32 = 24 * 60;

/// The words of the line format for each kind, in the order the help lists them.
pub const KINDS: [(&str, ItemKind); 8] = [
    ("opening", ItemKind::Opening),
    ("invited", ItemKind::InvitedTalk),
    ("talk", ItemKind::ContributedTalk),
    ("spotlights", ItemKind::Spotlights),
    ("posters", ItemKind::PosterSession),
    ("break", ItemKind::Break),
    ("panel", ItemKind::Panel),
    ("closing", ItemKind::Closing),
];

/// The word that names `kind` in the line format.
pub fn keyword(kind: ItemKind) -> &'static str {
    KINDS
        .iter()
        .find(|(_, k)| *k == kind)
        .map(|(word, _)| *word)
        .unwrap_or("break")
}

/// One item as written, papers still as numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextItem {
    /// 1-based line of the text, for messages.
    pub line: usize,
    pub kind: ItemKind,
    pub title: String,
    pub speaker: String,
    pub minutes: u32,
    pub papers: Vec<i32>,
}

/// A parsed text: the start time of the day and its items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextProgram {
    pub start: NaiveTime,
    pub items: Vec<TextItem>,
}

/// A problem on one line of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Line {}: {}", self.line, self.message)
    }
}

fn fail(line: usize, message: impl Into<String>) -> LineError {
    LineError {
        line,
        message: message.into(),
    }
}

/// Parses the text; on failure, every bad line with what is wrong with it.
pub fn parse(text: &str) -> Result<TextProgram, Vec<LineError>> {
    let mut errors = Vec::new();
    let mut start = None;
    let mut items = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let (line, content) = (index + 1, raw.trim());
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if start.is_none() && !content.contains('|') {
            match parse_start(content) {
                Some(time) => start = Some(time),
                None => errors.push(fail(
                    line,
                    format!("“{content}” is not a start time; the first line is the time the day starts, such as 08:45"),
                )),
            }
            continue;
        }
        if start.is_none() && errors.is_empty() {
            errors.push(fail(
                line,
                "the first line must be the time the day starts, such as 08:45",
            ));
        }
        match parse_item(line, content) {
            Ok(item) => items.push(item),
            Err(e) => errors.push(e),
        }
    }
    match start {
        Some(start) if errors.is_empty() => Ok(TextProgram { start, items }),
        None if errors.is_empty() => Err(vec![fail(
            1,
            "the program is empty; start with the time the day starts, such as 08:45",
        )]),
        _ => Err(errors),
    }
}

fn parse_start(content: &str) -> Option<NaiveTime> {
    let lower = content.to_lowercase();
    let time = lower
        .strip_prefix("start")
        .map(|rest| rest.trim_start_matches(':').trim())
        .unwrap_or(lower.as_str());
    NaiveTime::parse_from_str(time, "%H:%M").ok()
}

fn parse_item(line: usize, content: &str) -> Result<TextItem, LineError> {
    let fields: Vec<&str> = content.split('|').map(str::trim).collect();
    if fields.len() < 2 {
        return Err(fail(
            line,
            "write an item as: minutes | kind | title | speaker | papers",
        ));
    }
    if fields.len() > 5 {
        return Err(fail(
            line,
            "too many “|”: an item has at most five fields (minutes | kind | title | speaker | papers); titles cannot contain “|”",
        ));
    }
    let minutes_text = fields[0];
    let digits = minutes_text
        .strip_suffix("min")
        .unwrap_or(minutes_text)
        .trim();
    let minutes: u32 = digits
        .parse()
        .map_err(|_| fail(line, format!("“{minutes_text}” is not a number of minutes")))?;
    if minutes > MAX_MINUTES {
        return Err(fail(
            line,
            format!("an item cannot last more than {MAX_MINUTES} minutes"),
        ));
    }
    let word = fields[1].to_lowercase();
    let Some(kind) = KINDS.iter().find(|(w, _)| *w == word).map(|(_, k)| *k) else {
        let known: Vec<&str> = KINDS.iter().map(|(w, _)| *w).collect();
        return Err(fail(
            line,
            format!(
                "unknown kind “{}”; use one of {}",
                fields[1],
                known.join(", ")
            ),
        ));
    };
    let field = |i: usize| fields.get(i).map(|s| s.to_string()).unwrap_or_default();
    let mut papers = Vec::new();
    for token in field(4)
        .split([' ', ',', ';', '\t'])
        .filter(|t| !t.is_empty())
    {
        match token.strip_prefix('#').and_then(|n| n.parse::<i32>().ok()) {
            Some(n) if n > 0 => papers.push(n),
            _ => {
                return Err(fail(
                    line,
                    format!("“{token}” is not a paper; write papers by number, such as #12"),
                ));
            }
        }
    }
    Ok(TextItem {
        line,
        kind,
        title: field(2),
        speaker: field(3),
        minutes,
        papers,
    })
}

/// A resolved programme and, for each item, the line it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub program: Program,
    pub lines: Vec<usize>,
}

impl Resolved {
    /// A scheduling problem, told by the line of the item it concerns.
    pub fn locate(&self, error: &ProgramError) -> LineError {
        fail(
            self.lines.get(error.item).copied().unwrap_or(1),
            error.to_string(),
        )
    }
}

/// Builds the programme of `day`, replacing each `#n` by the accepted paper `n`. A
/// contributed talk without a speaker gets its paper's presenter.
pub fn resolve(
    parsed: TextProgram,
    day: NaiveDate,
    accepted: &HashMap<i32, ProgramPaper>,
) -> Result<Resolved, Vec<LineError>> {
    let mut errors = Vec::new();
    let mut items = Vec::with_capacity(parsed.items.len());
    let mut lines = Vec::with_capacity(parsed.items.len());
    for item in parsed.items {
        let mut papers = Vec::with_capacity(item.papers.len());
        for number in &item.papers {
            match accepted.get(number) {
                Some(paper) => papers.push(paper.clone()),
                None => errors.push(fail(
                    item.line,
                    format!("paper #{number} is not an accepted paper"),
                )),
            }
        }
        let speaker = match (item.kind, item.speaker.is_empty(), papers.as_slice()) {
            (ItemKind::ContributedTalk, true, [paper]) => paper.presenter.clone(),
            _ => item.speaker,
        };
        lines.push(item.line);
        items.push(ProgramItem {
            kind: item.kind,
            title: item.title,
            speaker,
            minutes: item.minutes,
            papers,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let start = day.and_time(parsed.start);
    Ok(Resolved {
        program: Program { start, items },
        lines,
    })
}

/// One field of a line: no `|` (it separates fields) and no line break.
fn clean(text: &str) -> String {
    text.replace('|', "/")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The programme in the line format, for the editor's text area.
pub fn to_text(program: &Program) -> String {
    let mut out = format!("{}\n", program.start.format("%H:%M"));
    for item in &program.items {
        let mut fields = vec![
            item.minutes.to_string(),
            keyword(item.kind).to_string(),
            clean(&item.title),
            clean(&item.speaker),
            item.papers
                .iter()
                .map(|p| format!("#{}", p.number))
                .collect::<Vec<_>>()
                .join(" "),
        ];
        while fields.len() > 2 && fields.last().is_some_and(String::is_empty) {
            fields.pop();
        }
        out.push_str(&fields.join(" | "));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::program::{default_program, schedule};

    fn paper(number: i32) -> ProgramPaper {
        ProgramPaper {
            number,
            title: format!("Paper {number}"),
            authors: "Ada Lovelace, Alan Turing".into(),
            presenter: format!("Presenter {number}"),
        }
    }

    fn accepted(numbers: &[i32]) -> HashMap<i32, ProgramPaper> {
        numbers.iter().map(|&n| (n, paper(n))).collect()
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 12, 14).unwrap()
    }

    #[test]
    fn a_program_is_written_one_item_per_line() {
        let text = "# the DLDE day\n08:45\n\n15 | opening | Welcome\n30 | Invited | Learning dynamics | Ada Lovelace\n15 min | talk | | | #12\n10 | spotlights | | | #7, #3\n";
        let parsed = parse(text).unwrap();
        assert_eq!(parsed.start, NaiveTime::from_hms_opt(8, 45, 0).unwrap());
        let lines: Vec<_> = parsed.items.iter().map(|i| i.line).collect();
        assert_eq!(lines, [4, 5, 6, 7]);
        assert_eq!(parsed.items[1].kind, ItemKind::InvitedTalk);
        assert_eq!(parsed.items[1].speaker, "Ada Lovelace");
        assert_eq!(parsed.items[3].papers, [7, 3]);
        let resolved = resolve(parsed, day(), &accepted(&[3, 7, 12])).unwrap();
        assert_eq!(resolved.program.items[2].speaker, "Presenter 12");
        assert_eq!(resolved.program.items[3].papers[0].title, "Paper 7");
        assert_eq!(resolved.program.start, day().and_hms_opt(8, 45, 0).unwrap());
    }

    #[test]
    fn every_bad_line_is_reported_with_its_number() {
        let text = "start 09:00\n15 | keynote | X\nabc | talk\n10 | break | a | b | 12\n5\n15 | a | b | c | d | e";
        let errors = parse(text).unwrap_err();
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 5, "{shown:?}");
        assert!(
            shown[0]
                .starts_with("Line 2: unknown kind “keynote”; use one of opening, invited, talk")
        );
        assert_eq!(shown[1], "Line 3: “abc” is not a number of minutes");
        assert!(shown[2].starts_with("Line 4: “12” is not a paper"));
        assert!(shown[3].starts_with("Line 5: write an item as"));
        assert!(shown[4].starts_with("Line 6: too many “|”"));
    }

    #[test]
    fn the_start_time_comes_first() {
        let errors = parse("15 | opening | Welcome").unwrap_err();
        assert_eq!(errors[0].line, 1);
        assert!(errors[0].message.contains("start"));
        assert!(parse("# nothing\n").is_err());
        let errors = parse("nine o'clock\n15 | opening").unwrap_err();
        assert!(
            errors[0].message.contains("is not a start time"),
            "{errors:?}"
        );
        assert!(parse("10 | break | x").is_err());
        assert!(
            parse("08:45\n1441 | break").unwrap_err()[0]
                .message
                .contains("more than 1440")
        );
    }

    #[test]
    fn papers_must_be_accepted() {
        let parsed = parse("08:45\n15 | talk | | | #4\n60 | posters | | | #4 #9").unwrap();
        let errors = resolve(parsed, day(), &accepted(&[4])).unwrap_err();
        assert_eq!(errors, vec![fail(3, "paper #9 is not an accepted paper")]);
    }

    #[test]
    fn schedule_errors_name_the_line() {
        let parsed = parse("08:45\n\n15 | opening\n15 | talk | Two | | #1 #2").unwrap();
        let resolved = resolve(parsed, day(), &accepted(&[1, 2])).unwrap();
        let error = schedule(&resolved.program, chrono_tz::Tz::UTC).unwrap_err();
        let located = resolved.locate(&error).to_string();
        assert!(
            located.starts_with("Line 4: item 2 “Two” is a contributed talk"),
            "{located}"
        );
    }

    #[test]
    fn the_default_program_round_trips_through_the_text() {
        let program = default_program(
            day(),
            vec![paper(1)],
            vec![paper(2), paper(3)],
            vec![paper(1), paper(2), paper(3)],
        );
        let text = to_text(&program);
        assert!(
            text.starts_with("08:45\n15 | opening | Opening remarks\n"),
            "{text}"
        );
        assert!(text.contains("15 | talk | Contributed talk: Paper 1 | Presenter 1 | #1\n"));
        let resolved = resolve(parse(&text).unwrap(), day(), &accepted(&[1, 2, 3])).unwrap();
        assert_eq!(resolved.program, program);
    }

    #[test]
    fn bars_and_line_breaks_in_titles_cannot_break_the_format() {
        let mut program = default_program(day(), vec![], vec![], vec![]);
        program.items[0].title = "Welcome | bienvenue\nto DLDE".into();
        let text = to_text(&program);
        let parsed = parse(&text).unwrap();
        assert_eq!(parsed.items[0].title, "Welcome / bienvenue to DLDE");
        assert_eq!(parsed.items.len(), program.items.len());
    }
}
