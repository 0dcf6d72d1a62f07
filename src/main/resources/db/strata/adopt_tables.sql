-- Which other tools' schema history tables the database has, as each tool names them by default
-- (on the search path; Sqitch's registry in schema sqitch). schema_migrations is golang-migrate's
-- when it has golang-migrate's dirty column, dbmate's when it has only dbmate's version column,
-- and Strata's own when it has migration_name. Read only.
SELECT to_regclass('flyway_schema_history') IS NOT NULL AS flyway,
       EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('schema_migrations')
               AND attname = 'dirty' AND NOT attisdropped) AS golang_migrate,
       (SELECT coalesce(array_agg(attname::text ORDER BY attname) = ARRAY['version'], false) FROM pg_attribute
        WHERE attrelid = to_regclass('schema_migrations') AND attnum > 0 AND NOT attisdropped) AS dbmate,
       to_regclass('goose_db_version') IS NOT NULL AS goose,
       to_regclass('_sqlx_migrations') IS NOT NULL AS sqlx,
       to_regclass('_prisma_migrations') IS NOT NULL AS prisma,
       to_regclass('__diesel_schema_migrations') IS NOT NULL AS diesel,
       to_regclass('sqitch.changes') IS NOT NULL AS sqitch
