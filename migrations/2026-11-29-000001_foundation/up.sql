-- One schema for SQLite and PostgreSQL: UUIDs as VARCHAR(36), UTC instants as TIMESTAMP.

CREATE TABLE users (
    id VARCHAR(36) PRIMARY KEY NOT NULL,
    -- Lower-cased, so uniqueness is case-insensitive on both backends.
    email VARCHAR(254) NOT NULL UNIQUE,
    name VARCHAR(200) NOT NULL,
    affiliation VARCHAR(200) NOT NULL,
    password_hash VARCHAR(200) NOT NULL,
    email_confirmed_at TIMESTAMP NULL,
    is_chair BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL
);

-- Single-use links sent by email. Only the SHA-256 of the token is stored.
CREATE TABLE email_tokens (
    token_hash VARCHAR(64) PRIMARY KEY NOT NULL,
    user_id VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose VARCHAR(20) NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose);

-- Failed sign-ins, per account and per client address, for throttling.
CREATE TABLE login_failures (
    id VARCHAR(36) PRIMARY KEY NOT NULL,
    throttle_key VARCHAR(300) NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (throttle_key, failed_at);

-- The one conference of this deployment; settings as JSON, version for optimistic locking.
CREATE TABLE conference (
    id INTEGER PRIMARY KEY NOT NULL,
    settings TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Every email, written in the transaction of the action that causes it.
CREATE TABLE mail_outbox (
    id VARCHAR(36) PRIMARY KEY NOT NULL,
    dedupe_key VARCHAR(300) NOT NULL UNIQUE,
    recipient VARCHAR(254) NOT NULL,
    subject VARCHAR(300) NOT NULL,
    body_text TEXT NOT NULL,
    state VARCHAR(10) NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_until TIMESTAMP NULL,
    last_error TEXT NULL,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP NULL
);
CREATE INDEX mail_outbox_due ON mail_outbox (state, next_attempt_at);

CREATE TABLE audit_log (
    id VARCHAR(36) PRIMARY KEY NOT NULL,
    at TIMESTAMP NOT NULL,
    actor_id VARCHAR(36) NULL,
    action VARCHAR(100) NOT NULL,
    subject VARCHAR(300) NOT NULL,
    details TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
