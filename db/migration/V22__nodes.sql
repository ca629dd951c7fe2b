-- The Nodes page (issue 11): what each process sharing the database is, where it serves and what it
-- does now. Additive only: a node of the previous release keeps inserting its rows (the defaults fill
-- what it does not know), so nodes can be upgraded one by one.
ALTER TABLE worker_process ADD COLUMN address VARCHAR(300);
ALTER TABLE worker_process ADD COLUMN modprep_version VARCHAR(50);
ALTER TABLE worker_process ADD COLUMN activity VARCHAR(20) DEFAULT 'idle' NOT NULL;
ALTER TABLE worker_process ADD COLUMN activity_run_id BIGINT;
ALTER TABLE worker_process ADD COLUMN activity_group INT;
-- CASE, not IN (…): H2 2.4.240 breaks IN-list checks once the session that created them closes (V5).
ALTER TABLE worker_process ADD CONSTRAINT worker_process_activity
  CHECK (CASE activity WHEN 'idle' THEN TRUE WHEN 'preparing' THEN TRUE WHEN 'deploying' THEN TRUE
         WHEN 'compiling' THEN TRUE WHEN 'stopped' THEN TRUE ELSE FALSE END);
