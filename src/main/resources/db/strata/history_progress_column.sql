-- Whether the history table has the statements_done column yet (a table written by an older
-- Strata does not): checked before adding it, so the common case takes no ALTER TABLE lock.
SELECT count(*) FROM pg_attribute
WHERE attrelid = to_regclass('schema_migrations') AND attname = 'statements_done' AND NOT attisdropped
