-- What the migration session is talking to: its backend, whether the server is a hot standby or
-- the session read-only (migrations need a writable primary), the string-literal setting the
-- safety scanner relies on, and the backend's view of its client socket (address and port; NULL
-- over a Unix socket). When that socket is Strata's own, nothing sits between the two, so no
-- pooler can hand the backend to anyone else (see MigrationSession.proveSession). Last, whether
-- strata_schema_migrations exists (HistoryTable.ALTERNATIVE): an early read of schema_migrations
-- that succeeds proves that table is Strata's (it names Strata's columns), so with this one
-- to_regclass the automatic history table choice is known without history_table.sql's catalog
-- scan, which costs a fresh backend about 1 ms of server CPU (a fleet no-op pays it per target).
SELECT pg_catalog.pg_backend_pid() AS pid,
       pg_catalog.pg_is_in_recovery() AS in_recovery,
       pg_catalog.current_setting('transaction_read_only') AS read_only,
       pg_catalog.current_setting('standard_conforming_strings') AS standard_conforming_strings,
       pg_catalog.host(pg_catalog.inet_client_addr()) AS client_addr,
       pg_catalog.inet_client_port() AS client_port,
       pg_catalog.to_regclass('strata_schema_migrations') IS NOT NULL AS alternative_history_exists
