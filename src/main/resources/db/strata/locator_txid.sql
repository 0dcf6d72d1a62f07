-- Failure locator: the id of the session's current transaction, NULL when none was assigned; it
-- differs from locator_begin.sql's once the re-run's transaction has ended.
SELECT txid_current_if_assigned()
