DROP TABLE reviewer_copies;
DROP TABLE rate_events;
DROP TABLE signin_addresses;
DROP INDEX login_failures_address_at;
DROP INDEX login_failures_account_at;
ALTER TABLE login_failures DROP COLUMN address;
ALTER TABLE login_failures DROP COLUMN account;
DROP TABLE sessions;
