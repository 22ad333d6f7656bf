-- A change of a person's email address waits here until the link sent to the new address is
-- opened. Only the token's SHA-256 is stored. The address changes everywhere it links the
-- person (account, authorships, reviewer pool, bids, assignments, reviews) in one step.
CREATE TABLE email_changes (
    token_hash VARCHAR(64) PRIMARY KEY NOT NULL,
    user_id VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    new_email VARCHAR(254) NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX email_changes_user ON email_changes (user_id);
