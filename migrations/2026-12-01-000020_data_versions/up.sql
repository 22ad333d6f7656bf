-- Versions of derived data kept in memory by each server process (db::data_version): the
-- row 'pool' is bumped by triggers on every table the reviewer pool and its conflicts are
-- computed from, the row 'ranking' on those the decisions board ranks from, so a cached
-- copy is never used after any writer (a request, the CLI, the demo, another server)
-- changed them. The triggers differ per backend and are created from
-- Rust right after the migrations (db::data_version::install).
CREATE TABLE IF NOT EXISTS data_versions (
    name VARCHAR(32) PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL DEFAULT 0
);
INSERT INTO data_versions (name, version) VALUES ('pool', 0), ('ranking', 0);
