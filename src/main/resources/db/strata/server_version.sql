-- The server's version for the database health check, e.g. "15.20 (Debian 15.20-0+deb12u1)".
SELECT current_setting('server_version')
