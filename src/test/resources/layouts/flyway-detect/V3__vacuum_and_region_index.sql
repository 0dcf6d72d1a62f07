/* Both statements are non-transactional for Flyway, so the file is not a mix. */
DROP INDEX CONCURRENTLY IF EXISTS fd_accounts_region_old;
create index concurrently if not exists fd_accounts_region on fd_accounts (region);
VACUUM (ANALYZE) fd_accounts;
