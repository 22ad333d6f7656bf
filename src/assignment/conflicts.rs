//! Conflicts of interest computed from data, so they do not depend on people typing them:
//! authorship, shared institution (normalised affiliation) and shared email domain (registrable
//! domain, public mail providers excluded). Pure string logic; bids that declare a conflict are
//! turned into conflicts by [`crate::assignment::affinity`].

/// Why a reviewer may not review a paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictReason {
    /// The reviewer is an author of the paper.
    Author,
    /// The reviewer shares an author's institution.
    Institution,
    /// The reviewer shares an author's (non-public) email domain.
    EmailDomain,
    /// The reviewer declared a conflict (a "conflict" bid) or a chair added one.
    Declared,
}

/// The identity facts conflicts are computed from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Person {
    /// Email address (compared case-insensitively).
    pub email: String,
    /// Free-text affiliation, e.g. "Univ. of Zürich".
    pub affiliation: String,
}

/// Mail providers whose domain says nothing about an institution.
const PUBLIC_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "live.com",
    "msn.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "protonmail.com",
    "protonmail.ch",
    "proton.me",
    "pm.me",
    "qq.com",
    "163.com",
    "126.com",
    "yeah.net",
    "foxmail.com",
    "sina.com",
    "sohu.com",
    "aol.com",
    "mail.ru",
    "zoho.com",
    "fastmail.com",
    "tutanota.com",
    "hey.com",
];

/// Public providers with many country domains (yahoo.co.uk, hotmail.fr, gmx.de, ...).
const PUBLIC_FAMILIES: &[&str] = &[
    "yahoo", "hotmail", "outlook", "live", "gmx", "yandex", "web",
];

/// Second-level labels under which registrations happen (ac.uk, edu.cn, co.jp, ...).
const SECOND_LEVEL: &[&str] = &[
    "ac", "co", "com", "edu", "gov", "org", "net", "or", "ne", "go",
];

/// All reasons `reviewer` conflicts with a paper written by `authors` (empty: no conflict).
pub fn conflicts_with(authors: &[Person], reviewer: &Person) -> Vec<ConflictReason> {
    let mut reasons = Vec::new();
    let email = reviewer.email.trim().to_lowercase();
    if !email.is_empty()
        && authors
            .iter()
            .any(|a| a.email.trim().to_lowercase() == email)
    {
        reasons.push(ConflictReason::Author);
    }
    let affiliation = normalise_affiliation(&reviewer.affiliation);
    if !affiliation.is_empty()
        && authors
            .iter()
            .any(|a| normalise_affiliation(&a.affiliation) == affiliation)
    {
        reasons.push(ConflictReason::Institution);
    }
    if let Some(domain) = institutional_domain(&reviewer.email)
        && authors
            .iter()
            .any(|a| institutional_domain(&a.email).as_deref() == Some(domain.as_str()))
    {
        reasons.push(ConflictReason::EmailDomain);
    }
    reasons
}

/// Canonical form of an affiliation: accents and case removed, punctuation dropped,
/// "Univ."/"Universität"/"Université"/... read as "university", filler words ("of", "the",
/// ...) dropped and the words sorted, so "Univ. of Zürich" and "University of Zurich" and
/// "Zurich University" agree. Empty when nothing is left.
pub fn normalise_affiliation(affiliation: &str) -> String {
    let folded: String = affiliation
        .chars()
        .flat_map(char::to_lowercase)
        .map(fold_accent)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let mut words: Vec<&str> = folded
        .split_whitespace()
        .filter(|w| {
            !matches!(
                *w,
                "of" | "the" | "at" | "de" | "di" | "du" | "la" | "del" | "and"
            )
        })
        .map(|w| match w {
            "univ" | "uni" | "universitat" | "universite" | "universidad" | "universita"
            | "universidade" | "universiteit" | "universitaet" => "university",
            "inst" => "institute",
            "tech" => "technology",
            other => other,
        })
        .collect();
    words.sort_unstable();
    words.dedup();
    words.join(" ")
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => 'i',
        'ł' | 'ľ' | 'ĺ' => 'l',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' | 'ŕ' => 'r',
        'ś' | 'š' | 'ş' | 'ß' => 's',
        'ť' | 'ţ' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        other => other,
    }
}

/// Registrable domain of an email address (`cs.stanford.edu` -> `stanford.edu`,
/// `eng.ox.ac.uk` -> `ox.ac.uk`), or `None` for a public mail provider or a malformed address.
pub fn institutional_domain(email: &str) -> Option<String> {
    let domain = email
        .trim()
        .rsplit_once('@')?
        .1
        .trim_end_matches('.')
        .to_lowercase();
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
        return None;
    }
    let n = labels.len();
    let take = if n >= 3 && labels[n - 1].len() == 2 && SECOND_LEVEL.contains(&labels[n - 2]) {
        3
    } else {
        2
    };
    let registrable = labels[n - take..].join(".");
    if PUBLIC_DOMAINS.contains(&registrable.as_str()) || PUBLIC_FAMILIES.contains(&labels[n - take])
    {
        return None;
    }
    Some(registrable)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(email: &str, affiliation: &str) -> Person {
        Person {
            email: email.into(),
            affiliation: affiliation.into(),
        }
    }

    #[test]
    fn affiliations_agree_across_spelling_accents_and_word_order() {
        let a = normalise_affiliation("Univ. of Zürich");
        assert_eq!(a, normalise_affiliation("University of Zurich"));
        assert_eq!(a, normalise_affiliation("Universität Zürich"));
        assert_eq!(a, normalise_affiliation("ZURICH UNIVERSITY"));
        assert_ne!(a, normalise_affiliation("ETH Zurich"));
        assert_eq!(normalise_affiliation(" -- "), "");
    }

    #[test]
    fn registrable_domains_ignore_subdomains_and_public_providers() {
        assert_eq!(
            institutional_domain("a@cs.stanford.edu").as_deref(),
            Some("stanford.edu")
        );
        assert_eq!(
            institutional_domain("a@eng.ox.ac.uk").as_deref(),
            Some("ox.ac.uk")
        );
        assert_eq!(institutional_domain("a@gmail.com"), None);
        assert_eq!(institutional_domain("a@yahoo.co.uk"), None);
        assert_eq!(institutional_domain("a@hotmail.fr"), None);
        assert_eq!(institutional_domain("a@163.com"), None);
        assert_eq!(institutional_domain("not an email"), None);
    }

    #[test]
    fn reviewer_conflicts_carry_every_reason() {
        let authors = [person("Ann@CS.Stanford.edu", "Stanford University")];
        let same = person("ann@cs.stanford.edu", "Stanford Univ.");
        assert_eq!(
            conflicts_with(&authors, &same),
            vec![
                ConflictReason::Author,
                ConflictReason::Institution,
                ConflictReason::EmailDomain
            ]
        );
        let colleague = person("bob@stanford.edu", "Google");
        assert_eq!(
            conflicts_with(&authors, &colleague),
            vec![ConflictReason::EmailDomain]
        );
        let stranger = person("carl@gmail.com", "MIT");
        assert!(conflicts_with(&authors, &stranger).is_empty());
        let both_gmail = [person("x@gmail.com", "")];
        assert!(conflicts_with(&both_gmail, &stranger).is_empty());
    }
}
