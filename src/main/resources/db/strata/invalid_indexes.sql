-- Indexes left INVALID by a failed CREATE INDEX CONCURRENTLY or REINDEX CONCURRENTLY
-- (PostgreSQL docs, CREATE INDEX, "Building Indexes Concurrently").
SELECT c.oid::regclass::text
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
WHERE NOT i.indisvalid
ORDER BY 1
