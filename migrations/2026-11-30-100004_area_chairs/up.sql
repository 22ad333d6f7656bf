-- Area chairs: people a chair put in charge of a set of papers (see their reviews and
-- reviewers, discuss, remind, write meta-reviews; never decide).
CREATE TABLE area_chairs (
    submission_id VARCHAR(36) NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    email VARCHAR(254) NOT NULL,
    assigned_at TIMESTAMP NOT NULL,
    assigned_by VARCHAR(36) NOT NULL REFERENCES users (id),
    PRIMARY KEY (submission_id, email)
);
CREATE INDEX area_chairs_email ON area_chairs (email);
