-- Issue 15: limits that must hold across replicas are counted in the store, not in each replica's memory.
-- Portable SQL: H2 2.x and PostgreSQL 13+.

-- Failed console sign-ins (users/SignInThrottle): one row per username at an address and one per address,
-- keyed by the SHA-256 hex of that pair (no usernames or addresses stored in the clear). Written only when a
-- sign-in fails or succeeds; rows nobody added to for an hour are deleted by the session sweep.
CREATE TABLE sign_in_failure (
    failure_key CHAR(64) PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failure_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX sign_in_failure_last ON sign_in_failure (last_failure_at);

-- Token buckets shared by all replicas (limits/StoreTokenBuckets): delegate registrations per delegate token.
-- One row per bucket, changed under a row lock; a bucket is deleted with nothing (its key is the token's id).
CREATE TABLE rate_bucket (
    bucket_key VARCHAR(200) PRIMARY KEY,
    tokens DOUBLE PRECISION NOT NULL,
    refilled_at_millis BIGINT NOT NULL
);
