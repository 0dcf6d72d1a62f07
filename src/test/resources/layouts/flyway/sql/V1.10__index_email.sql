CREATE INDEX CONCURRENTLY IF NOT EXISTS fw_users_email ON fw_users (email);
