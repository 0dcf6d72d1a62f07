-- Repair: marks a failed migration applied after its verify step passed ($1 number, $2 checksum
-- of the file now, $3 tool version); the error is kept in the row for the record.
UPDATE schema_migrations
SET success = true, kind = 'repaired', checksum = $2, tool_version = $3,
    error = 'repaired after: ' || coalesce(error, 'unknown failure')
WHERE migration_number = $1 AND NOT success
