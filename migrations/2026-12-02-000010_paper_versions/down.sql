-- The bumping triggers (created from Rust per backend, whose DROP syntax differs between
-- SQLite and PostgreSQL) keep referring to the table, so it stays; without its rows no
-- process caches a paper (a missing row means "load afresh").
DELETE FROM paper_versions;
