-- I1: how long the import took to compile this environment's published modules, and their source files:
-- a pace measured here, which a first run's estimate starts from before the run has shown its own.
-- Null for an environment imported before this column (its first run learns from itself alone).
ALTER TABLE environment ADD COLUMN import_compile_ms BIGINT;
ALTER TABLE environment ADD COLUMN import_source_files INT;
