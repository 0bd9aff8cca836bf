-- Delegate profiles: a bash script that prepares a delegate before it takes work. Portable SQL (H2 2.x
-- and PostgreSQL 13+).

-- A profile, named uniquely per account. Every edit adds a version; current_version points at the one
-- delegates apply. The Primary profile of an account has the id 'primary-<account id>'.
CREATE TABLE delegate_profile (
    id              VARCHAR(80)  NOT NULL PRIMARY KEY,
    account_id      VARCHAR(64)  NOT NULL REFERENCES account (id),
    name            VARCHAR(100) NOT NULL,
    current_version INTEGER      NOT NULL,
    created_by      VARCHAR(200) NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT delegate_profile_name_unique UNIQUE (account_id, name)
);

-- Every version of every profile, kept readable. A rename is a new version too.
CREATE TABLE delegate_profile_version (
    profile_id      VARCHAR(80)    NOT NULL REFERENCES delegate_profile (id) ON DELETE CASCADE,
    version         INTEGER        NOT NULL,
    account_id      VARCHAR(64)    NOT NULL,
    name            VARCHAR(100)   NOT NULL,
    description     VARCHAR(1000)  NOT NULL,
    script          VARCHAR(65536) NOT NULL,
    selectors       VARCHAR(4000)  NOT NULL,
    required        BOOLEAN        NOT NULL,
    timeout_seconds INTEGER        NOT NULL,
    created_by      VARCHAR(200)   NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (profile_id, version)
);

-- A group may override the profile its delegates asked for (DELEGATE_PROFILE).
ALTER TABLE delegate_group ADD COLUMN profile_id VARCHAR(80) REFERENCES delegate_profile (id);

-- The last profile run of each delegate: which profile version, how it went, and the last 64 KiB of its
-- output. output_lines counts every line received, so a report sent twice adds its lines once.
CREATE TABLE delegate_profile_run (
    delegate_id  VARCHAR(36)    NOT NULL PRIMARY KEY REFERENCES delegate (id) ON DELETE CASCADE,
    account_id   VARCHAR(64)    NOT NULL,
    profile_id   VARCHAR(80)    NOT NULL,
    profile_name VARCHAR(100)   NOT NULL,
    version      INTEGER        NOT NULL,
    run_id       VARCHAR(64)    NOT NULL,
    status       VARCHAR(20)    NOT NULL,
    exit_code    INTEGER,
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at  TIMESTAMP WITH TIME ZONE,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    output_lines BIGINT         NOT NULL,
    output       VARCHAR(65536) NOT NULL
);

-- Every existing account gets its Primary profile: no script, not required.
INSERT INTO delegate_profile (id, account_id, name, current_version, created_by, created_at, updated_at)
SELECT 'primary-' || id, id, 'Primary', 1, 'system', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM account;
INSERT INTO delegate_profile_version (profile_id, version, account_id, name, description, script, selectors,
    required, timeout_seconds, created_by, created_at)
SELECT 'primary-' || id, 1, id, 'Primary', 'The default profile: no setup script.', '', '[]', FALSE, 600,
    'system', CURRENT_TIMESTAMP FROM account;
