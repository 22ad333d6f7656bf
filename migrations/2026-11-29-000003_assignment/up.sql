-- Reviewers, their bids and declared conflicts, chair-entered conflicts, committed
-- assignments and the chair's assignment previews. Reviewers are identified by their
-- (lower-cased) email address, like authors: a main author is a reviewer before and
-- whether or not they have an account.

-- A reviewer's own settings. Main authors get a row when they first save their profile;
-- volunteers get one when a chair adds them.
CREATE TABLE reviewer_profiles (
    email VARCHAR(254) PRIMARY KEY NOT NULL,
    name VARCHAR(200) NOT NULL,
    affiliation VARCHAR(200) NOT NULL,
    -- Added by a chair (rather than a main author of a submission).
    volunteer BOOLEAN NOT NULL,
    -- FALSE when a chair took the reviewer out of the pool (dropped out).
    active BOOLEAN NOT NULL,
    -- JSON array of expertise keywords.
    keywords TEXT NOT NULL,
    -- JSON array of declared conflicts (institutions, email domains, people).
    declared_conflicts TEXT NOT NULL,
    -- Per-reviewer load bounds; NULL means the conference's.
    min_load INTEGER NULL,
    max_load INTEGER NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE bids (
    submission_id VARCHAR(36) NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    reviewer_email VARCHAR(254) NOT NULL,
    -- "eager", "willing", "not_willing" or "conflict".
    bid VARCHAR(20) NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (submission_id, reviewer_email)
);
CREATE INDEX bids_reviewer ON bids (reviewer_email);

-- Conflicts entered by a chair or reported by a reviewer on an assignment.
CREATE TABLE entered_conflicts (
    submission_id VARCHAR(36) NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    reviewer_email VARCHAR(254) NOT NULL,
    -- "chair" or "reviewer".
    source VARCHAR(20) NOT NULL,
    reason VARCHAR(500) NOT NULL,
    created_by VARCHAR(36) NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (submission_id, reviewer_email)
);

-- Committed review assignments.
CREATE TABLE assignments (
    submission_id VARCHAR(36) NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    reviewer_email VARCHAR(254) NOT NULL,
    assigned_at TIMESTAMP NOT NULL,
    assigned_by VARCHAR(36) NOT NULL REFERENCES users (id),
    PRIMARY KEY (submission_id, reviewer_email)
);
CREATE INDEX assignments_reviewer ON assignments (reviewer_email);

-- A proposed assignment the chair is looking at (at most one in state "preview").
CREATE TABLE assignment_runs (
    id VARCHAR(36) PRIMARY KEY NOT NULL,
    -- "preview", "committed" or "discarded".
    state VARCHAR(12) NOT NULL,
    -- JSON: how it was made (objective, reviews per paper, loads, source, timing).
    params TEXT NOT NULL,
    -- JSON array of proposed pairs with their affinity.
    pairs TEXT NOT NULL,
    created_by VARCHAR(36) NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    committed_at TIMESTAMP NULL
);
CREATE INDEX assignment_runs_state ON assignment_runs (state);
