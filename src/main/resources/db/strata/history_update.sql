-- Updates the row of a non-transactional migration: $2 success, $3 error (null once it succeeded),
-- $4 execution_time_ms, $5 verify_time_ms.
UPDATE schema_migrations
SET success = $2, error = $3, execution_time_ms = $4, verify_time_ms = $5, executed_at = now()
WHERE migration_name = $1
