-- Security hardening: server-side sessions, sign-in throttling per (account, client address),
-- rate limits on emails a visitor can trigger, and the cache of reviewers' PDF copies.

-- One row per signed-in browser. The cookie holds a random 256-bit token; only its SHA-256
-- is stored, so a leaked database opens no session. Deleting the row ends the session.
CREATE TABLE sessions (
    id VARCHAR(36) PRIMARY KEY NOT NULL,
    token_hash VARCHAR(64) NOT NULL UNIQUE,
    user_id VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    -- "Firefox on Linux": enough for the owner to recognise a browser, no more.
    user_agent VARCHAR(100) NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_last_seen ON sessions (last_seen_at);
CREATE INDEX sessions_created ON sessions (created_at);

-- Failed sign-ins now also name the account and the client address, so throttling can be per
-- (account, address), and per account only across many addresses.
ALTER TABLE login_failures ADD COLUMN account VARCHAR(254) NULL;
ALTER TABLE login_failures ADD COLUMN address VARCHAR(64) NULL;
CREATE INDEX login_failures_account_at ON login_failures (account, failed_at);
CREATE INDEX login_failures_address_at ON login_failures (address, failed_at);

-- Client addresses an account signed in from (SHA-256 of account id and address): a
-- distributed guessing attack slows down unknown addresses, never the owner's own.
CREATE TABLE signin_addresses (
    user_id VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    address_hash VARCHAR(64) NOT NULL,
    last_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, address_hash)
);

-- Emails a visitor triggered (reset, confirmation, registration), per recipient and per
-- client address, for rate limits shared by every app server.
CREATE TABLE rate_events (
    id VARCHAR(36) PRIMARY KEY NOT NULL,
    bucket VARCHAR(300) NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX rate_events_bucket_at ON rate_events (bucket, at);

-- The reviewers' copy of each stored PDF version, made once: the copy's key in the file
-- store and what was removed (JSON), or why no copy could be made.
CREATE TABLE reviewer_copies (
    source_sha256 VARCHAR(64) PRIMARY KEY NOT NULL,
    copy_sha256 VARCHAR(64) NULL,
    removed TEXT NOT NULL,
    error TEXT NULL,
    created_at TIMESTAMP NOT NULL
);
