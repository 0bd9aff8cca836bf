-- Scopes on delegate groups, a scope target on tasks, and the routing history by affinity key.

ALTER TABLE delegate_group ADD COLUMN scopes VARCHAR(8000) DEFAULT '{"include":[],"exclude":[]}' NOT NULL;

ALTER TABLE task ADD COLUMN scope VARCHAR(4000);

-- What each delegate did lately with an affinity key (e.g. a cloud provider): when it last succeeded,
-- and when it last failed for a reason of its own (missing credentials, no network). Routing prefers the
-- first and avoids the second for a while.
CREATE TABLE delegate_affinity (
    account_id                 VARCHAR(64)  NOT NULL,
    affinity_key               VARCHAR(200) NOT NULL,
    delegate_id                VARCHAR(36)  NOT NULL,
    last_success_at            TIMESTAMP WITH TIME ZONE,
    last_capability_failure_at TIMESTAMP WITH TIME ZONE,
    last_failure_message       VARCHAR(1000),
    PRIMARY KEY (account_id, affinity_key, delegate_id)
);
