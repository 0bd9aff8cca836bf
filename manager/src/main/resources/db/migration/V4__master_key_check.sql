-- A value sealed with the master key when the store is created. Every start opens it, so a Manager
-- started with the wrong key refuses to start instead of failing later on every secret it reads.
CREATE TABLE master_key_check (
    id         INTEGER      NOT NULL PRIMARY KEY,
    sealed     VARCHAR(200) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
