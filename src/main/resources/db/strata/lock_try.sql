-- Tries the migration lock: a session-level advisory lock, released by unlock or when the
-- session ends, so a killed runner never leaves a stale lock (PostgreSQL docs, "Advisory Locks").
SELECT pg_catalog.pg_try_advisory_lock($1) AS acquired
