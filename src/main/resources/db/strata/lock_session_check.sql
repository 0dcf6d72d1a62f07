-- What the migration session is talking to: its backend, whether the server is a hot standby or
-- the session read-only (migrations need a writable primary), the string-literal setting the
-- safety scanner relies on, and the backend's view of its client socket (address and port; NULL
-- over a Unix socket). When that socket is Strata's own, nothing sits between the two, so no
-- pooler can hand the backend to anyone else (see MigrationSession.proveSession).
SELECT pg_catalog.pg_backend_pid() AS pid,
       pg_catalog.pg_is_in_recovery() AS in_recovery,
       pg_catalog.current_setting('transaction_read_only') AS read_only,
       pg_catalog.current_setting('standard_conforming_strings') AS standard_conforming_strings,
       pg_catalog.host(pg_catalog.inet_client_addr()) AS client_addr,
       pg_catalog.inet_client_port() AS client_port
