-- Who holds the migration lock: pid, application_name, user, client address and since when.
-- An advisory lock on a bigint key appears in pg_locks split in classid (high 32 bits) and
-- objid (low 32 bits) with objsubid = 1.
SELECT a.pid, a.application_name, a.usename, a.client_addr::text AS client_addr,
       a.backend_start, a.state_change, a.state
FROM pg_catalog.pg_locks l
JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted
  AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
  AND l.objsubid = 1
  AND l.classid = (($1::bigint >> 32) & 4294967295)::oid
  AND l.objid = ($1::bigint & 4294967295)::oid
LIMIT 1
