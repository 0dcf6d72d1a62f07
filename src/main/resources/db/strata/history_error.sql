-- Repair: records why resuming a failed non-transactional migration ($1 number) stopped, $2.
UPDATE schema_migrations SET error = $2 WHERE migration_number = $1 AND NOT success
