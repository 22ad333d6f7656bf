//! The assignment as CSV: the export of committed assignments (chairs do not see who reviews
//! their own papers) and the import, which validates every row against the pool and becomes a
//! preview only if all are valid.

use std::collections::{BTreeSet, HashMap};

use actix_multipart::Multipart;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use futures_util::StreamExt;

use super::preview::{ProposedPair, RunMeta, default_params, parse_preview, store_preview};
use super::run::show;
use crate::auth::constant_time_eq;
use crate::db::assignments as asg;
use crate::db::{self, DbError};
use crate::policy;
use crate::web::csv::{csv_attachment, csv_safe};
use crate::web::error::AppError;
use crate::web::extract::{PageCtx, set_flash};
use crate::web::pool_data::{PoolData, current_pool};
use crate::web::see_other;

pub(super) async fn export(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    policy::perm_manage_conference(&ctx.actor)?;
    let data = current_pool(&ctx.state).await?;
    // Every committed assignment: those between active papers and pool members, and the
    // stale ones (withdrawn papers, people out of the pool).
    let rows = data
        .committed
        .iter()
        .map(|&(p, r)| {
            (
                data.papers[p].id.as_str(),
                data.pool[r].person.email.as_str(),
            )
        })
        .chain(
            data.stale
                .iter()
                .map(|a| (a.submission_id.as_str(), a.reviewer_email.as_str())),
        );
    let mut out = csv::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| AppError::Unexpected(e.into());
    out.write_record([
        "paper_number",
        "reviewer_email",
        "reviewer_name",
        "paper_title",
    ])
    .map_err(csv_err)?;
    // A chair does not learn who reviews their own paper.
    let mut lines: Vec<(i32, String, String, String)> = rows
        .filter(|(id, _)| {
            data.paper_by_id(id).is_none_or(|p| {
                policy::can_see_reviewers(
                    &ctx.actor,
                    data.papers[p].authors.iter().map(|(x, _)| x.email.as_str()),
                )
            })
        })
        .filter_map(|(id, email)| {
            let row = data.row_by_id(id)?;
            let name = data
                .reviewer_by_email(email)
                .map(|r| data.pool[r].person.name.clone())
                .unwrap_or_default();
            Some((row.number, email.to_string(), name, row.title.clone()))
        })
        .collect();
    lines.sort();
    for (number, email, name, title) in &lines {
        out.write_record([
            number.to_string(),
            csv_safe(email),
            csv_safe(name),
            csv_safe(title),
        ])
        .map_err(csv_err)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("csv: {e}")))?;
    Ok(csv_attachment(bytes, "assignments.csv"))
}

/// Largest assignment CSV accepted (a 10,000-paper conference's fits easily).
const IMPORT_MAX_BYTES: usize = 16 * 1024 * 1024;

/// Reads the import form: the CSRF token and the CSV file.
async fn read_import(mut payload: Multipart) -> Result<(String, Vec<u8>), AppError> {
    let unreadable =
        || AppError::BadRequest("The form could not be read; please try again.".into());
    let (mut csrf, mut csv) = (String::new(), Vec::new());
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|_| unreadable())?;
        let name = field.name().unwrap_or("").to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            bytes.extend_from_slice(&chunk.map_err(|_| unreadable())?);
            if bytes.len() > IMPORT_MAX_BYTES {
                return Err(AppError::TooLarge);
            }
        }
        match name.as_str() {
            "csrf" => csrf = String::from_utf8_lossy(&bytes).into_owned(),
            "file" => csv = bytes,
            _ => {}
        }
    }
    Ok((csrf, csv))
}

/// Validates an assignment CSV (columns `paper_number` and `reviewer_email`, others ignored)
/// against the pool; every problem is reported with its line, and nothing is taken unless
/// every row is valid.
pub fn parse_import(data: &PoolData, csv_bytes: &[u8]) -> Result<Vec<ProposedPair>, Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(csv_bytes);
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(vec![format!("The file is not a CSV file: {e}.")]),
    };
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(pc), Some(rc)) = (column("paper_number"), column("reviewer_email")) else {
        return Err(vec![
            "The first line must name the columns, with at least paper_number and reviewer_email (as in the export)."
                .into(),
        ]);
    };
    let conflicts = data.conflicts();
    let conflicted: HashMap<(usize, usize), Vec<&str>> =
        conflicts.iter().fold(HashMap::new(), |mut m, c| {
            m.entry((c.paper, c.reviewer))
                .or_default()
                .push(c.kind.label());
            m
        });
    let (mut pairs, mut errors) = (Vec::new(), Vec::new());
    let mut seen = BTreeSet::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("Line {line}: {e}."));
                continue;
            }
        };
        let raw_number = record.get(pc).unwrap_or("").trim_start_matches('#');
        let email = record.get(rc).unwrap_or("").to_lowercase();
        let paper = raw_number
            .parse::<i32>()
            .ok()
            .and_then(|n| data.paper_by_number(n));
        let reviewer = data.reviewer_by_email(&email);
        match (paper, reviewer) {
            (None, _) => errors.push(format!(
                "Line {line}: there is no active submission #{raw_number}."
            )),
            (_, None) => errors.push(format!("Line {line}: {email} is not in the reviewer pool.")),
            (Some(p), Some(r)) => {
                let number = data.papers[p].number;
                if !data.pool[r].active {
                    errors.push(format!(
                        "Line {line}: {email} was taken out of the reviewer pool."
                    ));
                } else if let Some(reasons) = conflicted.get(&(p, r)) {
                    errors.push(format!(
                        "Line {line}: {email} has a conflict with #{number} ({}).",
                        reasons.join(", ")
                    ));
                } else if !seen.insert((number, email.clone())) {
                    errors.push(format!(
                        "Line {line}: {email} on #{number} is listed twice."
                    ));
                } else {
                    pairs.push(ProposedPair {
                        number,
                        email,
                        affinity: 0.0,
                        manual: false,
                    });
                }
            }
        }
    }
    if errors.is_empty() && pairs.is_empty() {
        errors.push("The file lists no assignment.".into());
    }
    if errors.is_empty() {
        Ok(pairs)
    } else {
        Err(errors)
    }
}

pub(super) async fn import(ctx: PageCtx, payload: Multipart) -> Result<HttpResponse, AppError> {
    let chair = policy::perm_manage_conference(&ctx.actor)?.id.clone();
    let (csrf, bytes) = read_import(payload).await?;
    if csrf.is_empty() || !constant_time_eq(csrf.as_bytes(), ctx.csrf.as_bytes()) {
        return Err(AppError::Forbidden(
            "This form has expired or did not come from this site. Go back, reload the page and try again.".into(),
        ));
    }
    let data = current_pool(&ctx.state).await?;
    let mut pairs = match parse_import(&data, &bytes) {
        Ok(p) => p,
        Err(mut errors) => {
            let total = errors.len();
            errors.truncate(50);
            errors.insert(
                0,
                format!("The import was refused ({total} problems); nothing changed:"),
            );
            return show(&ctx, StatusCode::UNPROCESSABLE_ENTITY, None, errors, None).await;
        }
    };
    let index = crate::domain::pool::text_index(&data.papers, &data.pool);
    for x in &mut pairs {
        if let (Some(p), Some(r)) = (
            data.paper_by_number(x.number),
            data.reviewer_by_email(&x.email),
        ) {
            let bid = data.bids.iter().find(|b| b.0 == p && b.1 == r).map(|b| b.2);
            x.affinity =
                crate::assignment::affinity::with_bid(index.similarity(p, r), bid).unwrap_or(0.0);
        }
    }
    let current = db::run(&ctx.state.pool, |c| {
        Ok::<_, DbError>(asg::current_preview(c)?)
    })
    .await?;
    let params = current
        .map(parse_preview)
        .transpose()?
        .map_or_else(|| default_params(&ctx, &data), |p| p.meta.params);
    let meta = RunMeta {
        params,
        source: "import".into(),
        seconds: 0.0,
    };
    store_preview(&ctx, &chair, &meta, &pairs).await?;
    set_flash(
        &ctx.session,
        &format!(
            "Imported {} assignments as a preview. It replaces the committed assignment when you commit it.",
            pairs.len()
        ),
    );
    Ok(see_other("/chair/assignment"))
}
