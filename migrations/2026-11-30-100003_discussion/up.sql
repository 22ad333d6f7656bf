-- Discussion and author response: reviewers' and chairs' comments on a paper (with every
-- edit kept), the authors' one response per paper (with every submitted version kept), the
-- reviewers' "I have read the response", the chairs' meta-review, and who gets digest emails.

-- One comment in a paper's thread. The writer is kept (chairs see who); reviewers and
-- authors only ever see a label ("Reviewer B", "Chair").
CREATE TABLE discussion_comments (
    id VARCHAR(36) PRIMARY KEY NOT NULL,
    submission_id VARCHAR(36) NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    writer_email VARCHAR(254) NOT NULL,
    -- "reviewer" or "chair": the seat the comment was written from.
    writer_role VARCHAR(10) NOT NULL,
    -- "reviewers" (reviewers and chairs) or "authors" (also the authors).
    audience VARCHAR(10) NOT NULL,
    body TEXT NOT NULL,
    -- Optimistic locking: every edit increments it.
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX discussion_comments_paper ON discussion_comments (submission_id, created_at);
CREATE INDEX discussion_comments_created ON discussion_comments (created_at);

-- The text a comment had before each edit.
CREATE TABLE discussion_comment_edits (
    id VARCHAR(36) PRIMARY KEY NOT NULL,
    comment_id VARCHAR(36) NOT NULL REFERENCES discussion_comments (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    replaced_at TIMESTAMP NOT NULL
);
CREATE INDEX discussion_comment_edits_comment ON discussion_comment_edits (comment_id, version);

-- The authors' response to the reviews of one paper: a draft, then submitted (and editable
-- until the response deadline).
CREATE TABLE author_responses (
    id VARCHAR(36) PRIMARY KEY NOT NULL,
    submission_id VARCHAR(36) NOT NULL UNIQUE REFERENCES submissions (id) ON DELETE CASCADE,
    -- "draft" or "submitted".
    state VARCHAR(12) NOT NULL,
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    -- First submission; NULL while a draft.
    submitted_at TIMESTAMP NULL,
    updated_by VARCHAR(36) NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE author_response_revisions (
    id VARCHAR(36) PRIMARY KEY NOT NULL,
    response_id VARCHAR(36) NOT NULL REFERENCES author_responses (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    submitted_at TIMESTAMP NOT NULL
);
CREATE INDEX author_response_revisions_response ON author_response_revisions (response_id, version);

-- A reviewer ticked "I have read the response".
CREATE TABLE response_acknowledgements (
    submission_id VARCHAR(36) NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    reviewer_email VARCHAR(254) NOT NULL,
    acknowledged_at TIMESTAMP NOT NULL,
    PRIMARY KEY (submission_id, reviewer_email)
);

-- The chairs' meta-review of a paper: a summary and a recommendation.
CREATE TABLE meta_reviews (
    submission_id VARCHAR(36) PRIMARY KEY NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    summary TEXT NOT NULL,
    -- "reject", "poster", "spotlight" or "talk".
    recommendation VARCHAR(20) NOT NULL,
    version INTEGER NOT NULL,
    written_by VARCHAR(36) NOT NULL REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL
);

-- Discussion digests: when each person was last emailed, and the unsubscribe token.
CREATE TABLE discussion_digests (
    email VARCHAR(254) PRIMARY KEY NOT NULL,
    last_sent_at TIMESTAMP NULL,
    -- Comments older than this were already told (or predate the subscription).
    seen_until TIMESTAMP NOT NULL,
    unsubscribed BOOLEAN NOT NULL,
    unsubscribe_token VARCHAR(64) NOT NULL UNIQUE
);
