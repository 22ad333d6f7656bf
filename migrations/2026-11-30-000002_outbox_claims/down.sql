DROP INDEX mail_outbox_claimed_by;
ALTER TABLE mail_outbox DROP COLUMN claimed_by;
