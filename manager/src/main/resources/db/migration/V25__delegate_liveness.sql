-- Issue 16: every replica writes the last heartbeats it heard every few seconds, thousands of rows at a time. An
-- update rewrites the whole row and its entry in every index of the table, so liveness moves to a narrow table of
-- its own: a flush then costs a sixth of what it cost on the wide delegate row. A delegate's session and whether it
-- ended stay on the delegate row; its liveness row is created with it and goes with it.
CREATE TABLE delegate_liveness (
    delegate_id       VARCHAR(36) NOT NULL PRIMARY KEY REFERENCES delegate (id) ON DELETE CASCADE,
    connected_since   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO delegate_liveness (delegate_id, connected_since, last_heartbeat_at)
    SELECT id, connected_since, last_heartbeat_at FROM delegate;
ALTER TABLE delegate DROP COLUMN connected_since;
ALTER TABLE delegate DROP COLUMN last_heartbeat_at;
