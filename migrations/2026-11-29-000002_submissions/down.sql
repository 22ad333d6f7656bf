DROP TABLE documents;
DROP TABLE submission_authors;
DROP TABLE submissions;
