-- Which table holds Strata's schema history (see HistoryTable): whether schema_migrations exists,
-- whether it has Strata's migration_name column (golang-migrate's schema_migrations(version, dirty)
-- and dbmate's schema_migrations(version) do not), and whether strata_schema_migrations exists.
-- Read only: another tool's table is never altered.
SELECT to_regclass('schema_migrations') IS NOT NULL AS default_exists,
       EXISTS (SELECT 1 FROM pg_attribute
               WHERE attrelid = to_regclass('schema_migrations') AND attname = 'migration_name'
                 AND NOT attisdropped) AS default_is_strata,
       coalesce((SELECT string_agg(attname, ', ' ORDER BY attnum) FROM pg_attribute
                 WHERE attrelid = to_regclass('schema_migrations') AND attnum > 0 AND NOT attisdropped), '')
           AS default_columns,
       to_regclass('strata_schema_migrations') IS NOT NULL AS alternative_exists
