-- What the chairs' lists sort, filter and rank by, stored when it is written instead of
-- parsed from JSON on every view (issue 17). Rows written before this migration are filled
-- in by `db::submission_list::backfill_list_columns` and `db::reviews::backfill_scores` at
-- start-up (the JSON they come from cannot be read by SQL common to SQLite and PostgreSQL).

-- Per submission: the title lower-cased as Rust does it (the list's sort key), and the
-- newest paper PDF's pages, verdict and format problem codes (space-separated, as the list
-- shows them). A table of its own: diesel's tables stop at 16 columns.
CREATE TABLE submission_listing (
    submission_id VARCHAR(36) PRIMARY KEY NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    title_key TEXT NOT NULL,
    paper_pages INTEGER,
    paper_verdict TEXT,
    paper_flags TEXT NOT NULL DEFAULT '',
    paper_flag_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX submissions_status_number ON submissions (status, number);

-- A review's scores as the decisions board and the progress page read them; scores_stored
-- says which rows are done.
ALTER TABLE reviews ADD COLUMN overall INTEGER;
ALTER TABLE reviews ADD COLUMN confidence INTEGER;
ALTER TABLE reviews ADD COLUMN talk_recommendation BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE reviews ADD COLUMN scores_stored BOOLEAN NOT NULL DEFAULT FALSE;
