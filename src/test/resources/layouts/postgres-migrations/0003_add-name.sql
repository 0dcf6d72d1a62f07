ALTER TABLE pm_users ADD COLUMN name text;
