-- The foundation schema. Portable SQL: it runs unchanged on H2 2.x and PostgreSQL 13+.
-- Every row carries its account: the model is multi-account from day one.

CREATE TABLE account (
    id          VARCHAR(64)  NOT NULL PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- API keys authenticate people and scripts against /api/v1. Only a SHA-256 hash of the key is kept.
CREATE TABLE api_key (
    id           VARCHAR(36)  NOT NULL PRIMARY KEY,
    account_id   VARCHAR(64)  NOT NULL REFERENCES account (id),
    name         VARCHAR(200) NOT NULL,
    key_hash     VARCHAR(64)  NOT NULL UNIQUE,
    role         VARCHAR(20)  NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at TIMESTAMP WITH TIME ZONE,
    revoked_at   TIMESTAMP WITH TIME ZONE
);

-- A delegate group is the stable identity of a set of delegates: they share settings and selectors.
CREATE TABLE delegate_group (
    id          VARCHAR(36)   NOT NULL PRIMARY KEY,
    account_id  VARCHAR(64)   NOT NULL REFERENCES account (id),
    name        VARCHAR(63)   NOT NULL,
    selectors   VARCHAR(4000) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT delegate_group_name_unique UNIQUE (account_id, name)
);

-- Delegate tokens authenticate delegates. Named, revocable, optionally bound to one group.
CREATE TABLE delegate_token (
    id           VARCHAR(36)  NOT NULL PRIMARY KEY,
    account_id   VARCHAR(64)  NOT NULL REFERENCES account (id),
    name         VARCHAR(200) NOT NULL,
    token_hash   VARCHAR(64)  NOT NULL UNIQUE,
    group_id     VARCHAR(36)  REFERENCES delegate_group (id),
    created_by   VARCHAR(200) NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at TIMESTAMP WITH TIME ZONE,
    revoked_at   TIMESTAMP WITH TIME ZONE,
    CONSTRAINT delegate_token_name_unique UNIQUE (account_id, name)
);

-- One row per delegate identity (group + name). A restart comes back to the same row.
CREATE TABLE delegate (
    id                VARCHAR(36)   NOT NULL PRIMARY KEY,
    account_id        VARCHAR(64)   NOT NULL REFERENCES account (id),
    group_id          VARCHAR(36)   NOT NULL REFERENCES delegate_group (id),
    name              VARCHAR(255)  NOT NULL,
    hostname          VARCHAR(255),
    ip                VARCHAR(64),
    type              VARCHAR(20)   NOT NULL,
    launch_type       VARCHAR(20),
    identity_kind     VARCHAR(20)   NOT NULL,
    version           VARCHAR(64),
    profile_name      VARCHAR(100)  NOT NULL,
    selectors         VARCHAR(4000) NOT NULL,
    task_types        VARCHAR(4000) NOT NULL,
    capacity          INTEGER       NOT NULL,
    ecs_task_arn      VARCHAR(255),
    ecs_cluster       VARCHAR(255),
    ecs_container_id  VARCHAR(128),
    ecs_container_name VARCHAR(255),
    ecs_network_mode  VARCHAR(20),
    ecs_availability_zone VARCHAR(64),
    ecs_family        VARCHAR(255),
    ecs_revision      VARCHAR(20),
    token_id          VARCHAR(36)   REFERENCES delegate_token (id),
    instance_id       VARCHAR(64)   NOT NULL,
    session_id        VARCHAR(36)   NOT NULL,
    first_registered_at TIMESTAMP WITH TIME ZONE NOT NULL,
    connected_since   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL,
    disconnected_at   TIMESTAMP WITH TIME ZONE,
    disconnect_reason VARCHAR(200),
    CONSTRAINT delegate_identity_unique UNIQUE (account_id, group_id, name)
);
CREATE INDEX delegate_group_idx ON delegate (group_id);

-- Tasks and everything that happened to them. Durable: results survive Manager restarts.
CREATE TABLE task (
    id               VARCHAR(36)   NOT NULL PRIMARY KEY,
    account_id       VARCHAR(64)   NOT NULL REFERENCES account (id),
    type             VARCHAR(100)  NOT NULL,
    payload          VARCHAR(1000000) NOT NULL,
    selectors        VARCHAR(4000) NOT NULL,
    state            VARCHAR(20)   NOT NULL,
    delegate_id      VARCHAR(36),
    session_id       VARCHAR(36),
    fencing_token    BIGINT        NOT NULL,
    attempts         INTEGER       NOT NULL,
    max_attempts     INTEGER       NOT NULL,
    timeout_ms       BIGINT        NOT NULL,
    sync_call        BOOLEAN       NOT NULL,
    idempotency_key  VARCHAR(200),
    affinity_key     VARCHAR(200),
    cancel_requested BOOLEAN       NOT NULL,
    lease_expires_at TIMESTAMP WITH TIME ZONE,
    result           VARCHAR(1000000),
    error_kind       VARCHAR(20),
    error_message    VARCHAR(4000),
    selection_log    VARCHAR(100000),
    created_by       VARCHAR(200)  NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at       TIMESTAMP WITH TIME ZONE,
    finished_at      TIMESTAMP WITH TIME ZONE,
    CONSTRAINT task_idempotency_unique UNIQUE (account_id, idempotency_key)
);
CREATE INDEX task_state_idx ON task (state, created_at);
CREATE INDEX task_account_state_idx ON task (account_id, state, created_at);
CREATE INDEX task_delegate_idx ON task (delegate_id, state);

CREATE TABLE task_attempt (
    task_id       VARCHAR(36)  NOT NULL REFERENCES task (id),
    attempt       INTEGER      NOT NULL,
    account_id    VARCHAR(64)  NOT NULL,
    delegate_id   VARCHAR(36)  NOT NULL,
    delegate_name VARCHAR(255) NOT NULL,
    fencing_token BIGINT       NOT NULL,
    started_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at      TIMESTAMP WITH TIME ZONE,
    outcome       VARCHAR(20),
    detail        VARCHAR(4000),
    PRIMARY KEY (task_id, attempt)
);

CREATE TABLE task_log (
    id            BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    task_id       VARCHAR(36)   NOT NULL REFERENCES task (id),
    account_id    VARCHAR(64)   NOT NULL,
    fencing_token BIGINT        NOT NULL,
    at            TIMESTAMP WITH TIME ZONE NOT NULL,
    line          VARCHAR(8000) NOT NULL
);
CREATE INDEX task_log_task_idx ON task_log (task_id, id);

-- Who did what and when: registrations, removals, token changes, selector edits.
CREATE TABLE audit_event (
    id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    account_id  VARCHAR(64)   NOT NULL,
    at          TIMESTAMP WITH TIME ZONE NOT NULL,
    actor       VARCHAR(200)  NOT NULL,
    action      VARCHAR(100)  NOT NULL,
    target_type VARCHAR(50)   NOT NULL,
    target_id   VARCHAR(64),
    detail      VARCHAR(8000)
);
CREATE INDEX audit_event_account_idx ON audit_event (account_id, at);
