-- Logs you can watch (issue 13). Portable SQL: H2 2.x and PostgreSQL 13+.
-- A delegate numbers the log lines of each task attempt; the task row keeps the highest number stored and the
-- fencing token (attempt) it belongs to, updated in the same transaction as the lines, so a progress call
-- that is sent again stores nothing twice.
ALTER TABLE task ADD COLUMN log_seq BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE task ADD COLUMN log_seq_fencing_token BIGINT DEFAULT 0 NOT NULL;

-- Which output of the task's process wrote a line: 'stdout', 'stderr', or null for the delegate's own lines.
ALTER TABLE task_log ADD COLUMN stream VARCHAR(8);
