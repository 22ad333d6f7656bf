//! The body of a demo paper: numbered sections of filler paragraphs sized to end at a target
//! position, with displayed equations, a plotted figure, the references and an appendix.
//!
//! Front matter and the overall plan are in `pdf.rs`; the sentences come from `filler.rs`.

use crate::demo::afm::{self, Font};
use crate::demo::content::DemoSubmission;
use crate::demo::filler::{self, SectionKind};
use crate::demo::layout::{
    BLOCK_HEIGHT, BODY, HEADING, LEFT, PARSKIP, SMALL, Style, Typesetter, WIDTH, text_mark, wrap,
};
use crate::demo::pdf_file::Mark;
use crate::demo::rng::Rng;

/// Deals filler sentences, each kind from its own shuffled deck so that sentences repeat only
/// after the whole pool is used, with the slots filled by the method's name and a keyword.
pub(crate) struct Words {
    method: String,
    keyword: String,
    /// The abstract's sentences, which the introduction reuses to stay on topic.
    summary: Vec<String>,
    decks: Vec<(SectionKind, Vec<String>)>,
}

impl Words {
    /// Slot fillers taken from the submission's abstract and keywords.
    pub(crate) fn new(sub: &DemoSubmission) -> Self {
        let method = sub
            .abstract_text
            .split_once("we introduce ")
            .and_then(|(_, rest)| rest.split_once(','))
            .map_or_else(|| "our method".to_string(), |(name, _)| name.to_string());
        let keyword = sub.keywords.first().map_or_else(
            || "scientific machine learning".to_string(),
            |k| sentence_case(k),
        );
        let summary = sub
            .abstract_text
            .split_inclusive(". ")
            .map(|sentence| sentence.trim().to_string())
            .filter(|sentence| !sentence.starts_with("This work was published"))
            .collect();
        Self {
            method,
            keyword,
            summary,
            decks: Vec::new(),
        }
    }

    fn sentence(&mut self, rng: &mut Rng, kind: SectionKind) -> String {
        let position = match self.decks.iter().position(|(k, _)| *k == kind) {
            Some(position) => position,
            None => {
                self.decks.push((kind, Vec::new()));
                self.decks.len() - 1
            }
        };
        let summary = &self.summary;
        let sentence = match self.decks.get_mut(position) {
            Some((_, deck)) => {
                if deck.is_empty() {
                    deck.extend(filler::sentences(kind).iter().map(|s| s.to_string()));
                    if kind == SectionKind::Introduction {
                        deck.extend(summary.iter().cloned());
                    }
                    rng.shuffle(deck);
                }
                deck.pop().unwrap_or_default()
            }
            None => String::new(),
        };
        sentence
            .replace("{m}", &self.method)
            .replace("{k}", &self.keyword)
    }
}

/// Lowercases the first letter unless the word is an acronym or a proper noun.
fn sentence_case(keyword: &str) -> String {
    let mut chars = keyword.chars();
    let first = chars.next();
    let second = chars.next();
    let proper = keyword.starts_with("Hamiltonian");
    match (first, second) {
        (Some(f), Some(s)) if s.is_lowercase() && !proper => {
            f.to_lowercase().chain(keyword.chars().skip(1)).collect()
        }
        _ => keyword.to_string(),
    }
}

/// A section heading, kept together with the first lines that follow it.
pub(crate) fn heading(t: &mut Typesetter, number: Option<&str>, title: &str) {
    t.skip(10.0);
    t.ensure(HEADING.leading + 4.0 + 3.0 * BODY.leading);
    match number {
        Some(number) => {
            let baseline = t.cursor() - HEADING.size;
            t.mark(text_mark(HEADING, LEFT, baseline, 0.0, number));
            t.line_at(HEADING, LEFT + 22.0, title, 0.0);
        }
        None => t.line_at(HEADING, LEFT, title, 0.0),
    }
    t.skip(4.0);
}

/// The section plan for a paper of `pages` content pages.
fn sections(pages: u32) -> &'static [(&'static str, SectionKind)] {
    use SectionKind::*;
    match pages {
        0 | 1 => &[
            ("Introduction", Introduction),
            ("Method and Results", Method),
        ],
        2 => &[
            ("Introduction", Introduction),
            ("Method", Method),
            ("Experiments", Experiments),
            ("Conclusion", Discussion),
        ],
        3..=5 => &[
            ("Introduction", Introduction),
            ("Related Work", Related),
            ("Method", Method),
            ("Experiments", Experiments),
            ("Conclusion", Discussion),
        ],
        _ => &[
            ("Introduction", Introduction),
            ("Related Work", Related),
            ("Background", Related),
            ("Method", Method),
            ("Theoretical Analysis", Method),
            ("Experiments", Experiments),
            ("Ablation Studies", Experiments),
            ("Discussion and Limitations", Discussion),
            ("Conclusion", Discussion),
        ],
    }
}

/// Numbered sections whose text ends at `target` progress, give or take a sentence.
pub(crate) fn body(t: &mut Typesetter, rng: &mut Rng, words: &mut Words, pages: u32, target: f32) {
    let plan = sections(pages);
    let start = t.progress();
    let total: f32 = plan.iter().map(|(_, kind)| share(*kind)).sum();
    let mut done = 0.0;
    let mut equations = 0;
    let mut figures = 0;
    for (i, (name, kind)) in plan.iter().enumerate() {
        done += share(*kind);
        let end = start + (target - start) * done / total;
        heading(t, Some(&(i + 1).to_string()), name);
        paragraph_until(t, rng, words, *kind, end);
        if *kind == SectionKind::Method && t.progress() + 60.0 < end {
            equations += 1;
            equation(t, rng, equations);
        }
        if *kind == SectionKind::Experiments && t.progress() + 260.0 < end && t.fits(200.0) {
            figures += 1;
            figure(t, rng, figures);
        }
        while t.progress() < end {
            paragraph_until(t, rng, words, *kind, end);
        }
    }
}

/// The relative length of a kind of section: methods and experiments are long, the
/// conclusion short.
fn share(kind: SectionKind) -> f32 {
    match kind {
        SectionKind::Introduction => 1.0,
        SectionKind::Related => 0.8,
        SectionKind::Method | SectionKind::Experiments => 1.3,
        SectionKind::Discussion => 0.5,
    }
}

/// One paragraph that stops growing once it reaches `end` or has enough sentences.
fn paragraph_until(
    t: &mut Typesetter,
    rng: &mut Rng,
    words: &mut Words,
    kind: SectionKind,
    end: f32,
) {
    let wanted = rng.range(3, 7);
    let mut text = String::new();
    for _ in 0..wanted {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&words.sentence(rng, kind));
        let height = wrap(BODY, &text, WIDTH).len() as f32 * BODY.leading;
        if t.progress() + height >= end {
            break;
        }
    }
    t.paragraph(BODY, LEFT, WIDTH, &text);
    t.skip(PARSKIP);
}

fn equation(t: &mut Typesetter, rng: &mut Rng, number: usize) {
    let text = rng.pick(filler::EQUATIONS);
    t.skip(4.0);
    t.ensure(BODY.leading);
    let label = format!("({number})");
    let label_width = afm::text_width(BODY.font, BODY.size, &label);
    let baseline = t.cursor() - BODY.size;
    t.mark(text_mark(
        BODY,
        LEFT + WIDTH - label_width,
        baseline,
        0.0,
        &label,
    ));
    t.centered(BODY, text);
    t.skip(8.0);
}

/// A line plot: reference solution, our method and a drifting baseline.
fn figure(t: &mut Typesetter, rng: &mut Rng, number: usize) {
    let (width, height) = (240.0, 130.0);
    let x0 = LEFT + (WIDTH - width) / 2.0;
    let y0 = t.cursor() - height - 6.0;
    let axes = vec![(x0, y0 + height), (x0, y0), (x0 + width, y0)];
    t.mark(Mark::Path {
        points: axes,
        width: 0.6,
        gray: 0.0,
        dash: 0.0,
    });
    let damping = 0.5 + rng.below(40) as f32 / 100.0;
    let frequency = 2.0 + rng.below(30) as f32 / 10.0;
    let curve = |drift: f32, phase: f32| -> Vec<(f32, f32)> {
        (0..=120)
            .map(|k| {
                let s = k as f32 / 120.0;
                let tt = s * 6.0;
                let value =
                    (-damping * tt / 3.0).exp() * (frequency * tt + phase).cos() + drift * s * s;
                (x0 + s * width, y0 + height / 2.0 + value * height * 0.38)
            })
            .collect()
    };
    t.mark(Mark::Path {
        points: curve(0.0, 0.0),
        width: 2.2,
        gray: 0.75,
        dash: 0.0,
    });
    t.mark(Mark::Path {
        points: curve(0.05, 0.02),
        width: 0.9,
        gray: 0.0,
        dash: 0.0,
    });
    t.mark(Mark::Path {
        points: curve(0.9, 0.25),
        width: 0.9,
        gray: 0.35,
        dash: 3.0,
    });
    let label = Style::new(Font::Roman, 8.0, 9.0);
    t.mark(text_mark(label, x0 + width - 4.0, y0 - 9.0, 0.0, "t"));
    t.mark(text_mark(label, x0 - 26.0, y0 + height - 6.0, 0.0, "x(t)"));
    t.advance(height + 20.0);
    let caption = format!("Figure {number}: {}", rng.pick(filler::CAPTIONS));
    t.paragraph(SMALL, LEFT, WIDTH, &caption);
    t.skip(10.0);
}

/// Five classics cited in the filler text, then up to three more.
pub(crate) fn references(t: &mut Typesetter, rng: &mut Rng) {
    let mut extra: Vec<usize> = (5..filler::REFERENCES.len()).collect();
    rng.shuffle(&mut extra);
    extra.truncate(rng.range(0, 3));
    let chosen = (0..5).chain(extra);
    for (n, index) in chosen.enumerate() {
        let entry = filler::REFERENCES.get(index).copied().unwrap_or_default();
        t.ensure(SMALL.leading);
        let baseline = t.cursor() - SMALL.size;
        t.mark(text_mark(
            SMALL,
            LEFT,
            baseline,
            0.0,
            &format!("[{}]", n + 1),
        ));
        t.paragraph(SMALL, LEFT + 18.0, WIDTH - 18.0, entry);
        t.skip(3.0);
    }
}

/// A one-page appendix on a page of its own, filled to between half and 85 %.
pub(crate) fn appendix(t: &mut Typesetter, rng: &mut Rng, words: &mut Words) {
    t.new_page();
    heading(t, Some("A"), "Additional Experimental Details");
    let end = t.progress() + (0.5 + rng.below(35) as f32 / 100.0) * BLOCK_HEIGHT;
    let kinds = [SectionKind::Method, SectionKind::Experiments];
    while t.progress() < end {
        let kind = kinds[rng.below(2)];
        paragraph_until(t, rng, words, kind, end);
    }
}
