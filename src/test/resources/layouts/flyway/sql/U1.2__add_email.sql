ALTER TABLE fw_users DROP COLUMN email;
