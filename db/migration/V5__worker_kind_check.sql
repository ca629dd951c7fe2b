-- Every stored status and kind column is checked against its enum's codes (SchemaTest compares them).
-- worker_process.kind was the one without: a process is a server or a CLI command (WorkerKind).
-- CASE, not IN (…): H2 2.4.240 breaks IN-list checks once the session that created them closes.
ALTER TABLE worker_process ADD CONSTRAINT worker_process_kind
  CHECK (CASE kind WHEN 'server' THEN TRUE WHEN 'cli' THEN TRUE ELSE FALSE END);
