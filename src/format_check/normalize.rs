//! Text folding for name and e-mail matching: Unicode NFC, then transliteration to ASCII
//! (deunicode: "Zoë" → "zoe", "Łukasz" → "lukasz", "Trần" → "tran"), then lower case.
//! German-style spellings ("Schaefer" for "Schäfer") are produced as extra name variants.

use unicode_normalization::UnicodeNormalization;

/// Folds text to lower-case ASCII; characters without a transliteration become spaces.
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    if text.is_ascii() {
        out.extend(text.chars().map(|c| c.to_ascii_lowercase()));
        return out;
    }
    for c in text.nfc() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(ascii) = deunicode::deunicode_char(c) {
            out.extend(ascii.chars().map(|a| a.to_ascii_lowercase()));
        } else {
            out.push(' ');
        }
    }
    out
}

/// Alphanumeric words of folded text.
pub(crate) fn tokens(folded: &str) -> Vec<&str> {
    folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect()
}

/// The token sequences under which a full name may appear in a PDF.
pub(crate) fn name_variants(name: &str) -> Vec<Vec<String>> {
    let mut variants: Vec<Vec<String>> = Vec::new();
    let plain: Vec<String> = tokens(&fold(name)).iter().map(|t| t.to_string()).collect();
    if !plain.is_empty() {
        variants.push(plain);
    }
    let german: String = name
        .nfc()
        .map(|c| match c {
            'ä' | 'Ä' => "ae".to_string(),
            'ö' | 'Ö' | 'ø' | 'Ø' => "oe".to_string(),
            'ü' | 'Ü' => "ue".to_string(),
            'ß' => "ss".to_string(),
            'å' | 'Å' => "aa".to_string(),
            other => other.to_string(),
        })
        .collect();
    let german: Vec<String> = tokens(&fold(&german))
        .iter()
        .map(|t| t.to_string())
        .collect();
    if !german.is_empty() && !variants.contains(&german) {
        variants.push(german);
    }
    // Text drawn by a matplotlib Type 3 font (`pdf.fonttype` 3, its default) holds only the
    // first 256 code points: "ş" or "ł" in a figure title is drawn as a path, so "Ayşe Demir"
    // reads "Aye Demir" or "Ay e Demir". Both forms of such a name are listed authors too.
    if name.nfc().any(|c| u32::from(c) > 0xFF && c.is_alphabetic()) {
        for gap in ["", " "] {
            let drawn: String = name
                .nfc()
                .map(|c| {
                    if u32::from(c) > 0xFF && c.is_alphabetic() {
                        gap.to_string()
                    } else {
                        c.to_string()
                    }
                })
                .collect();
            let drawn: Vec<String> = tokens(&fold(&drawn))
                .iter()
                .map(|t| t.to_string())
                .collect();
            // Only when the full name still has a given name and a surname of two letters.
            if drawn.len() >= 2
                && drawn.iter().all(|t| !t.is_empty())
                && drawn.iter().filter(|t| t.len() >= 2).count() >= 2
                && !variants.contains(&drawn)
            {
                variants.push(drawn);
            }
        }
    }
    variants
}

/// Position of the token sequence `needle` inside `haystack`.
#[cfg(test)]
pub(crate) fn find_sequence(haystack: &[&str], needle: &[String]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack
        .windows(needle.len())
        .position(|w| w.iter().zip(needle).all(|(a, b)| *a == b.as_str()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn accents_case_and_scripts_fold_alike() {
        assert_eq!(fold("Zoë"), "zoe");
        assert_eq!(fold("ZOE"), "zoe");
        assert_eq!(fold("Łukasz"), "lukasz");
        // Decomposed input (e + combining diaeresis) folds like the precomposed one.
        assert_eq!(fold("Zoe\u{308}"), "zoe");
        assert_eq!(fold("Trần Văn Hùng"), "tran van hung");
    }

    #[test]
    fn names_match_with_the_letters_a_type3_figure_cannot_hold_left_out() {
        for printed in ["Simulations by Aye Demir", "Simulations by Ay e Demir"] {
            let text = fold(printed);
            assert!(
                name_variants("Ayşe Demir")
                    .iter()
                    .any(|v| find_sequence(&tokens(&text), v).is_some()),
                "{printed}"
            );
        }
        // Latin-1 names have no such forms: "Zoe" is not "Zoë" with a letter left out.
        assert_eq!(name_variants("Zoë Bézier").len(), 1);
        let text = fold("by Aye Demirci");
        assert!(
            name_variants("Ayşe Demir")
                .iter()
                .all(|v| find_sequence(&tokens(&text), v).is_none())
        );
    }

    #[test]
    fn names_match_as_written_and_transliterated() {
        let variants = name_variants("Jürgen Schäfer");
        let text = fold("thanks to Juergen Schaefer and others");
        assert!(
            variants
                .iter()
                .any(|v| find_sequence(&tokens(&text), v).is_some())
        );
        let text = fold("thanks to JÜRGEN SCHÄFER");
        assert!(
            variants
                .iter()
                .any(|v| find_sequence(&tokens(&text), v).is_some())
        );
        let text = fold("thanks to Jürgen Schäferling");
        assert!(
            variants
                .iter()
                .all(|v| find_sequence(&tokens(&text), v).is_none())
        );
    }
}
