//! The demo workshop's people and submissions: "The Symbiosis of Deep Learning and Differential
//! Equations", about 80 submissions in a double-blind paper track and a published track.
//!
//! Everything is built from the phrase tables in `phrases.rs` and the people of `people.rs` with a seeded PRNG,
//! so one seed always yields the same workshop. Rendering papers as PDFs lives in `pdf.rs`.

use std::collections::HashSet;

use crate::demo::people::{PeopleFactory, bylines};
use crate::demo::phrases::{self, THEMES, Theme};
use crate::demo::rng::Rng;

/// The workshop's full name.
pub const WORKSHOP_NAME: &str = "The Symbiosis of Deep Learning and Differential Equations";

/// The fixed topic list that submissions choose keywords from.
pub const TOPICS: &[&str] = &[
    "Neural ODEs",
    "Neural SDEs",
    "Physics-informed neural networks",
    "Neural operators",
    "Learned numerical solvers",
    "Hamiltonian and Lagrangian networks",
    "Diffusion models and score-based SDEs",
    "Irregular time series",
    "Dynamical systems and chaos",
    "Scientific machine learning",
    "Uncertainty quantification",
    "Inverse problems",
    "Optimal control and transport",
    "Numerical analysis of deep learning",
    "Graph neural networks for PDEs",
    "Generative modelling",
];

/// How many submissions the demo workshop has.
pub const SUBMISSION_COUNT: usize = 80;

/// A person: author, reviewer or chair.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DemoPerson {
    /// Full name as printed, possibly with accents ("Łukasz Wójcik").
    pub name: String,
    /// Email address, unique across the workshop.
    pub email: String,
    /// University or lab.
    pub affiliation: String,
}

/// The track a submission belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DemoTrack {
    /// New work, reviewed double-blind; 1–4 content pages.
    Paper,
    /// Already published work, not anonymous; 6–10 content pages.
    Published,
}

/// One submission with its metadata and authors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSubmission {
    /// Track the submission is in.
    pub track: DemoTrack,
    /// Title, unique within the workshop.
    pub title: String,
    /// Abstract of 80–250 words.
    pub abstract_text: String,
    /// Keywords: mostly entries of [`TOPICS`], sometimes a free one.
    pub keywords: Vec<String>,
    /// Authors in byline order (1–5).
    pub authors: Vec<DemoPerson>,
    /// Index into `authors` of the author who submits and reviews.
    pub main_author: usize,
    /// Pages of main content before the references.
    pub content_pages: u32,
}

/// The whole demo workshop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoWorkshop {
    /// The programme chair.
    pub chair: DemoPerson,
    /// Extra reviewers who are not authors.
    pub volunteers: Vec<DemoPerson>,
    /// All submissions; every one has a different main author.
    pub submissions: Vec<DemoSubmission>,
}

/// Builds the demo workshop for `seed`; the same seed always gives the same workshop.
pub fn workshop(seed: u64) -> DemoWorkshop {
    conference(seed, SUBMISSION_COUNT)
}

/// Builds a conference of `size` submissions for `seed` (the workshop is `size` 80): about
/// 1.6 authors per paper in the pool, every paper with its own main author, one volunteer
/// reviewer per 20 papers (at least 5) and a tenth of the papers in the published track.
/// The same seed and size always give the same conference.
pub fn conference(seed: u64, size: usize) -> DemoWorkshop {
    let size = size.max(1);
    let mut rng = Rng::new(seed);
    // The workshop draws from the 34 real institutions; a large conference from one
    // institution per four papers besides.
    let mut people = if size <= SUBMISSION_COUNT {
        PeopleFactory::default()
    } else {
        PeopleFactory::with_institutions(size / 4)
    };
    let chair = people.person(&mut rng);
    let volunteers: Vec<DemoPerson> = (0..(size / 20).max(5))
        .map(|_| people.person(&mut rng))
        .collect();
    let pool_size = rng.range(size * 3 / 2, size * 138 / 80);
    let pool: Vec<DemoPerson> = (0..pool_size).map(|_| people.person(&mut rng)).collect();

    let published = rng.range(size / 10, size * 12 / 80);
    let mut tracks: Vec<DemoTrack> = (0..size)
        .map(|i| {
            if i < published {
                DemoTrack::Published
            } else {
                DemoTrack::Paper
            }
        })
        .collect();
    rng.shuffle(&mut tracks);

    let bylines = bylines(&mut rng, size, pool.len());
    let mut texts = TextFactory::default();
    let submissions = tracks
        .iter()
        .zip(bylines)
        .map(|(track, (authors, main_author))| {
            let text = texts.text(&mut rng, *track);
            DemoSubmission {
                track: *track,
                title: text.title,
                abstract_text: text.abstract_text,
                keywords: text.keywords,
                authors: authors
                    .iter()
                    .filter_map(|i| pool.get(*i).cloned())
                    .collect(),
                main_author,
                content_pages: content_pages(&mut rng, *track),
            }
        })
        .collect();
    DemoWorkshop {
        chair,
        volunteers,
        submissions,
    }
}

fn content_pages(rng: &mut Rng, track: DemoTrack) -> u32 {
    match track {
        DemoTrack::Paper => match rng.below(10) {
            0 => 1,
            1..3 => 2,
            3..6 => 3,
            _ => 4,
        },
        DemoTrack::Published => 6 + rng.below(5) as u32,
    }
}

/// A submission's generated text.
struct SubmissionText {
    title: String,
    abstract_text: String,
    keywords: Vec<String>,
}

/// Makes titles and method names that are unique across the workshop.
#[derive(Default)]
struct TextFactory {
    titles: HashSet<String>,
    acronyms: HashSet<String>,
}

impl TextFactory {
    fn text(&mut self, rng: &mut Rng, track: DemoTrack) -> SubmissionText {
        let theme = &THEMES[rng.below(THEMES.len())];
        let acronym = self.acronym(rng, theme);
        let title = loop {
            let title = title(rng, theme, &acronym);
            if self.titles.insert(title.clone()) {
                break title;
            }
        };
        let abstract_text = loop {
            let text = abstract_text(rng, theme, &acronym, track);
            if (80..=250).contains(&word_count(&text)) {
                break text;
            }
        };
        SubmissionText {
            title,
            abstract_text,
            keywords: keywords(rng, theme),
        }
    }

    fn acronym(&mut self, rng: &mut Rng, theme: &Theme) -> String {
        for attempt in 0.. {
            let mut name = format!(
                "{}{}",
                rng.pick(phrases::ACRONYM_STEMS),
                rng.pick(theme.suffixes)
            );
            if attempt > 50 {
                name.push_str(&format!("-{}", attempt - 49));
            }
            if self.acronyms.insert(name.clone()) {
                return name;
            }
        }
        String::new()
    }
}

fn title(rng: &mut Rng, theme: &Theme, acronym: &str) -> String {
    let model = title_case(rng.pick(theme.models));
    let problem = title_case(rng.pick(theme.problems));
    let technique = title_case(rng.pick(theme.techniques));
    let adjective = rng.pick(phrases::TITLE_ADJECTIVES);
    let property = title_case(rng.pick(phrases::PROPERTIES));
    match rng.below(8) {
        0 => format!("{acronym}: {technique} for {model}"),
        1 => format!("{adjective} {model} for {problem}"),
        2 => format!("On the {property} of {model}"),
        3 => format!("Learning {problem} with {model}"),
        4 => format!("{acronym}: {adjective} {model} via {technique}"),
        5 => format!("{technique} for {adjective} {model}"),
        6 => format!("Beyond {technique}: {adjective} {model} for {problem}"),
        _ => format!("{model} with {technique} for {problem}"),
    }
}

fn abstract_text(rng: &mut Rng, theme: &Theme, acronym: &str, track: DemoTrack) -> String {
    let mut sentences: Vec<String> = vec![
        rng.pick(theme.contexts).to_string(),
        format!("However, {}.", rng.pick(theme.gaps)),
        format!(
            "In this work, we introduce {acronym}, {} that {}.",
            rng.pick(phrases::DESCRIPTORS),
            rng.pick(theme.mechanisms)
        ),
    ];
    if rng.chance(60) {
        sentences.push(rng.pick(phrases::DETAILS).to_string());
    }
    if rng.chance(50) {
        sentences.push(format!(
            "We prove that {acronym} {}.",
            rng.pick(phrases::THEORY)
        ));
    }
    let first = rng.below(theme.benchmarks.len());
    let second = (first + 1 + rng.below(theme.benchmarks.len() - 1)) % theme.benchmarks.len();
    let result = rng
        .pick(phrases::RESULTS)
        .replace(
            "{b1}",
            theme.benchmarks.get(first).copied().unwrap_or_default(),
        )
        .replace(
            "{b2}",
            theme.benchmarks.get(second).copied().unwrap_or_default(),
        )
        .replace("{name}", acronym)
        .replace("{x}", &rng.range(12, 63).to_string());
    sentences.push(result);
    let closing = match track {
        DemoTrack::Paper => rng.pick(phrases::CLOSINGS_ANONYMOUS).to_string(),
        DemoTrack::Published => format!(
            "This work was published at {} and is presented here to reach the differential equations community.",
            rng.pick(phrases::VENUES)
        ),
    };
    sentences.push(closing);
    let text = sentences.join(" ");
    text.trim().to_string()
}

fn keywords(rng: &mut Rng, theme: &Theme) -> Vec<String> {
    let mut topics: Vec<usize> = theme.topics.to_vec();
    rng.shuffle(&mut topics);
    topics.truncate(rng.range(2, topics.len()));
    if rng.chance(30) {
        let extra = rng.below(TOPICS.len());
        if !topics.contains(&extra) {
            topics.push(extra);
        }
    }
    let mut keywords: Vec<String> = topics
        .iter()
        .filter_map(|i| TOPICS.get(*i).map(|t| t.to_string()))
        .collect();
    if rng.chance(25) {
        keywords.push(rng.pick(theme.free_keywords).to_string());
    }
    keywords
}

/// Capitalises each word of a sentence-case phrase except short function words; words that
/// already start with a capital (acronyms, names) are kept.
fn title_case(phrase: &str) -> String {
    const SMALL: &[&str] = &[
        "a", "an", "the", "of", "for", "and", "with", "in", "on", "via", "to", "at", "by",
    ];
    phrase
        .split(' ')
        .enumerate()
        .map(|(i, word)| {
            if i > 0 && SMALL.contains(&word) {
                return word.to_string();
            }
            let mut out = String::new();
            let mut capitalise = true;
            for c in word.chars() {
                if capitalise {
                    out.extend(c.to_uppercase());
                } else {
                    out.push(c);
                }
                capitalise = c == '-' || c == '–';
            }
            out
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Number of whitespace-separated words.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

#[cfg(test)]
#[path = "content_tests.rs"]
mod tests;
