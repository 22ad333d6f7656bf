DROP TABLE review_revisions;
DROP TABLE reviews;
