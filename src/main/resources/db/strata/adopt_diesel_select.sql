-- Diesel's __diesel_schema_migrations: one row per applied version; read only, never written.
SELECT version FROM __diesel_schema_migrations ORDER BY version
