CREATE TABLE pm_users (id integer PRIMARY KEY, email text);
