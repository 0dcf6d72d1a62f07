-- Records one migration; $8 kind is applied, baseline or repaired.
INSERT INTO schema_migrations
    (migration_name, migration_number, checksum, description, execution_time_ms,
     verify_time_ms, dependencies, kind, success, error, tool_version)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
