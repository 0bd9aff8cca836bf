-- Locked delegate groups. Portable SQL: H2 2.x and PostgreSQL 13+.
-- Only tokens bound to a locked group may register delegates into it. Groups that exist before this
-- migration stay unlocked, so fleets already installed with account-wide tokens keep connecting; the
-- console shows them as unlocked with an action to lock them and issue a bound token.
ALTER TABLE delegate_group ADD COLUMN locked BOOLEAN DEFAULT FALSE NOT NULL;
