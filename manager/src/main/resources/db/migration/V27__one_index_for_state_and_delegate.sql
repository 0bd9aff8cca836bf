-- Issue 16: one index instead of two for the task queries by state and by delegate. A task's insert writes every
-- index of the table, and every state change the indexes that hold the state, so each index is a share of the
-- commit that hands a new task to a waiting delegate.
--   * `state, delegate_id` answers the running tasks of one delegate (each registration asks) by a seek;
--   * a state's tasks (running ones whose lease ran out, the queue) are one range of it, as before;
--   * the queue stays in creation order: a queued task has no delegate, so its rows are `(QUEUED, NULL)` in
--     `created_at` order.
-- Older replicas running beside this version during a rolling upgrade keep working: their queries are the same
-- and find this index (their queue read sorts the queued rows instead of reading them in order).
CREATE INDEX task_state_delegate_idx ON task (state, delegate_id, created_at);
DROP INDEX task_delegate_idx;
DROP INDEX task_state_idx;
