-- Strata's schema history table. Compatible with the table of the Python system it replaces
-- (id, migration_name, migration_number, executed_at, checksum, description, execution_time_ms),
-- which it adopts in place: Strata's own columns are added with ADD COLUMN IF NOT EXISTS.
-- Run under the migration advisory lock, so concurrent runners never race on CREATE TABLE.
CREATE TABLE IF NOT EXISTS schema_migrations (
    id                SERIAL PRIMARY KEY,
    migration_name    VARCHAR(255) NOT NULL UNIQUE,
    migration_number  BIGINT NOT NULL,
    executed_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    checksum          VARCHAR(64) NOT NULL,
    description       TEXT,
    execution_time_ms INTEGER
);

ALTER TABLE schema_migrations
    ADD COLUMN IF NOT EXISTS success         BOOLEAN NOT NULL DEFAULT true,
    ADD COLUMN IF NOT EXISTS installed_by    TEXT NOT NULL DEFAULT current_user,
    ADD COLUMN IF NOT EXISTS dependencies    BIGINT[] NOT NULL DEFAULT '{}',
    ADD COLUMN IF NOT EXISTS verify_time_ms  INTEGER,
    ADD COLUMN IF NOT EXISTS kind            TEXT NOT NULL DEFAULT 'applied',
    ADD COLUMN IF NOT EXISTS error           TEXT,
    ADD COLUMN IF NOT EXISTS tool_version    TEXT,
    ADD COLUMN IF NOT EXISTS statements_done INTEGER;

COMMENT ON TABLE schema_migrations IS
    'Schema history written by Strata: one row per migration applied, baselined or failed.';
COMMENT ON COLUMN schema_migrations.id IS 'Surrogate key, in the order rows were written.';
COMMENT ON COLUMN schema_migrations.migration_name IS
    'File name without .sql, e.g. 007_crm_system_schema; unique.';
COMMENT ON COLUMN schema_migrations.migration_number IS 'The numeric prefix of the file name.';
COMMENT ON COLUMN schema_migrations.executed_at IS 'When the migration committed (server clock).';
COMMENT ON COLUMN schema_migrations.checksum IS
    'SHA-256 of the SQL file bytes, lower-case hex; a changed file is refused.';
COMMENT ON COLUMN schema_migrations.description IS 'One-line description from the migration class or file header.';
COMMENT ON COLUMN schema_migrations.execution_time_ms IS 'Wall time of the SQL file, in milliseconds.';
COMMENT ON COLUMN schema_migrations.success IS
    'False for a non-transactional migration that failed part-way; such a row blocks later runs until repaired.';
COMMENT ON COLUMN schema_migrations.installed_by IS 'Database role that applied the migration.';
COMMENT ON COLUMN schema_migrations.dependencies IS 'Migration numbers this one depended on when applied.';
COMMENT ON COLUMN schema_migrations.verify_time_ms IS 'Wall time of the verify step, in milliseconds.';
COMMENT ON COLUMN schema_migrations.kind IS
    'applied (ran here), baseline (recorded without running), repaired (marked applied by repair) or adopted-<tool> (applied by another tool, taken over from its history table).';
COMMENT ON COLUMN schema_migrations.error IS 'For a failed row: the failing statement and the server error.';
COMMENT ON COLUMN schema_migrations.tool_version IS 'Strata version that wrote the row.';
COMMENT ON COLUMN schema_migrations.statements_done IS
    'Non-transactional migrations: how many of the file''s statements completed, in order (the 1-based index of the last one); NULL when not recorded.';
