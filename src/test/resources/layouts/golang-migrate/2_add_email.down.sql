ALTER TABLE gm_users DROP COLUMN email;
