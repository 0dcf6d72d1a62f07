-- sqlx's _sqlx_migrations; execution_time is in nanoseconds. Read only, never written.
SELECT version, description, success, checksum, execution_time FROM _sqlx_migrations ORDER BY version
