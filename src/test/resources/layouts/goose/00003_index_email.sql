-- +goose NO TRANSACTION
-- +goose Up
CREATE INDEX CONCURRENTLY IF NOT EXISTS gs_users_email ON gs_users (email);

-- +goose Down
DROP INDEX CONCURRENTLY gs_users_email;
