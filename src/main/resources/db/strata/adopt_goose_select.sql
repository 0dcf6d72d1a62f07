-- goose's goose_db_version, in the order goose wrote it (a later row for the same version_id
-- overrides an earlier one: is_applied false after goose down); read only, never written.
SELECT id, version_id, is_applied FROM goose_db_version ORDER BY id
