//! Where to go after signing in: the page a signed-out visitor asked for, carried through the
//! sign-in form as `next`. Only a path on this site is ever used, so the parameter can never
//! send anyone elsewhere (no open redirect).

/// `raw` if it is a path on this site worth returning to; None otherwise.
///
/// A path starts with one `/` (not `//` or `/\`, which browsers read as another host), holds
/// no backslash, control character or space, is not the sign-in page itself, and is short.
pub fn local_path(raw: &str) -> Option<String> {
    let ok = raw.starts_with('/')
        && !raw.starts_with("//")
        && raw.len() <= 1000
        && !raw
            .chars()
            .any(|c| c == '\\' || c.is_control() || c.is_whitespace())
        && !raw.to_ascii_lowercase().contains("%0d")
        && !raw.to_ascii_lowercase().contains("%0a")
        && !is_account_page(raw);
    ok.then(|| raw.to_string())
}

/// Pages that make no sense to return to after signing in.
fn is_account_page(path: &str) -> bool {
    let route = path.split(['?', '#']).next().unwrap_or_default();
    matches!(
        route,
        "/signin" | "/signout" | "/register" | "/confirm" | "/reset" | "/reset/confirm"
    )
}

/// `/signin?next=…` for a visitor who asked for `path_and_query`; plain `/signin` when that is
/// not a page to come back to.
pub fn signin_location(path_and_query: &str) -> String {
    match local_path(path_and_query) {
        Some(p) if p != "/" => format!("/signin?next={}", encode(&p)),
        _ => "/signin".to_string(),
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_on_this_site_are_kept() {
        assert_eq!(local_path("/reviews/61"), Some("/reviews/61".into()));
        assert_eq!(
            local_path("/bids?page=2&q=ode"),
            Some("/bids?page=2&q=ode".into())
        );
    }

    #[test]
    fn anything_that_could_leave_the_site_is_refused() {
        for bad in [
            "",
            "reviews/61",
            "//evil.example",
            "/\\evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "/%0d%0aSet-Cookie:x",
            "/a b",
            "/signin?next=/x",
            "/reset",
        ] {
            assert_eq!(local_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_signin_location_carries_the_path_encoded() {
        assert_eq!(
            signin_location("/submissions/1?tab=reviews"),
            "/signin?next=%2Fsubmissions%2F1%3Ftab%3Dreviews"
        );
        assert_eq!(signin_location("/"), "/signin");
        assert_eq!(signin_location("//evil"), "/signin");
    }
}
