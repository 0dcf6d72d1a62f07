-- The columns the schema history table has now; no row when the table does not exist.
SELECT a.attname
FROM pg_catalog.pg_attribute a
WHERE a.attrelid = pg_catalog.to_regclass('schema_migrations')
  AND a.attnum > 0
  AND NOT a.attisdropped
