-- roei-server schema, version 1. One text for SQLite and PostgreSQL (types both accept).
-- Records are append-only event logs: no statement of the service updates or deletes a row of
-- roei_events. (incident_id, seq) is the order of the log; a second writer of the same seq loses.
CREATE TABLE roei_incidents (
  id TEXT PRIMARY KEY,
  header TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
);
CREATE TABLE roei_incident_scope (
  incident_id TEXT NOT NULL REFERENCES roei_incidents (id),
  contract_id TEXT NOT NULL,
  principal TEXT NOT NULL,
  PRIMARY KEY (incident_id, contract_id)
);
CREATE INDEX roei_incident_scope_contract ON roei_incident_scope (contract_id);
CREATE INDEX roei_incident_scope_principal ON roei_incident_scope (principal);
CREATE TABLE roei_events (
  incident_id TEXT NOT NULL REFERENCES roei_incidents (id),
  seq BIGINT NOT NULL,
  event_id TEXT NOT NULL,
  raw TEXT NOT NULL,
  head TEXT NOT NULL,
  received_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (incident_id, seq)
);
CREATE UNIQUE INDEX roei_events_event_id ON roei_events (incident_id, event_id);
CREATE TABLE roei_tokens (
  hash TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  party TEXT NOT NULL,
  scope TEXT NOT NULL,
  created_at TEXT NOT NULL
);
