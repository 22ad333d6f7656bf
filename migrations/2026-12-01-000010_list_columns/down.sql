ALTER TABLE reviews DROP COLUMN scores_stored;
ALTER TABLE reviews DROP COLUMN talk_recommendation;
ALTER TABLE reviews DROP COLUMN confidence;
ALTER TABLE reviews DROP COLUMN overall;
DROP INDEX submissions_status_number;
DROP TABLE submission_listing;
