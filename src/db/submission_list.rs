//! The chairs' list of submissions in SQL: filtered, counted, sorted and paged by the
//! database on the `submission_listing` row stored when a paper is written (its lower-cased
//! title, and the newest paper PDF's pages, verdict and format problem codes), so a page
//! reads its 100 rows whatever the size of the conference. Also the start-up backfill of those columns for rows written
//! before they existed. What the list shows of each row lives in `web::chair::papers`.

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::Text;

use super::AnyConnection;
use super::schema::{documents, submission_authors, submission_listing, submissions};
use super::submissions::{AuthorRow, DocumentRow};

/// The list's sort orders; every one ends in the paper number, as the list always did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListSort {
    #[default]
    Number,
    /// Lower-cased title.
    Title,
    Track,
    Status,
    /// Most pages first, papers without a PDF last.
    Pages,
    /// Most format problems first.
    Format,
    /// Oldest first.
    Submitted,
}

impl ListSort {
    /// The query string's `sort` value; anything else is by number.
    pub fn parse(raw: &str) -> ListSort {
        match raw {
            "title" => ListSort::Title,
            "track" => ListSort::Track,
            "status" => ListSort::Status,
            "pages" => ListSort::Pages,
            "format" => ListSort::Format,
            "submitted" => ListSort::Submitted,
            _ => ListSort::Number,
        }
    }
}

/// Which submissions the list shows, in which order.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub track: Option<String>,
    pub status: Option<String>,
    /// Only papers whose newest PDF has format problems (failed or warned).
    pub problems_only: bool,
    /// Lower-cased; a paper matches when one of its keywords, lower-cased, contains it.
    pub keyword: String,
    pub sort: ListSort,
}

/// A submission as the chairs' list and its CSV show it (no abstract, no long columns).
#[derive(Debug, Clone)]
pub struct ListedSubmission {
    pub id: String,
    pub number: i32,
    pub title: String,
    pub track: String,
    pub status: String,
    pub created_at: chrono::NaiveDateTime,
    pub paper_pages: Option<i32>,
    pub paper_verdict: Option<String>,
    /// Format problem codes of the newest paper PDF, space-separated.
    pub paper_flags: String,
}

impl ListedSubmission {
    pub fn flags(&self) -> Vec<&str> {
        self.paper_flags.split_whitespace().collect()
    }
}

type ListedTuple = (
    String,
    i32,
    String,
    String,
    String,
    chrono::NaiveDateTime,
    Option<i32>,
    Option<String>,
    String,
);

/// The columns of [`ListedSubmission`], from a submission joined with its listing row.
macro_rules! listed_columns {
    () => {
        (
            submissions::id,
            submissions::number,
            submissions::title,
            submissions::track,
            submissions::status,
            submissions::created_at,
            submission_listing::paper_pages,
            submission_listing::paper_verdict,
            submission_listing::paper_flags,
        )
    };
}

fn listed(rows: Vec<ListedTuple>) -> Vec<ListedSubmission> {
    rows.into_iter()
        .map(
            |(id, number, title, track, status, created_at, pages, verdict, flags)| {
                ListedSubmission {
                    id,
                    number,
                    title,
                    track,
                    status,
                    created_at,
                    paper_pages: pages,
                    paper_verdict: verdict,
                    paper_flags: flags,
                }
            },
        )
        .collect()
}

macro_rules! filtered {
    ($f:expr) => {{
        let f: &ListFilter = $f;
        let mut q = submissions::table
            .inner_join(submission_listing::table)
            .into_boxed();
        if let Some(t) = &f.track {
            q = q.filter(submissions::track.eq(t.clone()));
        }
        if let Some(s) = &f.status {
            q = q.filter(submissions::status.eq(s.clone()));
        }
        if f.problems_only {
            q = q.filter(submission_listing::paper_flag_count.gt(0));
        }
        q
    }};
}

macro_rules! sorted {
    ($c:expr, $f:expr) => {{
        let f: &ListFilter = $f;
        let q = filtered!(f);
        // Text compared bytewise on both backends, as Rust's sort did.
        let title = if matches!($c, AnyConnection::Postgresql(_)) {
            "submission_listing.title_key COLLATE \"C\""
        } else {
            "submission_listing.title_key"
        };
        match f.sort {
            ListSort::Number => q.order(submissions::number),
            ListSort::Title => q.order((sql::<Text>(title).asc(), submissions::number)),
            ListSort::Track => q.order((submissions::track, submissions::number)),
            ListSort::Status => q.order((submissions::status, submissions::number)),
            ListSort::Pages => q.order((
                submission_listing::paper_pages.is_null(),
                submission_listing::paper_pages.desc(),
                submissions::number,
            )),
            ListSort::Format => q.order((
                submission_listing::paper_flag_count.desc(),
                submissions::number,
            )),
            ListSort::Submitted => q.order((submissions::created_at, submissions::number)),
        }
    }};
}

/// Page `page` (1-based; out of range: the nearest page, as `web::views::paging` clamps it)
/// of `per_page` rows: (rows matching, the page's rows).
pub fn page(
    c: &mut AnyConnection,
    filter: &ListFilter,
    page: usize,
    per_page: usize,
) -> QueryResult<(usize, Vec<ListedSubmission>)> {
    let per_page = per_page.max(1);
    let first = |total: usize| (page.clamp(1, total.div_ceil(per_page).max(1)) - 1) * per_page;
    if !filter.keyword.is_empty() {
        let ids = ordered_ids(c, filter)?;
        let shown: Vec<String> = ids
            .iter()
            .skip(first(ids.len()))
            .take(per_page)
            .cloned()
            .collect();
        return Ok((ids.len(), by_ids(c, &shown)?));
    }
    let total: i64 = filtered!(filter).count().get_result(c)?;
    let total = usize::try_from(total).unwrap_or(0);
    let rows = sorted!(c, filter)
        .offset(i64::try_from(first(total)).unwrap_or(i64::MAX))
        .limit(i64::try_from(per_page).unwrap_or(i64::MAX))
        .select(listed_columns!())
        .load::<ListedTuple>(c)?;
    Ok((total, listed(rows)))
}

/// The ids of every matching submission in list order (the CSV export reads their rows in
/// chunks). A keyword filter is applied here, in Rust, exactly as the list always did it:
/// keywords are a JSON array that SQL common to both backends cannot split.
pub fn ordered_ids(c: &mut AnyConnection, filter: &ListFilter) -> QueryResult<Vec<String>> {
    if filter.keyword.is_empty() {
        return sorted!(c, filter).select(submissions::id).load(c);
    }
    let rows: Vec<(String, String)> = sorted!(c, filter)
        .select((submissions::id, submissions::keywords))
        .load(c)?;
    Ok(rows
        .into_iter()
        .filter(|(_, keywords)| {
            serde_json::from_str::<Vec<String>>(keywords)
                .unwrap_or_default()
                .iter()
                .any(|k| k.to_lowercase().contains(&filter.keyword))
        })
        .map(|(id, _)| id)
        .collect())
}

/// The listed rows of `ids`, in the order of `ids`.
pub fn by_ids(c: &mut AnyConnection, ids: &[String]) -> QueryResult<Vec<ListedSubmission>> {
    let rows = submissions::table
        .inner_join(submission_listing::table)
        .filter(submissions::id.eq_any(ids))
        .select(listed_columns!())
        .load::<ListedTuple>(c)?;
    let mut rows = listed(rows);
    let position: std::collections::HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    rows.sort_by_key(|r| position.get(r.id.as_str()).copied().unwrap_or(usize::MAX));
    Ok(rows)
}

/// The authors of `ids`, in paper and author order.
pub fn authors_of(c: &mut AnyConnection, ids: &[String]) -> QueryResult<Vec<AuthorRow>> {
    submission_authors::table
        .filter(submission_authors::submission_id.eq_any(ids))
        .order((
            submission_authors::submission_id,
            submission_authors::position,
        ))
        .select(AuthorRow::as_select())
        .load(c)
}

/// The format problem codes of a stored format report, in report order without repeats of
/// the same code in a row (what the list has always shown).
pub fn report_flags(report: Option<&str>) -> Vec<String> {
    let Some(value) = report.and_then(|r| serde_json::from_str::<serde_json::Value>(r).ok()) else {
        return Vec::new();
    };
    let mut codes: Vec<String> = value["violations"]
        .as_array()
        .map(|v| {
            v.iter()
                .filter_map(|x| x["code"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    codes.dedup();
    codes
}

/// Stores the list's sort key of submission `id`'s title (a new submission or an edit).
pub fn store_title(c: &mut AnyConnection, id: &str, title: &str) -> QueryResult<()> {
    let key = title.to_lowercase();
    let updated = diesel::update(submission_listing::table.find(id))
        .set(submission_listing::title_key.eq(&key))
        .execute(c)?;
    if updated == 0 {
        diesel::insert_into(submission_listing::table)
            .values((
                submission_listing::submission_id.eq(id),
                submission_listing::title_key.eq(&key),
            ))
            .execute(c)?;
    }
    Ok(())
}

/// A new submission's list row: its title's sort key and, when the submission arrives with
/// its paper, that PDF's list columns (one statement: there is no row yet, unlike
/// [`store_title`] and [`store_paper_columns`]).
pub fn insert_row(
    c: &mut AnyConnection,
    id: &str,
    title: &str,
    paper: Option<PaperFacts>,
) -> QueryResult<()> {
    let flags = report_flags(paper.and_then(|d| d.report));
    diesel::insert_into(submission_listing::table)
        .values((
            submission_listing::submission_id.eq(id),
            submission_listing::title_key.eq(title.to_lowercase()),
            submission_listing::paper_pages.eq(paper.and_then(|d| d.pages)),
            submission_listing::paper_verdict.eq(paper.and_then(|d| d.verdict)),
            submission_listing::paper_flags.eq(flags.join(" ")),
            submission_listing::paper_flag_count.eq(i32::try_from(flags.len()).unwrap_or(i32::MAX)),
        ))
        .execute(c)
        .map(|_| ())
}

/// What the list shows of a submission's newest paper PDF.
#[derive(Debug, Clone, Copy)]
pub struct PaperFacts<'a> {
    pub pages: Option<i32>,
    pub verdict: Option<&'a str>,
    /// The format report's JSON, for its problem codes.
    pub report: Option<&'a str>,
}

impl<'a> PaperFacts<'a> {
    fn of(d: &'a DocumentRow) -> PaperFacts<'a> {
        PaperFacts {
            pages: d.pages,
            verdict: d.format_verdict.as_deref(),
            report: d.format_report.as_deref(),
        }
    }
}

/// Stores submission `id`'s list columns from its newest paper PDF (none: no pages, no
/// verdict, no problems). Called whenever a document is stored.
pub fn refresh_paper_columns(c: &mut AnyConnection, id: &str) -> QueryResult<()> {
    let newest: Option<DocumentRow> = documents::table
        .filter(documents::submission_id.eq(id))
        .filter(documents::kind.eq("paper"))
        .order(documents::uploaded_at.desc())
        .select(DocumentRow::as_select())
        .first(c)
        .optional()?;
    store_paper_columns(c, id, newest.as_ref().map(PaperFacts::of))
}

/// Stores submission `id`'s list columns from `paper`, its newest paper PDF (none: no pages,
/// no verdict, no problems).
pub fn store_paper_columns(
    c: &mut AnyConnection,
    id: &str,
    paper: Option<PaperFacts>,
) -> QueryResult<()> {
    let flags = report_flags(paper.and_then(|d| d.report));
    diesel::update(submission_listing::table.find(id))
        .set((
            submission_listing::paper_pages.eq(paper.and_then(|d| d.pages)),
            submission_listing::paper_verdict.eq(paper.and_then(|d| d.verdict)),
            submission_listing::paper_flags.eq(flags.join(" ")),
            submission_listing::paper_flag_count.eq(i32::try_from(flags.len()).unwrap_or(i32::MAX)),
        ))
        .execute(c)
        .map(|_| ())
}

/// Rows per backfill transaction.
const BACKFILL_CHUNK: i64 = 500;

/// Writes the listing rows of submissions stored before the table existed; returns how
/// many. Idempotent, and one query finding nothing once done.
pub fn backfill_list_columns(c: &mut AnyConnection) -> QueryResult<usize> {
    let mut done = 0;
    loop {
        let chunk: Vec<(String, String)> = submissions::table
            .left_join(submission_listing::table)
            .filter(submission_listing::submission_id.nullable().is_null())
            .order(submissions::id)
            .limit(BACKFILL_CHUNK)
            .select((submissions::id, submissions::title))
            .load(c)?;
        if chunk.is_empty() {
            return Ok(done);
        }
        let ids: Vec<String> = chunk.iter().map(|(id, _)| id.clone()).collect();
        let papers = super::submissions::latest_documents_of(c, "paper", &ids)?;
        let paper_of: std::collections::HashMap<&str, &DocumentRow> = papers
            .iter()
            .map(|d| (d.submission_id.as_str(), d))
            .collect();
        c.transaction(|c| {
            for (id, title) in &chunk {
                store_title(c, id, title)?;
                store_paper_columns(c, id, paper_of.get(id.as_str()).map(|d| PaperFacts::of(d)))?;
            }
            Ok::<_, diesel::result::Error>(())
        })?;
        done += chunk.len();
    }
}
