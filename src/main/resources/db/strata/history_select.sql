-- Every schema history row, oldest first.
SELECT migration_number::bigint AS migration_number, migration_name, checksum, description,
       executed_at::timestamptz AS executed_at,
       execution_time_ms, success, installed_by, kind, error
FROM schema_migrations
ORDER BY id
