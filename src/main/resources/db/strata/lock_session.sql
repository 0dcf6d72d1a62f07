-- Settings of the session that takes the migration lock and runs the migrations, applied on
-- connect and again before every migration (a migration's RESET ALL returns to the server's
-- defaults). Settings the server does not have (idle_session_timeout and
-- client_connection_check_interval are PostgreSQL 14+, tcp_user_timeout 12+) are skipped.
--   standard_conforming_strings: the safety scanner lexes '\' as PostgreSQL does with it on.
--   idle_session_timeout, idle_in_transaction_session_timeout = 0: the server must not end the
--     session (and so release the lock) while Strata runs a verify step or waits between steps.
--   client_connection_check_interval: a killed client's statement is cancelled within 2 s
--     instead of running (and maybe committing) to its end with nobody holding it.
--   tcp_keepalives_*, tcp_user_timeout: the server notices a vanished client within ~30 s and
--     ends the session, rolling back its transaction and releasing the lock.
SELECT s.name, pg_catalog.set_config(s.name, s.value, false) AS value
FROM (VALUES ('standard_conforming_strings', 'on'),
             ('idle_session_timeout', '0'),
             ('idle_in_transaction_session_timeout', '0'),
             ('client_connection_check_interval', '2000'),
             ('tcp_keepalives_idle', '10'),
             ('tcp_keepalives_interval', '5'),
             ('tcp_keepalives_count', '4'),
             ('tcp_user_timeout', '30000')) AS s(name, value)
WHERE pg_catalog.current_setting(s.name, true) IS NOT NULL
