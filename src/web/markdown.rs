//! Markdown for chair-written text (the call for papers). Raw HTML is shown as text and
//! links or images with a script-capable scheme are neutralised, so a call text can never
//! inject script into the site.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let scheme_end = lower.find(':');
    let path_start = lower.find(['/', '?', '#']);
    match (scheme_end, path_start) {
        (None, _) => true,
        (Some(c), Some(p)) if p < c => true,
        _ => {
            lower.starts_with("http://")
                || lower.starts_with("https://")
                || lower.starts_with("mailto:")
        }
    }
}

fn neutralise(url: CowStr<'_>) -> CowStr<'_> {
    if safe_url(&url) {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

/// Renders Markdown to HTML that is safe to embed.
pub fn render(source: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(source, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: neutralise(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: neutralise(dest_url),
            title,
            id,
        }),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn markdown_is_rendered() {
        assert_eq!(render("**4 pages**"), "<p><strong>4 pages</strong></p>\n");
    }

    #[test]
    fn raw_html_and_script_are_escaped() {
        let out = render("<script>alert(1)</script>\n\nhi <img src=x onerror=alert(1)>");
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("<img"), "{out}");
        assert!(out.contains("&lt;script&gt;"));
    }

    #[test]
    fn script_links_are_neutralised() {
        let out = render(
            "[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) [z](https://neurips.cc) [w](/signin)",
        );
        assert!(!out.to_lowercase().contains("javascript:"), "{out}");
        assert!(out.contains("href=\"https://neurips.cc\""));
        assert!(out.contains("href=\"/signin\""));
    }
}
