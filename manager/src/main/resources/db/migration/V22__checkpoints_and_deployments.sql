-- ECS deployments (issue 14). Portable SQL: H2 2.x and PostgreSQL 13+.

-- The latest state a task's handler saved (a JSON object of at most 64 KiB), and the fencing token (attempt) that
-- saved it. Written in the same statement as the lease renewal, so only the current lease's holder writes it;
-- the next attempt gets it in its assignment.
ALTER TABLE task ADD COLUMN checkpoint VARCHAR(65536);
ALTER TABLE task ADD COLUMN checkpoint_fencing_token BIGINT;

-- A deployment: one aws.ecs.deploy task, with what people see of it. `service_key` names the service (provider,
-- region, cluster name, service); `active_key` is the same while the deployment is QUEUED or RUNNING and null
-- after, so the unique constraint lets one active deployment per service exist, whoever inserts first (NULLs are
-- distinct in both databases). `steps` is the step timeline as JSON, built from the task's checkpoints;
-- `before_state`/`after_state` are the checkpoint's `before`/`after` (JSON), kept for "from -> to" and rollback.
CREATE TABLE deployment (
    id                  VARCHAR(36)      NOT NULL PRIMARY KEY,
    account_id          VARCHAR(64)      NOT NULL REFERENCES account (id),
    cloud_provider_id   VARCHAR(36)      NOT NULL,
    cloud_provider_name VARCHAR(255)     NOT NULL,
    region              VARCHAR(40)      NOT NULL,
    cluster             VARCHAR(2048)    NOT NULL,
    service             VARCHAR(255)     NOT NULL,
    service_key         VARCHAR(2600)    NOT NULL,
    active_key          VARCHAR(2600),
    state               VARCHAR(20)      NOT NULL,
    dry_run             BOOLEAN          NOT NULL,
    rollback_of         VARCHAR(36),
    request             VARCHAR(1000000) NOT NULL,
    task_id             VARCHAR(36)      NOT NULL,
    steps               VARCHAR(100000)  NOT NULL,
    before_state        VARCHAR(65536),
    after_state         VARCHAR(65536),
    result              VARCHAR(1000000),
    error               VARCHAR(4000),
    submitted_by        VARCHAR(200)     NOT NULL,
    submitted_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at          TIMESTAMP WITH TIME ZONE,
    ended_at            TIMESTAMP WITH TIME ZONE,
    CONSTRAINT deployment_active_unique UNIQUE (account_id, active_key)
);
CREATE INDEX deployment_account_idx ON deployment (account_id, submitted_at, id);
CREATE INDEX deployment_task_idx ON deployment (task_id);
CREATE INDEX deployment_active_idx ON deployment (state);
