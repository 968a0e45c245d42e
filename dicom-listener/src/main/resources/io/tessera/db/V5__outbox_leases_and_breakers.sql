-- Several delivery nodes drain one outbox (cluster.mode distributed). A node claims a due entry before sending it:
-- lease_owner is the node, lease_until when the claim lapses (a node that died mid-send lets the entry fall due
-- again). Only a conditional update takes a claim, so two nodes never send one entry at the same time.
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS lease_owner VARCHAR(64);
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS lease_until TIMESTAMP WITH TIME ZONE;

-- One circuit breaker per destination, shared by every delivery node: CLOSED or OPEN, consecutive retryable
-- failures, when it opened, when the next C-ECHO probe is due and how many probes failed. A node that takes the
-- probe moves probe_at forward first (conditional update), so one node probes at a time.
CREATE TABLE IF NOT EXISTS destination_breakers (
  destination VARCHAR(128) PRIMARY KEY, state VARCHAR(16) NOT NULL, failures INT NOT NULL,
  opened_at TIMESTAMP WITH TIME ZONE, probe_at TIMESTAMP WITH TIME ZONE, probes INT DEFAULT 0 NOT NULL,
  updated TIMESTAMP WITH TIME ZONE NOT NULL);
