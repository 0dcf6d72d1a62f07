-- Prisma's _prisma_migrations, in the order Prisma started them; read only, never written.
SELECT id, checksum, migration_name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back,
       logs, started_at::text AS started_at
FROM _prisma_migrations
ORDER BY started_at, migration_name
