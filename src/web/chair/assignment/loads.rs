//! Reviewer loads against what the papers take: the run form's defaults are fitted so that the
//! conference settings always give an assignment the engine can make (a minimum load that
//! more reviewers than papers need cannot all reach is lowered, and the page says so), and
//! when the chair's own numbers cannot be met the page says exactly what to change, with the
//! numbers and a link to the setting.

use crate::domain::conference::ConferenceSettings;
use crate::domain::pool::RunParams;
use crate::domain::submission::Track;
use crate::web::pool_data::PoolData;

/// One thing the chair can change, in words, with where to change the default.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadFix {
    pub text: String,
    /// The settings field that holds the default (`/chair/settings#<field>`).
    pub setting: &'static str,
    /// The setting's name as the settings page shows it.
    pub setting_label: &'static str,
}

/// The counts that decide whether loads can be met.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Demand {
    pub papers: u32,
    pub published: u32,
    pub reviewers: u32,
}

impl Demand {
    pub fn of(data: &PoolData) -> Demand {
        let published = data
            .papers
            .iter()
            .filter(|p| p.track == Track::Published)
            .count();
        Demand {
            papers: u32::try_from(data.papers.len() - published).unwrap_or(u32::MAX),
            published: u32::try_from(published).unwrap_or(u32::MAX),
            reviewers: u32::try_from(data.pool.iter().filter(|r| r.active).count())
                .unwrap_or(u32::MAX),
        }
    }

    /// Reviews the papers take with these parameters.
    pub fn reviews(&self, p: &RunParams) -> u64 {
        u64::from(self.papers) * u64::from(p.reviews_per_paper)
            + u64::from(self.published) * u64::from(p.reviews_per_published_paper)
    }
}

/// The run form's defaults: the settings, with the minimum load lowered when the reviewers'
/// minimums together exceed what the papers take. The note says what was lowered and why.
pub fn fitted_defaults(
    settings: &ConferenceSettings,
    demand: Demand,
) -> (RunParams, Option<String>) {
    let mut params = RunParams {
        objective: crate::assignment::Objective::Total,
        reviews_per_paper: settings.reviews_per_paper,
        reviews_per_published_paper: settings.reviews_per_published_paper,
        min_load: settings.reviewer_load_min,
        max_load: settings.reviewer_load_max,
    };
    if demand.reviewers == 0 {
        return (params, None);
    }
    let reviews = demand.reviews(&params);
    let fits = reviews / u64::from(demand.reviewers);
    if u64::from(params.min_load) > fits {
        let lowered = u32::try_from(fits).unwrap_or(0);
        let note = format!(
            "The settings ask at least {} papers of each reviewer, but {} reviewers × {} = {} reviews \
             is more than the {} the papers take, so this run proposes a minimum of {} papers \
             per reviewer (maximum {} as set).",
            params.min_load,
            demand.reviewers,
            params.min_load,
            u64::from(demand.reviewers) * u64::from(params.min_load),
            reviews,
            lowered,
            params.max_load,
        );
        params.min_load = lowered;
        return (params, Some(note));
    }
    (params, None)
}

fn ceil_div(a: u64, b: u64) -> u64 {
    if b == 0 { 0 } else { a.div_ceil(b) }
}

/// What to change when these parameters cannot give every paper and every reviewer their
/// counts; empty when the totals fit (other reasons are the engine's to explain).
pub fn fixes(params: &RunParams, demand: Demand) -> Vec<LoadFix> {
    let mut out = Vec::new();
    let reviewers = u64::from(demand.reviewers);
    let reviews = demand.reviews(params);
    let minimum = reviewers * u64::from(params.min_load);
    let maximum = reviewers * u64::from(params.max_load);
    if reviewers == 0 {
        if reviews > 0 {
            out.push(LoadFix {
                text: "There is no active reviewer: add reviewers (main authors become reviewers once the submission deadline has passed; volunteers can be invited).".into(),
                setting: "",
                setting_label: "",
            });
        }
        return out;
    }
    if minimum > reviews {
        out.push(LoadFix {
            text: format!(
                "{} reviewers × minimum {} papers = {minimum} reviews, but the papers take only {reviews}. \
                 Lower “Minimum papers per reviewer” to {} or less.",
                demand.reviewers,
                params.min_load,
                reviews / reviewers
            ),
            setting: "reviewer_load_min",
            setting_label: "Reviewer load: minimum",
        });
        if demand.papers > 0 {
            let extra = minimum - reviews;
            let per_paper =
                u64::from(params.reviews_per_paper) + ceil_div(extra, u64::from(demand.papers));
            out.push(LoadFix {
                text: format!(
                    "Or raise “Reviews per paper” to {per_paper} ({} papers in the paper track).",
                    demand.papers
                ),
                setting: "reviews_per_paper",
                setting_label: "Reviews per paper",
            });
        }
    }
    if maximum < reviews {
        out.push(LoadFix {
            text: format!(
                "The papers need {reviews} reviews, but {} reviewers × maximum {} papers = {maximum}. \
                 Raise “Maximum papers per reviewer” to {} or more, or add reviewers on the reviewers page.",
                demand.reviewers,
                params.max_load,
                ceil_div(reviews, reviewers)
            ),
            setting: "reviewer_load_max",
            setting_label: "Reviewer load: maximum",
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo_like() -> (ConferenceSettings, Demand) {
        let settings = ConferenceSettings::dlde_defaults(chrono::Utc::now());
        // 75 papers and 5 published papers, 81 reviewers: 3 × 81 = 243 > 3 × 75 + 5.
        let demand = Demand {
            papers: 75,
            published: 5,
            reviewers: 81,
        };
        (settings, demand)
    }

    #[test]
    fn default_minimum_is_lowered_to_what_the_papers_take() {
        let (settings, demand) = demo_like();
        let (params, note) = fitted_defaults(&settings, demand);
        assert_eq!(params.min_load, 2, "230 reviews / 81 reviewers");
        assert!(fixes(&params, demand).is_empty());
        let note = note.unwrap();
        assert!(note.contains("81 reviewers × 3 = 243"), "{note}");
        assert!(note.contains("230"), "{note}");
    }

    #[test]
    fn defaults_that_fit_are_kept() {
        let (settings, _) = demo_like();
        let demand = Demand {
            papers: 80,
            published: 0,
            reviewers: 60,
        };
        let (params, note) = fitted_defaults(&settings, demand);
        assert_eq!(params.min_load, 3);
        assert!(note.is_none());
    }

    #[test]
    fn too_high_minimum_names_the_numbers_and_the_settings() {
        let (settings, demand) = demo_like();
        let params = RunParams {
            min_load: 3,
            ..fitted_defaults(&settings, demand).0
        };
        let f = fixes(&params, demand);
        assert_eq!(f.len(), 2);
        assert!(f[0].text.contains("243 reviews"), "{}", f[0].text);
        assert!(f[0].text.contains("to 2 or less"), "{}", f[0].text);
        assert_eq!(f[0].setting, "reviewer_load_min");
        // 13 more reviews over 75 papers: one more review per paper.
        assert!(f[1].text.contains("to 4"), "{}", f[1].text);
    }

    #[test]
    fn too_low_maximum_names_the_numbers() {
        let (settings, demand) = demo_like();
        let params = RunParams {
            min_load: 0,
            max_load: 2,
            ..fitted_defaults(&settings, demand).0
        };
        let f = fixes(&params, demand);
        assert_eq!(f.len(), 1);
        assert!(f[0].text.contains("162"), "{}", f[0].text);
        assert!(f[0].text.contains("to 3 or more"), "{}", f[0].text);
    }
}
