-- Cloud providers, and secrets that travel with a task. Portable SQL: H2 2.x and PostgreSQL 13+.

-- A task's secrets (e.g. a cloud provider's secret access key) as JSON sealed with the master key
-- (AES-256-GCM bound to "task:<id>"). Opened only into the delegate's assignment; never shown.
ALTER TABLE task ADD COLUMN secrets VARCHAR(20000);

-- An AWS account the Manager reaches through delegates: with the role of the delegate that runs the task
-- (credentials_type DELEGATE_IAM_ROLE, selectors required) or with an access key whose secret is sealed
-- with the master key (bound to "cloud-provider:<id>"), optionally assuming a cross-account role.
CREATE TABLE cloud_provider (
    id                  VARCHAR(36)   NOT NULL PRIMARY KEY,
    account_id          VARCHAR(64)   NOT NULL REFERENCES account (id),
    name                VARCHAR(100)  NOT NULL,
    type                VARCHAR(20)   NOT NULL,
    region              VARCHAR(32)   NOT NULL,
    credentials_type    VARCHAR(30)   NOT NULL,
    delegate_selectors  VARCHAR(4000) NOT NULL,
    access_key_id       VARCHAR(128),
    secret_access_key   VARCHAR(2000),
    role_arn            VARCHAR(2048),
    external_id         VARCHAR(1224),
    last_test_at        TIMESTAMP WITH TIME ZONE,
    last_test_ok        BOOLEAN,
    last_test_message   VARCHAR(4000),
    last_test_task_id   VARCHAR(36),
    last_test_delegate  VARCHAR(255),
    created_by          VARCHAR(200)  NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by          VARCHAR(200)  NOT NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT cloud_provider_name_unique UNIQUE (account_id, name)
);
