-- Every row of a schema history table still in the Python system's layout (before Strata added
-- its columns), oldest first, with Strata's columns defaulted. Read-only: status and list must
-- not alter a table they were only asked to read.
SELECT migration_number::bigint AS migration_number, migration_name, checksum, description,
       (extract(epoch FROM executed_at::timestamptz) * 1000000)::bigint AS executed_at_us, execution_time_ms, true AS success,
       NULL::text AS installed_by, 'applied' AS kind, NULL::text AS error
FROM schema_migrations
ORDER BY id
