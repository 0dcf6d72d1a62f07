DROP INDEX ds_users_email;
