-- Baseline: records one migration as applied without running it ($1 name, $2 number, $3 checksum,
-- $4 description, $5 dependencies, $6 tool version). A row the old Python system wrote for the
-- same number (tool_version IS NULL) keeps its history and takes the file's checksum; rows Strata
-- wrote are left alone. Returns 'inserted', 'adopted' or nothing.
WITH adopted AS (
    UPDATE schema_migrations
    SET checksum = $3, tool_version = $6
    WHERE migration_number = $2 AND tool_version IS NULL
    RETURNING 'adopted'::text AS action
), inserted AS (
    INSERT INTO schema_migrations
        (migration_name, migration_number, checksum, description, dependencies, kind, success, tool_version)
    SELECT $1, $2, $3, $4, $5, 'baseline', true, $6
    WHERE NOT EXISTS (SELECT 1 FROM schema_migrations WHERE migration_number = $2)
    RETURNING 'inserted'::text AS action
)
SELECT action FROM adopted
UNION ALL
SELECT action FROM inserted
