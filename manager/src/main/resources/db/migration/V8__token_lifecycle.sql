-- The lifecycle of delegate tokens (issue 11): expiry, a limit on connected delegates, single use and
-- rotation. Portable SQL: H2 2.x and PostgreSQL 13+. Existing tokens keep working: no expiry, no limit,
-- multi-use, not rotated.

-- When the token stops letting delegates in and its delegates' sessions end; null: never.
ALTER TABLE delegate_token ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
-- How many delegates registered with the token may be connected at once; null: no limit.
ALTER TABLE delegate_token ADD COLUMN max_delegates INTEGER;
-- A single-use token admits exactly one registration; used_at and used_by (the delegate's id) record it.
ALTER TABLE delegate_token ADD COLUMN single_use BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE delegate_token ADD COLUMN used_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE delegate_token ADD COLUMN used_by VARCHAR(36);
-- Rotation: the old token names its successor (and expires at the end of the grace period), the new
-- one names the token it replaces.
ALTER TABLE delegate_token ADD COLUMN replaced_by VARCHAR(36);
ALTER TABLE delegate_token ADD COLUMN replaces VARCHAR(36);

-- Which delegates use a token: the limit check at registration and the token pages count them.
CREATE INDEX delegate_token_id_idx ON delegate (token_id);
