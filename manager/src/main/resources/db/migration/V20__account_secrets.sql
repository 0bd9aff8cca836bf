-- The Manager's secret store (issue 13). Portable SQL: H2 2.x and PostgreSQL 13+.

-- A named secret of an account. Its value lives in account_secret_version; current_version names the one that
-- tasks get. The name is what a task's `secrets` map references (`secret:NAME`), so it never changes.
CREATE TABLE account_secret (
    id               VARCHAR(36)   NOT NULL PRIMARY KEY,
    account_id       VARCHAR(64)   NOT NULL REFERENCES account (id),
    name             VARCHAR(128)  NOT NULL,
    description      VARCHAR(1000) NOT NULL,
    current_version  INTEGER       NOT NULL,
    created_by       VARCHAR(200)  NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by       VARCHAR(200)  NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT account_secret_name_unique UNIQUE (account_id, name)
);

-- Every value a secret had: an update adds a version. The value is sealed with the master key (AES-256-GCM)
-- bound to "account-secret:<account>:<name>:<version>", so it opens only as that version of that secret.
-- A value is at most 64 KiB; sealed (nonce, tag, base64) it takes at most 87,411 characters.
CREATE TABLE account_secret_version (
    secret_id     VARCHAR(36)    NOT NULL REFERENCES account_secret (id) ON DELETE CASCADE,
    version       INTEGER        NOT NULL,
    sealed_value  VARCHAR(100000) NOT NULL,
    created_by    VARCHAR(200)   NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (secret_id, version)
);

-- Where a secret is used: one row per `secret:NAME` reference of a submitted task, written at submission just
-- before the task itself (so no foreign key): readers join task, which also hides the rows of a submission that
-- lost an idempotency race and stored no task. The task's state comes from that join.
CREATE TABLE task_secret_ref (
    task_id         VARCHAR(36)   NOT NULL,
    env_name        VARCHAR(256)  NOT NULL,
    account_id      VARCHAR(64)   NOT NULL,
    secret_name     VARCHAR(128)  NOT NULL,
    secret_version  INTEGER       NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (task_id, env_name)
);
CREATE INDEX task_secret_ref_secret_idx ON task_secret_ref (account_id, secret_name, created_at);

-- A task's sealed secrets now carry the values of store secrets (each up to 64 KiB), not only a cloud
-- provider's key: room for about 700 KB of them.
ALTER TABLE task ALTER COLUMN secrets SET DATA TYPE VARCHAR(1000000);
