//! Folding accented and non-Latin-1 letters to plain ASCII, for email local parts and for
//! characters that the PDF's WinAnsi encoding cannot show (e.g. "ễ" → "e", "ł" → "l").
//!
//! Only Latin-script letters are covered; the demo tables use nothing else.

/// The ASCII spelling of one non-ASCII letter, or `None` when it is unknown.
pub fn fold_char(c: char) -> Option<&'static str> {
    let folded = match c {
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' | 'Ạ' | 'Ả' | 'Ấ' | 'Ầ' | 'Ậ' | 'Ắ' => {
            "A"
        }
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ạ' | 'ả' | 'ấ' | 'ầ' | 'ẩ' | 'ẫ'
        | 'ậ' | 'ắ' | 'ằ' | 'ẳ' | 'ẵ' | 'ặ' => "a",
        'Æ' => "AE",
        'æ' => "ae",
        'Ç' | 'Ć' | 'Č' => "C",
        'ç' | 'ć' | 'č' => "c",
        'Ð' | 'Đ' | 'Ď' => "D",
        'ð' | 'đ' | 'ď' => "d",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ė' | 'Ę' | 'Ě' | 'Ệ' | 'Ế' | 'Ề' | 'Ễ' => {
            "E"
        }
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' | 'ẹ' | 'ẻ' | 'ẽ' | 'ế' | 'ề' | 'ể' | 'ễ'
        | 'ệ' => "e",
        'Ğ' => "G",
        'ğ' => "g",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'İ' | 'Ị' => "I",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' | 'ị' | 'ỉ' | 'ĩ' => "i",
        'Ł' => "L",
        'ł' => "l",
        'Ñ' | 'Ń' | 'Ň' => "N",
        'ñ' | 'ń' | 'ň' => "n",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ő' | 'Ơ' | 'Ọ' | 'Ố' | 'Ồ' | 'Ộ' | 'Ớ' => {
            "O"
        }
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' | 'ơ' | 'ọ' | 'ỏ' | 'ố' | 'ồ' | 'ổ' | 'ỗ'
        | 'ộ' | 'ớ' | 'ờ' | 'ở' | 'ỡ' | 'ợ' => "o",
        'Œ' => "OE",
        'œ' => "oe",
        'Ř' => "R",
        'ř' => "r",
        'Ś' | 'Š' | 'Ş' | 'Ș' => "S",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'ß' => "ss",
        'Ť' | 'Ţ' | 'Ț' => "T",
        'ť' | 'ţ' | 'ț' => "t",
        'Þ' => "Th",
        'þ' => "th",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' | 'Ư' | 'Ụ' | 'Ứ' => "U",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ư' | 'ụ' | 'ủ' | 'ũ' | 'ứ' | 'ừ' | 'ử' | 'ữ'
        | 'ự' => "u",
        'Ý' | 'Ÿ' | 'Ỳ' => "Y",
        'ý' | 'ÿ' | 'ỳ' | 'ỹ' | 'ỷ' | 'ỵ' => "y",
        'Ź' | 'Ż' | 'Ž' => "Z",
        'ź' | 'ż' | 'ž' => "z",
        '–' | '—' => "-",
        '‘' | '’' => "'",
        '“' | '”' => "\"",
        _ => return None,
    };
    Some(folded)
}

/// Plain lowercase ASCII letters and digits only, for building email local parts.
pub fn ascii_slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(folded) = fold_char(c) {
            out.extend(
                folded
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .map(|f| f.to_ascii_lowercase()),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_folds_accents_and_drops_punctuation() {
        assert_eq!(ascii_slug("Nguyễn"), "nguyen");
        assert_eq!(ascii_slug("Łukasz"), "lukasz");
        assert_eq!(ascii_slug("O'Súilleabháin"), "osuilleabhain");
        assert_eq!(ascii_slug("Müller-Þór"), "mullerthor");
    }
}
