DROP TABLE assignment_runs;
DROP TABLE assignments;
DROP TABLE entered_conflicts;
DROP TABLE bids;
DROP TABLE reviewer_profiles;
