-- Submissions, their ordered authors, and every uploaded document version.

CREATE TABLE submissions (
    id VARCHAR(36) PRIMARY KEY NOT NULL,
    -- The small public number (#17) used in URLs and in emails to reviewers.
    number INTEGER NOT NULL UNIQUE,
    track VARCHAR(20) NOT NULL,
    title VARCHAR(300) NOT NULL,
    abstract_text TEXT NOT NULL,
    -- JSON array of strings.
    keywords TEXT NOT NULL,
    -- JSON array of declared conflicts (institutions, email domains, people).
    declared_conflicts TEXT NOT NULL,
    status VARCHAR(20) NOT NULL,
    -- Optimistic locking: every edit increments it.
    version INTEGER NOT NULL,
    -- A chair may let one submission change after the deadline, until this instant.
    unlocked_until TIMESTAMP NULL,
    -- The random key of the form that created it, so a double submit creates one row.
    creation_key VARCHAR(64) NOT NULL UNIQUE,
    created_by VARCHAR(36) NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX submissions_status ON submissions (status);

CREATE TABLE submission_authors (
    submission_id VARCHAR(36) NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name VARCHAR(200) NOT NULL,
    -- Lower-cased; links the author to an account with the same email.
    email VARCHAR(254) NOT NULL,
    affiliation VARCHAR(200) NOT NULL,
    is_main BOOLEAN NOT NULL,
    PRIMARY KEY (submission_id, position)
);
CREATE INDEX submission_authors_email ON submission_authors (email);

CREATE TABLE documents (
    id VARCHAR(36) PRIMARY KEY NOT NULL,
    submission_id VARCHAR(36) NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    -- "paper", "supplement" or (later) "camera_ready".
    kind VARCHAR(20) NOT NULL,
    sha256 VARCHAR(64) NOT NULL,
    size_bytes BIGINT NOT NULL,
    pages INTEGER NULL,
    -- "pass", "fail" or "reject" from the format check; NULL when not checked.
    format_verdict VARCHAR(10) NULL,
    -- The full format report as JSON.
    format_report TEXT NULL,
    uploaded_at TIMESTAMP NOT NULL,
    uploaded_by VARCHAR(36) NOT NULL REFERENCES users (id)
);
CREATE INDEX documents_submission ON documents (submission_id, kind, uploaded_at);
