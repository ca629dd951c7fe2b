-- I1: the first group a worker did after taking up its run (at the run's start, or resuming it after a stop,
-- a kill or another node's take-over). The time between the group before it and this one went to no group:
-- the run's estimate leaves it out of what a group costs and of the compiling's pace. FALSE for the groups of
-- runs done before this column, as the estimate took them then.
ALTER TABLE run_group ADD COLUMN first_of_claim BOOLEAN DEFAULT FALSE NOT NULL;

-- I1: when the run's compile-ahead had compiled (or settled) every module it could, on the storing node's clock:
-- from then on nothing is left to compile, and a group that starts later waits for no compilation. Null while the
-- run compiles, and for runs done before this column (their latest compilation stands for it).
ALTER TABLE preparation_run ADD COLUMN compiled_ahead_at TIMESTAMP WITH TIME ZONE;
