-- repair --retry: removes the failed row of migration $1 so that apply-all runs it again.
DELETE FROM schema_migrations WHERE migration_number = $1 AND NOT success
