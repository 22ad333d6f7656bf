//! Demo people: authors with distinct names and emails, and the bylines that reuse them across
//! submissions so that every submission has its own main author.
//!
//! Name and institution tables are in `names.rs`; the submissions themselves in `content.rs`.

use std::collections::HashSet;

use crate::demo::content::{DemoPerson, SUBMISSION_COUNT};
use crate::demo::names::{CULTURES, INSTITUTIONS};
use crate::demo::rng::Rng;
use crate::demo::translit::ascii_slug;

/// Makes people with distinct names and distinct emails.
#[derive(Default)]
pub(crate) struct PeopleFactory {
    names: HashSet<String>,
    emails: HashSet<String>,
}

impl PeopleFactory {
    /// A new person whose name and email differ from everyone made before.
    pub(crate) fn person(&mut self, rng: &mut Rng) -> DemoPerson {
        let (given, family) = loop {
            let culture = &CULTURES[rng.below(CULTURES.len())];
            let given = rng.pick(culture.given);
            let family = rng.pick(culture.family);
            if self.names.insert(format!("{given} {family}")) {
                break (given, family);
            }
        };
        let institution = &INSTITUTIONS[rng.below(INSTITUTIONS.len())];
        let email = self.email(rng, given, family, institution.domain);
        DemoPerson {
            name: format!("{given} {family}"),
            email,
            affiliation: institution.name.to_string(),
        }
    }

    fn email(&mut self, rng: &mut Rng, given: &str, family: &str, domain: &str) -> String {
        let (g, f) = (ascii_slug(given), ascii_slug(family));
        let initial: String = g.chars().take(1).collect();
        let (local, domain) = if rng.chance(12) {
            (format!("{g}.{f}{}", rng.range(1, 99)), "gmail.com")
        } else {
            let local = match rng.below(4) {
                0 => format!("{initial}{f}"),
                1 => format!("{f}.{g}"),
                _ => format!("{g}.{f}"),
            };
            (local, domain)
        };
        let mut email = format!("{local}@{domain}");
        let mut suffix = 2;
        while !self.emails.insert(email.clone()) {
            email = format!("{local}{suffix}@{domain}");
            suffix += 1;
        }
        email
    }
}

/// For each submission, pool indices of its authors in byline order and the main author's
/// position. Submission `i` has pool person `i` as main author; every pool person appears.
pub(crate) fn bylines(rng: &mut Rng, pool_size: usize) -> Vec<(Vec<usize>, usize)> {
    let mut unused: Vec<usize> = (SUBMISSION_COUNT..pool_size).collect();
    rng.shuffle(&mut unused);
    let mut coauthors: Vec<Vec<usize>> = (0..SUBMISSION_COUNT)
        .map(|main| {
            let count = match rng.below(100) {
                0..10 => 0,
                10..35 => 1,
                35..65 => 2,
                65..85 => 3,
                _ => 4,
            };
            let mut chosen: Vec<usize> = Vec::new();
            while chosen.len() < count {
                let candidate = match unused.last() {
                    Some(&next) if rng.chance(55) => {
                        unused.pop();
                        next
                    }
                    _ => rng.below(pool_size),
                };
                if candidate != main && !chosen.contains(&candidate) {
                    chosen.push(candidate);
                }
            }
            chosen
        })
        .collect();
    // Whoever was never drawn joins a paper with room on its byline.
    for person in unused {
        let start = rng.below(SUBMISSION_COUNT);
        let slot = (0..SUBMISSION_COUNT)
            .map(|k| (start + k) % SUBMISSION_COUNT)
            .find(|&i| coauthors.get(i).is_some_and(|c| c.len() < 4));
        if let Some(list) = slot.and_then(|i| coauthors.get_mut(i)) {
            list.push(person);
        }
    }
    coauthors
        .into_iter()
        .enumerate()
        .map(|(main, mut authors)| {
            let position = if rng.chance(70) {
                0
            } else {
                rng.below(authors.len() + 1)
            };
            authors.insert(position, main);
            (authors, position)
        })
        .collect()
}
