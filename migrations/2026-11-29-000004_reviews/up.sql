-- Reviews: one per (submission, reviewer), drafts and submitted versions, with every
-- submitted revision kept.
CREATE TABLE reviews (
    id VARCHAR(36) PRIMARY KEY NOT NULL,
    submission_id VARCHAR(36) NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    reviewer_email VARCHAR(254) NOT NULL,
    -- "full" (paper track) or "light" (published track).
    form_kind VARCHAR(10) NOT NULL,
    -- "draft" or "submitted".
    state VARCHAR(12) NOT NULL,
    -- The review as JSON (scores, texts, talk recommendation).
    content TEXT NOT NULL,
    -- Optimistic locking: every save increments it.
    version INTEGER NOT NULL,
    -- First submission; NULL while a draft.
    submitted_at TIMESTAMP NULL,
    -- Submitted after the due date.
    late BOOLEAN NOT NULL,
    -- A chair reopened a submitted review for editing after the due date, until then.
    reopened_until TIMESTAMP NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (submission_id, reviewer_email)
);
CREATE INDEX reviews_reviewer ON reviews (reviewer_email);

CREATE TABLE review_revisions (
    id VARCHAR(36) PRIMARY KEY NOT NULL,
    review_id VARCHAR(36) NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    content TEXT NOT NULL,
    submitted_at TIMESTAMP NOT NULL
);
CREATE INDEX review_revisions_review ON review_revisions (review_id, version);
