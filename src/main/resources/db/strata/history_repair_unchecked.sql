-- repair --mark-applied: marks a failed migration applied WITHOUT any check ($1 number, $2 checksum
-- of the file now, $3 tool version); the row keeps what is known about the failure.
UPDATE schema_migrations
SET success = true, kind = 'repaired', checksum = $2, tool_version = $3,
    error = 'marked applied without checks after: ' || coalesce(error, 'unknown failure')
WHERE migration_number = $1 AND NOT success
