-- Flyway runs this file outside a transaction: it detects CREATE INDEX CONCURRENTLY itself.
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS fd_accounts_email ON fd_accounts (email);
