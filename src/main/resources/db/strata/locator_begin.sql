-- Failure locator: gives the re-run's transaction an id, to compare with locator_txid.sql after
-- every statement (PostgreSQL docs, "Transaction ID and Snapshot Information Functions").
SELECT txid_current()
