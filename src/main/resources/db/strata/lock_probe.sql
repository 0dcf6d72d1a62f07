-- Liveness probe on a second connection while a migration runs: the server answers, and says
-- whether the migrating backend still exists.
SELECT count(*) AS alive FROM pg_catalog.pg_stat_activity WHERE pid = $1
