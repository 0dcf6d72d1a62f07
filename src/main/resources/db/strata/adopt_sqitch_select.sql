-- Sqitch's registry: the changes deployed, per project, in the order they were committed
-- (a reverted change's row is deleted by Sqitch); read only, never written.
SELECT project, change_id, change, script_hash FROM sqitch.changes ORDER BY committed_at, change
