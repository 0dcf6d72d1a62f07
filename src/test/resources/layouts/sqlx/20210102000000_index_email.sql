-- no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS sx_users_email ON sx_users (email);
