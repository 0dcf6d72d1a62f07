-- Progress of a non-transactional migration ($1 name): $2 statements have completed, in order.
-- Written after each statement, outside any transaction, so it survives a killed client.
UPDATE schema_migrations SET statements_done = $2 WHERE migration_name = $1
