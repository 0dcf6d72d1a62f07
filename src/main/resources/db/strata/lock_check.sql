-- Proves the migration lock is held by this very backend and by no one else: the granted
-- advisory lock rows for the key (classid = high 32 bits, objid = low 32 bits, objsubid = 1 for
-- a bigint key) and whether one of them belongs to pg_backend_pid(). Run after taking the lock
-- and before every migration; a transaction-mode pooler answers from another backend.
SELECT pg_catalog.pg_backend_pid() AS pid,
       count(*) FILTER (WHERE l.pid = pg_catalog.pg_backend_pid()) AS mine,
       count(*) AS holders
FROM pg_catalog.pg_locks l
WHERE l.locktype = 'advisory' AND l.granted
  AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())
  AND l.objsubid = 1
  AND l.classid = (($1::bigint >> 32) & 4294967295)::oid
  AND l.objid = ($1::bigint & 4294967295)::oid
