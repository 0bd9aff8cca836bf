-- Issue 11: every delegate call after registration is bound to its session, and every lease has a random id.
-- The session credential is stored only as its SHA-256 hash; a new registration replaces it.
ALTER TABLE delegate ADD COLUMN session_token_hash VARCHAR(64);
CREATE UNIQUE INDEX delegate_session_token_hash ON delegate (session_token_hash);
-- The credential of the session the last registration replaced: its calls are answered SESSION_REPLACED (the
-- other process stops) instead of "unknown" (which would make it register again and take the identity back).
ALTER TABLE delegate ADD COLUMN replaced_session_token_hash VARCHAR(64);
CREATE INDEX delegate_replaced_session_token_hash ON delegate (replaced_session_token_hash);
-- The random id of the current lease; progress and outcomes must echo it.
ALTER TABLE task ADD COLUMN lease_id VARCHAR(100);
