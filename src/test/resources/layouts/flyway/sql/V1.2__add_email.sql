ALTER TABLE fw_users ADD COLUMN email text;
