-- What the migration session is talking to: its backend, whether the server is a hot standby or
-- the session read-only (migrations need a writable primary), and the string-literal setting
-- the safety scanner relies on.
SELECT pg_catalog.pg_backend_pid() AS pid,
       pg_catalog.pg_is_in_recovery() AS in_recovery,
       pg_catalog.current_setting('transaction_read_only') AS read_only,
       pg_catalog.current_setting('standard_conforming_strings') AS standard_conforming_strings
