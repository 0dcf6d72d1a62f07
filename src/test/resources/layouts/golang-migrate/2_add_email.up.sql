ALTER TABLE gm_users ADD COLUMN email text;
