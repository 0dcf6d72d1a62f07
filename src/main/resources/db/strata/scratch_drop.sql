-- Drops the scratch database of `strata test`; FORCE ends sessions still connected to it
-- (PostgreSQL 13+, PostgreSQL docs, DROP DATABASE).
DROP DATABASE IF EXISTS {name} WITH (FORCE)
