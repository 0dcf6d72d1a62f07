CREATE INDEX CONCURRENTLY IF NOT EXISTS ds_users_email ON ds_users (email);
