CREATE TABLE gm_users (id integer PRIMARY KEY);
