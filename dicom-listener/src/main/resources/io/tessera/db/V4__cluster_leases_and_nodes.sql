-- Several nodes on one index (cluster.mode distributed). A worker holds a lease on the study version it processes:
-- the owner node, until when, its last heartbeat. A lease not renewed in time means its node died; takeovers counts
-- how often that happened to one study version (a study that keeps killing workers is dead-lettered). published is
-- when the version was last put on the broker's queue, so a sweep republishes only what no message or lease covers.
CREATE TABLE IF NOT EXISTS study_leases (
  study_uid VARCHAR(64) NOT NULL, study_version INT NOT NULL,
  owner_node VARCHAR(64), lease_until TIMESTAMP WITH TIME ZONE, heartbeat TIMESTAMP WITH TIME ZONE,
  published TIMESTAMP WITH TIME ZONE, takeovers INT DEFAULT 0 NOT NULL,
  PRIMARY KEY (study_uid, study_version));
CREATE INDEX IF NOT EXISTS study_leases_until ON study_leases(lease_until);

-- The node registry: who is in the cluster, with which roles, and when each last beat.
CREATE TABLE IF NOT EXISTS cluster_nodes (
  node_id VARCHAR(64) PRIMARY KEY, roles VARCHAR(64) NOT NULL,
  started TIMESTAMP WITH TIME ZONE NOT NULL, last_heartbeat TIMESTAMP WITH TIME ZONE NOT NULL);
