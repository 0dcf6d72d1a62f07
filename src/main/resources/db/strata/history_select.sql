-- Every schema history row, oldest first. It names every column Strata writes, so that it fails
-- with undefined_column (42703) on a table still in the old layout and the caller adopts it.
-- executed_at travels as microseconds since the epoch and is shown in UTC: a number per row is
-- cheaper to decode than timestamptz text, and the output does not depend on the session TimeZone.
SELECT migration_number::bigint AS migration_number, migration_name, checksum, description,
       (extract(epoch FROM executed_at::timestamptz) * 1000000)::bigint AS executed_at_us,
       execution_time_ms, success, installed_by, kind, error,
       dependencies IS NULL AS no_dependencies, verify_time_ms, tool_version
FROM schema_migrations
ORDER BY id
