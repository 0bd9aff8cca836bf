-- User lifecycle and an audit trail people can read. Portable SQL: H2 2.x and PostgreSQL 13+.

-- A disabled user cannot sign in; their sessions end and their API keys stop at once. disabled_at says
-- since when (null while enabled).
ALTER TABLE console_user ADD COLUMN disabled BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE console_user ADD COLUMN disabled_at TIMESTAMP WITH TIME ZONE;

-- An API key may belong to a console user: it then acts with that user's current role and stops when the
-- user is disabled or deleted. Keys without a user (the bootstrap key) keep their own role.
ALTER TABLE api_key ADD COLUMN user_id VARCHAR(36);
CREATE INDEX api_key_user_idx ON api_key (user_id);

-- Reading the audit trail: newest first (by id) in an account, optionally by action, actor or target.
CREATE INDEX audit_event_account_id_idx ON audit_event (account_id, id);
CREATE INDEX audit_event_action_idx ON audit_event (account_id, action, id);
CREATE INDEX audit_event_actor_idx ON audit_event (account_id, actor, id);
CREATE INDEX audit_event_target_idx ON audit_event (account_id, target_type, target_id, id);
