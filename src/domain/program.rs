//! The public programme of a one-day workshop: the chair's ordered list of items, their schedule
//! in the conference time zone, a default day to start editing from, and the iCalendar (.ics)
//! export. Pure: loading papers and settings, storing the programme and rendering the page live
//! with the handlers.

use std::collections::HashMap;
use std::fmt;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Minutes each spotlight gets; a spotlight block must be at least this times its papers.
pub const SPOTLIGHT_MINUTES: u32 = 5;
/// Minutes of a contributed talk in the default programme.
pub const CONTRIBUTED_TALK_MINUTES: u32 = 15;
const CALENDAR_HEAD: [&str; 5] = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//cfp//program//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
];
const OPENING_TIME: NaiveTime = match NaiveTime::from_hms_opt(8, 45, 0) {
    Some(time) => time,
    None => panic!("08:45 is a valid time"),
};

/// What an item is; decides its label and which papers it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Opening,
    InvitedTalk,
    ContributedTalk,
    Spotlights,
    PosterSession,
    Break,
    Panel,
    Closing,
}

impl ItemKind {
    /// The human name, used when the chair leaves an item's title blank.
    pub fn label(self) -> &'static str {
        match self {
            ItemKind::Opening => "Opening remarks",
            ItemKind::InvitedTalk => "Invited talk",
            ItemKind::ContributedTalk => "Contributed talk",
            ItemKind::Spotlights => "Spotlight presentations",
            ItemKind::PosterSession => "Poster session",
            ItemKind::Break => "Break",
            ItemKind::Panel => "Panel discussion",
            ItemKind::Closing => "Closing remarks",
        }
    }
}

/// An accepted paper as the programme shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgramPaper {
    pub number: i32,
    pub title: String,
    pub authors: String,
    pub presenter: String,
}

/// One entry of the day. A contributed talk holds exactly one paper, a spotlight block one or
/// more, a poster session any number; other kinds normally hold none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgramItem {
    pub kind: ItemKind,
    pub title: String,
    /// May be empty, e.g. an invited speaker not yet confirmed.
    pub speaker: String,
    pub minutes: u32,
    #[serde(default)]
    pub papers: Vec<ProgramPaper>,
}

impl ProgramItem {
    /// The title, or the kind's label when the title is blank.
    pub fn display_title(&self) -> &str {
        match self.title.trim() {
            "" => self.kind.label(),
            title => title,
        }
    }
}

/// The whole day: items run back to back from `start`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Program {
    /// Wall-clock time in the conference time zone.
    pub start: NaiveDateTime,
    pub items: Vec<ProgramItem>,
}

/// When one item takes place; `item` indexes `Program::items`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    pub item: usize,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    /// "09:00" in the conference time zone.
    pub local_start: String,
    pub local_end: String,
}

/// Why a programme cannot be scheduled: the first offending item (0-based index, as in
/// [`Slot::item`]) and what is wrong with it. The message counts items from 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramError {
    pub item: usize,
    pub title: String,
    pub problem: Problem,
}

/// What is wrong with the item a [`ProgramError`] names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    ZeroMinutes,
    /// A contributed talk holding this many papers instead of one.
    ContributedTalkPapers(usize),
    SpotlightsTooShort {
        minutes: u32,
        papers: usize,
    },
    /// The paper already has a talk or spotlight in item `earlier` (perhaps this same item).
    PresentedTwice {
        number: i32,
        earlier: usize,
        earlier_title: String,
    },
    /// The item would end after the last date chrono can represent.
    BeyondCalendar,
    /// The first item's start falls in a daylight-saving gap of the conference time zone.
    StartDoesNotExist {
        start: NaiveDateTime,
        tz: Tz,
    },
}

impl fmt::Display for ProgramError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = |item: usize, title: &str| format!("item {} “{title}”", item + 1);
        write!(f, "{} ", name(self.item, &self.title))?;
        match &self.problem {
            Problem::ZeroMinutes => f.write_str("has no duration; give it at least one minute"),
            Problem::ContributedTalkPapers(papers) => {
                write!(f, "is a contributed talk: it needs one paper, not {papers}")
            }
            Problem::SpotlightsTooShort { minutes, papers } => {
                let needed = u64::from(SPOTLIGHT_MINUTES) * *papers as u64;
                write!(
                    f,
                    "lasts {minutes} min but its {papers} spotlights need {needed}"
                )
            }
            Problem::PresentedTwice {
                number, earlier, ..
            } if *earlier == self.item => {
                write!(f, "lists paper #{number} twice")
            }
            Problem::PresentedTwice {
                number,
                earlier,
                earlier_title: title,
            } => {
                write!(
                    f,
                    "presents paper #{number}, already in {}",
                    name(*earlier, title)
                )
            }
            Problem::BeyondCalendar => f.write_str("would end beyond the supported calendar"),
            Problem::StartDoesNotExist { start, tz } => {
                let start = start.format("%H:%M on %Y-%m-%d");
                write!(
                    f,
                    "would start at {start}, skipped in {tz} by daylight saving"
                )
            }
        }
    }
}

impl std::error::Error for ProgramError {}

/// Places the items back to back from `program.start` in `tz`. Durations are elapsed time, so
/// a day that crosses a clock change still adds up.
pub fn schedule(program: &Program, tz: Tz) -> Result<Vec<Slot>, ProgramError> {
    check_items(&program.items)?;
    let Some(first) = program.items.first() else {
        return Ok(Vec::new());
    };
    // In an autumn overlap the earlier reading is the one the chair means.
    let mut at = match tz.from_local_datetime(&program.start).earliest() {
        Some(at) => at.with_timezone(&Utc),
        None => {
            let start = program.start;
            return Err(error(0, first, Problem::StartDoesNotExist { start, tz }));
        }
    };
    let local = |t: DateTime<Utc>| t.with_timezone(&tz).format("%H:%M").to_string();
    let mut slots = Vec::with_capacity(program.items.len());
    for (index, item) in program.items.iter().enumerate() {
        let minutes = Duration::minutes(i64::from(item.minutes));
        let Some(ends) = at.checked_add_signed(minutes) else {
            return Err(error(index, item, Problem::BeyondCalendar));
        };
        let (local_start, local_end) = (local(at), local(ends));
        slots.push(Slot {
            item: index,
            starts: at,
            ends,
            local_start,
            local_end,
        });
        at = ends;
    }
    Ok(slots)
}

fn error(index: usize, item: &ProgramItem, problem: Problem) -> ProgramError {
    let title = item.display_title().to_string();
    ProgramError {
        item: index,
        title,
        problem,
    }
}

/// Reports the first problem in programme order.
fn check_items(items: &[ProgramItem]) -> Result<(), ProgramError> {
    let mut presented: HashMap<i32, usize> = HashMap::new();
    for (index, item) in items.iter().enumerate() {
        let (minutes, papers) = (item.minutes, item.papers.len());
        let fail = |problem| Err(error(index, item, problem));
        if minutes == 0 {
            return fail(Problem::ZeroMinutes);
        }
        match item.kind {
            ItemKind::ContributedTalk if papers != 1 => {
                return fail(Problem::ContributedTalkPapers(papers));
            }
            ItemKind::Spotlights
                if u64::from(minutes) < u64::from(SPOTLIGHT_MINUTES) * papers as u64 =>
            {
                return fail(Problem::SpotlightsTooShort { minutes, papers });
            }
            ItemKind::ContributedTalk | ItemKind::Spotlights => {}
            // A talk's paper also has a poster, so poster sessions may repeat papers.
            _ => continue,
        }
        for paper in &item.papers {
            if let Some(&earlier) = presented.get(&paper.number) {
                let earlier_title = items[earlier].display_title().to_string();
                return fail(Problem::PresentedTwice {
                    number: paper.number,
                    earlier,
                    earlier_title,
                });
            }
            presented.insert(paper.number, index);
        }
    }
    Ok(())
}

/// A DLDE-style day from 08:45 for the chair to edit: four invited-talk placeholders, the
/// contributed talks, one spotlight block, two poster sessions splitting `posters`, breaks,
/// a panel and closing remarks. Empty talk or spotlight lists leave those items out.
pub fn default_program(
    day: NaiveDate,
    talks: Vec<ProgramPaper>,
    spotlights: Vec<ProgramPaper>,
    mut posters: Vec<ProgramPaper>,
) -> Program {
    use ItemKind::*;
    let item = |kind, title: &str, minutes, papers| ProgramItem {
        kind,
        title: title.to_string(),
        speaker: String::new(),
        minutes,
        papers,
    };
    let fixed = |kind, title: &str, minutes| item(kind, title, minutes, Vec::new());
    let invited = || fixed(InvitedTalk, "Invited talk", 30);
    let afternoon = posters.split_off(posters.len().div_ceil(2));
    let count = u32::try_from(spotlights.len()).unwrap_or(u32::MAX);

    let mut items = vec![fixed(Opening, "Opening remarks", 15), invited(), invited()];
    items.push(fixed(Break, "Coffee break", 30));
    for paper in talks {
        let title = format!("Contributed talk: {}", paper.title);
        let speaker = paper.presenter.clone();
        let talk = item(
            ContributedTalk,
            &title,
            CONTRIBUTED_TALK_MINUTES,
            vec![paper],
        );
        items.push(ProgramItem { speaker, ..talk });
    }
    if count > 0 {
        let minutes = count.saturating_mul(SPOTLIGHT_MINUTES);
        items.push(item(
            Spotlights,
            "Spotlight presentations",
            minutes,
            spotlights,
        ));
    }
    items.push(item(PosterSession, "Poster session 1", 60, posters));
    items.push(fixed(Break, "Lunch break", 60));
    items.extend([invited(), invited(), fixed(Break, "Coffee break", 30)]);
    items.push(fixed(Panel, "Panel discussion", 45));
    items.push(item(PosterSession, "Poster session 2", 60, afternoon));
    items.push(fixed(Closing, "Closing remarks", 15));
    let start = day.and_time(OPENING_TIME);
    Program { start, items }
}

/// An RFC 5545 calendar with one event per slot. `base_url` is the site's public root; each
/// event links to `{base_url}/program#item-{slot.item}`. UIDs depend only on the conference,
/// the programme's start and the item's index, so re-downloading updates events in place.
pub fn to_ics(
    program: &Program,
    slots: &[Slot],
    conference: &str,
    base_url: &str,
    generated_at: DateTime<Utc>,
) -> String {
    let stamp = ics_time(generated_at);
    let start = program.start.format("%Y%m%dT%H%M");
    let uid_prefix = format!("{start}-{:016x}", fnv1a(conference));
    let page = format!("{}/program", base_url.trim_end_matches('/'));
    let mut lines: Vec<String> = CALENDAR_HEAD.map(String::from).into();
    lines.push(format!("X-WR-CALNAME:{}", escape_text(conference)));
    for slot in slots {
        let Some(item) = program.items.get(slot.item) else {
            continue;
        };
        lines.push("BEGIN:VEVENT".to_string());
        lines.push(format!("UID:{uid_prefix}-{}@cfp", slot.item));
        lines.push(format!("DTSTAMP:{stamp}"));
        lines.push(format!("DTSTART:{}", ics_time(slot.starts)));
        lines.push(format!("DTEND:{}", ics_time(slot.ends)));
        lines.push(format!("SUMMARY:{}", escape_text(item.display_title())));
        let description = describe(item);
        if !description.is_empty() {
            lines.push(format!("DESCRIPTION:{}", escape_text(&description)));
        }
        lines.push(format!("URL:{page}#item-{}", slot.item));
        lines.push("END:VEVENT".to_string());
    }
    lines.push("END:VCALENDAR".to_string());
    lines.iter().map(|line| fold(line)).collect()
}

fn describe(item: &ProgramItem) -> String {
    let mut lines = Vec::new();
    if !item.speaker.trim().is_empty() {
        lines.push(format!("Speaker: {}", item.speaker.trim()));
    }
    for paper in &item.papers {
        let (number, title, authors) = (paper.number, &paper.title, &paper.authors);
        let mut line = format!("#{number} {title} \u{2014} {authors}");
        // A contributed talk's speaker is its presenter; say so once.
        if let Some(presenter) = super::program_current::presenter_note(item, paper) {
            line.push_str(&format!(" (presented by {presenter})"));
        }
        lines.push(line);
    }
    lines.join("\n")
}

fn ics_time(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// FNV-1a: a fixed hash, so UIDs survive toolchain upgrades (std's hasher may change).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// RFC 5545 §3.3.11 TEXT escaping; other control characters are not allowed, so they go.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// `line` folded at 75 octets (a continuation's leading space counts), never inside a UTF-8
/// character, each physical line ending in CRLF.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut used = 0;
    for c in line.chars() {
        if used + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
#[path = "program_tests.rs"]
mod tests;
