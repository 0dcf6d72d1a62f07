CREATE TABLE fw_orders (id integer PRIMARY KEY, user_id integer NOT NULL REFERENCES fw_users (id));
