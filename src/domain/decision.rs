//! The decisions a chair can take on a paper and what they mean for its presentation.

use serde::{Deserialize, Serialize};

/// A chair's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Reject,
    /// Accepted, presented as a poster.
    Poster,
    /// Accepted, a 5-minute spotlight (and a poster).
    Spotlight,
    /// Accepted, a 15-minute contributed talk (and a poster).
    Talk,
}

impl Decision {
    pub const ALL: [Decision; 4] = [
        Decision::Reject,
        Decision::Poster,
        Decision::Spotlight,
        Decision::Talk,
    ];

    pub fn parse(raw: &str) -> Option<Decision> {
        Decision::ALL.into_iter().find(|d| d.as_str() == raw)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Reject => "reject",
            Decision::Poster => "poster",
            Decision::Spotlight => "spotlight",
            Decision::Talk => "talk",
        }
    }

    pub fn is_accept(self) -> bool {
        self != Decision::Reject
    }

    /// For the chair's pages: "accept (contributed talk)".
    pub fn label(self) -> &'static str {
        match self {
            Decision::Reject => "reject",
            Decision::Poster => "accept (poster)",
            Decision::Spotlight => "accept (spotlight)",
            Decision::Talk => "accept (contributed talk)",
        }
    }

    /// For letters and public pages; empty for a rejection.
    pub fn presentation(self) -> &'static str {
        match self {
            Decision::Reject => "",
            Decision::Poster => "poster",
            Decision::Spotlight => "spotlight (5 min) and poster",
            Decision::Talk => "contributed talk (15 min) and poster",
        }
    }
}

/// Why a decision cannot be set: the slots of its kind are all taken, by these papers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotsFull {
    pub kind: Decision,
    pub limit: u32,
    pub holders: Vec<i32>,
}

impl std::fmt::Display for SlotsFull {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.kind {
            Decision::Talk => "contributed-talk",
            _ => "spotlight",
        };
        let list: Vec<String> = self.holders.iter().map(|n| format!("#{n}")).collect();
        write!(
            f,
            "All {} {what} slots are taken, by {}. Change one of them first, or raise the number of slots in the settings.",
            self.limit,
            list.join(", ")
        )
    }
}

/// Checks the slot limit for giving `wanted` to a paper, when `holders` (other papers) hold
/// that decision already.
pub fn check_slots(
    wanted: Decision,
    holders: &[i32],
    talk_slots: u32,
    spotlight_slots: u32,
) -> Result<(), SlotsFull> {
    let limit = match wanted {
        Decision::Talk => talk_slots,
        Decision::Spotlight => spotlight_slots,
        _ => return Ok(()),
    };
    if holders.len() as u64 >= u64::from(limit) {
        let mut holders = holders.to_vec();
        holders.sort_unstable();
        return Err(SlotsFull {
            kind: wanted,
            limit,
            holders,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_round_trip_and_only_these_exist() {
        for d in Decision::ALL {
            assert_eq!(Decision::parse(d.as_str()), Some(d));
        }
        assert_eq!(Decision::parse("accept"), None);
        assert!(!Decision::Reject.is_accept() && Decision::Talk.is_accept());
    }

    #[test]
    fn a_fifth_talk_is_refused_naming_the_four() {
        assert!(check_slots(Decision::Talk, &[3, 1, 2], 4, 8).is_ok());
        let full = check_slots(Decision::Talk, &[40, 3, 12, 51], 4, 8).unwrap_err();
        assert_eq!(full.holders, vec![3, 12, 40, 51]);
        let text = full.to_string();
        assert!(
            text.contains("All 4 contributed-talk slots are taken, by #3, #12, #40, #51"),
            "{text}"
        );
        assert!(check_slots(Decision::Poster, &[1; 100], 0, 0).is_ok());
        assert!(check_slots(Decision::Spotlight, &[], 4, 0).is_err());
    }
}
