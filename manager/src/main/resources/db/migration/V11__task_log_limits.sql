-- Bounded task logs (issue 12). Portable SQL: H2 2.x and PostgreSQL 13+.
-- A task keeps at most OPENDELEGATE_TASK_LOG_MAX_BYTES of log: its first half, then one gap line, then a
-- rolling last half. The gap line says how many lines and bytes were dropped between the two.

-- Bytes of log the task keeps now (head and tail, not the gap line).
ALTER TABLE task ADD COLUMN log_bytes BIGINT DEFAULT 0 NOT NULL;
-- The id of the gap line in task_log, once the first half is full; null before.
ALTER TABLE task ADD COLUMN log_gap_id BIGINT;
-- What was dropped between the first and the last part so far.
ALTER TABLE task ADD COLUMN log_dropped_lines BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE task ADD COLUMN log_dropped_bytes BIGINT DEFAULT 0 NOT NULL;

-- A line's size in UTF-8 bytes, so the oldest lines of the tail can be dropped by size; -1 marks the gap line.
ALTER TABLE task_log ADD COLUMN line_bytes INTEGER DEFAULT 0 NOT NULL;
-- Lines up to 64 KiB are kept whole (longer ones are split into several lines before they are stored).
ALTER TABLE task_log ALTER COLUMN line SET DATA TYPE VARCHAR(65536);
