-- Who started a task (issue 17): `api` (POST /api/v1/tasks), `lookup` (a cloud provider's Test or lookup asked
-- for through the API) or `console-lookup` (the same, asked for in the console). The Tasks list hides console
-- lookups by default, so that browsing a provider does not bury a person's own tasks.
ALTER TABLE task ADD COLUMN source VARCHAR(20) DEFAULT 'api' NOT NULL;

-- Tasks from before this column: the Manager's own lookup types were lookups, asked for in the console when a
-- signed-in user (`user:...`) started them, else through the API.
UPDATE task SET source = CASE WHEN created_by LIKE 'user:%' THEN 'console-lookup' ELSE 'lookup' END
    WHERE type IN ('aws.test-connection', 'aws.regions', 'aws.ecs-clusters', 'aws.ecs-services', 'aws.vpcs',
                   'aws.subnets', 'aws.security-groups', 'aws.iam-roles');

CREATE INDEX task_account_source_created ON task (account_id, source, created_at);
