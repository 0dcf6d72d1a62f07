-- migrate:up
CREATE TABLE dm_users (id integer PRIMARY KEY, email text);

-- migrate:down
DROP TABLE dm_users;
