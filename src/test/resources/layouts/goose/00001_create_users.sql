-- +goose Up
CREATE TABLE gs_users (id integer PRIMARY KEY, email text);

-- +goose Down
DROP TABLE gs_users;
