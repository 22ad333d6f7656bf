-- Decisions and their release, chair-editable letter templates, camera-ready details and the
-- workshop program.

-- The chair's current decision on a paper, and what the authors were last told.
CREATE TABLE decisions (
    submission_id VARCHAR(36) PRIMARY KEY NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    -- "reject", "poster", "spotlight" or "talk".
    decision VARCHAR(20) NOT NULL,
    decided_by VARCHAR(36) NOT NULL REFERENCES users (id),
    decided_at TIMESTAMP NOT NULL,
    -- The decision in the last letter sent; NULL before the first release.
    released_decision VARCHAR(20) NULL,
    released_at TIMESTAMP NULL,
    -- How many letters went out for this paper (names each letter round's emails).
    letter_round INTEGER NOT NULL
);

-- When decisions were first released (one row, id 1, once released).
CREATE TABLE decision_release (
    id INTEGER PRIMARY KEY NOT NULL,
    released_at TIMESTAMP NOT NULL,
    released_by VARCHAR(36) NOT NULL REFERENCES users (id)
);

-- Letter templates the chairs edited (absent: the built-in default).
CREATE TABLE letter_templates (
    kind VARCHAR(30) PRIMARY KEY NOT NULL,
    subject VARCHAR(300) NOT NULL,
    body TEXT NOT NULL,
    updated_by VARCHAR(36) NOT NULL REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL
);

-- An accepted paper's presenting author and the author holding its conference ticket
-- (positions in submission_authors).
CREATE TABLE camera_ready (
    submission_id VARCHAR(36) PRIMARY KEY NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    presenter_position INTEGER NOT NULL,
    ticket_position INTEGER NULL,
    updated_by VARCHAR(36) NOT NULL REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL
);

-- The workshop day as the chair arranged it (one row, id 1): JSON of the program.
CREATE TABLE program (
    id INTEGER PRIMARY KEY NOT NULL,
    data TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_by VARCHAR(36) NOT NULL REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL
);
