-- A version per paper (db::data_version::PAPER_TABLES), bumped by triggers on every table a
-- paper's reviewer page is built from, so each server process can keep that page's rows in
-- memory and use them while the paper's version is unchanged. The version of the paper a
-- request's path names is read with the session (one round trip). The triggers differ per
-- backend and are created from Rust right after the migrations (db::data_version::install).
-- Every paper has a row (papers added later get theirs from the submissions trigger); a
-- paper without one is never cached.
CREATE TABLE IF NOT EXISTS paper_versions (
    submission_id TEXT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL DEFAULT 0
);
INSERT INTO paper_versions (submission_id, version) SELECT id, 0 FROM submissions;
