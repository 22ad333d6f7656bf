//! Tests of the programme: scheduling, the default day and the iCalendar export.

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
