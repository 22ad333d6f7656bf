//! Tests of the demo workshop generator.

use std::collections::HashSet;

use super::*;
use crate::demo::afm::is_encodable;

fn everyone(w: &DemoWorkshop) -> Vec<&DemoPerson> {
    let mut people: Vec<&DemoPerson> = vec![&w.chair];
    people.extend(&w.volunteers);
    people.extend(w.submissions.iter().flat_map(|s| &s.authors));
    people
}

#[test]
fn same_seed_gives_same_workshop_and_other_seeds_differ() {
    assert_eq!(workshop(42), workshop(42));
    assert_ne!(
        workshop(42).submissions[0].title,
        workshop(43).submissions[0].title
    );
}

#[test]
fn eighty_submissions_with_unique_titles_in_both_tracks() {
    for seed in 0..20 {
        let w = workshop(seed);
        assert_eq!(w.submissions.len(), 80);
        let titles: HashSet<&str> = w.submissions.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles.len(), 80, "seed {seed}");
        let published = w
            .submissions
            .iter()
            .filter(|s| s.track == DemoTrack::Published)
            .count();
        assert!((8..=12).contains(&published), "seed {seed}: {published}");
    }
}

#[test]
fn every_main_author_is_distinct_and_on_the_byline() {
    for seed in 0..20 {
        let w = workshop(seed);
        let mains: HashSet<&str> = w
            .submissions
            .iter()
            .map(|s| s.authors[s.main_author].email.as_str())
            .collect();
        assert_eq!(mains.len(), w.submissions.len());
        for s in &w.submissions {
            assert!(
                (1..=5).contains(&s.authors.len()),
                "{} authors",
                s.authors.len()
            );
            let unique: HashSet<&str> = s.authors.iter().map(|a| a.email.as_str()).collect();
            assert_eq!(unique.len(), s.authors.len());
        }
    }
}

#[test]
fn emails_identify_people_uniquely_and_look_valid() {
    for seed in 0..20 {
        let w = workshop(seed);
        let people: HashSet<&DemoPerson> = everyone(&w).into_iter().collect();
        let emails: HashSet<&str> = people.iter().map(|p| p.email.as_str()).collect();
        assert_eq!(emails.len(), people.len(), "one email per person");
        assert!(
            (120..=150).contains(&people.len()),
            "seed {seed}: {} people",
            people.len()
        );
        for email in emails {
            let (local, domain) = email.split_once('@').unwrap();
            assert!(!local.is_empty() && domain.contains('.'), "{email}");
            assert!(
                email
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "@.-".contains(c)),
                "{email}"
            );
        }
    }
}

#[test]
fn chair_and_volunteers_are_not_authors() {
    let w = workshop(7);
    let authors: HashSet<&str> = w
        .submissions
        .iter()
        .flat_map(|s| &s.authors)
        .map(|a| a.email.as_str())
        .collect();
    assert_eq!(w.volunteers.len(), 5);
    assert!(!authors.contains(w.chair.email.as_str()));
    assert!(
        w.volunteers
            .iter()
            .all(|v| !authors.contains(v.email.as_str()))
    );
}

#[test]
fn names_include_accents_and_all_can_be_printed() {
    let w = workshop(1);
    let people = everyone(&w);
    assert!(people.iter().any(|p| !p.name.is_ascii()));
    assert!(
        people
            .iter()
            .all(|p| is_encodable(&p.name) && is_encodable(&p.affiliation))
    );
}

#[test]
fn abstracts_are_80_to_250_words_and_keywords_mostly_topics() {
    for seed in 0..20 {
        for s in workshop(seed).submissions {
            let words = word_count(&s.abstract_text);
            assert!(
                (80..=250).contains(&words),
                "{words} words: {}",
                s.abstract_text
            );
            assert!(is_encodable(&s.title) && is_encodable(&s.abstract_text));
            let topics = s
                .keywords
                .iter()
                .filter(|k| TOPICS.contains(&k.as_str()))
                .count();
            assert!(
                topics >= 2 && s.keywords.len() <= topics + 1,
                "{:?}",
                s.keywords
            );
        }
    }
}

#[test]
fn content_pages_fit_the_track() {
    for s in workshop(3).submissions {
        let range = match s.track {
            DemoTrack::Paper => 1..=4,
            DemoTrack::Published => 6..=10,
        };
        assert!(range.contains(&s.content_pages));
    }
}

#[test]
fn title_case_keeps_acronyms_and_small_words() {
    assert_eq!(
        title_case("neural ODEs for n-body systems"),
        "Neural ODEs for N-Body Systems"
    );
}

#[test]
fn a_large_conference_has_distinct_people_titles_and_main_authors() {
    let w = conference(7, 2000);
    assert_eq!(w.submissions.len(), 2000);
    assert_eq!(w.volunteers.len(), 100);
    let titles: HashSet<&str> = w.submissions.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles.len(), 2000);
    let mains: HashSet<&str> = w
        .submissions
        .iter()
        .map(|s| s.authors[s.main_author].email.as_str())
        .collect();
    assert_eq!(mains.len(), 2000, "every paper has its own main author");
    let mut emails: HashSet<&str> = HashSet::new();
    let mut names: HashSet<&str> = HashSet::new();
    for p in everyone(&w) {
        emails.insert(p.email.as_str());
        names.insert(p.name.as_str());
    }
    assert_eq!(emails.len(), names.len(), "one name per address");
    let institutions: HashSet<&str> = everyone(&w)
        .iter()
        .map(|p| p.affiliation.as_str())
        .collect();
    assert!(
        institutions.len() > 300,
        "{} institutions",
        institutions.len()
    );
}
