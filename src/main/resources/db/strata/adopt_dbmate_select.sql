-- dbmate's schema_migrations: one row per applied version; read only, never written.
SELECT version FROM schema_migrations ORDER BY version
