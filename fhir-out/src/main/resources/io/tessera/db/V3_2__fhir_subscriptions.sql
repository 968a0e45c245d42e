-- FHIR R4 Subscriptions that clients create on Tessera's endpoint (rest-hook channel). body is the Subscription as
-- the client sent it, with the server's status and error; channel headers (credentials of the receiver) stay in it
-- and leave the server only in notifications. status and failures are columns so delivery can update them without
-- rewriting the body. SQL valid on H2 and PostgreSQL.

CREATE TABLE IF NOT EXISTS fhir_subscription (
  id VARCHAR(64) PRIMARY KEY,
  version_id INT NOT NULL,
  last_updated BIGINT NOT NULL,
  criteria_type VARCHAR(40) NOT NULL,
  status VARCHAR(16) NOT NULL,
  failures INT NOT NULL,
  error VARCHAR(1000),
  body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS fhir_subscription_type ON fhir_subscription(criteria_type, status);
