-- A version per person (db::data_version::PERSON_TABLES), bumped by triggers on every table
-- a person's own lists ("My reviews", "My submissions") are built from, so each server
-- process can keep those lists in memory while the person's version is unchanged. The
-- signed-in person's version is read with the session (one round trip). The triggers differ
-- per backend and are created from Rust right after the migrations
-- (db::data_version::install). Every account has a row; a person without one (an account
-- made later that no write has named yet) is never cached.
CREATE TABLE IF NOT EXISTS person_versions (
    email TEXT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL DEFAULT 0
);
INSERT INTO person_versions (email, version) SELECT email, 0 FROM users;
