-- A study's state may be DONE_WITH_FAILURES (18 characters), and counts the failed jobs of its current version.
ALTER TABLE studies ALTER COLUMN state SET DATA TYPE VARCHAR(32);
ALTER TABLE studies ADD COLUMN IF NOT EXISTS failed_jobs INT DEFAULT 0 NOT NULL;

-- The series a rule's models skipped (scouts, dose screens, too few slices, ...), and why, per study version.
CREATE TABLE IF NOT EXISTS series_decisions (
  study_uid VARCHAR(64) NOT NULL, study_version INT NOT NULL, route VARCHAR(128) NOT NULL,
  series_uid VARCHAR(64) NOT NULL, series_number VARCHAR(16), description VARCHAR(256),
  kind VARCHAR(32) NOT NULL, reason VARCHAR(1000) NOT NULL, seq_no INT NOT NULL,
  PRIMARY KEY (study_uid, study_version, route, series_uid));
