//! Pages of long lists: the chairs' lists of a 10,000-paper conference are shown 100 rows at
//! a time (sorted and filtered over all rows first), with links to the other pages that keep
//! the list's filters. `templates/paging.html` renders the links.

/// Rows per page of a chair's list.
pub const PER_PAGE: usize = 100;

/// Where a page is in its list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paging {
    /// 1-based number of the page shown.
    pub page: usize,
    /// How many pages the list has (at least 1).
    pub pages: usize,
    /// Rows in the whole list.
    pub total: usize,
    /// 1-based numbers of the first and last row shown (0 and 0 for an empty list).
    pub first: usize,
    pub last: usize,
    /// The list's path and query without `page`, ending in `?` or `&`.
    pub base: String,
    /// What the list's rows are, as the links' summary names them ("Rows 1–100 of 250").
    pub noun: &'static str,
}

impl Paging {
    /// Page `page` (1-based; out-of-range numbers show the nearest page) of `total` rows.
    /// `base` is the path with the list's other query parameters, e.g. `/chair/submissions?sort=title`.
    pub fn new(total: usize, page: usize, per_page: usize, base: &str) -> Paging {
        let per_page = per_page.max(1);
        let pages = total.div_ceil(per_page).max(1);
        let page = page.clamp(1, pages);
        let first = if total == 0 {
            0
        } else {
            (page - 1) * per_page + 1
        };
        let last = (page * per_page).min(total);
        let separator = if base.contains('?') { '&' } else { '?' };
        Paging {
            page,
            pages,
            total,
            first,
            last,
            base: format!("{base}{separator}"),
            noun: "Rows",
        }
    }

    /// The same, naming its rows `noun` ("Papers 1–100 of 250").
    pub fn naming(self, noun: &'static str) -> Paging {
        Paging { noun, ..self }
    }

    /// The rows of this page among `0..total`.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.first.saturating_sub(1)..self.last
    }

    /// Keeps only this page's rows of `rows` (the whole list, in order).
    pub fn slice<T>(&self, mut rows: Vec<T>) -> Vec<T> {
        let range = self.range();
        rows.truncate(range.end);
        rows.drain(..range.start.min(rows.len()));
        rows
    }

    pub fn has_more_than_one(&self) -> bool {
        self.pages > 1
    }

    /// The link to page `page` (askama passes numbers by value or by reference).
    pub fn href(&self, page: impl std::fmt::Display) -> String {
        format!("{}page={page}", self.base)
    }

    pub fn previous(&self) -> Option<usize> {
        (self.page > 1).then(|| self.page - 1)
    }

    pub fn next(&self) -> Option<usize> {
        (self.page < self.pages).then(|| self.page + 1)
    }
}

/// `page` from a query string value ("" or garbage: the first page).
pub fn page_number(raw: &str) -> usize {
    raw.trim().parse().unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cover_every_row_once_and_clamp_out_of_range_numbers() {
        let p = Paging::new(250, 3, 100, "/chair/submissions");
        assert_eq!((p.first, p.last, p.pages), (201, 250, 3));
        assert_eq!(
            p.slice((0..250).collect::<Vec<_>>()),
            (200..250).collect::<Vec<_>>()
        );
        assert_eq!(Paging::new(250, 99, 100, "/x").page, 3);
        assert_eq!(Paging::new(250, 0, 100, "/x").page, 1);
        let empty = Paging::new(0, 1, 100, "/x");
        assert_eq!((empty.first, empty.last, empty.pages), (0, 0, 1));
        assert!(empty.slice(Vec::<u8>::new()).is_empty());
    }

    #[test]
    fn links_keep_the_lists_other_parameters() {
        let p = Paging::new(250, 2, 100, "/chair/submissions?sort=title");
        assert_eq!(p.href(3), "/chair/submissions?sort=title&page=3");
        assert_eq!(
            Paging::new(5, 1, 100, "/chair/reviews").href(1),
            "/chair/reviews?page=1"
        );
        assert_eq!((p.previous(), p.next()), (Some(1), Some(3)));
    }
}
