-- Drops the scratch database of `strata test` on a server older than PostgreSQL 13 (no FORCE).
DROP DATABASE IF EXISTS {name}
