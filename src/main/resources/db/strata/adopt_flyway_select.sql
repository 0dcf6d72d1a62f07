-- Flyway's schema history, in the order Flyway applied it; read only, never written.
SELECT installed_rank, version, description, type, script, checksum, success, execution_time
FROM flyway_schema_history
ORDER BY installed_rank
