-- migrate:up transaction:false
CREATE INDEX CONCURRENTLY IF NOT EXISTS dm_users_email ON dm_users (email);

-- migrate:down
DROP INDEX dm_users_email;
