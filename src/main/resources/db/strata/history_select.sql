-- Every schema history row, oldest first. It names every column Strata writes, so that it fails
-- with undefined_column (42703) on a table still in the old layout and the caller adopts it.
SELECT migration_number::bigint AS migration_number, migration_name, checksum, description,
       executed_at::timestamptz AS executed_at,
       execution_time_ms, success, installed_by, kind, error,
       dependencies IS NULL AS no_dependencies, verify_time_ms, tool_version
FROM schema_migrations
ORDER BY id
