DROP TABLE discussion_digests;
DROP TABLE meta_reviews;
DROP TABLE response_acknowledgements;
DROP TABLE author_response_revisions;
DROP TABLE author_responses;
DROP TABLE discussion_comment_edits;
DROP TABLE discussion_comments;
