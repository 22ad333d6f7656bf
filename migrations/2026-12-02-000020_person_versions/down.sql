-- The bumping triggers (created from Rust per backend, whose DROP syntax differs between
-- SQLite and PostgreSQL) keep referring to the table, so it stays; without its rows no
-- process caches a person's lists (a missing row means "load afresh").
DELETE FROM person_versions;
