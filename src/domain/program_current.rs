//! The stored programme brought up to date with each paper's current public facts.
//!
//! A programme is stored when a chair saves it, with copies of each paper's title, authors and
//! presenter. Authors may change the title or the presenter afterwards (camera-ready), so the
//! pages refresh those copies when they show the programme. A contributed talk's speaker and
//! its paper's presenter are the same person: a speaker that was only a copy of the presenter
//! follows the presenter, so the programme never names two people for one talk. A speaker the
//! chair typed (different from the presenter at the time) is kept. Pure: loading the accepted
//! papers and the stored programme is the handler's work.

use std::collections::HashMap;

use super::program::{ItemKind, Program, ProgramItem, ProgramPaper};

/// The title `default_program` gives a contributed talk.
pub fn talk_title(paper_title: &str) -> String {
    format!("Contributed talk: {paper_title}")
}

/// `stored` with every paper's facts taken from `accepted` (by number). Papers no longer
/// accepted are left out; a contributed talk that lost its paper keeps only its kind.
pub fn with_current_papers(stored: &Program, accepted: &HashMap<i32, ProgramPaper>) -> Program {
    let mut program = stored.clone();
    for item in &mut program.items {
        let before = std::mem::take(&mut item.papers);
        item.papers = before
            .iter()
            .filter_map(|p| accepted.get(&p.number).cloned())
            .collect();
        if item.kind != ItemKind::ContributedTalk || before.is_empty() {
            continue;
        }
        match (before.as_slice(), item.papers.as_slice()) {
            (_, []) => {
                item.title.clear();
                item.speaker.clear();
            }
            ([old], [new]) => {
                let new = new.clone();
                follow_paper(item, old, &new);
            }
            _ => {}
        }
    }
    program
}

/// Updates a contributed talk's speaker and title where they were copies of its paper's.
fn follow_paper(item: &mut ProgramItem, old: &ProgramPaper, new: &ProgramPaper) {
    let speaker = item.speaker.trim();
    if speaker.is_empty() || speaker == old.presenter.trim() {
        item.speaker = new.presenter.clone();
    }
    if item.title.trim() == talk_title(old.title.trim()) {
        item.title = talk_title(new.title.trim());
    }
}

/// Who presents `paper` within `item`, when it is worth saying: not when nobody is named, and
/// not when the item's speaker already names the same person.
pub fn presenter_note<'a>(item: &ProgramItem, paper: &'a ProgramPaper) -> Option<&'a str> {
    let presenter = paper.presenter.trim();
    (!presenter.is_empty() && presenter != item.speaker.trim()).then_some(presenter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::program::default_program;
    use chrono::NaiveDate;

    fn paper(number: i32, title: &str, presenter: &str) -> ProgramPaper {
        ProgramPaper {
            number,
            title: title.into(),
            authors: "Thảo Đặng, Thảo Hoàng".into(),
            presenter: presenter.into(),
        }
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 12, 14).unwrap_or_default()
    }

    fn talk_of(program: &Program) -> &ProgramItem {
        program
            .items
            .iter()
            .find(|i| i.kind == ItemKind::ContributedTalk)
            .unwrap()
    }

    fn now_accepted(papers: &[ProgramPaper]) -> HashMap<i32, ProgramPaper> {
        papers.iter().map(|p| (p.number, p.clone())).collect()
    }

    #[test]
    fn a_presenter_change_moves_the_talks_speaker_too() {
        let stored = default_program(
            day(),
            vec![paper(4, "Neural ODEs", "Thảo Đặng")],
            vec![],
            vec![],
        );
        let current = with_current_papers(
            &stored,
            &now_accepted(&[paper(4, "Neural ODEs", "Thảo Hoàng")]),
        );
        let talk = talk_of(&current);
        assert_eq!(talk.speaker, "Thảo Hoàng");
        assert_eq!(presenter_note(talk, &talk.papers[0]), None);
    }

    #[test]
    fn a_speaker_typed_by_the_chair_is_kept_and_the_presenter_named_beside_it() {
        let mut stored = default_program(
            day(),
            vec![paper(4, "Neural ODEs", "Thảo Đặng")],
            vec![],
            vec![],
        );
        for item in &mut stored.items {
            if item.kind == ItemKind::ContributedTalk {
                item.speaker = "Ada Lovelace".into();
            }
        }
        let current = with_current_papers(
            &stored,
            &now_accepted(&[paper(4, "Neural ODEs", "Thảo Hoàng")]),
        );
        let talk = talk_of(&current);
        assert_eq!(talk.speaker, "Ada Lovelace");
        assert_eq!(presenter_note(talk, &talk.papers[0]), Some("Thảo Hoàng"));
    }

    #[test]
    fn a_new_title_renames_the_default_talk_title_but_not_a_chosen_one() {
        let stored = default_program(day(), vec![paper(4, "Old", "A")], vec![], vec![]);
        let current = with_current_papers(&stored, &now_accepted(&[paper(4, "New", "A")]));
        assert_eq!(talk_of(&current).title, "Contributed talk: New");
        let mut chosen = stored.clone();
        for item in &mut chosen.items {
            if item.kind == ItemKind::ContributedTalk {
                item.title = "Keynote-style talk".into();
            }
        }
        let current = with_current_papers(&chosen, &now_accepted(&[paper(4, "New", "A")]));
        assert_eq!(talk_of(&current).title, "Keynote-style talk");
    }

    #[test]
    fn a_paper_no_longer_accepted_leaves_the_program_and_its_talk_keeps_only_its_kind() {
        let stored = default_program(
            day(),
            vec![paper(4, "Gone", "A")],
            vec![],
            vec![paper(9, "Poster", "B"), paper(4, "Gone", "A")],
        );
        let current = with_current_papers(&stored, &now_accepted(&[paper(9, "Poster", "B")]));
        let talk = talk_of(&current);
        assert!(talk.papers.is_empty() && talk.title.is_empty() && talk.speaker.is_empty());
        assert!(
            current
                .items
                .iter()
                .all(|i| i.papers.iter().all(|p| p.number == 9))
        );
    }

    #[test]
    fn a_poster_presenter_is_named_when_the_item_has_no_speaker() {
        let poster = paper(9, "Poster", "B");
        let stored = default_program(day(), vec![], vec![], vec![poster.clone()]);
        let item = stored
            .items
            .iter()
            .find(|i| i.kind == ItemKind::PosterSession && !i.papers.is_empty())
            .unwrap();
        assert_eq!(presenter_note(item, &item.papers[0]), Some("B"));
    }
}
