-- Whether Flyway's schema history table is visible on the search path (Flyway's default: the
-- first schema of the search path); NULL when there is none.
SELECT to_regclass('flyway_schema_history')::text AS flyway_table
