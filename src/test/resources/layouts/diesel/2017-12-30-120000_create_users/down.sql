DROP TABLE ds_users;
