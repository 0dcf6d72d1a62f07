-- Repair: the recorded progress ($1 number) of a failed row: statements completed (NULL when the
-- row predates progress records) and the checksum of the file that ran.
SELECT statements_done, checksum FROM schema_migrations WHERE migration_number = $1 AND NOT success
