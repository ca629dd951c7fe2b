-- I1: the group where a worker took up a run that another had started (a resume after a kill or a stop, another
-- node's take-over after the lease ran out): the time between the group before it and this one went to no group,
-- and the estimate leaves it out of what a group costs and of the compiling's pace. FALSE for the groups of runs
-- started before this column, as the estimate took them then.
ALTER TABLE run_group ADD COLUMN resumed BOOLEAN DEFAULT FALSE NOT NULL;

-- I1: when the run's compile-ahead had compiled (or settled) every module it could, on the storing node's clock:
-- from then on nothing is left to compile, and a group that starts later waits for no compilation. Null while the
-- run compiles, and for runs done before this column (their latest compilation stands for it).
ALTER TABLE preparation_run ADD COLUMN compiled_ahead_at TIMESTAMP WITH TIME ZONE;
