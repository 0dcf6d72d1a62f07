CREATE TABLE fw_users (id integer PRIMARY KEY, name text NOT NULL);
