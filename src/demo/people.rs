//! Demo people: authors with distinct names and emails, and the bylines that reuse them across
//! submissions so that every submission has its own main author.
//!
//! Name and institution tables are in `names.rs`; the submissions themselves in `content.rs`.

use std::collections::HashSet;

use crate::demo::content::DemoPerson;
use crate::demo::names::{CULTURES, INSTITUTIONS};
use crate::demo::rng::Rng;
use crate::demo::translit::ascii_slug;

/// Makes people with distinct names and distinct emails.
#[derive(Default)]
pub(crate) struct PeopleFactory {
    names: HashSet<String>,
    emails: HashSet<String>,
    /// Made-up institutions (name, email domain) beside the real ones of `names.rs`, so a
    /// large conference does not put a thousand people in each institution.
    extra_institutions: Vec<(String, String)>,
}

const PLACE_STARTS: &[&str] = &[
    "Ash", "Bel", "Brook", "Cal", "Clare", "Dun", "East", "Elm", "Fair", "Glen", "Green", "Hart",
    "Heath", "High", "Holm", "Kings", "Lake", "Lin", "Long", "Marl", "Mill", "Mor", "North", "Oak",
    "Pine", "Red", "River", "Rock", "Rose", "South", "Stan", "Stone", "Sun", "West", "White",
    "Wil", "Wind", "Wood", "Ayr", "Bran",
];
const PLACE_ENDS: &[&str] = &[
    "bridge", "brook", "bury", "by", "dale", "field", "ford", "gate", "ham", "haven", "hill",
    "hurst", "land", "ley", "mere", "mont", "moor", "mouth", "port", "ridge", "stead", "stow",
    "ton", "vale", "view", "wick", "wood", "worth", "crest", "shire",
];
const INSTITUTION_KINDS: &[(&str, &str)] = &[
    ("University of {}", "u{}.edu"),
    ("{} Institute of Technology", "{}tech.edu"),
    ("{} College", "{}college.ac.uk"),
    ("{} Research Laboratory", "{}-lab.org"),
    ("{} State University", "{}state.edu"),
];

impl PeopleFactory {
    /// A factory that also draws from `count` made-up institutions.
    pub(crate) fn with_institutions(count: usize) -> PeopleFactory {
        let mut extra = Vec::with_capacity(count);
        'outer: for kind in INSTITUTION_KINDS {
            for end in PLACE_ENDS {
                for start in PLACE_STARTS {
                    if extra.len() >= count {
                        break 'outer;
                    }
                    let place = format!("{start}{end}");
                    let slug = place.to_lowercase();
                    extra.push((kind.0.replace("{}", &place), kind.1.replace("{}", &slug)));
                }
            }
        }
        PeopleFactory {
            extra_institutions: extra,
            ..PeopleFactory::default()
        }
    }

    /// A new person whose name and email differ from everyone made before.
    pub(crate) fn person(&mut self, rng: &mut Rng) -> DemoPerson {
        // The tables hold about a thousand names: a large conference gives people middle
        // initials once a name keeps coming up taken.
        let mut attempt = 0;
        let (given, family, name) = loop {
            let culture = &CULTURES[rng.below(CULTURES.len())];
            let given = rng.pick(culture.given);
            let family = rng.pick(culture.family);
            let middle = match attempt {
                0..30 => String::new(),
                30..60 => format!(" {}.", initial(rng)),
                _ => format!(" {}. {}.", initial(rng), initial(rng)),
            };
            attempt += 1;
            let name = format!("{given}{middle} {family}");
            if self.names.insert(name.clone()) {
                break (given, family, name);
            }
        };
        let (affiliation, domain) = if self.extra_institutions.is_empty() {
            let institution = &INSTITUTIONS[rng.below(INSTITUTIONS.len())];
            (institution.name.to_string(), institution.domain.to_string())
        } else {
            let i = rng.below(INSTITUTIONS.len() + self.extra_institutions.len());
            match INSTITUTIONS.get(i) {
                Some(x) => (x.name.to_string(), x.domain.to_string()),
                None => self.extra_institutions[i - INSTITUTIONS.len()].clone(),
            }
        };
        let email = self.email(rng, given, family, &domain);
        DemoPerson {
            name,
            email,
            affiliation,
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

fn initial(rng: &mut Rng) -> char {
    char::from(b'A' + (rng.below(26) as u8))
}

/// For each submission, pool indices of its authors in byline order and the main author's
/// position, for `count` submissions. Submission `i` has pool person `i` as main author; every
/// pool person appears.
pub(crate) fn bylines(rng: &mut Rng, count: usize, pool_size: usize) -> Vec<(Vec<usize>, usize)> {
    let mut unused: Vec<usize> = (count..pool_size).collect();
    rng.shuffle(&mut unused);
    let mut coauthors: Vec<Vec<usize>> = (0..count)
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
        let start = rng.below(count);
        let slot = (0..count)
            .map(|k| (start + k) % count)
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
