-- Indexes for the console's reads (issue 3: every page well under 100 ms at 10,000 modules and 50 runs).

-- The console's stamp asks for the time of the latest compilation on every request (MAX, read from the
-- index's end), and a run in progress brings its statuses up to date from the compilations saved since
-- a time (a range of it).
CREATE INDEX module_build_built_at ON module_build (built_at);

-- A run's failures (its page, U4) and the modules it blocked since (the console's statuses during a run),
-- without reading every module of a 10,000-module run.
CREATE INDEX run_module_status ON run_module (run_id, status);
