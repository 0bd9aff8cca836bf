-- Issue 15: replicas sweep delegates at once; the heartbeat each one's silence was audited for, so that
-- "delegate.disconnected" is written by one replica only (a conditional update decides which).
ALTER TABLE delegate ADD COLUMN silence_noted_for TIMESTAMP WITH TIME ZONE;
