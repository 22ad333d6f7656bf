-- The bumping triggers (created from Rust per backend, whose DROP syntax differs between
-- SQLite and PostgreSQL) keep referring to the table, so it stays; without its row no
-- process caches the pool (db::data_version::current returns None and every view reloads).
DELETE FROM data_versions WHERE name = 'pool';
