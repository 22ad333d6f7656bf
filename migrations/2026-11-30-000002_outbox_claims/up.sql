-- Which server (its instance id) holds the claim on an email being sent, so a restarted
-- server takes back its own interrupted claims at once and a stopping one releases them.
ALTER TABLE mail_outbox ADD COLUMN claimed_by VARCHAR(200);
CREATE INDEX mail_outbox_claimed_by ON mail_outbox (claimed_by);
