CREATE TABLE gm_orders (id integer PRIMARY KEY, user_id integer REFERENCES gm_users (id));
