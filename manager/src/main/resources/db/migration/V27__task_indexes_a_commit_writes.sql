-- Issue 16: every index of the task table whose key holds state or delegate_id is rewritten when a task is
-- stored, leased and ended: on H2 a leaf, the nodes above it and its root, at every commit. Two of them served
-- only queries that task_state_idx (state, created_at) serves as well, so they go:
--   task_account_state_idx (account_id, state, created_at): the listings of one account by state read
--     task_state_idx newest (or oldest) first and keep that account's rows;
--   task_delegate_idx (delegate_id, state): every query by delegate asks for its RUNNING tasks, which
--     task_state_idx finds among the running ones (no more than the fleet's capacity).
-- A task's three writes now rewrite four indexes instead of six. Older replicas during a rolling upgrade run the
-- same queries, through task_state_idx: no column or table changes.
DROP INDEX task_account_state_idx;
DROP INDEX task_delegate_idx;
