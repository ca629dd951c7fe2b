-- Issue 11, P14: the compile work of a run spread over every node. The run's owner writes each round of
-- its compile-ahead as batches; any node claims a waiting batch (FOR UPDATE SKIP LOCKED), holds it by a
-- lease on the database's clock, compiles it into the compilation cache (by inputs) and marks it done.
-- A batch whose holder's lease ran out is claimed again by anyone. Groups never depend on a batch: they
-- compile whatever they do not find in the cache.
-- CASE, not IN (…): H2 2.4.240 breaks IN-list checks once the session that created them closes.
CREATE TABLE compile_batch (
  run_id           BIGINT NOT NULL REFERENCES preparation_run (id) ON DELETE CASCADE,
  seq              INT NOT NULL,
  -- The round of the run's compile-ahead it belongs to: a round's batches depend only on earlier rounds.
  round            INT NOT NULL,
  -- Its units, one a line, the modules of a unit (a reference cycle) separated by spaces.
  modules          VARCHAR(1000000) NOT NULL,
  module_count     INT NOT NULL,
  status           VARCHAR(20) NOT NULL,
  lease_owner      VARCHAR(200),
  lease_expires_at TIMESTAMP WITH TIME ZONE,
  planned_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  claimed_at       TIMESTAMP WITH TIME ZONE,
  finished_at      TIMESTAMP WITH TIME ZONE,
  -- The node that compiled it, how long its javac work took, and how many modules did not compile.
  compiled_by      VARCHAR(200),
  millis           BIGINT,
  failed_count     INT,
  PRIMARY KEY (run_id, seq),
  CONSTRAINT compile_batch_status CHECK (CASE status WHEN 'waiting' THEN TRUE WHEN 'compiling' THEN TRUE WHEN 'done' THEN TRUE ELSE FALSE END)
);
CREATE INDEX compile_batch_status_index ON compile_batch (status, run_id, seq);
