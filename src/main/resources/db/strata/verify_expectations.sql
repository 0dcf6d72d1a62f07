-- Checks a migration's verify() expectations in one round trip (dev.strata.api.Expect).
-- $1 kinds text[], $2 objects text[], $3 details text[], all of one length.
-- Returns one row per unmet expectation, in the order given; no row means all hold.
-- to_regclass is not applied to function signatures: before PostgreSQL 16 it raises on them.
SELECT problem
FROM (
    SELECT e.ord,
           CASE e.kind
               WHEN 'table' THEN
                   CASE WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c
                                         WHERE c.oid = e.rel AND c.relkind IN ('r', 'p'))
                        THEN 'table ' || e.object || ' does not exist' END
               WHEN 'view' THEN
                   CASE WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c
                                         WHERE c.oid = e.rel AND c.relkind IN ('v', 'm'))
                        THEN 'view ' || e.object || ' does not exist' END
               WHEN 'column' THEN
                   CASE WHEN e.rel IS NULL THEN 'table ' || e.object || ' does not exist'
                        WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                                         WHERE a.attrelid = e.rel AND a.attname = e.detail
                                           AND a.attnum > 0 AND NOT a.attisdropped)
                        THEN 'column ' || e.object || '.' || e.detail || ' does not exist' END
               WHEN 'column_type' THEN
                   (SELECT CASE WHEN e.rel IS NULL THEN 'table ' || e.object || ' does not exist'
                                WHEN a.attname IS NULL THEN 'column ' || e.object || '.' || split_part(e.detail, ':', 1) || ' does not exist'
                                WHEN pg_catalog.format_type(a.atttypid, a.atttypmod) <> substr(e.detail, strpos(e.detail, ':') + 1)
                                THEN 'column ' || e.object || '.' || a.attname || ' is '
                                     || pg_catalog.format_type(a.atttypid, a.atttypmod) || ', expected '
                                     || substr(e.detail, strpos(e.detail, ':') + 1) END
                    FROM (SELECT 1) one
                    LEFT JOIN pg_catalog.pg_attribute a
                           ON a.attrelid = e.rel AND a.attname = split_part(e.detail, ':', 1)
                          AND a.attnum > 0 AND NOT a.attisdropped)
               WHEN 'not_null' THEN
                   CASE WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                                         WHERE a.attrelid = e.rel AND a.attname = e.detail
                                           AND a.attnum > 0 AND NOT a.attisdropped AND a.attnotnull)
                        THEN 'column ' || e.object || '.' || e.detail || ' is not NOT NULL (or does not exist)' END
               WHEN 'index' THEN
                   CASE WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index i
                                         WHERE i.indexrelid = e.rel)
                        THEN 'index ' || e.object || ' does not exist'
                        WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index i
                                         WHERE i.indexrelid = e.rel AND i.indisvalid)
                        THEN 'index ' || e.object || ' is INVALID (a failed concurrent build); drop it and rebuild' END
               WHEN 'constraint' THEN
                   CASE WHEN e.rel IS NULL THEN 'table ' || e.object || ' does not exist'
                        WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k
                                         WHERE k.conrelid = e.rel AND k.conname = e.detail)
                        THEN 'constraint ' || e.detail || ' on ' || e.object || ' does not exist' END
               WHEN 'function' THEN
                   CASE WHEN pg_catalog.to_regprocedure(e.object) IS NULL
                        THEN 'function ' || e.object || ' does not exist' END
               WHEN 'trigger' THEN
                   CASE WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t
                                         WHERE t.tgrelid = e.rel AND t.tgname = e.detail AND NOT t.tgisinternal)
                        THEN 'trigger ' || e.detail || ' on ' || e.object || ' does not exist' END
               ELSE 'unknown expectation kind ' || e.kind
           END AS problem
    FROM (
        SELECT k.kind, k.object, k.detail, k.ord,
               CASE WHEN k.kind <> 'function' THEN pg_catalog.to_regclass(k.object) END AS rel
        FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS k(kind, object, detail, ord)
    ) e
) p
WHERE problem IS NOT NULL
ORDER BY ord
