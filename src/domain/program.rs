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
mod tests {
    use super::*;
    use std::collections::HashSet;

    use Problem::*;
    use chrono_tz::America::Los_Angeles;

    fn paper(number: i32, title: &str) -> ProgramPaper {
        let (title, authors) = (title.to_string(), "Ada Lovelace, Alan Turing".to_string());
        ProgramPaper {
            number,
            title,
            authors,
            presenter: "Ada".into(),
        }
    }

    fn item(kind: ItemKind, title: &str, minutes: u32, papers: Vec<ProgramPaper>) -> ProgramItem {
        let (title, speaker) = (title.to_string(), String::new());
        ProgramItem {
            kind,
            title,
            speaker,
            minutes,
            papers,
        }
    }

    fn at(month: u32, day: u32, hour: u32, minute: u32) -> NaiveDateTime {
        let date = NaiveDate::from_ymd_opt(2025, month, day).unwrap();
        date.and_hms_opt(hour, minute, 0).unwrap()
    }

    fn utc(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
        at(month, day, hour, minute).and_utc()
    }

    /// Saturday 6 December 2025, San Diego: two talks, three spotlights, five posters.
    fn december_day() -> Program {
        let talks = vec![paper(1, "Neural ODEs"), paper(2, "Stiff solvers")];
        let spotlights = vec![paper(3, "A"), paper(4, "B"), paper(5, "C")];
        let posters = (1..=5).map(|n| paper(n, "Poster")).collect();
        default_program(at(12, 6, 0, 0).date(), talks, spotlights, posters)
    }

    fn ics(program: &Program, generated_at: DateTime<Utc>) -> String {
        let slots = schedule(program, Los_Angeles).unwrap();
        let (conference, base_url) = ("DLDE, NeurIPS 2025", "https://cfp.example.org/");
        to_ics(program, &slots, conference, base_url, generated_at)
    }

    fn unfold(ics: &str) -> String {
        ics.replace("\r\n ", "")
    }

    fn on_a_utc_day(items: Vec<ProgramItem>) -> Result<Vec<Slot>, ProgramError> {
        let start = at(7, 12, 8, 45);
        schedule(&Program { start, items }, Tz::UTC)
    }

    fn refused(items: Vec<ProgramItem>) -> (Problem, String) {
        let error = on_a_utc_day(items).unwrap_err();
        (error.problem.clone(), error.to_string())
    }

    fn talk(papers: Vec<ProgramPaper>) -> ProgramItem {
        item(ItemKind::ContributedTalk, "Flows", 15, papers)
    }

    fn spots(minutes: u32, numbers: &[i32]) -> ProgramItem {
        let papers = numbers.iter().map(|&n| paper(n, "Spot")).collect();
        item(ItemKind::Spotlights, "Spots", minutes, papers)
    }

    #[test]
    fn items_run_back_to_back_from_the_start_on_a_utc_day() {
        let welcome = item(ItemKind::Opening, "Welcome", 15, vec![]);
        let slots = on_a_utc_day(vec![welcome, talk(vec![paper(7, "Flows")])]).unwrap();
        let local: Vec<_> = slots
            .iter()
            .map(|s| [&s.local_start, &s.local_end])
            .collect();
        assert_eq!(local, [["08:45", "09:00"], ["09:00", "09:15"]]);
        assert_eq!(slots[1].item, 1);
        assert_eq!(
            [slots[1].starts, slots[1].ends],
            [utc(7, 12, 9, 0), utc(7, 12, 9, 15)]
        );
    }

    #[test]
    fn a_december_day_in_los_angeles_runs_eight_hours_behind_utc() {
        let slots = schedule(&december_day(), Los_Angeles).unwrap();
        let (first, last) = (&slots[0], &slots[slots.len() - 1]);
        assert_eq!([&first.local_start, &last.local_end], ["08:45", "16:45"]);
        assert_eq!(
            [first.starts, last.ends],
            [utc(12, 6, 16, 45), utc(12, 7, 0, 45)]
        );
    }

    #[test]
    fn default_program_places_every_paper_and_leaves_speakers_to_the_chair() {
        let program = december_day();
        let titled = |t: &str| program.items.iter().filter(|i| i.title == t).count();
        assert_eq!(titled("Invited talk"), 4);
        assert_eq!(titled("Contributed talk: Stiff solvers"), 1);
        let papers: Vec<_> = program.items.iter().map(|i| i.papers.len()).collect();
        assert_eq!(
            papers.iter().filter(|&&n| n > 0).collect::<Vec<_>>(),
            [&1, &1, &3, &3, &2]
        );
        let empty = default_program(program.start.date(), vec![], vec![], vec![]);
        assert!(schedule(&empty, Tz::UTC).is_ok());
        assert!(
            empty
                .items
                .iter()
                .all(|i| i.papers.is_empty() && i.speaker.is_empty())
        );
    }

    #[test]
    fn zero_minute_item_is_refused_by_name() {
        let (problem, message) = refused(vec![item(ItemKind::Break, "", 0, vec![])]);
        assert_eq!(problem, ZeroMinutes);
        assert_eq!(
            message,
            "item 1 “Break” has no duration; give it at least one minute"
        );
    }

    #[test]
    fn contributed_talk_needs_exactly_one_paper() {
        let (problem, message) = refused(vec![talk(vec![])]);
        assert_eq!(problem, ContributedTalkPapers(0));
        assert!(message.starts_with("item 1 “Flows” is a contributed talk"));
        let (problem, _) = refused(vec![talk(vec![paper(1, "A"), paper(2, "B")])]);
        assert_eq!(problem, ContributedTalkPapers(2));
    }

    #[test]
    fn spotlight_block_needs_five_minutes_a_paper() {
        let (problem, message) = refused(vec![spots(10, &[1, 2, 3])]);
        assert!(matches!(
            problem,
            SpotlightsTooShort {
                minutes: 10,
                papers: 3
            }
        ));
        assert!(message.ends_with("lasts 10 min but its 3 spotlights need 15"));
        assert!(on_a_utc_day(vec![spots(15, &[1, 2, 3])]).is_ok());
    }

    #[test]
    fn paper_is_presented_once_but_may_also_have_a_poster() {
        let poster = item(ItemKind::PosterSession, "Posters", 60, vec![paper(4, "D")]);
        let items = vec![talk(vec![paper(4, "D")]), poster, spots(10, &[5, 4])];
        let (problem, message) = refused(items);
        assert!(matches!(
            problem,
            PresentedTwice {
                number: 4,
                earlier: 0,
                ..
            }
        ));
        assert_eq!(
            message,
            "item 3 “Spots” presents paper #4, already in item 1 “Flows”"
        );
        let (_, message) = refused(vec![spots(10, &[6, 6])]);
        assert_eq!(message, "item 1 “Spots” lists paper #6 twice");
    }

    #[test]
    fn start_in_the_spring_gap_is_refused_and_autumn_overlap_takes_the_earlier() {
        let items = vec![item(ItemKind::Opening, "Welcome", 15, vec![])];
        let gap = Program {
            start: at(3, 9, 2, 30),
            items,
        };
        let error = schedule(&gap, Los_Angeles).unwrap_err();
        let start = gap.start;
        assert_eq!(
            error.problem,
            StartDoesNotExist {
                start,
                tz: Los_Angeles
            }
        );
        let message = error.to_string();
        assert!(message.starts_with("item 1 “Welcome” would start at 02:30 on 2025-03-09"));
        let overlap = Program {
            start: at(11, 2, 1, 30),
            ..gap
        };
        let slots = schedule(&overlap, Los_Angeles).unwrap();
        assert_eq!(slots[0].starts, utc(11, 2, 8, 30));
    }

    #[test]
    fn ics_is_crlf_folded_at_75_octets_and_balanced() {
        let mut program = december_day();
        program.items[5].title = "Équations différentielles neuronales ∮ 🚀 ".repeat(8) + "fin";
        let text = ics(&program, utc(11, 1, 12, 0));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(!text.replace("\r\n", "").contains(['\r', '\n']));
        assert!(text.split("\r\n").all(|line| line.len() <= 75));
        let summary = format!("\r\nSUMMARY:{}\r\n", program.items[5].title);
        assert!(unfold(&text).contains(&summary));
        let lines: Vec<_> = text.lines().collect();
        let count = |wanted: &str| lines.iter().filter(|l| **l == wanted).count();
        let events = program.items.len();
        assert_eq!(
            [count("BEGIN:VEVENT"), count("END:VEVENT")],
            [events, events]
        );
        assert_eq!([count("BEGIN:VCALENDAR"), count("END:VCALENDAR")], [1, 1]);
        assert_eq!(lines[..5], CALENDAR_HEAD);
        assert!(lines.contains(&"DTSTART:20251206T164500Z"));
        assert!(lines.contains(&"DTSTAMP:20251101T120000Z"));
    }

    #[test]
    fn folding_never_splits_a_character_and_round_trips_at_every_length() {
        for n in 0..120 {
            let line = format!("DESCRIPTION:{}", "é€😀a".repeat(n));
            let folded = fold(&line);
            assert!(folded.split("\r\n").all(|l| l.len() <= 75));
            assert_eq!(unfold(&folded), format!("{line}\r\n"));
        }
    }

    #[test]
    fn ics_escapes_commas_semicolons_backslashes_and_newlines() {
        let mut program = december_day();
        program.items[0].title = "ODEs, SDEs; and \\paths\nagain".into();
        program.items[0].speaker = "Chen,\r\nRicky".into();
        let text = unfold(&ics(&program, utc(11, 1, 12, 0)));
        assert!(text.contains("\r\nSUMMARY:ODEs\\, SDEs\\; and \\\\paths\\nagain\r\n"));
        assert!(text.contains("\r\nDESCRIPTION:Speaker: Chen\\,\\nRicky\r\n"));
        assert!(text.contains("\r\nX-WR-CALNAME:DLDE\\, NeurIPS 2025\r\n"));
        assert!(text.contains("#4 B — Ada Lovelace\\, Alan Turing (presented by Ada)"));
        assert!(text.contains("\r\nURL:https://cfp.example.org/program#item-0\r\n"));
    }

    #[test]
    fn uids_are_unique_and_stable_across_downloads() {
        let program = december_day();
        let uids = |text: String| -> Vec<String> {
            text.lines()
                .filter_map(|l| l.strip_prefix("UID:"))
                .map(String::from)
                .collect()
        };
        let first = uids(ics(&program, utc(11, 1, 12, 0)));
        assert_eq!(first, uids(ics(&program, utc(11, 20, 8, 0))));
        let distinct: HashSet<_> = first.iter().collect();
        assert_eq!(distinct.len(), program.items.len());
    }

    #[test]
    fn program_round_trips_through_json() {
        let program = december_day();
        let json = serde_json::to_string(&program).unwrap();
        assert!(json.contains("\"kind\":\"contributed_talk\""));
        assert_eq!(serde_json::from_str::<Program>(&json).unwrap(), program);
    }
}
