-- golang-migrate's schema_migrations: one row, the version it migrated up to and whether that
-- migration stopped part-way (dirty); read only, never written.
SELECT version, dirty FROM schema_migrations
