//! The stored assignment preview: how it was made (`RunMeta`), its proposed pairs, loading the
//! open one with the pool it was made from, storing a new one (audit-logged), and refusing a
//! preview another chair committed or replaced meanwhile. The pages that show and change it
//! are `run`, `view`, `adjust` and `csv`.

use std::sync::Arc;

use crate::db::assignments::{self as asg, RunRow};
use crate::db::{self, DbError, audit};
use crate::domain::pool::RunParams;
use crate::web::error::AppError;
use crate::web::extract::PageCtx;
use crate::web::pool_data::PoolData;

/// How a preview was made, stored with it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RunMeta {
    pub params: RunParams,
    /// "engine" or "import".
    pub source: String,
    pub seconds: f64,
}

/// One proposed (paper, reviewer) pair.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ProposedPair {
    pub number: i32,
    pub email: String,
    pub affinity: f64,
    /// Added by hand (possibly over a warning).
    #[serde(default)]
    pub manual: bool,
}

/// A stored preview, parsed.
pub struct Preview {
    pub id: String,
    pub meta: RunMeta,
    pub pairs: Vec<ProposedPair>,
}

pub(super) fn parse_preview(row: RunRow) -> Result<Preview, AppError> {
    let meta = serde_json::from_str(&row.params)
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("stored run {}: {e}", row.id)))?;
    let pairs = serde_json::from_str(&row.pairs)
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("stored run {}: {e}", row.id)))?;
    Ok(Preview {
        id: row.id,
        meta,
        pairs,
    })
}

/// The run form's defaults: the conference settings, with the minimum load fitted to what
/// the papers take (`loads`).
pub(super) fn default_params(ctx: &PageCtx, data: &PoolData) -> RunParams {
    super::loads::fitted_defaults(&ctx.settings, super::loads::Demand::of(data)).0
}

/// The pool (from the process's cache, [`crate::web::pool_data::PoolCache`]) and the open
/// preview, if any.
pub(super) async fn load(ctx: &PageCtx) -> Result<(Arc<PoolData>, Option<Preview>), AppError> {
    let state = ctx.state.clone();
    let (data, run) = db::run(&ctx.state.pool, move |c| {
        Ok::<_, DbError>((state.pool_cache.get(c)?, asg::current_preview(c)?))
    })
    .await?;
    Ok((data, run.map(parse_preview).transpose()?))
}

pub(super) async fn store_preview(
    ctx: &PageCtx,
    chair: &crate::domain::ids::UserId,
    meta: &RunMeta,
    pairs: &[ProposedPair],
) -> Result<(), AppError> {
    store_preview_in(&ctx.state.pool, chair, meta, pairs, ctx.now).await
}

/// Stores a preview (also from a background run, which has no request).
pub(super) async fn store_preview_in(
    pool: &crate::db::DbPool,
    chair: &crate::domain::ids::UserId,
    meta: &RunMeta,
    pairs: &[ProposedPair],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    let id = uuid::Uuid::new_v4().to_string();
    let meta_json = serde_json::to_string(meta).map_err(|e| AppError::Unexpected(e.into()))?;
    let pairs_json = serde_json::to_string(pairs).map_err(|e| AppError::Unexpected(e.into()))?;
    let chair = chair.clone();
    let source = meta.source.clone();
    let count = pairs.len();
    db::run(pool, move |c| {
        db::transaction(c, |c| {
            asg::insert_preview(c, &id, &meta_json, &pairs_json, &chair, now)?;
            audit::record(
                c,
                Some(&chair),
                "assignment.preview",
                "assignment",
                &format!("{count} pairs from the {source}"),
                now,
            )?;
            Ok::<_, DbError>(())
        })
    })
    .await?;
    Ok(())
}

/// The open preview `run`, or a clear refusal when another chair committed or replaced it.
pub(super) async fn open_preview(
    ctx: &PageCtx,
    run: &str,
) -> Result<(Arc<PoolData>, Preview), AppError> {
    let (data, preview) = load(ctx).await?;
    match preview {
        Some(p) if p.id == run => Ok((data, p)),
        _ => Err(AppError::Conflict(
            "This preview is no longer open: it was committed, discarded or replaced by a newer run. Reload the assignment page.".into(),
        )),
    }
}
