-- postgres-migrations disable-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS pm_users_email ON pm_users (email);
